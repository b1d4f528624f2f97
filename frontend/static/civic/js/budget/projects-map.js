// Projects on a map (ballot and follow-up pages); the page lists the same projects for whoever skips it.
const config = JSON.parse(document.getElementById("map-config").textContent);
const collection = JSON.parse(document.getElementById("projects-geojson").textContent);
const element = document.getElementById("projects-map");
const colours = { not_started: "#555", studies: "#7a4d00", works: "#1d4f91", done: "#18753c", abandoned: "#b3261e" };

const map = L.map(element, { scrollWheelZoom: false }).setView(config.center, config.zoom);
if (config.tileUrl) L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
const layer = L.geoJSON(collection, {
  pointToLayer: (feature, latlng) =>
    L.circleMarker(latlng, { radius: 9, color: colours[feature.properties.status] || "#1d4f91", weight: 3, fillOpacity: 0.6 }),
  onEachFeature: (feature, marker) => {
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = feature.properties.title;
    box.append(title);
    if (feature.properties.statusLabel) box.append(document.createElement("br"), `${feature.properties.statusLabel} · ${feature.properties.progress} %`);
    const row = document.getElementById(`project-${feature.id}`);
    if (row) {
      const link = document.createElement("a");
      link.href = `#project-${feature.id}`;
      link.textContent = gettext("Go to the project in the list");
      box.append(document.createElement("br"), link);
    }
    marker.bindPopup(box);
  },
}).addTo(map);
if (collection.features.length) map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
