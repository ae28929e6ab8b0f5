"""The report as a LaTeX document: booktabs tables, figures as PDF files beside the .tex.

Written for pdfLaTeX with UTF-8 input (``report.tex`` next to ``figures/``). Long tables use
``longtable`` so they break across pages.
"""

from __future__ import annotations

from metasummary.report import tables as t
from metasummary.report.content import ReportContent
from metasummary.report.tables import Reported, Share, Table
from metasummary.report.text import cell_text, citation, quoted

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # A cell that starts with "[" after "\\" would be read as the row's skip length.
    '"': r"\textquotedbl{}",
    "[": "{[}",
    "]": "{]}",
    "→": r"$\rightarrow$",
    "−": r"$-$",
    "ʳ": r"\textsuperscript{r}",
    "×": r"$\times$",
    "≥": r"$\geq$",
    "≤": r"$\leq$",
}

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[a4paper,margin=2.2cm]{geometry}
\usepackage{booktabs}
\usepackage{longtable}
\usepackage{array}
\usepackage{graphicx}
\usepackage[hidelinks]{hyperref}
\usepackage{caption}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
"""


def escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in " ".join(text.split()))


def _numeric(tbl: Table, column: int) -> bool:
    values = [row[column] for row in tbl.rows]
    return all(v is None or isinstance(v, int | float | Reported | Share) for v in values)


def _spec(tbl: Table) -> str:
    """Column widths that add up to the line: numbers narrow and right-aligned, text wrapped."""
    count = len(tbl.headers)
    numeric = [_numeric(tbl, i) for i in range(count)]
    widths = {
        i: min(0.12, max(0.06, 0.01 * len(tbl.headers[i]))) for i in range(count) if numeric[i]
    }
    text_cols = [i for i in range(count) if not numeric[i]]
    # What the line leaves (0.03 per column for the space between columns); never more, so a
    # table of many text columns (the seed table) wraps its cells instead of running off.
    room = max(0.05 * len(text_cols), 0.97 - 0.03 * count - sum(widths.values()))
    weights = {
        i: min(max(len(tbl.headers[i]), *(len(cell_text(r[i])) for r in tbl.rows), 12), 60)
        for i in text_cols
    }
    total = sum(weights.values()) or 1
    for i in text_cols:
        widths[i] = room * weights[i] / total
    parts = [
        (r">{\raggedleft\arraybackslash}" if numeric[i] else r">{\raggedright\arraybackslash}")
        + f"p{{{widths[i]:.3f}\\linewidth}}"
        for i in range(count)
    ]
    return "@{}" + "".join(parts) + "@{}"


def table(tbl: Table) -> list[str]:
    header = " & ".join(rf"\textbf{{{escape(h)}}}" for h in tbl.headers) + r" \\"
    lines = [
        rf"\begin{{longtable}}{{{_spec(tbl)}}}",
        rf"\caption*{{\textbf{{{escape(tbl.title)}}}}}\\",
        r"\toprule",
        header,
        r"\midrule",
        r"\endhead",
    ]
    for index, row in enumerate(tbl.rows):
        if tbl.bold_last and index == len(tbl.rows) - 1:
            lines.append(r"\midrule")
        lines.append(" & ".join(escape(cell_text(c)) for c in row) + r" \\")
    lines += [r"\bottomrule", r"\end{longtable}"]
    lines += [rf"{{\small {escape(note)}}}\par" for note in tbl.notes]
    return [*lines, ""]


def figure(path: str, caption: str) -> list[str]:
    return [
        r"\begin{figure}[htbp]",
        r"\centering",
        rf"\includegraphics[width=\linewidth,height=0.85\textheight,keepaspectratio]{{{path}}}",
        rf"\caption*{{{escape(caption)}}}",
        r"\end{figure}",
        "",
    ]


def render(content: ReportContent, figures: str = "figures") -> str:
    out = [PREAMBLE, rf"\title{{{escape(content.title)}}}"]
    out += [rf"\date{{{escape(content.generated)}}}", r"\author{}", ""]
    out += [r"\begin{document}", r"\maketitle", ""]
    if content.notice:
        out += [rf"\textbf{{Note.}} {escape(content.notice)}", ""]
    out += [escape(content.summary_line), ""]
    if content.research_questions:
        out += [r"\section*{Research questions}", r"\begin{description}"]
        out += [rf"\item[{escape(q)}] {escape(text)}" for q, text in content.research_questions]
        out += [r"\end{description}", ""]
    out += [r"\section*{Selection criteria}", *table(t.criteria_table(content))]
    if content.query is not None:
        out.append(r"\section*{Search query}")
        for tbl in t.query_tables(content):
            out += table(tbl)
    for tbl in t.seeds_table(content):
        out += [r"\section*{Seed papers}", *table(tbl)]
    out.append(r"\section*{Selection flow}")
    for tbl in t.flow_tables(content):
        out += table(tbl)
    out += [r"\section*{PRISMA 2020 flow diagram}"]
    out += figure(f"{figures}/{content.prisma_chart.name}.pdf", "PRISMA 2020 flow diagram")
    for tbl in t.agreement_table(content.screening_agreement, "Screening", "Screening agreement"):
        out += [r"\section*{Screening agreement}", *table(tbl)]
    out += [r"\section*{The included papers}", f"{content.corpus.papers} papers.", ""]
    for line in content.counts:
        out += [
            rf"{escape(line.label)}: \textbf{{{escape(line.total)}}} "
            f"(no count in {line.without} papers)",
            "",
        ]
    for chart in content.charts:
        out += figure(f"{figures}/{chart.name}.pdf", chart.title)
    out += _overview(content)
    out += _themes(content)
    out += [r"\section*{Effect sizes}", *table(t.themes_table(content))]
    out += table(t.papers_table(content))
    for tbl in t.agreement_table(content.coding_agreement, "Coding", "Coding agreement"):
        out += [r"\section*{Coding agreement}", *table(tbl)]
    for tbl in t.unlocated_table(content):
        out += [r"\section*{Quotes not found in their paper}", *table(tbl)]
    quality = t.quality_tables(content)
    if quality:
        out.append(r"\section*{Quality assessment}")
        for tbl in quality:
            out += table(tbl)
    out += [r"\section*{Included papers}", r"\begin{itemize}"]
    for ref in content.references:
        where = f" (found in {', '.join(ref.sources)})" if ref.sources else ""
        out.append(rf"\item[{{[{ref.number}]}}] {escape(ref.text + where)}")
    out += [r"\end{itemize}", "", r"\end{document}"]
    return "\n".join(out) + "\n"


def _overview(content: ReportContent) -> list[str]:
    out = [r"\section*{Overview of challenges}"]
    for stage in content.stages:
        if not stage.themes:
            continue
        out += [
            rf"\subsection*{{{escape(stage.label)} ({stage.frequency}x)}}",
            r"\begin{enumerate}",
        ]
        out += [rf"\item {escape(th.label)} {escape(th.count_label)}" for th in stage.themes]
        out += [r"\end{enumerate}", ""]
    return out


def _themes(content: ReportContent) -> list[str]:
    out: list[str] = []
    for theme in content.themes:
        out += [
            rf"\section*{{{escape(theme.label)} {escape(theme.count_label)}}}",
            rf"\textit{{{escape(theme.stage_label)}}}",
            "",
        ]
        if theme.description:
            out += [escape(theme.description), ""]
        if theme.sub_points:
            out += [r"\begin{itemize}", *(rf"\item {escape(p)}" for p in theme.sub_points)]
            out += [r"\end{itemize}", ""]
        for item in theme.findings:
            text = f"{escape(quoted(item))} {escape(citation(item))}".strip()
            if item.kind == "quote":
                out += [r"\begin{quote}", text, r"\end{quote}", ""]
            else:
                out += [text, ""]
    return out
