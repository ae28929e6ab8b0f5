"""The accounts of a review (``project.accounts``): who may sign in, as what role, and as
which protocol reviewer.

Every change is an event with its actor; passwords are kept only as argon2id hashes; signing
in is rate-limited through the database (:mod:`metasummary.accounts.throttle`). The password
check runs outside any transaction, so a sign-in never holds up the team's writes.
"""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa

from metasummary.accounts import passwords
from metasummary.accounts.roles import Role, parse_role
from metasummary.accounts.throttle import Throttle
from metasummary.errors import InputError, NotFoundError, SignInError
from metasummary.review import Review
from metasummary.store import accounts as store_accounts
from metasummary.store import catalog, events
from metasummary.store import meta as store_meta
from metasummary.store.accounts import AccountRow

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
SECRET_KEY = "session_secret"
WRONG = "wrong account name or password"


class Accounts:
    """Accounts of one review.

    Args:
        review: The review (its store holds the accounts).
        throttle: How many failed sign-ins are tolerated.
    """

    def __init__(self, review: Review, throttle: Throttle | None = None) -> None:
        self.review = review
        self.store = review.store
        self.throttle = throttle or Throttle()

    # -- reading ----------------------------------------------------------------------------

    def list(self) -> list[AccountRow]:
        with self.store.read() as conn:
            return store_accounts.list_accounts(conn)

    def get(self, name: str) -> AccountRow:
        """Raises:
        NotFoundError: No account is called ``name``.
        """
        with self.store.read() as conn:
            return _named(conn, name)

    def active(self) -> int:
        """How many accounts may sign in (a server needs one before it serves a team)."""
        with self.store.read() as conn:
            return store_accounts.active_count(conn)

    # -- changes ----------------------------------------------------------------------------

    def add(
        self,
        name: str,
        *,
        role: Role | str,
        reviewer: str = "",
        password: str = "",
        full_name: str = "",
        oidc_subject: str = "",
        actor: str = "",
    ) -> AccountRow:
        """Create an account.

        Args:
            role: owner, reviewer or observer.
            reviewer: The protocol reviewer it votes as (required for a reviewer, refused for
                an observer); at most one account per reviewer.
            password: Its password (or none, when it signs in only through OpenID Connect).
            oidc_subject: The ``sub`` its OpenID Connect provider gives this person.

        Raises:
            InputError: A bad or taken name, an unknown role or reviewer, a weak password, or
                no way to sign in at all.
        """
        if not NAME.fullmatch(name):
            raise InputError(
                f"account {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-', "
                "starting with a letter or digit"
            )
        chosen = parse_role(role)
        if chosen is Role.REVIEWER and not reviewer:
            raise InputError(f"account {name!r}: a reviewer account needs --reviewer (R1, R2 ...)")
        if chosen is Role.OBSERVER and reviewer:
            raise InputError(f"account {name!r}: an observer does not vote; leave out --reviewer")
        if not password and not oidc_subject:
            raise InputError(f"account {name!r}: give a password or an OpenID Connect subject")
        if password:
            passwords.check_strength(password, name)
        hashed = passwords.hash_password(password) if password else ""
        with self.store.write() as conn:
            if store_accounts.by_name(conn, name) is not None:
                raise InputError(f"account {name!r}: already exists")
            if oidc_subject and store_accounts.by_subject(conn, oidc_subject) is not None:
                raise InputError(f"OpenID Connect subject {oidc_subject!r}: another account has it")
            reviewer_id = _free_reviewer(conn, reviewer) if reviewer else None
            account_id = store_accounts.insert(
                conn,
                name=name,
                full_name=full_name,
                role=chosen.value,
                reviewer_id=reviewer_id,
                password_hash=hashed,
                oidc_subject=oidc_subject or None,
            )
            events.log(
                conn,
                "account.add",
                entity="account",
                entity_id=account_id,
                actor=self.review.acting(actor),
                payload={"name": name, "role": chosen.value, "reviewer": reviewer},
            )
            return _named(conn, name)

    def set_password(self, name: str, password: str, *, actor: str = "") -> AccountRow:
        """A new password; every session signed in before ends."""
        passwords.check_strength(password, name)
        hashed = passwords.hash_password(password)
        return self._change(
            name, "account.password", actor, {}, void_sessions=True, password_hash=hashed
        )

    def disable(self, name: str, *, actor: str = "") -> AccountRow:
        """The account can no longer sign in, and its sessions end. Its past writes stay."""
        return self._change(name, "account.disable", actor, {}, void_sessions=True, disabled=True)

    def enable(self, name: str, *, actor: str = "") -> AccountRow:
        return self._change(name, "account.enable", actor, {}, void_sessions=False, disabled=False)

    def _change(
        self,
        name: str,
        action: str,
        actor: str,
        payload: dict[str, object],
        *,
        void_sessions: bool,
        **values: object,
    ) -> AccountRow:
        with self.store.write() as conn:
            row = _named(conn, name)
            store_accounts.update(conn, row.id, void_sessions=void_sessions, **values)
            events.log(
                conn,
                action,
                entity="account",
                entity_id=row.id,
                actor=self.review.acting(actor),
                payload={"name": name, **payload},
            )
            return _named(conn, name)

    # -- signing in -------------------------------------------------------------------------

    def sign_in(self, name: str, password: str, *, address: str = "") -> AccountRow:
        """The account ``name`` when ``password`` is its password.

        Raises:
            TooManyAttempts: Too many recent failures for the name or the address.
            SignInError: A wrong name or password, or a disabled account.
        """
        with self.store.read() as conn:
            self.throttle.check(conn, name=name, address=address)
            row = store_accounts.by_name(conn, name)
        if row is None:
            passwords.spend_time(password)
            ok = False
        else:
            ok = passwords.verify(row.password_hash, password)
        with self.store.write() as conn:
            store_accounts.record_sign_in(
                conn, name=name, address=address, method="password", ok=ok
            )
            if ok and row is not None and passwords.needs_rehash(row.password_hash):
                store_accounts.update(
                    conn,
                    row.id,
                    void_sessions=False,
                    password_hash=passwords.hash_password(password),
                )
        if not ok or row is None:
            raise SignInError(WRONG)
        if row.disabled:
            raise SignInError(f"account {name!r} is disabled; ask the review's owner")
        return row

    def sign_in_subject(self, subject: str, *, address: str = "") -> AccountRow:
        """The account an OpenID Connect provider vouched for (``sub`` of its ID token).

        Raises:
            SignInError: No account has that subject, or it is disabled.
        """
        with self.store.write() as conn:
            row = store_accounts.by_subject(conn, subject)
            store_accounts.record_sign_in(
                conn,
                name=row.name if row else f"oidc:{subject}",
                address=address,
                method="oidc",
                ok=row is not None and not row.disabled,
            )
        if row is None:
            raise SignInError(
                f"no account here for the identity {subject!r}; ask the review's owner to run "
                f"metasummary user add NAME --oidc-subject {subject}"
            )
        if row.disabled:
            raise SignInError(f"account {row.name!r} is disabled; ask the review's owner")
        return row

    def session_account(self, account_id: int, generation: int) -> AccountRow | None:
        """The account a session was signed for, while that session may still act for it."""
        with self.store.read() as conn:
            row = store_accounts.by_id(conn, account_id)
        if row is None or row.disabled or row.generation != generation:
            return None
        return row

    def session_secret(self) -> bytes:
        """The key every worker signs sessions with, made once and kept in the database."""
        with self.store.read() as conn:
            kept = store_meta.get(conn, SECRET_KEY)
        if kept is None:
            with self.store.write() as conn:
                kept = store_meta.get(conn, SECRET_KEY)  # another worker may have made it
                if kept is None:
                    kept = secrets.token_hex(32)
                    store_meta.put(conn, SECRET_KEY, kept)
        return bytes.fromhex(kept)


def _named(conn: sa.Connection, name: str) -> AccountRow:
    row = store_accounts.by_name(conn, name)
    if row is None:
        known = ", ".join(a.name for a in store_accounts.list_accounts(conn)) or "none"
        raise NotFoundError(f"account {name!r}: no such account (accounts: {known})")
    return row


def _free_reviewer(conn: sa.Connection, code: str) -> int:
    listed = [r for r in catalog.list_reviewers(conn) if r.in_protocol]
    found = next((r for r in listed if r.code == code), None)
    if found is None:
        raise InputError(
            f"reviewer {code!r}: not in the protocol (reviewers: "
            f"{', '.join(r.code for r in listed) or 'none'}); add it under reviewers in "
            "protocol.yaml"
        )
    taken = store_accounts.bound_to(conn, found.id)
    if taken is not None:
        raise InputError(f"reviewer {code!r}: account {taken.name!r} already votes as {code}")
    return found.id
