"""The book builds with zero warnings and every chapter page shows its figures."""

import re

import nbformat
import pytest

from scripts.chapters import CHAPTERS


def test_book_builds_without_warnings(built_book):
    html, result = built_book
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-5000:]
    assert "WARNING" not in log, log[-5000:]
    assert (html / "index.html").exists()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_page_shows_every_figure(built_book, path):
    html, _ = built_book
    page = html / "chapters" / f"{path.stem}.html"
    assert page.exists(), f"{path.stem} is not in the built book (is it in _toc.yml?)"
    nb = nbformat.read(path, as_version=4)
    figures = sum(
        "image/png" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )
    shown = re.findall(r'<img[^>]+src="\.\./(_images/[^"]+)"', page.read_text(encoding="utf-8"))
    assert len(shown) >= figures, f"{page.name}: {figures} figures stored, {len(shown)} shown"
    for src in shown:
        assert (html / src).stat().st_size > 0, f"{page.name}: {src} is empty"
