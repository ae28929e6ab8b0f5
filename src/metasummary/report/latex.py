"""The report as a LaTeX document that fits the page: paste its sections into a paper.

Written for pdfLaTeX with UTF-8 input (``report.tex`` next to ``figures/`` and ``included.bib``;
compile with ``pdflatex``, ``bibtex``, ``pdflatex``, ``pdflatex``, or ``latexmk -pdf``).

* Tables are ``longtable``\\ s (they break across pages, the head repeated) whose ``p{}``
  columns add up to the text width: each column at least as wide as its longest word, the rest
  shared by how much text a column holds; set ``\\small``, or smaller while the words do not fit.
  Every cell is ragged right and may hyphenate its first word; long tokens (URLs, DOIs,
  identifiers) get break points.
* Figures are scaled to the text width and at most 0.8 of the text height.
* A heading is kept with the start of what follows it (``\\needspace`` before it, sized to the
  first table or figure).
* Papers are cited through natbib (``\\cite{key}``, numbered in the order of ``included.bib``,
  which is the order of the reference list of the other formats).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from metasummary.report import fontmetrics
from metasummary.report.charts import Chart
from metasummary.report.content import Citations
from metasummary.report.document import (
    Bibliography,
    Block,
    Definitions,
    Document,
    Emphasis,
    Figure,
    ItemList,
    Link,
    Paragraph,
    Section,
    Strong,
    Text,
)
from metasummary.report.tables import Reported, Share, Table
from metasummary.report.text import cell_text

BIB = "included"
"""``included.bib`` beside ``report.tex``."""

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
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "→": r"$\rightarrow$",
    "←": r"$\leftarrow$",
    "−": r"$-$",
    "ʳ": r"\textsuperscript{r}",
    "×": r"$\times$",
    "≥": r"$\geq$",
    "≤": r"$\leq$",
    "≈": r"$\approx$",
    "±": r"$\pm$",
    "·": r"\textperiodcentered{}",
    "•": r"\textbullet{}",
    "κ": r"$\kappa$",
    "α": r"$\alpha$",
    "\u00a0": "~",
}
# Characters pdfLaTeX reads from UTF-8 with T1 fonts; others are spelled out or replaced.
_SAFE = re.compile(
    r"[\u00a1-\u017f\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2026\u2030\u2039\u203a\u20ac]"
)
_BREAK_AFTER = "/.:_-?=&,;"
LONG = 14
"""A token longer than this gets break points."""

PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{textcomp}
\usepackage[a4paper,margin=2.2cm]{geometry}
\usepackage{booktabs}
\usepackage{longtable}
\usepackage{array}
\usepackage{ragged2e}
\usepackage{graphicx}
\usepackage[numbers,sort&compress]{natbib}
\usepackage{url}
\usepackage[hidelinks]{hyperref}
\usepackage{caption}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
\setlength{\emergencystretch}{3em}
\setlength{\LTpre}{0.5em}
\setlength{\LTpost}{0.5em}
\captionsetup{font=small,labelformat=empty}
\urlstyle{same}
\Urlmuskip=0mu plus 1mu
\renewcommand{\bibsection}{}
\providecommand{\doi}[1]{\url{https://doi.org/#1}}
% \needspace{len}: start a new page unless len is left on this one (as needspace.sty).
\makeatletter
\newcommand{\needspace}[1]{\par\penalty-100\begingroup\setlength{\dimen@}{#1}%
  \dimen@ii\pagegoal\advance\dimen@ii-\pagetotal
  \ifdim\dimen@>\dimen@ii\ifdim\dimen@ii>\z@\vfil\fi\break\fi\endgroup}
\makeatother
"""
# Each column of a table: \tabcolsep on both sides (6pt), less the outer edges (@{}).
_SEP = 12.0
LINE_WIDTH = 470.0
"""The text width in points: A4 (597.5 pt) less two margins of 2.2 cm."""
TEXT_HEIGHT = 717.0
"""The text height in points: A4 (845 pt) less two margins of 2.2 cm."""
_SIZES = (("\\small", 10.0), ("\\footnotesize", 9.0), ("\\scriptsize", 8.0))
SAFETY = 1.04
"""Widths are taken this much wider than the font metrics say (smaller sizes are set a
little wider per em)."""
_HEADINGS = ("section", "subsection", "subsubsection", "paragraph")


