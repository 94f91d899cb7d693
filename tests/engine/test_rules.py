"""One quarter's rules, one at a time (DESIGN.md §1-3).

Each test builds the small test scenario with the numbers it needs, plays a
quarter through `resolve_turn` or `Game`, and checks one rule a player or a
scenario author would notice.
"""

from __future__ import annotations

import math

import pytest

from game.engine.game import GameError
from game.engine.happenings import Delivered, GameOver, IdleGPUs, LabOut, PowerOnline
from game.engine.orders import Orders
from game.engine.rules import scores
from game.scenario.models import ScoreWeights
from tests.engine.helpers import (
    CHINA,
    CN_RIVAL,
    FLOP_PER_PFLOPS,
    US,
    US_RIVAL,
    accounts,
    make_game,
    of,
    resolve,
    step,
)

QUIET = {"events": []}
NO_LUCK = {"breakthrough_chance": 0.0, "diffusion": 0.0}
# Supply enough for every lab's order: nothing is rationed.
PLENTY = {"supply": {"us": 1_000_000, "china": 0}}


def same_labs(**lab: object) -> dict[str, dict[str, object]]:
    """Every lab of the test scenario with the same setup (efficiency 1, half training)."""
    lab = {"efficiency": 1.0, "train_share": 0.5, **lab}
    return {lab_id: dict(lab) for lab_id in (US, CHINA, US_RIVAL, CN_RIVAL)}


# -- orders, deliveries, power ------------------------------------------------------


def test_orders_are_paid_in_the_quarter_they_are_given() -> None:
    g = make_game(**QUIET)
    cash = g.player.cash
    orders = Orders(gpus={"h100": 100}, power={"gas": 10}, research=50.0, train_share=0.5)
    new, out = resolve(g, {US: orders})
    spending = dict(accounts(out).spending)
    assert spending["GPUs"] == pytest.approx(100 * 25000 / 1e6)
    assert spending["power build"] == pytest.approx(10 * 7)
    assert spending["research"] == pytest.approx(50.0)
    lab = new.labs[US]
    assert lab.cash == pytest.approx(cash + accounts(out).net)
    # Paid now, installed later.
    assert lab.gpus["h100"] == 10000
    assert lab.gpus_on_order == 100
    assert lab.power_building == 10


@pytest.mark.parametrize("lead", [0, 1, 3])
def test_gpus_arrive_after_the_chips_lead_time(lead: int) -> None:
    g = make_game(chips={"h100": {"lead_quarters": lead, **PLENTY}}, **QUIET)
    g.submit(Orders(gpus={"h100": 500}, train_share=0.5))
    arrived_in = None
    for _ in range(lead + 1):
        turn = g.state.turn
        out = g.end_turn()
        if g.player.gpus["h100"] == 10500:
            arrived_in = turn
            assert of(out, Delivered)[0].count == 500
            break
        assert not of(out, Delivered)
    assert arrived_in == 1 + lead
    assert g.player.gpus_on_order == 0


def test_a_chip_arrives_after_its_own_lead_time_not_another_chips() -> None:
    g = make_game(chips={"b200": {"available_from": None, **PLENTY}, "h100": PLENTY}, **QUIET)
    g.submit(Orders(gpus={"h100": 100, "b200": 100}, train_share=0.5))
    g.end_turn()
    assert g.player.gpus.get("h100") == 10000  # ordered: nothing lands this quarter
    g.end_turn()
    assert g.player.gpus.get("h100") == 10100  # lead 1
    assert g.player.gpus.get("b200", 0) == 0
    g.end_turn()
    assert g.player.gpus.get("b200") == 100  # lead 2


@pytest.mark.parametrize(
    ("faction", "source", "lead"), [("us", "grid", 4), ("china", "grid", 2), ("us", "gas", 1)]
)
def test_power_comes_online_after_the_sources_lead_time_for_that_side(
    faction: str, source: str, lead: int
) -> None:
    g = make_game(faction, **QUIET)
    before = g.player.power.get(source, 0)
    g.submit(Orders(power={source: 5}, train_share=0.5))
    online_in = None
    for _ in range(lead + 1):
        turn = g.state.turn
        out = g.end_turn()
        if g.player.power.get(source, 0) == before + 5:
            online_in = turn
            assert [(h.source, h.mw) for h in of(out, PowerOnline)] == [(source, 5)]
            break
    assert online_in == 1 + lead
    assert g.player.power_building == 0


