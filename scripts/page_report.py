"""Measure what a reader sees on each page of the built book, in headless Chromium.

    .venv/bin/jupyter-book build -W --keep-going .     # first: this script builds nothing
    .venv/bin/python -m scripts.page_report             # every page of _build/html at 1280 px
    .venv/bin/python -m scripts.page_report chapters/07_mnist --width 390 --no-axe

For each page, at the given window width:

- code cells whose code is wider than its box (a horizontal scroll bar hides the rest), with the
  cell's number on the page (1 = the page's first cell, counting cells whose input is hidden),
  its first line and its longest line in characters; collapsed solutions and hidden inputs are
  measured as if opened;
- outputs that scroll or spill past the content column (text, tables, HTML), with their first
  60 characters, and text outputs that wrap (_static/course.css wraps them, as JupyterLab
  does) with their longest line; code blocks and tables outside cells are reported as
  "blocks";
- figures: shown and natural width, an estimate of the size of their tick labels on the screen
  (the course style's 9 pt at the PNG's dpi, times the shown/natural ratio), whether the
  background is transparent (unreadable on the dark theme) and whether they have alt text; a
  figure below 60% of its natural width, with labels under 9 px, a transparent background or
  no alt text (or only a file name) is flagged BAD;
- axe-core's serious and critical violations, by rule, with the offending elements' selectors:
  every default rule in light mode, then the rules that depend on colours (COLOUR_RULES) in dark
  mode (the theme's ``data-theme``; elements, names and roles do not change with the mode).

The browser test (tests/book/test_browser.py) runs the same measurements on every page and fails
on a regression. Both need /usr/bin/chromium and the npm packages ``mathjax@3.2.2`` and
``axe-core@4.14.1`` that ``scripts/setup_env.sh`` packs into ``.venv/wheelhouse``; the pages are
served over 127.0.0.1 and every request that leaves it is aborted (MathJax's CDN is answered
from the local copy).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import re
import sys
import tarfile
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from scripts.chapters import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WHEELHOUSE = Path(os.environ.get("COURSE_WHEELHOUSE", REPO / ".venv" / "wheelhouse"))
MATHJAX_TGZ = WHEELHOUSE / "mathjax-3.2.2.tgz"
AXE_TGZ = WHEELHOUSE / "axe-core-4.14.1.tgz"
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"
WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
MIN_FIGURE_RATIO = 0.6  # a figure shown below 60% of its natural width is too small to read
MIN_LABEL_PX = 9  # nor is a tick label less than 9 px tall on the screen
TICK_LABEL_PT = 9  # the course's tick labels: helpers/plotting.py STYLE["xtick.labelsize"]
SEVERE = ("serious", "critical")  # the axe-core impacts that count
MODES = ("light", "dark")
# The rules whose result depends on colours: the only ones that can differ in dark mode, where
# the page's elements, names and roles are those of light mode.
COLOUR_RULES = ("color-contrast", "link-in-text-block")

# sphinx-book-theme logs "Got invalid theme mode" when local storage has no theme yet: open
# every page as a returning reader, whose browser has stored mode and theme already.
RETURNING_READER = """
try {
  if (!window.localStorage.getItem("mode")) window.localStorage.setItem("mode", "auto");
  if (!window.localStorage.getItem("theme")) window.localStorage.setItem("theme", "light");
} catch (e) {}
"""


# --- serving the book offline ---------------------------------------------------------------


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


@functools.cache
def axe_source(tgz: Path = AXE_TGZ) -> str:
    """axe.min.js from the npm package in the wheelhouse."""
    with tarfile.open(tgz) as tar:
        return tar.extractfile("package/axe.min.js").read().decode()


def offline_context(browser, base: str, mathjax: Path, viewport: dict = WIDE):
    """A browser context that reaches only ``base``, with MathJax's CDN answered locally."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script(RETURNING_READER)

    def route(route):  # every request that would leave `base`
        url = route.request.url
        if url.startswith(MATHJAX_CDN + "es5/"):
            local = mathjax / urlsplit(url).path.split("/es5/", 1)[1]
            if local.is_file():
                return route.fulfill(path=str(local))
        return route.abort()

    # The pattern is matched in the browser's driver, so the site's own requests never wait for
    # a Python callback (that made each page load about twice as slow).
    context.route(re.compile("^(?!" + re.escape(base) + ")"), route)
    return context


