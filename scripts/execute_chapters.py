"""Build each chapter's .ipynb from its MyST source and store its executed outputs.

    .venv/bin/python -m scripts.execute_chapters                  # every chapter
    .venv/bin/python -m scripts.execute_chapters 07_mnist         # some chapters
    .venv/bin/python -m scripts.execute_chapters --sync-only      # prose edits: no execution

``chapters/NN_name.md`` (MyST Markdown, paired through jupytext) is the reviewed source;
``chapters/NN_name.ipynb`` is made from it. Each chapter runs top to bottom in a fresh kernel
on the CPU with XLA's default rounding (no XLA_FLAGS: the test suite checks the stored outputs
under another rounding variant), without nbclient's per-cell timing metadata, so re-executing
an unchanged chapter leaves its .ipynb unchanged apart from outputs that really changed.
With ``--sync-only`` the cells are taken from the source and each keeps the outputs stored
for the same code (jupytext's own pairing), which is all a prose edit needs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs
from nbclient import NotebookClient

from helpers.book import KERNEL_FILE  # the one pattern: verification/sanitize.cfg repeats it
from scripts.chapters import CHAPTERS_DIR, REPO, SOURCES
from verification.settings import machine, pins

PINNED = ("jax", "jaxlib", "numpy", "matplotlib")
COLAB_GPU = {"accelerator": "GPU", "colab": {"provenance": [], "gpuType": "T4"}}  # every chapter


def chapter_paths(names: list[str]) -> list[Path]:
    """The chapter notebooks named (by stem, file name or path), or all: one per .md source."""
    if not names:
        return [p.with_suffix(".ipynb") for p in SOURCES]
    paths = []
    for name in names:
        if Path(name).parent != Path(".") and Path(name).resolve().parent != CHAPTERS_DIR:
            sys.exit(f"{name}: not in {CHAPTERS_DIR}; name a chapter by its name, e.g. 01_xor")
        path = CHAPTERS_DIR / f"{Path(name).stem}.ipynb"
        if not path.with_suffix(".md").is_file():
            sys.exit(f"no chapter {name!r}; the chapters are: {', '.join(p.stem for p in SOURCES)}")
        paths.append(path)
    return paths


def check_pinned_environment() -> None:
    """Refuse to store outputs made with other versions than requirements.txt pins."""
    pinned = pins()
    wrong = [
        f"{name} {version(name)} (pinned: {pinned[name]})"
        for name in PINNED
        if version(name) != pinned[name]
    ]
    if wrong:
        sys.exit(
            "Stored outputs are made in the pinned environment only; this one has "
            + ", ".join(wrong)
            + ". Run bash scripts/setup_env.sh and use .venv/bin/python."
        )


def executed_in() -> dict:
    """Where a chapter's outputs are made, stored as notebook metadata course.executed_in (the
    book's environment page and each chapter page show it): JAX, jaxlib, Python, the CPU and
    the day."""
    return {
        "jax": version("jax"),
        "python": platform.python_version(),
        "jaxlib": version("jaxlib"),
        **machine(),
        "date": date.today().isoformat(),
    }


@contextlib.contextmanager
def kernel_environment(xla_flags: str = "", cpus: set[int] | None = None):
    """Environment and CPU affinity that a kernel started inside this block inherits."""
    saved_env, saved_cpus = dict(os.environ), os.sched_getaffinity(0)
    os.environ["JAX_PLATFORMS"] = "cpu"
    os.environ.pop("XLA_FLAGS", None)
    if xla_flags:
        os.environ["XLA_FLAGS"] = xla_flags
    if cpus:
        os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.sched_setaffinity(0, saved_cpus)


def from_source(path: Path):
    """The chapter's cells from its MyST source, with the outputs stored for the same code
    (none for a new chapter), asking Colab for a GPU runtime."""
    nb = jupytext.read(path.with_suffix(".md"))
    if path.exists():
        nb = combine_inputs_with_outputs(nb, jupytext.read(path), fmt="md:myst")
    nb.metadata.update(COLAB_GPU)
    return nb


def execute(path: Path, xla_flags: str = "", cpus: set[int] | None = None, nb=None):
    """Run a chapter (by default as stored) in a fresh kernel in chapters/; return the notebook."""
    nb = nbformat.read(path, as_version=4) if nb is None else nb
    client = NotebookClient(
        nb,
        timeout=900,
        kernel_name="python3",
        record_timing=False,
        coalesce_streams=True,  # one stdout output per cell, however the kernel chunked it
        resources={"metadata": {"path": str(path.parent)}},
    )
    with kernel_environment(xla_flags, cpus):
        client.execute()
    check_kernel_environment(nb, path)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps from an older nbclient run
        for output in cell.get("outputs", []):
            without_kernel_paths(output)
    return nb


def check_kernel_environment(nb, path: Path) -> None:
    """The kernel ran this environment: its Python, and the pinned JAX its setup cell printed.
    (A user-level `python3` kernelspec can start another environment's Python.)"""
    python = nb.metadata.get("language_info", {}).get("version")
    printed = "".join(
        output.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code" and "check_runtime()" in cell.source
        for output in cell.get("outputs", [])
    )
    jax = re.search(r"^JAX (\S+) \|", printed, re.M)
    found = f"Python {python}, JAX {jax.group(1) if jax else 'not printed'}"
    if python != platform.python_version() or not jax or jax.group(1) != pins()["jax"]:
        sys.exit(
            f"{path.name}: the kernel ran {found}, not this environment (Python "
            f"{platform.python_version()}, JAX {pins()['jax']}): `jupyter kernelspec list` "
            "shows which python3 kernel it found; remove that one or run "
            ".venv/bin/python -m ipykernel install --sys-prefix."
        )


def without_kernel_paths(output) -> None:
    """Write a cell's code file as `<cell>` in messages, as verification/sanitize.cfg does, not
    as the kernel's temporary path, so an unchanged chapter re-executes to the same text."""
    for key in ("text", "evalue"):
        if isinstance(output.get(key), str):
            output[key] = KERNEL_FILE.sub("<cell>", output[key])
    if "traceback" in output:
        output["traceback"] = [KERNEL_FILE.sub("<cell>", line) for line in output["traceback"]]
    data = output.get("data", {})
    if isinstance(data.get("text/plain"), str):
        data["text/plain"] = KERNEL_FILE.sub("<cell>", data["text/plain"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="chapter names, e.g. 07_mnist (default: all)")
    parser.add_argument(
        "--sync-only",
        action="store_true",
        help="update the .ipynb cells from the .md, keep outputs, execute nothing",
    )
    args = parser.parse_args()
    if not args.sync_only:
        check_pinned_environment()
    for path in chapter_paths(args.chapters):
        nb = from_source(path)
        if not args.sync_only:
            print(f"executing {path.relative_to(REPO)} ...", flush=True)
            nb = execute(path, nb=nb)
            nb.metadata.setdefault("course", {})["executed_in"] = executed_in()
        jupytext.write(nb, path, fmt="ipynb")


if __name__ == "__main__":
    main()