# -- powered and idle GPUs ----------------------------------------------------------


def test_powered_gpus_fill_the_best_chips_first() -> None:
    # Listed worst first on purpose: the engine must sort them.
    g = make_game(
        labs={US: {"gpus": {"h20": 1000, "h100": 1000, "b200": 1000}, "power_mw": {"grid": 3}}},
        **QUIET,
    )
    new, _ = resolve(g, {US: Orders(train_share=1.0)})
    lab = new.labs[US]
    # 3 MW: every B200 (2,000 kW), then 714 H100 (999.6 kW); 0.4 kW cannot feed an H20.
    assert lab.gpus_total == 3000
    assert lab.powered_gpus == 1000 + 714
    assert lab.powered_chips == {"b200": 1000, "h100": 714, "h20": 0}
    assert lab.idle_gpus == 286 + 1000
    assert lab.drawn_mw == pytest.approx(2.9996)
    assert lab.raw_compute == pytest.approx((1000 * 2.5 + 714 * 1.0) * FLOP_PER_PFLOPS)


@pytest.mark.parametrize(("gpus", "mw"), [(10000, 14), (10000, 13), (10000, 0), (500, 100)])
def test_powered_gpus_never_exceed_installed_or_what_the_power_feeds(gpus: int, mw: int) -> None:
    g = make_game(labs={US: {"gpus": {"h100": gpus}, "power_mw": {"grid": mw}}}, **QUIET)
    lab = resolve(g, {US: Orders()})[0].labs[US]
    assert lab.powered_gpus == min(gpus, int(mw * 1000 / 1.4 + 1e-9))
    assert lab.powered_gpus * 1.4 <= mw * 1000 + 1e-6
    assert lab.drawn_mw <= lab.power_mw + 1e-9


def test_idle_gpus_and_the_mw_they_need() -> None:
    g = make_game(labs={US: {"gpus": {"h100": 10000}, "power_mw": {"grid": 10}}}, **QUIET)
    new, out = resolve(g, {US: Orders()})
    lab = new.labs[US]
    # 10 MW feed 7,142 H100 (9,998.8 kW); 2,858 idle need 4,001.2 kW, 1.2 kW is spare.
    assert (lab.powered_gpus, lab.idle_gpus, lab.idle_mw_needed) == (7142, 2858, 4)
    (idle,) = of(out, IdleGPUs)
    assert (idle.gpus, idle.mw_needed) == (2858, 4)
    # The MW it asked for run every GPU.
    g = make_game(labs={US: {"gpus": {"h100": 10000}, "power_mw": {"grid": 14}}}, **QUIET)
    new, out = resolve(g, {US: Orders()})
    assert (new.labs[US].idle_gpus, new.labs[US].idle_mw_needed) == (0, 0)
    assert not of(out, IdleGPUs)


def test_exactly_enough_power_runs_every_gpu() -> None:
    g = make_game(labs={CHINA: {"gpus": {"h20": 1250}, "power_mw": {"grid": 1}}}, **QUIET)
    lab = resolve(g, {})[0].labs[CHINA]
    assert (lab.powered_gpus, lab.idle_gpus, lab.idle_mw_needed) == (1250, 0, 0)


# -- compute, capability, cost ------------------------------------------------------


def test_effective_compute_is_powered_pflops_utilisation_seconds_and_efficiency() -> None:
    rules = {"utilisation": 0.5, "seconds_per_quarter": 1e6, "research": NO_LUCK}
    g = make_game(
        labs={CHINA: {"gpus": {"h20": 1000}, "power_mw": {"grid": 10}, "efficiency": 2.0}},
        rules=rules,
        **QUIET,
    )
    lab = resolve(g, {CHINA: Orders(train_share=0.3)})[0].labs[CHINA]
    flop = 1e15 * 0.5 * 1e6  # one PFLOP/s for a quarter
    train = 1000 * 0.15 * flop * 2.0 * 0.3  # H20: 0.15 PFLOP/s training
    serve = 1000 * 1.0 * flop * 2.0 * 0.7  # and 1.0 serving
    assert lab.train_history[-1] == pytest.approx(train)
    assert lab.serve_flop == pytest.approx(serve)
    assert lab.compute == pytest.approx(train + serve)
    assert lab.raw_compute == pytest.approx((train + serve) / 2.0)


