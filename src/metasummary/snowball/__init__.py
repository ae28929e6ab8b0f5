"""Snowballing: backward and forward citations of the included papers, back into screening.

Each round is a source of kind ``snowball``; every candidate keeps the seeds and directions
that led to it (``snowball_origins``); answers from OpenAlex and GROBID are kept in the
review's cache, so a round resumes after an interruption and replays offline.
"""

from metasummary.snowball.model import Direction, RoundSettings, Via
from metasummary.snowball.rounds import RoundSummary, SnowballState
from metasummary.snowball.service import ReplayReport, RoundResult, Snowball

__all__ = [
    "Direction",
    "ReplayReport",
    "RoundResult",
    "RoundSettings",
    "RoundSummary",
    "Snowball",
    "SnowballState",
    "Via",
]
