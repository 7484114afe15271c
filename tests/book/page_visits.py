"""Every page of the served book, visited as a reader visits it (the browser test's fixture
``visits``): at 1280 px, what the page must offer (images loaded; on a chapter page its launch
and download buttons and its collapsed, keyboard-operable solutions), screenshots, and the
measurements of scripts/page_report; at 390 px, the page's console and request problems.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from scripts.chapters import REPO, colab_url
from scripts.page_report.harness import PHONE, WIDE, Tab, offline_context
from scripts.page_report.report import PageReport, report_page
from scripts.page_report.server import pages

SCREENSHOTS = REPO / "screenshots"


@dataclass
class Visit:
    problems: list[str] = field(default_factory=list)  # at 1280 px
    report: PageReport | None = None
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


def visit_every_page(browser, html: Path, base: str, mathjax: Path) -> dict[str, Visit]:
    """Every page, visited once at 1280 px (light then dark) and once at 390 px."""
    names = pages(html)
    assert "index.html" in names and "search.html" in names, names
    assert any(n.startswith("chapters/") for n in names), names
    SCREENSHOTS.mkdir(exist_ok=True)
    visits = {name: Visit() for name in names}

    wide = offline_context(browser, base, mathjax, WIDE)
    tab = Tab(wide, base)
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
            visit.report = report_page(page, name)  # ends in dark mode
            if has_figure:
                _shot(page, name, "--figure-dark")
            page.evaluate("window.scrollTo(0, 0)")
            _shot(page, name, "--dark")
        except Exception as error:  # one broken page must not hide the others' results
            visit.problems.append(f"the test could not measure the page: {error!r}")
        visit.problems = list(tab.problems) + visit.problems
    tab.close()
    wide.close()

    phone = offline_context(browser, base, mathjax, PHONE)
    tab = Tab(phone, base)
    for name in names:
        tab.visit(base + name)
        visits[name].phone = list(tab.problems)
    tab.close()
    phone.close()
    return visits
