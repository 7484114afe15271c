"""The built book served offline: its pages over http://127.0.0.1, MathJax from the wheelhouse."""

from __future__ import annotations

import contextlib
import functools
import http.server
import tarfile
import threading
from pathlib import Path

from scripts.wheelhouse import npm_tgz

MATHJAX_TGZ = npm_tgz("mathjax")


def pages(html: Path) -> list[str]:
    """The book's pages, relative to the HTML folder (``_static/`` etc. hold no pages)."""
    return sorted(
        str(p.relative_to(html))
        for p in html.rglob("*.html")
        if not p.relative_to(html).parts[0].startswith("_")
    )


@contextlib.contextmanager
def serve(html: Path):
    """Serve a folder over http://127.0.0.1 from a thread; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(html))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def unpack_mathjax(out: Path, tgz: Path = MATHJAX_TGZ) -> Path:
    """Unpack MathJax's es5/ folder from the wheelhouse into ``out``; return that folder."""
    with tarfile.open(tgz) as tar:
        tar.extractall(
            out,
            members=[m for m in tar.getmembers() if m.name.startswith("package/es5/")],
            filter="data",
        )
    return out / "package" / "es5"
