"""The PRISMA 2020 flow diagram, drawn with matplotlib (SVG, PDF and PNG).

The layout and look follow the PRISMA 2020 template for new reviews as the PRISMA2020 R package
draws it (Haddaway et al. 2022): a gold heading over "identification of studies via databases
and registers" and a grey one over "via other methods"; rounded blue phase bars on the left
(identification, screening, included); white boxes for the databases arm and grey boxes for
the other methods, each step's removals and exclusions in a box to its right, joined by
arrows; the other methods' assessed reports flow into the studies included in the review.

One adaptation: citation-searching candidates are screened on title and abstract here, so the
other-methods arm has a "records screened" step the template leaves out. Counts the sources
report without the review holding the records are shown beside the counted ones, marked ʳ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from metasummary.report.charts import FORMATS, Chart, new_figure, render, style
from metasummary.report.prisma import Arm, PrismaCounts

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FONT = 8.0
LINE = FONT * 1.32 / 72  # inches per text line
PAD = 0.08
BOX = 2.05  # inches: the width of every box
GAP = 0.28  # between a step's box and the box to its right
ARM_GAP = 0.42  # between the two arms
BAND = 0.3  # the phase bars' width
LEFT = 0.06
ROW_GAP = 0.3
MARK = "ʳ"
GOLD = "#FFC125"  # Goldenrod1, the R package's title colour
GREY = "#DCDCDC"  # Gainsboro, its grey boxes
BLUE = "#BCD2EE"  # LightSteelBlue2, its phase bars
EDGE = "black"
NBSP = "\u00a0"
NOTE = f"{MARK} reported by the source; the review does not hold these records."


@dataclass(slots=True)
class Box:
    lines: list[str]
    grey: bool = False

    @property
    def height(self) -> float:
        return len(self.lines) * LINE + 2 * PAD


@cache
def _width(text: str) -> float:
    """The width of ``text`` in the diagram's font, in inches."""
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    font = font_manager.get_font(font_manager.findfont(FontProperties(family="DejaVu Sans")))
    font.set_size(FONT, 72)
    font.set_text(text, 0)
    return float(font.get_width_height()[0]) / 64 / 72


def _wrap(text: str) -> list[str]:
    """Words filled into lines that fit inside a box; a word too long for a line is cut."""
    room = BOX - 2 * PAD
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not word:
            continue
        while _width(word) > room:
            cut = max(i for i in range(1, len(word) + 1) if _width(word[:i]) <= room)
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and _width(candidate) > room:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines = [*lines, line] if line or not lines else lines
    return [ln.replace(NBSP, " ") for ln in lines]


def _n(count: int | None, reported: int | None = None) -> str:
    """``(n = 19)``, with the reported count when it differs; kept on one line."""
    shown = "–" if count is None else str(count)
    if reported is not None and reported != count:
        return f"(n = {shown}; reported {reported}{MARK})".replace(" ", NBSP)
    return f"(n = {shown})".replace(" ", NBSP)


def _step(text: str, count: str) -> list[str]:
    """A step's name, then its count on a line of its own (as the template prints it)."""
    return [text, count]


def _box(grey: bool, *entries: str) -> Box:
    lines: list[str] = []
    for text in entries:
        lines.extend(_wrap(text))
    return Box(lines, grey)


def _identified(arm: Arm) -> Box:
    grey = arm.name == "other"
    what = "Citation searching and other methods" if grey else "Databases and registers"
    entries = [
        "Records identified from:",
        f"{what} {_n(arm.identified, arm.reported.identified)}",
    ]
    for name, n in arm.sources:
        reported = arm.reported_by_source.get(name)
        entries.append(f"{name} {_n(n, reported.identified if reported else None)}")
    return _box(grey, *entries)


def _removed(arm: Arm) -> Box:
    return _box(
        arm.name == "other",
        "Records removed before screening:",
        *_step("Duplicate records removed", _n(arm.duplicates)),
    )


