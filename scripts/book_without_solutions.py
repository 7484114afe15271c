"""Build the book without the exercises' solutions, for instructors who publish it in a term.

    .venv/bin/python -m scripts.book_without_solutions       # -> _build/no-solutions/
    bash scripts/book.sh --without-solutions                 # the same, after the setup
    .venv/bin/python -m scripts.book_without_solutions 01_xor --out /tmp/book   # some chapters

The book is built, as scripts/book.sh builds it, from a temporary copy of its sources in
which every cell tagged ``solution`` is removed from the chapter notebooks: the solution
directives with their text and the reference code (the cells a student copy removes, see
scripts/student_copy.py), and sphinx-exercise's ``hide_solutions`` is set, which drops any
``{solution}`` directive left anywhere else. Everything else is as stored, outputs included.
After the build, every page is searched for each solution cell's text: the command fails if
any is found. With chapters named, a small book of those chapters only is built (without
``-W``: its landing page and back matter, which link to every chapter, are left out).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

from scripts.chapters import CHAPTER, CHAPTERS, NOT_SOURCES, REPO, tags
from scripts.student_copy import SOLUTION_TAG, find_chapters

OUT = REPO / "_build" / "no-solutions"
# sphinx-exercise's box around a solution (its node's first class)
SOLUTION_BOX = re.compile(r'<div class="solution[ "]')


def solution_lines(chapter: Path) -> list[str]:
    """Lines of a chapter's solution cells that appear in none of its other cells: text that
    only a solution shows (so it must not be on the page)."""
    cells = nbformat.read(chapter, as_version=4).cells
    elsewhere = "\n".join(c.source for c in cells if SOLUTION_TAG not in tags(c))
    return [
        line.strip()
        for cell in cells
        if SOLUTION_TAG in tags(cell)
        for line in cell.source.splitlines()
        if len(line.strip()) >= 25 and line.strip() not in elsewhere
    ]


def remove_solutions(notebook: Path) -> int:
    """Drop the cells tagged ``solution`` from a notebook, in place; how many were dropped."""
    nb = nbformat.read(notebook, as_version=4)
    kept = [cell for cell in nb.cells if SOLUTION_TAG not in tags(cell)]
    dropped = len(nb.cells) - len(kept)
    nb.cells = kept
    nbformat.write(nb, notebook)
    return dropped


def sources_without_solutions(book: Path, chapters: list[Path] | None) -> None:
    """Copy the book's sources to ``book``, solutions removed, hide_solutions set; with
    ``chapters``, a table of contents of those chapters only."""
    shutil.copytree(REPO, book, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    for notebook in sorted((book / "chapters").glob(f"{CHAPTER}.ipynb")):
        remove_solutions(notebook)
    config = yaml.safe_load((book / "_config.yml").read_text())
    config.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
    # the launch buttons open the repository's notebooks, which hold the solutions
    config.pop("launch_buttons", None)
    (book / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    if chapters:
        (book / "index.md").write_text("# The course, without solutions\n")
        toc = {
            "format": "jb-book",
            "root": "index",
            "chapters": [{"file": f"chapters/{c.stem}"} for c in chapters],
        }
        (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))


def page_text(page: str) -> str:
    """What a reader sees of an HTML page: tags (syntax highlighting too) removed, entities
    decoded, runs of white space as one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def leaks(pages: Path, chapters: list[Path]) -> list[str]:
    """'page: what' for every solution box on any page, and every solution line of a chapter
    found on that chapter's page (markdown solutions are found by their box: their text is
    rendered, not quoted; another chapter may show the same code, not as a solution)."""
    found = [
        f"{page.name}: a solution box"
        for page in sorted(pages.rglob("*.html"))
        if SOLUTION_BOX.search(page.read_text(encoding="utf-8", errors="replace"))
    ]
    for chapter in chapters:
        page = pages / "chapters" / f"{chapter.stem}.html"
        text = page_text(page.read_text(encoding="utf-8")) if page.is_file() else ""
        for line in solution_lines(chapter):
            if " ".join(line.split()) in text:
                found.append(f"{page.name}: {line}")
    return found


def build(chapters: list[Path] | None, out: Path) -> Path:
    """Build the book (or the named chapters) without solutions into ``out``; return it."""
    with tempfile.TemporaryDirectory(prefix="book-") as tmp:
        book = Path(tmp) / "book"
        sources_without_solutions(book, chapters)
        strict = [] if chapters else ["-W", "--keep-going"]
        command = [str(Path(sys.executable).parent / "jupyter-book"), "build", *strict, str(book)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            said = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise SystemExit(f"book_without_solutions: the build failed:\n{said}")
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(book / "_build" / "html", out)
    found = leaks(out, chapters or CHAPTERS)
    if found:
        raise SystemExit("book_without_solutions: solution text in the build:\n" + "\n".join(found))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="only these chapters (default: the book)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT.relative_to(REPO)}")
    args = parser.parse_args(argv)
    out = args.out.expanduser().resolve()
    if (
        out == REPO
        or out in REPO.parents
        or (out.is_dir() and any(out.iterdir()) and not (out / "index.html").exists())
    ):
        raise SystemExit(
            f"book_without_solutions: --out {args.out} holds other files; choose a new or "
            "empty folder (a previous build there is replaced)."
        )
    chapters = find_chapters(args.chapters) if args.chapters else None
    built = build(chapters, out)
    print(f"The book without solutions is built. Open {built / 'index.html'} in a browser.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
