"""What the grader writes: grades.csv (one row per submission and exercise) and one short
feedback file per submission."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from scripts.grade.run import Outcome

COLUMNS = ("submission", "exercise", "passed", "message")


def rows(name: str, labels: list[str], outcome: Outcome) -> list[tuple[str, str, bool, str]]:
    """One row per exercise; a run that stopped fails every exercise with its reason."""
    found = []
    for label in labels:
        if outcome.stopped:
            passed, message = False, f"Not graded: {outcome.stopped}."
        else:
            passed, message = outcome.grades.get(label, (False, "not graded"))
            if not passed and outcome.notes:
                message += f" (The notebook had errors: {outcome.notes[0]}.)"
        found.append((name, label, passed, message))
    return found


def write_csv(path: Path, table: list[tuple[str, str, bool, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(table)


def feedback_name(name: str) -> str:
    """A file name for a submission's feedback: its path with / as __, ending in .txt."""
    stem = re.sub(r"\.ipynb$", "", name.strip("/"))
    return re.sub(r"[^\w.-]+", "__", stem) + ".txt"


def feedback(name: str, chapter: str, table, outcome: Outcome) -> str:
    right = sum(1 for row in table if row[2])
    lines = [
        f"Feedback on {name} (chapter {chapter}): {right} of {len(table)} exercises correct.",
        "",
    ]
    for _, label, passed, message in table:
        lines.append(f"{label}: {'correct' if passed else 'not yet'}. {message}")
    if outcome.notes:
        lines += ["", "Cells that raised an error (the cells after them still ran):"]
        lines += [f"- {note}" for note in outcome.notes]
    lines += [
        "",
        "Graded by running the notebook top to bottom in a fresh kernel, then the course's "
        "own self-checks on your answers.",
    ]
    return "\n".join(lines) + "\n"
