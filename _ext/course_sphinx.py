"""The course's additions to the book's HTML (`sphinx.local_extensions` in _config.yml).

- Sphinx 7.4 re-adds inline scripts registered after the builder started (sphinx-thebe's
  ``const THEBE_JS_URL = ...``, sphinx-togglebutton's selector) a second time with the
  filename ``''`` instead of ``None``, so every page declared ``THEBE_JS_URL`` twice and the
  browser logged "Identifier 'THEBE_JS_URL' has already been declared". Drop the duplicates.
  Fixed upstream by sphinx-doc/sphinx#13402 (merged March 2025, Sphinx 8.2.x); jupyter-book
  1.x, held to Sphinx 7, cannot have it: remove this with the move to a Sphinx that has it.
- ``templates/``: two of the theme's header components with accessible names that axe-core
  accepts (``label-content-name-mismatch``); each file says what it changes.
- myst-nb's hide-input toggle (``<summary aria-label="Toggle hidden content">`` showing "Show
  code cell source") loses its aria-label, so that its name is the text it shows.
- docutils marks each entry of the bibliography ``role="doc-biblioentry"`` inside a
  ``role="list"``: that role is deprecated (DPUB-ARIA 1.1) and is no list item, so axe-core
  reports ``aria-required-children`` (critical). The entries become ``role="listitem"``.

The book's account of how its outputs are verified (the environment page, the line under each
chapter's title) is verification/book.py.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


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


def accessible_body(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if not body:
        return
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    # myst-nb's hide-input toggles: named by what they show ("Show code cell source"), not by
    # an aria-label that hides it ("Toggle hidden content": label-content-name-mismatch)
    body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    context["body"] = body


def use_course_templates(app, config) -> None:
    """The course's versions of theme components win over the theme's own."""
    config.templates_path.insert(0, str(HERE / "templates"))


def setup(app):
    app.connect("config-inited", use_course_templates)
    app.connect("html-page-context", drop_duplicate_scripts)
    app.connect("html-page-context", accessible_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
