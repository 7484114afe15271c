"""No broken internal links in the built book.

Every ``a[href]``, ``img[src]``, ``link[href]``, ``script[src]`` and ``source[src]`` of every
built page that points inside the site must name a file that exists in the build, and a
``#fragment`` that points to a page must name an ``id`` on that page. External links
(``http(s)://``, ``mailto:`` ...) are not followed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

ATTRIBUTES = {"a": "href", "img": "src", "link": "href", "script": "src", "source": "src"}


@cache
def _ids(page: Path) -> frozenset[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return frozenset(tag["id"] for tag in soup.find_all(id=True)) | frozenset(
        tag["name"] for tag in soup.find_all("a", attrs={"name": True})
    )


def _local_targets(page: Path):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for tag, attribute in ATTRIBUTES.items():
        for element in soup.find_all(tag, attrs={attribute: True}):
            url = element[attribute].strip()
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not url:
                continue  # external (http, https, mailto, data, javascript ...) or empty
            yield tag, url, parts


def test_no_broken_internal_links(built_book):
    html, build = built_book
    # The book's pages; _static/ holds theme template fragments (Jinja macros), not pages.
    pages = sorted(
        p for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith("_")
    )
    assert (html / "index.html") in pages, f"the book did not build:\n{build.stdout[-2000:]}"
    broken, checked = [], 0
    for page in pages:
        for tag, url, parts in _local_targets(page):
            checked += 1
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(html)}: <{tag}> {url}"
            if not target.is_file() or html.resolve() not in (target, *target.parents):
                broken.append(f"{where} -> missing {target}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _ids(target)
            ):
                broken.append(
                    f"{where} -> no id {parts.fragment!r} in {target.relative_to(html.resolve())}"
                )
    assert checked > 100, f"only {checked} links found: is the parsing right?"
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:50])
