// Enhances the report form: a pin placed by tapping, dragging or "use my position", the questions of the
// chosen category only, and open reports nearby. Without JavaScript the form works with typed coordinates.
const form = document.getElementById("report-form");
const config = JSON.parse(document.getElementById("map-config").textContent);
const latInput = document.getElementById("id_latitude");
const lonInput = document.getElementById("id_longitude");
const status = document.getElementById("locate-status");
const locate = document.getElementById("locate-me");
const mapElement = document.getElementById("report-form-map");

const map = L.map(mapElement).setView(config.center, Math.max(config.zoom, 15));
if (config.tileUrl) L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
let marker = null;

function place(lat, lon, { pan = true } = {}) {
  latInput.value = lat.toFixed(6);
  lonInput.value = lon.toFixed(6);
  if (!marker) {
    marker = L.marker([lat, lon], { draggable: true, keyboard: true, title: gettext("Position of the problem") }).addTo(map);
    marker.on("dragend", () => { const p = marker.getLatLng(); place(p.lat, p.lng, { pan: false }); });
  } else {
    marker.setLatLng([lat, lon]);
  }
  if (pan) map.setView([lat, lon], Math.max(map.getZoom(), 17));
  nearby();
}

map.on("click", (event) => place(event.latlng.lat, event.latlng.lng, { pan: false }));
const initialLat = parseFloat(latInput.value);
const initialLon = parseFloat(lonInput.value);
if (!Number.isNaN(initialLat) && !Number.isNaN(initialLon)) place(initialLat, initialLon);

if ("geolocation" in navigator) {
  locate.hidden = false;
  locate.addEventListener("click", () => {
    status.textContent = gettext("Looking for your position…");
    navigator.geolocation.getCurrentPosition(
      (position) => { place(position.coords.latitude, position.coords.longitude); status.textContent = gettext("Position found: move the pin if needed."); },
      () => { status.textContent = gettext("Your position could not be found: tap the map instead."); },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  });
}

function chosenCategory() {
  const checked = form.querySelector('input[name="category"]:checked');
  return checked ? checked.value : "";
}

function showQuestions() {
  const code = chosenCategory();
  for (const fieldset of form.querySelectorAll(".report-form__questions")) fieldset.hidden = fieldset.dataset.category !== code;
}

const nearbySection = document.getElementById("nearby");
const nearbyList = document.getElementById("nearby-list");
function nearby() {
  const code = chosenCategory();
  if (!code || !latInput.value || !lonInput.value) return;
  const params = new URLSearchParams({ category: code, lat: latInput.value, lon: lonInput.value });
  fetch(`${form.dataset.nearbyUrl}?${params}`, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : { results: [] }))
    .then((data) => {
      nearbyList.replaceChildren();
      for (const report of data.results) {
        const item = document.createElement("li");
        item.className = "report-card";
        if (report.thumbnail) item.append(Object.assign(document.createElement("img"), { src: report.thumbnail, alt: "", width: 96, height: 72, className: "report-card__photo" }));
        const text = document.createElement("div");
        const link = Object.assign(document.createElement("a"), { href: report.url, textContent: `#${report.id} ${report.description}` });
        const state = Object.assign(document.createElement("span"), { className: `report-state report-state--${report.state}`, textContent: report.state_label });
        const meta = Object.assign(document.createElement("p"), { className: "report-card__meta", textContent: interpolate(gettext("%s m away"), [report.distance]) });
        text.append(link, " ", state, meta);
        const button = Object.assign(document.createElement("button"), { type: "submit", className: "button", textContent: gettext("This is my problem too") });
        button.setAttribute("formaction", report.support_url);
        button.setAttribute("formnovalidate", "");
        item.append(text, button);
        nearbyList.append(item);
      }
      nearbySection.hidden = data.results.length === 0;
    })
    .catch(() => {});
}

form.addEventListener("change", (event) => {
  if (event.target.name === "category") { showQuestions(); nearby(); }
  if (event.target === latInput || event.target === lonInput) {
    const lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    if (!Number.isNaN(lat) && !Number.isNaN(lon)) place(lat, lon);
  }
});
showQuestions();

