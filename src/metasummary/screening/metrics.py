"""How well a screening order worked, given the true labels (for simulation and benchmarks).

* **records to r % recall**: records screened until ``ceil(r * inclusions)`` were found;
* **WSS@r** (work saved over sampling, Cohen et al. 2006): ``(N - n_r) / N - (1 - r)``, the
  share of records not screened at recall r, minus what random order would save;
* **RRF@p** (relevant records found): recall after screening ``ceil(p * N)`` records.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def records_to_recall(labels_in_order: Sequence[int], recall: float) -> int:
    """Records screened until ``recall`` of the inclusions were found (all of them if never)."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    total = int(y.sum())
    if total == 0:
        return 0
    needed = math.ceil(recall * total - 1e-9)
    found = np.cumsum(y)
    return int(np.searchsorted(found, needed)) + 1


def wss(labels_in_order: Sequence[int], recall: float) -> float:
    n = len(labels_in_order)
    return (n - records_to_recall(labels_in_order, recall)) / n - (1.0 - recall)


def rrf(labels_in_order: Sequence[int], share: float) -> float:
    y = np.asarray(labels_in_order, dtype=np.int64)
    total = int(y.sum())
    if total == 0:
        return 0.0
    return float(y[: math.ceil(share * len(y))].sum() / total)


@dataclass(frozen=True, slots=True)
class OrderMetrics:
    records: int
    inclusions: int
    wss95: float
    wss100: float
    rrf10: float
    to_recall95: int
    to_recall100: int

    @classmethod
    def of(cls, labels_in_order: Sequence[int]) -> OrderMetrics:
        return cls(
            records=len(labels_in_order),
            inclusions=int(sum(labels_in_order)),
            wss95=wss(labels_in_order, 0.95),
            wss100=wss(labels_in_order, 1.0),
            rrf10=rrf(labels_in_order, 0.10),
            to_recall95=records_to_recall(labels_in_order, 0.95),
            to_recall100=records_to_recall(labels_in_order, 1.0),
        )

    def to_dict(self) -> dict[str, float | int]:
        return {
            "records": self.records,
            "inclusions": self.inclusions,
            "wss@95": round(self.wss95, 4),
            "wss@100": round(self.wss100, 4),
            "rrf@10": round(self.rrf10, 4),
            "records_to_95_recall": self.to_recall95,
            "records_to_100_recall": self.to_recall100,
        }
