"""The PRISMA 2020 flow diagram, drawn with matplotlib (SVG, PDF and PNG).

The layout follows the PRISMA 2020 template for new reviews: phase bands on the left
(identification, screening, included), the records flowing down the main column, and what
was removed or excluded at each step on the right, exclusions listed per criterion. Retrieval
is not tracked, so the template's "reports sought / not retrieved" boxes are left out.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from metasummary.report.charts import FORMATS, Chart, new_figure, render, style
from metasummary.report.prisma import PhaseBox, PrismaCounts

WIDTH = 8.4
BAND = (0.08, 0.32)
MAIN = (0.55, 3.6)
SIDE = (4.7, 3.6)
MIN_ROW = 0.72  # inches: room for the rotated phase label
FONT = 8.0
LINE = FONT * 1.3 / 72  # inches per text line
PAD = 0.09
GAP = 0.32
WRAP = 56
BAND_COLOUR = "#cfe2f3"


@dataclass(slots=True)
class Box:
    lines: list[str]

    @property
    def height(self) -> float:
        return len(self.lines) * LINE + 2 * PAD


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WRAP, initial_indent=indent, subsequent_indent=indent + "  ") or [
        indent
    ]


def _lines(*entries: tuple[str, str]) -> list[str]:
    out: list[str] = []
    for text, indent in entries:
        out.extend(_wrap(text, indent))
    return out


def _excluded(title: str, box: PhaseBox) -> Box:
    entries = [(f"{title} (n = {box.excluded})", "")]
    entries += [(f"{r.label} (n = {r.count})", "  ") for r in box.reasons]
    return Box(_lines(*entries))


def _screened(title: str, box: PhaseBox) -> Box:
    entries = [(f"{title} (n = {box.assessed})", "")]
    if box.pending:
        entries.append((f"awaiting a decision (n = {box.pending})", "  "))
    return Box(_lines(*entries))


def boxes(counts: PrismaCounts) -> list[tuple[str, Box, Box | None]]:
    """Rows of (phase band, main box, side box)."""
    identified = [(f"Records identified from databases (n = {counts.identified}):", "")]
    identified += [(f"{name} (n = {n})", "  ") for name, n in counts.databases]
    if counts.other_methods:
        identified.append(
            (f"Records identified from citation searching (n = {counts.identified_other}):", "")
        )
        identified += [(f"{name} (n = {n})", "  ") for name, n in counts.other_methods]
    removed = Box(
        _lines(
            ("Records removed before screening:", ""),
            (f"Duplicate records (n = {counts.duplicates})", "  "),
        )
    )
    return [
        ("Identification", Box(_lines(*identified)), removed),
        (
            "Screening",
            _screened("Records screened", counts.title_abstract),
            _excluded("Records excluded", counts.title_abstract),
        ),
        (
            "Screening",
            _screened("Reports assessed for eligibility", counts.full_text),
            _excluded("Reports excluded", counts.full_text),
        ),
        ("Included", Box([f"Studies included in review (n = {counts.included})"]), None),
    ]


def draw(counts: PrismaCounts, name: str = "prisma") -> Chart:
    """The diagram in every format."""
    rows = boxes(counts)
    heights = [max(main.height, side.height if side else 0.0, MIN_ROW) for _, main, side in rows]
    total = sum(heights) + GAP * (len(rows) - 1) + 2 * PAD
    with style():
        figure = new_figure(WIDTH, total)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, WIDTH)
        axes.set_ylim(0, total)
        axes.axis("off")
        top = total - PAD
        tops: list[float] = []
        for (_, main, side), height in zip(rows, heights, strict=True):
            tops.append(top)
            _box(axes, MAIN, top, main.height, main)
            if side is not None:
                _box(axes, SIDE, top, side.height, side)
                level = top - min(main.height, side.height) / 2
                _arrow(axes, MAIN[0] + MAIN[1], level, SIDE[0], level)
            top -= height + GAP
        middle = MAIN[0] + MAIN[1] / 2
        for index in range(len(rows) - 1):
            _arrow(axes, middle, tops[index] - rows[index][1].height, middle, tops[index + 1])
        _bands(axes, rows, tops, heights)
        files = {fmt: render(figure, fmt) for fmt in FORMATS}
    return Chart(name, "PRISMA 2020 flow diagram", files)


def _box(axes: Axes, column: tuple[float, float], top: float, height: float, box: Box) -> None:
    x, width = column
    axes.add_patch(
        Rectangle((x, top - height), width, height, facecolor="white", edgecolor="black", lw=0.8)
    )
    axes.text(
        x + PAD,
        top - PAD,
        "\n".join(box.lines),
        va="top",
        ha="left",
        fontsize=FONT,
        linespacing=1.3,
    )


def _arrow(axes: Axes, x0: float, y0: float, x1: float, y1: float) -> None:
    axes.annotate(
        "",
        xy=(x1, y1),
        xytext=(x0, y0),
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 0.8, "shrinkA": 0, "shrinkB": 0},
    )


def _bands(
    axes: Axes,
    rows: list[tuple[str, Box, Box | None]],
    tops: list[float],
    heights: list[float],
) -> None:
    spans: list[tuple[str, float, float]] = []
    for (label, _, _), top, height in zip(rows, tops, heights, strict=True):
        if spans and spans[-1][0] == label:
            spans[-1] = (label, spans[-1][1], top - height)
        else:
            spans.append((label, top, top - height))
    x, width = BAND
    for label, top, bottom in spans:
        axes.add_patch(
            Rectangle((x, bottom), width, top - bottom, facecolor=BAND_COLOUR, edgecolor="none")
        )
        axes.text(
            x + width / 2,
            (top + bottom) / 2,
            label,
            rotation=90,
            va="center",
            ha="center",
            fontsize=FONT + 1,
            fontweight="bold",
        )
