"""Hot-seat: two people at one terminal, each side's main lab a seat (issue 12).

A whole game from New game to the end screen through the keys; the hand-over
screen hides the board; the second seat never sees the first seat's orders;
saves, Continue and `airace resume` land on the hand-over of the seat whose
move is due.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from game.engine.game import Game
from game.engine.happenings import ChoiceMade
from game.engine.orders import Orders
from game.saves.codec import load_game
from game.saves.store import autosave, latest_unfinished
from game.tui.app import AIRaceApp
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.event import EventScreen
from game.tui.screens.hand_over import HandOverScreen, whose
from game.tui.screens.new_game import NewGameScreen
from game.tui.screens.report import ReportScreen
from game.tui.screens.title import TitleScreen
from game.tui.themes import DARK
from game.tui.widgets.orders import OrdersForm
from tests.tui.helpers import SHORT, SIZE, book, dashboard, screen_text

US, CHINA = "prometheus", "tianhe"  # the base scenario's main labs, and the short one's
SCENARIO_DOWNS = 2  # base, chip-war, deepseek-surprise: the short one
HOTSEAT_DOWNS = 2  # United States, China, Two players (one terminal)
# What only the board shows: none of it may be on screen behind a hand-over.
BOARD_WORDS = ("Your lab", "Orders for this quarter", "The race", "News", "Advisor")
# The US seat's research, a figure that shows nowhere else.
US_RESEARCH = 1234
MAX_STEPS = 600


def hotseat_app(game: Game) -> AIRaceApp:
    app = AIRaceApp(game, theme=DARK, hotseat=True)
    app.animation_level = "none"
    return app


def two_seat_game(seed: int = 7) -> Game:
    return Game(book(SHORT), "us", seed, difficulty="normal", humans=(US, CHINA))


def played(quarters: int, seed: int = 7) -> Game:
    """A hot-seat game a few quarters in: first choices, the advisor's orders."""
    game = two_seat_game(seed)
    for _ in range(quarters):
        for seat in game.seats:
            for event_id in game.pending_for(seat):
                game.choose(event_id, 0, seat=seat)
            game.submit(game.suggested_orders(seat=seat), seat=seat)
        game.end_turn()
    return game


def assert_hidden(app: AIRaceApp) -> None:
    """The hand-over screen is in front and nothing of the board shows."""
    assert isinstance(app.screen, HandOverScreen)
    text = screen_text(app)
    for words in BOARD_WORDS:
        assert words not in text, f"{words!r} shows behind the hand-over:\n{text}"


async def give_orders(pilot: Pilot[None], board: DashboardScreen, seen: dict[str, Any]) -> None:
    """The US gives a research budget only it has; China takes the advisor's plan."""
    game = board.game
    form = board.query_one(OrdersForm)
    if board.seat == US:
        mine = Orders(research=US_RESEARCH, train_share=0.5)
        if not game.problems(mine, seat=US):
            form.load(mine)
            seen["us_research"] = True
        else:
            seen["us_research"] = False
        seen["us_orders"] = form.orders
    else:
        # The US has given its orders; China's board knows nothing of them.
        assert game.waiting_for == (CHINA,)
        assert board.board.view.orders is None
        assert form.orders != seen["us_orders"]
        if seen["us_research"]:
            text = screen_text(board.app)  # type: ignore[arg-type]
            assert str(US_RESEARCH) not in text and f"{US_RESEARCH:,}" not in text
        await pilot.press("a")  # the advisor's plan
    await pilot.press("e")
    await pilot.pause()