def escape(text: str, *, breakable: bool = True) -> str:
    """Plain text as LaTeX: specials escaped, characters pdfLaTeX cannot set spelled out or
    replaced, and long tokens given break points."""
    if text and not text.strip():
        return " "
    words = [""] if text[:1].isspace() else []
    for word in text.split():
        long = breakable and len(word) > LONG
        out = []
        run = 0
        for ch in unicodedata.normalize("NFC", word):
            out.append(_char(ch))
            run = 0 if not ch.isalnum() else run + 1
            if long and (ch in _BREAK_AFTER or run >= LONG - 2):
                out.append(r"\allowbreak{}")
                run = 0
        words.append("".join(out))
    if text[-1:].isspace() and text.strip():
        words.append("")
    return " ".join(words)


def _char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ch < " " or "\u007f" <= ch < "\u00a0":
        return ""
    if ch < "\u007f" or _SAFE.match(ch):
        return ch
    base = unicodedata.normalize("NFKD", ch)
    ascii_part = "".join(c for c in base if c < "\u007f")
    return "".join(_ESCAPES.get(c, c) for c in ascii_part) or "?"


def bib_text(text: str) -> str:
    """A ``.bib`` field's text for pdfLaTeX (BibTeX copies it into the bibliography)."""
    return escape(text, breakable=False)


def _cite(citations: Citations) -> str:
    """``\\cite{a,b}``; a citation with a place in the paper is cited on its own:
    ``\\cite[p.~4]{a}, \\cite{b}``."""
    plain = [c.reference.cite_key for c in citations.items if c.reference and not c.location]
    parts = [
        rf"\cite[{escape(c.location)}]{{{c.reference.cite_key}}}"
        for c in citations.items
        if c.reference and c.location
    ]
    if plain:
        parts.insert(0, rf"\cite{{{','.join(plain)}}}")
    parts += [f"[{escape(c.location)}]" for c in citations.items if not c.reference and c.location]
    return ", ".join(parts)


def inline(text: Text) -> str:
    out = []
    for part in text:
        if isinstance(part, str):
            out.append(escape(part))
        elif isinstance(part, Emphasis):
            out.append(rf"\emph{{{escape(part.text)}}}")
        elif isinstance(part, Strong):
            out.append(rf"\textbf{{{escape(part.text)}}}")
        elif isinstance(part, Link):
            if part.anchor:
                out.append(rf"\hyperref[{part.anchor}]{{{escape(part.text)}}}")
            else:
                out.append(escape(part.text))
        elif isinstance(part, Citations):
            out.append(_cite(part))
    return "".join(out).strip()


# Tables ----------------------------------------------------------------------------------


def _hyphenated(text: str) -> str:
    """Text whose every word may break after each four characters (a table too narrow for
    its words)."""
    words = []
    for word in text.split():
        parts = [escape(word[i : i + 4], breakable=False) for i in range(0, len(word), 4)]
        words.append(r"\-".join(parts))
    return " ".join(words)


def _numeric(tbl: Table, column: int) -> bool:
    values = [row[column] for row in tbl.rows]
    return bool(values) and all(
        v is None or isinstance(v, int | float | Reported | Share) for v in values
    )


def _word(word: str, size: float, *, bold: bool = False, hyphenate: bool = False) -> float:
    """A word's width in points as set, or as narrow as its break points allow: a long token
    breaks where :func:`escape` lets it; with ``hyphenate``, a word in pieces of four letters."""
    pieces = [word]
    if len(word) > LONG:
        pieces = [p for p in re.split(rf"(?<=[{re.escape(_BREAK_AFTER)}])", word) if p]
        pieces = [p[i : i + LONG - 2] for p in pieces for i in range(0, len(p), LONG - 2)]
    if hyphenate:
        pieces = [p[i : i + 4] + "-" for p in pieces for i in range(0, len(p), 4)]
    return max(fontmetrics.width(p, bold=bold) for p in pieces) * size * SAFETY


