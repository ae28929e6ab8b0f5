"""Features, the model, the prioritiser's schedule, stopping aids and the term highlighter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from metasummary import Phase, Project, embeddings
from metasummary.protocol import Query, QueryGroup
from metasummary.screening import countcache, models
from metasummary.screening import prioritiser as prioritiser_module
from metasummary.screening.countcache import CountCache
from metasummary.screening.features import tfidf, tfidf_from_texts
from metasummary.screening.highlight import query_pattern, spans
from metasummary.screening.labelled import read_labelled_csv
from metasummary.screening.models import SquaredHingeSvm, balanced_weights
from metasummary.screening.prioritiser import Prioritiser
from metasummary.screening.simulation import simulate
from metasummary.screening.stopping import inclusions_left, knee_advice
from tests.screening_helpers import TOPICS, screening_project

TEXTS = [
    "active learning for screening",
    "screening with active learning models",
    "protein folding",
    "bird migration routes",
    "soil bacteria",
    "active learning prioritisation",
]


def test_tfidf_rows_are_unit_length_and_squeezed() -> None:
    matrix = tfidf_from_texts(TEXTS)
    assert matrix.shape[0] == len(TEXTS)
    assert matrix.shape[1] < 100  # hashed space squeezed to the terms in use
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0)
    similarity = (matrix @ matrix.T).toarray()
    assert similarity[0, 1] > similarity[0, 2]


def same_row(a: object, b: object) -> bool:
    """Two one-row count matrices hold the same terms (columns never change meaning)."""
    return list(a.indices) == list(b.indices) and np.allclose(a.data, b.data)  # type: ignore[attr-defined]


def test_count_cache_hashes_only_new_or_changed_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    real = countcache.term_counts

    def counting(texts: list[str]) -> object:
        hashed.extend(texts)
        return real(texts)

    monkeypatch.setattr(countcache, "term_counts", counting)
    path = tmp_path / "counts.npz"
    first = CountCache(path).counts([1, 2, 3], TEXTS[:3])
    cache = CountCache(path)  # a new session reads the file
    again = cache.counts([3, 1, 2], [TEXTS[2], TEXTS[0], TEXTS[1]])
    assert same_row(again[1], first[0])
    assert hashed == TEXTS[:3]
    changed = cache.counts([1, 4], ["protein folding", TEXTS[3]])  # record 1's text changed
    assert same_row(changed[0], first[2])
    assert hashed == [*TEXTS[:3], "protein folding", TEXTS[3]]
    reread = CountCache(path).counts([4, 2], [TEXTS[3], TEXTS[1]])
    assert same_row(reread[0], changed[1])
    assert same_row(reread[1], first[1])
    assert hashed == [*TEXTS[:3], "protein folding", TEXTS[3]]
    unit = tfidf(reread).toarray()
    assert np.allclose((unit**2).sum(axis=1), 1.0)
    path.write_bytes(b"not a cache")
    assert CountCache(path).counts([1], [TEXTS[0]]).nnz > 0


def test_two_caches_saving_one_file_at_once_both_succeed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two reviewers' queues (or two workers) save the same cache file: the second saves in
    the middle of the first's save; neither fails, and the file is one whole save."""
    path = tmp_path / "counts.npz"
    first, second = CountCache(path), CountCache(path)
    savez = np.savez
    nested: list[bool] = []

    def interleaved(*args: Any, **kwargs: Any) -> None:
        savez(*args, **kwargs)
        if not nested:  # the first save has written; the second runs whole before it renames
            nested.append(True)
            second.counts([3], [TEXTS[2]])

    monkeypatch.setattr(np, "savez", interleaved)
    first.counts([1, 2], TEXTS[:2])
    assert nested == [True]
    monkeypatch.undo()
    assert sorted(path.parent.iterdir()) == [path]  # no temporary left behind
    reread = CountCache(path).counts([1, 2], TEXTS[:2])  # the first's save, renamed in last
    assert same_row(reread[0], first.counts([1], TEXTS[:1])[0])


