// Follow buttons ({% follow_button %}): toggle without leaving the page. Without JavaScript the
// form posts and the server redirects back, so this module only enhances it.
const busy = new WeakSet();

function render(form, following) {
  const button = form.querySelector("button[aria-pressed]");
  button.setAttribute("aria-pressed", following ? "true" : "false");
  const icon = button.querySelector(".follow-button__icon");
  if (icon) icon.textContent = following ? "✓" : "+";
  form.elements.action.value = following ? "unfollow" : "follow";
}

function sameTarget(form) {
  const type = form.elements.content_type_id.value;
  const pk = form.elements.object_pk.value;
  return Array.from(document.querySelectorAll("form[data-follow-form]")).filter(
    (other) => other.elements.content_type_id.value === type && other.elements.object_pk.value === pk,
  );
}

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-follow-form]");
  if (!form) return;
  event.preventDefault();
  if (busy.has(form)) return;
  busy.add(form);
  const button = form.querySelector("button[aria-pressed]");
  button.setAttribute("aria-busy", "true");
  try {
    // getAttribute: form.action would be the input named "action".
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = await response.json();
    for (const other of sameTarget(form)) render(other, data.following);
    const status = form.querySelector("[role=status]");
    if (status) status.textContent = data.message;
  } catch (error) {
    form.submit(); // let the server answer the plain way
  } finally {
    button.removeAttribute("aria-busy");
    busy.delete(form);
  }
});
