"""Accounts and the sign-ins tried: the SQL behind :mod:`metasummary.accounts`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.schema import accounts, reviewers, sign_ins


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    name: str
    full_name: str
    role: str
    reviewer: str
    """The protocol reviewer's code ('' when the account is bound to none)."""
    password_hash: str
    oidc_subject: str | None
    disabled: bool
    generation: int
    created_at: datetime


_COLUMNS = (
    accounts.c.id,
    accounts.c.name,
    accounts.c.full_name,
    accounts.c.role,
    sa.func.coalesce(reviewers.c.code, "").label("reviewer"),
    accounts.c.password_hash,
    accounts.c.oidc_subject,
    accounts.c.disabled,
    accounts.c.generation,
    accounts.c.created_at,
)
_JOINED = accounts.outerjoin(reviewers, reviewers.c.id == accounts.c.reviewer_id)


def _select() -> sa.Select[Any]:
    return sa.select(*_COLUMNS).select_from(_JOINED)


def list_accounts(conn: sa.Connection) -> list[AccountRow]:
    return [AccountRow(**row._mapping) for row in conn.execute(_select().order_by(accounts.c.id))]


def by_name(conn: sa.Connection, name: str) -> AccountRow | None:
    row = conn.execute(_select().where(accounts.c.name == name)).first()
    return AccountRow(**row._mapping) if row else None


def by_id(conn: sa.Connection, account_id: int) -> AccountRow | None:
    row = conn.execute(_select().where(accounts.c.id == account_id)).first()
    return AccountRow(**row._mapping) if row else None


def by_subject(conn: sa.Connection, subject: str) -> AccountRow | None:
    row = conn.execute(_select().where(accounts.c.oidc_subject == subject)).first()
    return AccountRow(**row._mapping) if row else None


def bound_to(conn: sa.Connection, reviewer_id: int) -> AccountRow | None:
    """The account that votes as the reviewer with id ``reviewer_id``."""
    row = conn.execute(_select().where(accounts.c.reviewer_id == reviewer_id)).first()
    return AccountRow(**row._mapping) if row else None


def active_count(conn: sa.Connection) -> int:
    query = sa.select(sa.func.count()).select_from(accounts).where(accounts.c.disabled.is_(False))
    return int(conn.execute(query).scalar_one())


def insert(conn: sa.Connection, **values: Any) -> int:
    result = conn.execute(accounts.insert().values(created_at=now(), **values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update(conn: sa.Connection, account_id: int, *, void_sessions: bool, **values: Any) -> None:
    """Change an account; ``void_sessions`` ends every session signed for it before."""
    if void_sessions:
        values["generation"] = accounts.c.generation + 1
    conn.execute(accounts.update().where(accounts.c.id == account_id).values(**values))


# -- sign-ins ---------------------------------------------------------------------------------


def record_sign_in(conn: sa.Connection, *, name: str, address: str, method: str, ok: bool) -> None:
    conn.execute(
        sign_ins.insert().values(
            name=name[:64], address=address[:64], method=method, ok=ok, created_at=now()
        )
    )


def failures_since(
    conn: sa.Connection, since: datetime, *, name: str, address: str
) -> tuple[int, int]:
    """Failed sign-ins since ``since`` for ``name`` and from ``address``."""
    recent = sign_ins.c.created_at >= since
    failed = sign_ins.c.ok.is_(False)
    by_name = sa.select(sa.func.count()).where(recent, failed, sign_ins.c.name == name[:64])
    by_address = sa.select(sa.func.count()).where(
        recent, failed, sign_ins.c.address == address[:64]
    )
    return int(conn.execute(by_name).scalar_one()), int(conn.execute(by_address).scalar_one())


def last_failure(conn: sa.Connection, *, name: str, address: str) -> datetime | None:
    query = sa.select(sa.func.max(sign_ins.c.created_at)).where(
        sign_ins.c.ok.is_(False),
        sa.or_(sign_ins.c.name == name[:64], sign_ins.c.address == address[:64]),
    )
    value = conn.execute(query).scalar()
    return value if isinstance(value, datetime) else None
