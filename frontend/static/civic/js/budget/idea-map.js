// Tap the map to place an idea: fills the hidden latitude/longitude fields of the form.
const config = JSON.parse(document.getElementById("map-config").textContent);
const element = document.getElementById("idea-map");
const lat = document.getElementById("id_latitude");
const lon = document.getElementById("id_longitude");
const map = L.map(element, { scrollWheelZoom: false }).setView(config.center, config.zoom);
if (config.tileUrl) L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
let marker = null;
function place(latlng) {
  if (marker) marker.setLatLng(latlng);
  else marker = L.marker(latlng, { keyboard: false }).addTo(map);
  lat.value = latlng.lat.toFixed(6);
  lon.value = latlng.lng.toFixed(6);
}
if (lat.value && lon.value) place(L.latLng(Number(lat.value), Number(lon.value)));
map.on("click", (event) => place(event.latlng));
