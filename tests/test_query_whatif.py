"""``query test --add/--drop`` (what a change would do) and ``query check --from-included``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from metasummary import Project
from metasummary.errors import InputError
from metasummary.protocol import parse_protocol
from metasummary.query.model import BooleanQuery, build_query
from metasummary.query.whatif import Action, Change, apply_changes, parse_change
from metasummary.report.latex import LINE_WIDTH
from metasummary.report.latex import table as latex_table
from metasummary.report.tables import seeds_table
from tests.clirunner import Run, run
from tests.querydata import add_fault_records, fault_protocol


@pytest.fixture
def review(make_project: Callable[..., Project], db_url: str) -> Project:
    project = make_project(fault_protocol(), db=db_url)
    add_fault_records(project)
    return project


def base_query() -> BooleanQuery:
    return build_query(parse_protocol(fault_protocol()).query)


def test_changes_parse_and_apply() -> None:
    base = base_query()
    changed, lines = apply_changes(
        base,
        [
            parse_change("add", 'B:"fault-prone"'),
            parse_change("drop", "C:estimation"),
            parse_change("add", "D:metrics"),
        ],
    )
    assert lines == ["B + fault-prone", "C − estimation", "new group D (AND-ed): metrics"]
    assert [t.text for t in changed.groups[1].terms] == ["fault", "defect", "fault-prone"]
    assert [t.text for t in changed.groups[2].terms] == ["prediction"]
    assert changed.groups[3].name == "D"
    dropped, _ = apply_changes(base, [Change("drop", "c", "")])
    assert [g.name for g in dropped.groups] == ["A", "B"]


@pytest.mark.parametrize(
    ("action", "spec", "message"),
    [
        ("add", "B", 'write GROUP:term, e.g. --add B:"fault-prone"'),
        ("drop", "Z:fault", "no such group; the query has A, B, C"),
        ("drop", "B:bug", "not a term of it (fault, defect)"),
        ("add", "B:fault", "already a term of B"),
    ],
)
def test_bad_changes_say_what_to_do(action: Action, spec: str, message: str) -> None:
    base = base_query()
    with pytest.raises(InputError, match=re.escape(message)):
        apply_changes(base, [parse_change(action, spec)])


def test_what_if_counts_gains_losses_seeds_and_inclusions(review: Project) -> None:
    review.screening.decide(4, phase="title-abstract", reviewer="R1", verdict="include")
    before = review.query.hits().final.total
    what = review.query.what_if(
        [parse_change("add", "C:predict*"), parse_change("drop", "C:estimation")]
    )
    assert what.changes == ["C + predict*", "C − estimation"]
    assert what.before.final.total == before
    assert what.records.gained == 2  # records 1 and 4: "Predicting"
    assert what.records.lost == 1  # record 3: effort estimation
    assert [r.id for r in what.records.gained_shown] == [1, 4]
    assert what.seeds_found == ["Predicting fault-prone software modules"]
    assert what.seeds_lost == []
    assert [r.id for r in what.included_found] == [4]
    assert what.included_lost == []
    assert review.query.versions() == []  # nothing recorded


def cli(review: Project, db_url: str, *args: str) -> Run:
    return run("query", *args, "-p", str(review.root), "--db", db_url)


def test_cli_what_if_and_errors(review: Project, db_url: str) -> None:
    result = cli(review, db_url, "test", "--add", "C:predict*", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["records"]["gained"] == 2
    assert data["seeds"]["found"] == ["Predicting fault-prone software modules"]
    text = " ".join(cli(review, db_url, "test", "--drop", "B:defect").stdout.split())
    assert "−1 lost" in text
    assert "seed paper it loses: Software defect prediction with metrics" in text
    assert "nothing recorded" in text
    bad = cli(review, db_url, "test", "--add", "B")
    assert bad.exit_code == 1
    assert bad.stderr.strip().splitlines() == [
        "error: --add 'B': write GROUP:term, e.g. --add B:\"fault-prone\""
    ]


def test_check_from_included_uses_the_included_papers(review: Project, db_url: str) -> None:
    none = cli(review, db_url, "check", "--from-included")
    assert none.exit_code == 1
    assert none.stderr.startswith("error: no paper is included yet")
    for record in (1, 2):
        review.screening.decide(record, phase="title-abstract", reviewer="R1", verdict="include")
    data = json.loads(cli(review, db_url, "check", "--from-included", "--json").stdout)
    assert data["seeds_from"] == "papers included at title-abstract"
    assert [s["record_id"] for s in data["seeds"]] == [1, 2]
    first = data["seeds"][0]
    assert first["missing"] == ["C"]
    assert first["fixes"][0]["kind"] == "truncation"
    assert first["fixes"][0]["term"] == "predict*"


def test_check_json_carries_fixes_and_placed_suggestions(review: Project, db_url: str) -> None:
    data = json.loads(cli(review, db_url, "check", "--json").stdout)
    assert data["seeds_from"] == "protocol"
    fix = data["seeds"][0]["fixes"][0]
    assert (fix["group"], fix["widens"], fix["matches"]) == ("C", "prediction", "predicting")
    assert fix["adds"] == 2
    for suggestion in data["suggestions"]:
        assert set(suggestion) >= {"text", "variants", "group", "placement", "score", "weight"}
    table = " ".join(cli(review, db_url, "check").stdout.split())
    assert "C: prediction → predict*" in table
    assert "The smallest change that finds each missed seed" in table


def test_report_seed_table_shows_which_group_finds_each_seed(review: Project) -> None:
    content = review.report.content()
    assert content.seed_groups == ["A", "B", "C"]
    first, second = content.seeds
    assert first.groups == ["software (title)", "fault (title)", "—"]
    assert first.found == "no"
    assert second.groups == ["software (title)", "defect (title)", "prediction (title)"]
    assert second.found == "yes"
    (table,) = seeds_table(content)
    assert table.headers == [
        "Seed paper",
        "Why an earlier query missed it",
        "A",
        "B",
        "C",
        "Found by the query",
        "In this review",
    ]
    assert table.rows[0][:2] == ["Predicting fault-prone software modules", "no 'prediction' in it"]
    assert table.rows[0][-1] == "held, not included"
    # and in LaTeX the seven columns fit the line (their widths and the gaps between them)
    spec = next(line for line in latex_table(table) if line.startswith(r"\begin{longtable}"))
    widths = [float(w) for w in re.findall(r"p\{([\d.]+)pt\}", spec)]
    assert len(widths) == 7
    assert sum(widths) + 12 * (len(widths) - 1) <= LINE_WIDTH
