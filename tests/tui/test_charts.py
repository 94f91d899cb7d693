"""The chart widget and the charts screen: drawing, keys, and snapshots."""

from __future__ import annotations

import math
from functools import cache

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.widgets import Static, TabbedContent

from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.scenario.loader import load_scenario
from game.tui.screens.charts import METRICS, ChartsScreen, caption, dollars, guides, lab_series
from game.tui.widgets.chart import (
    DARK_PALETTE,
    LIGHT_PALETTE,
    LineChart,
    Series,
    draw_chart,
    markers_for,
    y_ticks,
)


@cache
def book() -> Rulebook:
    return Rulebook(load_scenario("base"))


def played(turns: int | None = None, seed: int = 1) -> Game:
    """A game with the balanced policy in the player's seat, `turns` quarters in (or over)."""
    game = Game(book(), "us", seed=seed, player_policy="balanced")
    while not game.over and (turns is None or len(game.history) <= turns):
        game.play_ai_choices()
        game.end_turn()
    return game


class Host(App[None]):
    """A bare app that opens the charts over an empty screen."""

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self.animation_level = "none"  # the tab underline's slide only slows the tests

    def compose(self) -> ComposeResult:
        yield Static("underneath", id="underneath")

    def on_mount(self) -> None:
        self.push_screen(ChartsScreen(self.game))


def _series() -> list[Series]:
    return [
        Series("Alpha", "A", 0, ((2025.0, 1e26), (2025.25, 1e27), (2025.5, 1e28))),
        Series("Beta", "B", 1, ((2025.0, 2e26), (2025.25, 3e26)), emphasis=True),
    ]


# -- the widget --------------------------------------------------------------


def test_chart_fills_its_size_exactly() -> None:
    for width, height in ((80, 18), (100, 26), (40, 10)):
        lines = draw_chart(_series(), width, height, log_y=True).plain.split("\n")
        assert len(lines) == height
        assert all(len(line) <= width for line in lines)


def test_every_line_has_its_marker_and_a_legend_entry() -> None:
    text = draw_chart(_series(), 80, 18, log_y=True).plain
    legend = text.split("\n")[-1]
    assert "A Alpha" in legend and "B Beta (you)" in legend
    plot = "\n".join(text.split("\n")[:-3])
    assert "A" in plot and "B" in plot  # markers on the lines, not colour alone


def test_the_emphasised_line_is_bold() -> None:
    text = draw_chart(_series(), 80, 18, log_y=True)
    bold = {text.plain[s.start : s.end] for s in text.spans if getattr(s.style, "bold", False)}
    assert any("Beta" in piece for piece in bold)
    assert not any("Alpha" in piece for piece in bold)


def test_log_axis_ticks_are_whole_decades() -> None:
    lo, hi, ticks = y_ticks(3e25, 4e29, 20, log=True)
    assert lo <= 3e25 and hi >= 4e29
    assert all(math.log10(t) == round(math.log10(t)) for t in ticks)
    lo, hi, ticks = y_ticks(0.0004, 0.9, 4, log=True)  # few rows: every other decade
    assert lo <= 0.0004 and hi >= 0.9 and len(ticks) <= 4


def test_linear_axis_covers_the_data_in_round_steps() -> None:
    lo, hi, ticks = y_ticks(58.0, 96.3, 18, log=False)
    assert lo <= 58 and hi >= 96.3
    assert ticks == sorted(ticks) and ticks[0] == lo and ticks[-1] == hi


def test_no_data_and_tiny_sizes_draw_without_error() -> None:
    assert "no data" in draw_chart([], 80, 18).plain
    assert draw_chart(_series(), 10, 3).plain == ""
    one = [Series("Solo", "S", 0, ((2025.0, 5.0),))]
    assert "S" in draw_chart(one, 60, 12).plain


def test_markers_are_distinct_letters() -> None:
    assert markers_for(["OpenMind", "Orion", "Oak"]) == ["O", "R", "A"]
    names = ["Prometheus", "Tianhe", "Colossus", "Llama", "OpenMind", "DeepWhale"]
    assert markers_for(names) == ["P", "T", "C", "L", "O", "D"]


