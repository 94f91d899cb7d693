"""Bad input ends quickly in one clear sentence: special files, huge files, huge names, --jobs."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from game.cli import main
from game.sim.runner import usable_cpus
from tests.cli.helpers import airace

# A regression that blocks on a pipe fails at this timeout instead of hanging the suite.
QUICK = 30
PIPE = "it is a pipe, not a regular file"


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_validate_refuses_a_pipe(tmp_path: Path, fifo: Path) -> None:
    result = airace("scenario", "validate", fifo.name, cwd=tmp_path, timeout=QUICK)
    assert result.returncode == 1
    assert one_line(result.stderr) == f"pipe.yaml:1:1: E001 cannot read the file: {PIPE}"
    assert result.stdout == ""


def test_simulate_refuses_a_pipe(tmp_path: Path, fifo: Path) -> None:
    result = airace("simulate", "--scenario", fifo.name, cwd=tmp_path, timeout=QUICK)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line == f"airace: error: pipe.yaml:1:1: E001 cannot read the file: {PIPE}"


def extending(tmp_path: Path, parent: str) -> Path:
    path = tmp_path / "child.yaml"
    path.write_text(f"meta: {{id: child, name: Child}}\nextends: {parent}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("parent", "why"),
    [
        ("pipe.yaml", PIPE),
        ("folder", "it is a directory, not a file"),
        ("folder/", "it is a directory, not a file"),
        ("/dev/null", "it is a device, not a regular file"),
        # The test's stdin is a pipe nobody writes to or closes: reading it would block.
        ("/dev/stdin", PIPE),
    ],
)
def test_extends_refuses_what_is_not_a_regular_file_at_the_extends_line(
    tmp_path: Path, fifo: Path, parent: str, why: str
) -> None:
    (tmp_path / "folder").mkdir()
    extending(tmp_path, parent)
    result = airace(
        "scenario", "validate", "child.yaml", cwd=tmp_path, stdin=subprocess.PIPE, timeout=QUICK
    )
    assert result.returncode == 1
    assert one_line(result.stderr) == (
        f"child.yaml:2:10: E130 extends: cannot read '{parent}': {why}"
    )


def test_validate_refuses_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "folder").mkdir()
    assert main(["scenario", "validate", str(tmp_path / "folder")]) == 1
    line = one_line(capsys.readouterr().err)
    assert (
        line
        == f"{tmp_path / 'folder'}:1:1: E001 cannot read the file: it is a directory, not a file"
    )


def test_a_file_with_too_many_values_says_so_not_aliases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("[" + ",".join(["0"] * 200_001) + "]\n", encoding="utf-8")  # 400 kB
    assert main(["scenario", "validate", str(big)]) == 1
    line = one_line(capsys.readouterr().err)
    assert line == f"{big}:1:1: E002 the file holds more than 200,000 values"


LONG = "x" * 100_000
CUT = "x" * 57 + "..."


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["scenario", "validate", LONG], f"{CUT}:1:1: E001 unknown scenario '{CUT}'; known"),
        (["simulate", "--scenario", LONG], f"airace: error: unknown scenario '{CUT}'; known"),
        (["play", "--scenario", LONG], f"airace: error: unknown scenario '{CUT}'; known"),
        (["simulate", "--difficulty", LONG], f"has no difficulty '{CUT}' (known: "),
        (["simulate", "--policy", LONG], "airace: error: argument --policy: invalid choice: 'x"),
        (["simulate", "--scenario", LONG + ".yaml"], "airace: error: no such file 'xxx"),
    ],
    ids=["validate", "simulate", "play", "difficulty", "policy", "path"],
)
def test_a_huge_name_is_cut_in_the_message(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) in (1, 2)
    line = one_line(capsys.readouterr().err)
    assert says in line
    assert len(line) < 400, line[:400]


def test_a_huge_unknown_name_in_a_file_is_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "child.yaml"
    # An explicit key (`? key`), as YAML allows only 1024 characters in a plain one.
    path.write_text(f"extends: base\nmeta: {{id: child, name: Child}}\n? {LONG}\n: 1\n")
    assert main(["scenario", "validate", str(path)]) == 1
    line = one_line(capsys.readouterr().err)
    assert line == f"{path}:3:3: E100 unknown key '{CUT}'"


def test_jobs_beyond_the_machine_are_capped_with_a_note(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cores = usable_cpus()
    code = main(["simulate", "--games", "2", "--seed", "1", "--jobs", "999", "--json"])
    captured = capsys.readouterr()
    assert code == 0
    assert one_line(captured.err) == (
        f"airace: note: --jobs 999 is more than the {cores} processor{'s' * (cores != 1)} "
        f"airace can use here; using {cores}"
    )
    assert json.loads(captured.out)["args"]["jobs"] == cores


def test_usable_cpus_follows_the_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert usable_cpus() == 3
