// Moves the focus to the element named by this script's data-target (an error summary), so
// that a screen reader reads it first. A classic script (not a module): document.currentScript.
(function () {
  const target = document.getElementById(document.currentScript.dataset.target);
  if (target) target.focus();
})();