@pytest.mark.parametrize(
    ("gpus", "expected"), [(21000, 53.222), (100000, 60.0), (1000, 40.0), (10**7, 80.0)]
)
def test_capability_is_ten_points_per_decade_of_run_compute(gpus: int, expected: float) -> None:
    # One H100 for a quarter at these rules is 1e21 FLOP: 21,000 of them train GPT-4 (2.1e25).
    rules = {"utilisation": 1.0, "seconds_per_quarter": 1e6, "capability": {"run_quarters": 1}}
    mw = math.ceil(gpus * 1.4 / 1000) + 1
    g = make_game(
        labs={US: {"gpus": {"h100": gpus}, "power_mw": {"grid": mw}, "capability": 0}},
        rules=rules,
        **QUIET,
    )
    lab = resolve(g, {US: Orders(train_share=1.0)})[0].labs[US]
    assert lab.capability == pytest.approx(expected, abs=1e-3)
    assert lab.capability == pytest.approx(10 * math.log10(gpus * 1e21 / 1e20))


def test_a_run_adds_up_the_last_run_quarters_of_training() -> None:
    rules = {"capability": {"run_quarters": 4}, "research": {"base_gain": 0.0, **NO_LUCK}}
    g = make_game(labs=same_labs(capability=0), rules=rules, **QUIET)
    caps = []
    for _ in range(6):
        step(g, Orders(train_share=0.5))
        caps.append(g.player.capability)
    one = caps[0]
    assert caps[1] == pytest.approx(one + 10 * math.log10(2))
    assert caps[3] == pytest.approx(one + 10 * math.log10(4))
    assert caps[4] == pytest.approx(caps[3])  # the window slides: no fifth quarter
    assert caps[5] == pytest.approx(caps[3])


def test_capability_never_falls_when_compute_does() -> None:
    g = make_game(labs={US: {"capability": 0}}, **QUIET)
    step(g, Orders(train_share=1.0))
    high = g.player.capability
    for _ in range(4):
        step(g, Orders(train_share=0.0))  # nothing trains any more
        assert g.player.capability == high


def test_cost_per_million_tokens_is_the_hourly_cost_over_tokens_served() -> None:
    g = make_game(labs={US: {"gpus": {"h100": 1000}, "power_mw": {"grid": 5}}}, **QUIET)
    lab = resolve(g, {US: Orders()})[0].labs[US]
    hours = 7.9e6 / 3600
    per_hour = 25000 / (16 * hours) + 1.4 * 90 / 1000  # amortised price + electricity
    assert lab.cost_per_mtok == pytest.approx(per_hour / 1e6 * 1e6)


def test_cost_per_million_tokens_falls_with_efficiency_and_better_chips() -> None:
    def costs(rival: dict[str, object]) -> tuple[float, float]:
        fleet = {"gpus": {"h100": 1000}, "power_mw": {"grid": 5}, "efficiency": 1.0}
        g = make_game(labs={US: fleet, US_RIVAL: {**fleet, **rival}}, **QUIET)
        new = resolve(g, {})[0]
        return new.labs[US].cost_per_mtok, new.labs[US_RIVAL].cost_per_mtok

    base, smarter = costs({"efficiency": 2.0})
    assert smarter == pytest.approx(base / 2)
    # A B200 serves 2.5x an H100 for 1.4x the price and 1.43x the power.
    base, better = costs({"gpus": {"b200": 1000}})
    assert better < base / 1.5


# -- the market -----------------------------------------------------------------------


def test_market_shares_sum_to_one_and_rise_with_capability() -> None:
    labs = same_labs(gpus={"h100": 1000}, power_mw={"gas": 2})
    for lab_id, cap in ((US, 70), (US_RIVAL, 66), (CHINA, 62), (CN_RIVAL, 58)):
        labs[lab_id]["capability"] = cap
    g = make_game(labs=labs, world={"home_market": None}, rules={"market": {"inertia": 0}}, **QUIET)
    new = resolve(g, {})[0]
    share = {k: lab.market_share for k, lab in new.labs.items()}
    assert sum(share.values()) == pytest.approx(1.0, abs=1e-12)
    assert share[US] > share[US_RIVAL] > share[CHINA] > share[CN_RIVAL] > 0
    # Equal price and serving: appeal differs by exp(points / capability_scale).
    assert share[US] / share[US_RIVAL] == pytest.approx(math.exp(4 / 4))


