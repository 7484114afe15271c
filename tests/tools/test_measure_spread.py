"""scripts/measure_spread.py refuses, in one line and before running any kernel, a measurement
that would compare nothing or the wrong cells: no run besides the stored outputs, a saved run
(--load) whose name fits no chapter measured or whose code cells are not the chapter's, an
interpreter (--python) that cannot run."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from scripts import measure_spread
from scripts.spread_runs import jax_version

CHAPTER = Path(__file__).resolve().parents[2] / "chapters" / "01_xor.ipynb"


def refusal(*argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        measure_spread.main(list(argv))
    assert isinstance(exit_.value.code, str) and "\n" not in exit_.value.code, exit_.value.code
    return exit_.value.code


def test_no_run_to_compare_is_refused():
    """--variants with none named compared the stored outputs with themselves, and passed."""
    message = refusal("01_xor", "--variants")
    assert message.startswith("no run to compare with the stored outputs of 01_xor: name")


def test_a_saved_run_named_for_no_chapter_is_named(tmp_path):
    run, renamed = tmp_path / "01_xor.default.jax-0.7.2.ipynb", tmp_path / "renamed_run.ipynb"
    shutil.copy(CHAPTER, run)
    shutil.copy(CHAPTER, renamed)
    message = refusal("01_xor", "--variants", "--load", str(run), str(renamed))
    assert message.startswith(f"--load {renamed}: its name starts with none of the chapters")


def test_a_saved_run_of_other_cells_is_refused(tmp_path):
    """A student copy (solution cells removed) raised IndexError in measure."""
    nb = nbformat.read(CHAPTER, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    nb.cells.remove(code[-1])
    copy = tmp_path / "01_xor.student.ipynb"
    nbformat.write(nb, copy)
    message = refusal("01_xor", "--variants", "--load", str(copy))
    assert message.startswith(
        f"--load {copy}: it has {len(code) - 1} code cells, 01_xor.ipynb has {len(code)}; "
    )


def test_an_interpreter_that_cannot_run_is_named(tmp_path):
    missing = str(tmp_path / "bin" / "python")
    assert refusal("01_xor", "--variants", "default", "--python", missing).startswith(
        f"--python {missing}: cannot run it ("
    )
    with pytest.raises(SystemExit) as exit_:
        jax_version(shutil.which("false"))  # runs, but fails as one without jax would
    assert str(exit_.value).startswith(f"--python {shutil.which('false')}: it has no jax (")
