"""MEDLINE-tagged ``.nbib`` exports (``PMID- ``, ``TI  - ``, ``FAU - `` ...): PubMed's, whose
records start with ``PMID``, and ERIC's, whose start with ``OWN - ERIC`` and carry links where
PubMed has ``[doi]`` ids. A record starts with the tag the file's first record starts with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, Problem, ReadOptions, build, set_year
from metasummary.sources.tagged import TaggedEntry, entries, every, first
from metasummary.sources.text import Document

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- (.*)$")
_DOI_ID = re.compile(r"^(\S+)\s*\[doi\]$")


def parse_tag(line: str) -> tuple[str, str] | None:
    # Tags are padded to four characters ("TI  - "); ERIC writes "ISSN - " with one more.
    if len(line) < 5 or (line[4:6] != "- " and line[5:7] != "- "):
        return None
    match = _TAG.match(line)
    return (match.group(1), match.group(2).strip()) if match else None


def sniff(head: str) -> bool:
    lines = [line for line in head.split("\n", 10)[:10] if line.strip()]
    return bool(lines) and lines[0].startswith(("PMID-", "OWN - "))


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    first = next((t for line in doc.lines() if (t := parse_tag(line)) is not None), None)
    for entry in entries(doc, parse_tag, first[0] if first else "PMID", "record"):
        if isinstance(entry, Problem):
            yield entry
        else:
            yield build(entry.index, entry.line, entry.raw, partial(_record, entry))


def _record(entry: TaggedEntry) -> RecordData:
    f = entry.fields
    doi = ""
    for value in every(f, "LID", "AID"):
        match = _DOI_ID.match(value)
        if match:
            doi = norm.doi(match.group(1))
            break
    links = [v for v in every(f, "LID", "AID") if v.startswith(("http://", "https://"))]
    doi = doi or next((norm.doi(v) for v in links if norm.doi(v)), "")
    pmid = first(f, "PMID")
    url = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""
    url = url or next((v for v in links if not norm.doi(v)), links[0] if links else "")
    record = RecordData(
        title=first(f, "TI", "BTI"),
        abstract=first(f, "AB"),
        authors=norm.authors(every(f, "FAU") or every(f, "AU")),
        venue=first(f, "JT", "TA"),
        volume=first(f, "VI"),
        issue=first(f, "IP"),
        pages=norm.pages(first(f, "PG")),
        doi=doi,
        url=url,
        keywords=norm.unique(every(f, "OT") + every(f, "MH")),
        type=first(f, "PT"),
        language=first(f, "LA"),
        publisher=first(f, "PB"),
        original_key=pmid or first(f, "OID"),
        extra={k: first(f, k) for k in ("IS", "PMC", "STAT") if first(f, k)},
    )
    return set_year(record, first(f, "DP", "DEP"))
