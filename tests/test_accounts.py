"""Accounts in the core: roles, reviewer binding, argon2 passwords, sign-in and its limit, on
SQLite and PostgreSQL; and ``metasummary user`` on the command line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from metasummary import Project
from metasummary.accounts import Permission, Role, allows, passwords
from metasummary.accounts.throttle import Throttle
from metasummary.errors import InputError, NotFoundError, SignInError, TooManyAttempts
from metasummary.store import events
from metasummary.store.schema import accounts, sign_ins
from tests.clirunner import run
from tests.screening_helpers import screening_protocol

PASSWORD = "correct horse battery"


@pytest.fixture
def team(make_project: Callable[..., Project], db_url: str) -> Project:
    return make_project(screening_protocol(mode="dual"), db=db_url)


def test_roles_grant_what_the_issue_lists() -> None:
    assert allows(Role.OBSERVER, Permission.READ)
    assert not allows(Role.OBSERVER, Permission.SCREEN)
    reviewer = {p for p in Permission if allows(Role.REVIEWER, p)}
    assert reviewer == {"read", "screen", "extract", "quality", "sort"}
    assert not allows(Role.REVIEWER, Permission.RESOLVE)
    assert all(allows(Role.OWNER, p) for p in Permission)


def test_an_account_votes_as_one_protocol_reviewer(team: Project) -> None:
    rita = team.accounts.add("rita", role="reviewer", reviewer="R1", password=PASSWORD)
    assert (rita.role, rita.reviewer) == ("reviewer", "R1")
    with pytest.raises(InputError, match="'rita' already votes as R1"):
        team.accounts.add("rob", role="reviewer", reviewer="R1", password=PASSWORD)
    with pytest.raises(InputError, match="reviewer 'R9': not in the protocol"):
        team.accounts.add("rob", role="reviewer", reviewer="R9", password=PASSWORD)
    with pytest.raises(InputError, match="needs --reviewer"):
        team.accounts.add("rob", role="reviewer", password=PASSWORD)
    with pytest.raises(InputError, match="an observer does not vote"):
        team.accounts.add("otto", role="observer", reviewer="R2", password=PASSWORD)
    with pytest.raises(InputError, match="already exists"):
        team.accounts.add("rita", role="observer", password=PASSWORD)
    with pytest.raises(InputError, match="role 'admin': unknown"):
        team.accounts.add("ada", role="admin", password=PASSWORD)
    with pytest.raises(InputError, match="account 'a b'"):
        team.accounts.add("a b", role="observer", password=PASSWORD)
    assert [a.name for a in team.accounts.list()] == ["rita"]


def test_passwords_are_kept_only_as_argon2id_hashes(
    team: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher())  # the cost servers use
    team.accounts.add("olga", role="owner", password=PASSWORD)
    with team.store.read() as conn:
        stored = conn.execute(sa.select(accounts.c.password_hash)).scalar_one()
        logged = [e.payload for e in events.recent(conn, prefix="account.")]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored
    assert logged == [{"name": "olga", "role": "owner", "reviewer": ""}]
    with pytest.raises(InputError, match="at least 10 characters"):
        team.accounts.add("short", role="observer", password="abc")
    with pytest.raises(InputError, match="must not be the account name"):
        team.accounts.add("longername1", role="observer", password="LongerName1")


def test_sign_in_checks_the_password_and_the_account(team: Project) -> None:
    team.accounts.add("olga", role="owner", password=PASSWORD, actor="setup")
    assert team.accounts.sign_in("olga", PASSWORD, address="10.0.0.1").name == "olga"
    with pytest.raises(SignInError, match="wrong account name or password"):
        team.accounts.sign_in("olga", PASSWORD + "!", address="10.0.0.1")
    with pytest.raises(SignInError, match="wrong account name or password"):
        team.accounts.sign_in("nobody", PASSWORD, address="10.0.0.1")
    team.accounts.disable("olga", actor="setup")
    with pytest.raises(SignInError, match="is disabled"):
        team.accounts.sign_in("olga", PASSWORD, address="10.0.0.1")
    with team.store.read() as conn:
        tried = [(r.name, r.ok) for r in conn.execute(sa.select(sign_ins).order_by(sign_ins.c.id))]
        actors = {e.actor for e in events.recent(conn, prefix="account.")}
    assert tried == [("olga", True), ("olga", False), ("nobody", False), ("olga", True)]
    assert actors == {"setup"}


def test_a_new_password_or_disabling_ends_every_session(team: Project) -> None:
    olga = team.accounts.add("olga", role="owner", password=PASSWORD)
    assert team.accounts.session_account(olga.id, olga.generation) is not None
    team.accounts.set_password("olga", "another long passphrase")
    assert team.accounts.session_account(olga.id, olga.generation) is None
    with pytest.raises(SignInError):
        team.accounts.sign_in("olga", PASSWORD)
    fresh = team.accounts.sign_in("olga", "another long passphrase")
    assert team.accounts.session_account(fresh.id, fresh.generation) is not None
    team.accounts.disable("olga")
    assert team.accounts.session_account(fresh.id, fresh.generation) is None
    enabled = team.accounts.enable("olga")
    assert team.accounts.session_account(enabled.id, enabled.generation) is not None
    with pytest.raises(NotFoundError, match="accounts: olga"):
        team.accounts.disable("olgA")


def test_failed_sign_ins_are_limited_per_name_and_address(team: Project) -> None:
    team.accounts.add("olga", role="owner", password=PASSWORD)
    team.accounts.throttle = Throttle(per_name=3, per_address=5, window=timedelta(minutes=15))
    for _ in range(3):
        with pytest.raises(SignInError, match="wrong"):
            team.accounts.sign_in("olga", "guess guess guess", address="10.0.0.9")
    with pytest.raises(TooManyAttempts, match="try again in 15 minutes") as refused:
        team.accounts.sign_in("olga", PASSWORD, address="10.0.0.8")  # even the right one
    assert 14 * 60 < refused.value.retry_after <= 15 * 60 + 1
    for name in ("a1", "a2"):  # the address has 2 failures left, then it waits too
        with pytest.raises(SignInError, match="wrong"):
            team.accounts.sign_in(name, "guess guess guess", address="10.0.0.9")
    with pytest.raises(TooManyAttempts):
        team.accounts.sign_in("a3", "guess guess guess", address="10.0.0.9")
    with team.store.read() as conn:  # refused attempts are not counted again
        assert conn.execute(sa.select(sa.func.count()).select_from(sign_ins)).scalar_one() == 5
    team.accounts.throttle = Throttle(per_name=3, window=timedelta(seconds=0))
    assert team.accounts.sign_in("olga", PASSWORD, address="10.0.0.8").name == "olga"


def test_the_session_secret_is_made_once_and_kept(team: Project) -> None:
    first = team.accounts.session_secret()
    assert len(first) == 32
    assert team.accounts.session_secret() == first
    team.accounts.add("olga", role="owner", password=PASSWORD)
    before = team.data_version()
    team.accounts.sign_in("olga", PASSWORD, address="x")
    with pytest.raises(SignInError):
        team.accounts.sign_in("olga", "not the password", address="x")
    assert team.data_version() == before  # a sign-in voids no cached view


def test_oidc_subjects_sign_in_only_their_account(team: Project) -> None:
    team.accounts.add("orcid", role="observer", oidc_subject="0000-0002-1825-0097")
    assert team.accounts.sign_in_subject("0000-0002-1825-0097").name == "orcid"
    with pytest.raises(SignInError, match="--oidc-subject 0000-0001"):
        team.accounts.sign_in_subject("0000-0001-5109-3700")
    with pytest.raises(SignInError):  # no password: password sign-in always fails
        team.accounts.sign_in("orcid", "")
    with pytest.raises(InputError, match="another account has it"):
        team.accounts.add("twin", role="observer", oidc_subject="0000-0002-1825-0097")


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def review_dir(make_project: Callable[..., Project], tmp_path: Path) -> Path:
    make_project(screening_protocol(mode="dual"), name="cli")
    return tmp_path / "cli"


def test_user_commands(review_dir: Path) -> None:
    where = ["-p", str(review_dir)]
    added = run("user", "add", "rita", "--reviewer", "R1", "--password-stdin", "--by", "olga",
                *where, input=PASSWORD + "\n")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert added.stdout.strip() == "account rita: reviewer, votes as R1"
    weak = run("user", "add", "rob", "--reviewer", "R2", "--password-stdin", *where, input="x\n")
    assert weak.exit_code == 1
    assert weak.stderr == "error: password: give at least 10 characters\n"
    listed = run("user", "list", "--json", *where)
    (rita,) = __import__("json").loads(listed.stdout)
    assert (rita["name"], rita["role"], rita["reviewer"], rita["password"]) == (
        "rita", "reviewer", "R1", True
    )  # fmt: skip
    assert "argon2" not in listed.stdout
    assert run("user", "disable", "rita", *where).exit_code == 0
    assert "disabled" in run("user", "list", *where).stdout
    changed = run("user", "passwd", "rita", "--password-stdin", *where, input="new long one!\n")
    assert changed.exit_code == 0, changed.stderr
    missing = run("user", "passwd", "nobody", "--password-stdin", *where, input="new long one!\n")
    assert missing.exit_code == 1
    assert "no such account" in missing.stderr
    with Project.open(review_dir) as project, project.store.read() as conn:
        logged = [(e.action, e.actor) for e in events.recent(conn, prefix="account.")]
    assert logged[-1] == ("account.add", "olga")
    assert [a for a, _ in logged] == ["account.password", "account.disable", "account.add"]