def test_svm_ranks_the_topic_first_and_solves_its_primal() -> None:
    matrix = tfidf_from_texts(TEXTS)
    rows, labels = np.array([0, 2]), np.array([1, 0])
    scores = SquaredHingeSvm().scores(matrix, rows, labels)
    unlabelled = [1, 3, 4, 5]
    best = unlabelled[int(np.argmax(scores[unlabelled]))]
    assert best in (1, 5)  # they share the included record's topic
    # Both labelled records lie inside the margin, so the primal optimum solves
    # (X'CX + I) w = X'Cy with C = diag(2 c weights), a constant column for the intercept.
    x = np.hstack([matrix.toarray(), np.ones((len(TEXTS), 1))])
    c = 2 * 0.11 * balanced_weights(labels, 9.8)
    y = np.where(labels == 1, 1.0, -1.0)
    xl = x[rows]
    w = np.linalg.solve(xl.T @ (xl * c[:, None]) + np.eye(x.shape[1]), xl.T @ (c * y))
    assert np.allclose(scores, x @ w, atol=1e-6)


def test_prioritiser_schedule_ties_and_cold_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prioritiser_module, "RETRAIN_EVERY_UNTIL", 50)
    matrix = tfidf_from_texts(TEXTS * 20)
    prioritiser = Prioritiser(matrix, seed=3)
    empty = np.array([], dtype=np.int64)
    cold = prioritiser.order(empty, empty, np.arange(120))
    assert sorted(cold) == list(range(120))
    assert list(cold) != list(range(120))  # never the file order
    assert list(Prioritiser(matrix, seed=3).order(empty, empty, np.arange(120))) == list(cold)
    rows, labels = np.array([0, 2]), np.array([1, 0])
    prioritiser.scores(rows, labels)
    fits = prioritiser.fits
    prioritiser.scores(np.array([0, 2, 3]), np.array([1, 0, 0]))
    assert prioritiser.fits == fits + 1  # small labelled set: every decision retrains
    many = np.arange(100)
    many_labels = (many % 6 == 0).astype(np.int64)
    prioritiser.scores(many, many_labels)
    fits = prioritiser.fits
    prioritiser.scores(np.arange(101), np.append(many_labels, 0))
    assert prioritiser.fits == fits  # one more exclusion of 101: not yet
    prioritiser.scores(np.arange(101), np.append(many_labels, 1))
    assert prioritiser.fits == fits + 1  # an inclusion always retrains


