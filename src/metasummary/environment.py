"""The environment variables that say which review a command works on.

Kept apart from the project and the store so the command line can declare its options
without importing the database layer (``metasummary --help`` stays instant).
"""

PROJECT_ENV = "METASUMMARY_PROJECT"
"""The review folder (or database URL) when ``-p`` is not given."""

DB_ENV = "METASUMMARY_DB"
"""A database URL overriding the folder's ``review.db``."""

ACTOR_ENV = "METASUMMARY_BY"
"""Who makes the changes of a session when no command or page names anyone."""
