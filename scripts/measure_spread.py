"""Measure how much each chapter's printed numbers move under other float32 roundings.

    .venv/bin/python -m scripts.measure_spread 07_mnist 08_optimizers
    .venv/bin/python -m scripts.measure_spread --variants sse4_2 one_core --json spread.json
    .venv/bin/python -m scripts.measure_spread 07_mnist --python /tmp/venv-colab/bin/python \\
        --variants default sse4_2 --save /tmp/runs/     # on another jax (Colab's), kept
    .venv/bin/python -m scripts.measure_spread 07_mnist --variants --load /tmp/runs/07_mnist.*.ipynb

Runs each chapter once per rounding variant (XLA flags that change float32 rounding the way
another CPU does, and a single core, which splits matrix products differently), then compares
every code cell's printed numbers across those runs and the stored outputs. For each cell it
reports, per kind of number, the largest spread seen (percentage points for percentages,
relative for decimals beyond their last printed digit, absolute for integers), the cell's
tolerance (its ``nbval-tolerance`` metadata, see verification/nbval_plugin.py) and a verdict:

- ``exact``: the same everywhere, nbval compares it exactly;
- ``ok``: every spread is at most half the cell's tolerance (a margin of 2);
- ``NEEDS TOLERANCE`` / ``TOO TIGHT`` / ``TEXT DIFFERS``: fix the cell or its metadata.

With ``--python`` the kernels run on another interpreter, such as a copy of Colab's
environment (whose jax 0.7.2 aborts on flags its XLA does not know: choose ``default`` and
``sse4_2`` there); its cells marked ``nbval-version-dependent`` are left out of the comparison, as
nbval leaves them out. ``--save`` keeps each executed run, ``--load`` adds saved runs to the
comparison without running them again. A cell that raises (a claim that fails under a
variant) is recorded as its error, and the run goes on.

Exit status 1 when any cell needs attention.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from scripts.execute_chapters import (
    chapter_paths,
    check_pinned_environment,
    kernel_environment,
    without_kernel_paths,
)
from scripts.spread_runs import jax_version, kernel_python, saved_runs
from verification import settings
from verification.nbval_plugin import (
    KINDS,
    NUMBER,
    VERSION_KEY,
    Tolerance,
    reconcile,
    skeleton,
)
from verification.spread import cell_texts, spread, verdict

VARIANTS = {  # name: (XLA_FLAGS, CPUs the kernel may use)
    "default": ("", None),
    "sse4_2": ("--xla_cpu_max_isa=SSE4_2", None),
    "no_ynn_fusion": ("--xla_cpu_experimental_ynn_fusion_type=", None),
    "portable_math": ("--xla_cpu_enable_platform_dependent_math=false", None),
    "sse4_2+portable_math": (
        "--xla_cpu_max_isa=SSE4_2 --xla_cpu_enable_platform_dependent_math=false",
        None,
    ),
    "one_core": ("", {0}),
}


def run(path: Path, variant: str, python: str | None, nb=None):
    """Execute the stored chapter (or `nb`, an edited copy) once under `variant`, past errors."""
    flags, cpus = VARIANTS[variant]
    nb = nbformat.read(path, as_version=4) if nb is None else nb
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(
        nb,
        timeout=900,
        kernel_name="python3",
        record_timing=False,
        coalesce_streams=True,
        allow_errors=True,  # a claim that fails under one variant is a result, not the end
        resources={"metadata": {"path": str(path.parent)}},
    )
    with kernel_python(python), kernel_environment(flags, cpus):
        client.execute()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            without_kernel_paths(output)
    nb.metadata.setdefault("course", {})["measured_with"] = {
        "variant": variant,
        "jax": jax_version(python),
    }
    return nb


def run_label(nb, fallback: str) -> str:
    measured = nb.metadata.get("course", {}).get("measured_with")
    if not measured:
        return fallback
    return f"{measured['variant']} (jax {measured['jax']})"


def measure(
    path: Path,
    variants: list[str],
    python: str | None = None,
    save: Path | None = None,
    loaded: list = (),
) -> list[dict]:
    """One row per code cell of the chapter at `path`: its spread across the stored outputs,
    the runs of `variants` and the `loaded` runs (notebooks, of as many code cells)."""
    stored = nbformat.read(path, as_version=4)
    runs = {"stored": cell_texts(stored)}
    other_jax = set()  # runs on another jax than the pinned one
    notebooks = list(loaded)
    for name in variants:
        print(f"  {path.stem}: variant {name} ...", file=sys.stderr, flush=True)
        nb = run(path, name, python)
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            jax = nb.metadata["course"]["measured_with"]["jax"]
            nbformat.write(nb, save / f"{path.stem}.{name}.jax-{jax}.ipynb")
        notebooks.append(nb)
    for nb in notebooks:
        label = run_label(nb, f"run {len(runs)}")
        runs[label] = cell_texts(nb)
        if (
            nb.metadata.get("course", {}).get("measured_with", {}).get("jax")
            != settings.pins()["jax"]
        ):
            other_jax.add(label)
    code_cells = [(i, c) for i, c in enumerate(stored.cells) if c.cell_type == "code"]
    rows = []
    for n, (index, cell) in enumerate(code_cells):
        texts = {name: run[n] for name, run in runs.items()}
        if cell.metadata.get(VERSION_KEY):  # not compared off the pinned jax (nbval neither)
            texts = {name: t for name, t in texts.items() if name not in other_jax}
        tolerance = Tolerance.from_metadata(cell.metadata)
        row = {
            "chapter": path.stem,
            "code_cell": n,
            "cell": index,
            "runs": list(texts),
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


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="chapter names (default: all)")
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--python", help="run the kernels on this interpreter (another jax)")
    parser.add_argument("--save", type=Path, help="keep every executed run in this folder")
    parser.add_argument(
        "--load", type=Path, nargs="+", default=[], help="saved runs to compare as well"
    )
    parser.add_argument("--json", type=Path, help="also write every row to this file")
    parser.add_argument("--all-cells", action="store_true", help="list exact cells too")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    check_pinned_environment()
    paths = chapter_paths(args.chapters)
    loaded = saved_runs(paths, args.load)
    alone = [path.stem for path in paths if not args.variants and not loaded[path]]
    if alone:
        sys.exit(
            f"no run to compare with the stored outputs of {', '.join(alone)}: name variants "
            f"after --variants ({', '.join(VARIANTS)}) or --load saved runs of it"
        )
    if args.python:
        jax_version(args.python)  # an interpreter that cannot run is refused before any run
    rows = [
        row
        for path in paths
        for row in measure(path, args.variants, args.python, args.save, loaded[path])
    ]
    runs = sorted({name for row in rows for name in row["runs"]} - {"stored"})
    print(f"runs: stored outputs, {', '.join(runs)}")
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
