"""Small bibliographic records for the dedup tests, built in code."""

from __future__ import annotations

from typing import Any

from metasummary.models import RecordData

PAPER: dict[str, Any] = {
    "title": "Complement dysfunction in hemolytic uremic syndrome",
    "authors": ["Zipfel, P. F.", "Skerka, C.", "Licht, C."],
    "year": 2006,
    "venue": "Current Opinion in Rheumatology",
    "volume": "18",
    "issue": "5",
    "pages": "548-555",
    "type": "article",
}


def paper(**changes: Any) -> RecordData:
    """The same paper as exported by some library, with ``changes`` applied."""
    return RecordData(**{**PAPER, **changes})


def other(n: int, **changes: Any) -> RecordData:
    """A different paper each ``n``."""
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "zeta"]
    title = f"Distinct study {words[n % 8]} of {words[(n // 8) % 8]} in cohort {'x' * (n % 5)}"
    base = {
        "title": title,
        "authors": [f"Author{n}, A.", "Someone, B."],
        "year": 2000 + n % 20,
        "venue": "Journal of Things",
        "volume": str(n),
        "pages": f"{n * 10}-{n * 10 + 9}",
    }
    return RecordData(**{**base, **changes})
