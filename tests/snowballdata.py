"""A small review to snowball from, and OpenAlex replayed from recorded works.

``FakeOpenAlex`` answers ``/works`` the way the API does for the filters snowballing uses
(``openalex_id``, ``doi``, ``cites``, ``from_publication_date``, ``search``, ``select``,
``sort``, ``per-page``, ``cursor``), from the works in ``data/snowball/openalex_works.json``;
it records every request and can be told to fail. Nothing reaches the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from metasummary import Phase, Project, RecordData, Verdict
from metasummary.imports.search import Fetcher
from tests.helpers import protocol_text
from tests.reviewdata import vote

DATA = Path(__file__).parent / "data" / "snowball"
WORKS: list[dict[str, Any]] = json.loads((DATA / "openalex_works.json").read_text("utf-8"))["works"]

AMERSHI = "W2951160151"
SCULLEY = "W2952380151"
BRECK = "W2771254023"
LWAKATARE = "W2965325718"
ZHANG = "W2963090829"
ARPTEG = "W2890118413"
NAHAR = "W4225128530"
SERBAN = "W3091297434"
BOSCH = "W2807461239"
MARTINEZ = "W3210000417"

VOGELSANG_REFERENCES = [
    "Arpteg, A., Brinne, B., Crnkovic-Friis, L., Bosch, J., Software engineering challenges "
    "of deep learning (2018) 2018 44th Euromicro Conference on Software Engineering and "
    "Advanced Applications (SEAA), pp. 50-59. DOI: 10.1109/SEAA.2018.00018",
    "Horkoff, J., Non-functional requirements for machine learning: Challenges and new "
    "directions (2019) 2019 IEEE 27th International Requirements Engineering Conference "
    "Workshops (REW), pp. 386-391",
]


def short(value: object) -> str:
    return str(value or "").rsplit("/", 1)[-1]


def _doi(work: dict[str, Any]) -> str:
    return str(work.get("doi") or "").removeprefix("https://doi.org/").lower()


@dataclass
class FakeOpenAlex:
    """OpenAlex ``/works`` over a list of works; ``fail_after`` makes later requests 500."""

    works: list[dict[str, Any]] = field(default_factory=lambda: WORKS)
    requests: list[httpx.Request] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)
    fail_after: int | None = None
    offline: bool = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.offline:
            raise httpx.ConnectError("no network in tests", request=request)
        self.requests.append(request)
        if self.fail_after is not None and len(self.requests) > self.fail_after:
            return httpx.Response(500, text="server error")
        assert request.url.path == "/works", request.url
        return httpx.Response(200, json=self.answer(dict(request.url.params)))

    def answer(self, params: dict[str, str]) -> dict[str, Any]:
        hits = [w for w in self.works if self._matches(w, params)]
        if params.get("sort") == "cited_by_count:desc":
            hits.sort(key=lambda w: -int(w.get("cited_by_count") or 0))
        size = int(params.get("per-page", 25))
        start = 0 if params.get("cursor", "*") == "*" else int(params["cursor"])
        page = hits[start : start + size]
        following = str(start + size) if "cursor" in params and start + size < len(hits) else None
        fields = params.get("select", "").split(",") if params.get("select") else None
        results = [{k: v for k, v in w.items() if fields is None or k in fields} for w in page]
        meta = {"count": len(hits), "db_response_time_ms": 9, "page": None, "per_page": size}
        return {"meta": {**meta, "next_cursor": following}, "results": results, "group_by": []}

    def _matches(self, work: dict[str, Any], params: dict[str, str]) -> bool:
        if "search" in params:
            words = params["search"].lower().split()
            title = str(work["title"]).lower()
            if not all(w in title for w in words):
                return False
        for condition in filter(None, params.get("filter", "").split(",")):
            name, _, value = condition.partition(":")
            values = value.split("|")
            if name == "openalex_id" and short(work["id"]) not in values:
                return False
            if name == "doi" and _doi(work) not in [v.lower() for v in values]:
                return False
            if name == "cites" and value not in [short(r) for r in work["referenced_works"]]:
                return False
            if name == "from_publication_date" and work["publication_date"] < value:
                return False
        return True

    def fetcher(self) -> Fetcher:
        return Fetcher(
            client=httpx.Client(transport=httpx.MockTransport(self.handle)),
            sleep=self.sleeps.append,
            clock=lambda: sum(self.sleeps),
        )

    def filters(self) -> list[str]:
        return [
            r.url.params.get("filter", "") or r.url.params.get("search", "") for r in self.requests
        ]


def snowball_protocol() -> str:
    return protocol_text(sources=[{"name": "Scopus", "kind": "library", "library": "scopus"}])


@dataclass(slots=True)
class SeedReview:
    """Record ids of the review the snowballing tests start from."""

    project: Project
    amershi: int  # included; found in OpenAlex by DOI
    sculley: int  # included; no DOI, found by title
    vogelsang: int  # included; not in OpenAlex, carries Scopus references
    breck: int  # excluded at title and abstract; cited by Amershi
    other: int  # included at title and abstract, excluded at full text


def include(project: Project, record_id: int, *, full_text: bool = True) -> None:
    vote(project, record_id, Verdict.INCLUDE)
    if full_text:
        vote(project, record_id, Verdict.INCLUDE, phase=Phase.FULL_TEXT)


def exclude(project: Project, record_id: int, phase: Phase = Phase.TITLE_ABSTRACT) -> None:
    vote(project, record_id, Verdict.EXCLUDE, phase=phase)


def build_seed_review(project: Project) -> SeedReview:
    """Five records from a Scopus export, screened: three included at full text."""
    items = [
        RecordData(
            title="Software engineering for machine learning: A case study",
            authors=["Amershi, S.", "Begel, A.", "Bird, C."],
            year=2019,
            venue="Proceedings - ICSE-SEIP 2019",
            pages="291-300",
            doi="10.1109/icse-seip.2019.00042",
        ),
        RecordData(
            title="Hidden technical debt in machine learning systems",
            authors=["Sculley, D.", "Holt, G.", "Golovin, D."],
            year=2015,
            venue="Advances in Neural Information Processing Systems",
            volume="28",
            pages="2503-2511",
        ),
        RecordData(
            title="Requirements engineering for machine learning: Perspectives from data "
            "scientists",
            authors=["Vogelsang, A.", "Borg, M."],
            year=2019,
            venue="Proceedings - 2019 IEEE 27th International Requirements Engineering "
            "Conference Workshops, REW 2019",
            pages="245-251",
            doi="10.1109/rew.2019.00050",
            references=list(VOGELSANG_REFERENCES),
        ),
        RecordData(
            title="The ML test score: A rubric for ML production readiness and technical debt "
            "reduction",
            authors=["Breck, E.", "Cai, S.", "Nielsen, E.", "Salib, M.", "Sculley, D."],
            year=2017,
            venue="Proceedings - 2017 IEEE International Conference on Big Data",
            pages="1123-1132",
            doi="10.1109/bigdata.2017.8258038",
        ),
        RecordData(
            title="Data management challenges for deep learning",
            authors=["Munappy, A.", "Bosch, J."],
            year=2019,
            venue="SEAA 2019",
            doi="10.1109/seaa.2019.00030",
        ),
    ]
    ids = project.add_records("Scopus", items)
    amershi, sculley, vogelsang, breck, other = ids
    for record_id in (amershi, sculley, vogelsang):
        include(project, record_id)
    exclude(project, breck)
    vote(project, other, Verdict.INCLUDE)
    exclude(project, other, Phase.FULL_TEXT)
    return SeedReview(project, amershi, sculley, vogelsang, breck, other)


def by_key(project: Project, source: str) -> dict[str, int]:
    """The records a round added, by their OpenAlex id or reference key."""
    from metasummary.store import records as store_records
    from metasummary.store.catalog import source_by_name

    with project.store.read() as conn:
        row = source_by_name(conn, source)
        assert row is not None
        found = {}
        for record in store_records.iter_all(conn, source_id=row.id):
            key = record.data.extra["snowball"]["key"]
            found[key.removeprefix("openalex:")] = record.id
    return found


Screen = Callable[[Project, int], None]
