"""The one error family users see.

Every failure a user can cause (a wrong protocol, a broken file, an unknown reviewer) raises a
subclass of :class:`MetasummaryError` whose ``str()`` is the message to print: it names the
file, line or entry and says what to do. The CLI prints these as one line and exits 1; anything
else is a bug and shows a traceback only with ``--debug``.
"""

from __future__ import annotations

from collections.abc import Sequence


class MetasummaryError(Exception):
    """Base of every error that carries a user-facing message."""

    def __init__(self, message: str, *, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def lines(self) -> list[str]:
        """The lines to show a user: the problems when there are several, else the message."""
        return self.problems or [self.message]


class ProjectError(MetasummaryError):
    """The review folder or its database cannot be used as asked."""


class ProtocolError(MetasummaryError):
    """``protocol.yaml`` is missing, unreadable or invalid; one problem per line."""


class StoreError(MetasummaryError):
    """The database cannot be opened, migrated or written."""


class SchemaVersionError(StoreError):
    """The database was written by a newer metasummary than this one."""


class InputError(MetasummaryError):
    """A value given by the user (a code, a reviewer, a record id) is not valid."""


class ImportFileError(MetasummaryError):
    """An input file cannot be read; ``problems`` holds ``FILE:LINE: what`` lines."""


class NetworkError(MetasummaryError):
    """An online service failed in a way retrying did not mend."""


class MissingExtraError(MetasummaryError):
    """An optional feature needs an extra that is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(f"{feature} needs the '{extra}' extra: pip install 'metasummary[{extra}]'")
        self.extra = extra


class NotFoundError(InputError):
    """The thing asked for (a record, a theme) does not exist in this review."""


class SourceChoiceError(InputError):
    """A file names no library of the protocol, or several: say which source it goes to.

    ``choices`` lists the sources it may go to, so a face can ask (a CLI prompt, a web
    choice) instead of refusing.
    """

    def __init__(self, message: str, *, choices: Sequence[str]) -> None:
        super().__init__(message)
        self.choices = list(choices)


class SignInError(MetasummaryError):
    """Signing in failed: wrong name or password, a disabled account, an expired session."""


class AccessDenied(MetasummaryError):
    """The signed-in account's role (or its reviewer) does not allow what was asked."""


class TooManyAttempts(SignInError):
    """Too many failed sign-ins for a name or from an address; try again after a while."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