def _screened(arm: Arm) -> tuple[Box, Box]:
    grey = arm.name == "other"
    entries = _step("Records screened", _n(arm.screening.assessed))
    if arm.screening.pending:
        entries.append(f"awaiting a decision {_n(arm.screening.pending)}")
    return _box(grey, *entries), _box(grey, *_step("Records excluded", _n(arm.screening.excluded)))


def _sought(arm: Arm) -> tuple[Box, Box]:
    grey = arm.name == "other"
    missing = "(not recorded)" if arm.not_retrieved is None else _n(arm.not_retrieved)
    sought = _n(arm.sought, arm.reported.title_abstract)
    return (
        _box(grey, *_step("Reports sought for retrieval", sought)),
        _box(grey, *_step("Reports not retrieved", missing.replace(" ", NBSP))),
    )


def _assessed(arm: Arm) -> tuple[Box, Box]:
    grey = arm.name == "other"
    box = arm.eligibility
    entries = _step("Reports assessed for eligibility", _n(arm.assessed))
    if arm.awaiting:
        entries.append(f"awaiting a decision {_n(arm.awaiting)}")
    reasons = _step(f"Reports excluded{':' if box.reasons else ''}", _n(box.excluded))
    reasons += [f"{_short(r.label)} {_n(r.count)}" for r in box.reasons]
    return _box(grey, *entries), _box(grey, *reasons)


def _short(label: str, words: int = 7) -> str:
    """A reason's first words (the criteria table has it in full)."""
    parts = label.split()
    return label if len(parts) <= words else " ".join(parts[:words]) + " …"


def _included(counts: PrismaCounts) -> Box:
    reported = counts.reported_included
    return _box(
        False,
        *_step("Studies included in review", _n(counts.included, reported)),
        *_step("Reports of included studies", _n(counts.included, reported)),
    )


Grid = list[list[Box | None]]
"""Rows of the diagram; per row the boxes of each column (main and side of each arm)."""


def grid(counts: PrismaCounts) -> tuple[Grid, list[str]]:
    """The boxes, row by row, and each row's phase (identification, screening, included)."""
    columns: list[list[Box | None]] = []
    for arm in counts.arms:
        screened, excluded = _screened(arm)
        sought, missing = _sought(arm)
        assessed, reasons = _assessed(arm)
        side_first = _removed(arm) if arm.name == "databases" or arm.duplicates else None
        columns.append([_identified(arm), screened, sought, assessed, None])
        columns.append([side_first, excluded, missing, reasons, None])
    columns[0][4] = _included(counts)
    rows = [[column[i] for column in columns] for i in range(5)]
    phases = ["Identification", "Screening", "Screening", "Screening", "Included"]
    return rows, phases


def _x(column: int) -> float:
    """The left edge of a column: main and side of the first arm, then of the second."""
    arm, side = divmod(column, 2)
    return LEFT + BAND + 0.16 + arm * (2 * BOX + GAP + ARM_GAP) + side * (BOX + GAP)


def draw(counts: PrismaCounts, name: str = "prisma", formats: Sequence[str] = FORMATS) -> Chart:
    """The diagram in the ``formats`` asked for."""
    rows, phases = grid(counts)
    arms = len(counts.arms)
    width = _x(2 * arms - 1) + BOX + LEFT
    heading = LINE * 2 + 2 * PAD
    heights = [max(b.height for b in row if b is not None) for row in rows]
    note = any(MARK in line for row in rows for b in row if b for line in b.lines)
    total = heading + ROW_GAP + sum(heights) + ROW_GAP * (len(rows) - 1) + 2 * PAD
    total += (LINE + PAD) if note else 0.0
    with style():
        figure = new_figure(width, total)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, width)
        axes.set_ylim(0, total)
        axes.axis("off")
        top = total - PAD
        for arm in range(arms):
            left = _x(2 * arm)
            label = (
                "Identification of studies via databases and registers"
                if counts.arms[arm].name == "databases"
                else "Identification of studies via other methods"
            )
            _rounded(axes, left, top - heading, 2 * BOX + GAP, heading, GOLD if arm == 0 else GREY)
            axes.text(
                left + BOX + GAP / 2,
                top - heading / 2,
                label,
                ha="center",
                va="center",
                fontsize=FONT + 0.5,
                fontweight="bold",
            )
        top -= heading + ROW_GAP
        centres: list[float] = []
        for row, height in zip(rows, heights, strict=True):
            centre = top - height / 2
            centres.append(centre)
            for column, box in enumerate(row):
                if box is not None:
                    _draw_box(axes, _x(column), centre, box)
            top -= height + ROW_GAP
        _arrows(axes, rows, centres)
        _bands(axes, phases, centres, heights)
        if note:
            axes.text(LEFT, PAD, NOTE, ha="left", va="bottom", fontsize=FONT - 1, color="#333333")
        files = {fmt: render(figure, fmt) for fmt in formats}
    return Chart(name, "PRISMA 2020 flow diagram", files, (width, total))


