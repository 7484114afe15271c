"""What makes a figure hard to read: as shown on the page (only a browser can measure it), and
as stored (its PNG and its cell's alt text, which tests/notebooks/test_figures.py reads from the
stored notebooks)."""

from __future__ import annotations

import re

MIN_FIGURE_RATIO = 0.6  # a figure shown below 60% of its natural width is too small to read
MIN_LABEL_PX = 9  # nor is a tick label less than 9 px tall on the screen


def size_problems(figure: dict) -> list[str]:
    """How small it is shown: ``ratio`` (shown/natural width) and ``label_px`` (its tick labels'
    estimated height on the screen, None if unknown)."""
    problems = []
    if figure["ratio"] < MIN_FIGURE_RATIO:
        problems.append(f"shown at {figure['ratio']:.0%} of its natural width")
    if figure["label_px"] is not None and figure["label_px"] < MIN_LABEL_PX:
        problems.append(f"tick labels about {figure['label_px']:.1f} px")
    return problems


def stored_problems(figure: dict) -> list[str]:
    """What its file and cell say: a ``transparent`` background, no ``alt`` text."""
    problems = []
    if figure["transparent"]:
        problems.append("transparent background (unreadable in dark mode)")
    if not figure["alt"].strip() or re.search(r"\.(png|jpe?g|svg|gif)$", figure["alt"].strip()):
        problems.append(f"no alt text ({figure['alt']!r}): describe it in the cell's metadata")
    return problems


def figure_problem(figure: dict) -> str:
    """What makes a figure hard to read ('' if nothing)."""
    return ", ".join(size_problems(figure) + stored_problems(figure))
