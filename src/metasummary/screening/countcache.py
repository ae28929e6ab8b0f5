"""Hashed term counts kept per record between screening sessions.

One ``.npz`` file beside the protocol holds, for every record seen, a 64-bit digest of its
text and its term counts. Columns are numbered in the order terms were first seen and never
change, so a new record only adds rows (and perhaps columns): opening a session on an
unchanged review of 100,000 records reads the file instead of hashing every text again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

from metasummary.outputs.staging import staged_file
from metasummary.screening.features import Matrix, term_counts, text_digest


class CountCache:
    """Term counts per record id, in an append-only column space of hashed terms.

    Args:
        path: The cache file; ``None`` keeps the counts in memory only.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._rows: dict[int, tuple[int, int]] = {}  # id -> (text digest, row)
        self._terms = np.zeros(0, dtype=np.int64)  # column -> hashed term
        self._counts: Matrix = sparse.csr_matrix((0, 0), dtype=np.float32)
        self._sorted_terms = np.zeros(0, dtype=np.int64)
        self._sorted_columns = np.zeros(0, dtype=np.int64)
        if path is not None and path.exists():
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                ids, digests, terms = data["ids"], data["digests"], data["terms"]
                rows = {
                    int(i): (int(d), row)
                    for row, (i, d) in enumerate(zip(ids, digests, strict=True))
                }
                counts = sparse.csr_matrix(
                    (data["data"], data["indices"], data["indptr"]),
                    shape=(len(ids), len(terms)),
                )
        except (OSError, ValueError, KeyError, TypeError):
            return  # a damaged or outdated cache is rebuilt
        self._rows, self._terms, self._counts = rows, terms.astype(np.int64), counts
        self._index_terms()

    def _index_terms(self) -> None:
        self._sorted_columns = np.argsort(self._terms, kind="stable")
        self._sorted_terms = self._terms[self._sorted_columns]

    def _columns_of(self, hashed: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
        """Columns of hashed terms, adding the terms not seen before."""
        fresh = np.unique(hashed)
        found = np.searchsorted(self._sorted_terms, fresh)
        known = found < len(self._sorted_terms)
        known[known] = self._sorted_terms[found[known]] == fresh[known]
        if not known.all():
            self._terms = np.concatenate([self._terms, fresh[~known]])
            self._index_terms()
        position = np.searchsorted(self._sorted_terms, hashed)
        return self._sorted_columns[position].astype(np.int32)

    def counts(self, ids: Sequence[int], texts: Sequence[str]) -> Matrix:
        """Counts for ``ids`` (rows in that order), hashing only new or changed texts."""
        digests = [text_digest(t) for t in texts]
        missing = [
            k
            for k, (i, d) in enumerate(zip(ids, digests, strict=True))
            if self._rows.get(i, (-1, -1))[0] != d
        ]
        if missing:
            hashed = term_counts([texts[k] for k in missing])
            columns = self._columns_of(hashed.indices.astype(np.int64))
            width = len(self._terms)
            fresh = sparse.csr_matrix(
                (hashed.data, columns, hashed.indptr), shape=(len(missing), width)
            )
            fresh.sort_indices()
            old = self._counts
            old = sparse.csr_matrix(
                (old.data, old.indices, old.indptr), shape=(old.shape[0], width)
            )
            start = old.shape[0]
            self._counts = sparse.csr_matrix(sparse.vstack([old, fresh], format="csr"))
            for offset, k in enumerate(missing):
                self._rows[ids[k]] = (digests[k], start + offset)
            self._save()
        rows = np.fromiter((self._rows[i][1] for i in ids), dtype=np.int64, count=len(ids))
        picked: Matrix = self._counts[rows]
        return picked

    def _save(self) -> None:
        """Write the rows still in use (a changed text leaves its old row behind)."""
        if self.path is None:
            return
        ids = np.fromiter(self._rows, dtype=np.int64, count=len(self._rows))
        rows = np.array([self._rows[int(i)][1] for i in ids], dtype=np.int64)
        order = np.argsort(rows, kind="stable")
        ids, rows = ids[order], rows[order]
        counts = sparse.csr_matrix(self._counts[rows])
        digests = np.array([self._rows[int(i)][0] for i in ids], dtype=np.uint64)
        # Several queues save the same file at once (each reviewer's, in every worker of a
        # team's server): each writes a temporary of its own and renames it in, so the file
        # is always one whole save (the last), never a mix or a rename of a vanished file.
        with staged_file(self.path) as tmp, tmp.open("wb") as handle:
            np.savez(
                handle,
                ids=ids,
                digests=digests,
                terms=self._terms,
                data=counts.data,
                indices=counts.indices,
                indptr=counts.indptr,
            )
        self._counts = counts
        self._rows = {
            int(i): (int(d), row) for row, (i, d) in enumerate(zip(ids, digests, strict=True))
        }
