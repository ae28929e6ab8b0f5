"""The reference list of the included papers: each numbered once, cited as ``[n]``.

Papers are listed by first author, year and title, so a number does not depend on the order
records were imported in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from metasummary.store.records import StoredRecord


@dataclass(frozen=True, slots=True)
class Reference:
    number: int
    record_id: int
    key: str
    short: str
    """``Amershi et al. 2019``."""
    text: str
    """The full reference: authors, year, title, venue, pages, DOI."""
    title: str
    year: int | None
    sources: list[str]
    """Every source the paper was found in (its duplicate group's sources)."""
    cite_key: str = ""
    """Its key in the report's ``included.bib`` (``\\cite{key}`` in LaTeX)."""


def family(author: str) -> str:
    return author.split(",", 1)[0].strip()


def display_name(author: str) -> str:
    """``Amershi, Saleema`` as ``Saleema Amershi``."""
    family_name, _, given = author.partition(",")
    return f"{given.strip()} {family_name.strip()}".strip() if given else author.strip()


def short_citation(authors: Sequence[str], year: int | None) -> str:
    when = str(year) if year else "n.d."
    if not authors:
        return when
    names = [family(a) for a in authors]
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} {when}"


def full_reference(record: StoredRecord) -> str:
    d = record.data
    parts = []
    if d.authors:
        parts.append(", ".join(display_name(a) for a in d.authors))
    parts.append(str(d.year) if d.year else "n.d.")
    parts.append(d.title or "(untitled)")
    venue = d.venue
    if d.pages:
        venue = f"{venue}, pp. {d.pages}" if venue else f"pp. {d.pages}"
    if venue:
        parts.append(venue)
    if d.doi:
        parts.append(f"https://doi.org/{d.doi}")
    text = ""
    for part in parts:
        part = part.strip()
        text += part if part.endswith((".", "?", "!")) else f"{part}."
        text += " "
    return text.strip()


def build_references(
    records: Iterable[StoredRecord], sources: Mapping[int, Sequence[str]]
) -> list[Reference]:
    """Number the papers; ``sources`` maps a paper's record id to the sources it came from."""

    def order(record: StoredRecord) -> tuple[str, int, str, int]:
        d = record.data
        first = family(d.authors[0]).casefold() if d.authors else "~"
        return (first, d.year or 0, d.title.casefold(), record.id)

    references = [
        Reference(
            number=number,
            record_id=record.id,
            key=record.data.original_key,
            short=short_citation(record.data.authors, record.data.year),
            text=full_reference(record),
            title=record.data.title,
            year=record.data.year,
            sources=list(sources.get(record.id, [])),
        )
        for number, record in enumerate(sorted(records, key=order), 1)
    ]
    return _disambiguate(references)


def _disambiguate(references: list[Reference]) -> list[Reference]:
    """``Lewis et al. 2021a`` and ``2021b`` when two papers would be cited alike."""
    shared = Counter(r.short for r in references)
    seen: Counter[str] = Counter()
    out = []
    for ref in references:
        if shared[ref.short] > 1:
            letter = "abcdefghijklmnopqrstuvwxyz"[seen[ref.short] % 26]
            seen[ref.short] += 1
            ref = replace(ref, short=f"{ref.short}{letter}")
        out.append(ref)
    return out
