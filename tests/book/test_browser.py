"""Open every page of the built book in headless Chromium (Playwright + Debian's chromium).

The book is built by the session fixture ``built_book`` (tests/conftest.py) and served over
``http://127.0.0.1`` from a thread. Every page is opened once in a 1280 px wide window and once
in a 390 px wide phone window; the measurements come from ``scripts/page_report.py`` (which the
lead runs by hand with ``.venv/bin/python -m scripts.page_report``).

At 1280 px, for every page:

- no JavaScript console error, no uncaught exception, no failed request and no HTTP error for
  the site's own resources; every image has loaded; MathJax has typeset every formula;
- a chapter page has its Colab launch link and a download button whose file (fetched as a
  reader's click fetches it) is the chapter's notebook; its exercise solutions are collapsed
  until opened, every toggle is keyboard-reachable and the first opens with Enter;
- nothing a reader needs is clipped: no output (text, table, HTML) and no code block outside
  cells scrolls or spills past the column, and at most 5% of the book's code cells do;
- every figure is shown at 60% of its natural width or more, its tick labels are 9 px or
  more (estimated), its background is opaque (the dark theme dims images) and it has alt text;
- axe-core 4.14 finds no serious or critical violation: every default rule in light mode, the
  colour rules in dark mode;
- screenshots of the first screen (and of a chapter's first figure) in light and dark mode are
  saved to ``screenshots/`` (git-ignored).

At 390 px, every page loads without a console error, an uncaught exception or a failed request.
And the search page finds a chapter for "tree_map". (tests/book/test_reader_features.py checks
the edit and issue links, the social cards and the environment page in the built HTML.)

Two first-visit effects are handled explicitly, and nothing else is excused:

- sphinx-book-theme logs "Got invalid theme mode: . Resetting to auto." when local storage has
  no theme yet: every page is opened as by a returning reader, whose browser has stored
  ``mode``/``theme`` (an init script sets them before the page's own scripts run);
- Chromium asks for ``/favicon.ico`` unless the page names an icon: the book has one
  (``_static/favicon.png``, ``html.favicon`` in _config.yml), and a request for it fails the test.

Without /usr/bin/chromium or the npm packages (MathJax, axe-core) that scripts/setup_env.sh packs
the tests are skipped, unless COURSE_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from scripts import page_report
from scripts.chapters import REPO, colab_url

SCREENSHOTS = REPO / "screenshots"
MAX_CODE_OVERFLOW = 0.05  # of the book's code cells


@dataclass
class Visit:
    problems: list[str] = field(default_factory=list)  # at 1280 px
    report: page_report.PageReport | None = None
    phone: list[str] = field(default_factory=list)  # at 390 px


def _shot(page, name: str, suffix: str = "") -> None:
    """The first screen (full pages are slow to capture)."""
    stem = name.replace("/", "__").removesuffix(".html") + suffix
    page.screenshot(path=str(SCREENSHOTS / f"{stem}.png"), full_page=False)


def _broken_images(page) -> list[str]:
    return page.evaluate("""async () => {
        const images = Array.from(document.images);
        await Promise.all(images.filter(i => !i.complete).map(i => new Promise(r => {
            i.addEventListener('load', r); i.addEventListener('error', r);
            setTimeout(r, 5000); })));
        return images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src);
    }""")


def _chapter_problems(page, name: str) -> list[str]:
    """Launch, download, edit and issue links; solutions collapsed and keyboard-operable."""
    problems, stem = [], Path(name).stem
    want = colab_url(f"chapters/{stem}")
    links = page.eval_on_selector_all(".dropdown-launch-buttons a", "as => as.map(a => a.href)")
    if want not in links:
        problems.append(f"no Colab launch link {want} (launch links: {links})")

    download = page.eval_on_selector_all(
        "a.btn-download-source-button", "as => as.map(a => a.href)"
    )
    if not download or not download[0].endswith(f"/_sources/chapters/{stem}.ipynb"):
        problems.append(f"no download button for {stem}.ipynb (download links: {download})")
    else:
        response = page.request.get(download[0])
        try:
            nb = nbformat.reads(response.text(), as_version=4)
            nbformat.validate(nb)
            title = next(c.source for c in nb.cells if c.cell_type == "markdown")
            heading = page.inner_text("article h1")
            if title.splitlines()[0].removeprefix("# ").replace("`", "").strip() not in heading:
                problems.append(f"the downloaded notebook is not this chapter: {title[:60]!r}")
        except (json.JSONDecodeError, nbformat.ValidationError, StopIteration) as error:
            problems.append(f"the download button's file is no notebook: {error}")

    solutions = page.locator(".solution.dropdown")
    count = solutions.count()
    if count == 0:
        problems.append("no exercise solution dropdowns")
    for i in range(count):
        body = solutions.nth(i).locator("section")
        if body.count() and body.first.is_visible():
            problems.append(f"solution {i + 1} of {count} is open before a click")
    buttons = page.locator(".solution.dropdown button.toggle-button")
    unreachable = buttons.evaluate_all("bs => bs.filter(b => b.disabled || b.tabIndex < 0).length")
    if unreachable:
        problems.append(f"{unreachable} solution toggle buttons are not keyboard-reachable")
    if count:
        # The toggle button on the title's right, operated from the keyboard. (A click on the
        # title's link text, "Solution to Exercise N", follows the link instead.)
        solutions.first.locator("button.toggle-button").first.focus()
        page.keyboard.press("Enter")
        try:
            solutions.first.locator("section").first.wait_for(state="visible", timeout=5000)
        except Exception:
            problems.append("Enter on the first solution's toggle button does not open it")
    return problems


def _page_problems(page, name: str) -> list[str]:
    problems = [f"image not loaded: {src}" for src in _broken_images(page)]
    if name.startswith("chapters/"):
        problems += _chapter_problems(page, name)
    return problems


@pytest.fixture(scope="module")
def visits(browser, site, mathjax, axe) -> dict[str, Visit]:
    """Every page, visited once at 1280 px (light then dark) and once at 390 px."""
    html, base = site
    names = page_report.pages(html)
    assert "index.html" in names and "search.html" in names, names
    assert any(n.startswith("chapters/") for n in names), names
    SCREENSHOTS.mkdir(exist_ok=True)
    visits = {name: Visit() for name in names}

    wide = page_report.offline_context(browser, base, mathjax, page_report.WIDE)
    tab = page_report.Tab(wide, base)
    for name in names:
        page = tab.visit(base + name)
        visit = visits[name]
        try:
            visit.problems += _page_problems(page, name)
            page.evaluate("window.scrollTo(0, 0)")  # the keyboard check scrolled to a solution
            _shot(page, name)
            figure = page.locator("article .cell_output img").first
            has_figure = name.startswith("chapters/") and figure.count()
            if has_figure:
                figure.scroll_into_view_if_needed()
                page.wait_for_timeout(100)
                _shot(page, name, "--figure")
            visit.report = page_report.report_page(page, name)  # ends in dark mode
            if has_figure:
                _shot(page, name, "--figure-dark")
            page.evaluate("window.scrollTo(0, 0)")
            _shot(page, name, "--dark")
        except Exception as error:  # one broken page must not hide the others' results
            visit.problems.append(f"the test could not measure the page: {error!r}")
        visit.problems = list(tab.problems) + visit.problems
    tab.close()
    wide.close()

    phone = page_report.offline_context(browser, base, mathjax, page_report.PHONE)
    tab = page_report.Tab(phone, base)
    for name in names:
        tab.visit(base + name)
        visits[name].phone = list(tab.problems)
    tab.close()
    phone.close()
    return visits


def _failures(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}:\n  " + "\n  ".join(p) for name, p in found.items() if p)


def test_every_page_works(visits):
    failures = {name: v.problems for name, v in visits.items() if v.problems}
    assert not failures, _failures(failures)


def test_every_page_works_on_a_phone(visits):
    """At 390 px: no console error, uncaught exception or failed request."""
    failures = {name: v.phone for name, v in visits.items() if v.phone}
    assert not failures, "at 390 px:\n" + _failures(failures)


def _reports(visits) -> list[page_report.PageReport]:
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


def test_figures_are_shown_at_reading_size(visits):
    failures = {
        r.name: [
            f"figure of cell {f['cell']} ({f['shown']} of {f['natural']} px): "
            + page_report.figure_problem(f)
            for f in r.layout.bad_figures
        ]
        for r in _reports(visits)
    }
    failures = {name: found for name, found in failures.items() if found}
    assert not failures, (
        f"figures must be shown at {page_report.MIN_FIGURE_RATIO:.0%} of their natural width "
        f"or more, with tick labels of {page_report.MIN_LABEL_PX} px or more, on an opaque "
        "background, with alt text:\n" + _failures(failures)
    )


@pytest.mark.parametrize("mode", page_report.MODES)
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


def test_figure_check_knows_the_course_style():
    """The tick-label estimate assumes the course style's tick label size."""
    from helpers.plotting import STYLE

    assert STYLE["xtick.labelsize"] == page_report.TICK_LABEL_PT


def test_search_finds_tree_map(context, site):
    _, base = site
    tab = page_report.Tab(context, base)
    page = tab.visit(base + "search.html?q=tree_map")
    page.wait_for_selector("#search-results ul.search li a", timeout=20000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    tab.close()
    assert any("/chapters/" in href for href in hits), (
        f"no chapter among the hits for tree_map: {hits}"
    )
    assert not tab.problems, tab.problems