// The chosen category's required questions are checked here before anything is sent (the server checks
// them again): the first empty one gets its message and the focus, and the photos are not uploaded for nothing.
function fieldOf(input) { return input.closest(".field"); }

function clearError(field) {
  field.classList.remove("field--error");
  field.querySelector(".field__errors--client")?.remove();
  for (const input of field.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

function unanswered() {
  const missing = [];
  for (const fieldset of form.querySelectorAll(".report-form__questions:not([hidden])")) {
    const names = new Set([...fieldset.querySelectorAll("[data-question-required]")].map((input) => input.name));
    for (const name of names) {
      const inputs = [...fieldset.querySelectorAll(`[name="${CSS.escape(name)}"]`)];
      const answered = inputs.some((input) => (input.type === "checkbox" || input.type === "radio" ? input.checked : input.value.trim() !== ""));
      const field = fieldOf(inputs[0]);
      clearError(field);
      if (!answered) missing.push({ field, input: inputs[0] });
    }
  }
  return missing;
}

form.addEventListener("submit", (event) => {
  if (event.submitter && event.submitter.hasAttribute("formnovalidate")) return;
  const missing = unanswered();
  if (!missing.length) return;
  event.preventDefault();
  for (const { field, input } of missing) {
    const label = field.querySelector("label").firstChild.textContent.trim();
    const errors = Object.assign(document.createElement("ul"), { className: "field__errors field__errors--client", id: `${input.id}-client-errors` });
    errors.append(Object.assign(document.createElement("li"), { textContent: interpolate(gettext("Please answer “%s”."), [label]) }));
    field.querySelector("label").after(errors);
    field.classList.add("field--error");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", errors.id);
  }
  missing[0].input.focus();
});
form.addEventListener("change", (event) => {
  const field = event.target.closest?.(".report-form__questions .field--error");
  if (field && event.target.value) clearError(field);
});

// Photos go to the server as soon as they are chosen, once: the form then carries only their tokens, so a
// submission retried on a weak signal sends no photo again. If this upload fails, the file stays in the
// input and goes with the form, as without JavaScript.
const photoInput = document.getElementById("id_photos");
const keptBox = document.getElementById("kept-photos");
const keptList = document.getElementById("kept-photos-list");
const photoStatus = document.getElementById("photo-status");

function addKept(photo) {
  const item = Object.assign(document.createElement("li"), { className: "kept-photo" });
  const token = Object.assign(document.createElement("input"), { type: "hidden", name: "kept_photo", value: photo.token });
  const image = Object.assign(document.createElement("img"), { src: photo.thumbnail, alt: "", width: 96, height: 72, className: "kept-photo__image" });
  const name = Object.assign(document.createElement("span"), { className: "kept-photo__name", textContent: photo.name });
  const remove = Object.assign(document.createElement("span"), { className: "field--checkbox" });
  const box = Object.assign(document.createElement("input"), { type: "checkbox", name: "remove_photo", value: photo.token, id: `remove-photo-${photo.token}` });
  const label = Object.assign(document.createElement("label"), { htmlFor: box.id, textContent: interpolate(gettext("Remove %s"), [photo.name]) });
  remove.append(box, " ", label);
  item.append(token, image, " ", name, " ", remove);
  keptList.append(item);
  keptBox.hidden = false;
}

photoInput.addEventListener("change", () => {
  if (!photoInput.files.length) return;
  const body = new FormData();
  body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
  for (const file of photoInput.files) body.append("photos", file);
  photoStatus.textContent = gettext("Sending the photos…");
  fetch(form.dataset.photoUrl, { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => {
      // Too many photos sent ahead (429): keep the files in the form, which sends them itself.
      if (response.status === 429) throw new Error("rate limited");
      return response.json();
    })
    .then((data) => {
      for (const photo of data.photos) addKept(photo);
      photoInput.value = "";
      const received = data.photos.length ? interpolate(ngettext("%s photo received.", "%s photos received.", data.photos.length), [data.photos.length]) : "";
      photoStatus.textContent = [received, ...data.errors].join(" ");
    })
    .catch(() => { photoStatus.textContent = gettext("The photos will be sent with the report."); });
});

const summary = document.getElementById("error-summary");
if (summary) summary.focus();
