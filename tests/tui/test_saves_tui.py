"""Saves in the terminal game: quit and Continue, Load game, the records table,
the replay viewer (step, seek, play, branch) and a branch played to its end."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import DataTable

from game.saves.codec import load_game, read_save
from game.saves.store import FINISHED, autosave, list_saves, saves_dir
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.message import MessageScreen
from game.tui.screens.replay import ReplayScreen
from game.tui.screens.saves import RecordsScreen, SavesScreen
from game.tui.screens.title import TitleScreen
from tests.tui import hostile
from tests.tui.helpers import (
    SHORT,
    SIZE,
    answer_events,
    app_for,
    dashboard,
    new_game,
    play_out,
    screen_text,
)


async def _play_turns(pilot, app, turns: int) -> None:  # type: ignore[no-untyped-def]
    """End `turns` quarters through the keys, answering events and closing reports."""
    board = dashboard(app)
    target = board.game.state.turn + turns
    for _ in range(200):
        if board.game.state.turn >= target and isinstance(app.screen, DashboardScreen):
            return
        screen = type(app.screen).__name__
        await pilot.press({"EventScreen": "1", "ReportScreen": "enter"}.get(screen, "e"))
    raise AssertionError("the turns did not end")


def _finished_save(seed: int = 3) -> Path:
    """A finished game of the short scenario, played by the advisor in the player's seat."""
    game = new_game(SHORT, "us", seed)
    while not game.over:
        for event_id, _lab in list(game.pending):
            game.choose(event_id, 0)
        game.submit(game.suggested_orders())
        game.end_turn()
    return autosave(game)


async def test_quit_then_continue_plays_on_from_the_same_quarter_to_the_end() -> None:
    app = app_for(new_game(SHORT, "us", 5))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _play_turns(pilot, app, 2)
        played = dashboard(app).game
        turn, digest = played.state.turn, played.state.digest()
        assert "Your game is saved" in _quit_question(app, await _ask_quit(pilot, app))
        await pilot.press("y")
    assert not app.is_running

    # A new session: the title offers Continue, which picks the game up where it stood.
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "Continue" in screen_text(app)
        await pilot.press("enter")  # Continue is first, and highlighted
        await pilot.pause()
        game = dashboard(app).game
        assert (game.state.turn, game.state.digest()) == (turn, digest)
        await play_out(pilot, app)
        assert game.over and isinstance(app.screen, EndScreen)

    # The finished game left the autosaves for finished/, and no Continue is offered.
    infos = list_saves()
    assert [i.kind for i in infos] == [FINISHED]
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Continue" not in screen_text(app)
        await pilot.press("t")  # the records table
        await pilot.pause()
        assert isinstance(app.screen, RecordsScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        text = screen_text(app)
        assert "DeepSeek" in text and ("won 20" in text or "lost 20" in text)
        await pilot.press("enter")  # the best game of the row, as a replay
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)


async def _ask_quit(pilot, app):  # type: ignore[no-untyped-def]
    await pilot.press("q")
    await pilot.pause()
    return app.screen


def _quit_question(app, screen) -> str:  # type: ignore[no-untyped-def]
    return screen_text(app)


async def test_load_game_lists_unfinished_saves_and_opens_one() -> None:
    game = new_game(SHORT, "china", 8)
    game.play_ai_choices()
    game.end_turn()
    autosave(game)
    _finished_save()  # finished games are for Replays, not Load game
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 1
        assert "in progress" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        loaded = dashboard(app).game
        assert loaded.state.digest() == game.state.digest()
        assert loaded.faction == "china"


async def test_a_bad_save_in_the_list_gets_one_sentence_and_changes_nothing() -> None:
    folder = saves_dir()
    folder.mkdir(parents=True, exist_ok=True)
    bad = folder / "broken.json"
    bad.write_text('{"format": "airace-save", "version": 1, "turns": [', encoding="utf-8")
    before = bad.read_bytes()
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "cannot be read" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        assert "broken.json cannot be opened" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
    assert bad.read_bytes() == before


async def test_a_strangers_names_in_the_list_stay_text(tmp_path: Path) -> None:
    # Found by the monkey: a scenario's name read as markup ended the app.
    game = hostile.game(tmp_path)
    game.play_ai_choices()
    game.end_turn()
    autosave(game)
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert hostile.SCENARIO_NAME.split(",")[0] in screen_text(app)


async def test_replay_steps_seeks_plays_and_branches_into_a_game_played_to_its_end() -> None:
    path = _finished_save()
    _, game = load_game(path)
    last = len(game.history) - 1
    app = app_for()
    app._start_replay = (game, path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        replay = app.screen
        assert isinstance(replay, ReplayScreen)
        assert replay.position == 0 and "Turn 1 of" in screen_text(app)
        await pilot.press("right", "right")
        assert replay.position == 2 and "Turn 3 of" in screen_text(app)
        await pilot.press("left")
        assert replay.position == 1
        await pilot.press("end")
        assert replay.position == last and "The end" in screen_text(app)
        await pilot.press("home")
        assert replay.position == 0
        # Every lab's orders for the quarter are shown.
        text = screen_text(app)
        for lab in game.state.labs.values():
            assert lab.name in text
        await pilot.press("g")
        await pilot.press("5", "enter")
        await pilot.pause()
        assert replay.position == 4
        # Play runs forward by itself, and space pauses it.
        await pilot.press("plus", "plus", "plus", "space")  # 8 turns a second
        await pilot.pause(0.6)
        await pilot.press("space")
        moved = replay.position
        assert moved > 4
        await pilot.pause(0.3)
        assert replay.position == moved  # paused
        # The quarter's report and the charts open from the replay.
        await pilot.press("home", "r")
        await pilot.pause()
        assert "Report for" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # Branch at turn 3: a new game of the player's, which records where it came from.
        await pilot.press("right", "right", "b")
        await pilot.pause()
        branch = dashboard(app).game
        assert branch.state.turn == 3
        assert branch.branch is not None and branch.branch.turn == 3
        assert branch.history[1].digest() == game.history[1].digest()
        await play_out(pilot, app)
        assert branch.over
    finished = [read_save(i.path) for i in list_saves() if i.kind == FINISHED]
    origins = [s.branch for s in finished if s.branch is not None]
    assert len(origins) == 1 and origins[0].turn == 3 and origins[0].save == path.name


async def test_save_under_a_name_from_the_dashboard() -> None:
    app = app_for(new_game(SHORT, "us", 2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_events(pilot, app)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"my plan", "enter")  # typing replaces the suggestion, selected
        await pilot.pause()
    named = [i for i in list_saves() if i.kind == "named"]
    assert [i.name for i in named] == ["my plan"]
    assert named[0].path.name == "my-plan.json"


async def test_names_in_saves_are_shown_as_written_never_as_markup() -> None:
    game = new_game(SHORT, "us", 6)
    game.play_ai_choices()
    game.end_turn()
    path = autosave(game)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["scenario"]["meta"]["name"] = "[/] Odd [b]name"
    path.write_text(json.dumps(doc), encoding="utf-8")
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "[/] Odd [b]name" in screen_text(app)  # Continue's line
        await pilot.press("l")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "[/] Odd [b]name" in screen_text(app)
