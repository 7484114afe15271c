"""Every chapter notebook follows the contract in CONTRIBUTING.md.

- Colab metadata asks for a GPU runtime; the kernel is python3.
- The first code cell is, character for character, colab/setup_cell.py (on Colab only it
  installs from colab/requirements.txt; everywhere it prints the JAX version and the devices),
  and it is stored executed. Only a cell tagged ``device-setup`` (``import jax`` and
  ``jax.config.update(...)``, for settings JAX needs before its first computation) may precede it.
- A title, learning objectives (3-5 bullets) and a time estimate at the top.
- At least two sphinx-exercise ``{exercise}`` directives, each with a dropdown solution in
  cells tagged ``solution``; solution code sits between ``{solution-start}`` and
  ``{solution-end}`` in code cells tagged ``solution``, after a ``# your code here`` starter
  and before a self-check, both tagged ``exercise``.
- A "Key takeaways" section.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from scripts.chapters import CHAPTERS, REPO, facts, tags

IDS = [c.stem for c in CHAPTERS]

DIRECTIVE = re.compile(
    r"^(`{3,}|:{3,})\{(exercise|solution|solution-start|solution-end)\}[ \t]*(.*)$", re.MULTILINE
)


SETUP_CELL = (REPO / "colab" / "setup_cell.py").read_text().strip()


def _read(chapter: Path):
    return nbformat.read(chapter, as_version=4)


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks in chapters/"


def test_setup_cell_installs_only_on_colab_from_the_pinned_requirements():
    assert 'if "google.colab" in sys.modules:' in SETUP_CELL
    assert (
        "/colab/requirements.txt" in SETUP_CELL and (REPO / "colab" / "requirements.txt").is_file()
    )
    assert not re.search(r"install[^\n]*\bjax", SETUP_CELL), (
        "the setup cell must never install jax: Colab's own accelerator build stays"
    )
    assert "\ncheck_runtime()  # " in SETUP_CELL  # the JAX line, or a stop on an unused GPU/TPU


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_the_setup_cells_version_line_is_marked_version_dependent(chapter):
    """It prints the JAX version: the Colab run (scripts/colab_compat.sh) must not compare it."""
    setup = [c for c in _read(chapter).cells if c.source.strip() == SETUP_CELL]
    assert len(setup) == 1, f"{chapter.name}: the setup cell appears {len(setup)} times"
    assert setup[0].metadata.get("nbval-version-dependent"), (
        f"{chapter.name}: the setup cell needs nbval-version-dependent in its metadata"
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_metadata_asks_colab_for_a_gpu(chapter):
    meta = _read(chapter).metadata
    assert meta.get("accelerator") == "GPU", f"{chapter.name}: metadata.accelerator is not 'GPU'"
    assert meta.get("colab", {}).get("gpuType"), f"{chapter.name}: metadata.colab.gpuType missing"
    assert meta.get("kernelspec", {}).get("name") == "python3", meta.get("kernelspec")


def _configures_jax_only(source: str) -> bool:
    """The code is ``import jax`` and ``jax.config.update(...)`` calls, nothing else (comments
    aside): a setting JAX needs before its first computation, which computes nothing."""
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.Import) and [a.name for a in statement.names] == ["jax"]:
            continue
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not (isinstance(call, ast.Call) and ast.unparse(call.func) == "jax.config.update"):
            return False
    return True


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        ('# a comment\nimport jax\n\njax.config.update("jax_num_cpu_devices", 8)', True),
        ('import jax\njax.config.update("jax_enable_x64", True)', True),
        ("import jax\nprint(jax.devices())", False),  # starts the backend
        ('import jax, numpy\njax.config.update("jax_num_cpu_devices", 8)', False),
        ('import jax\nx = jax.config.update("jax_num_cpu_devices", 8)', False),
        ("import jax\njax.numpy.zeros(3)", False),
    ],
)
def test_a_device_setup_cell_only_configures_jax(source, allowed):
    assert _configures_jax_only(source) is allowed


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_first_code_cell_is_the_setup_cell(chapter):
    """The setup cell is the first code cell, with one exception: a chapter may open with ONE
    code cell tagged ``device-setup`` that only configures JAX (``import jax`` and
    ``jax.config.update(...)``) and prints nothing, because the setting must come before JAX's
    first computation and the setup cell computes (it prints ``jax.devices()``). Chapter 9 asks
    for 8 simulated CPU devices that way."""
    code = [c for c in _read(chapter).cells if c.cell_type == "code"]
    assert code, f"{chapter.name} has no code"
    if "device-setup" in tags(code[0]):
        device_cell, code = code[0], code[1:]
        assert _configures_jax_only(device_cell.source), (
            f"{chapter.name}: the `device-setup` cell may only `import jax` and call "
            f"jax.config.update(...), got:\n{device_cell.source}"
        )
        assert not device_cell.outputs, f"{chapter.name}: the `device-setup` cell printed something"
    assert code and code[0].source.strip() == SETUP_CELL, (
        f"{chapter.name}: the first code cell must be colab/setup_cell.py (or, before it, one "
        "cell tagged `device-setup`)"
    )
    assert not any("device-setup" in tags(c) for c in code), (
        f"{chapter.name}: a `device-setup` cell must be the first code cell, before the setup cell"
    )
    printed = "".join(o.get("text", "") for o in code[0].outputs if o.output_type == "stream")
    assert printed.startswith("JAX ") and "| devices:" in printed, (
        f"{chapter.name}: the setup cell is not stored executed (no 'JAX ... | devices:' output)"
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_title_objectives_and_time(chapter):
    cells = _read(chapter).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# "), (
        f"{chapter.name}: the first cell must be the '# Title'"
    )
    stated = facts(chapter)
    assert 3 <= len(stated.objectives) <= 5, (
        f"{chapter.name}: {len(stated.objectives)} learning objectives at the top (want 3-5)"
    )
    assert stated.minutes, f"{chapter.name}: no '**Time**: about N minutes' at the top"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_key_takeaways(chapter):
    headings = [
        line
        for c in _read(chapter).cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]
    assert "## Exercises" in headings, f"{chapter.name}: no '## Exercises' section"
    assert "## Key takeaways" in headings, f"{chapter.name}: no '## Key takeaways' section"


class ExerciseWalk:
    """Reads a chapter's cells in order and notes every break of the exercise pattern."""

    def __init__(self, name: str, cells):
        self.name, self.cells = name, cells
        self.exercises, self.solved, self.problems = [], set(), []
        self.open_solution = None  # label of the {solution-start} we are inside of
        self.last_starter = None  # index of the last `exercise` cell with `# your code here`
        self.code_solutions = 0
        for i, cell in enumerate(cells):
            self.cell(i, cell)

    def cell(self, i: int, cell) -> None:
        where = f"{self.name} cell {i}"
        if cell.cell_type == "code":
            if "exercise" in tags(cell) and "# your code here" in cell.source:
                self.last_starter = i
            if self.open_solution:
                if "solution" not in tags(cell):
                    self.problems.append(
                        f"{where}: code inside {self.open_solution}'s solution is not tagged "
                        "`solution`"
                    )
                self.code_solutions += 1
            return
        for _fence, kind, argument in DIRECTIVE.findall(cell.source):
            if kind == "exercise":
                self.exercise(where, cell)
            else:
                self.solution(where, i, cell, kind, argument.strip())

    def exercise(self, where: str, cell) -> None:
        label = re.search(r"^:label:\s*(\S+)", cell.source, re.MULTILINE)
        if label:
            self.exercises.append(label.group(1))
        else:
            self.problems.append(f"{where}: exercise without :label:")

    def solution(self, where: str, i: int, cell, kind: str, label: str) -> None:
        if "solution" not in tags(cell):
            self.problems.append(f"{where}: {{{kind}}} cell is not tagged `solution`")
        if kind in ("solution", "solution-start"):
            if not re.search(r"^:class:\s*dropdown\s*$", cell.source, re.MULTILINE):
                self.problems.append(f"{where}: {{{kind}}} {label} is not `:class: dropdown`")
            if label not in self.exercises:
                self.problems.append(f"{where}: solution for unknown exercise {label!r}")
            self.solved.add(label)
        if kind == "solution-start":
            if self.last_starter is None:
                self.problems.append(
                    f"{where}: no `# your code here` starter (tagged `exercise`) "
                    f"before the solution of {label}"
                )
            self.last_starter, self.open_solution = None, label
        if kind == "solution-end":
            if self.open_solution is None:
                self.problems.append(f"{where}: solution-end without solution-start")
            after = next((c for c in self.cells[i + 1 :] if c.cell_type == "code"), None)
            if after is None or "exercise" not in tags(after) or "checks." not in after.source:
                self.problems.append(
                    f"{where}: the code cell after {self.open_solution}'s solution "
                    "should be its self-check (`checks.check_...`, tagged `exercise`)"
                )
            self.open_solution = None


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_exercises_with_dropdown_solutions(chapter):
    walk = ExerciseWalk(chapter.name, _read(chapter).cells)
    count = len(walk.exercises)
    assert count >= 2, f"{chapter.name}: {count} exercises (want at least 2)"
    unsolved = [label for label in walk.exercises if label not in walk.solved]
    assert not unsolved, f"{chapter.name}: exercises without a solution: {unsolved}"
    assert walk.code_solutions >= 1, f"{chapter.name}: no solution code cell"
    assert not walk.problems, "\n".join(walk.problems)