class Tab:
    """One browser tab that visits page after page (a new tab per page costs a new renderer
    process: about twice the time). ``problems`` lists the current page's console errors,
    uncaught exceptions, failed requests and HTTP errors for the site's own resources."""

    def __init__(self, context, base: str):
        self.page = context.new_page()
        self.problems: list[str] = []
        _watch(self.page, base, self.problems)

    def visit(self, url: str):
        """Open ``url`` and wait until it is loaded: scripts, images, fonts and MathJax's
        typesetting. Returns the page; ``problems`` then holds this page's problems only."""
        self.problems.clear()
        self.page.goto(url, wait_until="load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        if not wait_for_math(self.page):
            raw = self.page.evaluate("""Array.from(document.querySelectorAll('.math'))
                .filter(m => !m.querySelector('mjx-container')).slice(0, 3)
                .map(m => m.textContent)""")
            self.problems.append(f"math not typeset by MathJax, e.g. {raw}")
        return self.page

    def close(self) -> None:
        self.page.close()


def _watch(page, own: str, problems: list[str]) -> None:
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
    page.on(
        "requestfailed",
        lambda r: (
            r.url.startswith(own) and problems.append(f"request failed: {r.url} ({r.failure})")
        ),
    )
    page.on(
        "response",
        lambda r: (
            r.url.startswith(own)
            and r.status >= 400
            and problems.append(f"HTTP {r.status}: {r.url}")
        ),
    )


def wait_for_math(page, timeout: float = 20000) -> bool:
    """Wait until MathJax has typeset every formula (true at once on a page without math)."""
    try:
        page.wait_for_function(
            """() => Array.from(document.querySelectorAll('.math')).every(
                m => m.tagName === 'MJX-CONTAINER' || m.querySelector('mjx-container'))""",
            timeout=timeout,
        )
        return True
    except Exception:
        return False


# --- layout: code cells, outputs, figures ---------------------------------------------------

LAYOUT_JS = """async (tickPt) => {
  const opened = Array.from(document.querySelectorAll('details:not([open])'));
  opened.forEach(d => { d.open = true; });
  const article = document.querySelector('article.bd-article') || document.body;
  const right = article.getBoundingClientRect().right  // the column's edge, padding excluded
                - parseFloat(getComputedStyle(article).paddingRight);
  const clips = el => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  // How far an element's content runs past what is shown: it scrolls, or spills past the column.
  // (MathJax's copy for screen readers makes a formula's box scroll by a few px when nothing
  // is hidden: a formula is measured by its typeset part, mjx-math, against its box.)
  const excess = el => Math.max(
    !clips(el) ? 0 : el.matches('.math') ? Math.max(0, ...Array.from(
      el.querySelectorAll('mjx-math'),
      m => m.getBoundingClientRect().right - el.getBoundingClientRect().right))
      : el.scrollWidth - el.clientWidth,
    el.getBoundingClientRect().right - right);
  const worst = root => {
    let best = null, px = 0;
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (el.closest('mjx-assistive-mml')) continue;  // MathJax's off-screen copy for readers
      const e = excess(el);
      if (e > px + 0.5) { px = e; best = el; }
    }
    return best && px > 1 ? {px: Math.round(px), el: best} : null;
  };
  const text = el => (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim();
  const cells = Array.from(article.querySelectorAll('div.cell'));
  const code = [], outputs = [], wrapped = [], blocks = [], figures = [];
  cells.forEach((cell, i) => {
    const pre = cell.querySelector('.cell_input pre');
    if (pre) {
      const lines = pre.textContent.replace(/\\n$/, '').split('\\n');
      const e = worst(cell.querySelector('.cell_input'));
      code.push({cell: i + 1, first: lines[0].slice(0, 60), lines: lines.length,
                 longest: Math.max(...lines.map(l => l.length)), excess: e ? e.px : 0});
    }
    cell.querySelectorAll('.cell_output > *').forEach(out => {
      const e = worst(out);
      if (e) outputs.push({cell: i + 1, text: text(out).slice(0, 60), excess: e.px,
                           element: e.el.tagName.toLowerCase()});
      // Text outputs wrap (_static/course.css): a wrapped line shows as a taller box.
      out.querySelectorAll('pre').forEach(pre => {
        const style = getComputedStyle(pre);
        const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
        const height = pre.clientHeight - parseFloat(style.paddingTop)
                       - parseFloat(style.paddingBottom);
        const lines = pre.textContent.replace(/\\n$/, '').split('\\n');
        if (height > (lines.length + 0.5) * line) {
          wrapped.push({cell: i + 1, longest: Math.max(...lines.map(l => l.length)),
                        text: lines.reduce((a, b) => b.length > a.length ? b : a).slice(0, 60)});
        }
      });
    });
  });
  // Code blocks, tables and display math outside cells.
  article.querySelectorAll('div.highlight, table, div.math').forEach(el => {
    if (el.closest('div.cell')) return;
    const e = worst(el);
    if (e) blocks.push({text: text(el).slice(0, 60), excess: e.px,
                        element: e.el.tagName.toLowerCase()});
  });
  for (const img of article.querySelectorAll('img')) {
    if (!img.complete || !img.naturalWidth) continue;
    const attr = parseFloat(img.getAttribute('width'));
    const natural = attr > 0 && !/%/.test(img.getAttribute('width')) ? attr : img.naturalWidth;
    const shown = img.getBoundingClientRect().width;
    if (!shown) continue;
    const cell = img.closest('div.cell');
    const figure = {cell: cell ? cells.indexOf(cell) + 1 : null, src: img.src.split('/').pop(),
                    alt: img.getAttribute('alt') || '', natural: Math.round(natural),
                    shown: Math.round(shown), ratio: shown / natural, dpi: null,
                    label_px: null, transparent: null};
    if (/\\.png($|\\?)/i.test(img.src)) {
      try {  // the PNG's pHYs chunk holds the dpi that matplotlib saved it with
        const bytes = new DataView(await (await fetch(img.src)).arrayBuffer());
        for (let at = 8; at + 8 <= bytes.byteLength;) {
          const length = bytes.getUint32(at);
          const type = String.fromCharCode(...[4, 5, 6, 7].map(k => bytes.getUint8(at + k)));
          if (type === 'pHYs' && bytes.getUint8(at + 16) === 1) {
            figure.dpi = Math.round(bytes.getUint32(at + 8) * 0.0254);
          }
          if (type === 'IDAT' || type === 'IEND') break;
          at += 12 + length;
        }
      } catch (e) {}
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 1;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0, 1, 1, 0, 0, 1, 1);
      figure.transparent = ctx.getImageData(0, 0, 1, 1).data[3] < 255;
      // Natural size in image pixels per CSS pixel (an @2x figure states half its width).
      const density = img.naturalWidth / natural;
      if (figure.dpi) figure.label_px = tickPt * figure.dpi / 72 / density * figure.ratio;
    }
    figures.push(figure);
  }
  opened.forEach(d => { d.open = false; });
  return {code, outputs, wrapped, blocks, figures};
}"""


@dataclass
class Layout:
    code: list[dict]  # every code cell: cell, first, lines, longest, excess (px)
    outputs: list[dict]  # overflowing outputs: cell, text, excess, element
    wrapped: list[dict]  # text outputs with a line wider than the column: cell, longest, text
    blocks: list[dict]  # overflowing code blocks/tables/math outside cells
    figures: list[dict]  # every figure: cell, src, alt, natural, shown, ratio, dpi, label_px

    @property
    def overflowing_code(self) -> list[dict]:
        return [c for c in self.code if c["excess"] > 0]

    @property
    def bad_figures(self) -> list[dict]:
        """Figures below MIN_FIGURE_RATIO of their natural width, or whose tick labels are
        estimated below MIN_LABEL_PX, or with a transparent background (dark mode), or
        without alt text (none, or only a file name)."""
        return [f for f in self.figures if figure_problem(f)]


def figure_problem(figure: dict) -> str:
    """What makes a figure hard to read ('' if nothing)."""
    problems = []
    if figure["ratio"] < MIN_FIGURE_RATIO:
        problems.append(f"shown at {figure['ratio']:.0%} of its natural width")
    if figure["label_px"] is not None and figure["label_px"] < MIN_LABEL_PX:
        problems.append(f"tick labels about {figure['label_px']:.1f} px")
    if figure["transparent"]:
        problems.append("transparent background (unreadable in dark mode)")
    if not figure["alt"].strip() or re.search(r"\.(png|jpe?g|svg|gif)$", figure["alt"].strip()):
        problems.append(f"no alt text ({figure['alt']!r}): describe it in the cell's metadata")
    return ", ".join(problems)


def measure_layout(page) -> Layout:
    """Code cells, outputs, blocks and figures of the page as shown at its viewport."""
    return Layout(**page.evaluate(LAYOUT_JS, TICK_LABEL_PT))


# --- accessibility: axe-core in light and dark mode -----------------------------------------

# The theme's switch sets these two attributes (and stores the choice, which is not done here:
# the next page opens in the reader's mode, as the init script left it).
SET_MODE_JS = """(mode) => {
  // The theme's colours change with transitions: turn them off, so that the new colours hold
  // from the next frame on (waiting for the transitions took 0.4 s a page).
  if (!document.getElementById('no-transitions')) {
    const style = document.createElement('style');
    style.id = 'no-transitions';
    style.textContent = '*, *::before, *::after { transition: none !important; }';
    document.head.appendChild(style);
  }
  document.documentElement.dataset.mode = mode;
  document.documentElement.dataset.theme = mode;
  return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""

AXE_JS = """async ([impacts, rules]) => {
  const options = {resultTypes: ['violations']};
  if (rules) options.runOnly = rules;
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter(n => impacts.includes(n.impact)).map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' '),
      html: n.html.slice(0, 160), summary: (n.failureSummary || '').slice(0, 300)}))
  })).filter(v => v.nodes.length);
}"""


def set_mode(page, mode: str) -> None:
    """Switch the theme to ``light`` or ``dark``, as the theme's own switch does."""
    page.evaluate(SET_MODE_JS, mode)