def _rounded(axes: Axes, x: float, y: float, w: float, h: float, colour: str) -> None:
    from matplotlib.patches import FancyBboxPatch

    axes.add_patch(
        FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=colour,
            edgecolor=colour,
            lw=0.8,
        )
    )


def _draw_box(axes: Axes, x: float, centre: float, box: Box) -> None:
    from matplotlib.patches import Rectangle

    bottom = centre - box.height / 2
    axes.add_patch(
        Rectangle(
            (x, bottom),
            BOX,
            box.height,
            facecolor=GREY if box.grey else "white",
            edgecolor=GREY if box.grey else EDGE,
            lw=0.8,
        )
    )
    axes.text(
        x + BOX / 2,
        centre,
        "\n".join(box.lines),
        va="center",
        ha="center",
        multialignment="center",
        fontsize=FONT,
        linespacing=1.32,
    )


def _arrow(axes: Axes, points: list[tuple[float, float]]) -> None:
    """A line through ``points`` with an arrow head at the last one."""
    for (x0, y0), (x1, y1) in pairwise(points[:-1]):
        axes.plot([x0, x1], [y0, y1], color=EDGE, lw=0.8, solid_capstyle="butt")
    axes.annotate(
        "",
        xy=points[-1],
        xytext=points[-2],
        arrowprops={
            "arrowstyle": "-|>",
            "color": EDGE,
            "lw": 0.8,
            "shrinkA": 0,
            "shrinkB": 0,
            "mutation_scale": 9,
        },
    )


def _arrows(axes: Axes, rows: Grid, centres: list[float]) -> None:
    columns = len(rows[0])
    for column in range(0, columns, 2):
        main = [row[column] for row in rows]
        middle = _x(column) + BOX / 2
        for index, box in enumerate(main):
            if box is None:
                continue
            side = rows[index][column + 1]
            if side is not None:
                _arrow(axes, [(_x(column) + BOX, centres[index]), (_x(column + 1), centres[index])])
            below = next((i for i in range(index + 1, len(main)) if main[i] is not None), None)
            if below is not None:
                start = centres[index] - box.height / 2
                end = centres[below] + main[below].height / 2  # type: ignore[union-attr]
                _arrow(axes, [(middle, start), (middle, end)])
        if column > 0:
            # The other methods' assessed reports join the studies included in the review.
            last = max(i for i, b in enumerate(main) if b is not None)
            included = rows[-1][0]
            assert included is not None
            start = centres[last] - main[last].height / 2  # type: ignore[union-attr]
            _arrow(
                axes,
                [(middle, start), (middle, centres[-1]), (_x(0) + BOX, centres[-1])],
            )


def _bands(axes: Axes, phases: list[str], centres: list[float], heights: list[float]) -> None:
    spans: list[tuple[str, float, float]] = []
    for label, centre, height in zip(phases, centres, heights, strict=True):
        top, bottom = centre + height / 2, centre - height / 2
        if spans and spans[-1][0] == label:
            spans[-1] = (label, spans[-1][1], bottom)
        else:
            spans.append((label, top, bottom))
    for label, top, bottom in spans:
        _rounded(axes, LEFT, bottom, BAND, top - bottom, BLUE)
        axes.text(
            LEFT + BAND / 2,
            (top + bottom) / 2,
            label,
            rotation=90,
            va="center",
            ha="center",
            fontsize=FONT + 0.5,
            fontweight="bold",
        )