def _widths(tbl: Table, size: float, *, hyphenate: bool) -> tuple[list[float], bool]:
    """Column widths in points that add up to the line at most, and whether the words fit."""
    count = len(tbl.headers)
    texts = [[cell_text(row[i]) for row in tbl.rows] for i in range(count)]
    least = [
        max(
            [_word(w, size, bold=True, hyphenate=hyphenate) for w in tbl.headers[i].split()]
            + [_word(w, size, hyphenate=hyphenate) for t in texts[i] for w in t.split()]
            + [size]
        )
        for i in range(count)
    ]
    natural = [
        max(
            [fontmetrics.width(tbl.headers[i], bold=True) * size * SAFETY]
            + [fontmetrics.width(t) * size * SAFETY for t in texts[i]]
        )
        for i in range(count)
    ]
    room = LINE_WIDTH - _SEP * (count - 1)
    if sum(natural) <= room:
        return natural, True
    if sum(least) > room:
        return [w * room / sum(least) for w in least], False
    # What is left goes first to the columns that want little (a header on one line), then
    # to the wide text columns in proportion to what each still wants.
    widths = list(least)
    spare = room - sum(least)
    want = [n - w for n, w in zip(natural, least, strict=True)]
    waiting = list(range(count))
    while waiting:
        share = spare / len(waiting)
        small = [i for i in waiting if want[i] <= share]
        if not small:
            break
        for i in small:
            widths[i] += want[i]
            spare -= want[i]
            waiting.remove(i)
    total = sum(want[i] for i in waiting) or 1.0
    for i in waiting:
        widths[i] += spare * want[i] / total
    return widths, True


def _layout(tbl: Table) -> tuple[str, list[float], bool]:
    """The font size and column widths of a table, and whether its words must hyphenate."""
    for name, size in _SIZES:
        widths, fits = _widths(tbl, size, hyphenate=False)
        if fits:
            return name, widths, False
    name, size = _SIZES[-1]
    return name, _widths(tbl, size, hyphenate=True)[0], True


def table(tbl: Table, *, titled: bool = True) -> list[str]:
    size, widths, hyphenate = _layout(tbl)
    numeric = [_numeric(tbl, i) for i in range(len(tbl.headers))]
    spec = (
        "@{}"
        + "".join(
            (r">{\RaggedLeft\arraybackslash}" if numeric[i] else r">{\RaggedRight\arraybackslash}")
            + f"p{{{w:.1f}pt}}"
            for i, w in enumerate(widths)
        )
        + "@{}"
    )

    def cell(text: str) -> str:
        # \hspace{0pt}: the first word of a cell may hyphenate too.
        return rf"\hspace{{0pt}}{text}" if text else ""

    def escaped(text: str) -> str:
        return _hyphenated(text) if hyphenate else escape(text)

    header = " & ".join(cell(rf"\textbf{{{escaped(h)}}}") for h in tbl.headers) + r" \\"
    lines = [
        r"\begingroup" + size,
        rf"\begin{{longtable}}{{{spec}}}",
        *([rf"\caption*{{\textbf{{{escape(tbl.title)}}}}}\\"] if titled else []),
        r"\toprule",
        header,
        r"\midrule",
        r"\endfirsthead",
        r"\toprule",
        header,
        r"\midrule",
        r"\endhead",
        r"\bottomrule",
        r"\endfoot",
    ]
    for index, row in enumerate(tbl.rows):
        if tbl.bold_last and index == len(tbl.rows) - 1:
            lines.append(r"\midrule")
        cells = [_cite(c) if isinstance(c, Citations) else escaped(cell_text(c)) for c in row]
        lines.append(" & ".join(cell(c) for c in cells) + r" \\")
    lines += [r"\end{longtable}"]
    lines += [rf"{escape(note)}\par" for note in tbl.notes]
    return [*lines, r"\endgroup", ""]


