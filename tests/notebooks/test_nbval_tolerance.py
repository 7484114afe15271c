"""The nbval extension that compares chaotic cells within a tolerance (verification/)."""

import re
import subprocess
import sys

import nbformat
import pytest

from scripts.chapters import CHAPTERS, REPO
from verification.nbval_plugin import (
    METADATA_KEY,
    NUMBER,
    VERSION_KEY,
    Tolerance,
    compared_here,
    failed_checks,
    is_integer,
    reconcile,
    without_glue_records,
)

TOL = Tolerance(percent_points=0.3, relative=0.03, count=2)
LOG = "epoch 25: loss 0.0588, accuracy 98.13%, 194 errors of 10000\n"


@pytest.mark.parametrize(
    "fresh",
    [
        LOG,
        "epoch 25: loss 0.0601, accuracy 98.01%, 196 errors of 10000\n",  # within every tolerance
        "epoch 25: loss 0.0589, accuracy 98.40%, 193 errors of 10000\n",
        "epoch 25:  loss 0.0588, accuracy  98.13%, 194 errors of 10000\n",  # column padding moved
    ],
)
def test_within_tolerance_the_stored_text_is_kept(fresh):
    assert reconcile(LOG, fresh, TOL) == LOG


@pytest.mark.parametrize(
    "fresh, offending",
    [
        ("epoch 25: loss 0.0588, accuracy 99.13%, 194 errors of 10000\n", "99.13%"),  # +1 point
        ("epoch 25: loss 0.0688, accuracy 98.13%, 194 errors of 10000\n", "0.0688"),  # +17%
        ("epoch 25: loss 0.0588, accuracy 98.13%, 197 errors of 10000\n", "197"),  # +3
    ],
)
def test_outside_tolerance_only_the_offending_number_differs(fresh, offending):
    result = reconcile(LOG, fresh, TOL)
    differing = [(a, b) for a, b in zip(LOG.split(), result.split()) if a != b]
    assert len(differing) == 1 and differing[0][1].rstrip(",:") == offending


@pytest.mark.parametrize(
    "fresh",
    [
        "epoch 25: loss 0.0588, accuracy 98.13%, 194 mistakes of 10000\n",  # one word
        "epoch 25: loss 0.0588, accuracy 98.13%, 194 errors of 10000\nnan\n",  # an extra line
        "epoch 25: loss 0.0588, accuracy 98.13, 194 errors of 10000\n",  # a lost '%'
        "epoch 25: loss 0.0588, accuracy 98.13%, 194 errors of 10000",  # a lost newline
    ],
)
def test_text_differences_are_never_tolerated(fresh):
    assert reconcile(LOG, fresh, TOL) == fresh != LOG


def test_a_kind_the_cell_does_not_name_is_exact():
    only_points = Tolerance(percent_points=0.3)
    assert reconcile("98.13% of 194", "98.20% of 194", only_points) == "98.13% of 194"
    assert reconcile("98.13% of 194", "98.13% of 195", only_points) == "98.13% of 195"
    assert reconcile("loss 0.0588", "loss 0.0590", only_points) == "loss 0.0590"


def test_a_decimal_may_always_move_by_one_unit_in_its_last_digit():
    exact = Tolerance(count=0, percent_points=0.0001)
    assert reconcile("loss 0.0588", "loss 0.0589", exact) == "loss 0.0588"
    assert reconcile("loss 1.2e-05", "loss 1.3e-05", exact) == "loss 1.2e-05"
    assert reconcile("loss 0.0588", "loss 0.0590", exact) == "loss 0.0590"


@pytest.mark.parametrize("spec", [{}, {"percent": 1}, {"count": -1}, {"relative": "0.1"}])
def test_a_malformed_tolerance_is_refused_with_its_name(spec):
    with pytest.raises(ValueError, match=METADATA_KEY):
        Tolerance.from_metadata({METADATA_KEY: spec})


def test_cells_without_metadata_are_compared_exactly():
    assert Tolerance.from_metadata({"tags": ["exercise"]}) is None


def chapter_tolerances():
    for path in CHAPTERS:
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if METADATA_KEY in cell.metadata:
                yield pytest.param(cell, id=f"{path.stem}-cell{i}")


