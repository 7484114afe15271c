"""Fixtures of the browser test: the built book served over 127.0.0.1, Chromium, MathJax offline.

The book loads MathJax 3 from its CDN. The tests have no network, so those requests are answered
from the npm package ``mathjax@3.2.2`` that ``scripts/setup_env.sh`` puts in ``.venv/wheelhouse``;
every other request that leaves 127.0.0.1 is aborted.
"""

from __future__ import annotations

import functools
import http.server
import os
import tarfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scripts.chapters import REPO

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
MATHJAX_TGZ = (
    Path(os.environ.get("COURSE_WHEELHOUSE", REPO / ".venv" / "wheelhouse")) / "mathjax-3.2.2.tgz"
)
RETURNING_READER = """
try {
  if (!window.localStorage.getItem("mode")) window.localStorage.setItem("mode", "auto");
  if (!window.localStorage.getItem("theme")) window.localStorage.setItem("theme", "light");
} catch (e) {}
"""


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed (apt-get install -y chromium)"
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + ", and COURSE_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site(built_book):
    """The built book, served over http://127.0.0.1 from a thread; yields (html dir, base URL)."""
    _require_chromium()
    html, build = built_book
    assert (html / "index.html").is_file(), (
        f"the book did not build:\n{build.stdout[-3000:]}{build.stderr[-3000:]}"
    )

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(html))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield html, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def mathjax(tmp_path_factory) -> Path:
    """The es5/ folder of MathJax 3.2.2, unpacked from the wheelhouse."""
    if not MATHJAX_TGZ.is_file():
        pytest.fail(f"{MATHJAX_TGZ} is missing: run `bash scripts/setup_env.sh` (it uses npm pack)")
    out = tmp_path_factory.mktemp("mathjax")
    with tarfile.open(MATHJAX_TGZ) as tar:
        tar.extractall(
            out,
            members=[m for m in tar.getmembers() if m.name.startswith("package/es5/")],
            filter="data",
        )
    return out / "package" / "es5"


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser, site, mathjax):
    _, base = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RETURNING_READER)

    def route(route):
        url = route.request.url
        if url.startswith(base):
            return route.continue_()
        if url.startswith(MATHJAX_CDN + "es5/"):
            local = mathjax / urlsplit(url).path.split("/es5/", 1)[1]
            if local.is_file():
                return route.fulfill(path=str(local))
        return route.abort()

    context.route("**/*", route)
    yield context
    context.close()
