"""Each chapter's MyST source (.md) and its executed notebook (.ipynb) hold the same cells.

The .md is what reviewers read and edit; ``python -m scripts.execute_chapters`` makes the .ipynb
from it. A pair out of step means an edit that was never executed, or an .ipynb edited by hand.
"""

from __future__ import annotations

import re

import jupytext
import nbformat
import pytest

from scripts.chapters import CHAPTERS, CHAPTERS_DIR

IDS = [c.stem for c in CHAPTERS]
VOLATILE = {"execution", "ExecuteTime", "trusted", "collapsed", "scrolled"}


def cells(nb) -> list[tuple]:
    return [
        (c.cell_type, c.source, {k: v for k, v in c.metadata.items() if k not in VOLATILE})
        for c in nb.cells
    ]


def test_every_notebook_has_its_source_and_back():
    notebooks = {p.stem for p in CHAPTERS_DIR.glob("*.ipynb")}
    sources = {p.stem for p in CHAPTERS_DIR.glob("*.md")}
    assert notebooks == sources, (
        f"without a .md source: {sorted(notebooks - sources)}; "
        f"without a .ipynb: {sorted(sources - notebooks)}"
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_source_and_notebook_have_the_same_cells(chapter):
    source = cells(jupytext.read(chapter.with_suffix(".md")))
    stored = cells(nbformat.read(chapter, as_version=4))
    for i, (a, b) in enumerate(zip(source, stored)):
        assert a == b, (
            f"{chapter.stem}: cell {i} differs between .md and .ipynb; after editing the "
            f".md run `.venv/bin/python -m scripts.execute_chapters {chapter.stem}`\n"
            f".md:    {a}\n.ipynb: {b}"
        )
    assert len(source) == len(stored), (
        f"{chapter.stem}: {len(source)} cells in .md, {len(stored)} in .ipynb"
    )
    assert nbformat.read(chapter, as_version=4).metadata["jupytext"]["formats"] == "ipynb,md:myst"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_source_carries_no_outputs(chapter):
    text = chapter.with_suffix(".md").read_text()
    assert "image/png" not in text and "data:image" not in text, (
        f"{chapter.stem}.md embeds an image"
    )
    assert all(not c.get("outputs") for c in jupytext.read(chapter.with_suffix(".md")).cells)


OPENING = re.compile(r"^(`{3,})\{[\w-]+\}")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_no_code_fence_closes_its_directive_early(chapter):
    """Inside a ```{directive}, a ```python block ends the directive at its closing fence, and the
    rest of the page renders as code: the directive needs a longer fence (````{solution})."""
    problems, opened = [], None
    for number, line in enumerate(chapter.with_suffix(".md").read_text().splitlines(), start=1):
        if opened is None:
            match = OPENING.match(line)
            opened = (match.group(1), number) if match else None
        elif line.strip() == opened[0]:
            opened = None
        elif re.match(r"^`{3,}\w", line) and line.index(line.lstrip("`")) >= len(opened[0]):
            problems.append(
                f"line {number}: a fenced block inside the directive of line {opened[1]}"
            )
    assert not problems, f"{chapter.stem}.md: " + "; ".join(problems)
