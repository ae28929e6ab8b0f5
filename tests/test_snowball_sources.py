"""Where candidates come from besides OpenAlex: the cited references exports carry, and the
reference list GROBID reads from a PDF (replayed from a recorded answer)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from metasummary import Phase, Project, RecordData
from metasummary.errors import NetworkError
from metasummary.imports.search import Fetcher
from metasummary.snowball import RoundSettings, Snowball
from metasummary.snowball.grobid import parse_tei
from metasummary.snowball.references import openalex_id, parse_reference, reference_key
from metasummary.sources import registry
from metasummary.sources.text import decode
from metasummary.store import events
from metasummary.store.clock import now
from metasummary.store.schema import decisions, reviewers
from tests.snowballdata import (
    ARPTEG,
    DATA,
    FakeOpenAlex,
    SeedReview,
    build_seed_review,
    by_key,
    snowball_protocol,
)

TEI = (DATA / "grobid_references.tei.xml").read_text(encoding="utf-8")
GROBID = "http://grobid.test:8070"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ahuja G, 2000, ADMIN SCI QUART, V45, P425, DOI 10.2307/2667105",
            (["Ahuja, G"], "", 2000, "ADMIN SCI QUART", "45", "425", "10.2307/2667105"),
        ),
        (
            "Davis G. F., 2003, Strategic Organization, V1, DOI 10.1177/14761270030013002",
            (
                ["Davis, G. F."],
                "",
                2003,
                "Strategic Organization",
                "1",
                "",
                "10.1177/14761270030013002",
            ),
        ),
        (
            "Smith J, 2010, J SYST SOFTWARE, V83, P1, DOI [10.1000/a1, 10.1000/b2]",
            (["Smith, J"], "", 2010, "J SYST SOFTWARE", "83", "1", "10.1000/a1"),
        ),
        (
            "*CANC GEN ATL RES, 2008, NATURE, V455, P1061",
            ([], "", 2008, "NATURE", "455", "1061", ""),
        ),
        (
            "Lien, Y.E., A note on transition systems (1976) J. Inform. Sci., 10 (4), pp. 347-362",
            (
                ["Lien, Y.E."],
                "A note on transition systems",
                1976,
                "J. Inform. Sci",
                "10",
                "347-362",
                "",
            ),
        ),
        (
            "Kalé, L., Skeel, R., (1999) J Comp Phys, 151, p. 283",
            (["Kalé, L.", "Skeel, R."], "", 1999, "J Comp Phys", "151", "283", ""),
        ),
        (
            "Gear, C.W., (1971) Numerical Initial Value Problems in Ordinary Differential "
            "Equations, , Prentice-Hall: Englewood Cliffs, NJ",
            (
                ["Gear, C.W."],
                "Numerical Initial Value Problems in Ordinary Differential Equations",
                1971,
                "",
                "",
                "",
                "",
            ),
        ),
        (
            "Amershi, S., Begel, A., Software engineering for machine learning: A case study "
            "(2019) Proceedings of ICSE-SEIP, pp. 291-300. Cited 120 times. "
            "DOI: 10.1109/ICSE-SEIP.2019.00042",
            (
                ["Amershi, S.", "Begel, A."],
                "Software engineering for machine learning: A case study",
                2019,
                "Proceedings of ICSE-SEIP",
                "",
                "291-300",
                "10.1109/icse-seip.2019.00042",
            ),
        ),
        ("10.1145/3368089.3409742", ([], "", None, "", "", "", "10.1145/3368089.3409742")),
    ],
)
def test_reference_strings_become_minimal_records(
    text: str, expected: tuple[list[str], str, int | None, str, str, str, str]
) -> None:
    data = parse_reference(text)
    assert data is not None
    got = (data.authors, data.title, data.year, data.venue, data.volume, data.pages, data.doi)
    assert got == expected
    assert data.raw == text


def test_strings_that_name_no_paper_are_dropped() -> None:
    assert parse_reference("IEEE Press: Piscataway, NJ") is None
    assert parse_reference("   ") is None
    assert parse_reference("https://openalex.org/W2963403868") is None
    assert openalex_id("https://openalex.org/W2963403868") == "W2963403868"


@given(st.text(max_size=300))
def test_any_reference_string_parses_or_is_dropped(text: str) -> None:
    data = parse_reference(text)
    if data is not None:
        assert data.raw
        assert data.year is None or 1000 <= data.year <= 2999


def test_reference_keys_are_stable() -> None:
    a = parse_reference("Horkoff, J., Non-functional requirements (2019) REW, pp. 386-391")
    assert a is not None
    assert reference_key(a, a.raw) == reference_key(a, "  " + a.raw.upper())
    assert reference_key(RecordData(doi="10.1/x"), "anything") == "doi:10.1/x"


@pytest.mark.parametrize(
    "name",
    [
        "web_of_science/wos_plaintext.txt",
        "web_of_science/wos.bib",
        "scopus/scopus.csv",
        "scopus/buhos_scopus.bib",
    ],
)
def test_real_exports_references_parse(shared_data: Path, name: str) -> None:
    path = shared_data / "exports" / name
    doc = decode(path.read_bytes(), name)
    items = registry.read(doc, registry.sniff(doc))
    references = [r for item in items if isinstance(item, RecordData) for r in item.references]
    parsed = [p for p in map(parse_reference, references) if p is not None]
    assert len(references) > 300
    assert len(parsed) >= 0.95 * len(references)
    assert sum(1 for p in parsed if p.year) >= 0.95 * len(parsed)
    assert sum(1 for p in parsed if p.authors) >= 0.9 * len(parsed)
    if name.startswith("scopus"):
        assert sum(1 for p in parsed if p.title) >= 0.9 * len(parsed)


def test_tei_reference_lists_become_records() -> None:
    found = parse_tei(TEI)
    assert [d.title for d in found] == [
        "Software engineering for machine learning: A case study",
        "Non-functional requirements for machine learning: Challenges and new directions",
        "Engineering problems in machine learning systems",
        "Designing Data-Intensive Applications",
    ]
    kuwajima = found[2]
    assert kuwajima.authors == ["Kuwajima, Hiroshi", "Yasuoka, Hirotoshi", "Nakae, Toshihiro"]
    assert (kuwajima.year, kuwajima.venue, kuwajima.volume, kuwajima.issue, kuwajima.pages) == (
        2020,
        "Machine Learning",
        "109",
        "5",
        "1103-1126",
    )
    assert kuwajima.doi == "10.1007/s10994-020-05872-w"
    assert kuwajima.raw.startswith("H. Kuwajima, H. Yasuoka")
    assert found[3].authors == ["Kleppmann, Martin"]  # a book: authors under monogr
    assert found[3].venue == ""


def pdf_decision(project: Project, record_id: int, pdf: str) -> None:
    with project.store.write() as conn:
        reviewer = conn.execute(sa.select(reviewers.c.id).where(reviewers.c.code == "R1"))
        conn.execute(
            decisions.insert().values(
                record_id=record_id,
                phase=Phase.FULL_TEXT.value,
                reviewer_id=reviewer.scalar_one(),
                kind="vote",
                verdict="include",
                criteria=[],
                note="",
                pdf=pdf,
                pilot=False,
                created_at=now(),
            )
        )
        events.log(conn, "test.decision", entity="record", entity_id=record_id)


class Servers:
    """OpenAlex and a GROBID server behind one mock transport."""

    def __init__(self, grobid_status: int = 200) -> None:
        self.openalex = FakeOpenAlex()
        self.grobid: list[httpx.Request] = []
        self.grobid_status = grobid_status

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "grobid.test":
            self.grobid.append(request)
            return httpx.Response(self.grobid_status, text=TEI)
        return self.openalex.handle(request)

    def fetcher(self) -> Fetcher:
        return Fetcher(
            client=httpx.Client(transport=httpx.MockTransport(self.handle)),
            sleep=lambda seconds: None,
        )


@pytest.fixture
def review(make_project: Callable[..., Project]) -> SeedReview:
    review = build_seed_review(make_project(snowball_protocol()))
    assert review.project.root is not None
    (review.project.root / "pdfs").mkdir()
    (review.project.root / "pdfs" / "vogelsang2019.pdf").write_bytes(b"%PDF-1.4\n% test\n")
    pdf_decision(review.project, review.vogelsang, "pdfs/vogelsang2019.pdf")
    pdf_decision(review.project, review.sculley, "pdfs/missing.pdf")
    return review


def test_grobid_reads_the_reference_list_of_a_full_text_pdf(review: SeedReview) -> None:
    servers = Servers()
    service = Snowball(review.project.review, fetcher=servers.fetcher())
    result = service.run(RoundSettings(direction="backward", grobid=GROBID))
    (request,) = servers.grobid
    assert request.method == "POST"
    assert str(request.url) == f"{GROBID}/api/processReferences"
    body = request.read()
    assert b'name="input"; filename="vogelsang2019.pdf"' in body
    assert b"%PDF-1.4" in body
    assert result.notes == [
        f"record {review.sculley}: PDF pdfs/missing.pdf not found; GROBID skipped it"
    ]
    found = by_key(review.project, "Snowballing round 1")
    assert "doi:10.1007/s10994-020-05872-w" in found  # Kuwajima et al., from the PDF only
    assert ARPTEG in found
    horkoff = [k for k in found if k.startswith("ref:")]
    assert len(horkoff) == 2  # Horkoff (export and PDF agree) and Kleppmann's book
    assert result.known == 2  # Breck et al. (from OpenAlex) and Amershi et al. (from the PDF)

    report = service.replay(1)
    assert report.same, report
    assert servers.grobid == [request]  # the replay read GROBID's answer from the cache


def test_grobid_failing_is_one_clear_error(review: SeedReview) -> None:
    servers = Servers(grobid_status=400)
    service = Snowball(review.project.review, fetcher=servers.fetcher())
    with pytest.raises(NetworkError, match=r"grobid: .* answered 400"):
        service.run(RoundSettings(direction="backward", grobid=GROBID))
