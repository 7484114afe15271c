"""Measure how much each chapter's printed numbers move under other float32 roundings.

    .venv/bin/python -m scripts.measure_spread 07_mnist 08_optimizers
    .venv/bin/python -m scripts.measure_spread --variants sse4_2 one_core --json spread.json

Runs each chapter once per rounding variant (XLA flags that change float32 rounding the way
another CPU does, and a single core, which splits matrix products differently), then compares
every code cell's printed numbers across those runs and the stored outputs. For each cell it
reports, per kind of number, the largest spread seen (percentage points for percentages,
relative for decimals beyond their last printed digit, absolute for integers), the cell's
tolerance (its ``nbval-tolerance`` metadata, see verification/nbval_plugin.py) and a verdict:

- ``exact``: the same everywhere, nbval compares it exactly;
- ``ok``: every spread is at most half the cell's tolerance (a margin of 2);
- ``NEEDS TOLERANCE`` / ``TOO TIGHT`` / ``TEXT DIFFERS``: fix the cell or its metadata.

Exit status 1 when any cell needs attention.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat
from nbval.plugin import get_sanitize_patterns

from scripts.execute_chapters import chapter_paths, check_pinned_environment, execute
from verification import settings
from verification.nbval_plugin import (
    KINDS,
    NUMBER,
    Tolerance,
    is_integer,
    last_digit_unit,
    reconcile,
    skeleton,
)

VARIANTS = {  # name: (XLA_FLAGS, CPUs the kernel may use)
    "default": ("", None),
    "sse4_2": ("--xla_cpu_max_isa=SSE4_2", None),
    "no_ynn_fusion": ("--xla_cpu_experimental_ynn_fusion_type=", None),
    "portable_math": ("--xla_cpu_enable_platform_dependent_math=false", None),
    "one_core": ("", {0}),
}
SANITIZE = dict(get_sanitize_patterns(settings.SANITIZE.read_text()))


def cell_texts(nb) -> list[str]:
    """The compared text of every code cell: streams and text/plain, timings masked."""
    texts = []
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        parts = [
            out.get("text", "") + out.get("data", {}).get("text/plain", "") for out in cell.outputs
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


def measure(path: Path, variants: list[str]) -> list[dict]:
    stored = nbformat.read(path, as_version=4)
    runs = {"stored": cell_texts(stored)}
    for name in variants:
        flags, cpus = VARIANTS[name]
        print(f"  {path.stem}: variant {name} ...", file=sys.stderr, flush=True)
        runs[name] = cell_texts(execute(path, flags, cpus))
    code_cells = [(i, c) for i, c in enumerate(stored.cells) if c.cell_type == "code"]
    rows = []
    for n, (index, cell) in enumerate(code_cells):
        texts = {name: run[n] for name, run in runs.items()}
        tolerance = Tolerance.from_metadata(cell.metadata)
        row = {
            "chapter": path.stem,
            "code_cell": n,
            "cell": index,
            "spread": {},
            "tolerance": None if tolerance is None else vars(tolerance),
            "differs": [],
        }
        ref = texts["stored"]
        row["differs"] = [
            name
            for name, t in texts.items()
            if skeleton(t) != skeleton(ref) or len(NUMBER.findall(t)) != len(NUMBER.findall(ref))
        ]
        if not row["differs"]:
            for tokens in zip(*(NUMBER.findall(t) for t in texts.values())):
                kind, width = spread(list(tokens))
                row["spread"][kind] = max(row["spread"].get(kind, 0.0), width)
        # What nbval will see: an exact cell must print the same text; a toleranced one must be
        # reconciled (verification/nbval_plugin.py) with every run.
        row["rejected"] = [
            name
            for name, t in texts.items()
            if (t != ref if tolerance is None else reconcile(ref, t, tolerance) != ref)
        ]
        row["verdict"] = verdict(row, tolerance)
        rows.append(row)
    return rows


def verdict(row: dict, tolerance: Tolerance | None) -> str:
    if row["differs"]:
        return "TEXT DIFFERS"
    moving = {k: v for k, v in row["spread"].items() if v > 0}
    if tolerance is None:  # a last digit that flips counts here too: nbval compares exactly
        return "NEEDS TOLERANCE" if row["rejected"] else "exact"
    if row["rejected"]:
        return "TOO TIGHT"
    return "ok" if all(v <= getattr(tolerance, k) / 2 for k, v in moving.items()) else "TOO TIGHT"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="chapter names (default: all)")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--json", type=Path, help="also write every row to this file")
    parser.add_argument("--all-cells", action="store_true", help="list exact cells too")
    args = parser.parse_args()
    check_pinned_environment()
    rows = [row for path in chapter_paths(args.chapters) for row in measure(path, args.variants)]
    print(f"variants: stored outputs, {', '.join(args.variants)}")
    print(
        f"{'chapter':<18}{'cell':>5}{'code':>5}  {'spread (' + ', '.join(KINDS) + ')':<40}"
        f"{'tolerance':<34}verdict"
    )
    for row in rows:
        if row["verdict"] == "exact" and not args.all_cells:
            continue
        spreads = ", ".join(f"{k} {v:.3g}" for k, v in sorted(row["spread"].items()) if v > 0)
        if not spreads and row["rejected"]:
            spreads = "last digit flips in: " + ", ".join(row["rejected"])
        if row["differs"]:
            spreads = "text differs in: " + ", ".join(row["differs"])
        tol = (
            ""
            if row["tolerance"] is None
            else ", ".join(f"{k} {v:g}" for k, v in row["tolerance"].items() if v)
        )
        where = f"{row['chapter']:<18}{row['cell']:>5}{row['code_cell']:>5}"
        print(f"{where}  {spreads:<40}{tol:<34}{row['verdict']}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    sys.exit(any(row["verdict"] not in ("exact", "ok") for row in rows))


if __name__ == "__main__":
    main()
