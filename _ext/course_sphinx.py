"""The course's additions to the book's HTML (`sphinx.local_extensions` in _config.yml).

- Sphinx 7.4 re-adds inline scripts registered after the builder started (sphinx-thebe's
  ``const THEBE_JS_URL = ...``, sphinx-togglebutton's selector) a second time with the
  filename ``''`` instead of ``None``, so every page declared ``THEBE_JS_URL`` twice and the
  browser logged "Identifier 'THEBE_JS_URL' has already been declared". Drop the duplicates.
- ``templates/``: two of the theme's header components with accessible names that axe-core
  accepts (``label-content-name-mismatch``); each file says what it changes.
- myst-nb's hide-input toggle (``<summary aria-label="Toggle hidden content">`` showing "Show
  code cell source") loses its aria-label, so that its name is the text it shows.
- docutils marks each entry of the bibliography ``role="doc-biblioentry"`` inside a
  ``role="list"``: that role is deprecated (DPUB-ARIA 1.1) and is no list item, so axe-core
  reports ``aria-required-children`` (critical). The entries become ``role="listitem"``.
- Rich HTML outputs (``jax.debug.visualize_array_sharding``) colour text and background inline,
  often white on a light colour. Where the pair is below WCAG's 4.5:1, the text becomes black
  or white, whichever reads better (one of the two always reaches 4.5:1); backgrounds stay.
- Social-card metadata (Open Graph and Twitter) on every page: title, description (the page's
  first paragraph), image (``_static/social-card.png``) and URL, absolute from ``html_baseurl``.

The book's account of how its outputs are verified (the environment page, the line under each
chapter's title) is verification/book.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

HERE = Path(__file__).resolve().parent
SOCIAL_CARD = "_static/social-card.png"
logger = logging.getLogger(__name__)


# --- scripts registered twice -----------------------------------------------------------------


def _script_key(js) -> tuple:
    return (
        getattr(js, "filename", js) or "",
        getattr(js, "priority", 500),
        tuple(sorted(getattr(js, "attributes", {}).items())),
    )


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    seen, scripts = set(), []
    for js in context.get("script_files", []):
        key = _script_key(js)
        if key not in seen:
            seen.add(key)
            scripts.append(js)
    if "script_files" in context:
        context["script_files"] = scripts


# --- accessibility of the page body -----------------------------------------------------------

STYLE = re.compile(r'style="([^"]*background-color:[^"]*)"')


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_style(style: str) -> str:
    """An inline style whose text colour reads on its background colour (4.5:1 or better)."""
    declarations = [d.split(":", 1) for d in style.split(";") if ":" in d]
    values = {k.strip(): v.strip() for k, v in declarations}
    text, background = values.get("color", ""), values.get("background-color", "")
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}")
    if not (hex_colour.fullmatch(text) and hex_colour.fullmatch(background)):
        return style
    if contrast(text, background) >= 4.5:
        return style
    best = max(("#000000", "#ffffff"), key=lambda c: contrast(c, background))
    values["color"] = best
    if "text-decoration-color" in values:
        values["text-decoration-color"] = best
    return "; ".join(f"{k}: {v}" for k, v in values.items())


def accessible_body(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if not body:
        return
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    # myst-nb's hide-input toggles: named by what they show ("Show code cell source"), not by
    # an aria-label that hides it ("Toggle hidden content": label-content-name-mismatch)
    body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    body = STYLE.sub(lambda m: f'style="{readable_style(m.group(1))}"', body)
    context["body"] = body


def use_course_templates(app, config) -> None:
    """The course's versions of theme components win over the theme's own."""
    config.templates_path.insert(0, str(HERE / "templates"))


# --- social cards -------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def page_description(doctree, default: str) -> str:
    """The page's first paragraph of body text, shortened; ``default`` for generated pages."""
    if doctree is not None:
        for paragraph in doctree.findall(nodes.paragraph):
            if isinstance(paragraph.parent, nodes.section):
                text = " ".join(paragraph.astext().split())
                if len(text) > 40:
                    return _shorten(text)
    return default


def social_metadata(app, pagename, templatename, context, doctree) -> None:
    base = app.config.html_baseurl
    if not base:
        return
    base = base.rstrip("/") + "/"
    project = app.config.html_title or app.config.project
    title = _plain(context.get("title", "")) or project
    if title != project:
        title = f"{title} | {project}"
    description = page_description(doctree, app.config.course_description or project)
    tags = {
        "og:type": "website" if pagename == app.config.root_doc else "article",
        "og:site_name": project,
        "og:title": title,
        "og:description": description,
        "og:url": base + pagename + app.builder.out_suffix,
        "og:image": base + SOCIAL_CARD,
        "og:image:alt": project,
        "twitter:card": "summary_large_image",
        "twitter:title": title,
        "twitter:description": description,
        "twitter:image": base + SOCIAL_CARD,
    }
    lines = [
        f'<meta {"name" if key.startswith("twitter:") else "property"}="{key}" '
        f'content="{html.escape(value, quote=True)}" />'
        for key, value in tags.items()
    ]
    lines.append(f'<meta name="description" content="{html.escape(description, quote=True)}" />')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(lines) + "\n"


def check_social_card(app, config) -> None:
    if not config.html_baseurl:
        logger.warning("html_baseurl (html.baseurl in _config.yml) is not set: no social cards")
    if not (Path(app.srcdir) / SOCIAL_CARD).is_file():
        logger.warning(f"{SOCIAL_CARD} is missing: the social cards have no image")


def setup(app):
    app.add_config_value("course_description", "", "html")
    app.connect("config-inited", use_course_templates)
    app.connect("config-inited", check_social_card)
    app.connect("html-page-context", drop_duplicate_scripts)
    app.connect("html-page-context", accessible_body)
    app.connect("html-page-context", social_metadata)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
