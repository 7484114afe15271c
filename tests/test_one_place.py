"""Facts that several files must repeat agree with the one place that states them."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import helpers
from scripts.chapters import CHAPTERS, REPO, repository_url

# Files that name the course's repository: the setup cell of every chapter, what Colab installs,
# the package metadata and the pages that link to GitHub or Colab.
NAMING_THE_REPOSITORY = [
    "README.md",
    "index.md",
    "instructors.md",
    "pyproject.toml",
    "colab/setup_cell.py",
    "colab/requirements.txt",
    *(f"chapters/{p.stem}.md" for p in CHAPTERS),
]
GITHUB_PATH = re.compile(
    r"(?:github\.com|raw\.githubusercontent\.com|colab\.research\.google\.com/github)"
    r"/([\w.-]+)/([\w.-]+)"
)


def test_every_file_names_the_repository_of_config():
    """_config.yml names the repository once; a file naming another repo of the same owner
    (or forgetting it) drifted."""
    owner, name = repository_url().removeprefix("https://github.com/").split("/")
    for file in NAMING_THE_REPOSITORY:
        found = GITHUB_PATH.findall((REPO / file).read_text())
        ours = [(o, n.removesuffix(".git")) for o, n in found if o == owner]
        assert ours, f"{file} does not name the repository {owner}/{name} of _config.yml"
        drifted = sorted({f"{o}/{n}" for o, n in ours if n.split("@")[0] != name})
        assert not drifted, f"{file} names {drifted}, but _config.yml says {owner}/{name}"


def test_the_version_is_stated_once():
    """pyproject.toml takes the package version from helpers.__version__."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert version("nn-from-scratch-jax-helpers") == helpers.__version__


# Facts with one owner: (what, a pattern that finds a statement of it, the owner's file).
OWNED_FACTS = [
    ("the chapter file pattern", r"\[0-9\]\[0-9\]_\*", "scripts/chapters.py"),
    ("the requirements.txt pin parser", r"==\(\[\^", "verification/settings.py"),
    ("the rounding variant", r"--xla_cpu_enable_platform_dependent_math=false", None),
    ("the wheelhouse folder", r'"wheelhouse"', "scripts/wheelhouse.py"),
    ("the npm packages' versions", r"3\.2\.2|4\.14\.1", "scripts/wheelhouse.py"),
    ("the kernel's cell-file pattern", r"ipykernel_\\d", "helpers/book.py"),
]
# Where a fact may also be named: documentation strings of what reads it, measurement menus.
ALSO_ALLOWED = {
    "the rounding variant": {"verification/settings.py", "scripts/measure_spread.py"},
}


def test_each_fact_is_stated_in_one_place():
    """A copy of an owned fact in another code file fails here: import it from its owner."""
    code = [
        path
        for folder in ("helpers", "scripts", "tests", "verification", "_ext", "bench")
        for path in sorted((REPO / folder).rglob("*"))
        if path.suffix in (".py", ".sh") and "__pycache__" not in path.parts
    ]
    this = Path(__file__).resolve()
    problems = []
    for what, pattern, owner in OWNED_FACTS:
        allowed = ALSO_ALLOWED.get(what, set()) | ({owner} if owner else set())
        for path in code:
            name = str(path.relative_to(REPO))
            if path == this or name in allowed:
                continue
            if re.search(pattern, path.read_text()):
                problems.append(f"{name} states {what}; import it from {owner or allowed}")
    assert not problems, "\n".join(problems)


def test_nbval_masks_the_kernel_cell_files_that_the_chapters_store_as_cell():
    """nbval reads its masks from sanitize.cfg, so it repeats helpers.book's pattern exactly."""
    import configparser

    from helpers.book import KERNEL_FILE

    masks = configparser.ConfigParser(interpolation=None)
    masks.read(REPO / "verification" / "sanitize.cfg")
    assert masks["kernel_paths"]["regex"] == KERNEL_FILE.pattern
    assert masks["kernel_paths"]["replace"] == "<cell>"


def test_the_book_leaves_out_what_a_checkout_holds_besides_its_sources():
    """An in-place build (scripts/book.sh) must not read the environments or data as pages."""
    from scripts.chapters import NOT_SOURCES, config

    excluded = set(config()["exclude_patterns"])
    folders = {".venv", ".venv-colab", "_build", "data", "student", "screenshots"}
    assert folders <= set(NOT_SOURCES), folders - set(NOT_SOURCES)
    assert folders <= excluded, f"_config.yml exclude_patterns lacks {folders - excluded}"


def test_no_python_file_over_250_lines():
    """A file that grows past 250 lines mixes concerns: split it (CONTRIBUTING.md)."""
    folders = ("helpers", "scripts", "tests", "bench", "_ext", "verification")
    long = [
        f"{path.relative_to(REPO)}: {n} lines"
        for folder in folders
        for path in sorted((REPO / folder).rglob("*.py"))
        if (n := len(path.read_text().splitlines())) > 250
    ]
    assert not long, "\n".join(long)
