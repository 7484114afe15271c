"""The MNIST epoch benchmark, declared once: its rows (name, what each measures, the function
in epochs.py that makes it) and the ratios it prints, some with a target (issue 13).
bench/mnist_epoch.py measures and prints them; bench/README.md lists them between its
``BEGIN rows`` and ``END rows`` marks (``python bench/mnist_epoch.py --readme`` rewrites that
list, and tests/tools/test_bench.py checks that it is current)."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from pathlib import Path

import epochs
from epochs import SHUFFLE_KEY


@dataclasses.dataclass(frozen=True)
class Row:
    key: str  # its name in the ratios and the JSON line
    name: str  # printed and listed in bench/README.md
    how: str  # what it measures (bench/README.md)
    make: Callable  # make(setup): the epoch to time side by side with the others, or seconds
    alone: bool = False  # True: ``make`` measures the row alone and returns its seconds


ROWS = [
    Row(
        "tutorial_loop",
        "tutorial loop",
        "a Python loop over NumPy batches calling a jitted step, `.item()` on each loss",
        epochs.tutorial_loop,
    ),
    Row(
        "minimal",
        "minimal",
        "the shortest fused epoch written by hand: data batched beforehand to (937, 64, 784), "
        "`lax.scan` over `value_and_grad` and a `tree_map` SGD update, in one `jit`",
        epochs.minimal,
    ),
    Row(
        "fused",
        "fused",
        "`helpers.train_epoch`: the same, from the (60000, 784) data set",
        epochs.fused,
    ),
    Row(
        "fused_shuffled",
        "fused, shuffled",
        "`helpers.train_epoch` with a key",
        functools.partial(epochs.fused, key=SHUFFLE_KEY),
    ),
    Row(
        "scan_epoch",
        "scan_epoch",
        "`helpers.scan_epoch` inside the caller's `jit` (chapter 8's pattern)",
        epochs.scanned,
    ),
    Row(
        "scan_epoch_shuffled",
        "scan_epoch, shuffled",
        "the same with a key",
        functools.partial(epochs.scanned, key=SHUFFLE_KEY),
    ),
    Row(
        "minimal_shuffled",
        "minimal, shuffled",
        "the minimal epoch with `jax.random.permutation` and each batch gathered by its "
        "indices (chapter 6's inline `fused_epoch` with a key)",
        epochs.minimal_shuffled,
    ),
    Row(
        "floor",
        "matmul floor",
        "the epoch's matmul FLOPs / XLA's float32 rate on a 2048 x 2048 matmul",
        epochs.floor,
        alone=True,
    ),
    Row(
        "torch_eager",
        "PyTorch eager",
        "the same network and recipe, `torch.optim.SGD`, `.item()` on each loss",
        epochs.torch_run,
    ),
    Row(
        "torch_compile",
        "torch.compile",
        "PyTorch eager with `torch.compile(model)` (inductor), compiled during the warm-up",
        functools.partial(epochs.torch_run, compiled=True),
    ),
    Row(
        "op_by_op",
        "op-by-op",
        "the step without `jit`, timed over `--op-steps` steps (100) and scaled to 937",
        epochs.op_by_op,
        alone=True,
    ),
]
ROW = {row.key: row for row in ROWS}
RATIOS = [  # (row, row it is divided by, target: (<= or >=, bound), or None: no target)
    ("fused", "floor", ("<=", 1.4)),
    ("tutorial_loop", "fused", (">=", 2.0)),
    ("torch_eager", "fused", (">=", 3.0)),
    ("torch_compile", "fused", (">=", 1.0)),  # fused faster than torch.compile
    ("fused", "minimal", ("<=", 1.1)),
    ("fused_shuffled", "minimal", ("<=", 1.1)),
    ("scan_epoch", "minimal", ("<=", 1.1)),
    ("scan_epoch_shuffled", "minimal", ("<=", 1.1)),
    ("minimal", "floor", None),
    ("minimal_shuffled", "minimal", None),
    ("fused_shuffled", "minimal_shuffled", None),
    ("op_by_op", "tutorial_loop", None),
    ("op_by_op", "fused", None),
]
TARGETS = {f"{a}_vs_{b}": target for a, b, target in RATIOS if target}
README = Path(__file__).with_name("README.md")


def readme_rows() -> str:
    """The rows and ratios as bench/README.md lists them, between its BEGIN/END rows marks."""
    lines = ["| row | what | how | measured |", "|---|---|---|---|"]
    for i, row in enumerate(ROWS, 1):
        timed = "separately" if row.alone else "side by side"
        lines.append(f"| {i} | {row.name} | {row.how} | {timed} |")
    lines += ["", "| ratio | target |", "|---|---|"]
    for a, b, target in RATIOS:
        bound = f"{target[0]} {target[1]}" if target else "none: a measurement"
        lines.append(f"| {ROW[a].name} / {ROW[b].name} | {bound} |")
    return "\n".join(lines)


def with_rows(readme: str) -> str:
    """``readme`` (bench/README.md's text) with its list of rows and ratios made current."""
    block = re.compile(r"(<!-- BEGIN rows -->\n).*?(<!-- END rows -->)", re.DOTALL)
    new, found = block.subn(lambda m: m[1] + readme_rows() + "\n" + m[2], readme)
    if found != 1:
        raise ValueError("README.md needs one <!-- BEGIN rows --> ... <!-- END rows --> block")
    return new


def write_readme() -> None:
    README.write_text(with_rows(README.read_text()))