def test_knee_rule_and_estimate() -> None:
    steep = [1] * 40 + [0] * 400
    advice = knee_advice(steep)
    assert advice.knee == 40
    assert advice.stop
    assert not knee_advice(steep[:100]).stop  # too few screened
    flat = [1, 0, 0, 0] * 60
    assert not knee_advice(flat).stop
    assert knee_advice([]).stop is False
    decaying = [int(i % (1 + i // 20) == 0) for i in range(300)]
    left = inclusions_left(decaying, 1000)
    assert left is not None
    assert 0 < left < sum(decaying)
    assert inclusions_left([0] * 50, 100) is None
    assert inclusions_left(flat, 100) == pytest.approx(25, rel=0.2)


def test_highlighter_matches_words_phrases_and_wildcards() -> None:
    query = Query(
        groups=[
            QueryGroup(name="A", terms=['"machine learning"', "learn*"]),
            QueryGroup(name="B", terms=["AI"]),
        ]
    )
    pattern = query_pattern(query)
    text = "Machine Learning and learners in AI, not MAIL or FAIR"
    assert [text[s:e] for s, e in spans(text, pattern)] == ["Machine Learning", "learners", "AI"]
    assert spans("anything", None) == []


def test_highlighter_marks_the_number_forms_query_test_matches() -> None:
    query = Query(groups=[QueryGroup(name="A", terms=["model", "case studies", "ML"])])
    pattern = query_pattern(query)
    text = "Models of a case study; an ML model, not modelling or MLs"
    assert [text[s:e] for s, e in spans(text, pattern)] == ["Models", "case study", "ML", "model"]


def test_queue_learns_only_from_what_the_reviewer_may_see(
    make_project: Callable[..., Project],
) -> None:
    project = screening_project(make_project, mode="dual")
    s = project.screening
    session = s.reviewer_queue(phase=Phase.TITLE_ABSTRACT, reviewer="R2")
    assert session.refresh().labelled == 0
    s.decide(1, phase="ta", reviewer="R1", verdict="include")
    s.decide(2, phase="ta", reviewer="R1", verdict="exclude", criteria=["E1"])
    queue = session.refresh()
    assert queue.labelled == 0
    assert {1, 2} <= set(queue.records)
    s.decide(1, phase="ta", reviewer="R2", verdict="include")
    queue = session.refresh()
    assert queue.labelled == 1  # R2's own vote; record 1 is now decided for both
    assert 1 not in queue.records
    assert queue.progress.included == 1


@pytest.mark.slow
def test_embeddings_rank_live_and_simulated(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    if not embeddings.available():
        pytest.skip("the semantic extra is not installed")
    project = screening_project(make_project)
    project.screening.decide(3, phase="ta", reviewer="R1", verdict="include")
    queue = project.screening.queue(phase="ta", reviewer="R1", features="embeddings")
    assert sorted(queue.records) == [1, 2, 4, 5, 6]
    data = tmp_path / "set.csv"
    rows = [f"{i},{t} {i},{a},{int(i % 6 in (0, 2, 4))}" for i, (t, a) in enumerate(TOPICS * 3)]
    data.write_text("record_id,title,abstract,label_included\n" + "\n".join(rows) + "\n")
    result = simulate(read_labelled_csv(data), seed=1, features="embeddings")
    assert result.features == "embeddings"
    assert len(result.order) == 18


def test_primal_solver_agrees_with_the_dual(monkeypatch: pytest.MonkeyPatch) -> None:
    matrix = tfidf_from_texts([f"{t} {i}" for i, t in enumerate(TEXTS * 10)])
    rows = np.arange(0, 60, 2)
    labels = np.array([int(r % 6 in (0, 1, 5)) for r in rows])
    dual = SquaredHingeSvm().scores(matrix, rows, labels)
    monkeypatch.setattr(models, "DUAL_LIMIT", 0)
    primal = SquaredHingeSvm().scores(matrix, rows, labels)
    assert np.allclose(dual, primal, atol=1e-6)
    hinge = SquaredHingeSvm(c=10.0, ratio=1.0)  # some records fall outside the margin
    monkeypatch.setattr(models, "DUAL_LIMIT", 10_000)
    dual = hinge.scores(matrix, rows, labels)
    monkeypatch.setattr(models, "DUAL_LIMIT", 0)
    assert np.allclose(
        dual, SquaredHingeSvm(c=10.0, ratio=1.0).scores(matrix, rows, labels), atol=1e-5
    )


def test_hashed_tfidf_equals_a_fitted_vocabulary(shared_data: Path) -> None:
    import csv

    from sklearn.feature_extraction.text import TfidfVectorizer

    path = shared_data / "screening" / "synergy_sep_2021" / "records_with_text.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [f"{r['title']}\n{r['abstract']}" for r in csv.DictReader(handle)]
    ours = tfidf_from_texts(texts)
    fitted = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, max_df=0.95).fit_transform(
        texts
    )
    # Columns differ in order only, and a rare hash collision merges two terms: inner products
    # between records are the same up to that.
    difference = np.abs((ours @ ours.T).toarray() - (fitted @ fitted.T).toarray())
    assert difference.max() < 0.01
    assert difference.mean() < 1e-5