def axe_violations(page, rules=None, impacts=SEVERE) -> list[dict]:
    """axe-core's violations of the given impacts on the page as it is now (all of axe's
    default rules, or only ``rules``): rule, impact, help and the offending nodes (target
    selector, html, failure summary)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(AXE_JS, [list(impacts), list(rules) if rules else None])


@dataclass
class PageReport:
    name: str
    layout: Layout
    axe: dict[str, list[dict]] = field(default_factory=dict)  # mode -> violations
    problems: list[str] = field(default_factory=list)  # console errors etc.


def report_page(page, name: str, modes=MODES) -> PageReport:
    """Layout at the page's viewport, then axe-core: every default rule in light mode, the
    colour rules in dark mode. Leaves the page in the last mode."""
    report = PageReport(name, measure_layout(page))
    for mode in modes:
        set_mode(page, mode)
        report.axe[mode] = axe_violations(page, None if mode == "light" else COLOUR_RULES)
    return report


# --- printing -------------------------------------------------------------------------------


def format_report(report: PageReport) -> str:
    layout, lines = report.layout, []
    over = layout.overflowing_code
    lines.append(
        f"== {report.name}: code cells overflowing {len(over)}/{len(layout.code)}"
        f" | outputs overflowing {len(layout.outputs)}, wrapped {len(layout.wrapped)}"
        f" | blocks overflowing {len(layout.blocks)}"
        f" | figures {len(layout.figures)}, bad {len(layout.bad_figures)}"
        + "".join(
            f" | axe {mode} {sum(len(v['nodes']) for v in found)}"
            for mode, found in report.axe.items()
        )
    )
    for c in over:
        lines.append(
            f"   code  cell {c['cell']:>3}: +{c['excess']} px, longest line {c['longest']} chars,"
            f" {c['lines']} lines: {c['first']}"
        )
    for o in layout.outputs:
        excess = f"+{o['excess']} px <{o['element']}>"
        lines.append(f"   out   cell {o['cell']:>3}: {excess} {o['text']!r}")
    for w in layout.wrapped:
        lines.append(f"   wrap  cell {w['cell']:>3}: a line of {w['longest']} chars: {w['text']!r}")
    for b in layout.blocks:
        lines.append(f"   block          +{b['excess']} px <{b['element']}> {b['text']!r}")
    for f in layout.figures:
        problem = figure_problem(f)
        flag = "BAD" if problem else "ok "
        label = f", tick labels ~{f['label_px']:.1f} px" if f["label_px"] else ""
        dark = ", TRANSPARENT background" if f["transparent"] else ""
        lines.append(
            f"   fig {flag} cell {f['cell']}: {f['shown']}/{f['natural']} px"
            f" = {f['ratio']:.0%}{label}{dark} ({f['src'][:16]}...)"
            + (f": {problem}" if problem else "")
        )
    for mode, found in report.axe.items():
        for v in found:
            lines.append(f"   axe {mode:<5} {v['impact']:<8} {v['rule']} ({v['help']})")
            for node in v["nodes"][:8]:
                lines.append(f"       {node['target']}")
            if len(v["nodes"]) > 8:
                lines.append(f"       ... and {len(v['nodes']) - 8} more")
    lines.extend(f"   problem: {p}" for p in report.problems)
    return "\n".join(lines)


def summary(reports: list[PageReport]) -> str:
    code = sum(len(r.layout.code) for r in reports)
    over = sum(len(r.layout.overflowing_code) for r in reports)
    outputs = sum(len(r.layout.outputs) for r in reports)
    blocks = sum(len(r.layout.blocks) for r in reports)
    figures = sum(len(r.layout.figures) for r in reports)
    small = sum(len(r.layout.bad_figures) for r in reports)
    text = (
        f"TOTAL over {len(reports)} pages: code cells overflowing {over}/{code} ({over / code:.1%})"
        if code
        else f"TOTAL over {len(reports)} pages: no code cells"
    )
    wrapped = sum(len(r.layout.wrapped) for r in reports)
    text += f"; outputs overflowing {outputs}, wrapped {wrapped}; blocks overflowing {blocks}"
    text += f"; figures with a problem {small}/{figures}"
    for mode in MODES:
        found = [v for r in reports for v in r.axe.get(mode, [])]
        if any(mode in r.axe for r in reports):
            rules = sorted({v["rule"] for v in found})
            pages_hit = sum(bool(r.axe.get(mode)) for r in reports)
            text += (
                f"; axe {mode}: {sum(len(v['nodes']) for v in found)} serious/critical nodes"
                f" on {pages_hit} pages {rules if rules else ''}"
            )
    problems = sum(len(r.problems) for r in reports)
    return text + f"; console/request problems {problems}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="pages, e.g. chapters/07_mnist (default: all)")
    parser.add_argument("--html", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--width", type=int, default=WIDE["width"])
    parser.add_argument("--no-axe", action="store_true", help="layout only (faster)")
    parser.add_argument("--modes", default=",".join(MODES), help="axe modes (default light,dark)")
    args = parser.parse_args(argv)

    if not (args.html / "index.html").is_file():
        sys.exit(f"no book in {args.html}: run .venv/bin/jupyter-book build -W --keep-going .")
    for needed in (CHROMIUM, MATHJAX_TGZ) + (() if args.no_axe else (AXE_TGZ,)):
        if not needed.exists():
            sys.exit(f"{needed} is missing: run bash scripts/setup_env.sh")
    names = pages(args.html)
    if args.pages:
        wanted = [p.removesuffix(".html") + ".html" for p in args.pages]
        missing = [p for p in wanted if p not in names]
        if missing:
            sys.exit(f"not in the book: {missing}; pages: {names}")
        names = wanted
    modes = () if args.no_axe else tuple(m for m in args.modes.split(",") if m)
    viewport = {"width": args.width, "height": 900 if args.width >= 768 else 844}

    from playwright.sync_api import sync_playwright

    reports = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve(args.html) as base,
        sync_playwright() as playwright,
    ):
        mathjax = unpack_mathjax(Path(tmp))
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = offline_context(browser, base, mathjax, viewport)
        tab = Tab(context, base)
        for name in names:
            report = report_page(tab.visit(base + name), name, modes)
            report.problems = list(tab.problems)
            reports.append(report)
            print(format_report(report), flush=True)
        tab.close()
        context.close()
        browser.close()
    print(f"\n(at {args.width} px) " + summary(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
