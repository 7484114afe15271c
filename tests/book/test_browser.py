"""Open every page of the built book in headless Chromium (Playwright + Debian's chromium).

The book is built by the session fixture ``built_book`` (conftest.py) and served over
``http://127.0.0.1`` from a thread. For every page:

- no JavaScript console error and no uncaught exception;
- no failed request, and no HTTP error, for any of the site's own resources;
- every image has loaded (``naturalWidth > 0``);
- pages with math show MathJax output for every formula;
- a chapter page's Colab launch link opens that chapter's notebook on ``main``;
- exercise solutions are collapsed until clicked (the first one's toggle button is clicked);
- a screenshot is saved to ``screenshots/`` (git-ignored).

And the search page finds a chapter for "tree_map".

Two first-visit effects are handled explicitly, and nothing else is excused:

- sphinx-book-theme logs "Got invalid theme mode: . Resetting to auto." when local storage has
  no theme yet: every page is opened as by a returning reader, whose browser has stored
  ``mode``/``theme`` (an init script sets them before the page's own scripts run);
- Chromium asks for ``/favicon.ico`` unless the page names an icon: the book has one
  (``_static/favicon.png``, ``html.favicon`` in _config.yml), and a request for it fails the test.

The book loads MathJax 3 from its CDN. The test has no network, so those requests are answered
from the npm package ``mathjax@3.2.2`` that ``scripts/setup_env.sh`` puts in ``.venv/wheelhouse``;
every other request that leaves 127.0.0.1 is aborted (and any that a page makes shows up as a
console error).

Without /usr/bin/chromium the test is skipped, unless COURSE_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import re
from pathlib import Path

from scripts.chapters import REPO, colab_url

SCREENSHOTS = REPO / "screenshots"


def _pages(html: Path) -> list[str]:
    return sorted(
        str(p.relative_to(html))
        for p in html.rglob("*.html")
        if not p.relative_to(html).parts[0].startswith("_")
    )


def _open(context, url: str):
    """Open a page and record console errors, page errors and failed own requests."""
    page = context.new_page()
    problems: list[str] = []
    base = url.split("/", 3)[:3]
    own = "/".join(base) + "/"
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
    page.on(
        "requestfailed",
        lambda r: (
            r.url.startswith(own) and problems.append(f"request failed: {r.url} ({r.failure})")
        ),
    )
    page.on(
        "response",
        lambda r: (
            r.url.startswith(own)
            and r.status >= 400
            and problems.append(f"HTTP {r.status}: {r.url}")
        ),
    )
    page.goto(url, wait_until="networkidle")
    return page, problems


def test_every_page(context, site):
    html, base = site
    pages = _pages(html)
    chapters = [p for p in pages if p.startswith("chapters/")]
    assert "index.html" in pages and "search.html" in pages and chapters, pages
    SCREENSHOTS.mkdir(exist_ok=True)
    failures = {}
    for name in pages:
        page, problems = _open(context, base + name)
        source = (html / name).read_text()

        broken = page.evaluate("""async () => {
            const images = Array.from(document.images);
            await Promise.all(images.filter(i => !i.complete).map(i => new Promise(r => {
                i.addEventListener('load', r); i.addEventListener('error', r);
                setTimeout(r, 5000); })));
            return images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src);
        }""")
        problems += [f"image not loaded: {src}" for src in broken]

        if re.search(r'class="math[ "]', source):
            try:
                page.wait_for_function(
                    """() => {
                    const math = document.querySelectorAll('.math');
                    return math.length > 0 && Array.from(math).every(
                        m => m.querySelector('mjx-container') !== null
                             || m.tagName === 'MJX-CONTAINER');
                }""",
                    timeout=20000,
                )
            except Exception:
                raw = page.evaluate("""Array.from(document.querySelectorAll('.math'))
                    .filter(m => !m.querySelector('mjx-container'))
                    .slice(0, 3).map(m => m.textContent)""")
                problems.append(f"math not rendered by MathJax, e.g. {raw}")

        if name.startswith("chapters/"):
            want = colab_url(f"chapters/{Path(name).stem}")
            links = page.eval_on_selector_all(
                ".dropdown-launch-buttons a", "as => as.map(a => a.href)"
            )
            if want not in links:
                problems.append(f"no Colab launch link {want} (launch links: {links})")

            solutions = page.locator(".solution.dropdown")
            count = solutions.count()
            if count == 0:
                problems.append("no exercise solution dropdowns")
            for i in range(count):
                body = solutions.nth(i).locator("section")
                if body.count() and body.first.is_visible():
                    problems.append(f"solution {i + 1} of {count} is open before a click")
            if count:
                first = solutions.first
                # The toggle button on the title's right, as a reader clicks it. (A click on the
                # title's link text, "Solution to Exercise N", follows the link instead.)
                first.locator("button.toggle-button").first.click()
                try:
                    first.locator("section").first.wait_for(state="visible", timeout=5000)
                except Exception:
                    problems.append("clicking the first solution's toggle button does not open it")

        page.screenshot(
            path=str(SCREENSHOTS / (name.replace("/", "__").removesuffix(".html") + ".png")),
            full_page=False,
        )  # the first screen: full pages are slow to capture
        page.close()
        if problems:
            failures[name] = problems
    assert not failures, "\n".join(f"{name}:\n  " + "\n  ".join(p) for name, p in failures.items())


def test_search_finds_tree_map(context, site):
    _, base = site
    page, problems = _open(context, base + "search.html?q=tree_map")
    page.wait_for_selector("#search-results ul.search li a", timeout=20000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    page.close()
    assert any("/chapters/" in href for href in hits), (
        f"no chapter among the hits for tree_map: {hits}"
    )
    assert not problems, problems
