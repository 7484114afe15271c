"""Shared fixtures: one book build per test session (also across pytest-xdist workers).

Paths and the chapters' structure come from ``scripts.chapters`` (the one module that parses
them), so tests import ``REPO`` and ``CHAPTERS`` from there.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.chapters import NOT_SOURCES, REPO


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """Build the book with warnings as errors into a temporary copy of the sources.

    Returns the HTML folder and the finished build process (for its log). The build is
    done once per test run, also when pytest-xdist runs several workers: they share the
    parent of their temporary folders, and a file lock lets the first one build.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # .../pytest-N/popen-gwK: share .../pytest-N
        shared = shared.parent
    src, log = shared / "book_src", shared / "book_build.json"
    with open(shared / "book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            ignore = shutil.ignore_patterns(*NOT_SOURCES)
            shutil.copytree(REPO, src, ignore=ignore)
            jupyter_book = Path(sys.executable).parent / "jupyter-book"
            done = subprocess.run(
                [str(jupyter_book), "build", "-W", "--keep-going", str(src)],
                capture_output=True,
                text=True,
                timeout=600,
            )
            log.write_text(json.dumps([done.returncode, done.stdout, done.stderr]))
    returncode, stdout, stderr = json.loads(log.read_text())
    return src / "_build" / "html", subprocess.CompletedProcess(
        "jupyter-book", returncode, stdout, stderr
    )
