"""Where scripts/measure_spread.py's runs come from besides this interpreter: kernels on another
interpreter (``--python``) and runs saved before (``--load``). Each refuses, in one line, what
would make the comparison fail or mean nothing."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat


def jax_version(python: str | None) -> str:
    """The jax version a kernel on `python` (None: this interpreter) imports; exits, in one line,
    when `python` cannot be run or imports no jax."""
    code = "import importlib.metadata as m; print(m.version('jax'))"
    try:
        command = [python or sys.executable, "-c", code]
        done = subprocess.run(command, capture_output=True, text=True)
    except OSError as exc:  # no such file, not executable, not a program
        sys.exit(
            f"--python {python}: cannot run it ({exc.strerror or exc}); "
            "give the path of a Python interpreter, e.g. .venv-colab/bin/python"
        )
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        sys.exit(
            f"--python {python}: it has no jax ({said}); "
            "give an interpreter with jax installed, e.g. .venv-colab/bin/python"
        )
    return done.stdout.strip()


@contextlib.contextmanager
def kernel_python(python: str | None):
    """Kernels named python3 started inside this block run on `python` (None: the default)."""
    if python is None:
        yield
        return
    saved = os.environ.get("JUPYTER_PATH")
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "kernels" / "python3"
        spec.mkdir(parents=True)
        argv = [str(Path(python).absolute()), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        (spec / "kernel.json").write_text(
            json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"})
        )
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [folder, saved]))
        try:
            yield
        finally:
            os.environ.pop("JUPYTER_PATH")
            if saved is not None:
                os.environ["JUPYTER_PATH"] = saved


def code_cells(nb) -> int:
    return sum(1 for cell in nb.cells if cell.cell_type == "code")


def read_run(file: Path):
    """A saved run, or exit naming the file when it cannot be read as a notebook."""
    try:
        return nbformat.read(file, as_version=4)
    except OSError as exc:
        sys.exit(f"--load {file}: cannot read it ({exc.strerror or exc}); give a saved run")
    except Exception as exc:  # not JSON, or JSON nbformat cannot read: many error types
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:160]
        sys.exit(f"--load {file}: not a notebook ({reason}); give a run saved with --save")


def saved_runs(chapters: list[Path], load: list[Path]) -> dict[Path, list]:
    """The saved runs of each chapter measured, told apart by the chapter's name at the start of
    the file's name (as --save names them). Exits naming a file that fits none of the chapters,
    or whose code cells are not as many as the stored chapter's (a run of another version of
    it, or a student copy): its cells would be compared with the wrong ones."""
    runs = {path: [] for path in chapters}
    for file in load:
        path = next((p for p in chapters if file.name.startswith(p.stem)), None)
        if path is None:
            sys.exit(
                f"--load {file}: its name starts with none of the chapters measured "
                f"({', '.join(p.stem for p in chapters)}); saved runs are named "
                "CHAPTER.VARIANT.jax-VERSION.ipynb (as --save writes them): rename it so, "
                "or name its chapter"
            )
        nb, stored = read_run(file), nbformat.read(path, as_version=4)
        if code_cells(nb) != code_cells(stored):
            sys.exit(
                f"--load {file}: it has {code_cells(nb)} code cells, {path.name} has "
                f"{code_cells(stored)}; load runs of the chapter as stored (not a student copy "
                "or an older version), or run the variants again"
            )
        runs[path].append(nb)
    return runs
