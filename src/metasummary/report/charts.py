"""Charts of the included papers, drawn with matplotlib, byte for byte the same on every run.

A report's content holds what to draw (:class:`BarChart`); the report service draws each chart
once, in the formats its writers use (:func:`draw`), and matplotlib is imported only then.
Figures are built with the object API on the Agg canvas (no pyplot, no global backend), inside
an ``rc_context`` that fixes the SVG id salt and keeps text as text; the writers drop the date
and name metasummary as the creator, so the same data gives the same SVG, PDF and PNG.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RC: dict[Any, Any] = {
    "svg.hashsalt": "metasummary",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
}
METADATA = {
    "svg": {"Date": None, "Creator": "metasummary"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "metasummary", "Producer": None},
    "png": {"Software": "metasummary"},
}
FORMATS = tuple(METADATA)
BAR = "#3b6ea5"


@contextmanager
def style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def render(figure: Figure, fmt: str) -> bytes:
    """The figure as ``svg``, ``pdf`` or ``png`` bytes (call inside :func:`style`)."""
    buffer = BytesIO()
    figure.savefig(buffer, format=fmt, metadata=METADATA[fmt], dpi=150 if fmt == "png" else 100)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Chart:
    """A rendered chart: its file stem, title, and its drawing in each format asked for."""

    name: str
    title: str
    files: dict[str, bytes]
    size: tuple[float, float] = (0.0, 0.0)
    """Width and height in inches."""


@dataclass(frozen=True, slots=True)
class BarChart:
    """What a bar chart shows: a count per label."""

    name: str
    title: str
    labels: list[str]
    values: list[int]
    horizontal: bool = False
    unit: str = "papers"

    def draw(self, formats: Sequence[str] = FORMATS) -> Chart:
        return bar_chart(
            self.name,
            self.title,
            self.labels,
            self.values,
            horizontal=self.horizontal,
            unit=self.unit,
            formats=formats,
        )


def bar_chart(
    name: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    *,
    horizontal: bool = False,
    unit: str = "papers",
    formats: Sequence[str] = FORMATS,
) -> Chart:
    """A bar chart with the count on each bar, drawn in ``formats``; its title is the caption
    the writers set under it, not drawn inside."""
    from matplotlib.ticker import MaxNLocator

    with style():
        if horizontal:
            figure = new_figure(6.0, 0.9 + 0.32 * max(1, len(labels)))
        else:
            figure = new_figure(max(4.0, 0.5 * len(labels) + 1.5), 3.0)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        if horizontal:
            bars = axes.barh(positions, values, color=BAR)
            axes.set_yticks(positions, [_short(label) for label in labels])
            axes.invert_yaxis()
            axes.set_xlabel(unit)
        else:
            bars = axes.bar(positions, values, color=BAR)
            axes.set_xticks(positions, list(labels))
            axes.set_ylabel(unit)
        axes.bar_label(bars, padding=2, fontsize=8)
        if horizontal:
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.margins(x=0.15)
        else:
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.margins(y=0.15)
        figure.tight_layout()
        files = {fmt: render(figure, fmt) for fmt in formats}
        width, height = figure.get_size_inches()
    return Chart(name, title, files, (float(width), float(height)))


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


_ID = re.compile(r'\bid="([^"]+)"')
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


def inline_svg(svg: bytes, prefix: str) -> str:
    """An SVG file's ``<svg>`` element for an HTML page, its ids made unique by ``prefix``."""
    text = svg.decode("utf-8")
    text = text[text.index("<svg") :]
    text = _METADATA.sub("", text)
    for found in sorted(set(_ID.findall(text)), key=len, reverse=True):
        new = f"{prefix}-{found}"
        text = (
            text.replace(f'id="{found}"', f'id="{new}"')
            .replace(f"url(#{found})", f"url(#{new})")
            .replace(f'href="#{found}"', f'href="#{new}"')
        )
    return text.strip()
