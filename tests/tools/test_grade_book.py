"""The book without solutions (scripts/book_without_solutions.py), for instructors.

A full build takes minutes, so the test builds chapter 1 alone by the same mechanism (the
same function, a table of contents of one chapter) and reads the page: the exercises, their
starters and self-checks are there; no solution box and none of the solution cells' lines
(code or text) are. The search for solution text is shown to find it where it is.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from scripts import book_without_solutions as book
from scripts.chapters import CHAPTERS_DIR, tags

CHAPTER = CHAPTERS_DIR / "01_xor.ipynb"


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    out = book.build([CHAPTER], tmp_path_factory.mktemp("book") / "html")
    return book.page_text((out / "chapters" / "01_xor.html").read_text(encoding="utf-8"))


def exercise_titles() -> list[str]:
    cells = nbformat.read(CHAPTER, as_version=4).cells
    return [
        m.group(1).strip()
        for c in cells
        if c.cell_type == "markdown" and (m := re.match(r"```\{exercise\}(.*)", c.source))
    ]


def test_the_exercises_stay(page):
    titles = exercise_titles()
    assert len(titles) >= 2
    for title in titles:
        assert title in page, title
    assert "# your code here" in page
    assert "checks.check_and_gate(w_and, b_and)" in page


def test_no_solution_is_left(page):
    lines = [" ".join(line.split()) for line in book.solution_lines(CHAPTER)]
    code = [c.source for c in nbformat.read(CHAPTER, as_version=4).cells if "solution" in tags(c)]
    assert any("b_and = -1.5" in c for c in code), "chapter 1's AND-gate solution moved"
    assert len(lines) >= 5
    assert [line for line in lines if line in page] == []
    assert "b_and = -1.5" not in page
    assert "Solution to" not in page


def test_the_search_finds_solution_text_where_it_is(tmp_path):
    """A page as a normal build writes it: highlighted solution code in a solution box."""
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01_xor.html").write_text(
        '<div class="solution dropdown admonition"><span class="n">b_and</span> '
        '<span class="o">=</span> <span class="o">-</span><span class="mf">1.5</span>'
        "  <span># x1 + x2 &gt; 1.5 only at (1, 1)</span></div>"
    )
    found = book.leaks(tmp_path, [CHAPTER])
    assert any("a solution box" in f for f in found)
    assert any("b_and = -1.5" in f for f in found), found
