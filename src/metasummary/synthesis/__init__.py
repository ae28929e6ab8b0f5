"""The synthesis step: included papers, extraction, findings, the card sort, two-coder
agreement, theme suggestions, the codebook and the meta-summary.

Reach it through ``project.synthesis`` (a :class:`Synthesis`); :mod:`.service` says which
module holds each part.
"""

from metasummary.synthesis.service import Synthesis

__all__ = ["Synthesis"]
