"""Gathering a round's candidates: for every seed and direction, the papers it leads to.

Backward, a seed leads to the works OpenAlex says it cites, to the references its exports
carry (parsed here, no network) and, with a GROBID server, to the reference list of its PDF.
Forward, it leads to the works OpenAlex says cite it. A paper reached twice is one candidate
with two origins. ``year_from`` drops older papers; ``max_per_paper`` keeps the first N per
seed, direction and kind of source (OpenAlex lists forward citations most cited first).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from metasummary.models import RecordData
from metasummary.snowball.grobid import Grobid
from metasummary.snowball.model import Candidate, Direction, Origin, RoundSettings, Via
from metasummary.snowball.openalex import CitationIndex, Work, short_id
from metasummary.snowball.references import parse_reference, reference_key
from metasummary.snowball.seeds import Seed
from metasummary.sources import openalex_json

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: seeds done of all seeds, and the seed at hand."""


@dataclass(slots=True)
class Collected:
    """The candidates in the order they were found, and what could not be followed."""

    candidates: dict[str, Candidate] = field(default_factory=dict)
    unresolved: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    followed: int = 0
    """Seeds with citations to follow: found in OpenAlex, or carrying references in their
    exports, or a PDF for GROBID."""

    def add(self, candidate: Candidate, origin: Origin) -> None:
        held = self.candidates.setdefault(candidate.key, candidate)
        held.origins.add(origin)


class Collector:
    """Runs the sources of citations a round's settings ask for."""

    def __init__(
        self,
        settings: RoundSettings,
        *,
        index: CitationIndex | None,
        grobid: Grobid | None = None,
        root: Path | None = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.grobid = grobid
        self.root = root

    def collect(
        self, plan: list[tuple[Seed, tuple[Direction, ...]]], progress: Progress | None = None
    ) -> Collected:
        """Candidates for each seed in ``plan`` in the directions given with it."""
        found = Collected()
        for done, (seed, directions) in enumerate(plan):
            if progress is not None:
                progress(done, len(plan), seed.title)
            work = self.index.resolve(seed) if self.index is not None else None
            if self.index is not None and work is None:
                found.unresolved.append(seed.root)
            pdfs = bool(seed.pdfs) and self.grobid is not None
            if work is not None or seed.references or pdfs:
                found.followed += 1
            for direction in directions:
                origin = Origin(seed.root, direction)
                for candidate in self._candidates(seed, direction, work, found.notes):
                    found.add(candidate, origin)
        if progress is not None:
            progress(len(plan), len(plan), "")
        return found

    def _candidates(
        self, seed: Seed, direction: Direction, work: Work | None, notes: list[str]
    ) -> list[Candidate]:
        limit = self.settings.max_per_paper
        found: list[Candidate] = []
        if direction is Direction.FORWARD:
            if work is not None and self.index is not None:
                citing = self.index.citing(work, limit=limit, year_from=self.settings.year_from)
                found += _openalex(citing, work)
            return found
        if work is not None and self.index is not None:
            found += self._first(_openalex(self.index.referenced(work), work))
        parsed = (parse_reference(text) for text in seed.references)
        found += self._first(_referenced(parsed, Via.REFERENCES))
        if self.grobid is not None:
            for link in seed.pdfs:
                pdf = self._pdf(link)
                if pdf is None:
                    notes.append(f"record {seed.root}: PDF {link} not found; GROBID skipped it")
                    continue
                found += self._first(_referenced(self.grobid.references(pdf), Via.GROBID))
        return found

    def _first(self, candidates: Iterable[Candidate]) -> list[Candidate]:
        year_from = self.settings.year_from
        kept = [
            c
            for c in candidates
            if year_from is None or c.data.year is None or c.data.year >= year_from
        ]
        limit = self.settings.max_per_paper
        return kept[:limit] if limit else kept

    def _pdf(self, link: str) -> Path | None:
        if "://" in link:
            return None
        path = Path(link).expanduser()
        if not path.is_absolute() and self.root is not None:
            path = self.root / path
        return path if path.is_file() else None


def _openalex(works: Iterable[Work], seed_work: Work) -> list[Candidate]:
    seed_id = short_id(seed_work.get("id"))
    found = []
    for work in works:
        work_id = short_id(work.get("id"))
        if not work_id or work_id == seed_id:
            continue
        data = openalex_json.record(work)
        data.raw = json.dumps(work, ensure_ascii=False, sort_keys=True)
        found.append(Candidate(key=f"openalex:{work_id}", via=Via.OPENALEX, data=data))
    return found


def _referenced(items: Iterable[RecordData | None], via: Via) -> list[Candidate]:
    found = []
    for data in items:
        if data is not None:
            found.append(Candidate(key=reference_key(data, data.raw), via=via, data=data))
    return found
