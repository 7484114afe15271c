"""Accessibility: axe-core's violations, in light and dark mode."""

from __future__ import annotations

import functools
import tarfile
from pathlib import Path

from scripts.page_report.harness import script
from scripts.wheelhouse import npm_tgz

AXE_TGZ = npm_tgz("axe-core")
SEVERE = ("serious", "critical")  # the axe-core impacts that count
MODES = ("light", "dark")
# The rules whose result depends on colours: the only ones that can differ in dark mode, where
# the page's elements, names and roles are those of light mode.
COLOUR_RULES = ("color-contrast", "link-in-text-block")


@functools.cache
def axe_source(tgz: Path = AXE_TGZ) -> str:
    """axe.min.js from the npm package in the wheelhouse."""
    with tarfile.open(tgz) as tar:
        return tar.extractfile("package/axe.min.js").read().decode()


def set_mode(page, mode: str) -> None:
    """Switch the theme to ``light`` or ``dark``, as the theme's own switch does."""
    page.evaluate(script("set_mode.js"), mode)


def axe_violations(page, rules=None, impacts=SEVERE) -> list[dict]:
    """axe-core's violations of the given impacts on the page as it is now (all of axe's
    default rules, or only ``rules``): rule, impact, help and the offending nodes (target
    selector, html, failure summary)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(script("axe_run.js"), [list(impacts), list(rules) if rules else None])
