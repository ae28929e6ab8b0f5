"""Two snowballing rounds through the CLI on recorded OpenAlex works, printed as a user sees
them: ``python -m tests.snowball_walkthrough [DIR]`` (a temporary folder by default).

Round 1 starts from three included papers; its candidates are screened (one included),
round 2 starts from that one; its candidate is excluded, so snowballing is complete.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from metasummary import Project
from metasummary.snowball import service as snowball_service
from tests.clirunner import run
from tests.snowballdata import (
    LWAKATARE,
    FakeOpenAlex,
    build_seed_review,
    by_key,
    exclude,
    include,
    snowball_protocol,
)


def command(folder: Path, *args: str) -> str:
    """Run ``metasummary ARGS -p FOLDER``; its output, after the command line."""
    result = run(*args, "-p", str(folder))
    assert result.exit_code == 0, result.stderr
    return f"$ metasummary {' '.join(args)}\n{result.stdout}"


def walkthrough(folder: Path) -> str:
    """Build the review in ``folder``, run both rounds and return what the CLI printed."""
    with Project.init(folder, protocol_text=snowball_protocol()) as project:
        build_seed_review(project)
    original = snowball_service.make_fetcher
    snowball_service.make_fetcher = FakeOpenAlex().fetcher
    try:
        shown = [command(folder, "snowball")]
        with Project.open(folder) as project:
            for key, record_id in by_key(project, "Snowballing round 1").items():
                (include if key == LWAKATARE else exclude)(project, record_id)
        shown.append(command(folder, "snowball", "status"))
        shown.append(command(folder, "snowball"))
        with Project.open(folder) as project:
            for record_id in by_key(project, "Snowballing round 2").values():
                exclude(project, record_id)
        shown += [
            command(folder, "snowball", "rounds"),
            command(folder, "snowball", "status"),
            command(folder, "snowball", "replay", "1"),
            command(folder, "status"),
        ]
    finally:
        snowball_service.make_fetcher = original
    return "\n".join(shown)


def main() -> None:
    if len(sys.argv) > 1:
        print(walkthrough(Path(sys.argv[1])))
        return
    with tempfile.TemporaryDirectory() as temp:
        print(walkthrough(Path(temp) / "review"))


if __name__ == "__main__":
    main()
