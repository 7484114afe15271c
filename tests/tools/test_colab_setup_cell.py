"""The chapters' setup cell (colab/setup_cell.py, the canonical text), run offline.

The cell runs in a subprocess, as plain Python, with a fake ``google.colab`` module when it
plays Colab. A failing install must stop the cell at once with a short message that says what
failed and what to do (not with ``No module named 'helpers'`` one cell later); without Colab the
cell must install nothing and print the JAX line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scripts.chapters import REPO

CELL = REPO / "colab" / "setup_cell.py"
URL = "https://raw.githubusercontent.com/nn-from-scratch-jax/course/main/colab/requirements.txt"

# Runs the cell; FAKE_COLAB adds google.colab, FAKE_PIP_RC replaces subprocess.run by a pip that
# only records its call and exits with that code. Every call is printed at the end.
RUNNER = textwrap.dedent("""
    import os, subprocess, sys, types
    calls = []
    if os.environ.get("FAKE_COLAB"):
        for name in ("google", "google.colab", "google.colab.output"):  # jax imports the last one
            sys.modules[name] = types.ModuleType(name)
        sys.modules["google.colab"].output = sys.modules["google.colab.output"]
    if os.environ.get("FAKE_PIP_RC"):
        def fake_run(cmd, **kwargs):
            calls.append(cmd)
            return subprocess.CompletedProcess(cmd, int(os.environ["FAKE_PIP_RC"]), "", "")
        subprocess.run = fake_run
    try:
        exec(compile(open(sys.argv[1]).read(), "setup_cell", "exec"), {"__name__": "__main__"})
    finally:
        print("CALLS", calls)
""")


def _run_cell(tmp_path: Path, cell_text: str, **env: str) -> subprocess.CompletedProcess:
    cell = tmp_path / "cell.py"
    cell.write_text(cell_text)
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    environ.update(JAX_PLATFORMS="cpu", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **env)
    return subprocess.run(
        [sys.executable, "-c", RUNNER, str(cell)],
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp_path,
        timeout=300,
    )


def _error_message(result: subprocess.CompletedProcess) -> str:
    """The text of the RuntimeError the cell raised."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "RuntimeError: " in result.stderr, result.stderr
    return result.stderr.split("RuntimeError: ", 1)[1]


def test_the_cell_keeps_the_url_colabs_jax_and_the_jax_line():
    text = CELL.read_text()
    course, path = URL.split("/main/")  # written in two parts, to fit 79 columns
    assert text.count(f'course = "{course}"') == 1
    assert text.count(f'url = course + "/main/{path}"') == 1
    requirements = [
        line.split("#")[0].strip()
        for line in (REPO / "colab" / "requirements.txt").read_text().splitlines()
    ]
    names = {
        re.split(r"[\s\[@=<>~!;]", line, maxsplit=1)[0].lower() for line in requirements if line
    }
    assert names and not names & {"jax", "jaxlib"}, names  # Colab's own JAX is kept
    assert text.rstrip().splitlines()[-1].startswith("check_runtime()  # ")
    assert "%pip" not in text and "!pip" not in text  # plain Python: runs here and on Colab
    assert len(text.splitlines()) <= 20, "the learner reads this cell: keep it short"


def test_without_colab_it_installs_nothing_and_prints_the_jax_line(tmp_path):
    result = _run_cell(tmp_path, CELL.read_text(), FAKE_PIP_RC="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("JAX ") and "| devices: cpu:0\n" in result.stdout, result.stdout
    assert "CALLS []" in result.stdout


def test_on_colab_it_installs_the_requirements_with_this_python(tmp_path):
    result = _run_cell(tmp_path, CELL.read_text(), FAKE_COLAB="1", FAKE_PIP_RC="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("JAX "), result.stdout
    calls = result.stdout.split("CALLS ", 1)[1]
    assert calls.strip() == repr([[sys.executable, "-m", "pip", "install", "--quiet", "-r", URL]])


@pytest.mark.parametrize(
    "requirements, pip_says",
    [
        (None, "Could not open requirements file"),  # a URL that does not open (404, no network)
        (
            "nn-from-scratch-jax-helpers-not-released==9.9",
            "No matching distribution found",
        ),  # no such tag
    ],
)
def test_a_failed_install_stops_with_a_short_message(tmp_path, requirements, pip_says):
    """Real pip, offline: a requirements file that is missing, or one it cannot satisfy."""
    target = tmp_path / "requirements.txt"
    if requirements is not None:
        target.write_text(requirements + "\n")
    cell = re.sub(r"^    url = .*$", f"    url = {str(target)!r}", CELL.read_text(), flags=re.M)
    assert str(target) in cell
    result = _run_cell(tmp_path, cell, FAKE_COLAB="1", PIP_NO_INDEX="1")
    message = _error_message(result)
    lines = message.strip().splitlines()
    assert lines[0] == "Installing the course's helpers failed. pip said:"
    assert pip_says in message, message
    assert lines[-3] == "Check the runtime's internet access and that this file opens:"
    assert lines[-2] == str(target)
    assert lines[-1] == "Then choose Runtime > Restart session and run all."
    assert len(lines) <= 9, message  # the last lines of pip's output only
    assert "JAX " not in result.stdout  # it stopped before importing jax
