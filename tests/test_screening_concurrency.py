"""Two reviewers screening at once from two processes lose no decision."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from metasummary import Project
from metasummary.store import decisions as store_decisions
from tests.screening_helpers import add_records, screening_protocol

WORKER = """
import sys
from metasummary import Project

folder, reviewer, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Project.open(folder) as project:
    for record in range(1, count + 1):
        verdict = "include" if (record + len(reviewer)) % 3 else "exclude"
        project.screening.decide(
            record, phase="title-abstract", reviewer=reviewer, verdict=verdict,
            criteria=["E1"] if verdict == "exclude" else [],
        )
print("done")
"""


def test_two_processes_writing_at_once_lose_nothing(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    count = 60
    project = make_project(screening_protocol(mode="dual"), name="shared")
    add_records(project, count)
    folder = str(tmp_path / "shared")
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, folder, reviewer, str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for reviewer in ("R1", "R2")
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        assert out.strip() == "done"
    with project.store.read() as conn:
        entries = store_decisions.all_entries(conn)
    assert len(entries) == 2 * count
    by_reviewer = {e.reviewer_id for e in entries}
    assert len(by_reviewer) == 2
    assert {(e.record_id, e.reviewer_id) for e in entries} == {
        (record, reviewer) for record in range(1, count + 1) for reviewer in by_reviewer
    }
    phases = project.status().total.phases["title-abstract"]
    assert phases.awaiting == 0
    assert phases.included + phases.excluded + phases.conflict == count
