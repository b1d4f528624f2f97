// Enhances the email alert form: choose the centre of the alert by tapping a small map, dragging the pin or
// "Use my location"; a circle shows the radius and follows the radius field. The latitude/longitude fields
// stay (typed positions move the pin), so the form works without JavaScript and from the keyboard.
const picker = document.getElementById("alert-map-picker");
const form = picker.closest("form");
const config = JSON.parse(document.getElementById("alert-map-config").textContent);
const latInput = form.querySelector('input[name="latitude"]');
const lonInput = form.querySelector('input[name="longitude"]');
const radiusInput = form.querySelector('input[name="radius"]');
const pointChoice = form.querySelector('input[name="where"][value="point"]');
const status = document.getElementById("alert-map-status");
const locate = document.getElementById("alert-locate-me");

picker.hidden = false;
form.classList.add("report-alert-form--map");
const map = L.map(document.getElementById("alert-map"), { scrollWheelZoom: false }).setView(config.center, Math.max(config.zoom, 14));
if (config.tileUrl) L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
// Without animation: Leaflet ignores a new view asked during a zoom animation (quick typing, two fields).
const FIT = { padding: [16, 16], maxZoom: 17, animate: false };
let marker = null;
let circle = null;

function radius() {
  const value = parseInt(radiusInput.value, 10);
  return Number.isNaN(value) || value <= 0 ? null : value;
}

function announce(prefix = "") {
  const metres = radius();
  status.textContent = prefix + (metres
    ? interpolate(gettext("Alert centre: latitude %(lat)s, longitude %(lon)s, radius %(radius)s metres."), { lat: latInput.value, lon: lonInput.value, radius: metres }, true)
    : interpolate(gettext("Alert centre: latitude %(lat)s, longitude %(lon)s. Give a radius."), { lat: latInput.value, lon: lonInput.value }, true));
}

function drawCircle() {
  const metres = radius();
  if (!marker || !metres) {
    if (circle) { circle.remove(); circle = null; }
    return;
  }
  if (!circle) circle = L.circle(marker.getLatLng(), { radius: metres, color: "#1d4f91", weight: 2, fillOpacity: 0.12, interactive: false }).addTo(map);
  circle.setLatLng(marker.getLatLng());
  circle.setRadius(metres);
}

function place(lat, lon, { write = true, pan = true, speak = true } = {}) {
  if (write) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
  }
  if (!marker) {
    marker = L.marker([lat, lon], { draggable: true, keyboard: true, title: gettext("Centre of the alert"), alt: gettext("Centre of the alert") }).addTo(map);
    marker.on("drag", () => { if (circle) circle.setLatLng(marker.getLatLng()); });
    marker.on("dragend", () => { const p = marker.getLatLng(); place(p.lat, p.lng, { pan: false }); });
  } else {
    marker.setLatLng([lat, lon]);
  }
  if (pointChoice) pointChoice.checked = true;
  drawCircle();
  if (pan) {
    if (circle) map.fitBounds(circle.getBounds(), FIT);
    else map.setView([lat, lon], Math.max(map.getZoom(), 15), { animate: false });
  }
  if (speak) announce();
}

function typedPoint() {
  const lat = parseFloat(latInput.value.replace(",", "."));
  const lon = parseFloat(lonInput.value.replace(",", "."));
  return Number.isNaN(lat) || Number.isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 ? null : [lat, lon];
}

map.on("click", (event) => place(event.latlng.lat, event.latlng.lng, { pan: false }));
const initial = typedPoint();
if (initial) place(...initial, { write: false, speak: false });

for (const input of [latInput, lonInput]) {
  input.addEventListener("change", () => { const point = typedPoint(); if (point) place(...point, { write: false }); });
}
radiusInput.addEventListener("input", () => {
  drawCircle();
  if (circle && !map.getBounds().contains(circle.getBounds())) map.fitBounds(circle.getBounds(), FIT);
});
radiusInput.addEventListener("change", () => { if (marker) announce(); });

if ("geolocation" in navigator) {
  locate.hidden = false;
  locate.addEventListener("click", () => {
    status.textContent = gettext("Looking for your location…");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        place(position.coords.latitude, position.coords.longitude, { speak: false });
        announce(`${gettext("Location found: move the pin if needed.")} `);
      },
      (error) => {
        status.textContent = error.code === error.PERMISSION_DENIED
          ? gettext("Your browser refused to give your location: tap the map or type the position below.")
          : gettext("Your location could not be found: tap the map or type the position below.");
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
    );
  });
}

