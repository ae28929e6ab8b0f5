"""The full-text index on PostgreSQL: ``tsvector`` columns with GIN indexes, kept by triggers.

Text is normalised the way SQLite's ``unicode61`` tokenizer and ``query/text.py`` see it:
lower case, common Latin accents folded, punctuation (hyphens, slashes, dots) turned into
spaces, then split by the ``simple`` configuration (no stemming, no stop words). One
``tsvector`` per field keeps phrases from running from the title into the abstract; keywords
and authors (JSON lists) are indexed as their items joined by spaces.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from metasummary.store.fulltext import Clause, Filter, Phrase

VERSION = "postgresql-tsvector-3"
TABLE = "records_fts"
PAGES_TABLE = "fulltext_fts"
"""The attached PDFs' pages, one ``tsvector`` per page."""
TRIGGERS = ("records_fts_insert", "records_fts_update", "records_fts_delete")
PAGE_TRIGGER = "fulltext_fts_insert"
FUNCTIONS = (
    "metasummary_fts_insert()",
    "metasummary_fts_update()",
    "metasummary_fts_delete()",
    "metasummary_fts_doc(text)",
    "metasummary_fts_items(jsonb)",
    "metasummary_fts_keywords(jsonb)",  # the name version 1 used
    "metasummary_fts_pages()",
)

_LOWER = "àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöōőŕřśšşťùúûüūůűųýÿźżž"
# The base letter of each, as query/text.py's fold() gives it (NFKD without the marks).
_PLAIN = "".join(unicodedata.normalize("NFKD", ch)[0] for ch in _LOWER)
# Upper case too: lower() leaves non-ASCII letters alone under the C locale.
_ACCENTED = _LOWER + _LOWER.upper()
_FOLDED = _PLAIN + _PLAIN

COLUMNS = ("title", "abstract", "keywords", "authors", "doi")
_NAMES = ", ".join(COLUMNS)
_ROW = (
    "SELECT {a}.id, metasummary_fts_doc({a}.title), metasummary_fts_doc({a}.abstract), "
    "metasummary_fts_doc(metasummary_fts_items({a}.keywords)), "
    "metasummary_fts_doc(metasummary_fts_items({a}.authors)), metasummary_fts_doc({a}.doi)"
)
_UPSERT = "ON CONFLICT (record_id) DO UPDATE SET " + ", ".join(
    f"{c} = EXCLUDED.{c}" for c in COLUMNS
)
_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COLUMNS)


def _ddl() -> list[str]:
    return [
        "CREATE FUNCTION metasummary_fts_doc(text) RETURNS tsvector LANGUAGE sql IMMUTABLE "
        "AS $$ SELECT to_tsvector('simple'::regconfig, regexp_replace(translate(lower("
        f"coalesce($1, '')), '{_ACCENTED}', '{_FOLDED}'), '[[:punct:]]+', ' ', 'g')) $$",
        "CREATE FUNCTION metasummary_fts_items(jsonb) RETURNS text LANGUAGE sql IMMUTABLE "
        "AS $$ SELECT coalesce(string_agg(value, ' '), '') FROM jsonb_array_elements_text("
        "CASE WHEN jsonb_typeof($1) = 'array' THEN $1 ELSE '[]'::jsonb END) $$",
        f"CREATE TABLE {TABLE} (record_id integer PRIMARY KEY, "
        + ", ".join(f"{c} tsvector NOT NULL" for c in COLUMNS)
        + ")",
        f"INSERT INTO {TABLE} (record_id, {_NAMES}) " + _ROW.format(a="r") + " FROM records AS r",
        *(f"CREATE INDEX ix_records_fts_{c} ON {TABLE} USING gin ({c})" for c in COLUMNS),
        f"ANALYZE {TABLE}",
        "CREATE FUNCTION metasummary_fts_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {TABLE} (record_id, {_NAMES}) "
        + _ROW.format(a="n")
        + f" FROM new_rows AS n {_UPSERT}; RETURN NULL; END $$",
        "CREATE FUNCTION metasummary_fts_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {TABLE} (record_id, {_NAMES}) "
        + _ROW.format(a="n")
        + f" FROM (SELECT NEW.*) AS n {_UPSERT}; RETURN NULL; END $$",
        "CREATE FUNCTION metasummary_fts_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM {TABLE} WHERE record_id = OLD.id; RETURN NULL; END $$",
        # Statement level, so a bulk insert indexes its rows in one statement.
        "CREATE TRIGGER records_fts_insert AFTER INSERT ON records REFERENCING NEW TABLE AS "
        "new_rows FOR EACH STATEMENT EXECUTE FUNCTION metasummary_fts_insert()",
        f"CREATE TRIGGER records_fts_update AFTER UPDATE OF {_NAMES} ON records "
        f"FOR EACH ROW WHEN ({_CHANGED}) EXECUTE FUNCTION metasummary_fts_update()",
        "CREATE TRIGGER records_fts_delete AFTER DELETE ON records FOR EACH ROW "
        "EXECUTE FUNCTION metasummary_fts_delete()",
        # Pages are only ever added (a new version of a PDF adds pages), so one trigger.
        f"CREATE TABLE {PAGES_TABLE} (page_id integer PRIMARY KEY, search tsvector NOT NULL)",
        f"INSERT INTO {PAGES_TABLE} (page_id, search) "
        "SELECT id, metasummary_fts_doc(search) FROM fulltext_pages",
        f"CREATE INDEX ix_fulltext_fts_search ON {PAGES_TABLE} USING gin (search)",
        "CREATE FUNCTION metasummary_fts_pages() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {PAGES_TABLE} (page_id, search) SELECT n.id, metasummary_fts_doc(n.search) "
        "FROM new_rows AS n; RETURN NULL; END $$",
        f"CREATE TRIGGER {PAGE_TRIGGER} AFTER INSERT ON fulltext_pages REFERENCING NEW TABLE "
        "AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION metasummary_fts_pages()",
    ]


