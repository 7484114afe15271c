"""The landing page and the instructor guide agree with the chapters."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((REPO / "chapters").glob("[0-9][0-9]_*.ipynb"))


def _course_map():
    spec = importlib.util.spec_from_file_location("course_map", REPO / "scripts" / "course_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_instructor_guide_lists_every_chapters_objectives_and_time():
    current, wanted = _course_map().updated_guide()
    assert current == wanted, (
        "instructors.md does not match the chapters' titles, objectives and times: "
        "run `.venv/bin/python scripts/course_map.py` and commit instructors.md")


def test_course_map_on_the_landing_page():
    course_map = _course_map()
    rows = [line for line in (REPO / "index.md").read_text().splitlines()
            if line.startswith("| ") and "](chapters/" in line]
    files = course_map.chapter_files()
    assert len(rows) == len(files), "index.md's course map needs one row per chapter in _toc.yml"
    for row, file in zip(rows, files):
        assert f"](<{file}.ipynb>)" in row or f"]({file}.ipynb)" in row, (file, row)
        path = REPO / f"{file}.ipynb"
        if path.is_file():
            facts = course_map.chapter_facts(path)
            assert facts["minutes"], f"{path.name} states no time"
            assert re.search(rf"\| {facts['minutes']} min \|$", row), (
                f"index.md says {row.rsplit('|', 2)[-2].strip()!r} for {path.name}, "
                f"which says about {facts['minutes']} minutes")
