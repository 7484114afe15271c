"""What the grader checks, read from the reference chapter itself (never kept by hand).

An exercise (CONTRIBUTING.md, "Exercises, solutions, self-checks") is a markdown cell with a
``{exercise}`` directive and its ``:label:``, a starter cell tagged ``exercise``, the solution
cells tagged ``solution``, and a self-check cell tagged ``exercise`` that calls
``checks.check_...(answer)``. The grader re-runs that self-check cell's code, taken from
``chapters/NN_name.ipynb``, on the learner's names. Exercises without a self-check (explain,
predict) are not graded here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from scripts.chapters import tags

LABEL = re.compile(r"^```\{exercise\}.*?^:label:\s*(\S+)", re.M | re.S)
EXERCISE_TAG, SOLUTION_TAG = "exercise", "solution"


@dataclass(frozen=True)
class Exercise:
    """One graded exercise: its label, the reference self-check code and the names it
    expects the learner to define (those of its starter cell that the check reads)."""

    label: str
    check_source: str
    answer_names: tuple[str, ...]
    starter: str  # the starter cell, quoted in messages
    check_cell: str  # the self-check cell as the chapter has it


def defined_names(source: str) -> list[str]:
    """Top-level names a cell assigns, defines or imports, in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names += [(a.asname or a.name).split(".")[0] for a in node.names]
        else:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    names.append(sub.id)
    return list(dict.fromkeys(names))


def read_names(source: str) -> set[str]:
    """Names a cell reads."""
    tree = ast.parse(source)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def calls_checks(source: str) -> bool:
    """Whether a cell calls ``checks.<something>(...)``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == "checks"
        for n in ast.walk(tree)
    )


def without_checks_import(source: str) -> str:
    """The check cell's code without ``from helpers import checks``: the grader binds
    ``checks`` itself, to a fresh copy of the course's checks."""
    tree = ast.parse(source)
    body = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "helpers":
            node.names = [a for a in node.names if (a.asname or a.name) != "checks"]
            if not node.names:
                continue
        body.append(node)
    tree.body = body
    return ast.unparse(tree)


def exercises(chapter: Path) -> list[Exercise]:
    """The graded exercises of a reference chapter notebook, in order."""
    cells = nbformat.read(chapter, as_version=4).cells
    found: list[Exercise] = []
    label, starter, seen_solution = None, None, False
    for cell in cells:
        cell_tags = tags(cell)
        if cell.cell_type == "markdown" and (match := LABEL.search(cell.source)):
            label, starter, seen_solution = match.group(1), None, False
        elif label is None or cell.cell_type != "code" and SOLUTION_TAG not in cell_tags:
            continue
        elif SOLUTION_TAG in cell_tags:
            seen_solution = True
        elif EXERCISE_TAG in cell_tags and not seen_solution:
            starter = cell.source
        elif EXERCISE_TAG in cell_tags and calls_checks(cell.source):
            given = defined_names(starter or "")
            used = read_names(cell.source)
            names = tuple(n for n in given if n in used)
            found.append(
                Exercise(
                    label,
                    without_checks_import(cell.source),
                    names,
                    starter or "",
                    cell.source.strip(),
                )
            )
            label = None
    if not found:
        raise SystemExit(f"grade: {chapter.name} has no exercise with a self-check to grade.")
    return found


def is_self_check(cell, graded: list[Exercise]) -> bool:
    """Whether a learner's code cell is one of the chapter's self-check cells, which the
    grader skips (it runs its own copy): the reference text, or a cell tagged ``exercise``
    that calls the checks and defines none of the answers."""
    source = cell.source.strip()
    if source in {exercise.check_cell for exercise in graded}:
        return True
    answers = {name for exercise in graded for name in exercise.answer_names}
    return (
        EXERCISE_TAG in tags(cell)
        and calls_checks(source)
        and not answers.intersection(defined_names(source))
    )
