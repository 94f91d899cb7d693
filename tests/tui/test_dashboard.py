"""The dashboard through the keyboard: orders, previews, refusals, carry-over, keys."""

from __future__ import annotations

from textual.widgets import Input

from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.event import EventScreen
from game.tui.screens.help import HELP, HelpScreen, scenario_help
from game.tui.screens.report import ReportScreen
from game.tui.screens.too_small import TooSmallScreen
from game.tui.themes import LIGHT
from game.tui.widgets.orders import Field, OrdersForm
from game.tui.widgets.panel import Panel
from tests.tui.helpers import SIZE, app_for, new_game


async def answer_events(pilot, app) -> None:  # type: ignore[no-untyped-def]
    while isinstance(app.screen, EventScreen):
        await pilot.press("1")
        await pilot.pause()


def text(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector, Panel).render())


async def type_into(pilot, app, field_id: str, digits: str) -> None:  # type: ignore[no-untyped-def]
    field = app.screen.query_one(f"#{field_id}", Field)
    field.input.focus()
    await pilot.pause()
    await pilot.press("ctrl+a", "ctrl+k", *digits)
    await pilot.pause()


async def test_orders_typed_in_are_priced_and_carried_into_the_next_quarter() -> None:
    game = new_game()
    app = app_for(game)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_events(pilot, app)
        await type_into(pilot, app, "gpu-h100", "250000")
        await type_into(pilot, app, "research", "200")
        form = app.screen.query_one(OrdersForm)
        assert form.orders.gpus == {"h100": 250000}
        assert form.orders.research == 200
        assert not form.problems
        cost = game.state.world.prices["h100"] * 250000 + 200
        assert f"${cost:,.0f}M" in text(app, "#preview") or f"{cost / 1000:,.2f}B" in text(
            app, "#preview"
        )
        # The advisor looks ahead: the new GPUs will need more power than the lab has.
        assert "lack power" in text(app, "#advisor")

        turn = game.state.turn
        await pilot.press("e")
        await pilot.pause()
        assert game.state.turn == turn + 1
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("enter")
        await pilot.pause()
        await answer_events(pilot, app)
        form = app.screen.query_one(OrdersForm)
        assert form.orders.gpus == {"h100": 250000}  # last quarter's orders, still affordable
        assert form.orders.research == 200


async def test_orders_that_cannot_stand_say_why_and_are_refused() -> None:
    game = new_game()
    app = app_for(game)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_events(pilot, app)
        await type_into(pilot, app, "gpu-h100", "9999999")
        form = app.screen.query_one(OrdersForm)
        assert form.problems
        assert "on offer" in text(app, "#problems")
        turn = game.state.turn
        await pilot.press("e")
        await pilot.pause()
        assert game.state.turn == turn
        assert isinstance(app.screen, DashboardScreen)
        assert any("cannot be given" in n.message for n in app._notifications)

        await type_into(pilot, app, "train", "150")
        assert any("0 to 100%" in p for p in app.screen.query_one(OrdersForm).problems)


async def test_letter_keys_work_while_an_order_field_has_the_focus() -> None:
    app = app_for(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_events(pilot, app)
        assert isinstance(app.focused, Input)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")  # no quarter played yet: a note, not a report
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("q", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_light_theme_and_ctrl_c_which_quits_at_once() -> None:
    app = app_for(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_toggle_light()
        await pilot.pause()
        assert app.theme == LIGHT
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert not app.is_running


def test_help_has_the_keys_the_turn_and_the_scenarios_glossary_with_sources() -> None:
    game = new_game()
    body = "\n".join(content.plain for _, content in scenario_help(game.scenario))
    for entry in game.scenario.glossary:
        assert entry.term in body
        if entry.source:
            assert entry.source in body
    for words in ("`e`", "`c`", "`r`", "`?`", "`q`", "How a turn works", "rules in short"):
        assert words in HELP
    assert "capability 106 (the turning point)" in body  # how this scenario is won


async def test_the_command_palette_ends_the_turn() -> None:
    game = new_game()
    app = app_for(game)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_events(pilot, app)
        turn = game.state.turn
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"end turn")
        await pilot.pause(0.3)  # the palette searches in the background
        await pilot.press("enter")
        await pilot.pause()
        assert game.state.turn == turn + 1


async def test_a_small_terminal_asks_for_a_larger_window_and_recovers() -> None:
    app = app_for(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_events(pilot, app)
        for width, height in ((79, 24), (40, 10), (80, 23), (1, 1)):
            await pilot.resize_terminal(width, height)
            assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("e")  # still plays at the smallest size
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)


async def test_events_are_picked_by_number_keys() -> None:
    game = new_game()
    app = app_for(game)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        first = game.state.pending[0].event
        await pilot.press("9")  # no ninth choice: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        await pilot.press("2")
        await pilot.pause()
        assert (first, 1) in game.records[-1].choices


async def test_a_choice_that_sets_how_the_lab_works_shows_in_the_orders() -> None:
    # Beijing's directives fix the training share at 60%: the form must not
    # quietly send last quarter's 50% and undo the choice.
    game = new_game(faction="china", seed=3)
    assert [p.event for p in game.state.pending] == ["beijing_backs"]
    app = app_for(game)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert game.player.train_share == 0.6
        assert app.screen.query_one(OrdersForm).orders.train_share == 0.6
        assert app.screen.query_one("#train", Field).input.value == "60"


async def test_the_lab_panel_says_which_chips_sit_unpowered() -> None:
    from game.engine.fleet import fill_power
    from game.fmt import compact

    game = new_game(faction="china")
    lab = game.player
    lab.power = {"grid": 40}  # 40 MW: the best chips run, the rest go dark
    fill_power(game.book, lab, game.state.world.prices)
    dark = {c: n - lab.powered_chips[c] for c, n in lab.gpus.items()}
    assert sum(dark.values()) == lab.idle_gpus > 0
    app = app_for(game)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_events(pilot, app)
        shown = text(app, "LabPanel")
        for chip, n in dark.items():
            name = game.book.chip[chip].name.removesuffix("-class")
            row = next(line for line in shown.splitlines() if name in line)
            assert (f"!{compact(n)} off" in row) == (n > 0), row


async def test_a_fills_the_form_with_the_advisors_plan_which_the_player_may_change() -> None:
    game = new_game()
    app = app_for(game)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_events(pilot, app)
        digest = game.state.digest()
        plan = game.suggested_orders()
        assert plan.gpus or plan.power or plan.research  # the plan does something
        await pilot.press("a")
        await pilot.pause()
        form = app.screen.query_one(OrdersForm)
        # The form holds whole $M of research, rounded down.
        assert form.orders == plan.model_copy(update={"research": float(int(plan.research))})
        assert not form.problems
        assert game.state.digest() == digest  # asking for the plan changes nothing in the game
        await type_into(pilot, app, "research", "7")  # the player edits it
        assert form.orders.research == 7
        assert form.orders.gpus == plan.gpus
        turn = game.state.turn
        await pilot.press("e")
        await pilot.pause()
        assert game.state.turn == turn + 1
        assert game.records[-2].orders[game.player.id].research == 7
