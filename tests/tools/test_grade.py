"""The grader (scripts/grade): grades come from the course's checks, never from the notebook.

Synthetic submissions of chapter 1 are made from its student copy (scripts.student_copy) with
the reference answers put in the starter cells, then changed one way each; all of them are
graded by ONE run of the documented command (``python -m scripts.grade``, three at a time),
from an empty working folder, with a short time limit per cell:

- reference: every exercise passes;
- wrong: a wrong AND gate fails, the XOR network passes;
- cheat: ``print("Correct: ...")`` in place of an answer, an edited check cell, and the
  notebook's ``checks`` (and ``CheckResult``) patched to say "Correct": both fail;
- deleted: the XOR network's cell deleted: it fails, naming ``xor_network``;
- endless: an endless loop: the submission stops at the time limit, every exercise fails;
- died: the kernel exits (``os._exit``): every exercise fails, the others are still graded;
- hostile: cells that raise, call ``sys.exit``, allocate past the memory limit, write to
  ``../escape.txt``, to an absolute path and through a shell: the answers still pass, the
  feedback lists the errors, and no file appears outside the grader's folder;
- malformed.ipynb (not JSON) and notes.txt (not a notebook): fail with a message.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from scripts.chapters import CHAPTERS_DIR, REPO, tags
from scripts.student_copy import student_copy

CHAPTER = CHAPTERS_DIR / "01_xor.ipynb"
AND, XOR = "ex-01-and-gate", "ex-01-xor-network"
FORGED = 'print("Correct: the AND gate (X @ w + b > 0) is right.")'


def reference_answers() -> dict[str, str]:
    """Each starter cell's source -> the solution code cell that follows it."""
    cells = nbformat.read(CHAPTER, as_version=4).cells
    answers, starter = {}, None
    for cell in cells:
        if cell.cell_type != "code":
            continue
        if "exercise" in tags(cell) and "# your code here" in cell.source:
            starter = cell.source
        elif "solution" in tags(cell) and starter is not None:
            answers[starter], starter = cell.source, None
    return answers


def index_of(nb, text: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and text in c.source)


def code(source: str):
    return nbformat.v4.new_code_cell(source)


