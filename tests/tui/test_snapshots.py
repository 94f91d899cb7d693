"""Every screen of the game at 100x32 with a fixed seed (pytest-textual-snapshot).

Review the SVGs by eye before `pytest --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from game.tui.screens.event import EventScreen
from game.tui.widgets.orders import Field
from tests.tui.helpers import SIZE, app_for, new_game

SnapCompare = Callable[..., bool]
SEED = 1


async def settle(pilot: Pilot[None]) -> None:
    """Answer the opening events with their first choice, as a player pressing 1 would."""
    await pilot.pause()
    while isinstance(pilot.app.screen, EventScreen):
        await pilot.press("1")
        await pilot.pause()


def then(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    return run


def test_title(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_for(), terminal_size=SIZE)


def test_scenarios(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_for(), press=["s"], terminal_size=SIZE)


def test_new_game(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_for(), press=["n"], terminal_size=SIZE)


def test_new_game_china(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_for(), press=["n", "enter", "down"], terminal_size=SIZE)


def test_help(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_for(), press=["question_mark"], terminal_size=SIZE)


def test_event(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_for(new_game(seed=SEED)), terminal_size=SIZE)


def test_dashboard_china(snap_compare: SnapCompare) -> None:
    game = new_game("base", "china", SEED)
    assert snap_compare(app_for(game), run_before=settle, terminal_size=SIZE)


def test_dashboard_with_orders_and_warnings(snap_compare: SnapCompare) -> None:
    async def order(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#gpu-h100", Field).input.focus()
        await pilot.press(*"250000", "tab", *"100", "tab", "tab", "tab", *"400")
        await pilot.pause()

    assert snap_compare(app_for(new_game(seed=SEED)), run_before=order, terminal_size=SIZE)


def test_dashboard_refusing_orders(snap_compare: SnapCompare) -> None:
    async def order(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#gpu-h100", Field).input.focus()
        await pilot.press(*"900000", "e")
        await pilot.pause()

    assert snap_compare(app_for(new_game(seed=SEED)), run_before=order, terminal_size=SIZE)


def test_report(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_for(new_game(seed=SEED)), run_before=then("e"), terminal_size=SIZE)


def test_dashboard_after_a_few_quarters(snap_compare: SnapCompare) -> None:
    async def play(pilot: Pilot[None]) -> None:
        for _ in range(4):
            await settle(pilot)
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(new_game(seed=SEED)), run_before=play, terminal_size=SIZE)


def test_quit_confirmation(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_for(new_game(seed=SEED)), run_before=then("q"), terminal_size=SIZE)


def test_too_small(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_for(new_game(seed=SEED)), terminal_size=(70, 20))


def test_hand_over(snap_compare: SnapCompare) -> None:
    """Hot-seat: the screen between two players' turns hides the whole board."""
    from game.engine.game import Game
    from game.tui.app import AIRaceApp
    from game.tui.themes import DARK
    from tests.tui.helpers import book

    game = Game(book(), "us", SEED, difficulty="normal", humans=("prometheus", "tianhe"))
    app = AIRaceApp(game, theme=DARK, hotseat=True)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=SIZE)