async def play_hotseat(pilot: Pilot[None], app: AIRaceApp) -> list[str]:
    """Play to the end: Enter at hand-overs and reports, 1 at events, orders as above.
    Returns the screens seen, each hand-over with the seat it handed to, each report with
    its seat and quarter."""
    seen: list[str] = []
    script: dict[str, Any] = {}
    for _ in range(MAX_STEPS):
        screen = app.screen
        if isinstance(screen, HandOverScreen):
            assert_hidden(app)
            board = dashboard(app)
            lab = board.game.state.labs[board.seat]
            side = board.game.scenario.factions[lab.faction].name  # type: ignore[index]
            text = screen_text(app)
            # A turn while the game goes on; once it is over, the seat's last report.
            what = "last report" if board.game.over else "turn"
            assert f"{whose(side)} {what}" in text and lab.name in text
            seen.append(f"hand-over {board.seat}")
            await pilot.press("enter")
        elif isinstance(screen, EventScreen):
            seen.append("event")
            await pilot.press("1")
        elif isinstance(screen, ReportScreen):
            # Whose report, of which quarter: the seat at the dashboard's.
            board = dashboard(app)
            report = board.report
            assert report is not None and report.before.player == board.seat
            seen.append(f"report {board.seat} {report.before.turn}")
            await pilot.press("enter")
        elif isinstance(screen, DashboardScreen):
            seen.append(f"dashboard {screen.seat}")
            await give_orders(pilot, screen, script)
        else:
            seen.append("end" if isinstance(screen, EndScreen) else type(screen).__name__)
            return seen
        await pilot.pause()
    raise AssertionError(f"the game did not end in {MAX_STEPS} steps: {seen[-10:]}")


async def test_a_whole_hot_seat_game_from_new_game_to_the_end_screen() -> None:
    app = AIRaceApp(theme=DARK)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # New game
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)
        await pilot.press(*["down"] * SCENARIO_DOWNS, "enter")
        await pilot.press(*["down"] * HOTSEAT_DOWNS)
        await pilot.pause()
        assert "Two players at one terminal" in screen_text(app)
        await pilot.press("enter", "enter")  # the hot-seat "side", the default difficulty
        await pilot.press("4", "2", "enter")  # seed 42, and start
        await pilot.pause()
        game = dashboard(app).game
        assert (game.scenario.meta.id, game.seats, game.seed) == (SHORT, (US, CHINA), 42)

        seen = await play_hotseat(pilot, app)

        assert game.over
        assert isinstance(app.screen, EndScreen)
        quarters = len(game.history) - 1
        # Each quarter: the US, then China, each after a hand-over; each seat's report
        # opens when it next sits down. Once the game is over each seat sits down once
        # more, to its report on the last quarter, and then comes the end screen.
        handed = [s for s in seen if s.startswith("hand-over")]
        assert handed == [f"hand-over {US}", f"hand-over {CHINA}"] * (quarters + 1)
        assert sum(s.startswith("report") for s in seen) == 2 * quarters
        last = game.history[-2]
        assert seen[-5:] == [
            f"hand-over {US}",
            f"report {US} {last.turn}",
            f"hand-over {CHINA}",
            f"report {CHINA} {last.turn}",
            "end",
        ]
        # Both seats answered events, each for its own lab.
        assert any(r.seat_of for r in game.records)
        # The end screen tells both sides' story.
        text = screen_text(app)
        winner = next((s for s in game.seats if game.won(s)), None)
        head = (
            f"{game.scenario.factions[game.state.labs[winner].faction].name} won"  # type: ignore[index]
            if winner
            else "Neither player won"
        )
        assert head in text
        for seat in game.seats:
            assert f"({game.state.labs[seat].name})" in text

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_each_seat_sees_its_own_report_and_not_the_other_seats_choices() -> None:
    game = two_seat_game()
    app = hotseat_app(game)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_hidden(app)
        board = dashboard(app)
        assert board.seat == US
        await pilot.press("enter")
        await pilot.pause()
        while isinstance(app.screen, EventScreen):
            await pilot.press("1")
            await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert_hidden(app)
        assert board.seat == CHINA and game.waiting_for == (CHINA,)
        # China's board reads its own seat's view: the US lab as the quarter opened,
        # only China's events waiting, and China as "the player".
        assert board.board.state.player == CHINA
        assert board.board.view.orders is None
        assert all(p.lab == CHINA for p in board.board.state.pending)
        assert [lab.id for lab in board.board.state.labs.values() if lab.is_player] == [CHINA]
        await pilot.press("enter")
        await pilot.pause()
        while isinstance(app.screen, EventScreen):
            await pilot.press("1")
            await pilot.pause()
        assert "Your lab (China)" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        # The quarter resolved; the US sits down to its own report first.
        assert game.state.turn == 2
        assert_hidden(app)
        assert board.seat == US
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert app.screen.report.before.player == US
        assert app.screen.report.after.player == US


