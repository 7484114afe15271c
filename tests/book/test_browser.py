"""Open every page of the built book in headless Chromium (Playwright + Debian's chromium).

The book is built by the session fixture ``built_book`` (tests/conftest.py) and served over
``http://127.0.0.1`` from a thread. Every page is opened once in a 1280 px wide window and once
in a 390 px wide phone window (``page_visits.py``); the measurements come from
``scripts/page_report/`` (which a maintainer runs by hand with ``.venv/bin/python -m
scripts.page_report``).

At 1280 px, for every page:

- no JavaScript console error, no uncaught exception, no failed request and no HTTP error for
  the site's own resources; every image has loaded; MathJax has typeset every formula;
- a chapter page has its Colab launch link and a download button whose file (fetched as a
  reader's click fetches it) is the chapter's notebook; its exercise solutions are collapsed
  until opened, every toggle is keyboard-reachable and the first opens with Enter;
- nothing a reader needs is clipped: no output (text, table, HTML) and no code block outside
  cells scrolls or spills past the column, and at most 5% of the book's code cells do;
- every figure is shown at 60% of its natural width or more and its tick labels are 9 px or
  more (estimated); the alt text, dpi and opaque background of the cells' figures are checked in
  the stored notebooks by tests/notebooks/test_figures.py, which needs no browser, and those of
  images outside cells (the logo) here;
- axe-core 4.14 finds no serious or critical violation: every default rule in light mode, the
  colour rules in dark mode;
- screenshots of the first screen (and of a chapter's first figure) in light and dark mode are
  saved to ``screenshots/`` (git-ignored).

At 390 px, every page loads without a console error, an uncaught exception or a failed request.
And the search page finds a chapter for "tree_map". (tests/book/test_reader_features.py checks
the edit and issue links, the social cards and the environment page in the built HTML.)

Three effects of how the test browses are handled explicitly, and nothing else is excused:

- sphinx-book-theme logs "Got invalid theme mode: . Resetting to auto." when local storage has
  no theme yet: every page is opened as by a returning reader, whose browser has stored
  ``mode``/``theme`` (an init script sets them before the page's own scripts run);
- Chromium asks for ``/favicon.ico`` unless the page names an icon: the book has one
  (``_static/favicon.png``, ``html.favicon`` in _config.yml), and a request for it fails the test.
- the favicon is fetched after the load event, so moving on to the next page can cancel it
  (``net::ERR_ABORTED``, seen once in CI): a request the browser cancelled itself is not
  counted (``scripts/page_report/harness.py``); a missing file is an HTTP error, which is.

Without /usr/bin/chromium or the npm packages (MathJax, axe-core) that scripts/setup_env.sh packs
the tests are skipped, unless COURSE_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import pytest
from page_visits import Visit, visit_every_page

from scripts.page_report.axe import MODES
from scripts.page_report.harness import Tab
from scripts.page_report.report import PageReport
from scripts.page_report.verdicts import (
    MIN_FIGURE_RATIO,
    MIN_LABEL_PX,
    size_problems,
    stored_problems,
)

MAX_CODE_OVERFLOW = 0.05  # of the book's code cells


@pytest.fixture(scope="module")
def visits(browser, site, mathjax, axe) -> dict[str, Visit]:
    """Every page, visited once at 1280 px (light then dark) and once at 390 px."""
    html, base = site
    return visit_every_page(browser, html, base, mathjax)


def _failures(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}:\n  " + "\n  ".join(p) for name, p in found.items() if p)


def test_every_page_works(visits):
    failures = {name: v.problems for name, v in visits.items() if v.problems}
    assert not failures, _failures(failures)


def test_every_page_works_on_a_phone(visits):
    """At 390 px: no console error, uncaught exception or failed request."""
    failures = {name: v.phone for name, v in visits.items() if v.phone}
    assert not failures, "at 390 px:\n" + _failures(failures)


def _reports(visits) -> list[PageReport]:
    return [v.report for v in visits.values() if v.report]


def test_no_output_is_clipped(visits):
    """No output, and no code block or table outside a cell, scrolls or spills sideways."""
    failures = {
        r.name: [
            *(
                f"output of cell {o['cell']}: +{o['excess']} px: {o['text']!r}"
                for o in r.layout.outputs
            ),
            *(f"block: +{b['excess']} px: {b['text']!r}" for b in r.layout.blocks),
        ]
        for r in _reports(visits)
    }
    failures = {name: found for name, found in failures.items() if found}
    assert not failures, (
        "clipped at 1280 px (a scroll bar hides the rest; keep printed lines to 79 characters):\n"
        + _failures(failures)
    )


def test_code_cells_fit_the_column(visits):
    reports = _reports(visits)
    cells = sum(len(r.layout.code) for r in reports)
    over = {
        r.name: [
            f"cell {c['cell']}: longest line {c['longest']} chars (+{c['excess']} px): {c['first']}"
            for c in r.layout.overflowing_code
        ]
        for r in reports
    }
    count = sum(len(v) for v in over.values())
    assert count <= MAX_CODE_OVERFLOW * cells, (
        f"{count} of {cells} code cells ({count / cells:.0%}) are wider than the column at "
        f"1280 px, more than {MAX_CODE_OVERFLOW:.0%} (format code to 79 characters a line):\n"
        + _failures(over)
    )


def _figure_problems(figure: dict) -> list[str]:
    """Its size as shown; for an image outside the cells, which tests/notebooks/test_figures.py
    does not see, also its alt text and background."""
    outside = figure["cell"] is None
    return size_problems(figure) + (stored_problems(figure) if outside else [])


def test_figures_are_shown_at_reading_size(visits):
    failures = {
        r.name: [
            f"figure of cell {f['cell']} ({f['shown']} of {f['natural']} px): "
            + ", ".join(_figure_problems(f))
            for f in r.layout.figures
            if _figure_problems(f)
        ]
        for r in _reports(visits)
    }
    failures = {name: found for name, found in failures.items() if found}
    assert not failures, (
        f"figures must be shown at {MIN_FIGURE_RATIO:.0%} of their natural width or more, "
        f"with tick labels of {MIN_LABEL_PX} px or more (outside cells: on an opaque background, "
        "with alt text):\n" + _failures(failures)
    )


@pytest.mark.parametrize("mode", MODES)
def test_no_serious_accessibility_violations(visits, mode):
    failures = {
        r.name: [
            f"{v['impact']} {v['rule']} ({v['help']}): "
            + ", ".join(n["target"] for n in v["nodes"][:5])
            + (f" and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "")
            for v in r.axe.get(mode, [])
        ]
        for r in _reports(visits)
    }
    failures = {name: found for name, found in failures.items() if found}
    assert not failures, f"axe-core in {mode} mode:\n" + _failures(failures)


def test_search_finds_tree_map(context, site):
    _, base = site
    tab = Tab(context, base)
    page = tab.visit(base + "search.html?q=tree_map")
    page.wait_for_selector("#search-results ul.search li a", timeout=20000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    tab.close()
    assert any("/chapters/" in href for href in hits), (
        f"no chapter among the hits for tree_map: {hits}"
    )
    assert not tab.problems, tab.problems
