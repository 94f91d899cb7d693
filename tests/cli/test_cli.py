"""The real `airace` command line, run in a subprocess from a directory outside the repository."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from game.cli import ProgressBar, main, one_line
from tests.cli.helpers import REPO, airace

PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: E\d{3} \S.*$")


def assert_one_error_line(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("airace: error: ")


def test_no_arguments_prints_help(tmp_path: Path) -> None:
    result = airace(cwd=tmp_path)
    assert result.returncode == 0
    assert "usage: airace" in result.stdout
    assert "simulate" in result.stdout
    assert result.stderr == ""


def test_scenario_list_shows_base(tmp_path: Path) -> None:
    result = airace("scenario", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[2:]}
    assert "base" in rows
    assert "24" in rows["base"].split()
    assert "us, china" in rows["base"]
    assert all(len(line) <= 100 for line in result.stdout.splitlines())


def test_validate_base_by_id(tmp_path: Path) -> None:
    result = airace("scenario", "validate", "base", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"ok: .*base\.yaml \(.+\)\n", result.stdout)
    assert result.stderr == ""


def test_validate_base_by_relative_path() -> None:
    result = airace("scenario", "validate", "scenarios/base.yaml", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: scenarios/base.yaml (")


def test_validate_broken_file_lists_every_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "meta:\n  id: broken\n  name: Broken\n  nmae: typo\nstart: '2025 Q5'\nturns: 3\n",
        encoding="utf-8",
    )
    result = airace("scenario", "validate", "base", "broken.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("ok: ")  # the valid one is still reported
    lines = result.stderr.splitlines()
    assert len(lines) >= 3  # the unknown key, the bad date, the short game, missing keys...
    for line in lines:
        assert PROBLEM_LINE.match(line), line
        assert line.startswith("broken.yaml:")
    assert any(":4:3: E100 " in line for line in lines)  # nmae, where it is written
    assert "Traceback" not in result.stderr


def test_validate_yaml_syntax_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("meta: [unclosed\n", encoding="utf-8")
    result = airace("scenario", "validate", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert all(PROBLEM_LINE.match(line) for line in result.stderr.splitlines())
    assert "E003" in result.stderr


def test_validate_missing_file(tmp_path: Path) -> None:
    result = airace("scenario", "validate", "nowhere.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("nowhere.yaml:1:1: E001 ")


def test_schema_is_json(tmp_path: Path) -> None:
    result = airace("scenario", "schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$id"]
    assert schema["title"] == "AI Race scenario"
    # A file that extends another is checked as a change to it, any other as a whole.
    assert schema["then"] == {"$ref": "#/$defs/ExtendingScenario"}
    assert schema["else"] == {"$ref": "#/$defs/Scenario"}
    assert {"meta", "factions", "events"} <= set(schema["$defs"]["Scenario"]["properties"])
    assert "class" in schema["$defs"]["Chip"]["properties"]  # aliases, as authors write them


def simulate_json(cwd: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = airace(
        "simulate",
        "--scenario",
        "base",
        "--games",
        "5",
        "--seed",
        "3",
        "--json",
        *args,
        cwd=cwd,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar off a terminal
    return json.loads(result.stdout)


def test_simulate_json_is_the_same_for_any_job_count_and_hash_seed(tmp_path: Path) -> None:
    one = simulate_json(tmp_path, "--jobs", "1", env={"PYTHONHASHSEED": "1"})
    two = simulate_json(tmp_path, "--jobs", "2", env={"PYTHONHASHSEED": "2"})
    other_hash = simulate_json(tmp_path, "--jobs", "1", env={"PYTHONHASHSEED": "2"})
    assert one["results"] == two["results"] == other_hash["results"]
    results = one["results"]
    assert results["games"] == 5
    assert sum(results["wins"]["by_lab"].values()) + results["wins"]["no_winner"] == 5
    assert "deepseek_surprise" in results["events"]
    assert one["args"]["jobs"] == 1 and two["args"]["jobs"] == 2
    assert one["timing"]["turns"] == results["turns"]["total"]


def test_simulate_text_report(tmp_path: Path) -> None:
    result = airace(
        "simulate",
        "--games",
        "2",
        "--seed",
        "1",
        "--faction",
        "china",
        "--policy",
        "efficient",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Tianhe Intelligence (player)" in result.stdout
    assert "deepseek_surprise" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [["--games", "-1"], ["--games", "abc"], ["--scenario", "no_such_scenario"]],
)
def test_simulate_bad_arguments(tmp_path: Path, args: list[str]) -> None:
    assert_one_error_line(airace("simulate", "--games", "1", *args, cwd=tmp_path))


@pytest.mark.parametrize(
    "args",
    [
        ["--games", "0"],
        ["--games", "10000000"],
        ["--jobs", "0"],
        ["--jobs", "two"],
        ["--seed", "x"],
        ["--policy", "nobody"],
        ["--faction", "mars"],
        ["--difficulty", "impossible"],
        ["--scenario", "missing.yaml"],
        ["--frobnicate"],
    ],
)
def test_simulate_bad_arguments_in_process(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # The same `main` as above, called directly: these cases need no fresh process.
    code = main(["simulate", "--games", "1", *args])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("airace: error: "), captured.err


def test_unknown_command(tmp_path: Path) -> None:
    assert_one_error_line(airace("frobnicate", cwd=tmp_path))
    assert_one_error_line(airace("scenario", cwd=tmp_path))


def test_simulate_invalid_scenario_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("meta: {id: bad, name: Bad}\nturns: 99\n", encoding="utf-8")
    result = airace("simulate", "--scenario", "bad.yaml", "--games", "1", cwd=tmp_path)
    assert result.returncode == 1
    *problems, last = result.stderr.splitlines()
    assert problems and all(PROBLEM_LINE.match(line) for line in problems)
    assert last.startswith("airace: error: bad.yaml is not a valid scenario")
    assert "Traceback" not in result.stderr


def test_progress_bar_redraws_in_place_and_erases_itself() -> None:
    stream = io.StringIO()
    bar = ProgressBar(200, stream)
    for done in (50, 51, 100, 200):
        bar(done)
    bar.close()
    text = stream.getvalue()
    assert "\n" not in text
    assert text.count("\r") == 3 + 2  # three redraws (51 games is still 25%), then erase
    assert "200/200 games (100%)" in text
    assert text.endswith("\r")


def test_one_line_cuts_at_a_word() -> None:
    assert one_line("short  text\n here", 40) == "short text here"
    cut = one_line("The AI race as it stood in early 2025: frontier labs", 30)
    assert cut == "The AI race as it stood in..."
    assert len(cut) <= 30
