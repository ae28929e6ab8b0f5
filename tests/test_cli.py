from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clirunner import run
from tests.helpers import protocol_data, to_yaml


def test_init_then_status_json(tmp_path: Path) -> None:
    review = tmp_path / "x"
    assert run("init", str(review)).exit_code == 0
    result = run("status", "-p", str(review), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "x"
    assert data["total"]["phases"]["title-abstract"]["eligible"] == 0
    assert [s["name"] for s in data["sources"]] == ["IEEE Xplore", "ACM Digital Library"]


def test_status_table_and_global_project_option(tmp_path: Path) -> None:
    run("init", str(tmp_path / "x"))
    result = run("-p", str(tmp_path / "x"), "status")
    assert result.exit_code == 0
    assert "Records per source" in result.stdout
    assert "IEEE Xplore" in result.stdout


def test_protocol_with_three_mistakes_gives_three_lines(tmp_path: Path) -> None:
    run("init", str(tmp_path / "x"))
    data = protocol_data()
    data["criteria"]["exclusion"][1]["code"] = "E1"
    data["sources"][0]["kind"] = "website"
    data["stages"][0]["lable"] = "typo"
    (tmp_path / "x" / "protocol.yaml").write_text(to_yaml(data))
    result = run("status", "-p", str(tmp_path / "x"))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len([line for line in lines if "protocol.yaml:" in line and ": " in line]) >= 3
    assert sum(1 for line in lines if line.startswith("error: ") and "problem" not in line) == 3
    assert "Traceback" not in result.stderr
    check = run("protocol", "check", str(tmp_path / "x" / "protocol.yaml"))
    assert check.exit_code == 1
    assert check.stderr.count("protocol.yaml:") >= 3


def test_user_error_is_one_line_exit_1(tmp_path: Path) -> None:
    result = run("status", "-p", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ")
    assert "metasummary init" in result.stderr


def test_usage_error_exits_2() -> None:
    result = run("status", "--no-such-option")
    assert result.exit_code == 2


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    from metasummary import ProjectError

    with pytest.raises(ProjectError):
        run("--debug", "status", "-p", str(tmp_path))


def test_init_twice_is_refused(tmp_path: Path) -> None:
    run("init", str(tmp_path / "x"))
    result = run("init", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert "already exists" in result.stderr


def test_demo_runs_and_says_what_it_did(tmp_path: Path) -> None:
    result = run("demo", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.stderr
    assert "Built the example review" in result.stdout
    assert "Snowballing" in result.stdout


def test_python_dash_m_and_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "metasummary", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith("metasummary ")


@pytest.mark.parametrize(
    ("args", "code"),
    [(["status", "-p", "{tmp}"], 1), (["status", "--bogus"], 2), (["--help"], 0), ([], 2)],
)
def test_console_exit_codes(tmp_path: Path, args: list[str], code: int) -> None:
    """The real entry point, not the test runner, exits with the documented codes."""
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    out = subprocess.run(
        [sys.executable, "-m", "metasummary", *argv], capture_output=True, text=True, check=False
    )
    assert out.returncode == code, out.stderr


def _modules_loaded_by(*args: str) -> set[str]:
    code = (
        "import json, sys; from metasummary.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stdout.write('\\n' + json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.rsplit("\n", 1)[1]))


def test_help_loads_no_command_and_no_database_layer() -> None:
    # What a command imports is what it waits for: `--help` needs neither the commands'
    # modules nor SQLAlchemy, NumPy or Rich.
    loaded = _modules_loaded_by("--help")
    heavy = {"sqlalchemy", "numpy", "rich", "alembic", "pydantic", "metasummary.project"}
    assert heavy & loaded == set()
    assert {m for m in loaded if m.startswith("metasummary.cli.")} <= {
        "metasummary.cli.app",
        "metasummary.cli.commands",
        "metasummary.cli.options",
    }


def test_a_command_loads_only_its_own_module(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "review")).exit_code == 0
    loaded = _modules_loaded_by("status", "-p", str(tmp_path / "review"))
    assert "metasummary.cli.project" in loaded
    others = {"metasummary.cli.report", "metasummary.cli.web", "metasummary.cli.dedup"}
    assert others & loaded == set()
    assert {"alembic", "numpy", "metasummary.report"} & loaded == set()
