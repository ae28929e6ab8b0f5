"""Quality assessment: the protocol's checklist answered per paper by each reviewer.

A paper's score on a question is the mean of its reviewers' answer scores; its total is the
sum over the questions answered. With a ``threshold`` in the protocol, a paper whose total is
below it is left out of the meta-summary (an exclusion criterion); ``summary --min-quality``
asks the same of any score (a sensitivity analysis). Agreement per question is measured on
the answers of the reviewers who both answered, with the shared agreement kernel.
Answers are appended: a reviewer's latest answer stands, an empty one withdraws it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from metasummary.agreement import Estimate, cohen_kappa, krippendorff_alpha, paired
from metasummary.agreement import percent_agreement as percent
from metasummary.errors import InputError, NotFoundError
from metasummary.protocol import QualityChecklist
from metasummary.review import Review
from metasummary.screening.reviewers import unknown_reviewer
from metasummary.store import events
from metasummary.store import quality as store_quality
from metasummary.store import records as store_records
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups


def _estimate(e: Estimate) -> dict[str, object]:
    return {"value": e.value, "low": e.low, "high": e.high, "n": e.n, "note": e.note}


@dataclass(slots=True)
class PaperQuality:
    """One paper's answers and score."""

    record_id: int
    title: str
    answers: dict[str, dict[str, str]] = field(default_factory=dict)
    """question -> reviewer -> answer."""
    scores: dict[str, float] = field(default_factory=dict)
    """question -> mean score of the reviewers' answers."""
    questions: int = 0

    @property
    def score(self) -> float:
        return round(sum(self.scores.values()), 4)

    @property
    def complete(self) -> bool:
        return len(self.scores) == self.questions

    @property
    def reviewers(self) -> list[str]:
        return sorted({r for by in self.answers.values() for r in by})

    def to_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "title": self.title,
            "score": self.score,
            "complete": self.complete,
            "reviewers": self.reviewers,
            "answers": self.answers,
            "scores": self.scores,
        }


@dataclass(frozen=True, slots=True)
class QuestionAgreement:
    question: str
    text: str
    items: int
    percent: Estimate | None
    kappa: Estimate | None
    alpha: Estimate | None
    raters: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "text": self.text,
            "items": self.items,
            "raters": list(self.raters),
            "percent": _estimate(self.percent) if self.percent else None,
            "cohen_kappa": _estimate(self.kappa) if self.kappa else None,
            "krippendorff_alpha": _estimate(self.alpha) if self.alpha else None,
        }


