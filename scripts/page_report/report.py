"""A page's report (layout, then axe-core in each mode), and how it is printed."""

from __future__ import annotations

from dataclasses import dataclass, field

from scripts.page_report.axe import COLOUR_RULES, MODES, axe_violations, set_mode
from scripts.page_report.layout import Layout, measure_layout
from scripts.page_report.verdicts import figure_problem


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
