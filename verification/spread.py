"""How far a cell's printed numbers move between runs, and what that says about its tolerance
(used by scripts/measure_spread.py, which makes the runs).

A spread is measured per kind of number, as verification.nbval_plugin compares them:
percentage points for percentages, relative for decimals beyond their last printed digit,
absolute for integers.
"""

from __future__ import annotations

import re

from nbval.plugin import get_sanitize_patterns

from verification import settings
from verification.nbval_plugin import Tolerance, is_integer, last_digit_unit

SANITIZE = dict(get_sanitize_patterns(settings.SANITIZE.read_text()))


def cell_texts(nb) -> list[str]:
    """The compared text of every code cell: streams, text/plain and errors, timings masked."""
    texts = []
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        parts = [
            out.get("text", "")
            + out.get("data", {}).get("text/plain", "")
            + (f"{out['ename']}: {out['evalue']}" if out.get("output_type") == "error" else "")
            for out in cell.outputs
        ]
        text = "".join(parts)
        for pattern, replacement in SANITIZE.items():
            text = re.sub(pattern, replacement, text)
        texts.append(text)
    return texts


def kind_of(token: str) -> str:
    if token.endswith("%"):
        return "percent_points"
    return "count" if is_integer(token) else "relative"


def spread(tokens: list[str]) -> tuple[str, float]:
    """Kind and spread of one printed number across runs (tokens[0] is the stored one)."""
    kind = kind_of(tokens[0])
    values = [float(t.rstrip("%")) for t in tokens]
    width = max(values) - min(values)
    if kind == "relative":  # what a decimal moves beyond its last printed digit, relative
        unit = max(last_digit_unit(t) for t in tokens)
        width = 0.0 if width <= unit * (1 + 1e-9) else width / max(abs(values[0]), 1e-30)
    return kind, width


def verdict(row: dict, tolerance: Tolerance | None) -> str:
    if row["differs"]:
        return "TEXT DIFFERS"
    moving = {k: v for k, v in row["spread"].items() if v > 0}
    if tolerance is None:  # a last digit that flips counts here too: nbval compares exactly
        return "NEEDS TOLERANCE" if row["rejected"] else "exact"
    if row["rejected"]:
        return "TOO TIGHT"
    return "ok" if all(v <= getattr(tolerance, k) / 2 for k, v in moving.items()) else "TOO TIGHT"
