"""`airace play --scenario FILE --watch`: the game reloads its scenario file between turns.

Nothing waits on a timer: the tests change the file, then press `e` (which
looks at the file before ending the quarter) or call the check directly.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.saves.codec import load_game
from game.saves.store import latest_unfinished
from game.scenario.loader import load_scenario
from game.tui.app import AIRaceApp
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.problems import ProblemsScreen
from game.tui.screens.report import ReportScreen
from game.tui.themes import DARK
from game.tui.watch import ScenarioWatch
from tests.tui.helpers import SIZE, answer_events, dashboard

MINE = "meta: {id: mine, name: My scenario}\nextends: base\n"
SEED = 3


def write(path: Path, text: str) -> None:
    """Write the file as an editor would, its time moved on (a coarse clock cannot hide it)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def watched(path: Path, text: str = MINE) -> tuple[AIRaceApp, Game]:
    """The app as `airace play --scenario PATH --watch` starts it."""
    write(path, text)
    watch = ScenarioWatch(path)
    game = Game(Rulebook(load_scenario(path)), "us", SEED, difficulty="normal")
    app = AIRaceApp(game, theme=DARK, watch=watch)
    app.animation_level = "none"
    return app, game


async def end_turn(pilot: Pilot[None], app: AIRaceApp, *, plan: bool = False) -> None:
    """Answer the events, (take the advisor's plan,) end the quarter and close its report."""
    await answer_events(pilot, app)
    if plan:
        await pilot.press("a")
    await pilot.press("e")
    await pilot.pause()
    if isinstance(app.screen, ReportScreen):
        await pilot.press("enter")
    await answer_events(pilot, app)


