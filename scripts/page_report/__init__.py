"""Measure what a reader sees on each page of the built book, in headless Chromium.

    .venv/bin/jupyter-book build -W --keep-going .     # first: this script builds nothing
    .venv/bin/python -m scripts.page_report             # every page of _build/html at 1280 px
    .venv/bin/python -m scripts.page_report chapters/07_mnist --width 390 --no-axe

For each page, at the given window width:

- code cells whose code is wider than its box (a horizontal scroll bar hides the rest), with the
  cell's number on the page (1 = the page's first cell, counting cells whose input is hidden),
  its first line and its longest line in characters; collapsed solutions and hidden inputs are
  measured as if opened;
- outputs that scroll or spill past the content column (text, tables, HTML), with their first
  60 characters, and text outputs that wrap (_static/course.css wraps them, as JupyterLab
  does) with their longest line; code blocks and tables outside cells are reported as
  "blocks";
- figures: shown and natural width, an estimate of the size of their tick labels on the screen
  (the course style's 9 pt at the PNG's dpi, times the shown/natural ratio), whether the
  background is transparent (unreadable on the dark theme) and whether they have alt text; a
  figure below 60% of its natural width, with labels under 9 px, a transparent background or
  no alt text (or only a file name) is flagged BAD;
- axe-core's serious and critical violations, by rule, with the offending elements' selectors:
  every default rule in light mode, then the rules that depend on colours (COLOUR_RULES) in dark
  mode (the theme's ``data-theme``; elements, names and roles do not change with the mode).

The package, by concern: ``server`` (the book's pages served over 127.0.0.1, MathJax unpacked),
``harness`` (Chromium through Playwright: an offline context, a tab that waits for MathJax),
``layout`` (``measure.js``: code cells, outputs, figures), ``verdicts`` (what counts as a
problem), ``axe`` (axe-core in light and dark mode), ``report`` (a page's report, printed) and
``__main__`` (the command line). The JavaScript run in the pages is in the ``.js`` files here.

The browser test (tests/book/test_browser.py) runs the same measurements on every page and fails
on a regression; tests/notebooks/test_figures.py checks the stored figures without a browser.
Both browser runs need /usr/bin/chromium and the npm packages ``mathjax`` and
``axe-core`` that ``scripts/setup_env.sh`` packs into ``.venv/wheelhouse``; the pages are
served over 127.0.0.1 and every request that leaves it is aborted (MathJax's CDN is answered
from the local copy).
"""
