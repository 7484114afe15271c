// The course's additions to sphinx-book-theme (Jupyter Book includes every _static/*.js).

// A code or output box wider than the column scrolls sideways: let keyboard users reach it
// (axe-core's scrollable-region-focusable). Boxes inside collapsed parts are checked again when
// they open.
(function () {
  function reachable() {
    document.querySelectorAll("div.highlight pre, div.cell_output pre").forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth + 1 && !pre.hasAttribute("tabindex")) {
        pre.setAttribute("tabindex", "0");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    reachable();
    document.querySelectorAll("details").forEach(function (d) {
      d.addEventListener("toggle", reachable);
    });
    document.querySelectorAll("button.toggle-button").forEach(function (b) {
      b.addEventListener("click", function () { setTimeout(reachable, 0); });
    });
  });
  window.addEventListener("resize", reachable);
})();
