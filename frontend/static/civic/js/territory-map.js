// The territory map on the home page: areas from the GeoJSON API, with a list as the accessible alternative.
const config = JSON.parse(document.getElementById("map-config").textContent);
const element = document.getElementById("territory-map");
const list = document.getElementById("territory-areas");

const map = L.map(element, { scrollWheelZoom: false }).setView(config.center, config.zoom);
if (config.bounds) {
  const [west, south, east, north] = config.bounds;
  map.setMaxBounds([[south, west], [north, east]]);
}
if (config.tileUrl) {
  L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
}

function fill(features) {
  list.replaceChildren();
  if (!features.length) {
    const item = document.createElement("li");
    item.textContent = list.dataset.empty;
    list.append(item);
    return;
  }
  for (const feature of features) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.textContent = feature.properties.name;
    button.addEventListener("click", () => {
      const layer = layers.get(feature.id);
      if (layer) {
        map.fitBounds(layer.getBounds());
        layer.openPopup();
        element.scrollIntoView({ behavior: "smooth", block: "center" });
      }
    });
    item.append(button);
    list.append(item);
  }
}

const layers = new Map();
fetch(element.dataset.areasUrl, { headers: { Accept: "application/geo+json" } })
  .then((response) => {
    if (!response.ok) throw new Error(response.statusText);
    return response.json();
  })
  .then((collection) => {
    const geo = L.geoJSON(collection, {
      style: (feature) => ({ color: "#1d4f91", weight: feature.properties.kind === "commune" ? 3 : 1.5, fillOpacity: 0.08 }),
      onEachFeature: (feature, layer) => {
        layers.set(feature.id, layer);
        layer.bindPopup(() => {
          const name = document.createElement("strong");
          name.textContent = feature.properties.name;
          return name;
        });
      },
    }).addTo(map);
    if (collection.features.length) map.fitBounds(geo.getBounds());
    element.dataset.loaded = String(collection.features.length);
    fill(collection.features);
  })
  .catch(() => {
    element.dataset.loaded = "error";
    list.replaceChildren(Object.assign(document.createElement("li"), { textContent: gettext("The areas could not be loaded.") }));
  });
