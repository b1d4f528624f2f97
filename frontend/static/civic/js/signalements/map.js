// The reports map on the portal: clusters counted by the server at low zoom, points at high zoom.
// The list below the map is the accessible alternative and works without JavaScript.
const config = JSON.parse(document.getElementById("map-config").textContent);
const element = document.getElementById("reports-map");
const filters = document.querySelector(".report-filters");
const note = document.getElementById("reports-map-note");
const map = L.map(element, { scrollWheelZoom: false }).setView(config.center, config.zoom);
if (config.tileUrl) L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
const layer = L.layerGroup().addTo(map);
let controller = null;

function filterParams() {
  const params = new URLSearchParams(filters ? new FormData(filters) : undefined);
  for (const [key, value] of [...params]) if (!value) params.delete(key);
  return params;
}

function draw(collection) {
  layer.clearLayers();
  for (const feature of collection.features) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    if (p.cluster) {
      const size = Math.min(60, 24 + Math.log2(p.count) * 4);
      const icon = L.divIcon({ className: "report-cluster", html: `<span>${p.count}</span>`, iconSize: [size, size] });
      L.marker([lat, lon], { icon, keyboard: true, title: interpolate(ngettext("%s report", "%s reports", p.count), [p.count]) })
        .on("click", () => map.setView([lat, lon], Math.min(map.getZoom() + 2, 18)))
        .addTo(layer);
    } else {
      const marker = L.circleMarker([lat, lon], { radius: 8, color: p.open ? "#b3261e" : "#2e7d32", fillOpacity: 0.8 });
      const link = document.createElement("a");
      link.href = p.url;
      link.textContent = `${p.icon || ""} ${p.category_name} #${feature.id} · ${p.state_label}`;
      marker.bindPopup(link).addTo(layer);
    }
  }
  element.dataset.loaded = String(collection.features.length);
  if (note) {
    note.hidden = !collection.truncated;
    note.textContent = collection.truncated ? note.dataset.truncated : "";
  }
}

function load() {
  const bounds = map.getBounds();
  const params = filterParams();
  params.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((n) => n.toFixed(5)).join(","));
  params.set("zoom", String(map.getZoom()));
  if (controller) controller.abort();
  controller = new AbortController();
  fetch(`${element.dataset.apiUrl}?${params}`, { headers: { Accept: "application/geo+json" }, signal: controller.signal })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.statusText)))
    .then(draw)
    .catch((error) => { if (error.name !== "AbortError") element.dataset.loaded = "error"; });
}

map.on("moveend", load);
load();
