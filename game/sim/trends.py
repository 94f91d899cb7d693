"""How the simulated world grows, quarter by quarter, next to the real one's figures.

Plays games with the shipped policies in every seat and measures what a
reader who follows the AI race would check: how fast the largest lab's
training compute grows, how fast the cost of a token at fixed quality falls,
how fast the world's AI revenue grows, how concentrated the market ends, how
the two sides' fleets compare, and how often China's main lab is shut down.
Rates are per year, from the first quarter to the last one played up to a
cut-off date; each figure is the median over games.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.engine.state import GameState
from game.sim.runner import game_seed


@dataclass(frozen=True, slots=True)
class Trends:
    """Medians over games of the world's growth (rates per year)."""

    games: int
    compute_growth: float  # the largest lab's physical training FLOP a quarter
    cost_fall: float  # the cheapest cost per million tokens: how many times cheaper a year
    revenue_growth: float  # every lab's revenue together
    top_share: float  # the largest market share at the end of the game
    us_ahead: float  # share of games where US labs hold more H100-equivalents every quarter
    china_shutdown: float  # share of games where China's main lab is shut down by concern


@dataclass(slots=True)
class _Track:
    quarters: list[float]  # years since the start, for each quarter recorded
    compute: list[float]
    cost: list[float]
    revenue: list[float]
    us_ahead: bool = True


def _h100e(book: Rulebook, state: GameState, faction: str) -> float:
    """H100-equivalents (training PFLOP/s of installed GPUs) of one side's living labs."""
    total = 0.0
    for lab in state.labs.values():
        if lab.alive and lab.faction == faction:
            for chip, n in lab.gpus.items():
                total += n * book.chip[chip].train_pflops
    return total


def _record(book: Rulebook, state: GameState, track: _Track, start: int) -> None:
    labs = [lab for lab in state.labs.values() if lab.alive]
    if not labs:
        return
    train = max(lab.powered_train * lab.train_share * book.flop_per_pflops for lab in labs)
    track.quarters.append((state.year * 4 + state.quarter - 1 - start) / 4.0)
    track.compute.append(train)
    track.cost.append(min(lab.cost_per_mtok for lab in labs))
    track.revenue.append(sum(lab.revenue for lab in labs))
    if _h100e(book, state, "us") <= _h100e(book, state, "china"):
        track.us_ahead = False


def _per_year(years: list[float], values: list[float]) -> float | None:
    """Growth a year from the first value to the last (None without two positive values)."""
    pairs = [(y, v) for y, v in zip(years, values, strict=True) if v > 0]
    if len(pairs) < 2 or pairs[-1][0] <= pairs[0][0]:
        return None
    (y0, v0), (y1, v1) = pairs[0], pairs[-1]
    return math.exp(math.log(v1 / v0) / (y1 - y0))


def world_trends(book: Rulebook, games: int, seed: int = 1, until_year: int = 2028) -> Trends:
    """Play `games` games of `book` from the US seat with its shipped policy; measure trends.

    Growth rates use the quarters up to the end of `until_year`.
    """
    sc = book.scenario
    start = sc.start.year * 4 + sc.start.quarter - 1
    compute: list[float] = []
    cost: list[float] = []
    revenue: list[float] = []
    top: list[float] = []
    ahead: list[bool] = []
    shutdown: list[bool] = []
    sides = book.factions
    china_main = sides["china"].lab_id if "china" in sides else None
    faction = "us" if "us" in sides else next(iter(sides))
    policy = sides[faction].lab.policy
    for i in range(games):
        game = Game(book, faction, game_seed(seed, i), player_policy=policy)
        game.keep_history = False
        track = _Track([], [], [], [])
        while not game.over:
            game.play_ai_choices()
            game.end_turn()
            if game.state.year <= until_year:
                _record(book, game.state, track, start)
        for out, rate in (
            (compute, _per_year(track.quarters, track.compute)),
            (revenue, _per_year(track.quarters, track.revenue)),
        ):
            if rate is not None:
                out.append(rate)
        fall = _per_year(track.quarters, track.cost)
        if fall is not None:
            cost.append(1.0 / fall)
        state = game.state
        top.append(max(lab.market_share for lab in state.labs.values()))
        ahead.append(track.us_ahead)
        main = state.labs.get(china_main) if china_main else None
        shutdown.append(main is not None and main.out_reason == "shutdown")
    return Trends(
        games=games,
        compute_growth=statistics.median(compute) if compute else 0.0,
        cost_fall=statistics.median(cost) if cost else 0.0,
        revenue_growth=statistics.median(revenue) if revenue else 0.0,
        top_share=statistics.median(top) if top else 0.0,
        us_ahead=sum(ahead) / games if games else 0.0,
        china_shutdown=sum(shutdown) / games if games else 0.0,
    )
