"""A small scenario built in Python, and games made from it, for the engine tests.

The scenario is a plain dict that tests tweak with keyword overrides, so a
test shows exactly which numbers it depends on. Dicts merge by key, a value
of None removes a key, anything else replaces; `labs={id: {...}}` updates a
lab wherever it lives (a faction's main lab or a rival), each field replaced
whole (`gpus` given there is the lab's whole fleet).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from game.engine.game import Game
from game.engine.happenings import Accounts, Happening
from game.engine.orders import Orders
from game.engine.policies import View
from game.engine.rulebook import Rulebook
from game.engine.rules import resolve_turn
from game.engine.state import GameState
from game.scenario.models import Scenario

US = "alpha"  # the US main lab
CHINA = "dragon"  # the Chinese main lab
US_RIVAL = "beta"
CN_RIVAL = "whale"

# FLOP one GPU of 1 PFLOP/s gives in a quarter at the default rules.
FLOP_PER_PFLOPS = 1e15 * 0.4 * 7.9e6


def scenario_dict() -> dict[str, Any]:
    """A small valid scenario: two sides, two rivals, three chips, two power sources."""
    return {
        "meta": {"id": "engine-test", "name": "Engine test"},
        "start": "2025 Q1",
        "turns": 8,
        "factions": {
            "us": {
                "name": "United States",
                "lab_id": US,
                "lab": {
                    "name": "Alpha Lab",
                    "short": "Alpha",
                    "policy": "balanced",
                    "cash": 5000,
                    "gpus": {"h100": 10000},
                    "power_mw": {"grid": 14},
                    "efficiency": 1.0,
                    "capability": 60,
                    "backing": 60,
                    "concern": 10,
                    "train_share": 0.5,
                    "market_share": 0.3,
                    "running_costs": 100,
                },
            },
            "china": {
                "name": "China",
                "lab_id": CHINA,
                "subsidy_share": 0.3,
                "state_grant": 100,
                "lab": {
                    "name": "Dragon Lab",
                    "short": "Dragon",
                    "policy": "opportunist",
                    "cash": 3000,
                    "gpus": {"h20": 10000},
                    "power_mw": {"grid": 9},
                    "efficiency": 1.2,
                    "capability": 55,
                    "backing": 60,
                    "concern": 5,
                    "train_share": 0.5,
                    "market_share": 0.2,
                    "running_costs": 60,
                },
            },
        },
        "rivals": {
            US_RIVAL: {
                "name": "Beta Lab",
                "faction": "us",
                "policy": "scaler",
                "cash": 8000,
                "gpus": {"h100": 20000},
                "power_mw": {"grid": 20, "gas": 9},
                "capability": 62,
                "backing": 60,
                "concern": 15,
                "train_share": 0.6,
                "market_share": 0.4,
                "running_costs": 150,
            },
            CN_RIVAL: {
                "name": "Whale Lab",
                "faction": "china",
                "policy": "efficient",
                "cash": 1000,
                "gpus": {"h20": 5000, "h100": 2000},
                "power_mw": {"grid": 8},
                "efficiency": 1.5,
                "capability": 58,
                "backing": 50,
                "concern": 5,
                "market_share": 0.1,
                "running_costs": 30,
            },
        },
        "chips": {
            "h100": {
                "name": "H100",
                "class": "frontier",
                "price": 25000,
                "train_pflops": 1.0,
                "serve_pflops": 1.0,
                "kw": 1.4,
                "lead_quarters": 1,
                "supply": {"us": 20000, "china": 0},
                "buyers": ["us"],
            },
            "b200": {
                "name": "B200",
                "class": "frontier",
                "price": 35000,
                "train_pflops": 2.5,
                "serve_pflops": 2.5,
                "kw": 2.0,
                "lead_quarters": 2,
                "available_from": "2025 Q3",
                "supply": {"us": 10000, "china": 0},
                "buyers": ["us"],
            },
            "h20": {
                "name": "H20",
                "class": "compliant",
                "price": 12000,
                "train_pflops": 0.15,
                "serve_pflops": 1.0,
                "kw": 0.8,
                "lead_quarters": 1,
                "supply": {"us": 0, "china": 20000},
                "buyers": ["china"],
            },
        },
        "power": {
            "grid": {
                "name": "Grid",
                "capex_per_mw": 10,
                "lead_quarters": {"us": 4, "china": 2},
                "price_per_mwh": {"us": 90, "china": 55},
                "co2_t_per_mwh": {"us": 0.4, "china": 0.6},
            },
            "gas": {
                "name": "Gas turbines",
                "capex_per_mw": 7,
                "lead_quarters": 1,
                "price_per_mwh": 75,
                "co2_t_per_mwh": 0.45,
                "max_mw_per_quarter": 100,
            },
        },
        "world": {"demand": 2000, "demand_growth": 0.05, "home_market": {"china": 0.2}},
        "victory": [{"kind": "turning_point", "threshold": 95}, {"kind": "frontier_at_end"}],
        "events": [
            {
                "id": "windfall",
                "title": "A windfall",
                "who": "player",
                "chance": 0.3,
                "effects": [{"add": {"me.cash": 200}}, {"news": "Money from nowhere."}],
            },
            {
                "id": "offer",
                "title": "An offer",
                "who": "all",
                "once": True,
                "chance": 0.5,
                "choices": [
                    {
                        "label": "Take it",
                        "ai_weight": 2,
                        "effects": [{"add": {"me.cash": 300, "me.concern": 3}}],
                    },
                    {"label": "Decline", "ai_weight": 1, "effects": [{"add": {"me.backing": 2}}]},
                ],
            },
            {
                "id": "h20_ban",
                "title": "H20 banned",
                "who": "world",
                "earliest": "2025 Q3",
                "latest": "2025 Q3",
                "once": True,
                "effects": [{"export": {"chip": "h20", "faction": "china", "allow": False}}],
                "then": [{"event": "h20_back", "delay": 2}],
            },
            {
                "id": "h20_back",
                "title": "H20 back",
                "who": "world",
                "chained": True,
                "effects": [{"export": {"chip": "h20", "faction": "china", "allow": True}}],
            },
            {
                "id": "levy",
                "title": "A levy",
                "who": "ai",
                "when": "me.concern > 12",
                "chance": 0.5,
                "effects": [{"add": {"me.cash": "-0.05 * max(me.cash, 0)"}}],
            },
        ],
    }


def merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`base` updated by `over`, recursively; None removes a key."""
    for key, value in over.items():
        if value is None:
            base.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def build_dict(**overrides: Any) -> dict[str, Any]:
    """The test scenario with `overrides` applied (see the module docstring)."""
    d = scenario_dict()
    labs = overrides.pop("labs", {})
    merge(d, overrides)
    for lab_id, changes in labs.items():
        for spec in d["factions"].values():
            if spec["lab_id"] == lab_id:
                spec["lab"].update(copy.deepcopy(changes))
                break
        else:
            d["rivals"][lab_id].update(copy.deepcopy(changes))
    return d


