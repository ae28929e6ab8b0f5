"""Moving a review between databases and keeping it safe: ``migrate-db``, ``backup`` and
``restore``."""

from metasummary.keeping.backup import BackupResult, RestoreResult, back_up, restore
from metasummary.keeping.moving import MoveResult, move_database

__all__ = [
    "BackupResult",
    "MoveResult",
    "RestoreResult",
    "back_up",
    "move_database",
    "restore",
]
