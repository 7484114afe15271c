"""Run one submission in a fresh, limited kernel in its own temporary folder, and read back
the grades that the grader's own cell wrote."""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from scripts.grade.exercises import Exercise, is_self_check
from scripts.grade.launch import kernel_env, kernel_manager

HERE = Path(__file__).resolve().parent
IN_KERNEL = HERE / "in_kernel.py"


@dataclass(frozen=True)
class Limits:
    cell_s: float = 120.0  # one cell, and one exercise's check
    submission_s: float = 600.0  # the whole notebook
    memory_bytes: int = 8 * 2**30  # the kernel's address space (RLIMIT_AS)
    file_bytes: int = 2**30  # any one file the kernel writes (RLIMIT_FSIZE)


@dataclass
class Outcome:
    """What grading one submission gave: per exercise (passed, message), and notes about
    the run (cells that raised, why it stopped)."""

    grades: dict[str, tuple[bool, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    stopped: str = ""  # why the run ended early: then every exercise fails with it
    seconds: float = 0.0  # how long the run took


def first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    text = lines[0] if lines else ""
    return text if len(text) <= 60 else text[:57] + "..."


def read_submission(path: Path):
    """The learner's notebook, or a ValueError saying why it is not one."""
    if not path.is_file():
        raise ValueError(f"{path} is not a file (it does not exist, or is a folder)")
    try:
        nb = nbformat.read(path, as_version=4)
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not a notebook (not text: a binary file)") from None
    except Exception as exc:  # not JSON, or JSON nbformat cannot read: many error types
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:160]
        raise ValueError(f"{path.name} is not a readable notebook ({reason})") from None
    if not isinstance(nb.get("cells"), list):
        raise ValueError(f"{path.name} is not a notebook (it has no cells)")
    return nb


def grader_cell(graded: list[Exercise], result_path: Path, seconds: float) -> str:
    """The grader's cell: runs in_kernel.py on the learner's namespace (see its docstring)."""
    payload = json.dumps(
        [
            {
                "label": e.label,
                "source": e.check_source,
                "names": e.answer_names,
                "starter": e.starter,
            }
            for e in graded
        ]
    )
    return (
        "import json as _grader_json, runpy as _grader_runpy\n"
        f"_grader_runpy.run_path({str(IN_KERNEL)!r}, run_name='__main__', init_globals={{\n"
        f"    'NAMESPACE': globals(), 'EXERCISES': _grader_json.loads({payload!r}),\n"
        f"    'RESULT_PATH': {str(result_path)!r}, 'SECONDS': {seconds!r}}})\n"
        "pass"
    )


def to_run(nb, graded: list[Exercise], result_path: Path, seconds: float):
    """The learner's code cells without the self-check cells, then the grader's cell;
    ``positions[i]`` is cell i's position (1-based) in the learner's notebook."""
    cells, positions = [], []
    for position, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") == "code" and not is_self_check(cell, graded):
            cells.append(nbformat.v4.new_code_cell(cell.get("source", "")))
            positions.append(position)
    cells.append(nbformat.v4.new_code_cell(grader_cell(graded, result_path, seconds)))
    run = nbformat.v4.new_notebook(cells=cells)
    run.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return run, positions


def errors(executed, positions: list[int]) -> list[str]:
    """'cell N (first line) raised Name: value' for each learner cell that raised."""
    found = []
    for cell, position in zip(executed.cells, positions, strict=False):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                value = " ".join(str(output.get("evalue", "")).split())[:160]
                found.append(
                    f"cell {position} ({first_line(cell.source)}) raised "
                    f"{output.get('ename')}: {value}"
                )
    return found


async def grade_submission(
    path: Path, graded: list[Exercise], limits: Limits, scratch: Path
) -> Outcome:
    """Grade one submission in a new folder inside ``scratch`` (removed afterwards); never
    raises for anything the submission does."""
    outcome = Outcome()
    try:
        nb = read_submission(path)
    except (ValueError, OSError) as exc:
        outcome.stopped = str(exc) if isinstance(exc, ValueError) else f"cannot read: {exc}"
        return outcome
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=scratch)).resolve()
    try:
        work = folder / "run" / "work"
        for sub in (work, folder / "home", folder / "tmp", folder / "runtime"):
            sub.mkdir(parents=True)
        result = folder / f"grades-{secrets.token_hex(16)}.json"
        run, positions = to_run(nb, graded, result, limits.cell_s)
        start = time.monotonic()
        await execute(run, positions, folder, work, limits, outcome)
        outcome.seconds = time.monotonic() - start
        if result.is_file() and not outcome.stopped:
            stored = json.loads(result.read_text(encoding="utf-8"))
            outcome.grades = {label: (bool(p), str(m)) for label, (p, m) in stored.items()}
        elif not outcome.stopped:
            outcome.stopped = "the grader's own cell did not finish (the kernel stopped)"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return outcome


async def execute(run, positions, folder, work, limits: Limits, outcome: Outcome) -> None:
    """Run the cells; on a timeout or a dead kernel, say where in ``outcome.stopped``."""
    deadline = time.monotonic() + limits.submission_s
    grader = run.cells[-1]
    checking = limits.cell_s * (grader.source.count("'label'") + 1)  # one limit per check
    state = {"index": None}

    def timeout(cell) -> int:
        own = checking if cell is grader else min(limits.cell_s, deadline - time.monotonic())
        return max(1, int(own))

    def started(cell, cell_index, **_):
        state["index"] = cell_index

    client = NotebookClient(
        run,
        km=kernel_manager(folder, limits),
        timeout_func=timeout,
        allow_errors=True,
        record_timing=False,
        startup_timeout=120,
        shutdown_kernel="immediate",
        on_cell_start=started,
        resources={"metadata": {"path": str(work)}},
    )
    log = folder / "kernel.log"  # the kernel process's own output (not the cells')
    try:
        with log.open("w") as stderr:
            await asyncio.wait_for(
                client.async_execute(
                    env=kernel_env(folder), cwd=str(work), stdout=stderr, stderr=stderr
                ),
                limits.submission_s + checking + 120,
            )
    except (CellTimeoutError, TimeoutError):
        over = deadline - time.monotonic() <= 1
        outcome.stopped = (
            f"{where(state['index'], positions)} ran past the "
            f"{'submission' if over else 'per-cell'} time limit "
            f"({limits.submission_s if over else limits.cell_s:g} s): an endless loop? "
            "The notebook was stopped there and nothing was graded"
        )
    except DeadKernelError:
        outcome.stopped = (
            f"the kernel died in {where(state['index'], positions)} (os._exit, a crash, or "
            f"the memory limit of {limits.memory_bytes / 2**30:g} GiB); nothing was graded"
            + last_line(log)
        )
    except Exception as exc:  # the kernel would not start, or nbclient failed
        outcome.stopped = f"the notebook could not be run ({type(exc).__name__}: {exc})"
    finally:
        if await client.km.is_alive():
            await client.km.shutdown_kernel(now=True)
    outcome.notes = errors(run, positions)


def last_line(log: Path) -> str:
    """The kernel process's last words, if any, for a kernel that died."""
    lines = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if line.strip() and not line.startswith("[IPKernelApp]")  # its start-up notices
    ]
    return f". It said: {lines[-1].strip()[:160]}" if lines else ""


def where(index: int | None, positions: list[int]) -> str:
    """The cell that was running, as the learner knows it (its place in their notebook)."""
    if index is None:
        return "the kernel's start"
    if index >= len(positions):
        return "the grader's check of the answers"
    return f"cell {positions[index]}"