def test_token_cost_reads_in_dollars_then_cents() -> None:
    assert [dollars(v) for v in (2.0, 1.0, 0.1, 0.05, 0.001)] == ["$2", "$1", "10¢", "5¢", "0.1¢"]
    # The cost collapse goes far below a cent: plain decimals, never "3e-03¢".
    assert [dollars(v) for v in (3e-5, 4.4e-7)] == ["0.003¢", "0.00004¢"]


# -- the game's data ----------------------------------------------------------


def test_every_lab_has_one_point_a_quarter_and_the_player_stands_out() -> None:
    game = played()
    for metric in METRICS:
        series = lab_series(game, metric)
        assert len(series) == len(game.state.labs)
        assert [s.emphasis for s in series].count(True) == 1
        assert len({s.marker for s in series}) == len(series)
        for s in series:
            xs = [x for x, _ in s.points]
            assert xs == sorted(xs) and len(xs) <= len(game.history)
    (you,) = (s for s in lab_series(game, METRICS[0]) if s.emphasis)
    assert you.points[-1][1] == game.player.capability


def test_a_lab_that_went_out_stops_there() -> None:
    game = played(seed=1)
    game_out = [lab for lab in game.state.labs.values() if not lab.alive]
    series = {s.name: s for s in lab_series(game, METRICS[0])}
    for lab in game_out:
        s = series[lab.short]
        assert s.out and "(out)" in s.note
        assert len(s.points) <= len(game.history)


# -- the screen ---------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (100, 32)])
async def test_keys_switch_charts_each_showing_every_lab(size: tuple[int, int]) -> None:
    game = played()
    app = Host(game)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChartsScreen)
        tabs = app.screen.query_one(TabbedContent)
        assert tabs.active == "tab-capability"
        for key, metric in zip("1234", METRICS, strict=True):
            await pilot.press(key)
            assert tabs.active == f"tab-{metric.id}"
            chart = app.screen.query_one(f"#chart-{metric.id}", LineChart)
            assert chart.size.height >= 12
            text = str(chart.render())
            for lab in game.state.labs.values():
                assert lab.short in text
        await pilot.press("escape")
        assert not isinstance(app.screen, ChartsScreen)


async def test_c_closes_too() -> None:
    app = Host(played(turns=3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        assert not isinstance(app.screen, ChartsScreen)


async def test_charts_open_before_the_first_turn() -> None:
    app = Host(played(turns=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChartsScreen)


# -- snapshots (review by eye before --snapshot-update) -----------------------


def test_snapshot_capability(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(Host(played()), terminal_size=(100, 32))


def test_snapshot_cost_per_token(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(Host(played()), press=["4"], terminal_size=(100, 32))


def test_a_guide_level_is_drawn_and_kept_in_range() -> None:
    series = [Series("Solo", "S", 0, ((2025.0, 60.0), (2025.25, 70.0)))]
    text = draw_chart(series, 80, 18, guides=[(96.0, "turning point 96")]).plain
    assert "turning point 96" in text and "┄" in text
    assert "100" in text  # the axis stretched to show the level


def test_the_light_theme_gets_darker_lines() -> None:
    dark = draw_chart(_series(), 80, 18, log_y=True, palette=DARK_PALETTE)
    light = draw_chart(_series(), 80, 18, log_y=True, palette=LIGHT_PALETTE)
    assert dark.plain == light.plain
    colours = {
        str(s.style.color.name) for s in light.spans if isinstance(s.style, Style) and s.style.color
    }
    assert LIGHT_PALETTE[0] in colours and DARK_PALETTE[0] not in colours


def test_captions_give_the_players_value_and_the_best() -> None:
    game = played()
    text = caption(game, METRICS[0])
    assert f"You: {game.player.capability:.1f}" in text
    best = max(
        (lab for lab in game.state.labs.values() if lab.alive), key=lambda lab: lab.capability
    )
    if not best.is_player:
        assert f"best: {best.short}" in text
    assert guides(game, METRICS[0])[0][0] == 106
    assert guides(game, METRICS[1]) == []