class Quality:
    """The quality assessment of a review (``project.fulltexts.quality``)."""

    def __init__(self, review: Review) -> None:
        self.review = review

    @property
    def checklist(self) -> QualityChecklist:
        return self.review.protocol.quality

    def _require_checklist(self) -> QualityChecklist:
        checklist = self.checklist
        if not checklist.questions:
            raise InputError(
                "the protocol has no quality checklist; add 'quality: questions: [...]' to "
                "protocol.yaml (see the commented template)"
            )
        return checklist

    def answer(
        self,
        record_id: int,
        answers: Mapping[str, str],
        *,
        reviewer: str,
        note: str = "",
        actor: str = "",
    ) -> PaperQuality:
        """Record ``reviewer``'s answers (question id -> answer; '' withdraws one)."""
        rows = self.check_answers(record_id, answers, reviewer=reviewer, note=note)
        with self.review.store.write() as conn:
            store_quality.insert_many(conn, rows)
            events.log(
                conn,
                "quality.answer",
                entity="record",
                entity_id=rows[0]["record_id"] if rows else record_id,
                actor=actor or reviewer,
                payload={"reviewer": reviewer, "answers": dict(answers)},
            )
        return self.paper(record_id)

    def check_answers(
        self, record_id: int, answers: Mapping[str, str], *, reviewer: str, note: str = ""
    ) -> list[dict[str, Any]]:
        """The rows ``answers`` write, checked; :class:`InputError` names what is wrong."""
        checklist = self._require_checklist()
        known = [r.id for r in self.review.protocol.reviewers]
        if reviewer not in known:
            raise unknown_reviewer(reviewer, known)
        if not answers:
            raise InputError("give one or more answers: Q1=yes Q2=partly")
        with self.review.store.read() as conn:
            if store_records.get(conn, record_id) is None:
                raise NotFoundError(f"record {record_id}: no such record in this review")
            paper = DuplicateGroups(record_links(conn)).canonical(record_id)
        rows = []
        scale = ", ".join(a.answer for a in checklist.scale)
        for qid, given in answers.items():
            question = checklist.question(qid)
            if question is None:
                ids = ", ".join(q.id for q in checklist.questions)
                raise InputError(f"{qid!r} is not a question of the checklist ({ids})")
            text = given.strip()
            if text and checklist.score(text) is None:
                raise InputError(f"{question.id}: {given!r} is not on the answer scale ({scale})")
            canonical = next(
                (a.answer for a in checklist.scale if a.answer.casefold() == text.casefold()), ""
            )
            rows.append(
                {
                    "record_id": paper,
                    "question": question.id,
                    "reviewer": reviewer,
                    "answer": canonical,
                    "note": note,
                }
            )
        return rows

    def papers(self) -> list[PaperQuality]:
        """Every paper with an answer, by record id."""
        checklist = self.checklist
        with self.review.store.read() as conn:
            groups = DuplicateGroups(record_links(conn))
            standing = store_quality.standing(conn)
            found: dict[int, PaperQuality] = {}
            for (record_id, question, reviewer), row in standing.items():
                if checklist.question(question) is None:
                    continue  # a question the protocol no longer asks
                paper = groups.canonical(record_id)
                entry = found.setdefault(
                    paper, PaperQuality(paper, "", questions=len(checklist.questions))
                )
                entry.answers.setdefault(question, {})[reviewer] = row.answer
            titles = {r.id: r.data.title for r in store_records.get_many(conn, sorted(found))}
        for paper, entry in found.items():
            entry.title = titles.get(paper, "")
            for question, by in entry.answers.items():
                values = [checklist.score(a) for a in by.values()]
                scored = [v for v in values if v is not None]
                if scored:
                    entry.scores[question] = sum(scored) / len(scored)
        return [found[k] for k in sorted(found)]

    def paper(self, record_id: int) -> PaperQuality:
        with self.review.store.read() as conn:
            paper = DuplicateGroups(record_links(conn)).canonical(record_id)
        for entry in self.papers():
            if entry.record_id == paper:
                return entry
        return PaperQuality(paper, "", questions=len(self.checklist.questions))

    def below(self, minimum: float | None = None) -> set[int]:
        """Papers scoring below ``minimum`` (default: the protocol's threshold); none
        without either. Papers not assessed are not below anything."""
        limit = self.checklist.threshold if minimum is None else minimum
        if limit is None:
            return set()
        return {p.record_id for p in self.papers() if p.score < limit}

    def distribution(self) -> dict[float, int]:
        """How many papers have each total score."""
        counts: dict[float, int] = defaultdict(int)
        for paper in self.papers():
            counts[paper.score] += 1
        return dict(sorted(counts.items()))

    def agreement(self) -> list[QuestionAgreement]:
        """Per question: percent agreement and Cohen's kappa of the first two reviewers
        who both answered, Krippendorff's alpha over all."""
        papers = self.papers()
        result = []
        for question in self.checklist.questions:
            ratings: dict[Hashable, dict[Hashable, Hashable]] = {
                p.record_id: dict(p.answers[question.id].items())
                for p in papers
                if len(p.answers.get(question.id, {})) >= 2
            }
            raters = sorted({str(r) for by in ratings.values() for r in by})
            pairs = _first_pair(ratings, raters)
            result.append(
                QuestionAgreement(
                    question.id,
                    question.text,
                    len(ratings),
                    percent(pairs) if pairs else None,
                    cohen_kappa(pairs) if pairs else None,
                    krippendorff_alpha([list(by.values()) for by in ratings.values()])
                    if ratings
                    else None,
                    raters,
                )
            )
        return result


def _first_pair(
    ratings: Mapping[Hashable, Mapping[Hashable, Hashable]], raters: Iterable[str]
) -> list[tuple[Hashable, Hashable]]:
    for first, second in combinations(raters, 2):
        pairs = paired(ratings, first, second)
        if pairs:
            return pairs
    return []
