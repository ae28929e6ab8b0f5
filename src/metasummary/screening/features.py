"""Text features for prioritisation: TF-IDF over word unigrams and bigrams.

Terms are hashed into 2**28 buckets (no vocabulary to fit, and collisions are rare), so the
counts of a record never change once computed: :mod:`~metasummary.screening.countcache`
keeps them per record and only the cheap IDF weighting is redone over the whole set. The
same features serve live screening and simulation; they equal what scikit-learn's
``TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, max_df=0.95)`` gives (tested).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
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


def squeeze(counts: Matrix) -> Matrix:
    """Hashed counts with their columns renumbered to the terms that occur (in hash order)."""
    counts = counts.tocsr()
    counts.sort_indices()
    used = np.unique(counts.indices)
    columns = np.searchsorted(used, counts.indices).astype(np.int32)
    squeezed: Matrix = sparse.csr_matrix(
        (counts.data, columns, counts.indptr.copy()), shape=(counts.shape[0], len(used))
    )
    return squeezed


def tfidf(counts: Matrix) -> Matrix:
    """Sublinear TF-IDF with unit-length rows over counts in a compact column space.

    IDF is smooth, computed over the rows given; terms in more than ``MAX_DF`` of them are
    dropped.
    """
    counts = counts.tocsr()
    n_rows, n_columns = counts.shape
    df = np.bincount(counts.indices, minlength=n_columns).astype(np.float64)
    idf = np.log((1.0 + n_rows) / (1.0 + df)) + 1.0
    if n_rows >= 20:  # with very few records every term looks common
        idf[df > MAX_DF * n_rows] = 0.0
    data = (1.0 + np.log(counts.data.astype(np.float64))) * idf[counts.indices]
    lengths = np.diff(counts.indptr)
    row_of = np.repeat(np.arange(n_rows), lengths)
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n_rows))
    norms[norms == 0] = 1.0
    data /= np.repeat(norms, lengths)
    weighted: Matrix = sparse.csr_matrix(
        (data, counts.indices.copy(), counts.indptr.copy()), shape=(n_rows, n_columns)
    )
    weighted.eliminate_zeros()
    return weighted


def tfidf_from_texts(texts: Sequence[str]) -> Matrix:
    return tfidf(squeeze(term_counts(texts)))
