"""A bug ends in one sentence naming what was being done, a crash report, and exit code 70."""

from __future__ import annotations

import multiprocessing
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

import game.engine.rules
import game.scenario.checks
from game import cli
from game.cli import EXIT_INTERNAL, main
from game.crash import Context, Crash, caught, write_report
from game.sim.runner import game_seed
from game.tui.app import AIRaceApp

NOTE = "while applying event 'echo' to the world"
REPORT = re.compile(r"; the crash report is in (?P<path>\S+crash-[\d-]+\.txt)$")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Crash reports go to a folder of the test's own."""
    monkeypatch.setenv("AIRACE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("AIRACE_DEBUG", raising=False)
    return tmp_path / "home"


@pytest.fixture
def market_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The market step fails as a bug in an event's effects would, with the engine's note."""

    def fail(*args: Any) -> None:
        error = OverflowError("math range error")
        error.add_note(NOTE)
        raise error

    monkeypatch.setattr(game.engine.rules, "_market", fail)


def crash_line(err: str) -> tuple[str, Path]:
    """The one line on stderr, and the crash report it names."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    match = REPORT.search(lines[0])
    assert match, lines[0]
    return lines[0], Path(match["path"])


def test_a_simulated_game_that_fails_names_its_seed_turn_and_event(
    home: Path, market_fails: None, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["simulate", "--games", "3", "--seed", "7", "--jobs", "1"]
    assert main(args) == EXIT_INTERNAL
    captured = capsys.readouterr()
    assert captured.out == ""
    line, report = crash_line(captured.err)
    seed = game_seed(7, 0)
    assert line.startswith(
        f"airace: internal error while simulating scenario 'base' (seed {seed}, turn 1, "
        "event 'echo'): OverflowError: math range error; the crash report is in "
    )
    assert report.parent == home / "crashes"
    text = report.read_text(encoding="utf-8")
    for part in (
        "airace: 0.1.0",
        "Python: ",
        "Platform: ",
        "Command line: airace simulate --games 3 --seed 7 --jobs 1",
        "Scenario: base",
        "Scenario file: ",
        f"Seed: {seed}",
        "Turn: 1",
        f"Event: {NOTE}",
        "Traceback (most recent call last):",
        "in resolve_turn",
        "OverflowError: math range error",
    ):
        assert part in text, part
    assert list(report.parent.iterdir()) == [report]  # the temporary file is gone


def test_airace_debug_lets_the_error_through(
    home: Path, market_fails: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRACE_DEBUG", "1")
    with pytest.raises(Crash) as raised:
        main(["simulate", "--games", "1", "--jobs", "1"])
    assert isinstance(raised.value.__cause__, OverflowError)  # the traceback shows it
    assert not home.exists()


def test_a_crash_crosses_from_a_worker_process_whole() -> None:
    try:
        raise ValueError("nan is not a usable number")
    except ValueError as e:
        e.add_note(NOTE)
        crash = caught(e, Context("simulating", scenario="base", seed=12, turn=3))
    again = pickle.loads(pickle.dumps(crash))
    assert again.context == Context("simulating", "base", None, 12, 3, NOTE)
    assert again.error == "ValueError: nan is not a usable number"
    assert again.trace == crash.trace and "Traceback" in again.trace


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the failure is patched in this process: only forked workers inherit it",
)
def test_a_crash_in_a_worker_process_is_reported_by_the_parent(
    home: Path, market_fails: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "--games", "8", "--seed", "7", "--jobs", "2"]) == EXIT_INTERNAL
    line, report = crash_line(capsys.readouterr().err)
    assert "while simulating scenario 'base' (seed " in line
    assert ", turn 1, event 'echo'): OverflowError: math range error;" in line
    assert f"Event: {NOTE}" in report.read_text(encoding="utf-8")


def test_a_bug_while_validating_names_the_file(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(self: Any) -> None:
        raise RuntimeError("checker broke")

    monkeypatch.setattr(game.scenario.checks._Checker, "run", fail)
    assert main(["scenario", "validate", "base"]) == EXIT_INTERNAL
    line, report = crash_line(capsys.readouterr().err)
    assert line.startswith(
        "airace: internal error while validating 'base': RuntimeError: checker broke; "
    )
    assert "in load_scenario" in report.read_text(encoding="utf-8")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the real app headless, answering any event and ending the first turn."""
    run = AIRaceApp.run

    async def end_turn(pilot: Pilot[None]) -> None:
        await pilot.pause()
        for _ in range(3):  # events that ask first: take their first choice
            await pilot.press("1")
            await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        pilot.app.exit()  # without a crash the game would wait for the next key

    def headless(self: AIRaceApp, *args: Any, **kwargs: Any) -> Any:
        return run(self, headless=True, size=(120, 40), auto_pilot=end_turn)

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    monkeypatch.setattr(AIRaceApp, "run", headless)


def test_a_bug_while_playing_in_the_terminal(
    home: Path, market_fails: None, terminal: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["play", "--seed", "7"]) == EXIT_INTERNAL
    line, report = crash_line(capsys.readouterr().err)
    assert line.startswith(
        "airace: internal error while playing scenario 'base' (seed 7, turn 1, event 'echo'): "
        "OverflowError: math range error; the crash report is in "
    )
    text = report.read_text(encoding="utf-8")
    assert "Command line: airace play --seed 7" in text
    assert "in end_turn" in text and "OverflowError: math range error" in text


def test_the_report_falls_back_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "home").write_text("a file where the folder should be")
    monkeypatch.setenv("AIRACE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    path, problem = write_report(caught(ValueError("x"), Context()), ["simulate"])
    assert problem is None and path is not None
    assert path.parent == tmp_path


def test_a_report_that_cannot_be_written_still_ends_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "home").write_text("a file where the folder should be")
    monkeypatch.setenv("AIRACE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("AIRACE_DEBUG", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "home" / "tmp"))

    def fail(*args: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("game.scenario.schema.scenario_schema", fail)
    assert main(["scenario", "schema"]) == EXIT_INTERNAL
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "airace: internal error while running 'airace scenario schema': RuntimeError: boom; "
        "no crash report could be written ("
    )
    assert lines[0].endswith("); AIRACE_DEBUG=1 shows the traceback")


def test_a_bug_inside_an_event_names_the_event_the_engine_was_applying(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No faked note: the engine itself says which event it was applying, and to whom."""
    import game.engine.events

    def fail(*args: Any) -> None:
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(game.engine.events, "_write", fail)
    assert main(["simulate", "--games", "1", "--seed", "7", "--jobs", "1"]) == EXIT_INTERNAL
    line, report = crash_line(capsys.readouterr().err)
    assert re.search(
        r"\(seed \d+, turn 1, event '[a-z_]+'\): ZeroDivisionError: float division by zero;", line
    ), line
    assert re.search(r"while applying event '[a-z_]+' to \w+", report.read_text())
