"""`airace` and `airace play`: arguments checked before the terminal is taken over."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from game import cli
from game.cli import main
from game.tui.app import AIRaceApp

REPO = Path(__file__).resolve().parents[2]
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: E\d{3} \S.*$")


def airace(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "AIRACE_DEBUG"}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "game", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[AIRaceApp]:
    """Pretend to be in a terminal, and record the app instead of running it."""
    apps: list[AIRaceApp] = []

    def run(self: AIRaceApp, *args: Any, **kwargs: Any) -> None:
        apps.append(self)

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    monkeypatch.setattr(AIRaceApp, "run", run)
    return apps


def test_play_builds_the_game_the_arguments_ask_for(launched: list[AIRaceApp]) -> None:
    code = main(
        [
            "play",
            "--scenario",
            "chip-war",
            "--faction",
            "china",
            "--seed",
            "5",
            "--difficulty",
            "hard",
        ]
    )
    assert code == 0
    (app,) = launched
    game = app._start_game
    assert game is not None
    assert (game.scenario.meta.id, game.faction, game.seed, game.difficulty) == (
        "chip-war",
        "china",
        5,
        "hard",
    )


def test_play_defaults_to_the_base_scenario_as_the_us(launched: list[AIRaceApp]) -> None:
    assert main(["play"]) == 0
    game = launched[0]._start_game
    assert game is not None
    assert (game.scenario.meta.id, game.faction, game.difficulty) == ("base", "us", "normal")


def test_no_arguments_in_a_terminal_opens_the_title_screen(launched: list[AIRaceApp]) -> None:
    assert main([]) == 0
    assert launched[0]._start_game is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--faction", "mars"], "invalid choice"),
        (["--seed", "x"], "the seed must be a whole number"),
        (["--scenario", "no_such_scenario"], "unknown scenario 'no_such_scenario'"),
        (["--scenario", "missing.yaml"], "no such file"),
        (["--difficulty", "impossible"], "has no difficulty 'impossible'"),
    ],
)
def test_bad_arguments_give_one_sentence_and_never_start_the_game(
    args: list[str], says: str, launched: list[AIRaceApp], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["play", *args])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("airace: error: "), captured.err
    assert says in lines[0]
    assert launched == []


def test_a_broken_scenario_file_lists_its_problems_where_they_are(
    tmp_path: Path, launched: list[AIRaceApp], capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("meta: {id: broken, name: Broken}\nturns: 99\n", encoding="utf-8")
    code = main(["play", "--scenario", str(broken)])
    captured = capsys.readouterr()
    assert code == 1
    *problems, last = captured.err.strip().splitlines()
    assert problems and all(PROBLEM_LINE.match(p) for p in problems), problems
    assert any(p.startswith(f"{broken}:2:") for p in problems)  # turns: 99, where it is
    assert last.startswith("airace: error: ") and "is not a valid scenario" in last
    assert launched == []


def test_play_outside_a_terminal_says_so_without_a_traceback(tmp_path: Path) -> None:
    result = airace("play", "--seed", "1", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "airace: error: the game needs a terminal: run airace in a terminal window, not a pipe"
    )


def test_no_arguments_outside_a_terminal_lists_the_commands(tmp_path: Path) -> None:
    result = airace(cwd=tmp_path)
    assert result.returncode == 0
    assert "play" in result.stdout and "simulate" in result.stdout


async def test_resume_hands_the_replayed_game_to_the_terminal_game_which_plays_on(
    tmp_path: Path, launched: list[AIRaceApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    from game.saves.store import autosave
    from tests.saves.helpers import person_game
    from tests.tui.helpers import SIZE, answer_events, dashboard

    monkeypatch.setenv("AIRACE_HOME", str(tmp_path))
    saved = person_game("deepseek-surprise", "us", seed=3, turns=2)
    autosave(saved)
    assert main(["resume"]) == 0
    (app,) = launched
    game = app._start_game
    assert game is not None and game.id == saved.id
    assert game.state.digest() == saved.state.digest()
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await answer_events(pilot, app)
        assert dashboard(app).game is game
        await pilot.press("e")
        await pilot.pause()
        assert game.state.turn == saved.state.turn + 1 or game.over


async def test_replay_opens_the_save_in_the_replay_viewer(
    tmp_path: Path, launched: list[AIRaceApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    from game.saves.store import autosave
    from game.tui.screens.replay import ReplayScreen
    from tests.saves.helpers import person_game
    from tests.tui.helpers import SIZE

    monkeypatch.setenv("AIRACE_HOME", str(tmp_path))
    path = autosave(person_game("deepseek-surprise", "china", seed=4, turns=3))
    assert main(["replay", str(path)]) == 0
    (app,) = launched
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("end")
        assert app.screen.position == 3


def test_play_watch_hands_the_file_to_the_game(
    tmp_path: Path, launched: list[AIRaceApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("my.yaml").write_text("meta: {id: mine, name: Mine}\nextends: base\n", encoding="utf-8")
    assert main(["play", "--scenario", "my.yaml", "--watch", "--seed", "2"]) == 0
    (app,) = launched
    assert app._start_game is not None and app._start_game.scenario.meta.id == "mine"
    assert app._watch is not None and app._watch.path == Path("my.yaml")
    assert main(["play", "--scenario", "my.yaml"]) == 0
    assert launched[1]._watch is None


@pytest.mark.parametrize(
    ("args", "says", "code"),
    [
        ([], "--watch follows a scenario file you edit, and 'base' is a shipped scenario", 2),
        (["--scenario", "chip-war"], "'chip-war' is a shipped scenario", 2),
        (["--scenario", "nonesuch"], "unknown scenario 'nonesuch'", 2),
        (["--scenario", "missing.yaml"], "no such file 'missing.yaml'", 2),
    ],
)
def test_watch_needs_a_scenario_file(
    args: list[str],
    says: str,
    code: int,
    tmp_path: Path,
    launched: list[AIRaceApp],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["play", "--watch", *args]) == code
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("airace: error: ") and says in lines[0], lines
    assert launched == []


def test_a_broken_file_with_watch_gives_its_problems_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(
        "meta: {id: broken, name: Broken}\nextends: base\nturns: 99\nchips: {h100: {price: x}}\n",
        encoding="utf-8",
    )
    result = airace("play", "--scenario", "broken.yaml", "--watch", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "broken.yaml:3:8: E103 turns: must be at most 40",
        "broken.yaml:4:23: E102 chips.h100.price: expected a number, got 'x'",
        "airace: error: broken.yaml is not a valid scenario (2 problems above)",
    ], result.stderr
    assert result.stdout == ""
