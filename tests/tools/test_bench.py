"""bench/: bench/README.md lists the rows and ratios that bench/rows.py declares (written by
``python bench/mnist_epoch.py --readme``), and the benchmark uses helpers' public names only."""

from __future__ import annotations

import ast
import importlib
import sys

import pytest

import helpers
from scripts.chapters import REPO

BENCH = REPO / "bench"


@pytest.fixture(scope="module")
def rows():
    """bench/rows.py, imported as bench/mnist_epoch.py imports it (with bench/ on the path)."""
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("rows")
    finally:
        sys.path.remove(str(BENCH))


def test_the_readme_lists_the_declared_rows_and_ratios(rows):
    readme = (BENCH / "README.md").read_text()
    assert readme == rows.with_rows(readme), (
        "bench/README.md's list of rows is out of date: run "
        ".venv/bin/python bench/mnist_epoch.py --readme"
    )


def test_every_ratio_divides_two_declared_rows(rows):
    keys = [row.key for row in rows.ROWS]
    assert len(set(keys)) == len(keys)
    for a, b, target in rows.RATIOS:
        assert {a, b} <= set(keys), (a, b)
        assert target is None or (target[0] in ("<=", ">=") and target[1] > 0), target


@pytest.mark.parametrize("path", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_bench_imports_only_public_names_of_helpers(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers"):
            assert node.module == "helpers", f"{path.name} imports from {node.module}"
            private = {a.name for a in node.names} - set(helpers.__all__)
            assert not private, f"{path.name} imports {sorted(private)}, not in helpers.__all__"
        elif isinstance(node, ast.Import):
            assert not [a.name for a in node.names if a.name.startswith("helpers.")], path.name
