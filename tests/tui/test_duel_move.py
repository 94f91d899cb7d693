"""A play-by-file move in the terminal game: `e` hands the orders back, and the file is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from game import cli
from game.cli import main
from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.saves.duel import Move
from game.scenario.loader import load_scenario
from game.tui.duel import MoveApp, MoveScreen
from game.tui.themes import DARK
from tests.tui.helpers import SIZE, answer_events

SCENARIO = Path(__file__).resolve().parents[1] / "cli" / "data" / "short-duel.yaml"
SEATS = ("prometheus", "tianhe")


def duel_game(seed: int = 5) -> Game:
    return Game(Rulebook(load_scenario(SCENARIO)), "us", seed, difficulty="normal", humans=SEATS)


async def test_e_hands_the_seat_s_orders_back_without_ending_the_quarter() -> None:
    game = duel_game()
    app = MoveApp(game)
    app.theme = DARK
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await answer_events(pilot, app)
        assert isinstance(app.screen, MoveScreen)
        assert game.pending_for(SEATS[0]) == []
        await pilot.press("e")
        await pilot.pause()
    assert app.orders is not None
    assert game.submitted(SEATS[0]) == app.orders
    assert game.state.turn == 1  # the quarter waits for the other seat, in the other process
    assert game.pending_for(SEATS[1])  # whose events are untouched


def test_play_two_player_in_the_terminal_writes_the_move_made_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(self: MoveApp, *args: Any, **kwargs: Any) -> None:
        # What the player does on screen: answer every event with its last choice, press e.
        game = self._move_game
        for event in game.pending_for(SEATS[0]):
            game.choose(event, len(game.book.event[event].choices) - 1)
        self.orders = game.suggested_orders()
        game.submit(self.orders)

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    monkeypatch.setattr(MoveApp, "run", run)
    monkeypatch.chdir(tmp_path)
    args = ["play", "--two-player", "--save", "duel.json", "--scenario", str(SCENARIO)]
    assert main([*args, "--seed", "5", "--data-dir", "us"]) == 0
    (kept,) = (tmp_path / "us" / "duels").iterdir()
    move = Move.model_validate(json.loads(kept.read_bytes())["move"])
    game = duel_game()
    assert [c.event for c in move.choices] == game.pending_for(SEATS[0])
    assert all(c.choice == len(game.book.event[c.event].choices) - 1 for c in move.choices)
    doc = json.loads((tmp_path / "duel.json").read_bytes())
    assert doc["due"] == SEATS[1] and doc["sealed"]["lab"] == SEATS[0]


def test_the_chinese_seat_moves_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    monkeypatch.chdir(tmp_path)
    args = ["play", "--two-player", "--save", "duel.json", "--scenario", str(SCENARIO)]
    assert main([*args, "--advisor", "--data-dir", "us"]) == 0
    before = (tmp_path / "duel.json").read_bytes()
    assert main(["resume", "duel.json", "--data-dir", "cn"]) == 1
    err = capsys.readouterr().err
    assert "the terminal game plays only the United States' seat" in err
    assert (tmp_path / "duel.json").read_bytes() == before
