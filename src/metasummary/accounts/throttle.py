"""How many failed sign-ins are tolerated before a name or an address must wait.

The count lives in the database (``sign_ins``), so every worker of a server and every server
on the same review enforce one limit; a refused attempt is not counted again and costs no
password check, so waiting out the window always lets the right password in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from metasummary.errors import TooManyAttempts
from metasummary.store import accounts as store_accounts
from metasummary.store.clock import now


@dataclass(frozen=True, slots=True)
class Throttle:
    """At most ``per_name`` failures for one name and ``per_address`` from one address in
    ``window``."""

    per_name: int = 5
    per_address: int = 30
    window: timedelta = timedelta(minutes=15)

    def check(self, conn: sa.Connection, *, name: str, address: str) -> None:
        """Raises:
        TooManyAttempts: The name or the address used up its failures in the window.
        """
        since = now() - self.window
        by_name, by_address = store_accounts.failures_since(conn, since, name=name, address=address)
        if by_name < self.per_name and by_address < self.per_address:
            return
        last = store_accounts.last_failure(conn, name=name, address=address)
        wait = self.window if last is None else last + self.window - now()
        seconds = max(1, int(wait.total_seconds()) + 1)
        raise TooManyAttempts(
            f"too many failed sign-ins for {name!r} or from this address; try again in "
            f"{_minutes(seconds)}",
            retry_after=seconds,
        )


def _minutes(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"