def test_market_share_moves_toward_its_target_with_inertia() -> None:
    labs = same_labs(gpus={"h100": 1000}, power_mw={"gas": 2}, capability=60, market_share=0.25)
    labs[US]["market_share"] = 0.7
    g = make_game(
        labs=labs, world={"home_market": None}, rules={"market": {"inertia": 0.5}}, **QUIET
    )
    new = resolve(g, {})[0]
    # Identical labs target a quarter each; half the way from 0.7, then renormalised.
    raw = {k: 0.5 * (0.7 if k == US else 0.25) + 0.5 * 0.25 for k in new.labs}
    total = sum(raw.values())
    for k, lab in new.labs.items():
        assert lab.market_share == pytest.approx(raw[k] / total)


def test_the_closed_home_market_goes_only_to_that_sides_labs() -> None:
    g = make_game(world={"home_market": {"china": 1.0}}, rules={"market": {"inertia": 0}}, **QUIET)
    new = resolve(g, {})[0]
    assert new.labs[US].market_share == 0 and new.labs[US_RIVAL].market_share == 0
    assert new.labs[US].revenue == 0
    assert new.labs[CHINA].market_share + new.labs[CN_RIVAL].market_share == pytest.approx(1.0)


def test_a_home_market_is_a_floor_for_its_sides_labs() -> None:
    # The Chinese labs are far behind: without a home market they would get almost nothing.
    small = {"capability": 30, "gpus": {"h20": 100}, "power_mw": {"grid": 1}}
    labs = {CHINA: small, CN_RIVAL: small}
    open_world = make_game(
        labs=labs, world={"home_market": None}, rules={"market": {"inertia": 0}}, **QUIET
    )
    closed = make_game(
        labs=labs, world={"home_market": {"china": 0.2}}, rules={"market": {"inertia": 0}}, **QUIET
    )
    for g, low, high in ((open_world, 0.0, 0.01), (closed, 0.2, 0.21)):
        new = resolve(g, {})[0]
        chinese = new.labs[CHINA].market_share + new.labs[CN_RIVAL].market_share
        assert low <= chinese <= high


def test_revenue_is_market_share_times_world_demand() -> None:
    g = make_game(**QUIET)
    demand = g.state.world.demand
    new = resolve(g, {})[0]
    for lab in new.labs.values():
        assert lab.revenue == pytest.approx(lab.market_share * demand)
    assert sum(lab.revenue for lab in new.labs.values()) == pytest.approx(demand)


def test_demand_grows_and_faster_when_the_best_price_falls() -> None:
    g = make_game(**QUIET)
    world = g.state.world
    new = resolve(g, {})[0]
    fall = world.best_cost / new.world.best_cost
    assert new.world.demand == pytest.approx(world.demand * 1.05 * fall**0.3)
    assert new.world.demand > world.demand


def test_state_support_pays_chinese_labs_for_capital_spending_and_a_grant() -> None:
    g = make_game("china", **QUIET)
    backing = g.player.backing
    _, out = resolve(g, {CHINA: Orders(gpus={"h20": 1000}, power={"grid": 10})})
    income = dict(accounts(out).income)
    capex = 1000 * 12000 / 1e6 + 10 * 10
    assert income["state support"] == pytest.approx((capex * 0.3 + 100) * backing / 100)


def test_us_labs_get_no_state_support() -> None:
    g = make_game(**QUIET)
    _, out = resolve(g, {US: Orders(gpus={"h100": 1000})})
    assert "state support" not in dict(accounts(out).income)


# -- research -------------------------------------------------------------------------


def _efficiency_after(research: float, **overrides: object) -> float:
    g = make_game(**overrides)
    return resolve(g, {US: Orders(research=research)})[0].labs[US].efficiency


def test_research_raises_efficiency_with_diminishing_returns() -> None:
    rules = {"research": {"base_gain": 0.0, "max_gain": 0.2, "half_spend": 400, **NO_LUCK}}
    labs = same_labs(gpus={"h100": 10000}, power_mw={"grid": 14})
    gain = {
        x: _efficiency_after(x, rules=rules, labs=labs, **QUIET) - 1.0 for x in (0, 400, 800, 1600)
    }
    assert gain[0] == 0
    assert gain[400] == pytest.approx(0.1)  # half_spend buys half of max_gain
    assert gain[400] < gain[800] < 2 * gain[400]
    assert gain[800] < gain[1600] < 2 * gain[800]
    assert gain[1600] < 0.2


