"""Small fixes to the book's HTML, loaded through `sphinx.local_extensions` in _config.yml.

Sphinx 7.4 re-adds inline scripts registered after the builder started (sphinx-thebe's
``const THEBE_JS_URL = ...``, sphinx-togglebutton's selector) a second time with the
filename ``''`` instead of ``None``, so every page declared ``THEBE_JS_URL`` twice and the
browser logged "Identifier 'THEBE_JS_URL' has already been declared". Drop the duplicates.
"""

from __future__ import annotations


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


def setup(app):
    app.connect("html-page-context", drop_duplicate_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