# Blocks ----------------------------------------------------------------------------------


def figure(path: str, caption: str, size: tuple[float, float] | None = None) -> list[str]:
    """A figure at its own size, scaled down to the text width and 0.8 of the text height."""
    width = r"\linewidth"
    if size is not None and 0 < size[0] * 72.27 < LINE_WIDTH:
        width = f"{size[0]:.2f}in"
    return [
        r"\begin{center}",
        rf"\includegraphics[width={width},height=0.8\textheight,keepaspectratio]{{{path}}}",
        rf"\captionof*{{figure}}{{{escape(caption)}}}",
        r"\end{center}",
        "",
    ]


def _height(item: Block, charts: Mapping[str, Chart]) -> str:
    """Room to keep with a heading: the start of its first block."""
    if isinstance(item, Figure) and item.name in charts:
        width, height = charts[item.name].size
        shown = min(LINE_WIDTH, width * 72.27)
        share = min(0.8, height / width * shown / TEXT_HEIGHT) if width else 0.3
        return rf"\dimexpr{share:.3f}\textheight+4\baselineskip\relax"
    if isinstance(item, Table):
        return r"10\baselineskip"
    return r"5\baselineskip"


def block(item: Block, figures: str, charts: Mapping[str, Chart], title: str = "") -> list[str]:
    if isinstance(item, Paragraph):
        text = inline(item.text)
        if item.style == "quote":
            return [r"\begin{quote}", text, r"\end{quote}", ""]
        if item.style == "note":
            return [rf"{{\small {text}}}", ""]
        return [text, ""]
    if isinstance(item, ItemList):
        env = "enumerate" if item.ordered else "itemize"
        return [
            rf"\begin{{{env}}}",
            *(rf"\item {inline(t)}" for t in item.items),
            rf"\end{{{env}}}",
            "",
        ]
    if isinstance(item, Definitions):
        lines = [r"\begin{description}"]
        lines += [rf"\item[{escape(term)}] {inline(text)}" for term, text in item.items]
        return [*lines, r"\end{description}", ""]
    if isinstance(item, Table):
        return table(item, titled=item.title != title)
    if isinstance(item, Figure):
        chart = charts.get(item.name)
        return figure(f"{figures}/{item.name}.pdf", item.caption, chart.size if chart else None)
    return _bibliography(item)


def _bibliography(item: Bibliography) -> list[str]:
    if not item.references:
        return ["No papers are included yet.", ""]
    return [r"\bibliographystyle{unsrtnat}", rf"\bibliography{{{BIB}}}", ""]


def _section(section: Section, level: int, figures: str, charts: Mapping[str, Chart]) -> list[str]:
    first = section.blocks[0] if section.blocks else None
    if first is None and section.sections and section.sections[0].blocks:
        first = section.sections[0].blocks[0]
    room = _height(first, charts) if first is not None else r"5\baselineskip"
    command = _HEADINGS[min(level, len(_HEADINGS)) - 1]
    out = [
        rf"\needspace{{{room}}}",
        rf"\{command}*{{{escape(section.title)}}}\phantomsection\label{{{section.anchor}}}",
        "",
    ]
    for item in section.blocks:
        out += block(item, figures, charts, section.title)
    for child in section.sections:
        out += _section(child, level + 1, figures, charts)
    return out


def render(doc: Document, charts: Mapping[str, Chart], figures: str = "figures") -> str:
    """The whole document; ``charts`` gives each figure's size, ``figures`` its folder."""
    out = [PREAMBLE, rf"\title{{{escape(doc.title)}}}"]
    out += [rf"\date{{{escape(doc.generated)}}}", r"\author{}", ""]
    out += [r"\begin{document}", r"\maketitle", r"\nocite{*}", ""]
    if doc.notice:
        out += [rf"\textbf{{Note.}} {escape(doc.notice)}", ""]
    out += [escape(doc.summary), ""]
    for section in doc.sections:
        out += _section(section, 1, figures, charts)
    out += [r"\end{document}"]
    return "\n".join(out) + "\n"
