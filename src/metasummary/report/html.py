"""The report as one self-contained HTML page (Jinja2), its charts embedded as inline SVG."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from metasummary.report import tables as t
from metasummary.report.charts import Chart, inline_svg
from metasummary.report.content import ReportContent, percent
from metasummary.report.tables import Cell, Reported, Share
from metasummary.report.text import cell_text, citation, quoted


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
    env.filters["percent"] = percent
    env.filters["svg"] = _svg
    env.filters["citation"] = citation
    env.filters["quoted"] = quoted
    env.tests["numeric"] = _numeric
    return env


def _numeric(cell: Cell) -> bool:
    return cell is None or isinstance(cell, int | float | Reported | Share)


def _cell(cell: Cell) -> Markup:
    if isinstance(cell, Reported):
        return Markup(
            '{}<sup class="reported" title="reported, not held as records">r</sup>'
        ).format(cell.value)
    return Markup("{}").format(cell_text(cell))


def _svg(chart: Chart) -> Markup:
    # Our own matplotlib output, its ids prefixed so several charts can share one page.
    return Markup(inline_svg(chart.files["svg"], chart.name))


def render(content: ReportContent) -> str:
    template = environment().get_template("report.html.j2")
    return template.render(
        c=content,
        flow_tables=t.flow_tables(content),
        criteria=t.criteria_table(content),
        query_tables=t.query_tables(content),
        seeds=t.seeds_table(content),
        screening=t.agreement_table(
            content.screening_agreement, "Screening agreement", "Screening agreement"
        ),
        coding=t.agreement_table(content.coding_agreement, "Coding agreement", "Coding agreement"),
        themes_table=t.themes_table(content),
        papers_table=t.papers_table(content),
        quality=t.quality_tables(content),
        unlocated=t.unlocated_table(content),
    )
