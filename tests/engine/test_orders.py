"""Orders: refused before they touch the state, with every reason in plain words."""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import ValidationError

from game.engine.game import GameError
from game.engine.happenings import Rationed
from game.engine.orders import OrderError, Orders, parse_orders
from tests.engine.helpers import accounts, make_game, of, step

QUIET = {"events": []}


@pytest.mark.parametrize(
    "fields",
    [
        {"gpus": {"h100": -1}},
        {"power": {"gas": -5}},
        {"research": -1.0},
        {"research": math.nan},
        {"research": math.inf},
        {"train_share": 1.5},
        {"train_share": -0.1},
        {"train_share": math.nan},
        {"gpus": {"h100": 1.5}},
        {"bribes": 10},
    ],
    ids=lambda f: f"{next(iter(f))}={next(iter(f.values()))}",
)
def test_orders_model_refuses_bad_numbers(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Orders(**fields)
    with pytest.raises(OrderError):
        parse_orders(fields)


def test_parse_orders_lists_every_problem_in_plain_words() -> None:
    data = {
        "gpus": {"h100": -1},
        "power": {"gas": -2},
        "research": math.inf,
        "train_share": 2,
        "bribes": 1,
    }
    with pytest.raises(OrderError) as err:
        parse_orders(data)
    problems = err.value.problems
    assert len(problems) == 5
    text = "\n".join(problems)
    assert "gpus.h100: must not be below 0" in text
    assert "power.gas: must not be below 0" in text
    assert "research: must be a finite number" in text
    assert "train_share: must not be above 1" in text
    assert "bribes: is not a kind of order" in text
    assert str(err.value) == "; ".join(problems)


def test_parse_orders_refuses_nan_written_as_text() -> None:
    with pytest.raises(OrderError) as err:
        parse_orders({"research": "nan"})
    assert err.value.problems == ["research: must be a finite number"]


def test_parse_orders_says_a_gpu_count_must_be_whole() -> None:
    with pytest.raises(OrderError) as err:
        parse_orders({"gpus": {"h100": 1.5}})
    assert err.value.problems == ["gpus.h100: must be a whole number"]


def test_parse_orders_takes_valid_data() -> None:
    data = {"gpus": {"h100": 10}, "power": {"gas": 5}, "research": 12.5, "train_share": 0.7}
    assert parse_orders(data) == Orders(**data)
    assert parse_orders({}) == Orders()


REFUSED = [
    ("us", Orders(research=1e6), "the orders cost $1,000.00B but the lab has $5.00B"),
    ("china", Orders(gpus={"h100": 10}), "H100 may not be sold to Chinese labs (export rules)"),
    ("us", Orders(gpus={"h20": 10}), "H20 may not be sold to US labs (export rules)"),
    ("us", Orders(gpus={"b200": 10}), "B200 cannot be bought yet"),
    (
        "us",
        Orders(gpus={"h100": 20001}),
        "only 20,000 H100 GPUs are on offer to your side this quarter, not 20,001",
    ),
    (
        "china",
        Orders(gpus={"h20": 20001}),
        "only 20,000 H20 GPUs are on offer to your side this quarter, not 20,001",
    ),
    ("us", Orders(gpus={"tpu": 1}), "there is no chip called 'tpu'"),
    ("us", Orders(power={"fusion": 1}), "there is no power source called 'fusion'"),
    ("us", Orders(power={"gas": 101}), "at most 100 MW of Gas turbines can be ordered a quarter"),
]


@pytest.mark.parametrize(
    ("faction", "orders", "problem"), REFUSED, ids=[r[2][:40] for r in REFUSED]
)
def test_submit_refuses_orders_that_cannot_stand(
    faction: str, orders: Orders, problem: str
) -> None:
    g = make_game(faction, **QUIET)
    before = g.state.digest()
    assert g.problems(orders) == [problem]
    with pytest.raises(OrderError) as err:
        g.submit(orders)
    assert err.value.problems == [problem]
    assert g.state.digest() == before
    # The refused orders are not used: the quarter resolves with none.
    out = g.end_turn()
    assert dict(accounts(out).spending)["GPUs"] == 0
    assert dict(accounts(out).spending)["power build"] == 0
    assert dict(accounts(out).spending)["research"] == 0


def test_submit_lists_every_problem_at_once() -> None:
    g = make_game(**QUIET)
    before = g.state.digest()
    orders = Orders(
        gpus={"tpu": 1, "b200": 1, "h20": 1, "h100": 30000},
        power={"fusion": 1, "gas": 500},
    )
    with pytest.raises(OrderError) as err:
        g.submit(orders)
    problems = err.value.problems
    assert len(problems) == 6
    for words in (
        "'tpu'",
        "B200 cannot be bought yet",
        "H20 may not be sold",
        "only 20,000 H100",
        "'fusion'",
        "at most 100 MW of Gas turbines",
    ):
        assert any(words in p for p in problems), words
    assert g.state.digest() == before


def test_over_budget_is_reported_with_the_other_problems() -> None:
    g = make_game(**QUIET)
    problems = g.problems(Orders(gpus={"h100": 30000}, research=1e6))
    assert len(problems) == 2
    assert any("cost" in p for p in problems)


def test_orders_at_the_limits_stand() -> None:
    g = make_game(**QUIET)
    cash = g.player.cash
    assert g.problems(Orders(gpus={"h100": 20000})) == []
    assert g.problems(Orders(power={"gas": 100})) == []
    assert g.problems(Orders(research=cash)) == []  # every last dollar
    assert g.problems(Orders(gpus={"b200": 0, "tpu": 0})) == []  # zero of anything is nothing
    g.submit(Orders(research=cash))
    g.end_turn()


def test_a_lab_in_debt_cannot_spend() -> None:
    g = make_game(labs={"alpha": {"cash": -10}}, **QUIET)
    assert g.problems(Orders(train_share=0.9)) == []
    (problem,) = g.problems(Orders(research=1))
    assert problem.startswith("the orders cost $0.00B")


def test_an_oversubscribed_chip_gives_every_lab_of_the_side_the_same_share() -> None:
    g = make_game(policies={"beta": "scaler"}, **QUIET)
    price = g.state.world.prices["h100"]
    on_offer = g.state.world.supply["h100"]["us"]
    out = step(g, Orders(gpus={"h100": on_offer}))
    # The scaler rival wanted chips too: neither lab is served first.
    rival_asked = g.records[0].orders["beta"].gpus["h100"]
    assert rival_asked > 0
    got = {
        lab_id: sum(a.amount for a in g.state.labs[lab_id].pipeline if a.key == "h100")
        for lab_id in ("alpha", "beta")
    }
    assert sum(got.values()) == on_offer
    share = on_offer / (on_offer + rival_asked)
    assert got["alpha"] == pytest.approx(on_offer * share, abs=1)
    assert got["beta"] == pytest.approx(rival_asked * share, abs=1)
    # The player is told, and pays only for the GPUs filled.
    [cut] = of(out, Rationed)
    assert (cut.ordered, cut.got) == (on_offer, got["alpha"])
    assert "oversubscribed" in cut.text() and f"{got['alpha']:,} of the {on_offer:,}" in cut.text()
    assert dict(accounts(out).spending)["GPUs"] == pytest.approx(got["alpha"] * price)


def test_orders_within_the_supply_are_filled_whole() -> None:
    g = make_game(policies={"beta": "scaler"}, **QUIET)
    out = step(g, Orders(gpus={"h100": 100}))
    assert of(out, Rationed) == []
    assert sum(a.amount for a in g.player.pipeline if a.key == "h100") == 100


def test_a_refused_submit_leaves_the_orders_already_given() -> None:
    g = make_game(**QUIET)
    g.submit(Orders(gpus={"h100": 100}))
    with pytest.raises(OrderError):
        g.submit(Orders(gpus={"h100": 10**9}))
    out = g.end_turn()
    assert dict(accounts(out).spending)["GPUs"] == pytest.approx(100 * 0.025)


def test_no_orders_after_the_game_is_over() -> None:
    g = make_game(victory=[{"kind": "turning_point", "threshold": 1}], **QUIET)
    step(g)
    assert g.over
    with pytest.raises(GameError):
        g.submit(Orders())
