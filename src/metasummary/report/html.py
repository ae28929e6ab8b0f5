"""The report as one self-contained HTML page (Jinja2), its charts embedded as inline SVG."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from metasummary.report.charts import Chart, inline_svg
from metasummary.report.content import Citations
from metasummary.report.document import (
    Bibliography,
    Definitions,
    Document,
    Emphasis,
    Figure,
    ItemList,
    Link,
    Paragraph,
    Strong,
    Text,
)
from metasummary.report.tables import Cell, Reported, Share, Table
from metasummary.report.text import cell_text, citation_text

KINDS: dict[type, str] = {
    Paragraph: "paragraph",
    ItemList: "list",
    Definitions: "definitions",
    Table: "table",
    Figure: "figure",
    Bibliography: "bibliography",
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("metasummary", "report/templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = _cell
    env.filters["inline"] = inline
    env.filters["kind"] = lambda block: KINDS[type(block)]
    env.tests["numeric"] = _numeric
    return env


def _numeric(cell: Cell) -> bool:
    return cell is None or isinstance(cell, int | float | Reported | Share)


def _cited(citations: Citations) -> Markup:
    """``[5, 11]`` with each number linked to its entry in the reference list."""
    parts = []
    for item in citations.items:
        text = citation_text(item)
        if not text:
            continue
        if item.reference is None:
            parts.append(escape(text))
        else:
            parts.append(Markup('<a href="#ref-{}">{}</a>').format(item.reference.number, text))
    if not parts:
        return Markup("")
    separator = "; " if any(c.location for c in citations.items) else ", "
    return Markup("[") + Markup(separator).join(parts) + Markup("]")


def inline(text: Text) -> Markup:
    out = []
    for part in text:
        if isinstance(part, str):
            out.append(escape(part))
        elif isinstance(part, Emphasis):
            out.append(Markup("<em>{}</em>").format(part.text))
        elif isinstance(part, Strong):
            out.append(Markup("<strong>{}</strong>").format(part.text))
        elif isinstance(part, Link):
            target = f"#{part.anchor}" if part.anchor else part.file
            out.append(Markup('<a href="{}">{}</a>').format(target, part.text))
        elif isinstance(part, Citations):
            out.append(_cited(part))
    return Markup("").join(out)


def _cell(cell: Cell) -> Markup:
    if isinstance(cell, Reported):
        return Markup(
            '{}<sup class="reported" title="reported, not held as records">r</sup>'
        ).format(cell.value)
    if isinstance(cell, Citations):
        return _cited(cell)
    return Markup("{}").format(cell_text(cell))


def render(doc: Document, charts: Mapping[str, Chart]) -> str:
    """The page; ``charts`` holds every figure's drawing by name (its SVG is embedded)."""

    def svg(name: str) -> Markup:
        # Our own matplotlib output, its ids prefixed so several charts can share one page.
        return Markup(inline_svg(charts[name].files["svg"], name))

    return environment().get_template("report.html.j2").render(doc=doc, svg=svg)
