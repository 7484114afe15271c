"""Under each chapter's title, one line on what the chapter was verified with.

Written at build time from two records: the notebook's ``course.executed_in`` metadata (the
pinned environment that made the stored outputs, by ``scripts/execute_chapters.py``) and
``colab/runtime/verified.json`` (the run of every chapter on Colab's own versions, by
``scripts/colab_compat.sh``).
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes

RECORD = Path("colab") / "runtime" / "verified.json"


def verified_text(executed_in: dict, colab: dict | None, chapter: str) -> str:
    """The line, in words ('chapter' is the notebook's stem, e.g. '07_mnist')."""
    made = (
        f"Outputs made with JAX {executed_in.get('jax', '?')}"
        + (f" on Python {executed_in['python']}" if executed_in.get("python") else "")
        + f" ({executed_in.get('date', 'date not recorded')}) and checked on every change"
    )
    if not colab or chapter not in colab.get("chapters", []):
        return made + "; not yet run on Colab's runtime."
    packages = colab["packages"]
    return (
        f"{made}; runs unchanged on Colab's runtime (JAX {packages.get('jax', '?')}, "
        f"flax {packages.get('flax', '?')}, Python {colab.get('python', '?')}), "
        f"last verified {colab.get('date', '?')}."
    )


def add_verified_line(app, doctree) -> None:
    docname = app.env.docname
    if not docname.startswith("chapters/"):
        return
    srcdir = Path(app.srcdir)
    notebook = srcdir / f"{docname}.ipynb"
    if not notebook.is_file():
        return
    executed_in = json.loads(notebook.read_text())["metadata"].get("course", {})
    record = srcdir / RECORD
    app.env.note_dependency(str(record))
    colab = json.loads(record.read_text()) if record.is_file() else None
    text = verified_text(executed_in.get("executed_in", {}), colab, Path(docname).name)
    line = nodes.paragraph(classes=["course-verified"])
    line += nodes.Text(text + " ")
    line += nodes.reference("", "Where and how", refuri="../environment.html")
    line += nodes.Text(".")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None:
        section.insert(1, line)  # right under the title


def setup(app):
    app.connect("doctree-read", add_verified_line)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
