"""The attached PDFs' pages in the full-text index, on SQLite and PostgreSQL: a phrase on a
page of a paper's current version finds it; an older version's text does not."""

from __future__ import annotations

import sqlalchemy as sa

from metasummary.models import RecordData
from metasummary.store import Store, catalog, fulltext
from metasummary.store import fulltexts as store_fulltexts
from metasummary.store import records as store_records
from metasummary.store.fulltext import Clause, Filter, Phrase


def _phrase(*words: str) -> Phrase:
    return Phrase(tokens=words, prefix=tuple(False for _ in words))


def _attach(conn: sa.Connection, record: int, version: int, pages: list[str]) -> None:
    fulltext_id = store_fulltexts.insert(
        conn,
        record_id=record,
        version=version,
        sha256=f"{version:064d}",
        file_name="paper.pdf",
        stored_path=f"fulltexts/{version:064d}.pdf",
        bytes=1,
        pages=len(pages),
        matched_by="record",
        details={},
    )
    store_fulltexts.insert_pages(
        conn,
        fulltext_id,
        [{"page": n, "start": 0, "text": text, "search": text} for n, text in enumerate(pages, 1)],
    )


def test_pages_are_searched_in_the_current_version_only(db_url: str) -> None:
    store = Store(db_url, create=True)
    try:
        with store.write() as conn:
            source = catalog.insert_source(conn, name="IEEE", kind="library")
            a, b = store_records.insert_many(
                conn,
                [RecordData(title="Machine learning in production"), RecordData(title="Other")],
                source_id=source,
            )
            fulltext.ensure_index(conn)
            _attach(conn, a, 1, ["We interviewed twelve data scientists.", "Résumé of results"])
            _attach(conn, b, 1, ["An old draft about technical debt."])
            _attach(conn, b, 2, ["The published paper about testing."])
        in_text = Filter((Clause((_phrase("data", "scientists"),), ("fulltext",)),))
        with store.read() as conn:
            assert fulltext.record_ids(conn, in_text) == [a]
            accented = Filter((Clause((_phrase("resume"),), ("fulltext",)),))
            assert fulltext.record_ids(conn, accented) == [a]
            old = Filter((Clause((_phrase("technical", "debt"),), ("fulltext",)),))
            assert fulltext.record_ids(conn, old) == []
            new = Filter((Clause((_phrase("testing"),), ("fulltext",)),))
            assert fulltext.record_ids(conn, new) == [b]
            # One group in the title, another in the text: AND across fields and tables.
            both = Filter(
                (
                    Clause((_phrase("machine", "learning"),), ("title", "fulltext")),
                    Clause((_phrase("interviewed"),), ("title", "abstract", "fulltext")),
                ),
                exclude=Clause((_phrase("testing"),), ("fulltext",)),
            )
            assert fulltext.record_ids(conn, both) == [a]
            assert fulltext.count_matching(conn, both) == 1
    finally:
        store.close()
