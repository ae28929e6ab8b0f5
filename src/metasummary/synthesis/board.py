"""The card-sort board as one coder sees it: stages > themes > finding cards, and the pile of
findings not sorted yet. The CLI's ``sort show`` and the web board render this."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.store import findings as store_findings
from metasummary.store import themes as store_themes
from metasummary.store.catalog import list_stages
from metasummary.synthesis.papers import Corpus
from metasummary.synthesis.sortsteps import Theme, to_theme


@dataclass(frozen=True, slots=True)
class Card:
    """A finding on the board; ``paper`` is its canonical record id."""

    id: int
    paper: int
    text: str
    kind: str
    location: str
    value: str


@dataclass(slots=True)
class ThemeColumn:
    theme: Theme
    cards: list[Card] = field(default_factory=list)

    @property
    def papers(self) -> int:
        return len({c.paper for c in self.cards})


@dataclass(slots=True)
class StageLane:
    code: str
    label: str
    in_protocol: bool
    themes: list[ThemeColumn] = field(default_factory=list)


@dataclass(slots=True)
class BoardView:
    coder: str
    stages: list[StageLane]
    unsorted: list[Card]

    def to_dict(self) -> dict[str, Any]:
        return {
            "coder": self.coder,
            "stages": [
                {
                    "code": lane.code,
                    "label": lane.label,
                    "in_protocol": lane.in_protocol,
                    "themes": [
                        {
                            **asdict(col.theme),
                            "papers": col.papers,
                            "findings": [asdict(c) for c in col.cards],
                        }
                        for col in lane.themes
                    ],
                }
                for lane in self.stages
            ],
            "unsorted": [asdict(c) for c in self.unsorted],
        }


def load_board(conn: sa.Connection, corpus: Corpus, *, coder: str = "") -> BoardView:
    """Every active theme and finding; stages left out of the protocol show only if used."""
    stage_rows = {s.id: s for s in list_stages(conn)}
    cards = {
        fid: Card(fid, corpus.paper_of(record_id), text, kind, location, value)
        for fid, record_id, text, kind, location, value in store_findings.card_fields(conn)
    }
    columns: dict[int, ThemeColumn] = {}
    lanes = {s.id: StageLane(s.code, s.label, s.in_protocol) for s in stage_rows.values()}
    for row in store_themes.list_themes(conn, active_only=True):
        column = ThemeColumn(to_theme(stage_rows, row))
        columns[row.id] = column
        lanes[row.stage_id].themes.append(column)
    placed: set[int] = set()
    for finding_id, theme_id in store_themes.placements(conn, coder):
        card = cards.get(finding_id)
        target = columns.get(theme_id)
        if card is not None and target is not None:
            target.cards.append(card)
            placed.add(card.id)
    return BoardView(
        coder=coder,
        stages=[lane for lane in lanes.values() if lane.in_protocol or lane.themes],
        unsorted=[card for fid, card in cards.items() if fid not in placed],
    )
