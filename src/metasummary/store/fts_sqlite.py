"""The full-text index on SQLite: a contentless FTS5 table kept in step by triggers.

``unicode61 remove_diacritics 2`` splits on anything that is not a letter or digit, folds case
and accents; keywords and authors (JSON lists) are indexed as their items joined by spaces.
The table is contentless (it stores no copy of the text); triggers pass the old values to
FTS5's ``delete`` command, computed by the same expression that indexed them.

Every search names its columns (``{title abstract keywords} : ...``): the query's clauses
search title, abstract and keywords, the records list title, abstract, authors and DOI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from metasummary.store.fulltext import Clause, Filter, Phrase

VERSION = "sqlite-fts5-3"
TABLE = "records_fts"
PAGES_TABLE = "fulltext_fts"
"""The attached PDFs' pages: an external-content table over ``fulltext_pages.search``."""
TRIGGERS = ("records_fts_insert", "records_fts_delete", "records_fts_update", "fulltext_fts_insert")


COLUMNS = "title, abstract, keywords, authors, doi"


def _items(alias: str, column: str) -> str:
    # A JSON list as its items joined by spaces.
    return (
        f"CASE WHEN json_valid({alias}.{column}) THEN coalesce((SELECT group_concat(value, ' ') "
        f"FROM json_each({alias}.{column})), '') ELSE '' END"
    )


def _values(alias: str) -> str:
    return (
        f"{alias}.title, {alias}.abstract, {_items(alias, 'keywords')}, "
        f"{_items(alias, 'authors')}, {alias}.doi"
    )


def _ddl() -> list[str]:
    insert = f"INSERT INTO {TABLE}(rowid, {COLUMNS}) VALUES (new.id, {_values('new')});"
    delete = (
        f"INSERT INTO {TABLE}({TABLE}, rowid, {COLUMNS}) "
        f"VALUES ('delete', old.id, {_values('old')});"
    )
    return [
        # prefix: word beginnings of one and two letters are indexed too, or a search for
        # "a*" would merge the lists of thousands of words (the records list searches as
        # the reader types). It doubles the index's size.
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5({COLUMNS}, content='', prefix='1 2', "
        "tokenize='unicode61 remove_diacritics 2')",
        f"INSERT INTO {TABLE}(rowid, {COLUMNS}) SELECT r.id, {_values('r')} FROM records AS r",
        f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')",
        f"CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN {insert} END",
        f"CREATE TRIGGER records_fts_delete AFTER DELETE ON records BEGIN {delete} END",
        f"CREATE TRIGGER records_fts_update AFTER UPDATE OF {COLUMNS} ON records "
        f"BEGIN {delete} {insert} END",
        # Pages are only ever added (a new version of a PDF adds pages), so one trigger.
        f"CREATE VIRTUAL TABLE {PAGES_TABLE} USING fts5(search, content='fulltext_pages', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"INSERT INTO {PAGES_TABLE}({PAGES_TABLE}) VALUES ('rebuild')",
        f"CREATE TRIGGER fulltext_fts_insert AFTER INSERT ON fulltext_pages BEGIN "
        f"INSERT INTO {PAGES_TABLE}(rowid, search) VALUES (new.id, new.search); END",
    ]


def build(conn: sa.Connection) -> None:
    for statement in _ddl():
        conn.exec_driver_sql(statement)


def drop(conn: sa.Connection) -> None:
    for trigger in TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {PAGES_TABLE}")


def is_complete(conn: sa.Connection) -> bool:
    names = set(
        conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name IN (?, ?, ?, ?, ?, ?)",
            (TABLE, PAGES_TABLE, *TRIGGERS),
        ).scalars()
    )
    return names == {TABLE, PAGES_TABLE, *TRIGGERS}


def _phrase(phrase: Phrase) -> str:
    # Tokens are letters and digits only (see query/text.py), so quoting cannot break.
    return " + ".join(
        f'"{token}"' + ("*" if star else "")
        for token, star in zip(phrase.tokens, phrase.prefix, strict=True)
    )


def clause_expression(clause: Clause) -> str:
    """``{title abstract} : ("machine" + "learning" OR "ml")``."""
    inner = " OR ".join(_phrase(p) for p in clause.phrases)
    return "{" + " ".join(clause.fields) + "} : (" + inner + ")"


def match_expression(flt: Filter) -> str | None:
    """The whole filter as one FTS5 query; None when it can match nothing."""
    if not flt.clauses or any(not c.phrases for c in flt.clauses):
        return None
    expression = " AND ".join(clause_expression(c) for c in flt.clauses)
    if flt.exclude is not None and flt.exclude.phrases:
        expression = f"({expression}) NOT {clause_expression(flt.exclude)}"
    return expression


def id_select(flt: Filter) -> sa.Select[Any]:
    rowid = sa.column("rowid", sa.Integer)
    query = sa.select(rowid).select_from(sa.table(TABLE))
    expression = match_expression(flt)
    if expression is None:
        return query.where(sa.false())
    return query.where(sa.literal_column(TABLE).op("MATCH")(sa.literal(expression)))


def page_record_ids(clause: Clause) -> sa.Select[Any]:
    """Records whose current full text holds one of the clause's phrases on a page."""
    record_id = sa.column("record_id", sa.Integer)
    inner = " OR ".join(_phrase(p) for p in clause.phrases)
    query = sa.select(record_id).select_from(
        sa.text(
            f"{PAGES_TABLE} JOIN fulltext_pages AS p ON p.id = {PAGES_TABLE}.rowid "
            "JOIN fulltexts AS f ON f.id = p.fulltext_id"
        )
    )
    if not inner:
        return query.where(sa.false())
    return query.where(
        sa.literal_column(PAGES_TABLE).op("MATCH")(sa.literal(inner)),
        sa.text(
            "f.version = (SELECT max(v.version) FROM fulltexts AS v "
            "WHERE v.record_id = f.record_id)"
        ),
    )
