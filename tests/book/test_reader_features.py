"""What readers of good books expect, checked in the built HTML (no browser needed).

- every page of the book's documents carries social-card metadata (Open Graph and Twitter:
  title, description, image, URL), the image being the site's own PNG under ``html.baseurl``;
- a chapter page offers its notebook for download (the chapter's own ``.ipynb``), an "open
  issue" link and a "suggest edit" link to its reviewed ``.md`` source (not the ``.ipynb``);
  every other page with a source links to that source;
- the environment page, written at build time, names the installed JAX and jaxlib, the CPU, the
  build date, the test command and its rounding variant, and has a row for every chapter;
- coloured rich outputs (chapter 9's ``visualize_array_sharding``, drawn with its ``color_map``)
  put their text on their background at WCAG's 4.5:1 or better, in the stored notebook.
"""

from __future__ import annotations

import re
from importlib.metadata import version

import nbformat
import pytest
from bs4 import BeautifulSoup

from scripts.chapters import REPO, config, repository_url, toc_chapters
from verification.settings import ROUNDING_VARIANT

SOCIAL = ("og:title", "og:description", "og:image", "og:url", "twitter:card")


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _pages(html):
    return sorted(
        p for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith("_")
    )


# Pages Sphinx generates without a document (no text to describe): sphinxext-opengraph gives
# them no card, and nobody shares a search page.
GENERATED = {"genindex.html", "search.html"}


def test_every_page_has_a_social_card(built_book):
    html, _ = built_book
    base = config()["html"]["baseurl"]
    problems = []
    for page in _pages(html):
        soup, name = _soup(page), str(page.relative_to(html))
        if name in GENERATED:
            continue
        meta = {
            key: (soup.find("meta", property=key) or soup.find("meta", attrs={"name": key}))
            for key in SOCIAL
        }
        missing = [key for key, tag in meta.items() if not (tag and tag.get("content"))]
        if missing:
            problems.append(f"{name}: no {missing}")
            continue
        image, url = meta["og:image"]["content"], meta["og:url"]["content"]
        if not (image.startswith(base) and (html / image.removeprefix(base)).is_file()):
            problems.append(f"{name}: og:image {image} is not a file of the site under {base}")
        if not image.endswith(".png"):
            problems.append(f"{name}: og:image {image} is not a PNG (social sites show no SVG)")
        if url != base + name:
            problems.append(f"{name}: og:url {url}, expected {base + name}")
        site = soup.find("meta", property="og:site_name")
        if not site or site.get("content") != config()["title"]:
            problems.append(f"{name}: og:site_name is not the book's title")
        if meta["og:description"]["content"].startswith("Outputs made with"):
            problems.append(f"{name}: the description is the verified-with line, not the text")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("file", toc_chapters(), ids=lambda f: f.split("/")[-1])
def test_chapter_page_offers_download_issue_and_edit(built_book, file):
    html, _ = built_book
    page = html / f"{file}.html"
    soup = _soup(page)
    repo, branch = repository_url(), config()["repository"].get("branch", "main")

    download = [a["href"] for a in soup.select("a.btn-download-source-button")]
    assert download == [f"../_sources/{file}.ipynb"], f"{file}: download links {download}"
    nb = nbformat.read(page.parent / download[0], as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].source == nbformat.read(REPO / f"{file}.ipynb", as_version=4).cells[0].source

    edit = [a["href"] for a in soup.select("a.btn-source-edit-button")]
    assert edit == [f"{repo}/edit/{branch}/{file}.md"], f"{file}: edit links {edit}"
    issues = [a["href"] for a in soup.select("a.btn-source-issues-button")]
    assert len(issues) == 1 and issues[0].startswith(f"{repo}/issues/new?"), issues


def test_every_page_with_a_source_links_to_it(built_book):
    html, _ = built_book
    problems = []
    for page in _pages(html):
        name = str(page.relative_to(html))
        if name in ("genindex.html", "search.html"):
            continue
        edit = [a["href"] for a in _soup(page).select("a.btn-source-edit-button")]
        source = edit[0].split("/edit/", 1)[-1].split("/", 1)[-1] if edit else ""
        if not (source.endswith(".md") and (REPO / source).is_file()):
            problems.append(f"{name}: no 'suggest edit' link to a .md of this repository: {edit}")
    assert not problems, "\n".join(problems)


def test_environment_page(built_book):
    html, _ = built_book
    page = html / "environment.html"
    assert page.is_file(), "environment.md is not in the book (_toc.yml)"
    text = " ".join(_soup(page).select_one("article").get_text(" ").split())
    for name in ("jax", "jaxlib", "numpy", "matplotlib"):
        assert re.search(rf"\b{name} {re.escape(version(name))}\b", text), f"no {name} version"
    assert "bash scripts/test.sh" in text
    assert f"XLA_FLAGS={ROUNDING_VARIANT}" in text, "the rounding variant is not named"
    assert re.search(r"CPU ?: .+\((AVX-512|AVX2|AVX|SSE4\.2|\w+)\)", text), "no CPU"
    assert re.search(r"Built ?: \d{4}-\d\d-\d\d \d\d:\d\d UTC", text), "no build date"
    rows = _soup(page).select("article table tbody tr")
    for number, file in enumerate(toc_chapters(), start=1):
        assert any(
            row.find("a", href=f"{file}.html") and row.get_text().strip().startswith(f"{number}.")
            for row in rows
        ), f"no row for {file}"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_wcag_ratio():
    assert round(contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast("#ffffff", "#d6616b"), 2) == 3.63  # JAX's default, too pale


def test_coloured_rich_outputs_are_readable_as_stored():
    """Every inline text/background pair in the notebooks' HTML outputs reaches 4.5:1; chapter
    9 draws its shardings with dark colours (``color_map``), no rewrite of the built page."""
    pair = re.compile(r"color: (#\w{6});[^\"]*background-color: (#\w{6})")
    found = 0
    for notebook in sorted((REPO / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            for output in cell.get("outputs", []):
                html = "".join(output.get("data", {}).get("text/html", ""))
                for text, background in pair.findall(html):
                    found += 1
                    assert contrast(text, background) >= 4.5, (notebook.name, text, background)
    assert found, "no coloured output found: chapter 9 draws one"


def test_every_chapter_page_says_what_it_was_verified_with(built_book):
    """The line at the end of each chapter (verification/book.py) quotes the notebook's own
    record and the last run of every chapter on Colab's versions (colab/runtime/verified.json)."""
    import json

    html, _ = built_book
    colab = json.loads((REPO / "colab" / "runtime" / "verified.json").read_text())
    for file in toc_chapters():
        made = nbformat.read(REPO / f"{file}.ipynb", as_version=4).metadata.course.executed_in
        line = _soup(html / f"{file}.html").select_one("p.course-verified")
        assert line is not None, f"{file}: no verified-with line"
        text = " ".join(line.get_text().split())
        assert text.startswith(f"Outputs made with JAX {made['jax']} on Python {made['python']}")
        assert f"({made['date']})" in text, text
        assert f"Colab's runtime (JAX {colab['packages']['jax']}," in text, text
        assert f"last verified {colab['date']}" in text, text
        assert line.find("a")["href"] == "../environment.html"
