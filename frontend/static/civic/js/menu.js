// On phones the main menu folds behind a button; without JavaScript it simply stays open.
const toggle = document.querySelector(".site-menu__toggle");
const nav = document.getElementById("site-nav");
if (toggle && nav) {
  toggle.hidden = false;
  nav.classList.add("is-collapsed");
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    nav.classList.toggle("is-collapsed", open);
    if (!open) nav.querySelector("a, input")?.focus();
  });
}
