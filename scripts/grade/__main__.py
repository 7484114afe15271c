"""Grade submitted notebooks of one chapter with the course's own self-checks.

    .venv/bin/python -m scripts.grade 05_training submissions/ --out grades/
    .venv/bin/python -m scripts.grade 01 alice.ipynb bob.ipynb --out grades/ --jobs 2

Writes grades/grades.csv (submission, exercise, passed, message) and a feedback file per
submission in grades/feedback/. The instructor guide (instructors.md) explains the workflow
and what the limits guard against; scripts/grade/__init__.py says how a grade is made.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import shutil
import sys
import tempfile
from pathlib import Path

from scripts.grade.exercises import exercises
from scripts.grade.report import feedback, feedback_name, rows, write_csv
from scripts.grade.run import Limits, grade_submission
from scripts.student_copy import find_chapters


def submissions(names: list[str]) -> tuple[list[tuple[str, Path]], list[str]]:
    """(name, path) of each submission: a file as named (whatever its type: a file that is
    not a notebook fails with a message), named by its file name, or every .ipynb inside a
    folder, named by its path in the folder; and the other files found in those folders.
    A path that does not exist is refused, named, before anything is graded."""
    absent = [name for name in names if not Path(name).exists()]
    if absent:
        raise SystemExit(
            f"grade: no such submission: {', '.join(absent)}; "
            "give .ipynb files or folders of them that exist."
        )
    found, skipped = [], []
    for name in names:
        path = Path(name)
        if not path.is_dir():
            found.append((path.name, path))  # a file that is no notebook fails with a message
            continue
        for inner in sorted(path.rglob("*")):
            if ".ipynb_checkpoints" in inner.parts or not inner.is_file():
                continue
            if inner.suffix == ".ipynb":
                found.append((str(inner.relative_to(path)), inner))
            else:
                skipped.append(str(inner))
    seen: set[str] = set()
    unique = []
    for name, path in found:  # two files of the same name: the later one by its full path
        unique.append((str(path) if name in seen else name, path))
        seen.add(unique[-1][0])
    return unique, skipped


def positive(text: str) -> float:
    """A number above 0, and finite (not nan or inf): a limit."""
    number = float(text)
    if not 0 < number < math.inf:
        raise argparse.ArgumentTypeError(f"{text} is not a finite number above 0")
    return number


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", help="the chapter: 05, 05_training or its path")
    parser.add_argument("submissions", nargs="+", help=".ipynb files or folders of them")
    parser.add_argument("--out", type=Path, required=True, help="folder for the grades")
    parser.add_argument("--jobs", type=int, default=1, help="submissions run at once (1)")
    defaults = Limits()
    parser.add_argument(
        "--cell-timeout", type=positive, default=defaults.cell_s, help="seconds per cell (120)"
    )
    parser.add_argument(
        "--timeout",
        type=positive,
        default=defaults.submission_s,
        help="seconds per submission (600)",
    )
    parser.add_argument(
        "--memory-gb",
        type=positive,
        default=defaults.memory_bytes / 2**30,
        help="address space of a submission's kernel, in GiB (8)",
    )
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.cell_timeout <= 0 or args.timeout <= 0 or args.memory_gb < 2:
        parser.error("--jobs is at least 1, the timeouts above 0, --memory-gb at least 2")
    return args


async def grade_all(graded, found, limits: Limits, jobs: int, scratch: Path):
    gate = asyncio.Semaphore(jobs)

    async def one(path: Path):
        async with gate:
            return await grade_submission(path, graded, limits, scratch)

    return await asyncio.gather(*(one(path) for _, path in found))


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    (chapter,) = find_chapters([args.chapter])
    graded = exercises(chapter)
    found, skipped = submissions(args.submissions)
    if not found:
        raise SystemExit("grade: no .ipynb submissions found in " + " ".join(args.submissions))
    out = args.out.expanduser().resolve()
    try:
        (out / "feedback").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SystemExit(f"grade: cannot write --out {args.out}: {exc.strerror or exc}.") from None
    limits = Limits(args.cell_timeout, args.timeout, int(args.memory_gb * 2**30))
    scratch = Path(tempfile.mkdtemp(prefix=".grading-", dir=out))  # runs live here, then go
    try:
        outcomes = asyncio.run(grade_all(graded, found, limits, args.jobs, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    labels = [e.label for e in graded]
    table = []
    for (name, _), outcome in zip(found, outcomes, strict=True):
        mine = rows(name, labels, outcome)
        table += mine
        text = feedback(name, chapter.stem, mine, outcome)
        (out / "feedback" / feedback_name(name)).write_text(text, encoding="utf-8")
        right = sum(1 for row in mine if row[2])
        stopped = ", stopped" if outcome.stopped else ""
        print(f"{name}: {right}/{len(mine)} correct ({outcome.seconds:.0f} s{stopped})")
    write_csv(out / "grades.csv", table)
    for name in skipped:
        print(f"skipped (not .ipynb): {name}", file=sys.stderr)
    print(f"{len(found)} submission(s) graded -> {out / 'grades.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
