"""The two feature kinds a review can rank with: TF-IDF (default) or sentence embeddings.

Embeddings need the ``semantic`` extra (all-MiniLM-L6-v2, loaded offline by
:mod:`metasummary.embeddings`); the scoring models take either kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from metasummary.screening.features import record_text, tfidf_from_texts

FEATURE_KINDS = ("tfidf", "embeddings")


def texts_of(titles: Sequence[str], abstracts: Sequence[str]) -> list[str]:
    return [record_text(t, a) for t, a in zip(titles, abstracts, strict=True)]


def embed(texts: Sequence[str]) -> Any:
    """Unit-length sentence embeddings, one row per text (needs the ``semantic`` extra)."""
    from metasummary.embeddings import load_encoder

    return np.asarray(load_encoder().encode(list(texts)), dtype=np.float64)


def features_for(kind: str, titles: Sequence[str], abstracts: Sequence[str]) -> Any:
    """The feature matrix of ``kind`` for the records given by title and abstract."""
    texts = texts_of(titles, abstracts)
    if kind == "embeddings":
        return embed(texts)
    return tfidf_from_texts(texts)
