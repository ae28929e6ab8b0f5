"""The report as Markdown (GitHub-flavoured tables), figures as SVG files beside it."""

from __future__ import annotations

import re

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
    Strong,
    Text,
)
from metasummary.report.tables import Table
from metasummary.report.text import cell_text, cited

_SPECIAL = re.compile(r"([\\`*_\[\]<>|$])")


def escape(text: str) -> str:
    """Markdown's specials escaped, runs of white space one space (kept at either end)."""
    inner = " ".join(text.split())
    if text and not inner:
        return " "
    lead = " " if text[:1].isspace() and inner else ""
    trail = " " if text[-1:].isspace() and inner else ""
    return lead + _SPECIAL.sub(r"\\\1", inner) + trail


def inline(text: Text) -> str:
    out = []
    for part in text:
        if isinstance(part, str):
            out.append(escape(part))
        elif isinstance(part, Emphasis):
            out.append(f"*{escape(part.text)}*")
        elif isinstance(part, Strong):
            out.append(f"**{escape(part.text)}**")
        elif isinstance(part, Link):
            out.append(f"[{escape(part.text)}]({f'#{part.anchor}' if part.anchor else part.file})")
        elif isinstance(part, Citations):
            out.append(escape(cited(part)))
    return "".join(out).strip()


def table(tbl: Table, *, titled: bool = True) -> list[str]:
    lines = [f"**{escape(tbl.title)}**", ""] if titled else []
    lines.append("| " + " | ".join(escape(h) for h in tbl.headers) + " |")
    lines.append("|" + "|".join("---" for _ in tbl.headers) + "|")
    for index, row in enumerate(tbl.rows):
        cells = [escape(cell_text(c)) for c in row]
        if tbl.bold_last and index == len(tbl.rows) - 1:
            cells = [f"**{c}**" for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"{escape(note)}  " for note in tbl.notes]
    if tbl.notes:
        lines.append("")
    return lines


def block(item: Block, figures: str, title: str = "") -> list[str]:
    if isinstance(item, Paragraph):
        text = inline(item.text)
        if item.style in ("quote", "notice"):
            return [f"> {text}", ""]
        return [text, ""]
    if isinstance(item, ItemList):
        marks = [f"{n}." if item.ordered else "-" for n in range(1, len(item.items) + 1)]
        return [
            *(f"{mark} {inline(text)}" for mark, text in zip(marks, item.items, strict=True)),
            "",
        ]
    if isinstance(item, Definitions):
        return [*(f"- **{escape(term)}** {inline(text)}" for term, text in item.items), ""]
    if isinstance(item, Table):
        return table(item, titled=item.title != title)
    if isinstance(item, Figure):
        return [f"![{escape(item.caption)}]({figures}/{item.name}.svg)", ""]
    return _bibliography(item)


def _bibliography(item: Bibliography) -> list[str]:
    out = []
    for ref in item.references:
        where = f" (found in {escape(', '.join(ref.sources))})" if ref.sources else ""
        out.append(f'<a id="ref-{ref.number}"></a>[{ref.number}] {escape(ref.text)}{where}  ')
    files = " · ".join(f"[{name}]({name})" for name in item.files)
    return [*out, "", f"As {files}", ""] if files else [*out, ""]


def render(doc: Document, figures: str = "figures") -> str:
    """The whole report; ``figures`` is the folder of the SVG files, relative to it."""
    out = [f"# {escape(doc.title)}", ""]
    if doc.notice:
        out += [f"> **Note.** {escape(doc.notice)}", ""]
    out += [escape(doc.summary), ""]
    if doc.generated:
        out += [f"Generated {doc.generated}.", ""]
    for level, section in doc.walk():
        out += [
            f'<a id="{section.anchor}"></a>',
            "",
            f"{'#' * (level + 1)} {escape(section.title)}",
            "",
        ]
        for item in section.blocks:
            out += block(item, figures, section.title)
    return "\n".join(out).rstrip("\n") + "\n"
