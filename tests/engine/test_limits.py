"""The engine keeps every number finite: values only play can reach are held at
their documented limits, and orders past them are refused with every reason."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from game.engine.game import Game
from game.engine.orders import OrderError, Orders, PolicyOrders, parse_orders
from game.engine.state import LabState
from game.scenario import limits
from tests.engine.helpers import US, make_game, step


def finite_numbers(obj: Any, where: str = "") -> list[str]:
    """Every number in a state object that is not finite, by its path."""
    bad = []
    if isinstance(obj, bool):
        return bad
    if isinstance(obj, (int, float)):
        return [] if math.isfinite(obj) else [where]
    if isinstance(obj, dict):
        for k, v in obj.items():
            bad += finite_numbers(v, f"{where}.{k}")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            bad += finite_numbers(v, f"{where}[{i}]")
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            bad += finite_numbers(getattr(obj, f.name), f"{where}.{f.name}")
    return bad


def play_out(g: Game) -> None:
    while not g.over:
        step(g)
        state = g.state
        assert finite_numbers(state.labs, "labs") == []
        assert finite_numbers(state.world, "world") == []


def every_quarter(*effects: dict[str, Any], who: str = "all") -> list[dict[str, Any]]:
    return [{"id": "surge", "title": "Surge", "who": who, "effects": list(effects)}]


def test_cash_squared_every_quarter_is_held_at_the_money_limit() -> None:
    g = make_game(events=every_quarter({"multiply": {"me.cash": "me.cash * 1000"}}))
    play_out(g)
    assert g.state.turn == 8
    assert 0.99 * limits.HELD_MONEY <= g.player.cash <= limits.HELD_MONEY


def test_infinity_minus_infinity_changes_nothing() -> None:
    huge = "me.cash * 1e100 * 1e100 * 1e100 * 1e100"  # infinity
    effects = [
        {"set": {"me.cash": huge}},
        {"add": {"me.cash": f"{huge} - {huge}"}},
        {"multiply": {"me.efficiency": f"0 * {huge}"}},
    ]
    g = make_game(events=every_quarter(*effects))
    play_out(g)
    assert 0.99 * limits.HELD_MONEY <= g.player.cash <= limits.HELD_MONEY
    assert g.player.efficiency >= 1.0


def test_the_fleet_and_efficiency_are_held() -> None:
    effects = [
        {"add": {"me.gpus.h100": "1e100", "me.power.grid": "1e100"}},
        {"multiply": {"me.efficiency": 1.0e12}},
    ]
    g = make_game(events=every_quarter(*effects, who="player"))
    play_out(g)
    lab: LabState = g.player
    assert lab.gpus["h100"] == limits.HELD_GPUS
    assert lab.power["grid"] == limits.HELD_MW
    assert lab.efficiency == limits.HELD_EFFICIENCY


def test_the_world_is_held() -> None:
    effects = [
        {"multiply": {"world.demand": 1.0e12, "world.demand_growth": 1.0e12}},
        {"price": {"chip": "h100", "multiply": 1000}},
        {"supply": {"chip": "h100", "multiply": 1000}},
        {"demand": {"multiply": 1000, "growth": 2}},
        {"power_lead": {"source": "grid", "faction": "us", "add": 40}},
        {"power_lead": {"source": "grid", "faction": "us", "add": 40}},
    ]
    g = make_game(events=every_quarter(*effects, who="world"))
    play_out(g)
    w = g.state.world
    assert w.demand <= limits.HELD_MONEY and w.demand_growth == limits.HELD_GROWTH
    assert w.prices["h100"] == limits.HELD_CHIP_PRICE
    assert w.supply["h100"]["us"] == limits.HELD_GPUS
    assert w.power_lead["grid"]["us"] == limits.HELD_LEAD


def test_capability_is_held_and_wins_the_race_at_once() -> None:
    g = make_game(events=every_quarter({"add": {"me.capability": "1e100"}}, who="player"))
    assert g.player.capability == limits.HELD_CAPABILITY
    step(g)
    assert g.over and g.state.outcome is not None and g.state.outcome.winner == US


def test_everything_taken_away_leaves_a_game_that_plays_on() -> None:
    effects = [
        {"set": {"me.gpus.h100": 0, "me.power.grid": 0, "me.efficiency": 0, "me.cash": 0}},
        {"price": {"chip": "h100", "multiply": 0}},
        {"demand": {"multiply": 0}},
    ]
    g = make_game(events=every_quarter(*effects))
    play_out(g)
    assert g.state.world.prices["h100"] == 1e-6  # a dollar per GPU
    assert g.player.efficiency >= 1.0


# --- orders ---------------------------------------------------------------------------


def test_an_order_past_the_limits_is_refused_by_the_form() -> None:
    with pytest.raises(OrderError) as err:
        parse_orders({"power": {"grid": 10**308}, "gpus": {"h100": 10**400}, "research": 1e300})
    assert err.value.problems == [
        "gpus.h100: must not be above 10,000,000,000",
        "power.grid: must not be above 100,000,000",
        "research: must not be above 1,000,000,000,000.0",
    ]


def test_orders_past_the_limits_are_refused_with_every_reason_not_an_overflow() -> None:
    g = make_game()
    before = g.state.digest()
    huge = PolicyOrders({"h100": 10**400}, {"grid": 10**308}, 1e300, 0.5)
    expected = [
        "research must be between $0 and $1,000,000,000,000M",
        f"at most 10,000,000,000 GPUs of one chip can be ordered, not {10**400:,}",
        f"at most 100,000,000 MW of one source can be ordered, not {10**308:,}",
        "the orders cost more than any lab could pay",
    ]
    assert g.problems(huge) == expected
    with pytest.raises(OrderError) as err:
        g.submit(Orders.model_construct(gpus=huge.gpus, power=huge.power, research=1e300))
    assert err.value.problems == expected
    nan = Orders.model_construct(gpus={}, power={}, research=math.nan, train_share=math.nan)
    assert g.problems(nan) == [
        "research must be between $0 and $1,000,000,000,000M",
        "the train share must be between 0 and 1",
        "the orders cost more than any lab could pay",
    ]
    assert g.state.digest() == before
    assert g.player.id == US
