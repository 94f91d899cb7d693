"""The charts: capability, compute, power and token cost of every lab, quarter by quarter."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from game.engine.state import GameState, LabState
from game.scenario.models import TurningPoint
from game.tui.board import Board
from game.tui.plain import clean, plain
from game.tui.widgets.chart import LineChart, Series, markers_for


def _flop(v: float) -> str:
    return f"1e{round(math.log10(v))}" if v > 0 else "0"


def _mw(v: float) -> str:
    return f"{v / 1000:g} GW" if v >= 1000 else f"{v:g} MW"


def dollars(v: float) -> str:
    """$ per million tokens: dollars from $1 up, cents below."""
    if v >= 1:
        return f"${v:g}"
    cents = v * 100
    if cents >= 0.01 or cents <= 0:
        return f"{cents:.2g}¢"
    # Tiny costs in plain decimals ("0.003¢"), never "3e-03¢": one significant digit.
    places = min(12, -math.floor(math.log10(cents)))
    return f"{cents:.{places}f}¢"


@dataclass(frozen=True, slots=True)
class Metric:
    """One chart: what it reads from a lab, how it is scaled and shown."""

    id: str
    tab: str
    caption: str
    read: Callable[[LabState], float]
    log: bool
    fmt: Callable[[float], str]
    now: Callable[[float], str]
    low_is_best: bool = False


METRICS: tuple[Metric, ...] = (
    Metric(
        "capability",
        "Capability",
        "Capability index: 10 points per tenfold training compute",
        lambda lab: lab.capability,
        False,
        lambda v: f"{v:g}",
        lambda v: f"{v:.1f}",
    ),
    Metric(
        "compute",
        "Compute",
        "Effective compute, FLOP a quarter, log scale",
        lambda lab: lab.compute,
        True,
        _flop,
        lambda v: f"{v:.2g}".replace("e+", "e"),
    ),
    Metric(
        "power",
        "Power",
        "Power online, MW",
        lambda lab: float(lab.power_mw),
        False,
        _mw,
        lambda v: f"{v:,.0f} MW",
    ),
    Metric(
        "cost",
        "Cost/token",
        "Cost per million tokens at GPT-4 level, log scale",
        lambda lab: lab.cost_per_mtok,
        True,
        dollars,
        dollars,
        low_is_best=True,
    ),
)


def when(state: GameState) -> float:
    """A state's time in years: 2025.0 is the start of 2025 Q1."""
    return state.year + (state.quarter - 1) / 4


def lab_series(game: Board, metric: Metric) -> list[Series]:
    """Every lab's line for `metric`: one point a quarter, up to the quarter it went out."""
    history = game.history
    first = history[0]
    ids = list(first.labs)
    markers = markers_for([first.labs[i].short for i in ids])
    out: list[Series] = []
    for n, lab_id in enumerate(ids):
        points: list[tuple[float, float]] = []
        for k, state in enumerate(history):
            lab = state.labs[lab_id]
            # Point k is the end of the k-th quarter played (0 is the start).
            points.append((when(first) + k / 4, metric.read(lab)))
            if not lab.alive:
                break
        name = clean(lab.short)
        out.append(Series(name, markers[n], n, tuple(points), lab.is_player, not lab.alive))
    return out


def caption(game: Board, metric: Metric) -> str:
    """What a chart shows, the player's value now and the best lab's."""
    s = game.state
    alive = [lab for lab in s.labs.values() if lab.alive] or list(s.labs.values())
    pick = min if metric.low_is_best else max
    best = pick(alive, key=metric.read)
    you = s.labs[s.player]
    text = f"{metric.caption}.  You: {metric.now(metric.read(you))}"
    if best.id != you.id:
        text += f", best: {best.short} {metric.now(metric.read(best))}"
    return text


def guides(game: Board, metric: Metric) -> list[tuple[float, str]]:
    """Levels drawn across a chart: the turning point on the capability chart."""
    if metric.id != "capability":
        return []
    return [
        (v.threshold, f"turning point {v.threshold:g}")
        for v in game.scenario.victory
        if isinstance(v, TurningPoint)
    ]


def chart_panes(game: Board) -> list[TabPane]:
    """One tab per metric, each with its caption and chart."""
    return [
        TabPane(
            m.tab,
            Vertical(
                Static(plain(caption(game, m)), classes="chart-caption"),
                LineChart(
                    lab_series(game, m),
                    log_y=m.log,
                    fmt_y=m.fmt,
                    guides=guides(game, m),
                    id=f"chart-{m.id}",
                ),
            ),
            id=f"tab-{m.id}",
        )
        for m in METRICS
    ]


class ChartsScreen(Screen[None]):
    """The four charts, one at a time: keys 1-4 or the tabs switch."""

    CSS_PATH = "charts.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("c", "close", "Back", show=False),
        *(Binding(str(n), f"show('tab-{m.id}')", m.tab) for n, m in enumerate(METRICS, 1)),
    ]

    def __init__(self, game: Board) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        s = self.game.state
        yield Static(
            f"Charts  {s.year} Q{s.quarter}, turn {s.turn} of {s.world.turns}", id="charts-title"
        )
        with TabbedContent(id="charts-tabs"):
            yield from chart_panes(self.game)
        yield Footer(compact=True)

    def action_show(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_close(self) -> None:
        self.app.pop_screen()
