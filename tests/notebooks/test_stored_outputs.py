"""Static checks of the stored chapter notebooks (nbval re-executes them separately)."""

import re

import nbformat
import pytest

from scripts.chapters import CHAPTERS

MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")
OUTDATED_JAX = re.compile(r"\bDeviceArray\b|\bjax\.tree_map\(|\bjax\.tree_util\.tree_multimap\b")


def code_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def test_there_are_chapters():
    assert len(CHAPTERS) >= 5, [p.name for p in CHAPTERS]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_notebook_is_valid(path):
    nbformat.validate(nbformat.read(path, as_version=4))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_code_cell_is_stored_executed(path):
    """nbval does not compare a cell that was never run, so every cell must carry its outputs."""
    cells = code_cells(path)
    unexecuted = [i for i, c in enumerate(cells) if c.execution_count is None]
    assert not unexecuted, f"{path.name}: code cells {unexecuted} have no stored execution"
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name} was not executed top to bottom in one fresh kernel: {counts}"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_unstable_or_outdated_output(path):
    for i, cell in enumerate(code_cells(path)):
        assert not OUTDATED_JAX.search(cell.source), f"{path.name} cell {i}: outdated JAX API"
        for out in cell.outputs:
            text = out.get("text", "") + out.get("data", {}).get("text/plain", "")
            assert not MEMORY_ADDRESS.search(text), (
                f"{path.name} cell {i} prints a memory address (end with plt.show()): {text!r}"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_hidden_outputs_except_timings(path):
    """Ignoring output is allowed only on cells that time something."""
    for i, cell in enumerate(code_cells(path)):
        ignored = (
            "nbval-ignore-output" in cell.metadata.get("tags", [])
            or "NBVAL_IGNORE_OUTPUT" in cell.source
            or "NBVAL_SKIP" in cell.source
            or "nbval-skip" in cell.metadata.get("tags", [])
        )
        if ignored:
            assert "time" in cell.source, (
                f"{path.name} cell {i} hides its output but times nothing:\n{cell.source}"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_bare_booleans(path):
    """A bare True/False under a cell tells the reader nothing: print what was compared."""
    for i, cell in enumerate(code_cells(path)):
        for out in cell.outputs:
            text = out.get("text", "") + out.get("data", {}).get("text/plain", "")
            bare = [line for line in text.splitlines() if line.strip() in ("True", "False")]
            assert not bare, f"{path.name} code cell {i} shows a bare {bare[0].strip()}"


# The book's code column holds 81 characters at a 1280 px window (chapters/ruff.toml keeps the
# code to 79); an output line longer than that hides its end behind a scroll bar.
OUTPUT_WIDTH = 79


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_printed_lines_fit_the_page(path):
    """Text outputs keep to 79 columns; only a single unbreakable word (a link) may not."""
    too_long = []
    for i, cell in enumerate(code_cells(path)):
        for out in cell.outputs:
            if out.output_type == "error":
                too_long.append(f"cell {i}: a traceback (use helpers.book.expect_error)")
                continue
            data = out.get("data", {})
            if "image/png" in data or "text/html" in data:
                continue
            text = out.get("text", "") + data.get("text/plain", "")
            too_long += [
                f"cell {i}: {line!r} ({len(line)})"
                for line in text.splitlines()
                if len(line) > OUTPUT_WIDTH and " " in line.strip()
            ]
    assert not too_long, f"{path.name}: lines wider than the page:\n" + "\n".join(too_long)