def test_necessity_a_compute_starved_lab_gains_more_from_the_same_spend() -> None:
    rules = {
        "research": {
            "base_gain": 0.0,
            "necessity_threshold": 0.5,
            "necessity_bonus": 1.0,
            **NO_LUCK,
        }
    }
    fed = same_labs(gpus={"h100": 10000}, power_mw={"grid": 14})
    starved = same_labs(gpus={"h100": 10000}, power_mw={"grid": 14})
    starved[US] = {"gpus": {"h100": 1000}, "power_mw": {"grid": 14}}  # a tenth of the others
    plain = _efficiency_after(400, rules=rules, labs=fed, **QUIET) - 1
    needy = _efficiency_after(400, rules=rules, labs=starved, **QUIET) - 1
    # ratio 0.1 of the leader: necessity = 1 + 1.0 * (1 - 0.1 / 0.5) = 1.8
    assert needy == pytest.approx(plain * 1.8)


def test_necessity_counts_held_gpus_when_the_scenario_says_so() -> None:
    # A lab holding as many GPUs as the others but powering a tenth of them is
    # starved of powered compute, not of chips.
    labs = same_labs(gpus={"h100": 10000}, power_mw={"grid": 14})
    labs[US] = {"gpus": {"h100": 10000}, "power_mw": {"grid": 1}}
    research = {
        "base_gain": 0.0,
        "necessity_threshold": 0.5,
        "necessity_bonus": 1.0,
        **NO_LUCK,
    }
    fed = same_labs(gpus={"h100": 10000}, power_mw={"grid": 14})
    plain = _efficiency_after(400, rules={"research": research}, labs=fed, **QUIET) - 1
    powered = _efficiency_after(400, rules={"research": research}, labs=labs, **QUIET) - 1
    held_rules = {"research": {**research, "necessity_counts": "held"}}
    held = _efficiency_after(400, rules=held_rules, labs=labs, **QUIET) - 1
    assert powered > plain * 1.5  # unpowered GPUs: starved, by the powered count
    assert held == pytest.approx(plain)  # as many chips as anyone: not starved
    # Short of chips, a lab is starved either way.
    few = same_labs(gpus={"h100": 10000}, power_mw={"grid": 14})
    few[US] = {"gpus": {"h100": 1000}, "power_mw": {"grid": 14}}
    assert _efficiency_after(400, rules=held_rules, labs=few, **QUIET) - 1 > plain * 1.5


def test_base_gain_with_no_spending() -> None:
    rules = {"research": {"base_gain": 0.02, **NO_LUCK}}
    assert _efficiency_after(0, rules=rules, **QUIET) == pytest.approx(1.02)


def test_diffusion_closes_part_of_the_gap_to_the_best_lab() -> None:
    rules = {"research": {"base_gain": 0.0, "breakthrough_chance": 0.0, "diffusion": 0.05}}
    g = make_game(
        labs={US: {"efficiency": 1.0}, US_RIVAL: {"efficiency": 3.0}}, rules=rules, **QUIET
    )
    new = resolve(g, {})[0]
    assert new.labs[US].efficiency == pytest.approx(1.0 + 0.05 * (3.0 - 1.0))
    assert new.labs[US_RIVAL].efficiency == pytest.approx(3.0)


def test_breakthroughs_multiply_efficiency() -> None:
    rules = {
        "research": {
            "base_gain": 0.0,
            "max_gain": 0.0,
            "diffusion": 0.0,
            "half_spend": 1,
            "breakthrough_chance": 1.0,
            "breakthrough_multiplier": 1.5,
        }
    }
    assert _efficiency_after(100, rules=rules, **QUIET) == pytest.approx(1.5)
    assert _efficiency_after(0, rules=rules, **QUIET) == pytest.approx(1.0)  # no spend, no luck


# -- concern and backing -----------------------------------------------------------


def test_concern_decays_when_nothing_feeds_it() -> None:
    rules = {"concern": {"decay": 0.1, "per_kt_co2": 0, "per_share": 0, "per_gw": 0}}
    g = make_game(labs={US: {"concern": 50}}, rules=rules, **QUIET)
    concern = []
    for _ in range(3):
        step(g, Orders())
        concern.append(g.player.concern)
    assert concern == pytest.approx([45.0, 40.5, 36.45])