def beyond(token: str, tolerance: Tolerance) -> str:
    """The printed number `token` moved just outside `tolerance` (an accuracy by a full point)."""
    if token.endswith("%"):
        decimals = len(token[:-1].partition(".")[2])
        return f"{float(token[:-1]) + 1:.{decimals}f}%"
    if is_integer(token):
        return str(int(token) + int(tolerance.count) + 1)
    mantissa, e, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    moved = float(mantissa) * (1 + tolerance.relative) + 2 * 10.0**-decimals
    return f"{moved:.{decimals}f}{e}{exponent}"


@pytest.mark.parametrize("cell", list(chapter_tolerances()))
def test_every_toleranced_cell_still_catches_a_changed_number_or_word(cell):
    """Every tolerance is under one percentage point, so a stored accuracy changed by a point
    fails, and so does any number moved past its tolerance, or any changed word."""
    tolerance = Tolerance.from_metadata(cell.metadata)
    assert tolerance.percent_points < 1, "a tolerance of a point or more would hide such a change"
    text = "".join(out.get("text", "") for out in cell.outputs)
    numbers = list(NUMBER.finditer(text))
    assert numbers, "a cell with a tolerance prints no number"
    for number in numbers[:: max(1, len(numbers) // 20)]:  # up to about 20 numbers per cell
        moved = text[: number.start()] + beyond(number.group(), tolerance) + text[number.end() :]
        assert reconcile(text, moved, tolerance) != text, number.group()
    word = re.search(r"[a-z]{3,}", text)
    assert word, "a cell with a tolerance prints no words"
    reworded = text[: word.start()] + word.group().upper() + text[word.end() :]
    assert reconcile(text, reworded, tolerance) != text


def test_end_to_end_with_nbval(tmp_path):
    """A real pytest --nbval run: a toleranced cell passes within tolerance and fails outside it;
    a cell without tolerance stays exact."""

    def cell(code, stored, tolerance=None):
        c = nbformat.v4.new_code_cell(
            code,
            execution_count=1,
            outputs=[nbformat.v4.new_output("stream", name="stdout", text=stored)],
        )
        if tolerance:
            c.metadata[METADATA_KEY] = tolerance
        return c

    nb = nbformat.v4.new_notebook(
        cells=[
            cell('print("accuracy 98.13%")', "accuracy 98.31%\n", {"percent_points": 0.3}),
            cell('print("accuracy 98.13%")', "accuracy 99.13%\n", {"percent_points": 0.3}),
            cell('print("accuracy 98.13%")', "precision 98.13%\n", {"percent_points": 0.3}),
            cell('print("accuracy 98.13%")', "accuracy 98.14%\n"),
        ]
    )
    nbformat.write(nb, tmp_path / "cells.ipynb")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "verification.nbval_plugin",
            "--nbval",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-rA",
            "-o",
            f"pythonpath={REPO} {REPO / 'tests'}",
            "cells.ipynb",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    outcomes = dict(
        (cell, outcome)
        for outcome, cell in re.findall(r"^(PASSED|FAILED) \S+::Cell (\d+)", done.stdout, re.M)
    )
    assert outcomes == {"0": "PASSED", "1": "FAILED", "2": "FAILED", "3": "FAILED"}, done.stdout
    assert "numbers compared with this cell's nbval-tolerance" in done.stdout


def test_version_dependent_cells_are_compared_only_with_the_pinned_jax():
    marked = {VERSION_KEY: "JAX 0.7 words this error differently"}
    assert compared_here(marked, pinned=True) and compared_here({}, pinned=False)
    assert not compared_here(marked, pinned=False)
    assert compared_here({VERSION_KEY: ""}, pinned=False)  # no reason given: compared


def test_a_failed_self_check_is_found_in_any_output():
    outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="Correct: the loss\n"),
        nbformat.v4.new_output(
            "execute_result", data={"text/plain": "Not quite yet: for X, expected 1, got 2"}
        ),
    ]
    assert failed_checks(outputs) == ["Not quite yet: for X, expected 1, got 2"]
    assert failed_checks(outputs[:1]) == []


def test_glue_records_are_left_out_where_myst_nb_is_not_installed():
    """helpers.book.glue records numbers for the book only where myst-nb is installed; on Colab's
    versions (no myst-nb) the stored records are not expected."""
    record = nbformat.v4.new_output(
        "display_data", data={"application/papermill.record/text/plain": "98.1%"}
    )
    printed = nbformat.v4.new_output("stream", name="stdout", text="98.1%\n")
    shown = nbformat.v4.new_output("display_data", data={"text/plain": "98.1%"})
    assert without_glue_records([printed, record, shown]) == [printed, shown]
