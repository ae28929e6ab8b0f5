"""Writing a round into the store, inside the caller's transaction: all of it or nothing."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.dedup.service import ENGINE
from metasummary.errors import InputError
from metasummary.models import SourceKind
from metasummary.review import Review
from metasummary.snowball.collect import Collected
from metasummary.snowball.matching import Placement
from metasummary.snowball.model import ROUND_SOURCE, Candidate, Direction, RoundSettings, Via
from metasummary.snowball.seeds import Seed
from metasummary.store import catalog, events
from metasummary.store import records as store_records
from metasummary.store.clock import now
from metasummary.store.pairs import insert_pairs, ordered
from metasummary.store.snowball import OriginLink, insert_origins, openalex_keys, snowball_keys


@dataclass(frozen=True, slots=True)
class StoredRound:
    source_id: int
    new_ids: list[int]
    known: int
    maybe_pairs: int


def known_keys(conn: sa.Connection) -> dict[str, int]:
    """Keys of papers the review holds (earlier rounds' keys, OpenAlex ids) -> record id."""
    return {**openalex_keys(conn), **snowball_keys(conn)}


def store_round(
    conn: sa.Connection,
    review: Review,
    *,
    number: int,
    settings: RoundSettings,
    plan: list[tuple[Seed, tuple[Direction, ...]]],
    collected: Collected,
    placement: Placement,
    actor: str,
    date: str,
) -> StoredRound:
    """The round's source, new records, origin rows and doubtful pairs; one event."""
    name = ROUND_SOURCE.format(n=number)
    held = catalog.source_by_name(conn, name)
    if held is not None and (
        held.kind != SourceKind.SNOWBALL or store_records.count(conn, source_id=held.id)
    ):
        raise InputError(
            f"source '{name}' already exists and is not an empty snowball source; rename it "
            "in protocol.yaml so the round can take the name"
        )
    source = review.ensure_source(conn, name, kind=SourceKind.SNOWBALL)
    new_ids = _insert_new(conn, source.id, number, placement)
    links: set[OriginLink] = set()
    for (candidate, _), record_id in zip(placement.new, new_ids, strict=True):
        links |= _links(candidate, record_id, source.id)
    known = set()
    for candidate, root in placement.known:
        found = _links(candidate, root, source.id)
        links |= found
        if found:  # a seed citing a paper of its own group is no candidate
            known.add(root)
    insert_origins(conn, sorted(links, key=lambda x: (x.record_id, x.seed_record_id, x.direction)))
    pairs = []
    for (_, maybes), record_id in zip(placement.new, new_ids, strict=True):
        for maybe in maybes:
            a, b = ordered(record_id, maybe.record_id)
            pairs.append(
                {
                    "record_a": a,
                    "record_b": b,
                    "kind": "duplicate",
                    "status": "candidate",
                    "score": maybe.verdict.score,
                    "reason": f"{maybe.verdict.reason} (snowballing round {number})",
                    "decided_by": ENGINE,
                }
            )
    insert_pairs(conn, pairs)
    seeds = {
        d.value: sorted(seed.root for seed, dirs in plan if d in dirs) for d in settings.directions
    }
    details = {
        "round": number,
        "date": date,
        "direction": settings.direction,
        "seeds": seeds,
        "settings": settings.to_dict(),
        "candidates": len(placement.new) + len(known),
        "new": len(new_ids),
        "known": len(known),
        "unresolved": collected.unresolved,
        "notes": collected.notes,
    }
    ways = {"both": "backward and forward", "backward": "backward", "forward": "forward"}
    catalog.update_source(
        conn,
        source.id,
        details=details,
        searched_at=now(),
        description=(f"{ways[settings.direction]} citations of {len(plan)} included paper(s)"),
    )
    events.log(
        conn,
        "snowball.round",
        entity="source",
        entity_id=source.id,
        actor=actor,
        payload={k: details[k] for k in ("round", "direction", "candidates", "new", "known")},
    )
    return StoredRound(source.id, new_ids, len(known), len(pairs))


def _insert_new(
    conn: sa.Connection, source_id: int, number: int, placement: Placement
) -> list[int]:
    """Insert the new papers, grouped by where they came from (one raw format each); ids in
    the order of ``placement.new``."""
    ids: dict[int, int] = {}
    for via in Via:
        batch = [(k, c) for k, (c, _) in enumerate(placement.new) if c.via is via]
        for candidate in (c for _, c in batch):
            candidate.data.extra = {
                **candidate.data.extra,
                "snowball": {
                    "round": number,
                    "via": via.value,
                    "key": candidate.key,
                    "keys": sorted(candidate.keys - {candidate.key}),
                },
            }
        inserted = store_records.insert_many(
            conn,
            [c.data for _, c in batch],
            source_id=source_id,
            raw_format=f"snowball-{via.value}",
        )
        ids.update(zip((k for k, _ in batch), inserted, strict=True))
    return [ids[k] for k in range(len(placement.new))]


def _links(candidate: Candidate, record_id: int, source_id: int) -> set[OriginLink]:
    return {
        OriginLink(record_id, origin.seed, source_id, origin.direction.value)
        for origin in candidate.origins
        if origin.seed != record_id
    }
