"""Passwords, hashed with argon2id (argon2-cffi's recommended parameters) and checked.

Only the hash is kept: argon2id with a random salt and its parameters in the string, so
stronger parameters later still verify old hashes (and :func:`needs_rehash` says when to
store a new one at the next sign-in).
"""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from metasummary.errors import InputError

MIN_LENGTH = 10
HASHER = PasswordHasher()
"""argon2id at argon2-cffi's recommended cost (RFC 9106's second choice: 64 MiB, 3 passes)."""
# Checked when the name is unknown, so a wrong name costs the same time as a wrong password.
DUMMY = HASHER.hash("no account has this password")


def check_strength(password: str, name: str) -> None:
    """Refuse passwords anyone could guess first.

    Raises:
        InputError: Shorter than :data:`MIN_LENGTH` characters, or the account name itself.
    """
    if len(password) < MIN_LENGTH:
        raise InputError(f"password: give at least {MIN_LENGTH} characters")
    if password.strip().lower() == name.strip().lower():
        raise InputError("password: must not be the account name")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify(stored: str, password: str) -> bool:
    """Whether ``password`` matches ``stored``; an empty ``stored`` (no password) never does."""
    if not stored:
        spend_time(password)
        return False
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def spend_time(password: str) -> None:
    """As long as a real check, for a name with no account."""
    with contextlib.suppress(VerificationError):
        HASHER.verify(DUMMY, password)


def needs_rehash(stored: str) -> bool:
    return bool(stored) and HASHER.check_needs_rehash(stored)
