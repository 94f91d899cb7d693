"""A play-by-file move in the terminal game, for either seat: `e` hands the orders back, and
the file is written."""

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
from game.tui.screens.event import EventScreen
from game.tui.themes import DARK
from game.tui.widgets.status import StatusBar
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


async def test_the_chinese_seat_moves_in_the_terminal_seeing_only_its_own_seat() -> None:
    game = duel_game()
    us_events = game.pending_for(SEATS[0])
    app = MoveApp(game, SEATS[1])
    app.theme = DARK
    app.animation_level = "none"
    asked = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while isinstance(app.screen, EventScreen):
            asked.append(app.screen.event.id)
            await pilot.press("1")
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MoveScreen)
        assert screen.seat == SEATS[1] and screen.board.player.id == SEATS[1]
        assert screen.board.pending == ()  # China's own events answered
        assert game.state.labs[SEATS[1]].name in str(screen.query_one(StatusBar).render())
        await pilot.press("e")
        await pilot.pause()
    assert asked and not set(asked) & set(us_events)  # only China's events were put to it
    assert app.orders is not None
    assert game.submitted(SEATS[1]) == app.orders
    assert game.submitted(SEATS[0]) is None
    assert game.pending_for(SEATS[0]) == us_events  # the United States' events untouched
    assert game.state.turn == 1


async def test_the_chinese_seat_s_move_opens_on_its_own_report_of_the_quarter_resolved() -> None:
    game = duel_game()
    for seat in SEATS:
        while game.pending_for(seat):
            game.choose(game.pending_for(seat)[0], 0, seat=seat)
        game.submit(game.suggested_orders(seat=seat), seat=seat)
    game.end_turn()
    app = MoveApp(game, SEATS[1])
    app.theme = DARK
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await answer_events(pilot, app)
        screen = app.screen
        assert isinstance(screen, MoveScreen)
        report = screen.report
        assert report is not None
        assert report.before.player == SEATS[1] and report.after.player == SEATS[1]
        assert report.orders == game.records[0].orders[SEATS[1]]
        assert report.before.turn == 1 and report.after.turn == 2


def test_resume_plays_the_chinese_seat_in_the_terminal_and_writes_its_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(self: MoveApp, *args: Any, **kwargs: Any) -> None:
        # What China's player does on screen: its events' last choices, its advisor's orders, e.
        assert self.seat == SEATS[1]
        game = self._move_game
        while game.pending_for(self.seat):
            event = game.pending_for(self.seat)[0]
            game.choose(event, len(game.book.event[event].choices) - 1, seat=self.seat)
        self.orders = game.suggested_orders(seat=self.seat)
        game.submit(self.orders, seat=self.seat)

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    monkeypatch.setattr(MoveApp, "run", run)
    monkeypatch.chdir(tmp_path)
    args = ["play", "--two-player", "--save", "duel.json", "--scenario", str(SCENARIO)]
    assert main([*args, "--seed", "5", "--advisor", "--data-dir", "us"]) == 0
    capsys.readouterr()
    assert main(["resume", "duel.json", "--data-dir", "cn"]) == 0
    said = capsys.readouterr().out
    assert "Send duel.json to the player of Prometheus" in said
    doc = json.loads((tmp_path / "duel.json").read_bytes())
    assert doc["due"] == SEATS[0] and doc["revealed"]["lab"] == SEATS[1]
    move = Move.model_validate(doc["revealed"]["move"])
    game = duel_game()
    assert [c.event for c in move.choices] == game.pending_for(SEATS[1])
    assert all(c.choice == len(game.book.event[c.event].choices) - 1 for c in move.choices)
    # Back at the United States, the quarter resolves with China's move as made on screen.
    assert main(["resume", "duel.json", "--advisor", "--data-dir", "us"]) == 0
    assert "is resolved" in capsys.readouterr().out
