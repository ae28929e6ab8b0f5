"""The synthesis step: included papers, extraction, findings, the card sort, two-coder
agreement, theme suggestions, the codebook and the meta-summary.

Reach it through ``project.synthesis`` (a :class:`Synthesis`); :mod:`.service` says which
module holds each part. ``Synthesis`` loads on first use, so reading one module of the
package (the event names in :mod:`.events`) does not load the rest.
"""

from __future__ import annotations

import typing as _typing

if _typing.TYPE_CHECKING:
    from metasummary.synthesis.service import Synthesis

__all__ = ["Synthesis"]


def __getattr__(name: str) -> _typing.Any:
    if name != "Synthesis":
        raise AttributeError(f"module 'metasummary.synthesis' has no attribute {name!r}")
    from metasummary.synthesis.service import Synthesis

    return Synthesis
