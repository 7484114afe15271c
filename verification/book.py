"""The book's account of its own verification (a Sphinx extension, registered in _config.yml).

- The ``course-environment`` directive writes, at build time, the environment the book was
  built in, the one each chapter's stored outputs were made in (notebook metadata
  ``course.executed_in``, written by ``scripts/execute_chapters.py``) and how they are checked
  (:mod:`verification.settings`); the page that uses it is re-read on every build.
- At the end of each chapter, one line on what the chapter was verified with: its
  ``course.executed_in`` record and ``colab/runtime/verified.json``, the last run of every chapter
  on Colab's own versions (``scripts/colab_compat.sh``).
"""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from scripts.chapters import toc_chapters
from verification.settings import ROUNDING_VARIANT, machine, pins

PACKAGES = ("jax", "jaxlib", "numpy", "matplotlib", "optax", "flax", "nbval", "jupyter-book")
COLAB_RECORD = Path("colab") / "runtime" / "verified.json"


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _notebook(srcdir: Path, file: str) -> dict:
    return json.loads((srcdir / f"{file}.ipynb").read_text(encoding="utf-8"))


def _executed_in(notebook: dict) -> dict:
    return notebook.get("metadata", {}).get("course", {}).get("executed_in", {})


def _chapter_rows(srcdir: Path) -> list[str]:
    rows = [
        "| Chapter | JAX | jaxlib | Python | CPU | Instruction set | Executed on |",
        "|---|---|---|---|---|---|---|",
    ]
    for number, file in enumerate(toc_chapters(srcdir), start=1):
        nb = _notebook(srcdir, file)
        title = next(
            (
                "".join(c["source"]).splitlines()[0].removeprefix("# ").strip()
                for c in nb["cells"]
                if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("# ")
            ),
            file,
        )
        made = _executed_in(nb)
        link = f"[{number}. {title}]({file}.ipynb)"
        if made:
            cells = [made.get(k, "?") for k in ("jax", "jaxlib", "python", "cpu", "isa", "date")]
            rows.append(f"| {link} | " + " | ".join(str(c) for c in cells) + " |")
        else:
            rows.append(f"| {link} | not recorded | | | | | |")
    return rows


def _build_rows(srcdir: Path) -> list[str]:
    pinned = {k.lower(): v for k, v in pins().items()}
    rows = ["| Package | Installed | Pinned in requirements.txt |", "|---|---|---|"]
    rows.append(f"| Python | {platform.python_version()} | |")
    for name in PACKAGES:
        rows.append(f"| {name} | {_version(name)} | {pinned.get(name, '')} |")
    cpu = machine()
    built = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        *rows,
        "",
        f"- **CPU**: {cpu['cpu']} ({cpu['isa']}), {platform.system()} {platform.machine()}",
        f"- **Built**: {built}",
    ]


def _check_lines(srcdir: Path) -> list[str]:
    return [
        "- **The test command**: `bash scripts/test.sh` (it re-executes every chapter with nbval "
        "and compares each printed output with the stored one)",
        f"- **Rounding variant**: `JAX_PLATFORMS=cpu XLA_FLAGS={ROUNDING_VARIANT}`, a float32 "
        "rounding other than the one the outputs were made with, as another CPU would round "
        "(`COURSE_ROUNDING_VARIANT=` turns it off)",
        "- **Colab's runtime**: `bash scripts/colab_compat.sh` runs every chapter on Colab's own "
        "package versions (`colab/runtime/`) after installing the course as its first cell does",
    ]


class CourseEnvironment(SphinxDirective):
    """``{course-environment} chapters|build|check``: a table or list made at build time."""

    required_arguments = 1

    def run(self):
        srcdir = Path(self.env.srcdir)
        what = self.arguments[0]
        makers = {"chapters": _chapter_rows, "build": _build_rows, "check": _check_lines}
        if what not in makers:
            raise self.error(f"course-environment: one of {sorted(makers)}, not {what!r}")
        self.env.metadata[self.env.docname]["course_environment"] = True
        for file in ("_toc.yml", "requirements.txt"):
            self.env.note_dependency(str(srcdir / file))
        container = nodes.container(classes=["course-environment"])
        lines = StringList(makers[what](srcdir), source=self.env.docname)
        self.state.nested_parse(lines, self.content_offset, container)
        return container.children


def environment_is_always_outdated(app, env, added, changed, removed) -> list[str]:
    """The build date and the installed versions change without the page changing."""
    return [
        doc
        for doc in env.all_docs
        if env.metadata.get(doc, {}).get("course_environment") and doc not in added | changed
    ]


def verified_text(executed_in: dict, colab: dict | None, chapter: str) -> str:
    """The line under a chapter's title ('chapter' is the notebook's stem, e.g. '07_mnist')."""
    made = (
        f"Outputs made with JAX {executed_in.get('jax', '?')}"
        + (f" on Python {executed_in['python']}" if executed_in.get("python") else "")
        + f" ({executed_in.get('date', 'date not recorded')}) and checked on every change"
    )
    if not colab or chapter not in colab.get("chapters", []):
        return made + "; not yet run on Colab's runtime."
    packages = colab["packages"]
    return (
        f"{made}; runs on Colab's runtime (JAX {packages.get('jax', '?')}, "
        f"flax {packages.get('flax', '?')}, Python {colab.get('python', '?')}), "
        f"last verified {colab.get('date', '?')}."
    )


def add_verified_line(app, doctree) -> None:
    docname = app.env.docname
    srcdir = Path(app.srcdir)
    if not (docname.startswith("chapters/") and (srcdir / f"{docname}.ipynb").is_file()):
        return
    record = srcdir / COLAB_RECORD
    app.env.note_dependency(str(record))
    colab = json.loads(record.read_text()) if record.is_file() else None
    made = _executed_in(_notebook(srcdir, docname))
    line = nodes.paragraph(classes=["course-verified"])
    line += nodes.Text(verified_text(made, colab, Path(docname).name) + " ")
    line += nodes.reference("", "Where and how", refuri="../environment.html")
    line += nodes.Text(".")
    doctree += line  # at the end of the page, where a reader looks for such a record


def setup(app):
    app.connect("env-get-outdated", environment_is_always_outdated)
    app.connect("doctree-read", add_verified_line)
    app.add_directive("course-environment", CourseEnvironment)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