def test_concern_rises_with_emissions_share_and_power_drawn() -> None:
    rules = {"concern": {"decay": 0.1, "per_kt_co2": 0.01, "per_share": 8, "per_gw": 3}}
    dirty = make_game(labs={US: {"concern": 10}}, rules=rules, **QUIET)
    clean = make_game(
        labs={US: {"concern": 10}}, rules=rules, power={"grid": {"co2_t_per_mwh": 0}}, **QUIET
    )
    lab = resolve(dirty, {})[0].labs[US]
    hours = 7.9e6 / 3600
    emissions = lab.drawn_mw * hours * 0.4
    assert lab.emissions == pytest.approx(emissions)
    expected = 10 * 0.9 + 0.01 * emissions / 1000 + 8 * lab.market_share + 3 * lab.drawn_mw / 1000
    assert lab.concern == pytest.approx(expected)
    assert resolve(clean, {})[0].labs[US].concern < lab.concern


def test_backing_moves_toward_its_target_and_stays_in_range() -> None:
    rules = {
        "backing": {"pull": 0.5, "base": 55, "per_point_vs_frontier": 1.5, "per_loss_quarter": 0}
    }
    g = make_game(labs={US: {"backing": 100, "capability": 40}}, rules=rules, **QUIET)
    new = resolve(g, {})[0]
    lab = new.labs[US]
    target = max(0.0, 55 + 1.5 * (lab.capability - new.world.frontier))
    assert lab.backing == pytest.approx(100 + 0.5 * (target - 100))


# -- labs falling out -----------------------------------------------------------------


@pytest.mark.parametrize("quarters", [1, 2, 3])
def test_bankruptcy_after_bankruptcy_quarters_below_zero(quarters: int) -> None:
    g = make_game(
        labs={US: {"cash": 100, "running_costs": 1000}},
        world={"demand": 1},
        rules={"bankruptcy_quarters": quarters},
        **QUIET,
    )
    for _ in range(quarters - 1):
        out = step(g)
        assert g.player.cash < 0 and g.player.alive and not g.over
        assert not of(out, LabOut)
    out = step(g)  # the last quarter in a row below zero
    assert [(h.lab, h.reason) for h in of(out, LabOut)] == [(US, "bankruptcy")]
    assert g.state.turn == quarters
    assert not g.player.alive
    assert g.over and g.state.outcome is not None
    assert g.state.outcome.kind == "bankruptcy" and not g.state.outcome.player_won


def test_bankruptcy_counts_quarters_in_a_row() -> None:
    rescue = {
        "id": "rescue",
        "title": "Rescue",
        "who": "player",
        "earliest": 2,
        "latest": 2,
        "effects": [{"add": {"me.cash": 2500}}],
    }
    g = make_game(
        labs={US: {"cash": 100, "running_costs": 1000}},
        world={"demand": 1},
        rules={"bankruptcy_quarters": 2},
        events=[rescue],
    )
    step(g)  # below zero once, then rescued
    assert g.player.cash > 0
    step(g)  # above zero at the close
    step(g)  # below zero: the first quarter of a new run
    assert g.player.alive and not g.over
    step(g)
    assert not g.player.alive and g.state.outcome.kind == "bankruptcy"


def test_a_rival_going_bankrupt_drops_out_and_the_game_goes_on() -> None:
    g = make_game(
        labs={US_RIVAL: {"cash": 10, "running_costs": 5000}},
        rules={"bankruptcy_quarters": 1},
        **QUIET,
    )
    out = step(g)
    assert [(h.lab, h.reason) for h in of(out, LabOut)] == [(US_RIVAL, "bankruptcy")]
    assert not g.state.labs[US_RIVAL].alive and not g.over
    step(g)
    assert g.state.labs[US_RIVAL].market_share == 0
    assert sum(lab.market_share for lab in g.state.labs.values()) == pytest.approx(1.0)


def test_shutdown_at_concern_100() -> None:
    g = make_game(rules={"concern": {"per_share": 1000}}, **QUIET)
    out = step(g)
    assert g.player.concern == 100
    assert (US, "shutdown") in [(h.lab, h.reason) for h in of(out, LabOut)]
    assert g.state.outcome.kind == "shutdown" and not g.state.outcome.player_won


def test_takeover_at_chinese_backing_0() -> None:
    rules = {"backing": {"base": 0, "pull": 1.0}}
    g = make_game("china", labs={CHINA: {"backing": 0}, US: {"backing": 0}}, rules=rules, **QUIET)
    out = step(g)
    outs = {h.lab: h.reason for h in of(out, LabOut)}
    assert outs[CHINA] == "takeover"
    assert US not in outs  # investor confidence at 0 is no takeover
    assert g.state.outcome.kind == "takeover"


