// The small map of a report's page: the pin on the site's tiles. The place is also given in words
// beside it (address, area, position), so the map is shown only when this script runs.
const element = document.getElementById("report-place-map");
const config = JSON.parse(document.getElementById("map-config").textContent);
const point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];

element.hidden = false;
const map = L.map(element, { scrollWheelZoom: false }).setView(point, Math.max(config.zoom, 17));
if (config.tileUrl) L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
L.marker(point, { keyboard: false, title: element.dataset.pin, alt: element.dataset.pin }).addTo(map);
element.dataset.loaded = "true";
