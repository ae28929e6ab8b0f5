"""Text features for prioritisation: TF-IDF over word unigrams and bigrams.

Terms are hashed (no vocabulary to fit), so the counts of a record never change once
computed: a cache keeps them per record, new records are hashed on their own, and only the
cheap IDF weighting is redone over the whole set. Used by live screening and simulation
alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

N_FEATURES = 2**28
MAX_DF = 0.95
"""Terms in more than this share of records carry no signal and are dropped."""

Matrix: TypeAlias = Any
"""A ``scipy.sparse.csr_matrix`` (scipy ships no type information)."""


def record_text(title: str, abstract: str, keywords: Sequence[str] = ()) -> str:
    """The text a record is judged on at title-abstract screening."""
    parts = [title or "", abstract or "", " ".join(keywords)]
    return "\n".join(p for p in parts if p)


def text_digest(text: str) -> int:
    """A 64-bit fingerprint of a text: a changed title or abstract is hashed again."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def _vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        ngram_range=(1, 2),
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )


def term_counts(texts: Sequence[str]) -> Matrix:
    """Raw hashed term counts, one row per text."""
    counts: Matrix = _vectorizer().transform(list(texts)).tocsr()
    counts.sort_indices()
    return counts


def tfidf(counts: Matrix) -> Matrix:
    """Sublinear TF-IDF with unit-length rows, columns squeezed to the terms that occur.

    Squeezing the hashed space to the terms in use keeps the linear models fast; the result
    is what a fitted vocabulary would give (smooth IDF, terms in more than ``MAX_DF`` of the
    records dropped).
    """
    counts = counts.tocsr()
    counts.sort_indices()
    n_rows = counts.shape[0]
    used = np.unique(counts.indices)
    columns = np.searchsorted(used, counts.indices).astype(np.int32)
    df = np.bincount(columns, minlength=len(used)).astype(np.float64)
    idf = np.log((1.0 + n_rows) / (1.0 + df)) + 1.0
    if n_rows >= 20:  # with very few records every term looks common
        idf[df > MAX_DF * n_rows] = 0.0
    data = (1.0 + np.log(counts.data.astype(np.float64))) * idf[columns]
    lengths = np.diff(counts.indptr)
    row_of = np.repeat(np.arange(n_rows), lengths)
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n_rows))
    norms[norms == 0] = 1.0
    data /= np.repeat(norms, lengths)
    weighted: Matrix = sparse.csr_matrix(
        (data, columns, counts.indptr.copy()), shape=(n_rows, len(used))
    )
    weighted.eliminate_zeros()
    return weighted


def tfidf_from_texts(texts: Sequence[str]) -> Matrix:
    return tfidf(term_counts(texts))


class CountCache:
    """Hashed term counts kept per record in one ``.npz`` file, keyed by id and text digest.

    Args:
        path: The cache file; ``None`` keeps the counts in memory only.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._rows: dict[int, tuple[int, int]] = {}
        self._counts: Matrix = sparse.csr_matrix((0, N_FEATURES), dtype=np.float32)
        if path is not None and path.exists():
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                ids = data["ids"]
                rows = {
                    int(i): (int(d), row)
                    for row, (i, d) in enumerate(zip(ids, data["digests"], strict=True))
                }
                counts = sparse.csr_matrix(
                    (data["data"], data["indices"], data["indptr"]),
                    shape=(len(ids), N_FEATURES),
                )
        except (OSError, ValueError, KeyError, TypeError):
            return  # a damaged or outdated cache is rebuilt
        self._counts, self._rows = counts, rows

    def counts(self, ids: Sequence[int], texts: Sequence[str]) -> Matrix:
        """Counts for ``ids`` (rows in that order), hashing only new or changed texts."""
        digests = [text_digest(t) for t in texts]
        missing = [
            k
            for k, (i, d) in enumerate(zip(ids, digests, strict=True))
            if self._rows.get(i, (-1, -1))[0] != d
        ]
        if missing:
            fresh = term_counts([texts[k] for k in missing])
            start = self._counts.shape[0]
            self._counts = sparse.csr_matrix(sparse.vstack([self._counts, fresh], format="csr"))
            for offset, k in enumerate(missing):
                self._rows[ids[k]] = (digests[k], start + offset)
            self._save()
        rows = np.fromiter((self._rows[i][1] for i in ids), dtype=np.int64, count=len(ids))
        picked: Matrix = self._counts[rows]
        return picked

    def _save(self) -> None:
        if self.path is None:
            return
        ids = np.fromiter(self._rows, dtype=np.int64, count=len(self._rows))
        order = np.argsort([self._rows[int(i)][1] for i in ids], kind="stable")
        ids = ids[order]
        counts = self._counts[np.array([self._rows[int(i)][1] for i in ids], dtype=np.int64)]
        digests = np.array([self._rows[int(i)][0] for i in ids], dtype=np.uint64)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(
            tmp,
            ids=ids,
            digests=digests,
            data=counts.data,
            indices=counts.indices,
            indptr=counts.indptr,
        )
        tmp.replace(self.path)
        self._counts = sparse.csr_matrix(counts)
        self._rows = {
            int(i): (int(d), row) for row, (i, d) in enumerate(zip(ids, digests, strict=True))
        }
