// Response templates in the staff form: choosing one fills the public update and the state at once.
// Without JavaScript the "Use this template" button reloads the form with the same result.

for (const box of document.querySelectorAll("[data-response-templates]")) {
  const form = box.closest("form");
  const select = box.querySelector("select");
  const button = box.querySelector("[data-use-template]");
  const status = box.querySelector("[data-template-status]");
  const text = form.querySelector("textarea[name=text]");
  const state = form.querySelector("select[name=new_state]");
  if (button) button.remove(); // choosing fills the form at once; the reload is for browsers without JavaScript

  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    if (!option || !option.value) return;
    if (text) text.value = option.dataset.text;
    if (state && option.dataset.state) {
      state.value = option.dataset.state;
      state.dispatchEvent(new Event("change", { bubbles: true }));
    }
    status.textContent = "";
    window.setTimeout(() => { status.textContent = status.dataset.message; }, 100);
  });
}
