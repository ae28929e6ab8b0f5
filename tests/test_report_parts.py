"""The report's small parts: references, settling codes, escaping, inline SVG ids, grouped
findings and citations, the number style."""

from __future__ import annotations

from datetime import UTC, datetime

from metasummary import RecordData, numbers
from metasummary.agreement import Estimate
from metasummary.report import latex, markdown
from metasummary.report.charts import bar_chart, inline_svg
from metasummary.report.content import FindingItem, group_findings, normalise_finding
from metasummary.report.prisma import settling_codes
from metasummary.report.references import Reference, build_references, full_reference
from metasummary.report.service import check_formats
from metasummary.report.text import cited
from metasummary.screening.state import GroupVotes
from metasummary.store.counts import DecisionRow
from metasummary.store.records import StoredRecord


def stored(record_id: int, **values: object) -> StoredRecord:
    return StoredRecord(
        record_id, 1, None, None, "", datetime(2020, 1, 1, tzinfo=UTC), RecordData(**values)
    )


def test_references_are_ordered_and_told_apart() -> None:
    refs = build_references(
        [
            stored(
                1, title="Zeta", authors=["Lewis, Grace A.", "Ozkaya, Ipek", "Xu, Xiwei"], year=2021
            ),
            stored(
                2,
                title="Alpha",
                authors=["Lewis, Grace A.", "Bellomo, S.", "Ozkaya, I."],
                year=2021,
            ),
            stored(3, title="Solo", authors=["Amershi, Saleema"], year=2019),
        ],
        {1: ["IEEE", "ACM"]},
    )
    assert [(r.number, r.record_id, r.short) for r in refs] == [
        (1, 3, "Amershi 2019"),
        (2, 2, "Lewis et al. 2021a"),
        (3, 1, "Lewis et al. 2021b"),
    ]
    assert refs[2].sources == ["IEEE", "ACM"]


def test_full_reference_punctuation() -> None:
    text = full_reference(
        stored(
            1,
            title="What Do They Need?",
            authors=["Holstein, Kenneth"],
            year=2019,
            venue="CHI",
            pages="1-16",
            doi="10.1/x",
        )
    )
    assert (
        text == "Kenneth Holstein. 2019. What Do They Need? CHI, pp. 1-16. https://doi.org/10.1/x."
    )


def row(reviewer: int, verdict: str, codes: list[str], kind: str = "vote") -> DecisionRow:
    return DecisionRow(reviewer * 10, 1, "title-abstract", reviewer, kind, verdict, codes)


def test_the_settling_decision_gives_the_codes() -> None:
    votes = GroupVotes()
    votes.add(row(1, "exclude", ["E1"]))
    votes.add(row(2, "exclude", ["E2", "E1"]))
    assert settling_codes(votes) == ["E1", "E2"]
    votes.add(row(3, "exclude", ["E4"], kind="resolution"))
    assert settling_codes(votes) == ["E4"]


def test_formats() -> None:
    assert check_formats(["all"]) == ["html", "markdown", "latex", "xlsx"]
    assert check_formats(["latex", "html", "latex"]) == ["latex", "html"]


def test_escaping() -> None:
    assert latex.escape("[3] 50% of $x_1 & {y}") == r"{[}3{]} 50\% of \$x\_1 \& \{y\}"
    assert latex.escape("A → B ʳ") == r"A $\rightarrow$ B \textsuperscript{r}"
    assert markdown.escape("a|b [c] <d> *e*") == r"a\|b \[c\] \<d\> \*e\*"


def test_inline_svg_prefixes_every_id() -> None:
    chart = bar_chart("years", "Papers per year", ["2019", "2020"], [1, 2])
    svg = inline_svg(chart.files["svg"], "years")
    assert svg.startswith("<svg")
    assert "<metadata>" not in svg
    ids = [part.split('"')[0] for part in svg.split(' id="')[1:]]
    assert ids
    assert all(i.startswith("years-") for i in ids)
    assert "url(#years-" in svg


def finding(
    text: str, number: int | None, *, kind: str = "paraphrase", location: str = ""
) -> FindingItem:
    reference = None
    if number is not None:
        reference = Reference(number, number * 10, "", f"P{number}", "", "", None, [], f"k{number}")
    return FindingItem(text, kind, location, "", reference)


def test_findings_with_the_same_normalised_text_print_once() -> None:
    groups = group_findings(
        [
            finding("PaaS platforms use proprietary runtimes.", 11),
            finding("Tests are flaky", 2),
            finding("paas platforms  use proprietary runtimes", 5),
            finding("PaaS platforms use proprietary runtimes!", 13),
            finding("PaaS platforms use proprietary runtimes.", 5),  # the same paper twice
            finding("Tests are flaky", 3, kind="quote", location="p. 4"),
            finding("∑", 7),
            finding("∆", 8),
        ]
    )
    assert [g.text for g in groups] == [
        "PaaS platforms use proprietary runtimes.",
        "Tests are flaky",
        "∑",
        "∆",
    ]
    assert cited(groups[0].citations) == "[5, 11, 13]"
    assert cited(groups[1].citations) == "[2; 3, p. 4]"
    assert groups[1].kind == "paraphrase"  # one of them is not a quote
    assert normalise_finding("Zoë's  “Model”-drift") == "zoe s model drift"


def test_citations_in_latex_are_natbib_cites() -> None:
    (group,) = group_findings([finding("A", 1), finding("a", 2), finding("A.", 3, location="p. 7")])
    assert latex.inline([group.citations]) == r"\cite{k1,k2}, \cite[p. 7]{k3}"


def test_one_number_style() -> None:
    assert numbers.percent(0.0588) == "5.9 %"
    assert numbers.percent(None) == "–"
    assert numbers.coefficient(0.8234) == "0.82"
    large = Estimate(0.8234, 0.71, 0.93, 120)
    assert numbers.estimate(large) == "0.82 [0.71, 0.93]"
    small = Estimate(0.941, 0.902, 0.965, 12)
    assert numbers.estimate(small, proportion=True) == "94.1 % [90.2, 96.5] (n = 12 < 30)"
    assert large.format() == numbers.estimate(large)
    assert numbers.estimate(Estimate(None, None, None, 0, "no items")) == "n/a (no items)"


def test_latex_escape_keeps_text_settable() -> None:
    assert latex.escape(" (4x)") == " (4x)"
    assert latex.escape(" ") == " "
    assert latex.escape("κ ≥ 0.8 数据") == r"$\kappa$ $\geq$ 0.8 ??"
    assert latex.escape("Zoë Ünsal") == "Zoë Ünsal"
    long = latex.escape("https://github.com/org/repository_name")
    assert r"\allowbreak{}" in long
    assert latex.bib_text("R&D 100%") == r"R\&D 100\%"
