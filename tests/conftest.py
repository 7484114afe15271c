"""Shared fixtures: the repository root and one book build per test session."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((REPO / "chapters").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """Build the book with warnings as errors into a temporary copy of the sources.

    Returns the HTML folder and the finished build process (for its log).
    """
    src = tmp_path_factory.mktemp("book") / "src"
    ignore = shutil.ignore_patterns(".git", ".venv", "_build", "data", "student",
                                   "screenshots", "__pycache__", ".pytest_cache")
    shutil.copytree(REPO, src, ignore=ignore)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run([str(jupyter_book), "build", "-W", "--keep-going", str(src)],
                            capture_output=True, text=True, timeout=600)
    return src / "_build" / "html", result


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep what must share a process together when the suite runs on several workers
    (pytest-xdist ``--dist loadgroup``): the cells of one notebook share one kernel, and
    everything that reads the built book shares one build."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(item.path.name))
        elif "built_book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("book"))