async def test_a_hot_seat_game_continues_at_the_hand_over_of_the_seat_whose_move_is_due() -> None:
    game = played(1, seed=5)  # China has an event to answer in the second quarter
    app = hotseat_app(game)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # The US gives its orders and China answers its events.
        for _ in range(MAX_STEPS):
            at_china = isinstance(app.screen, DashboardScreen) and game.waiting_for == (CHINA,)
            if game.state.turn == 2 and at_china:
                break
            screen = app.screen
            if isinstance(screen, HandOverScreen | ReportScreen):
                await pilot.press("enter")
            elif isinstance(screen, EventScreen):
                await pilot.press("1")
            else:
                await pilot.press("e")
            await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and dashboard(app).seat == CHINA
        records = [(r.choices, dict(r.seat_of)) for r in game.records]
        assert CHINA in game.records[1].seat_of.values()  # China chose this quarter
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()

    info = latest_unfinished()
    assert info is not None
    _save, loaded = load_game(info.path)
    assert loaded.seats == (US, CHINA)
    assert [(r.choices, dict(r.seat_of)) for r in loaded.records] == records

    app = AIRaceApp(theme=DARK)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await app.workers.wait_for_complete()  # the title screen looks for a game to continue
        await pilot.pause()
        assert "two players" in screen_text(app)
        await pilot.press("c")  # Continue
        await pilot.pause()
        # Orders given before the save are not kept: the US gives its own again, first.
        assert_hidden(app)
        board = dashboard(app)
        assert board.hotseat and board.seat == US
        resumed = board.game
        assert resumed.state.turn == 2 and resumed.waiting_for == (US, CHINA)
        # China's choices this quarter, replayed from the save, stay hidden from the US.
        assert any(isinstance(h, ChoiceMade) and h.lab == CHINA for h in resumed.happened[1])
        assert not any(isinstance(h, ChoiceMade) and h.lab == CHINA for h in board.board.view.news)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # no event asked again
        await pilot.press("e")
        await pilot.pause()
        assert_hidden(app)
        assert board.seat == CHINA
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # China's choices were kept too
        await pilot.press("e")
        await pilot.pause()
        assert resumed.state.turn == 3 or resumed.over


async def test_airace_resume_opens_a_two_seat_save_in_hot_seat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from game import cli

    apps: list[AIRaceApp] = []
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    monkeypatch.setattr(AIRaceApp, "run", lambda self, *a, **k: apps.append(self))
    game = two_seat_game()
    for seat in game.seats:
        for event_id in game.pending_for(seat):
            game.choose(event_id, 0, seat=seat)
        game.submit(game.suggested_orders(seat=seat), seat=seat)
    game.end_turn()
    autosave(game)
    assert cli.main(["resume"]) == 0
    (app,) = apps
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_hidden(app)
        board = dashboard(app)
        assert board.hotseat and board.seat == US
        assert board.game.state.digest() == game.state.digest()


async def test_the_replay_viewer_shows_both_seats_orders_and_the_save_verifies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from game import cli
    from game.tui.screens.replay import ReplayScreen

    path = autosave(played(3))
    _save, game = load_game(path)
    app = AIRaceApp(theme=DARK, replay=(game, path))
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        # The quarter in play is not shown: it holds choices the other seat has not seen.
        assert app.screen.last == 2
        for position in range(3):
            app.screen.seek(position)
            await pilot.pause()
            text = screen_text(app)
            for seat, side in ((US, "United States"), (CHINA, "China")):
                assert f"{game.state.labs[seat].short}" in text
                assert f"({side})" in text
        # `v` shows the other seat's lab, and its report.
        assert "The lab (United States)" in screen_text(app)
        await pilot.press("v")
        assert "The lab (China)" in screen_text(app)
        await pilot.press("left", "r")  # the last quarter shown has no next to report on
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert app.screen.report.before.player == CHINA
        assert app.screen.report.orders == game.records[1].orders[CHINA]
    assert cli.main(["replay", str(path), "--verify"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")
