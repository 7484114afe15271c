"""The command line: ``python -m scripts.page_report [pages] [--width N] [--no-axe]``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import scripts.page_report
from scripts.chapters import REPO
from scripts.page_report.axe import AXE_TGZ, MODES
from scripts.page_report.harness import CHROMIUM, CHROMIUM_ARGS, WIDE, Tab, offline_context
from scripts.page_report.report import format_report, report_page, summary
from scripts.page_report.server import MATHJAX_TGZ, pages, serve, unpack_mathjax


def main(argv: list[str] | None = None) -> int:
    description = scripts.page_report.__doc__.splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m scripts.page_report", description=description)
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
