"""The one place the store reads the time, so tests and reproducible runs can fix it."""

from __future__ import annotations

import os
from datetime import UTC, datetime

FIXED_TIME_ENV = "METASUMMARY_FIXED_TIME"


def now() -> datetime:
    """Current UTC time, or ``$METASUMMARY_FIXED_TIME`` (ISO 8601) when set."""
    fixed = os.environ.get(FIXED_TIME_ENV)
    if fixed:
        value = datetime.fromisoformat(fixed)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.now(UTC)
