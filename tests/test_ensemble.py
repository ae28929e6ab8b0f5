"""The TF-IDF + embedding ensemble, its stacking weights, the embedding cache, the fallback."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from metasummary import embeddings
from metasummary.screening import vectors
from metasummary.screening.embeddingcache import EmbeddingCache
from metasummary.screening.ensemble import (
    MIN_STACKED,
    StackedEnsemble,
    TextViews,
    centred,
    stacking_weights,
)
from metasummary.screening.features import tfidf_from_texts
from metasummary.screening.labelled import read_labelled_csv
from metasummary.screening.simulation import simulate
from tests.clirunner import run
from tests.test_simulate import write_set


def test_stacking_weighs_the_view_that_separated_the_labels() -> None:
    rng = np.random.default_rng(0)
    labels = (rng.random(200) < 0.2).astype(np.int64)
    telling = labels * 2.0 + rng.normal(0, 1, 200)
    noise = rng.normal(0, 1, 200)
    weights = stacking_weights(np.column_stack([telling, noise]), labels)
    assert weights[0] > 0.5
    assert abs(weights[1]) < 0.3 * weights[0]


def test_centred_embeddings_are_unit_length_without_their_common_direction() -> None:
    rng = np.random.default_rng(1)
    common = np.ones(8)
    raw = common + 0.1 * rng.normal(size=(20, 8))
    raw /= np.linalg.norm(raw, axis=1, keepdims=True)
    assert (raw @ raw.T).min() > 0.9  # all alike before
    unit = centred(raw)
    assert np.allclose(np.linalg.norm(unit, axis=1), 1.0)
    assert (unit @ unit.T).min() < 0.0


def fake_views(n: int = 60) -> tuple[TextViews, npt.NDArray[np.int64]]:
    """Records 0, 6, 12, ... are the topic; the embeddings see it, the words less so."""
    labels = np.array([int(i % 6 == 0) for i in range(n)])
    words = [f"topic words {i}" if y else f"other text {i % 5}" for i, y in enumerate(labels)]
    rng = np.random.default_rng(2)
    meaning = rng.normal(size=(n, 16))
    meaning[labels == 1, 0] += 4.0
    return TextViews(tfidf_from_texts(words), centred(meaning)), labels


def test_ensemble_keeps_prequential_scores_and_stacks_them() -> None:
    views, labels = fake_views()
    model = StackedEnsemble()
    rows = np.array([0, 1])
    first = model.scores(views, rows, labels[rows])
    assert first.shape == (60,)
    assert list(model.weights) == [0.5, 0.5]  # too few labels to stack yet
    order = [int(r) for r in np.argsort(-first) if r not in (0, 1)]
    assert labels[order[:5]].sum() >= 4  # both views find the topic
    rows = np.arange(MIN_STACKED + 20)
    model.scores(views, rows, labels[rows])
    model.scores(views, np.arange(MIN_STACKED + 21), labels[: MIN_STACKED + 21])
    assert model.weights.sum() == pytest.approx(1.0)
    assert (model.weights >= 0).all()


def test_embedding_cache_encodes_each_text_once(tmp_path: Path) -> None:
    encoded: list[str] = []

    def encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        encoded.extend(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    path = tmp_path / "embeddings.npz"
    first = EmbeddingCache(path, "model A", encode).vectors(["a", "bb", "a"])
    assert encoded == ["a", "bb"]
    assert first.tolist() == [[1, 1], [2, 1], [1, 1]]
    again = EmbeddingCache(path, "model A", encode)
    assert again.vectors(["bb", "ccc"]).tolist() == [[2, 1], [3, 1]]
    assert encoded == ["a", "bb", "ccc"]
    assert again.encoded == 1
    EmbeddingCache(path, "model B", encode).vectors(["a"])  # another model: encoded anew
    assert encoded == ["a", "bb", "ccc", "a"]
    path.write_bytes(b"damaged")
    assert EmbeddingCache(path, "model A", encode).vectors(["a"]).shape == (1, 2)


def test_without_the_semantic_extra_auto_falls_back_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings, "available", lambda: False)
    assert vectors.resolve("auto") == "tfidf"
    data = write_set(tmp_path / "set.csv")
    result = run("simulate", str(data), "--out", str(tmp_path / "order.csv"))
    assert result.exit_code == 0, result.stderr
    assert "install the 'semantic' extra" in result.stdout
    assert "features tfidf" in result.stdout
    report = run("simulate", str(data), "--out", str(tmp_path / "o.csv"), "--json")
    assert json.loads(report.stdout)["features"] == "tfidf"


@pytest.mark.slow
def test_the_default_ranks_with_the_ensemble_and_caches_embeddings(tmp_path: Path) -> None:
    if not embeddings.available():
        pytest.skip("the semantic extra is not installed")
    assert vectors.resolve("auto") == "ensemble"
    data = read_labelled_csv(write_set(tmp_path / "set.csv"))
    cache = tmp_path / "embeddings.npz"
    result = simulate(data, seed=5, cache=cache)
    assert result.features == "ensemble"
    assert result.metrics.to_recall100 <= 10
    assert cache.exists()
    assert simulate(data, seed=5, cache=cache).order == result.order
