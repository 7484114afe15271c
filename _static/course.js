// The course's additions to sphinx-book-theme (Jupyter Book includes every _static/*.js).

// A code or output box wider than the column scrolls sideways: keyboard users must reach it
// (axe-core's scrollable-region-focusable). pydata-sphinx-theme gives such boxes tabindex 0,
// and -1 to the others, but only on load, resize and added elements: a box inside a collapsed
// solution gets -1 and keeps it when the solution opens. A ResizeObserver sees the box as it
// opens, however it is opened.
(function () {
  function reachable(pre) {
    if (pre.scrollWidth > pre.clientWidth + 1 && pre.tabIndex < 0) {
      pre.tabIndex = 0;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    const observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { reachable(entry.target); });
    });
    document.querySelectorAll("div.highlight pre, div.cell_output pre").forEach(function (pre) {
      observer.observe(pre);
    });
  });
})();