def test_a_lab_an_event_pushes_to_the_edge_falls_out_though_the_quarter_would_ease_it() -> None:
    # The news takes Beijing's favour and the public's patience away; the
    # quarter's drift back toward the target comes too late for either lab.
    news = {
        "id": "edge",
        "title": "Edge",
        "who": "world",
        "once": True,
        "effects": [{"add": {"china.backing": -500, "us.concern": 500}}],
    }
    g = make_game("china", events=[news])
    assert g.player.backing == 0 and g.state.labs[US].concern == 100
    out = step(g)
    outs = {h.lab: h.reason for h in of(out, LabOut)}
    assert outs == {CHINA: "takeover", US: "shutdown"}
    assert g.state.outcome.kind == "takeover"


# -- winning --------------------------------------------------------------------------


def test_turning_point_the_first_lab_over_the_threshold_wins() -> None:
    g = make_game(victory=[{"kind": "turning_point", "threshold": 61}], **QUIET)
    out = step(g)
    (over,) = of(out, GameOver)
    assert (over.winner, over.kind, over.player_won) == (US_RIVAL, "turning_point", False)
    assert g.over


def test_turning_point_reached_by_the_player_is_a_win() -> None:
    g = make_game(
        labs={US: {"capability": 70}}, victory=[{"kind": "turning_point", "threshold": 65}], **QUIET
    )
    step(g)
    assert g.state.outcome.winner == US and g.state.outcome.player_won


def test_frontier_at_the_end_goes_to_the_best_lab_after_the_last_turn() -> None:
    g = make_game(labs={US: {"capability": 80}}, victory=[{"kind": "frontier_at_end"}], **QUIET)
    for turn in range(1, 9):
        assert not g.over, turn
        step(g)
    assert g.over and g.state.turn == 8
    assert (g.state.outcome.winner, g.state.outcome.kind) == (US, "frontier_at_end")
    assert g.state.outcome.player_won
    with pytest.raises(GameError):
        g.end_turn()


def test_score_victory_weighs_what_the_scenario_says() -> None:
    # A score on cheap tokens alone crowns the cheapest lab, not the frontier.
    weights = {"capability": 0, "market_share": 0, "cost": 1, "emissions": 0}
    g = make_game(
        labs={US: {"capability": 80}}, victory=[{"kind": "score", "weights": weights}], **QUIET
    )
    while not g.over:
        step(g)
    alive = [lab for lab in g.state.labs.values() if lab.alive]
    assert len(alive) > 1
    cheapest = min(alive, key=lambda lab: lab.cost_per_mtok)
    assert g.state.outcome.kind == "score"
    assert g.state.outcome.winner == cheapest.id
    assert cheapest.id != US


def test_a_better_chip_delivered_later_is_powered_first() -> None:
    g = make_game(chips={"b200": {"available_from": None, **PLENTY}}, **QUIET)
    step(g, Orders(gpus={"b200": 1000}))
    step(g)
    assert (g.player.powered_gpus, g.player.idle_gpus) == (10000, 0)  # 14 MW, 10,000 H100
    step(g)  # the B200s land (lead 2) and take 2 MW first
    lab = g.player
    assert lab.gpus == {"b200": 1000, "h100": 10000}
    assert lab.powered_gpus == 1000 + 8571  # 12,000 kW left feed 8,571 H100
    assert lab.raw_compute == pytest.approx((1000 * 2.5 + 8571) * FLOP_PER_PFLOPS)


def test_a_better_chip_given_by_an_event_is_powered_first() -> None:
    gift = {
        "id": "gift",
        "title": "Gift",
        "once": True,
        "effects": [{"add": {"me.gpus.b200": 1000}}],
    }
    g = make_game(events=[gift])
    step(g)
    assert g.player.powered_gpus == 1000 + 8571


# -- the calendar, difficulty, the fast path -------------------------------------------


def test_the_date_advances_a_quarter_a_turn() -> None:
    g = make_game(start="2025 Q3", **QUIET)
    dates = [(g.state.turn, g.state.year, g.state.quarter)]
    while not g.over:
        step(g)
        dates.append((g.state.turn, g.state.year, g.state.quarter))
    assert dates[:4] == [(1, 2025, 3), (2, 2025, 4), (3, 2026, 1), (4, 2026, 2)]
    assert dates[-1] == (8, 2027, 2)  # the last quarter played; the turn does not advance


