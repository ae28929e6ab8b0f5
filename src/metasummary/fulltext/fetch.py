"""``fulltext fetch``: legal open-access copies of the papers still without a full text.

The papers sought are those included at title/abstract (the reports PRISMA calls "sought for
retrieval") with no PDF attached yet. Each is looked up in OpenAlex, Unpaywall (with an email
address, from ``--email`` or the protocol's ``email``) and arXiv, in that order; the first URL
that serves a readable PDF is attached (matched by ``fetch``, its URL kept as the origin).
Every look-up is kept in the response cache and every outcome in ``fulltext_fetches``, so a
stopped run resumes, and what was not found is listed for the team to get through a library
("reports not retrieved" in PRISMA).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from metasummary.errors import ImportFileError, NetworkError
from metasummary.fulltext import oa
from metasummary.fulltext.oa import Lead, Wanted
from metasummary.fulltext.reader import PDF_MAGIC
from metasummary.imports.search.cache import ResponseCache
from metasummary.imports.search.fetch import Fetcher
from metasummary.models import Phase
from metasummary.screening.standing import Standing
from metasummary.sources.normalise import doi
from metasummary.store import events
from metasummary.store import fulltexts as store_fulltexts
from metasummary.store import records as store_records
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups

if TYPE_CHECKING:
    from metasummary.fulltext.service import FullTexts

Progress = Callable[[int, int, str], None]
"""Called with (papers done, papers sought, the paper's title) after each paper."""
DOWNLOAD_INTERVAL = 1.0
"""Seconds between two PDF downloads (publishers' servers, not APIs)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    record_id: int
    title: str
    status: str  # found | not-found | failed
    service: str = ""
    url: str = ""
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "title": self.title,
            "status": self.status,
            "service": self.service,
            "url": self.url,
            "detail": self.detail,
        }


@dataclass(slots=True)
class FetchReport:
    sought: int = 0
    already: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def not_found(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "found"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sought": self.sought,
            "already_held": self.already,
            "found": [o.to_dict() for o in self.outcomes if o.status == "found"],
            "not_retrieved": [o.to_dict() for o in self.not_found],
        }


class Fetching:
    """Open-access look-ups for the papers without a full text."""

    def __init__(self, fulltexts: FullTexts) -> None:
        self.fulltexts = fulltexts
        self.review = fulltexts.review

    def sought(self) -> list[Wanted]:
        """Papers included at title/abstract, in record order."""
        with self.review.store.read() as conn:
            roots = Standing(self.review.required_votes()).included(conn, Phase.TITLE_ABSTRACT)
            records = store_records.get_many(conn, sorted(roots))
        return [Wanted(r.id, doi(r.data.doi), r.data.title, r.data.url) for r in records]

    def run(
        self,
        *,
        email: str = "",
        offline: bool = False,
        fetcher: Fetcher | None = None,
        progress: Progress | None = None,
        actor: str = "",
    ) -> FetchReport:
        """Look every paper sought up and attach what is found."""
        email = email or self.review.protocol.email
        made: list[Fetcher] = []

        def get_fetcher() -> Fetcher:
            if fetcher is not None:
                return fetcher
            if not made:
                made.append(Fetcher())
            return made[0]

        cache = ResponseCache(self.review.store, get_fetcher, offline=offline)
        papers = self.sought()
        report = FetchReport(sought=len(papers))
        with self.review.store.read() as conn:
            groups = DuplicateGroups(record_links(conn))
            held = {groups.canonical(r.record_id) for r in store_fulltexts.list_all(conn)}
        try:
            for done, paper in enumerate(papers, 1):
                if paper.record_id in held:
                    report.already += 1
                else:
                    outcome = self._one(cache, get_fetcher, paper, email, offline, actor)
                    report.outcomes.append(outcome)
                    with self.review.store.write() as conn:
                        store_fulltexts.insert_fetch(
                            conn,
                            record_id=paper.record_id,
                            status=outcome.status,
                            service=outcome.service,
                            url=outcome.url,
                            detail=outcome.detail,
                            actor=actor,
                        )
                        events.log(
                            conn,
                            "fulltext.fetch",
                            entity="record",
                            entity_id=paper.record_id,
                            actor=actor,
                            payload={"status": outcome.status, "url": outcome.url},
                        )
                if progress is not None:
                    progress(done, len(papers), paper.title)
        finally:
            for made_fetcher in made:
                made_fetcher.close()
        return report

    def _one(
        self,
        cache: ResponseCache,
        get_fetcher: Callable[[], Fetcher],
        paper: Wanted,
        email: str,
        offline: bool,
        actor: str,
    ) -> Outcome:
        leads: list[Lead] = []
        asked: list[str] = []
        services: list[tuple[str, Callable[[], list[Lead]]]] = [
            ("openalex", lambda: oa.openalex(cache, paper)),
            ("unpaywall", lambda: oa.unpaywall(cache, paper, email)),
            ("arxiv", lambda: oa.arxiv(cache, paper)),
        ]
        try:
            for service, ask in services:
                asked.append(service)
                leads += [lead for lead in ask() if lead.url not in {x.url for x in leads}]
        except NetworkError as exc:
            return Outcome(paper.record_id, paper.title, "failed", detail=str(exc))
        if not leads:
            why = "no open-access copy known to " + ", ".join(asked)
            if not paper.doi:
                why += " (the record has no DOI)"
            if not email:
                why += "; Unpaywall not asked: give --email or set email in the protocol"
            return Outcome(paper.record_id, paper.title, "not-found", detail=why)
        problems = []
        for lead in leads:
            if offline:
                problems.append(f"{lead.url}: not downloaded (offline)")
                continue
            try:
                response = get_fetcher().get("pdf", lead.url, {}, interval=DOWNLOAD_INTERVAL)
            except NetworkError as exc:
                problems.append(str(exc))
                continue
            data = response.content
            if PDF_MAGIC not in data[:1024]:
                problems.append(f"{lead.url}: did not serve a PDF")
                continue
            name = lead.url.rstrip("/").rsplit("/", 1)[-1] or f"record-{paper.record_id}"
            name = name if name.lower().endswith(".pdf") else name + ".pdf"
            try:
                self.fulltexts.attach_data(
                    [(name, data)], record=paper.record_id, actor=actor, origin=lead.url
                )
            except ImportFileError as exc:
                problems.append(str(exc))
                continue
            return Outcome(paper.record_id, paper.title, "found", lead.service, lead.url)
        return Outcome(paper.record_id, paper.title, "not-found", detail="; ".join(problems)[:500])
