"""Whole games through the keyboard: title screen, new game, every turn, the end screen."""

from __future__ import annotations

import statistics

import pytest

from game.tui.screens.end import EndScreen
from game.tui.screens.new_game import NewGameScreen
from game.tui.screens.title import TitleScreen
from tests.tui.helpers import SIZE, app_for, dashboard, play_out

# The new-game lists, in the order the shipped scenarios are listed (by file name).
SCENARIO_DOWNS = 2  # base, chip-war, deepseek-surprise: the short one
SIDE_DOWNS = {"us": 0, "china": 1}


@pytest.mark.parametrize(("faction", "choice"), [("us", "1"), ("china", "2")])
async def test_a_whole_game_from_the_title_screen_to_the_end(faction: str, choice: str) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("enter")  # New game
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)
        await pilot.press(*["down"] * SCENARIO_DOWNS, "enter")
        await pilot.press(*["down"] * SIDE_DOWNS[faction], "enter")
        await pilot.press("enter")  # the default difficulty, normal
        await pilot.press("4", "2", "enter")  # seed 42, and start
        await pilot.pause()
        board = dashboard(app)
        game = board.game
        assert (game.scenario.meta.id, game.faction, game.seed, game.difficulty) == (
            "deepseek-surprise",
            faction,
            42,
            "normal",
        )

        seen = await play_out(pilot, app, choice=choice)

        assert game.over
        assert isinstance(app.screen, EndScreen)
        assert "EventScreen" in seen and "ReportScreen" in seen
        # Every quarter played had its report, and every choice was the key's.
        assert seen.count("ReportScreen") == len(game.history) - 1
        for record in game.records:
            for _event, index in record.choices:
                assert index == int(choice) - 1 or len(game.book.event[_event].choices) < 2
        # The dashboard kept up: its update after `e` is well inside a frame budget.
        assert statistics.median(board.update_ms) < 50

        await pilot.press("enter")  # the end screen goes back to the menu
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