def make_book(**overrides: Any) -> Rulebook:
    return Rulebook(Scenario.model_validate(build_dict(**overrides)))


def make_game(
    faction: str = "us",
    seed: int = 1,
    *,
    player_policy: str | None = None,
    policies: Mapping[str, str] | None = None,
    difficulty: str | None = None,
    **overrides: Any,
) -> Game:
    """A game of the test scenario, `overrides` applied, from `faction`'s seat."""
    return Game(
        make_book(**overrides),
        faction,
        seed,
        difficulty=difficulty,
        player_policy=player_policy,
        policies=policies,
    )


class Hold:
    """A policy that buys nothing and keeps the train share."""

    name = "hold"

    def decide(self, view: View) -> Orders:
        return Orders(train_share=view.lab.train_share)


class Everyone(dict[str, Hold]):
    """Seats for resolve_turn: every lab holds."""

    def __missing__(self, key: str) -> Hold:
        return Hold()


HOLD = Everyone()


def resolve(
    game: Game, orders: Mapping[str, Orders] | None = None, *, state: GameState | None = None
) -> tuple[GameState, list[Happening]]:
    """One quarter from `state` (the game's by default): labs without orders hold."""
    new, out, _ = resolve_turn(game.book, state or game.state, dict(orders or {}), HOLD)
    return new, out


def step(game: Game, orders: Orders | None = None, choice: int = 0) -> list[Happening]:
    """Answer every pending event with `choice`, submit `orders` and end the turn."""
    while game.pending:
        event_id, _ = game.pending[0]
        n = len(game.book.event[event_id].choices)
        game.choose(event_id, min(choice, n - 1))
    if orders is not None:
        game.submit(orders)
    return game.end_turn()


def accounts(out: list[Happening]) -> Accounts:
    """The one Accounts happening of a turn."""
    found = [h for h in out if isinstance(h, Accounts)]
    assert len(found) == 1, found
    return found[0]


def of(out: list[Happening], kind: type) -> list[Any]:
    return [h for h in out if isinstance(h, kind)]
