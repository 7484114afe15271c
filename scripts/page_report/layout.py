"""The page's layout as shown at its viewport (measure.js): code cells, outputs, figures."""

from __future__ import annotations

from dataclasses import dataclass

from scripts.page_report.harness import script
from scripts.page_report.verdicts import figure_problem

TICK_LABEL_PT = 9  # the course's tick labels: helpers/plotting.py STYLE["xtick.labelsize"]


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


def measure_layout(page) -> Layout:
    """Code cells, outputs, blocks and figures of the page as shown at its viewport."""
    return Layout(**page.evaluate(script("measure.js"), TICK_LABEL_PT))
