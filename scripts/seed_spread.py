"""Run a chapter with other seeds: how much of a printed result is owed to its seed.

    .venv/bin/python -m scripts.seed_spread 11_cnn --seeds 0 1 2 3 4 --grep "test accuracy"
    .venv/bin/python -m scripts.seed_spread 11_cnn --python .venv-colab/bin/python  # Colab's jax

A chapter that names its seed once, in a line ``SEED = 0``, is executed once per seed with that
line changed (the default rounding, on this or another interpreter, as scripts/measure_spread.py
runs it), and every printed line that matches ``--grep`` is listed per seed, with any error (a
failed ``claim`` included).
The chapter's prose quotes these lines when it states how a result varies across seeds.
"""

from __future__ import annotations

import argparse
import re
import sys

import nbformat

from scripts.execute_chapters import chapter_paths, check_pinned_environment
from scripts.measure_spread import run
from scripts.spread_runs import jax_version
from verification.spread import cell_texts

SEED_LINE = re.compile(r"^SEED = \d+", re.MULTILINE)


def with_seed(path, seed: int):
    """The chapter's notebook with its one ``SEED = ...`` line set to `seed`."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and SEED_LINE.search(c.source)]
    if len(cells) != 1:
        sys.exit(f"{path.name}: found {len(cells)} cells with a line `SEED = <int>`; need one")
    cells[0].source = SEED_LINE.sub(f"SEED = {seed}", cells[0].source)
    return nb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapter", help="a chapter name, e.g. 11_cnn")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--grep", default="accuracy", help="the printed lines to list (regex)")
    parser.add_argument("--python", help="run the kernels on this interpreter (another jax)")
    args = parser.parse_args(argv)
    try:
        pattern = re.compile(args.grep)
    except re.error as exc:
        parser.error(
            f"--grep {args.grep!r} is not a regular expression ({exc}); "
            "escape special characters with a backslash, e.g. --grep 'accuracy \\('"
        )
    check_pinned_environment()
    (path,) = chapter_paths([args.chapter])
    print(f"{path.stem} on jax {jax_version(args.python)}")
    for seed in args.seeds:
        nb = run(path, "default", args.python, with_seed(path, seed))
        for text in cell_texts(nb):
            for line in text.splitlines():
                if pattern.search(line) or "Error" in line or "Failed" in line:
                    print(f"seed {seed}: {line}", flush=True)


if __name__ == "__main__":
    main()