def test_difficulty_scales_cash_and_sets_rival_policies() -> None:
    difficulties = {
        "hard": {
            "name": "Hard",
            "player_cash": 0.5,
            "rival_cash": 2.0,
            "rival_policies": {US_RIVAL: "efficient"},
        }
    }
    g = make_game(difficulty="hard", difficulties=difficulties, **QUIET)
    assert g.player.cash == 2500
    assert g.state.labs[US_RIVAL].cash == 16000 and g.state.labs[CHINA].cash == 6000
    assert g.policies[US_RIVAL].name == "efficient"
    with pytest.raises(GameError, match="unknown difficulty"):
        make_game(difficulty="brutal", difficulties=difficulties)
    with pytest.raises(GameError, match="no 'eu' side"):
        make_game("eu")


def test_a_level_can_change_a_rival_only_against_one_side() -> None:
    difficulties = {
        "easy": {
            "name": "Easy",
            "rival_policies": {CN_RIVAL: "balanced"},
            "rival_policies_against": {"china": {CN_RIVAL: "scaler"}},
        }
    }
    as_us = make_game("us", difficulty="easy", difficulties=difficulties, **QUIET)
    as_china = make_game("china", difficulty="easy", difficulties=difficulties, **QUIET)
    assert as_us.policies[CN_RIVAL].name == "balanced"
    assert as_china.policies[CN_RIVAL].name == "scaler"


def test_the_fast_path_without_history_plays_the_same_game() -> None:
    def play(keep: bool) -> tuple[str, object]:
        g = make_game("china", 4, player_policy="opportunist")
        g.keep_history = keep
        while not g.over:
            g.play_ai_choices()
            g.end_turn()
        return g.state.digest(), g.state.outcome

    assert play(True) == play(False)


# -- victory that means something ---------------------------------------------------------


def test_outliving_the_leader_is_surviving_not_winning() -> None:
    # The frontier lab goes bankrupt at once; the player outlives it but never matches it.
    g = make_game(
        labs={US_RIVAL: {"capability": 95, "cash": 10, "running_costs": 5000}},
        rules={"bankruptcy_quarters": 1},
        **QUIET,
    )
    while not g.over:
        step(g)
    outcome = g.state.outcome
    assert outcome is not None and not g.state.labs[US_RIVAL].alive
    assert (outcome.kind, outcome.winner, outcome.player_won) == ("survived", None, False)
    assert "Beta Lab but never matched it" in outcome.text
    assert "nobody won" in outcome.text


def test_the_frontier_at_the_end_wins_when_it_is_alive() -> None:
    g = make_game(labs={US: {"capability": 95}}, victory=[{"kind": "frontier_at_end"}], **QUIET)
    while not g.over:
        step(g)
    outcome = g.state.outcome
    assert outcome is not None
    assert (outcome.kind, outcome.winner, outcome.player_won) == ("frontier_at_end", US, True)


def test_scores_scale_each_part_from_the_worst_lab_to_the_best() -> None:
    g = make_game(**QUIET)
    labs = list(g.state.labs.values())
    for i, lab in enumerate(labs):
        lab.capability, lab.market_share = 60 + 10 * i, 0.1 * i
        lab.cost_per_mtok, lab.emissions_total = 10.0**-i, 1e6 * i
    one = {"capability": 0, "market_share": 0, "cost": 0, "emissions": 0}
    for part in ("capability", "market_share", "cost"):
        weights = ScoreWeights.model_validate({**one, part: 2})
        got = scores(labs, weights)
        assert [got[lab.id] for lab in labs] == pytest.approx([0, 2 / 3, 4 / 3, 2])
    weights = ScoreWeights.model_validate({**one, "capability": 1, "emissions": -0.5})
    got = scores(labs, weights)
    assert [got[lab.id] for lab in labs] == pytest.approx([0, 1 / 6, 1 / 3, 0.5])


def test_a_lab_that_does_nothing_never_wins_a_score_game() -> None:
    weights = {"capability": 1, "market_share": 1, "cost": 0.5, "emissions": -1.5}
    for seed in range(3):
        g = make_game(seed=seed, victory=[{"kind": "score", "weights": weights}])
        while not g.over:
            step(g)  # no orders: the player's lab buys nothing and researches nothing
        assert g.state.outcome is not None and not g.state.outcome.player_won


def test_weights_that_would_crown_an_idle_lab_are_refused() -> None:
    with pytest.raises(ValueError, match="a lab that does nothing could win"):
        ScoreWeights.model_validate(
            {"capability": 1, "market_share": 0, "cost": 0, "emissions": -1}
        )