def told(app: AIRaceApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_changed_file_reloads_the_game_at_the_same_turn(tmp_path: Path) -> None:
    path = tmp_path / "my.yaml"
    app, game = watched(path)
    async with app.run_test(size=SIZE) as pilot:
        await end_turn(pilot, app)
        await end_turn(pilot, app)
        turn = game.state.turn
        write(path, MINE + "chips: {h100: {price: 31000}}\n")
        await pilot.press("e")  # looks at the file first: the quarter waits for the next `e`
        await pilot.pause()
        await answer_events(pilot, app)
        reloaded = dashboard(app)
        assert reloaded.game is not game
        assert reloaded.game.state.turn == turn
        assert reloaded.game.scenario.chips["h100"].price == 31000
        assert any(m.endswith(", where you were.") for m in told(app)), told(app)
        info = latest_unfinished()  # the game saved in its own place, under the new version
        assert info is not None and info.game_id == game.id
        assert load_game(info.path)[1].state.digest() == reloaded.game.state.digest()
        await pilot.press("e")
        await pilot.pause()
        assert reloaded.game.state.turn == turn + 1 or reloaded.game.over


async def test_an_unchanged_file_rebuilds_the_very_same_game(tmp_path: Path) -> None:
    path = tmp_path / "my.yaml"
    app, game = watched(path)
    async with app.run_test(size=SIZE) as pilot:
        await end_turn(pilot, app, plan=True)
        await end_turn(pilot, app, plan=True)
        await answer_events(pilot, app)
        write(path, MINE + "# a comment changes the bytes, not the game\n")
        assert dashboard(app).check_scenario()
        await pilot.pause()
        await answer_events(pilot, app)
        assert dashboard(app).game.state.digest() == game.state.digest()


async def test_touching_the_file_without_changing_it_does_not_reload(tmp_path: Path) -> None:
    path = tmp_path / "my.yaml"
    app, game = watched(path)
    async with app.run_test(size=SIZE) as pilot:
        await answer_events(pilot, app)
        write(path, MINE)
        assert not dashboard(app).check_scenario()
        assert dashboard(app).game is game


async def test_a_change_to_the_file_it_extends_reloads_the_game(tmp_path: Path) -> None:
    parent = tmp_path / "parent.yaml"
    write(parent, "meta: {id: parent, name: Parent}\nextends: base\n")
    path = tmp_path / "my.yaml"
    app, game = watched(path, "meta: {id: mine, name: My scenario}\nextends: ./parent.yaml\n")
    async with app.run_test(size=SIZE) as pilot:
        await end_turn(pilot, app)
        watch = dashboard(app).scenario_file
        assert watch is not None and watch.files[:2] == [path, parent]
        turn = game.state.turn
        assert not dashboard(app).check_scenario()
        write(
            parent,
            "meta: {id: parent, name: Parent}\nextends: base\nchips: {h100: {price: 31000}}\n",
        )
        assert dashboard(app).check_scenario()
        await pilot.pause()
        await answer_events(pilot, app)
        reloaded = dashboard(app)
        assert reloaded.game is not game and reloaded.game.state.turn == turn
        assert reloaded.game.scenario.chips["h100"].price == 31000


def test_the_files_followed_change_with_the_extends_line(tmp_path: Path) -> None:
    path, parent = tmp_path / "my.yaml", tmp_path / "parent.yaml"
    write(parent, "meta: {id: parent, name: Parent}\nextends: base\n")
    write(path, MINE)
    watch = ScenarioWatch(path)
    assert watch.files[0] == path and parent not in watch.files
    write(path, "meta: {id: mine, name: My scenario}\nextends: parent\n")
    assert watch.changed()
    assert watch.files[:2] == [path, parent]
    write(parent, "meta: {id: parent, name: Parent}\nextends: base\n# edited\n")
    assert watch.changed()
    assert not watch.changed()


@pytest.mark.parametrize(
    ("extends", "appears"),
    [("./later/parent.yaml", "later/parent.yaml"), ("sibling", "sibling.yaml")],
)
def test_a_parent_not_written_yet_is_followed_until_it_appears(
    tmp_path: Path, extends: str, appears: str
) -> None:
    # The author points `extends` at a file they have not saved yet: the game
    # cannot reload until it exists, and must notice when it does, without
    # the child being saved again.
    path = tmp_path / "my.yaml"
    write(path, MINE)
    watch = ScenarioWatch(path)
    write(path, f"meta: {{id: mine, name: My scenario}}\nextends: {extends}\n")
    assert watch.changed()
    parent = tmp_path / appears
    assert watch.files == [path, parent]
    assert not watch.changed()
    parent.parent.mkdir(exist_ok=True)
    write(parent, "meta: {id: parent, name: Parent}\nextends: base\n")
    assert watch.changed()
    assert watch.files[:2] == [path, parent]
    assert watch.load().meta.id == "mine"


async def test_a_broken_file_shows_its_problems_and_the_game_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "my.yaml"
    app, game = watched(path)
    async with app.run_test(size=SIZE) as pilot:
        await end_turn(pilot, app)
        turn = game.state.turn
        write(path, MINE + "turns: 99\nchips: {h100: {price: cheap}}\n")
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        lines = screen.text.splitlines()
        assert lines == [
            f"{path}:3:8: E103 turns: must be at most 40",
            f"{path}:4:23: E102 chips.h100.price: expected a number, got 'cheap'",
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert dashboard(app).game is game and app.screen is dashboard(app)
        await pilot.press("e")  # the same broken file is not shown again: the quarter ends
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert game.state.turn == turn + 1


async def test_orders_that_no_longer_fit_are_said_with_how_far_the_replay_went(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the file is named as the player would write it: my.yaml
    path = tmp_path / "my.yaml"
    app, game = watched(path)
    async with app.run_test(size=SIZE) as pilot:
        await end_turn(pilot, app, plan=True)
        await end_turn(pilot, app, plan=True)
        bought = game.records[0].orders[game.state.player]
        assert bought.gpus or bought.power  # the advisor's plan spent money in 2025 Q1
        write(path, MINE + "factions: {us: {lab: {cash: 1}}}\n")
        await pilot.press("e")
        await pilot.pause()
        await answer_events(pilot, app)
        reloaded = dashboard(app).game
        assert reloaded.state.turn == 1
        (notice,) = [m for m in told(app) if "changed" in m]
        assert notice.startswith(
            "my.yaml changed: the game replayed under it to 2025 Q1 only, where your recorded "
            "orders no longer fit: the orders cost "
        ), notice


async def test_the_file_is_looked_at_when_the_dashboard_comes_back_to_the_front(
    tmp_path: Path,
) -> None:
    path = tmp_path / "my.yaml"
    app, game = watched(path)
    async with app.run_test(size=SIZE) as pilot:
        await answer_events(pilot, app)
        await pilot.press("c")  # the charts, in front of the dashboard
        await pilot.pause()
        write(path, MINE + "chips: {h100: {price: 29000}}\n")
        await pilot.press("escape")
        await pilot.pause()
        await answer_events(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        assert dashboard(app).game.scenario.chips["h100"].price == 29000


def test_snapshot_problems_of_a_watched_file(
    snap_compare: Callable[..., bool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the file is named my.yaml on screen, wherever tmp_path is
    path = tmp_path / "my.yaml"
    app, _ = watched(path)

    async def break_it(pilot: Pilot[None]) -> None:
        await answer_events(pilot, app)
        write(path, MINE + "turns: 99\nchips: {h100: {price: '[b]cheap'}}\n")
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(app, run_before=break_it, terminal_size=SIZE)
