"""The landing page, the README and the instructor guide agree with the chapters."""

from __future__ import annotations

import re

from scripts import course_map
from scripts.chapters import REPO, facts, toc_chapters


def test_generated_chapter_lists_are_up_to_date():
    """instructors.md and README.md carry blocks made by scripts/course_map.py."""
    for path, (current, wanted) in course_map.updates().items():
        assert current == wanted, (
            f"{path.name} does not match the chapters: run "
            f"`.venv/bin/python -m scripts.course_map` and commit {path.name}"
        )


def test_course_map_on_the_landing_page():
    rows = course_map.landing_page_rows()
    files = toc_chapters()
    assert len(rows) == len(files), "index.md's course map needs one row per chapter in _toc.yml"
    for number, (row, file) in enumerate(zip(rows, files), start=1):
        assert row.startswith(f"| {number}. [") and f"]({file}.ipynb)" in row, (file, row)
        chapter = facts(REPO / f"{file}.ipynb")
        assert chapter.minutes, f"{file} states no time"
        assert re.search(rf"\| {chapter.minutes} min \|$", row), (
            f"index.md says {row.rsplit('|', 2)[-2].strip()!r} for {file}, "
            f"which says about {chapter.minutes} minutes"
        )