def build(conn: sa.Connection) -> None:
    for statement in _ddl():
        conn.exec_driver_sql(statement)


def drop(conn: sa.Connection) -> None:
    for trigger in TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON records")
    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {PAGE_TRIGGER} ON fulltext_pages")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {PAGES_TABLE}")
    for function in FUNCTIONS:
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function}")


def is_complete(conn: sa.Connection) -> bool:
    table = conn.exec_driver_sql(
        f"SELECT to_regclass('{TABLE}') IS NOT NULL AND to_regclass('{PAGES_TABLE}') IS NOT NULL"
    ).scalar_one()
    pages = conn.exec_driver_sql(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'fulltext_pages'::regclass "
        "AND tgname = %(name)s",
        {"name": PAGE_TRIGGER},
    ).scalar_one()
    triggers = conn.exec_driver_sql(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'records'::regclass "
        "AND tgname = ANY(%(names)s)",
        {"names": list(TRIGGERS)},
    ).scalar_one()
    return bool(table) and int(triggers) == len(TRIGGERS) and int(pages) == 1


def _phrase(phrase: Phrase) -> str:
    # Tokens are letters and digits only (see query/text.py), so quoting cannot break.
    return " <-> ".join(
        f"'{token}'" + (":*" if star else "")
        for token, star in zip(phrase.tokens, phrase.prefix, strict=True)
    )


def tsquery_text(clause: Clause) -> str:
    """``'machine' <-> 'learning' | 'ml'``: the clause's phrases for ``to_tsquery``."""
    return " | ".join(f"({_phrase(p)})" for p in clause.phrases)


def _condition(clause: Clause) -> sa.ColumnElement[bool]:
    query = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery_text(clause))
    return sa.or_(*(sa.column(field).op("@@")(query) for field in clause.fields))


def id_select(flt: Filter) -> sa.Select[Any]:
    record_id = sa.column("record_id", sa.Integer)
    query = sa.select(record_id).select_from(sa.table(TABLE))
    if not flt.clauses or any(not c.phrases for c in flt.clauses):
        return query.where(sa.false())
    conditions = [_condition(c) for c in flt.clauses]
    if flt.exclude is not None and flt.exclude.phrases:
        conditions.append(sa.not_(_condition(flt.exclude)))
    return query.where(*conditions)


def page_record_ids(clause: Clause) -> sa.Select[Any]:
    """Records whose current full text holds one of the clause's phrases on a page."""
    record_id = sa.column("record_id", sa.Integer)
    query = sa.select(record_id).select_from(
        sa.text(
            f"{PAGES_TABLE} JOIN fulltext_pages AS p ON p.id = {PAGES_TABLE}.page_id "
            "JOIN fulltexts AS f ON f.id = p.fulltext_id"
        )
    )
    if not clause.phrases:
        return query.where(sa.false())
    tsquery = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery_text(clause))
    return query.where(
        sa.literal_column(f"{PAGES_TABLE}.search").op("@@")(tsquery),
        sa.text(
            "f.version = (SELECT max(v.version) FROM fulltexts AS v "
            "WHERE v.record_id = f.record_id)"
        ),
    )
