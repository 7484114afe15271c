"""Chromium through Playwright: a context that reaches only the served book, and a tab that
visits page after page, waits for MathJax and collects each page's console and request errors.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"
WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@functools.cache
def script(name: str) -> str:
    """The JavaScript of ``name``, one of the ``.js`` files next to this module."""
    return (Path(__file__).parent / name).read_text()


def offline_context(browser, base: str, mathjax: Path, viewport: dict = WIDE):
    """A browser context that reaches only ``base``, with MathJax's CDN answered locally."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script(script("returning_reader.js"))

    def route(route):  # every request that would leave `base`
        url = route.request.url
        if url.startswith(MATHJAX_CDN + "es5/"):
            local = mathjax / urlsplit(url).path.split("/es5/", 1)[1]
            if local.is_file():
                return route.fulfill(path=str(local))
        return route.abort()

    # The pattern is matched in the browser's driver, so the site's own requests never wait for
    # a Python callback (that made each page load about twice as slow).
    context.route(re.compile("^(?!" + re.escape(base) + ")"), route)
    return context


class Tab:
    """One browser tab that visits page after page (a new tab per page costs a new renderer
    process: about twice the time). ``problems`` lists the current page's console errors,
    uncaught exceptions, failed requests and HTTP errors for the site's own resources."""

    def __init__(self, context, base: str):
        self.page = context.new_page()
        self.problems: list[str] = []
        _watch(self.page, base, self.problems)

    def visit(self, url: str):
        """Open ``url`` and wait until it is loaded: scripts, images, fonts and MathJax's
        typesetting. Returns the page; ``problems`` then holds this page's problems only."""
        self.problems.clear()
        self.page.goto(url, wait_until="load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        if not wait_for_math(self.page):
            raw = self.page.evaluate(script("math_untypeset.js"))
            self.problems.append(f"math not typeset by MathJax, e.g. {raw}")
        return self.page

    def close(self) -> None:
        self.page.close()


def _watch(page, own: str, problems: list[str]) -> None:
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
    # net::ERR_ABORTED is a request the browser cancelled itself, as when the tab moves to the
    # next page while the favicon (fetched after the load event) is on its way; a missing file
    # shows as an HTTP error below.
    page.on(
        "requestfailed",
        lambda r: (
            r.url.startswith(own)
            and "ERR_ABORTED" not in (r.failure or "")
            and problems.append(f"request failed: {r.url} ({r.failure})")
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


def wait_for_math(page, timeout: float = 20000) -> bool:
    """Wait until MathJax has typeset every formula (true at once on a page without math)."""
    try:
        page.wait_for_function(script("math_typeset.js"), timeout=timeout)
        return True
    except Exception:
        return False
