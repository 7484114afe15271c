"""scripts.chapters.facts reads a chapter's title, objectives and time however the objectives'
bullets are written (-, * or +: all are Markdown lists), so the course map never comes out
empty for a chapter whose author wrote `*`."""

import dataclasses

import nbformat
import pytest

from scripts.chapters import facts


@pytest.mark.parametrize("marker", ["-", "*", "+"])
def test_objectives_are_read_from_any_bullet_marker(tmp_path, marker):
    top = (
        "# A chapter\n\nTwo lines.\n\n**Learning objectives**\n\n"
        f"{marker} Build a thing.\n{marker} Measure it,\n  on two lines.\n\n"
        "**Time**: about 30 minutes."
    )
    path = tmp_path / "99_chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(top)]), path)
    stated = facts(path)
    assert stated.title == "A chapter" and stated.minutes == 30
    assert stated.objectives == ["Build a thing.", "Measure it,\n  on two lines."]


def test_the_course_map_refuses_a_chapter_without_objectives(monkeypatch):
    from scripts import course_map

    stated = course_map.facts(course_map.REPO / "chapters" / "01_xor.ipynb")
    empty = dataclasses.replace(stated, objectives=[])
    monkeypatch.setattr(course_map, "facts", lambda path: empty)
    with pytest.raises(SystemExit, match="states no learning objectives"):
        course_map.guide_block()
