"""The selection flow per source: initial search → after title/abstract → final selection.

The shape of the CAIN 2023 talk's table: one row per library, a snowballing row, and totals.

* **Records held** (counted): a source's initial search result is the number of records it
  brought in (duplicates included, as a library returns them). After title/abstract and in
  the final selection, a duplicate group is counted once, under the source of its canonical
  record, so the rows add up to the totals; every other source the group was found in is
  listed (``also_in``). Snowballing has no initial search: its candidates enter at
  title/abstract, and the total initial search is the sum of the other sources.
* **As reported**: a source may carry counts it reports but the review does not hold as
  records (``sources.reported``: hits screened on the library's website, or a published
  study's table). That table takes a source's reported counts where it has them, each marked
  as reported, and the counted records of the other sources.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from metasummary.models import Phase, RecordState, SourceKind
from metasummary.store.catalog import SourceRow
from metasummary.store.groups import DuplicateGroups

COLUMNS = ("identified", "title_abstract", "full_text")
HEADERS = (
    "Data source",
    "Initial search result",
    "After filtering by title/abstract",
    "Final selection",
)
REPORTED_MARK = "ʳ"


@dataclass(frozen=True, slots=True)
class FlowCell:
    """One count; ``None`` is shown as a dash (the talk's snowballing "-")."""

    value: int | None
    reported: bool = False

    def text(self, mark: str = REPORTED_MARK) -> str:
        if self.value is None:
            return "–"
        return f"{self.value}{mark if self.reported else ''}"


@dataclass(slots=True)
class FlowRow:
    source: str
    kind: str
    cells: tuple[FlowCell, FlowCell, FlowCell]
    note: str = ""
    """The source's own remark on its reported counts (e.g. an abstract filter on the site)."""
    records: int = 0
    duplicates: int = 0
    """Records of this source that belong to a group counted under another source's row."""
    also_in: dict[str, int] = field(default_factory=dict)
    """Other sources and how many of this row's groups were found there too."""
    parts: list[str] = field(default_factory=list)
    """The sources this row sums up, with their own counts (the snowballing rounds)."""
    reported_counts: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def reported(self) -> bool:
        return any(c.reported for c in self.cells)


@dataclass(slots=True)
class FlowTable:
    title: str
    rows: list[FlowRow]
    total: FlowRow

    @property
    def notes(self) -> list[str]:
        """Footnotes: each source's remark, in row order."""
        return [f"{row.source}: {row.note}" for row in self.rows if row.note]


@dataclass(slots=True)
class Flow:
    held: FlowTable
    reported: FlowTable | None
    """Present when any source carries reported counts."""
    records: int
    duplicates: int
    """Records linked into a group held by another record (removed before screening)."""
    shared_groups: list[list[str]]
    """The sources of every duplicate group found in more than one source."""


def _order(sources: Iterable[SourceRow]) -> list[SourceRow]:
    """Searched sources first, snowballing last (the talk's order), each by id."""
    rows = list(sources)
    return [s for s in rows if s.kind != SourceKind.SNOWBALL] + [
        s for s in rows if s.kind == SourceKind.SNOWBALL
    ]


def _total(rows: list[FlowRow], name: str = "Total") -> FlowRow:
    cells = []
    for index in range(len(COLUMNS)):
        parts = [
            row.cells[index]
            for row in rows
            if not (index == 0 and row.kind == SourceKind.SNOWBALL)
            and row.cells[index].value is not None
        ]
        value = sum(c.value or 0 for c in parts) if parts else None
        cells.append(FlowCell(value, any(c.reported for c in parts)))
    return FlowRow(
        name,
        "",
        (cells[0], cells[1], cells[2]),
        records=sum(r.records for r in rows),
        duplicates=sum(r.duplicates for r in rows),
    )


def build_flow(
    sources: Iterable[SourceRow],
    groups: DuplicateGroups,
    states: Mapping[Phase, Mapping[int, RecordState]],
) -> Flow:
    """The flow tables from the sources, the duplicate groups and each group's state."""
    ordered = _order(sources)
    names = {s.id: s.name for s in ordered}
    records: Counter[int] = Counter(groups.source_of.values())
    passed: dict[Phase, Counter[int]] = {phase: Counter() for phase in Phase}
    duplicates: Counter[int] = Counter()
    also_in: dict[int, Counter[str]] = defaultdict(Counter)
    shared: list[list[str]] = []
    for root in groups.roots():
        home = groups.source_of.get(root)
        if home is None:
            continue
        for phase in Phase:
            if states[phase].get(root) is RecordState.INCLUDED:
                passed[phase][home] += 1
        for member in groups.members[root]:
            if member != root:
                duplicates[groups.source_of[member]] += 1
        found = sorted(groups.sources_of_group(root))
        if len(found) > 1:
            shared.append([names.get(s, str(s)) for s in found])
            for where in found:
                for other in found:
                    if other != where:
                        also_in[where][names.get(other, str(other))] += 1

    held_rows: list[FlowRow] = []
    for source in ordered:
        held = records[source.id]
        if not held and not source.in_protocol and not source.reported:
            continue
        identified = None if source.kind == SourceKind.SNOWBALL else held
        held_rows.append(
            FlowRow(
                source.name,
                source.kind,
                (
                    FlowCell(identified),
                    FlowCell(passed[Phase.TITLE_ABSTRACT][source.id]),
                    FlowCell(passed[Phase.FULL_TEXT][source.id]),
                ),
                records=held,
                duplicates=duplicates[source.id],
                also_in=dict(sorted(also_in[source.id].items())),
                reported_counts=dict(source.reported) if source.reported else None,
            )
        )
    held_rows = _one_snowball_row(held_rows)
    held_table = FlowTable("Records held", held_rows, _total(held_rows))

    reported_table = None
    if any(row.reported_counts for row in held_rows):
        rows = [_reported_row(row, row.reported_counts) for row in held_rows]
        reported_table = FlowTable("As reported", rows, _total(rows))
    total_records = sum(records.values())
    return Flow(
        held=held_table,
        reported=reported_table,
        records=total_records,
        duplicates=total_records - len(groups.roots()),
        shared_groups=sorted(shared),
    )


def _one_snowball_row(rows: list[FlowRow]) -> list[FlowRow]:
    """The talk's single snowballing row: every snowball source (each round) summed up."""
    snowball = [r for r in rows if r.kind == SourceKind.SNOWBALL]
    if len(snowball) < 2:
        return rows
    held = [r for r in snowball if r.records]
    name = snowball[0].source  # the protocol's own snowballing source comes first
    cells = tuple(
        FlowCell(sum(found) if (found := _values(snowball, i)) else None)
        for i in range(len(COLUMNS))
    )
    also_in: Counter[str] = Counter()
    for row in snowball:
        also_in.update(row.also_in)
    reported = [r.reported_counts for r in snowball if r.reported_counts]
    merged = FlowRow(
        name,
        SourceKind.SNOWBALL,
        (cells[0], cells[1], cells[2]),
        records=sum(r.records for r in snowball),
        duplicates=sum(r.duplicates for r in snowball),
        also_in=dict(sorted(also_in.items())),
        parts=[
            f"{r.source}: {r.records} candidate{'s' if r.records != 1 else ''}, "
            f"{r.cells[1].value} after title/abstract, "
            f"{r.cells[2].value} in the final selection"
            for r in held
        ],
        reported_counts=_sum_reported(reported) if reported else None,
    )
    return [r for r in rows if r.kind != SourceKind.SNOWBALL] + [merged]


def _values(rows: list[FlowRow], index: int) -> list[int]:
    return [v for r in rows if (v := r.cells[index].value) is not None]


def _sum_reported(reported: list[dict[str, Any]]) -> dict[str, Any]:
    summed: dict[str, Any] = {}
    for name in COLUMNS:
        found = [r[name] for r in reported if r.get(name) is not None]
        summed[name] = sum(found) if found else None
    summed["note"] = "; ".join(str(r["note"]) for r in reported if r.get("note"))
    return summed


def _reported_row(held: FlowRow, reported: Mapping[str, Any] | None) -> FlowRow:
    if not reported:
        return FlowRow(held.source, held.kind, held.cells, records=held.records)
    cells = tuple(
        FlowCell(reported.get(name), reported=reported.get(name) is not None) for name in COLUMNS
    )
    return FlowRow(
        held.source,
        held.kind,
        (cells[0], cells[1], cells[2]),
        note=str(reported.get("note") or ""),
        records=held.records,
    )
