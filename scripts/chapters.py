"""The course's chapters and the facts they state, parsed in one place.

Used by the scripts (course map, student copies, execution, spread measurement) and the tests.
A chapter is ``chapters/NN_name.md`` (MyST Markdown, the reviewed source) paired through
jupytext with ``chapters/NN_name.ipynb`` (the same cells with verified outputs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parent.parent
CHAPTERS_DIR = REPO / "chapters"
CHAPTER = "[0-9][0-9]_*"  # a chapter is NN_name.md (its source) and NN_name.ipynb (its outputs)
CHAPTERS = sorted(CHAPTERS_DIR.glob(f"{CHAPTER}.ipynb"))
SOURCES = sorted(CHAPTERS_DIR.glob(f"{CHAPTER}.md"))
# What a checkout holds besides the course's sources: environments, builds, data, caches.
NOT_SOURCES = (
    ".git",
    ".venv",
    ".venv-colab",
    "_build",
    "build",
    "data",
    "student",
    "screenshots",
    "__pycache__",
    ".pytest_cache",
    ".ipynb_checkpoints",
    "*.egg-info",
)
TIME = re.compile(r"\*\*Time\*\*:?\s*about (\d+) minutes")


@cache
def config() -> dict:
    return yaml.safe_load((REPO / "_config.yml").read_text())


def version_dependent_cells() -> list[str]:
    """'NN_name cell K: reason' for each cell whose text depends on the JAX version."""
    return [
        f"{path.stem} cell {index}: {cell.metadata['nbval-version-dependent']}"
        for path in CHAPTERS
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells)
        if cell.metadata.get("nbval-version-dependent")
    ]


def repository_url() -> str:
    """The repository's URL, named once in _config.yml."""
    return config()["repository"]["url"]


def colab_url(file: str) -> str:
    """Where Colab opens a chapter (``file``: ``chapters/NN_name``) from the repository."""
    repo = repository_url().removeprefix("https://github.com/")
    branch = config()["repository"].get("branch", "main")
    return f"https://colab.research.google.com/github/{repo}/blob/{branch}/{file}.ipynb"


def toc_chapters(root: Path = REPO) -> list[str]:
    """The chapters in the order of ``root``'s _toc.yml, as paths without suffix
    (``chapters/NN_name``)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    return [
        entry["file"]
        for part in toc.get("parts", [])
        for entry in part.get("chapters", [])
        if entry["file"].startswith("chapters/")
    ]


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@dataclass(frozen=True)
class Facts:
    """What a chapter states at its top (CONTRIBUTING.md): title, objectives and time."""

    title: str
    objectives: list[str]  # markdown bullets as written ("- ", "* " or "+ "), without the marker
    minutes: int | None


def facts(path: Path) -> Facts:
    """Title, learning objectives and minutes from the first cells of a chapter."""
    cells = [c for c in nbformat.read(path, as_version=4).cells[:4] if c.cell_type == "markdown"]
    title = cells[0].source.splitlines()[0].removeprefix("# ").strip() if cells else ""
    top = "\n".join(c.source for c in cells)
    objectives = (
        top.split("Learning objectives", 1)[-1].split("**Time**")[0]
        if "Learning objectives" in top
        else ""
    )
    bullets = [b.rstrip() for b in re.split(r"^[-*+] ", objectives, flags=re.M)[1:]]
    minutes = TIME.search(top)
    return Facts(title, bullets, int(minutes.group(1)) if minutes else None)
