"""Student copies (scripts/student_copy.py): no solutions left, still valid notebooks.

The copies are made once, by the documented command, into a temporary folder. For every
chapter that exists, the copy must:

- be a valid notebook (``nbformat.validate``);
- contain no cell tagged ``solution`` and no ``{solution...}`` directive;
- contain none of the solution code: no solution cell's source, and none of its distinctive
  lines (those that appear nowhere else in the source notebook, outputs included), in any
  cell or output;
- otherwise be the source notebook unchanged: the same non-solution cells in the same order,
  with their outputs, except that cells tagged ``exercise`` have their outputs cleared;
- still offer the learner a ``# your code here`` starter.

And the script refuses, with a one-line error, to write over the sources or where it cannot write.
Only the documented command and one refusal run the script as a process; the other cases call
``student_copy.main`` (a new Python process costs about 2 s, most of it importing nbformat).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from scripts import student_copy
from scripts.chapters import CHAPTERS, REPO

SCRIPT = ["-m", "scripts.student_copy"]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}  # run from any folder
PLACEHOLDER = "# your code here"


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _texts(cell) -> list[str]:
    """The source and every textual output of a cell."""
    texts = [cell.source]
    for output in cell.get("outputs", []):
        if "text" in output:
            texts.append(output["text"])
        for key in ("data", "metadata"):
            for value in output.get(key, {}).values():
                texts.append(value if isinstance(value, str) else str(value))
        texts.extend(output.get("traceback", []))
    return texts


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks in chapters/: nothing to make student copies of"


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    result = subprocess.run(
        [sys.executable, *SCRIPT, "--out", str(out)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for chapter in CHAPTERS:
        assert f"{chapter.name} -> " in result.stdout, result.stdout
    return out


def test_chosen_chapters_only(tmp_path):
    """Naming chapters copies just those (by number, name or path)."""
    if not CHAPTERS:
        pytest.skip("no chapters")
    first = CHAPTERS[0]
    names = [first.stem.split("_")[0], first.stem, str(first)]
    for name in names:
        out = tmp_path / name.replace("/", "_")
        assert student_copy.main([name, "--out", str(out)]) == 0
        assert [p.name for p in out.iterdir()] == [first.name]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_student_copy(chapter: Path, copies: Path):
    source = nbformat.read(chapter, as_version=4)
    copy_path = copies / chapter.name
    assert copy_path.is_file(), f"no student copy written for {chapter.name}"
    copy = nbformat.read(copy_path, as_version=4)
    nbformat.validate(copy)

    solutions = [c for c in source.cells if "solution" in _tags(c)]
    solution_code = [c for c in solutions if c.cell_type == "code"]
    assert solution_code, f"{chapter.name} has no code cell tagged `solution` to remove"

    # Nothing tagged or marked as a solution is left.
    for cell in copy.cells:
        assert "solution" not in _tags(cell), cell.source
        assert "{solution" not in cell.source, f"a solution directive is left: {cell.source!r}"

    # None of the solution code is left, anywhere (sources or outputs).
    copy_text = "\n".join(t for cell in copy.cells for t in _texts(cell))
    source_text = "\n".join(
        t for cell in source.cells if "solution" not in _tags(cell) for t in _texts(cell)
    )
    for cell in solution_code:
        if cell.source.strip() not in source_text:
            assert cell.source.strip() not in copy_text, f"solution cell left:\n{cell.source}"
        distinctive = [
            line.strip()
            for line in cell.source.splitlines()
            if line.strip() and not line.strip().startswith("#") and line.strip() not in source_text
        ]
        for line in distinctive:
            assert line not in copy_text, f"solution line {line!r} is in the student copy"

    # Everything else is the source, unchanged, except exercise outputs are cleared.
    kept = [c for c in source.cells if "solution" not in _tags(c)]
    assert len(copy.cells) == len(kept)
    for original, copied in zip(kept, copy.cells, strict=True):
        assert (copied.cell_type, copied.source) == (original.cell_type, original.source)
        if copied.cell_type != "code":
            continue
        if "exercise" in _tags(copied):
            assert copied.outputs == [] and copied.execution_count is None, copied.source
        else:
            assert copied.outputs == original.outputs, copied.source

    starters = [c for c in copy.cells if "exercise" in _tags(c) and PLACEHOLDER in c.source]
    assert starters, f"{chapter.name}: no exercise cell with {PLACEHOLDER!r} in the student copy"


# --- Refusals: one line each, no traceback, nothing written -------------------------------------
def _refusal(*args: str) -> str:
    """The one-line error of ``student_copy ARGS``, run from the repository's root. The script
    refuses by ``raise SystemExit(message)``, which Python prints to stderr, exit status 1."""
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        with pytest.raises(SystemExit) as info:
            student_copy.main(list(args))
    finally:
        os.chdir(cwd)
    assert isinstance(info.value.code, str), info.value.code  # a message, hence exit status 1
    assert "\n" not in info.value.code, info.value.code
    return info.value.code


def test_a_refusal_is_one_line_on_stderr(tmp_path):
    """As a command: exit status 1 and one line on stderr, no traceback."""
    (tmp_path / "out.txt").write_text("")
    result = subprocess.run(
        [sys.executable, *SCRIPT, "01", "--out", str(tmp_path / "out.txt")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=ENV,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"student_copy: --out {tmp_path / 'out.txt'} is a file")


@pytest.mark.parametrize("out", ["chapters", "chapters/student", "chapters/../chapters"])
def test_refuses_to_write_into_the_chapters(out):
    before = {p.name: p.stat().st_mtime_ns for p in (REPO / "chapters").iterdir()}
    message = _refusal("01", "--out", out)
    assert message.startswith(
        f"student_copy: refusing --out {out}: it is the folder of the source chapters"
    )
    assert "Choose another folder, e.g. student/." in message
    assert {p.name: p.stat().st_mtime_ns for p in (REPO / "chapters").iterdir()} == before


def test_refuses_the_folder_of_sources_named_by_path(tmp_path):
    if not CHAPTERS:
        pytest.skip("no chapters")
    source = tmp_path / CHAPTERS[0].name
    shutil.copy(CHAPTERS[0], source)
    message = _refusal(str(source), "--out", str(tmp_path))
    assert "refusing --out" in message
    assert source.read_bytes() == CHAPTERS[0].read_bytes()


@pytest.mark.parametrize("missing", ["nowhere/01_xor.ipynb", "nowhere/01_xor.md"])
def test_a_chapter_path_that_does_not_exist_is_not_the_repositorys(tmp_path, missing):
    message = _refusal(str(tmp_path / missing), "--out", str(tmp_path / "out"))
    assert message.startswith(f"No such file {str(tmp_path / missing)!r}: name a chapter by")
    assert not (tmp_path / "out").exists()


def test_an_output_path_that_is_a_file(tmp_path):
    (tmp_path / "out.txt").write_text("")
    message = _refusal("01", "--out", str(tmp_path / "out.txt"))
    assert message == (
        f"student_copy: --out {tmp_path / 'out.txt'} is a file, not a folder; "
        "choose a folder (it is created if missing)."
    )


def test_a_folder_that_cannot_be_written(tmp_path, monkeypatch, capsys):
    """Read-only folders: simulated (permissions do not stop root, who may run the tests)."""

    def read_only(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", read_only)
    with pytest.raises(SystemExit) as info:
        student_copy.main(["01", "--out", str(tmp_path)])
    assert str(info.value) == (
        f"student_copy: cannot write {tmp_path / CHAPTERS[0].name}: Permission denied."
    )


@pytest.mark.parametrize(
    "text, reason",
    [
        ("not json", "NotJSONError: Notebook does not appear to be JSON"),
        ("[]", "AttributeError"),
        ('{"nbformat": 4, "nbformat_minor": 5, "cells": []}', "ValidationError"),
    ],
)
def test_a_notebook_that_is_not_valid(tmp_path, text, reason):
    (tmp_path / "broken.ipynb").write_text(text)
    message = _refusal(str(tmp_path / "broken.ipynb"), "--out", str(tmp_path / "out"))
    assert message.startswith(
        f"student_copy: {tmp_path / 'broken.ipynb'} is not a valid notebook ({reason}"
    )
    assert not (tmp_path / "out").exists()


def test_copies_already_there_are_not_replaced_without_force(tmp_path):
    """A second run over handed-out copies would replace learners' edits without a word."""
    assert student_copy.main(["01", "--out", str(tmp_path)]) == 0
    copy = tmp_path / CHAPTERS[0].name
    copy.write_text(copy.read_text().replace("# your code here", "# my answer"))
    with pytest.raises(SystemExit) as info:
        student_copy.main(["01", "--out", str(tmp_path)])
    assert str(info.value).startswith(f"student_copy: {tmp_path} already holds {copy.name};")
    assert "add --force to replace them" in str(info.value)
    assert "# my answer" in copy.read_text()
    assert student_copy.main(["01", "--out", str(tmp_path), "--force"]) == 0
    assert "# my answer" not in copy.read_text()
