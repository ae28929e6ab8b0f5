"""The protocol against the stored data: what the data still cites that the protocol dropped.

Rows the protocol no longer lists are kept (``catalog.py``), so nothing is lost when a
criterion, stage, field or reviewer leaves it; but the data that cites them then disagrees
with the protocol, and the report would count what the protocol no longer defines.
``protocol check`` lists each such entry with what cites it and what to do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import sqlalchemy as sa

from metasummary.models import SourceKind
from metasummary.protocol import Protocol
from metasummary.store import usage
from metasummary.store.catalog import list_sources


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """One thing the data cites that the protocol lacks (``error``), or a note."""

    what: str  # criterion | stage | field | reviewer | source | library
    key: str
    message: str
    error: bool = True

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def check(conn: sa.Connection, protocol: Protocol) -> list[Inconsistency]:
    """Every criterion, stage, field, reviewer and source the data cites that ``protocol``
    does not list."""
    found: list[Inconsistency] = []
    codes = set(protocol.criteria.codes())
    for code, n in sorted(usage.criteria_cited(conn).items()):
        if code not in codes:
            found.append(
                Inconsistency(
                    "criterion",
                    code,
                    f"criteria: {code!r} is not in the protocol, but "
                    f"{_plural(n, 'stored decision')} cite it (the report lists it as "
                    f"'{code} (not in the protocol)'); put it back under criteria",
                )
            )
    known_stages = {s.code for s in protocol.stages}
    for code, n in sorted(usage.stages_holding_themes(conn).items()):
        if code not in known_stages:
            found.append(
                Inconsistency(
                    "stage",
                    code,
                    f"stages: {code!r} is not in the protocol, but it holds {_plural(n, 'theme')}"
                    "; put it back under stages, or move its themes (metasummary sort "
                    "theme-move)",
                )
            )
    fields = {f.name for f in protocol.extraction.fields}
    for name, n in sorted(usage.fields_with_values(conn).items()):
        if name not in fields:
            found.append(
                Inconsistency(
                    "field",
                    name,
                    f"extraction.fields: {name!r} is not in the protocol, but "
                    f"{_plural(n, 'extracted value')} fill it; put it back under "
                    "extraction.fields",
                )
            )
    reviewers = {r.id for r in protocol.reviewers}
    for code, n in sorted(usage.reviewers_with_decisions(conn).items()):
        if code not in reviewers:
            found.append(
                Inconsistency(
                    "reviewer",
                    code,
                    f"reviewers: {code!r} is not in the protocol, but made "
                    f"{_plural(n, 'decision')} that still count; put them back under reviewers",
                )
            )
    held = usage.sources_with_records(conn)
    for source in list_sources(conn):
        n = held.get(source.name, 0)
        if source.in_protocol or not n or source.merged_into is not None:
            continue
        if source.kind == SourceKind.SNOWBALL:
            continue  # each round makes its own source
        found.append(
            Inconsistency(
                "source",
                source.name,
                f"sources: {source.name!r} holds {_plural(n, 'record')} but is not in the "
                "protocol, so the report lists it as a database of its own; move them into a "
                f"protocol source (metasummary source merge '{source.name}' NAME) or add it "
                "to protocol.yaml",
                error=False,
            )
        )
    return found
