"""metasummary: a systematic literature review from protocol to qualitative meta-summary.

The public surface is re-exported here; modules below are implementation details. The names
load on first use (PEP 562), so ``import metasummary`` (and every CLI command, which imports
the package first) does not pay for the database layer, the query parser and the readers
before it needs them.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from metasummary.errors import (
        ImportFileError,
        InputError,
        MetasummaryError,
        NetworkError,
        ProjectError,
        ProtocolError,
        SchemaVersionError,
        StoreError,
    )
    from metasummary.models import Phase, RecordData, RecordState, SourceKind, Verdict
    from metasummary.project import Project
    from metasummary.protocol import Protocol, load_protocol, parse_protocol
    from metasummary.screening.status import ProjectStatus

__version__ = "0.1.0"

_HOMES = {
    "metasummary.errors": (
        "ImportFileError",
        "InputError",
        "MetasummaryError",
        "NetworkError",
        "ProjectError",
        "ProtocolError",
        "SchemaVersionError",
        "StoreError",
    ),
    "metasummary.models": ("Phase", "RecordData", "RecordState", "SourceKind", "Verdict"),
    "metasummary.project": ("Project",),
    "metasummary.protocol": ("Protocol", "load_protocol", "parse_protocol"),
    "metasummary.screening.status": ("ProjectStatus",),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "ImportFileError",
    "InputError",
    "MetasummaryError",
    "NetworkError",
    "Phase",
    "Project",
    "ProjectError",
    "ProjectStatus",
    "Protocol",
    "ProtocolError",
    "RecordData",
    "RecordState",
    "SchemaVersionError",
    "SourceKind",
    "StoreError",
    "Verdict",
    "__version__",
    "load_protocol",
    "parse_protocol",
]


def __getattr__(name: str) -> _typing.Any:
    home = _HOME_OF.get(name)
    if home is None:
        raise AttributeError(f"module 'metasummary' has no attribute {name!r}")
    value = getattr(_importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
