"""The feature kinds a review can rank with, and the scoring model each one uses.

* ``ensemble``: TF-IDF and sentence embeddings, one SVM each, weighted by stacking
  (:mod:`~metasummary.screening.ensemble`); needs the ``semantic`` extra.
* ``tfidf``: the TF-IDF SVM alone (needs nothing more).
* ``embeddings``: the SVM over sentence embeddings alone (``semantic`` extra).
* ``auto`` (the default): ``ensemble`` when the ``semantic`` extra is installed, else
  ``tfidf``; :func:`resolve` says which, so the caller can tell the user.

Embeddings come from all-MiniLM-L6-v2, loaded offline by :mod:`metasummary.embeddings`, and
are kept per text in an :class:`~metasummary.screening.embeddingcache.EmbeddingCache` when a
cache file is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from metasummary.screening.embeddingcache import EmbeddingCache
from metasummary.screening.ensemble import StackedEnsemble, TextViews, centred
from metasummary.screening.features import record_text, tfidf_from_texts
from metasummary.screening.models import Model, SquaredHingeSvm

FEATURE_KINDS = ("auto", "ensemble", "tfidf", "embeddings")


def resolve(kind: str) -> str:
    """The kind ``auto`` stands for on this installation; other kinds unchanged."""
    if kind != "auto":
        return kind
    from metasummary import embeddings

    return "ensemble" if embeddings.available() else "tfidf"


def texts_of(titles: Sequence[str], abstracts: Sequence[str]) -> list[str]:
    return [record_text(t, a) for t, a in zip(titles, abstracts, strict=True)]


def embed(texts: Sequence[str], cache: Path | None = None) -> Any:
    """Unit-length sentence embeddings, one row per text (needs the ``semantic`` extra)."""
    from metasummary.embeddings import MODEL_NAME, load_encoder

    def encode(missing: Sequence[str]) -> Any:
        return load_encoder().encode(missing)  # the model loads only when a text is new

    store = EmbeddingCache(cache, MODEL_NAME, encode)
    return np.asarray(store.vectors(texts), dtype=np.float64)


def features_for(
    kind: str, titles: Sequence[str], abstracts: Sequence[str], *, cache: Path | None = None
) -> Any:
    """The features of ``kind`` (resolved) for the records given by title and abstract."""
    kind = resolve(kind)
    texts = texts_of(titles, abstracts)
    if kind == "embeddings":
        return embed(texts, cache)
    if kind == "ensemble":
        return TextViews(tfidf_from_texts(texts), centred(embed(texts, cache)))
    return tfidf_from_texts(texts)


def model_for(kind: str) -> Model:
    """The scoring model for features of ``kind`` (resolved)."""
    return StackedEnsemble() if resolve(kind) == "ensemble" else SquaredHingeSvm()
