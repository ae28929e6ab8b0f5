"""The papers a round starts from: the currently included ones, with what names them outside.

Which papers are included is :mod:`metasummary.screening.standing`'s to say.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

import sqlalchemy as sa

from metasummary.screening.standing import group_keys
from metasummary.sources import normalise as norm
from metasummary.store import provenance
from metasummary.store import records as store_records
from metasummary.store.snowball import pdf_links

_OPENALEX_URL = re.compile(r"openalex\.org/(W\d+)$", re.IGNORECASE)
_OPENALEX_KEY = re.compile(r"^W\d+$")


@dataclass(slots=True)
class Seed:
    """One included paper (a duplicate group) and what its members say about it."""

    root: int
    title: str = ""
    year: int | None = None
    doi: str = ""
    openalex_id: str = ""
    references: list[str] = field(default_factory=list)
    pdfs: list[str] = field(default_factory=list)


def load_seeds(conn: sa.Connection, roots: Collection[int]) -> list[Seed]:
    """The seeds for ``roots``, each gathered from every member of its group, by root id."""
    keys = group_keys(conn)
    wanted = sorted(roots)
    member_rows = provenance.members(conn, keys.keys_of(set(wanted)))
    by_root: dict[int, list[int]] = {root: [] for root in wanted}
    for row in member_rows:
        root = keys.root(row.duplicate_of or row.id)
        if root in by_root:
            by_root[root].append(row.id)
    stored = {r.id: r for r in store_records.get_many(conn, [m.id for m in member_rows])}
    pdfs = pdf_links(conn, stored.keys())
    seeds = []
    for root in wanted:
        # The canonical record first: its values win where members disagree.
        members = sorted(by_root[root] or [root], key=lambda i: (i != root, i))
        seed = Seed(root=root)
        for member_id in members:
            record = stored.get(member_id)
            if record is None:
                continue
            data = record.data
            seed.title = seed.title or data.title
            seed.year = seed.year or data.year
            seed.doi = seed.doi or norm.doi(data.doi)
            seed.openalex_id = seed.openalex_id or _openalex_id(
                record.raw_format, data.original_key, data.url
            )
            seed.references.extend(r for r in data.references if r not in seed.references)
            if member_id in pdfs and pdfs[member_id] not in seed.pdfs:
                seed.pdfs.append(pdfs[member_id])
        seeds.append(seed)
    return seeds


def _openalex_id(raw_format: str, key: str, url: str) -> str:
    if "openalex" in raw_format and _OPENALEX_KEY.match(key):
        return key
    match = _OPENALEX_URL.search(url)
    return match.group(1).upper() if match else ""
