"""The figures stored in the chapters' notebooks, read from the .ipynb files: no browser needed.

Every PNG output must have alt text in its cell's metadata (``mystnb.image.alt``, not a file
name), an opaque background (the dark theme dims images: a transparent one is unreadable), a
recorded dpi, and a size that stays readable in the book's content column: the verdicts of
scripts/page_report/verdicts.py, applied to the column that helpers/plotting.py sizes figures
for (FULL_WIDTH inches at 100 px an inch) instead of one measured in a browser. How each figure
is really shown on the page is measured by tests/book/test_browser.py.
"""

from __future__ import annotations

import base64
import io

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output
from PIL import Image

from helpers.plotting import FULL_WIDTH, STYLE
from scripts.chapters import CHAPTERS
from scripts.page_report.layout import TICK_LABEL_PT
from scripts.page_report.verdicts import size_problems, stored_problems

COLUMN_PX = FULL_WIDTH * 100  # the content column at a 1280 px window (helpers/plotting.py)


def stored_figure(cell, output) -> dict:
    """A PNG output as the page shows it in a COLUMN_PX wide column: the fields of a figure of
    scripts/page_report (alt, transparent, ratio, label_px) and its dpi (None if unrecorded)."""
    image = Image.open(io.BytesIO(base64.b64decode(output["data"]["image/png"])))
    dpi = round(image.info["dpi"][0]) if "dpi" in image.info else None  # as measure.js reads it
    natural = output.get("metadata", {}).get("image/png", {}).get("width") or image.width
    ratio = min(1.0, COLUMN_PX / natural)  # CSS px; an @2x figure states half its width
    density = image.width / natural
    return {
        "alt": cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt", ""),
        "transparent": image.convert("RGBA").getchannel("A").getextrema()[0] < 255,
        "ratio": ratio,
        "label_px": TICK_LABEL_PT * dpi / 72 / density * ratio if dpi else None,
        "dpi": dpi,
    }


def figures(path) -> list[tuple[str, dict]]:
    """Every PNG output of a notebook: where it is (cell index and first line) and its figure."""
    nb = nbformat.read(path, as_version=4)
    return [
        (f"cell {i} ({cell.source.splitlines()[0][:50]!r})", stored_figure(cell, output))
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]


def problems(figure: dict) -> list[str]:
    recorded = [] if figure["dpi"] else ["no dpi recorded in the PNG (save it with matplotlib)"]
    return recorded + size_problems(figure) + stored_problems(figure)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stored_figures_are_readable(path):
    failures = [f"{where}: {', '.join(problems(f))}" for where, f in figures(path) if problems(f)]
    assert not failures, f"{path.name}:\n  " + "\n  ".join(failures)


def test_the_chapters_have_figures():
    """The reader finds the figures (a change of format would otherwise pass silently)."""
    found = [f for path in CHAPTERS for _, f in figures(path)]
    assert len(found) >= 10, len(found)


def _png(size, colour, dpi=None) -> str:
    buffer = io.BytesIO()
    Image.new("RGBA", size, colour).save(buffer, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return base64.b64encode(buffer.getvalue()).decode()


def test_the_check_finds_unreadable_figures():
    bad = new_code_cell("plt.show()", metadata={"mystnb": {"image": {"alt": "plot.png"}}})
    out = new_output("display_data", data={"image/png": _png((1400, 300), (255, 255, 255, 0))})
    found = problems(stored_figure(bad, out))
    assert found[0].startswith("no dpi recorded"), found
    assert any("shown at 49%" in p for p in found), found
    assert any("transparent background" in p for p in found), found
    assert any("no alt text ('plot.png')" in p for p in found), found

    small = new_output("display_data", data={"image/png": _png((900, 300), "white", dpi=60)})
    alt = {"mystnb": {"image": {"alt": "A loss curve."}}}
    found = problems(stored_figure(new_code_cell("plt.show()", metadata=alt), small))
    assert found == ["tick labels about 5.7 px"], found

    good = new_output("display_data", data={"image/png": _png((680, 300), "white", dpi=100)})
    assert problems(stored_figure(new_code_cell("plt.show()", metadata=alt), good)) == []


def test_figure_check_knows_the_course_style():
    """The tick-label estimate assumes the course style's tick label size."""
    assert STYLE["xtick.labelsize"] == TICK_LABEL_PT
