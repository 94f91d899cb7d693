"""The end screen: the verdict, the milestones, the charts and the way back to the menu."""

from __future__ import annotations

from functools import cache

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static, TabbedContent

from game.engine.game import Game
from game.engine.happenings import Happening, Milestone
from game.engine.rulebook import Rulebook
from game.scenario.loader import load_scenario
from game.tui.screens.end import (
    EndScreen,
    milestone_names,
    milestones,
    milestones_table,
    results_table,
    verdict,
)

WIN_SEED, LOSS_SEED = 7, 2  # with the balanced policy in the US seat


@cache
def book() -> Rulebook:
    return Rulebook(load_scenario("base"))


def played(seed: int, policy: str = "balanced") -> tuple[Game, list[Happening]]:
    """A whole game and everything that happened in it."""
    game = Game(book(), "us", seed=seed, player_policy=policy)
    seen = list(game.opening)
    while not game.over:
        seen += game.play_ai_choices()
        seen += game.end_turn()
    return game, seen


class Host(App[None]):
    """A bare app with the main-menu action the real app provides."""

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self.menu_calls = 0
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        yield Static("menu")

    def on_mount(self) -> None:
        self.push_screen(EndScreen(self.game))

    def action_main_menu(self) -> None:
        self.menu_calls += 1


def test_milestones_match_what_the_engine_announced() -> None:
    for seed in (WIN_SEED, LOSS_SEED):
        game, seen = played(seed)
        names = dict(milestone_names(game))
        announced = sorted((h.turn, h.lab or "", h.name) for h in seen if isinstance(h, Milestone))
        found = sorted(
            (r.turn, r.lab, names[flag]) for flag, got in milestones(game).items() for r in got
        )
        assert len(found) == len(announced) > 0
        assert [(t, lab) for t, lab, _ in found] == [(t, lab) for t, lab, _ in announced]


def test_milestone_dates_follow_the_turns() -> None:
    game, _ = played(LOSS_SEED)
    start = game.history[0]
    for got in milestones(game).values():
        for r in got:
            quarters = (r.year - start.year) * 4 + r.quarter - start.quarter
            assert quarters == r.turn - 1


def test_the_verdict_says_won_or_lost_and_why() -> None:
    won, _ = played(WIN_SEED)
    lost, _ = played(LOSS_SEED)
    assert won.state.outcome is not None and won.state.outcome.player_won
    assert lost.state.outcome is not None and not lost.state.outcome.player_won
    head, why = verdict(won)
    assert head == "You won" and won.state.outcome.text in why
    head, why = verdict(lost)
    assert head == "You lost" and lost.state.outcome.text in why


def test_a_bankrupt_player_is_told_so() -> None:
    game = Game(book(), "us", seed=LOSS_SEED, player_policy="balanced")
    game.player.running_costs = 1e6  # $1T a quarter: no lab survives that
    while not game.over:
        game.play_ai_choices()
        game.end_turn()
    assert game.state.outcome is not None and game.state.outcome.kind == "bankruptcy"
    head, why = verdict(game)
    assert head == "You lost" and "bankrupt" in why and "is out" in why


def test_tables_name_every_lab_and_the_turning_point() -> None:
    from rich.console import Console

    game, _ = played(WIN_SEED)
    console = Console(width=100, record=True)
    console.print(results_table(game))
    console.print(milestones_table(game))
    text = console.export_text()
    for lab in game.state.labs.values():
        assert lab.name in text
    assert "turning point" in text and "(you)" in text


async def test_enter_goes_back_to_the_main_menu() -> None:
    game, _ = played(LOSS_SEED)
    app = Host(game)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        await pilot.press("enter")
        assert app.menu_calls == 1


async def test_keys_show_the_result_milestones_and_charts() -> None:
    game, _ = played(WIN_SEED)
    app = Host(game)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tabs = app.screen.query_one(TabbedContent)
        assert tabs.active == "tab-result"
        for key, tab in (("m", "milestones"), ("1", "capability"), ("4", "cost"), ("r", "result")):
            await pilot.press(key)
            assert tabs.active == f"tab-{tab}"


# -- snapshots (review by eye before --snapshot-update) -----------------------


def test_snapshot_lost(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(Host(played(LOSS_SEED)[0]), terminal_size=(100, 32))


def test_snapshot_won_milestones(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(Host(played(WIN_SEED)[0]), press=["m"], terminal_size=(100, 32))


def test_snapshot_won_capability_chart(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(Host(played(WIN_SEED)[0]), press=["1"], terminal_size=(100, 32))


async def test_the_real_app_ends_on_this_screen_and_goes_back_to_the_title() -> None:
    from game.tui.app import AIRaceApp
    from game.tui.screens.title import TitleScreen

    game, _ = played(LOSS_SEED)
    app = AIRaceApp(game)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


@pytest.mark.parametrize(
    "scenario", ["base", "chip-war", "deepseek-surprise", "sandbox", "stargate"]
)
@pytest.mark.parametrize("side", ["us", "china"])
def test_every_shipped_scenario_ends_readably(scenario: str, side: str) -> None:
    from rich.console import Console

    from game.tui.screens.charts import METRICS, caption, lab_series
    from game.tui.widgets.chart import draw_chart

    sc = load_scenario(scenario)
    if side not in sc.factions:
        pytest.skip(f"{scenario} has no {side} side")
    game = Game(Rulebook(sc), side, seed=3, player_policy="balanced")
    while not game.over:
        game.play_ai_choices()
        game.end_turn()
    head, why = verdict(game)
    assert head in ("You won", "You lost") and why
    console = Console(width=80, record=True)
    console.print(results_table(game))
    console.print(milestones_table(game))
    text = console.export_text()
    judged = any(v.kind == "score" for v in sc.victory)
    assert ("Score*" in text) != judged
    assert ("turning point" in text) == any(v.kind == "turning_point" for v in sc.victory)
    for metric in METRICS:
        chart = draw_chart(lab_series(game, metric), 78, 17, log_y=metric.log).plain
        assert "(you" in chart and caption(game, metric)