def submissions(folder: Path, escape_target: Path) -> None:
    """Write the synthetic submissions into ``folder``."""
    copy = student_copy(CHAPTER, folder / "copy")
    reference = nbformat.read(copy, as_version=4)
    for cell in reference.cells:
        cell.source = reference_answers().get(cell.source, cell.source)
    answer_and = index_of(reference, "w_and = jnp.array")
    check_and = index_of(reference, "checks.check_and_gate(")
    check_xor = index_of(reference, "checks.check_xor_network(")
    answer_xor = index_of(reference, "def xor_network(")

    def variant(name: str, change) -> None:
        nb = nbformat.reads(nbformat.writes(reference), as_version=4)
        change(nb.cells)
        nbformat.write(nb, folder / "in" / f"{name}.ipynb")

    (folder / "in").mkdir()
    variant("reference", lambda cells: None)

    def wrong(cells):
        cells[answer_and].source = "w_and = jnp.array([1.0, 1.0])\nb_and = -0.5  # OR"

    def cheat(cells):
        cells[answer_and].source = "w_and = ...\nb_and = ..."
        cells[check_and].source = FORGED
        cells[answer_xor].source = (  # a wrong answer, and the notebook's checks patched
            "def xor_network(X):\n    return jnp.zeros(4)\n\n\n"
            "yes = checks.CheckResult(True, 'Correct: yes')\n"
            "checks.check_and_gate = checks.check_xor_network = lambda *a: yes\n"
            "checks.CheckResult.__bool__ = lambda self: True"
        )
        cells[check_xor].source = "checks.check_xor_network(lambda X: jnp.array([0, 1, 1, 0]))"

    def deleted(cells):
        del cells[answer_xor]

    def endless(cells):
        cells.insert(answer_and + 1, code("while True:\n    pass"))

    def died(cells):
        cells.insert(answer_and + 1, code("import os\n\nos._exit(3)"))

    def hostile(cells):
        cells[answer_and + 1 : answer_and + 1] = [
            code("raise RuntimeError('a bug of mine')"),
            code("import sys\n\nsys.exit(1)"),
            code("hog = np.empty(6 * 2**30, dtype=np.uint8)"),
            code("open('../escape.txt', 'w').write('out')"),
            code(f"open({str(escape_target)!r}, 'w').write('out')"),
            code(f"import subprocess\n\nsubprocess.run(['touch', {str(escape_target)!r}])"),
            code("!touch ../../shell_escape.txt"),
        ]

    for change in (wrong, cheat, deleted, endless, died, hostile):
        variant(change.__name__, change)
    (folder / "in" / "malformed.ipynb").write_text("{ not a notebook", encoding="utf-8")
    (folder / "notes.txt").write_text("my answers are in my head\n", encoding="utf-8")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The grader's run: (grades by submission and exercise, feedback by name, the folders)."""
    root = tmp_path_factory.mktemp("grade")
    escape_target = root / "outside" / "escaped.txt"
    escape_target.parent.mkdir()
    submissions(root, escape_target)
    cwd = root / "cwd"
    cwd.mkdir()
    command = [sys.executable, "-m", "scripts.grade", "01_xor", str(root / "in")]
    command += [str(root / "notes.txt"), "--out", str(root / "out"), "--jobs", "3"]
    command += ["--cell-timeout", "10", "--memory-gb", "4"]  # the whole reference: about 7 s
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(root / "tmp")}
    (root / "tmp").mkdir()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    print(done.stdout)  # each submission's time, shown by pytest -s
    with open(root / "out" / "grades.csv", newline="", encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    grades = {(Path(r["submission"]).stem, r["exercise"]): r for r in rows}
    feedback = {p.stem: p.read_text() for p in (root / "out" / "feedback").iterdir()}
    return grades, feedback, root, escape_target


def passed(grades, name: str, exercise: str) -> bool:
    return grades[name, exercise]["passed"] == "True"


def test_reference_passes_and_table_has_every_row(graded):
    grades, feedback, _, _ = graded
    names = {"reference", "wrong", "cheat", "deleted", "endless", "died", "hostile"}
    assert {name for name, _ in grades} == names | {"malformed", "notes"}
    assert {exercise for _, exercise in grades} == {AND, XOR}
    assert passed(grades, "reference", AND) and passed(grades, "reference", XOR)
    assert grades["reference", AND]["message"].startswith("Correct: ")
    assert "2 of 2 exercises correct" in feedback["reference"]


def test_wrong_answer_fails_only_its_exercise(graded):
    grades = graded[0]
    assert not passed(grades, "wrong", AND) and passed(grades, "wrong", XOR)
    assert grades["wrong", AND]["message"].startswith("Not quite yet: ")


def test_printed_correct_edited_check_and_patched_checks_count_for_nothing(graded):
    grades = graded[0]
    assert not passed(grades, "cheat", AND) and not passed(grades, "cheat", XOR)
    assert "is still Ellipsis" in grades["cheat", AND]["message"]
    assert grades["cheat", XOR]["message"].startswith("Not quite yet: ")


def test_a_deleted_answer_fails_naming_the_expected_name(graded):
    grades = graded[0]
    assert passed(grades, "deleted", AND) and not passed(grades, "deleted", XOR)
    message = grades["deleted", XOR]["message"]
    assert "xor_network not defined" in message and XOR in message


def test_an_endless_loop_stops_that_submission_only(graded):
    grades = graded[0]
    for exercise in (AND, XOR):
        assert not passed(grades, "endless", exercise)
        assert "per-cell time limit (10 s)" in grades["endless", exercise]["message"]


def test_a_dead_kernel_fails_that_submission_with_a_reason(graded):
    grades = graded[0]
    assert not passed(grades, "died", AND)
    assert "the kernel died in cell" in grades["died", AND]["message"]


def test_errors_memory_and_writes_outside_are_contained(graded):
    grades, feedback, root, escape_target = graded
    assert passed(grades, "hostile", AND) and passed(grades, "hostile", XOR)
    notes = feedback["hostile"]
    for said in ("RuntimeError: a bug of mine", "SystemExit", "MemoryError", "PermissionError"):
        assert said in notes, said
    assert "start other programs" in notes and "write outside its folder" in notes
    assert not escape_target.exists()
    assert not list(root.rglob("*escape.txt"))
    for folder in (REPO, REPO.parent, Path.cwd(), Path.cwd().parent):
        assert not list(folder.glob("*escape.txt")), folder
    assert not any((root / "cwd").iterdir()), "the grader wrote into its working folder"
    assert not any((root / "tmp").iterdir()), "the grader left files in TMPDIR"
    assert sorted(p.name for p in (root / "out").iterdir()) == ["feedback", "grades.csv"]


def test_files_that_are_not_notebooks_fail_with_a_message(graded):
    grades = graded[0]
    for name in ("malformed", "notes"):
        for exercise in (AND, XOR):
            assert not passed(grades, name, exercise)
        assert "is not a readable notebook" in grades[name, AND]["message"]


# --- Refusals before anything is graded: one line, nothing written ------------------------------
def test_a_missing_chapter_or_submission_is_refused_by_name(tmp_path):
    from scripts.grade.__main__ import main

    chapter, folder = tmp_path / "nowhere" / "03_losses.ipynb", tmp_path / "nosuchdir"
    with pytest.raises(SystemExit) as refusal:  # not the repository's chapter 3
        main([str(chapter), str(tmp_path), "--out", str(tmp_path / "g")])
    assert str(refusal.value).startswith(f"No such file {str(chapter)!r}: name a chapter by")
    with pytest.raises(SystemExit) as refusal:  # not a submission graded 0/2
        main(["01_xor", str(CHAPTER), str(folder), "--out", str(tmp_path / "g")])
    assert str(refusal.value) == (
        f"grade: no such submission: {folder}; give .ipynb files or folders of them that exist."
    )
    assert not (tmp_path / "g").exists()


@pytest.mark.parametrize("option", ["--memory-gb", "--cell-timeout", "--timeout"])
@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_limits_are_finite_and_above_zero(option, value, capsys):
    from scripts.grade.__main__ import parse

    with pytest.raises(SystemExit):
        parse(["01_xor", "x.ipynb", "--out", "g", option, value])
    assert f"argument {option}: {value} is not a finite number above 0" in capsys.readouterr().err
