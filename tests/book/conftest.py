"""Fixtures of the browser test: the built book served over 127.0.0.1, Chromium, MathJax offline.

The book loads MathJax 3 from its CDN. The tests have no network, so those requests are answered
from the npm package ``mathjax`` that ``scripts/setup_env.sh`` puts in ``.venv/wheelhouse``;
every other request that leaves 127.0.0.1 is aborted. axe-core (``axe-core``, the same
wheelhouse) is injected into the pages by ``scripts/page_report/``, which holds the serving,
routing and measuring code that the test and the page report share.

Without /usr/bin/chromium or one of the two packages the browser tests are skipped, unless
COURSE_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scripts.page_report.axe import AXE_TGZ, axe_source
from scripts.page_report.harness import CHROMIUM, CHROMIUM_ARGS, WIDE, offline_context
from scripts.page_report.server import MATHJAX_TGZ, serve, unpack_mathjax


def _require(path: Path, how: str) -> None:
    if path.exists():
        return
    reason = f"{path} is missing ({how})"
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + ", and COURSE_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site(built_book):
    """The built book, served over http://127.0.0.1 from a thread; yields (html dir, base URL)."""
    _require(CHROMIUM, "apt-get install -y chromium")
    html, build = built_book
    assert (html / "index.html").is_file(), (
        f"the book did not build:\n{build.stdout[-3000:]}{build.stderr[-3000:]}"
    )
    with serve(html) as base:
        yield html, base


@pytest.fixture(scope="module")
def mathjax(tmp_path_factory) -> Path:
    """The es5/ folder of MathJax (scripts/wheelhouse.py), unpacked from the wheelhouse."""
    _require(MATHJAX_TGZ, "run `bash scripts/setup_env.sh`: it uses npm pack")
    return unpack_mathjax(tmp_path_factory.mktemp("mathjax"))


@pytest.fixture(scope="module")
def axe() -> str:
    """axe.min.js of axe-core (scripts/wheelhouse.py), from the wheelhouse."""
    _require(AXE_TGZ, "run `bash scripts/setup_env.sh`: it uses npm pack")
    return axe_source()


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser, site, mathjax):
    """A 1280 px wide window that reaches only the served book (MathJax answered locally)."""
    _, base = site
    context = offline_context(browser, base, mathjax, WIDE)
    yield context
    context.close()
