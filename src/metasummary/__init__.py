"""metasummary: a systematic literature review from protocol to qualitative meta-summary.

The public surface is re-exported here; modules below are implementation details.
"""

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
