"""Shared fixtures: one book build per test session (also across pytest-xdist workers).

Paths and the chapters' structure come from ``scripts.chapters`` (the one module that parses
them), so tests import ``REPO`` and ``CHAPTERS`` from there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from once import once_per_run

from scripts.chapters import CHAPTERS, NOT_SOURCES, REPO


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """Build the book with warnings as errors into a temporary copy of the sources, once per
    test run. Returns the HTML folder and the finished build process (for its log)."""

    def build(src: Path) -> str:
        shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(*NOT_SOURCES))
        jupyter_book = Path(sys.executable).parent / "jupyter-book"
        done = subprocess.run(
            [str(jupyter_book), "build", "-W", "--keep-going", str(src)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        return json.dumps([done.returncode, done.stdout, done.stderr])

    src, log = once_per_run(tmp_path_factory, "book", build)
    returncode, stdout, stderr = json.loads(log)
    return src / "_build" / "html", subprocess.CompletedProcess(
        "jupyter-book", returncode, stdout, stderr
    )


# Test files that take 10 s or more (measured with `bash scripts/test.sh --durations=0`):
# started right after the chapters, so that no long file starts last on one worker while the
# other has finished.
LONG_TEST_FILES = (
    "test_grade.py",  # about 35 s: one grading run over nine submissions
    "test_ch09_data_parallel.py",  # 8 simulated devices in a new process
    "test_ch11_cnn.py",
    "test_training.py",
    "test_grade_book.py",
)


def pytest_collection_modifyitems(config, items):
    """Start the longest files first, so that the two pytest-xdist workers (scripts/test.sh)
    finish together: the browser test (about a minute and a half in one fixture), then the
    chapters from the last to the first (later chapters train more), then the long test files,
    then the rest in their usual order."""

    last_first = {path.name: -i for i, path in enumerate(CHAPTERS)}

    def rank(item) -> tuple:
        if item.path.name == "test_browser.py":
            return (0, 0)
        if item.path.name in last_first:
            return (1, last_first[item.path.name])
        if item.path.name in LONG_TEST_FILES:
            return (2, LONG_TEST_FILES.index(item.path.name))
        return (3, 0)

    items.sort(key=rank)  # stable: a file's tests keep their order
