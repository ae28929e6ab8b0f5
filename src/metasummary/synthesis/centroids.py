"""Nearest-centroid theme ranking and near-duplicate detection over finding texts.

Each theme is the mean of the unit vectors of its findings, plus its own label and
description as one more member (so a theme with few findings, or none, can still be found).
A finding's theme scores are cosine similarities to those centroids. Vectors are TF-IDF
(word unigrams and bigrams, sublinear term frequency) by default, or sentence embeddings from
:mod:`metasummary.embeddings` (the ``semantic`` extra). Pure functions: the suggestion service
and ``benchmarks/suggest.py`` share them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

L = TypeVar("L", bound=Hashable)
Matrix = npt.NDArray[np.float64]


class Method(StrEnum):
    TFIDF = "tfidf"
    EMBEDDING = "embedding"


DUPLICATE_THRESHOLD = {Method.TFIDF: 0.8, Method.EMBEDDING: 0.9}


def vectorise(texts: Sequence[str], method: Method) -> Any:
    """Unit-length rows, one per text: a dense array, or a sparse matrix for TF-IDF."""
    if method is Method.EMBEDDING:
        from metasummary.embeddings import load_encoder

        return np.asarray(load_encoder().encode(list(texts)), dtype=np.float64)
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        sublinear_tf=True, ngram_range=(1, 2), strip_accents="unicode", stop_words="english"
    )
    try:
        return sparse.csr_matrix(vectoriser.fit_transform(texts))
    except ValueError:  # every text empty or only stop words: nothing to compare
        return sparse.csr_matrix((len(texts), 1))


def rank_themes(
    train_texts: Sequence[str],
    train_labels: Sequence[Sequence[L]],
    queries: Sequence[str],
    *,
    theme_texts: Mapping[L, str] | None = None,
    method: Method = Method.TFIDF,
    top: int = 3,
) -> list[list[tuple[L, float]]]:
    """For each query, the ``top`` themes with their scores, best first.

    Args:
        train_texts: Sorted findings.
        train_labels: The theme(s) of each sorted finding.
        queries: Texts to suggest themes for.
        theme_texts: Label (and description) of each theme; every theme listed here is a
            candidate, with or without sorted findings.
    """
    names = dict(theme_texts or {})
    themes: list[L] = list(dict.fromkeys([*names, *(t for ts in train_labels for t in ts)]))
    if not themes or not queries:
        return [[] for _ in queries]
    label_rows = [names.get(t, "") for t in themes]
    vectors = vectorise([*train_texts, *label_rows, *queries], method)
    n_train, n_themes = len(train_texts), len(themes)
    return rank_vectors(
        themes,
        vectors[:n_train],
        train_labels,
        vectors[n_train : n_train + n_themes],
        [bool(text.strip()) for text in label_rows],
        vectors[n_train + n_themes :],
        top=top,
    )


def rank_vectors(
    themes: Sequence[L],
    train: Any,
    train_labels: Sequence[Sequence[L]],
    labels: Any,
    has_label: Sequence[bool],
    queries: Any,
    *,
    top: int = 3,
) -> list[list[tuple[L, float]]]:
    """:func:`rank_themes` on vectors made already (rows of unit length, dense or sparse).

    ``labels`` holds one row per theme (its label text), used where ``has_label`` says so.
    """
    from scipy import sparse
    from sklearn.preprocessing import normalize

    n_train, n_themes = len(train_labels), len(themes)
    index = {t: i for i, t in enumerate(themes)}
    membership = np.zeros((n_themes, n_train + n_themes))
    for row, theme_list in enumerate(train_labels):
        for theme in theme_list:
            membership[index[theme], row] = 1.0
    for i, used in enumerate(has_label):
        if used:
            membership[i, n_train + i] = 1.0
    stacked = (
        sparse.vstack([train, labels]) if sparse.issparse(train) else np.vstack([train, labels])
    )
    centroids = normalize(sparse.csr_matrix(membership) @ stacked)
    scores = queries @ centroids.T
    dense: Matrix = scores.toarray() if sparse.issparse(scores) else np.asarray(scores)
    # Ties (a text sharing nothing with any theme scores 0 everywhere) go to bigger themes.
    size = membership[:, :n_train].sum(axis=1)
    out: list[list[tuple[L, float]]] = []
    for row in dense:
        order = sorted(range(n_themes), key=lambda i: (-row[i], -size[i], i))[:top]
        out.append([(themes[i], float(row[i])) for i in order])
    return out


def near_duplicates(
    texts: Sequence[str], *, method: Method = Method.TFIDF, threshold: float | None = None
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity) with i < j whose similarity reaches ``threshold``."""
    from scipy import sparse

    if len(texts) < 2:
        return []
    limit = DUPLICATE_THRESHOLD[method] if threshold is None else threshold
    vectors = vectorise(texts, method)
    pairs: list[tuple[int, int, float]] = []
    block = 512
    for start in range(0, len(texts), block):
        part = vectors[start : start + block] @ vectors.T
        dense: Matrix = part.toarray() if sparse.issparse(part) else np.asarray(part)
        rows, cols = np.nonzero(dense >= limit)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i = start + r
            if i < c:
                pairs.append((i, c, float(dense[r, c])))
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))
