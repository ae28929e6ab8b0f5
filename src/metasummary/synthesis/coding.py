"""Two coders sorting the same findings into the same themes, independently.

Each coder's sort is kept under their reviewer id (``assignments.coder``); the consensus sort
is ``''``. Agreement is measured on finding -> theme over the findings both coders sorted
(Cohen's kappa, percent agreement) and over all findings either sorted (Krippendorff's alpha,
which allows a missing rating), and again one layer up on finding -> stage. Findings where the
coders differ are listed to reconcile; those where they agree can be adopted into the
consensus sort in one undoable step.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from metasummary.agreement import Estimate, cohen_kappa, krippendorff_alpha, percent_agreement
from metasummary.errors import InputError
from metasummary.review import Review
from metasummary.store import findings as store_findings
from metasummary.store import themes as store_themes
from metasummary.store.catalog import list_stages
from metasummary.synthesis.changeset import Changeset
from metasummary.synthesis.sortsteps import Placement, log_change, place


@dataclass(frozen=True, slots=True)
class ThemeRef:
    id: int
    label: str
    stage: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    finding_id: int
    record_id: int
    text: str
    first: ThemeRef | None
    second: ThemeRef | None
    consensus: ThemeRef | None


@dataclass(slots=True)
class AgreementReport:
    first: str
    second: str
    findings: int
    both: int
    only_first: int
    only_second: int
    percent: Estimate
    kappa: Estimate
    alpha: Estimate
    stage_percent: Estimate
    stage_kappa: Estimate
    stage_alpha: Estimate
    disagreements: list[Disagreement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Coding:
    """Two-coder agreement on the card sort (``project.synthesis.coding``)."""

    def __init__(self, review: Review) -> None:
        self.review = review

    def coders(self) -> list[str]:
        """Coders with an independent sort (the consensus sort is not one)."""
        with self.review.store.read() as conn:
            return [c for c in store_themes.coders(conn) if c]

    def _pair(self, first: str | None, second: str | None) -> tuple[str, str]:
        if first and second:
            if first == second:
                raise InputError("agreement needs two different coders")
            return first, second
        found = self.coders()
        if len(found) != 2:
            listed = ", ".join(found) or "none yet"
            raise InputError(
                f"give the two coders to compare (coders with a sort: {listed}); "
                "e.g. --coders R1 R2"
            )
        return found[0], found[1]

    def agreement(self, first: str | None = None, second: str | None = None) -> AgreementReport:
        """Agreement between two coders' sorts, and the findings they differ on."""
        a, b = self._pair(first, second)
        with self.review.store.read() as conn:
            active = {f.id: f for f in store_findings.list_all(conn)}
            stages = {s.id: s.code for s in list_stages(conn)}
            themes = {
                t.id: ThemeRef(t.id, t.label, stages[t.stage_id])
                for t in store_themes.list_themes(conn)
            }
            sorts = {
                coder: {
                    x.finding_id: x.theme_id
                    for x in store_themes.list_assignments(conn, coder=coder)
                    if x.finding_id in active
                }
                for coder in (a, b, "")
            }
        first_sort, second_sort = sorts[a], sorts[b]
        both = sorted(set(first_sort) & set(second_sort))
        either = sorted(set(first_sort) | set(second_sort))
        pairs = [(first_sort[f], second_sort[f]) for f in both]
        stage_pairs = [(themes[x].stage, themes[y].stage) for x, y in pairs]
        units = [[s[f] for s in (first_sort, second_sort) if f in s] for f in either]
        stage_units = [[themes[t].stage for t in unit] for unit in units]
        report = AgreementReport(
            first=a,
            second=b,
            findings=len(active),
            both=len(both),
            only_first=len(set(first_sort) - set(second_sort)),
            only_second=len(set(second_sort) - set(first_sort)),
            percent=percent_agreement(pairs),
            kappa=cohen_kappa(pairs),
            alpha=krippendorff_alpha(units),
            stage_percent=percent_agreement(stage_pairs),
            stage_kappa=cohen_kappa(stage_pairs),
            stage_alpha=krippendorff_alpha(stage_units),
        )
        for fid in either:
            x, y = first_sort.get(fid), second_sort.get(fid)
            if x == y:
                continue
            consensus = sorts[""].get(fid)
            report.disagreements.append(
                Disagreement(
                    fid,
                    active[fid].record_id,
                    active[fid].text,
                    themes[x] if x is not None else None,
                    themes[y] if y is not None else None,
                    themes[consensus] if consensus is not None else None,
                )
            )
        return report

    def adopt_agreed(
        self, first: str | None = None, second: str | None = None, *, actor: str = ""
    ) -> list[Placement]:
        """Place each finding both coders put in the same theme there in the consensus sort.

        Findings the consensus sort already holds are left where they are.
        """
        a, b = self._pair(first, second)
        with self.review.store.write() as conn:
            active = {f.id for f in store_findings.list_all(conn)}
            live = {t.id for t in store_themes.list_themes(conn, active_only=True)}
            sort_a = {
                x.finding_id: x.theme_id for x in store_themes.list_assignments(conn, coder=a)
            }
            sort_b = {
                x.finding_id: x.theme_id for x in store_themes.list_assignments(conn, coder=b)
            }
            done = {x.finding_id for x in store_themes.list_assignments(conn, coder="")}
            agreed = sorted(
                f
                for f, t in sort_a.items()
                if sort_b.get(f) == t and f in active and t in live and f not in done
            )
            if not agreed:
                return []
            cs = Changeset(conn)
            for fid in agreed:
                place(conn, cs, fid, "", sort_a[fid])
            log_change(
                conn,
                cs,
                "adopt",
                f"adopted {len(agreed)} finding(s) {a} and {b} agree on into the consensus sort",
                actor,
                None,
            )
            return [Placement(fid, sort_a[fid], "", None) for fid in agreed]
