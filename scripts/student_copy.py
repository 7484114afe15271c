"""Write student copies of chapters: solutions removed, exercise outputs cleared.

    .venv/bin/python -m scripts.student_copy                 # every chapter -> student/
    .venv/bin/python -m scripts.student_copy 01 04_grad      # chosen chapters
    .venv/bin/python -m scripts.student_copy chapters/06_jit.ipynb --out handout/

A chapter can be named by its number (``04``), its name (``04_grad``) or its path.
The work is done by nbconvert's ``TagRemovePreprocessor`` (see CONTRIBUTING.md for the tags):
cells tagged ``solution`` are removed; cells tagged ``exercise`` (the ``# your code here``
starters and the self-checks) keep their code but lose their outputs. Every copy is checked
with ``nbformat.validate`` before it is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets.config import Config

from scripts.chapters import CHAPTERS, CHAPTERS_DIR, REPO

SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"


def find_chapters(names: list[str]) -> list[Path]:
    """The chapter notebooks named on the command line (all of them when none is named)."""
    if not names:
        if not CHAPTERS:
            raise SystemExit(f"No chapter notebooks in {CHAPTERS_DIR}.")
        return list(CHAPTERS)
    chosen = []
    for name in names:
        path = Path(name)
        if path.suffix in (".ipynb", ".md") and not path.is_file():  # not the repository's one
            raise SystemExit(
                f"No such file {name!r}: name a chapter by its number (01), its name (01_xor) "
                "or the path of a notebook that exists."
            )
        if path.suffix == ".ipynb":
            chosen.append(path.resolve())
            continue
        stem = path.name.removesuffix(".ipynb")
        matches = [nb for nb in CHAPTERS if nb.stem == stem or nb.stem.split("_")[0] == stem]
        if len(matches) != 1:
            known = ", ".join(nb.stem for nb in CHAPTERS) or "none"
            raise SystemExit(f"No single chapter matches {name!r} (chapters: {known}).")
        chosen.append(matches[0])
    return chosen


def make_exporter() -> NotebookExporter:
    """A notebook-to-notebook exporter that applies the course's tag rules."""
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {SOLUTION_TAG}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {EXERCISE_TAG}
    exporter = NotebookExporter(config=config)
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    return exporter


def check_out_dir(out_dir: Path, sources: list[Path], force: bool = False) -> Path:
    """The output folder, resolved; refuse one that would overwrite the sources, that cannot
    be a folder, or that already holds copies of these chapters (learners may have edited
    them) unless ``force``."""
    out = out_dir.expanduser().resolve()
    chapters = CHAPTERS_DIR.resolve()
    if out == chapters or chapters in out.parents or any(out == s.parent for s in sources):
        raise SystemExit(
            f"student_copy: refusing --out {out_dir}: it is the folder of the source "
            "chapters or inside chapters/, where the copies (solutions removed) would "
            "overwrite or sit among the sources. Choose another folder, e.g. student/."
        )
    if out.exists() and not out.is_dir():
        raise SystemExit(
            f"student_copy: --out {out_dir} is a file, not a folder; "
            "choose a folder (it is created if missing)."
        )
    there = [s.name for s in sources if (out / s.name).exists()]
    if there and not force:
        raise SystemExit(
            f"student_copy: {out_dir} already holds {', '.join(there)}; writing again would "
            "replace them, with any edits made to them. Choose another --out folder, or add "
            "--force to replace them."
        )
    return out


def student_copy(source: Path, out_dir: Path, exporter: NotebookExporter | None = None) -> Path:
    """Write the student copy of one chapter notebook into ``out_dir``; return its path."""
    exporter = exporter or make_exporter()
    try:
        body, _ = exporter.from_filename(str(source))
        notebook = nbformat.reads(body, as_version=4)
        nbformat.validate(notebook)
    except OSError as exc:
        raise SystemExit(f"student_copy: cannot read {source}: {exc.strerror or exc}.") from None
    except Exception as exc:  # not JSON, or JSON that nbformat cannot read: many error types
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise SystemExit(f"student_copy: {source} is not a valid notebook ({reason}).") from None
    left = [
        i
        for i, cell in enumerate(notebook.cells)
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])
    ]
    if left:  # cannot happen with the preprocessor enabled; guard against config mistakes
        raise RuntimeError(f"{source.name}: solution cells survived: {left}")
    target = out_dir / source.name
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    except OSError as exc:  # read-only folder, a file in the way, disk full, ...
        raise SystemExit(f"student_copy: cannot write {target}: {exc.strerror or exc}.") from None
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "chapters",
        nargs="*",
        help="chapters to copy: 04, 04_grad or chapters/04_grad.ipynb (default: all)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "student",
        help="folder for the student copies (default: student/, git-ignored)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace copies already in the --out folder (edits made to them are lost)",
    )
    args = parser.parse_args(argv)
    sources = find_chapters(args.chapters)
    out = check_out_dir(args.out, sources, args.force)
    exporter = make_exporter()
    for source in sources:
        target = student_copy(source, out, exporter)
        print(f"{source.name} -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
