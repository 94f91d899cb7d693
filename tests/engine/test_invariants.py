"""Invariants over random games: whatever valid orders a player gives, the books balance.

Hypothesis draws the player's side, the seed, and each quarter's orders as
fractions of what the lab can afford and what is on offer; only orders that
`Game.problems` accepts are submitted. Every other lab plays its policy.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.game import Game
from game.engine.happenings import LabOut, Rationed
from game.engine.orders import Orders
from game.engine.state import GameState
from tests.engine.helpers import accounts, make_game, of

FRACTION = st.floats(min_value=0.0, max_value=1.0)


def draw_orders(data: st.DataObject, game: Game) -> Orders:
    """Random orders the game accepts: fractions of cash and of each quarter's offer."""
    lab = game.player
    world = game.state.world
    book = game.book
    cash = max(lab.cash, 0.0)
    spend = data.draw(FRACTION) * cash
    gpus: dict[str, int] = {}
    for chip in sorted(world.prices):
        on_offer = world.supply[chip].get(lab.faction, 0)
        n = min(int(data.draw(FRACTION) * on_offer), int(spend / 4 / world.prices[chip]))
        if n > 0 and not game.problems(Orders(gpus={chip: n})):
            gpus[chip] = n
    power: dict[str, int] = {}
    for src in sorted(book.capex):
        caps = book.max_mw[src]
        cap = 1000 if caps is None else caps.get(lab.faction, 0)
        mw = min(int(data.draw(FRACTION) * cap), int(spend / 4 / max(book.capex[src], 1e-9)))
        if mw > 0:
            power[src] = mw
    research = round(data.draw(FRACTION) * spend / 4, 3)
    orders = Orders(gpus=gpus, power=power, research=research, train_share=data.draw(FRACTION))
    if game.problems(orders):
        orders = Orders(train_share=orders.train_share)
    assert game.problems(orders) == []
    return orders


def check_turn(old: GameState, new: GameState, orders: Orders, out: list) -> None:
    """Every invariant of one quarter, from `old` (after choices) to `new`."""
    me_old = old.labs[old.player]
    me = new.labs[new.player]

    # The player's money: the Accounts explain every dollar.
    acc = accounts(out)
    income, spending = dict(acc.income), dict(acc.spending)
    moved = me_old.cash - me_old.cash_settled  # money events since the last close
    assert math.isclose(
        income.get("events", 0.0) - spending.get("events", 0.0), moved, rel_tol=1e-9, abs_tol=1e-6
    )
    assert math.isclose(me.cash_settled - me_old.cash_settled, acc.net, rel_tol=1e-9, abs_tol=1e-6)
    # GPUs are paid as filled: an oversubscribed chip fills a share of the order, and says so.
    prices = old.world.prices
    filled = dict(orders.gpus)
    for cut in of(out, Rationed):
        assert cut.lab == old.player and 0 <= cut.got < cut.ordered == orders.gpus[cut.chip]
        filled[cut.chip] = cut.got
    assert math.isclose(
        spending["GPUs"],
        sum(prices[c] * n for c, n in filled.items()),
        rel_tol=1e-9,
        abs_tol=1e-9,
    )
    assert math.isclose(spending["research"], orders.research, rel_tol=1e-9, abs_tol=1e-9)
    if new.over:  # no news after the last quarter: nothing moved since the close
        assert me.cash == me.cash_settled

    fell = {h.lab for h in of(out, LabOut)}
    for lab_id, lab in new.labs.items():
        before = old.labs[lab_id]
        # Counts never go negative; money may.
        assert all(n >= 0 for n in lab.gpus.values()), lab.gpus
        assert all(mw >= 0 for mw in lab.power.values()), lab.power
        assert all(a.amount > 0 and a.turn > old.turn for a in lab.pipeline), lab.pipeline
        assert lab.gpus_total == sum(lab.gpus.values())
        assert lab.gpus_on_order == sum(a.amount for a in lab.pipeline if a.kind == "gpu")
        assert lab.power_building == sum(a.amount for a in lab.pipeline if a.kind == "power")
        if before.alive:
            # Power feeds no more GPUs than are installed and no more kW than are online.
            assert 0 <= lab.powered_gpus <= lab.gpus_total
            assert lab.idle_gpus == lab.gpus_total - lab.powered_gpus
            assert lab.drawn_mw * 1000 <= lab.power_mw * 1000 + 1e-6
            assert lab.power_mw == sum(lab.power.values())
        assert lab.capability >= before.capability
        assert lab.efficiency >= 1.0
        assert 0.0 <= lab.concern <= 100.0
        assert 0.0 <= lab.backing <= 100.0
        assert 0.0 <= lab.market_share <= 1.0
        assert lab.alive or lab_id in fell or not before.alive

    # The market: shares split the world over the labs that played the quarter.
    played = [k for k, lab in old.labs.items() if lab.alive]
    revenue = sum(new.labs[k].revenue for k in played)
    assert math.isclose(revenue, old.world.demand, rel_tol=1e-9)
    if not fell:
        shares = sum(lab.market_share for lab in new.labs.values() if lab.alive)
        assert math.isclose(shares, 1.0, abs_tol=1e-9)
    assert all(lab.market_share == 0 for lab in new.labs.values() if not lab.alive)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(faction=st.sampled_from(["us", "china"]), seed=st.integers(0, 2**16), data=st.data())
def test_random_valid_orders_keep_every_invariant(
    faction: str, seed: int, data: st.DataObject
) -> None:
    game = make_game(faction, seed)
    while not game.over:
        while game.pending:
            event_id, _ = game.pending[0]
            n = len(game.book.event[event_id].choices)
            game.choose(event_id, data.draw(st.integers(0, n - 1)))
        orders = draw_orders(data, game)
        game.submit(orders)
        old = game.state
        out = game.end_turn()
        check_turn(old, game.state, orders, out)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    faction=st.sampled_from(["us", "china"]),
    seed=st.integers(0, 2**16),
    policy=st.sampled_from(["scaler", "efficient", "balanced", "opportunist"]),
)
def test_policy_played_games_keep_every_invariant(faction: str, seed: int, policy: str) -> None:
    game = make_game(faction, seed, player_policy=policy)
    while not game.over:
        game.play_ai_choices()
        old = game.state
        out = game.end_turn()
        check_turn(old, game.state, game.records[-2].orders[old.player], out)
