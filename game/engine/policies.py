"""Computer players: small deterministic strategies behind one interface.

A policy sees a `View` of the game from one lab's seat (its own books, the
market, what it may buy) and returns orders with the fields of the form a
human fills in (`PolicyOrders`, trusted; a human's `Orders` are validated).
Its only randomness is `View.roll`, drawn from the game's generator for
every lab every quarter, so a game replays exactly, from the policies or from
the orders they gave.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import ClassVar, Protocol

from game.engine.orders import OrderSet, PolicyOrders
from game.engine.rulebook import ChipInfo, PowerInfo, Rulebook
from game.engine.state import GameState, LabState
from game.scenario.limits import HELD_MW


@dataclass(slots=True)
class Offer:
    """What one side may buy this quarter: the same for every lab of that side."""

    chips: list[ChipInfo]  # on sale to the side now (supply left is checked apart)
    by_train: list[ChipInfo]  # best training PFLOP/s per dollar first
    by_serve: list[ChipInfo]  # best serving PFLOP/s per dollar first
    sources: dict[str, list[PowerInfo]]  # power sources in each preference order


@dataclass(slots=True)
class View:
    """What a lab can see when it decides: itself, prices, supply, the race.

    `offers` is shared by the labs deciding in one quarter, so what a side may
    buy is worked out once per quarter, not once per lab.
    """

    book: Rulebook
    lab: LabState
    state: GameState
    supply_left: dict[str, dict[str, int]]
    # A number in [0, 1) drawn for this lab this quarter from the game's
    # generator: a policy's only randomness, drawn whether or not a policy
    # decides, so recorded orders replay without the policy.
    roll: float = 0.5
    offers: dict[str, Offer] = field(default_factory=dict)

    def offer(self) -> Offer:
        f = self.lab.faction
        found = self.offers.get(f)
        if found is None:
            # Offers change only when an export rule, a price, a lead time or
            # a chip's first quarter changes, so the rulebook keeps them by
            # what they depend on, across quarters and games.
            world = self.state.world
            turn = self.state.turn
            key = (
                f,
                tuple(c.available <= turn and f in world.buyers[c.id] for c in self.book.chips),
                tuple(world.prices.values()),
                tuple(lead[f] for lead in world.power_lead.values()),
            )
            cache = self.book.offers
            found = cache.get(key)
            if found is None:
                if len(cache) > 4096:
                    cache.clear()
                found = cache[key] = _make_offer(self.book, self.state, f)
            self.offers[f] = found
        return found

    def buyable(self) -> list[ChipInfo]:
        """Chips this lab may buy now, with supply left."""
        f = self.lab.faction
        left = self.supply_left
        return [c for c in self.offer().chips if left[c.id].get(f, 0) > 0]

    def upkeep(self) -> float:
        """$M a quarter the lab spends just to keep running (staff, sites, power)."""
        lab = self.lab
        book = self.book
        elec = lab.drawn_mw * book.hours * lab.elec_price / 1e6
        per_gpu = book.k.running_cost_per_gpu
        return lab.running_costs + per_gpu * (lab.gpus_total + lab.gpus_on_order) + elec


class Policy(Protocol):
    name: str

    def decide(self, view: View) -> OrderSet: ...


@dataclass(frozen=True, slots=True)
class Plan:
    """How a strategy splits its money; the policies differ only in these numbers."""

    spend: float  # share of spendable cash used this quarter
    research: float  # share of that on research
    train_share: float
    reserve_quarters: float  # quarters of upkeep kept in the bank
    power: str  # 'fast', 'clean' or 'cheap': which source to build
    value: str  # 'train' or 'serve': what a chip is bought for
    headroom: float  # extra power built beyond need, as a share
    # Quarters of an operating loss kept in the bank on top of the reserve.
    loss_quarters: float = 4.0


def planned_orders(view: View, plan: Plan) -> PolicyOrders:
    """Turn a plan into valid orders: research, power for every GPU, then GPUs.

    This runs for every computer lab every quarter, so it is written for
    speed: one pass, no sorting (the offer is sorted once per quarter).
    """
    lab = view.lab
    jitter = 0.9 + 0.2 * view.roll
    upkeep = view.upkeep()
    # A lab losing money on its operations keeps some quarters of the loss in the bank.
    loss = upkeep - lab.revenue
    spendable = (
        lab.cash - plan.reserve_quarters * upkeep - (plan.loss_quarters * loss if loss > 0 else 0.0)
    )
    if spendable <= 0:
        return PolicyOrders({}, {}, 0.0, plan.train_share)
    budget = spendable * min(1.0, plan.spend * jitter)
    research = round(budget * plan.research, 3)
    budget -= research

    offer = view.offer()
    sources = offer.sources[plan.power]
    faction = lab.faction
    grow = 1.0 + plan.headroom
    power: dict[str, int] = {}
    need_mw = (lab.kw_installed + lab.kw_on_order) / 1000.0
    short = int(math.ceil(need_mw - lab.power_mw - lab.power_building))
    if short > 0:
        budget = build_power(faction, sources, int(short * grow), budget, power)

    gpus: dict[str, int] = {}
    if budget > 0:
        left = view.supply_left
        for chip in offer.by_serve if plan.value == "serve" else offer.by_train:
            supply = left[chip.id].get(faction, 0)
            if supply <= 0:
                continue
            price = view.state.world.prices[chip.id]
            # Each GPU needs its share of power too: pay for both out of the budget.
            per_gpu = price + (sources[0].capex * chip.kw / 1000.0 * grow if sources else 0.0)
            n = min(int(budget // per_gpu), supply)
            if n > 0:
                gpus[chip.id] = n
                budget -= n * price
                extra = int(math.ceil(n * chip.kw / 1000.0 * grow))
                budget = build_power(faction, sources, extra, budget, power)
            if n < supply:
                break  # the money ran out before the supply did
            # The best chip sold out: the rest of the budget goes to the next best.
    return PolicyOrders(gpus, power, research, plan.train_share)


def _make_offer(book: Rulebook, state: GameState, f: str) -> Offer:
    world = state.world
    turn = state.turn
    prices = world.prices
    chips = [c for c in book.chips if c.available <= turn and f in world.buyers[c.id]]
    leads = world.power_lead
    srcs = [p for p in book.power.values() if p.max_mw is None or p.max_mw.get(f, 0) > 0]
    return Offer(
        chips,
        sorted(chips, key=lambda c: (-c.train_pflops / prices[c.id], c.id)),
        sorted(chips, key=lambda c: (-c.serve_pflops / prices[c.id], c.id)),
        {
            "fast": sorted(srcs, key=lambda p: (leads[p.id][f], p.capex, p.id)),
            "clean": sorted(srcs, key=lambda p: (p.co2.get(f, 0.0), leads[p.id][f], p.id)),
            "cheap": sorted(
                srcs, key=lambda p: (p.capex + p.price_mwh.get(f, 0.0) * 0.03, leads[p.id][f], p.id)
            ),
        },
    )


def build_power(
    faction: str, sources: list[PowerInfo], mw: int | None, budget: float, power: dict[str, int]
) -> float:
    """Order up to `mw` MW (None: as much as the budget buys) from the preferred sources,
    adding to `power`; return the budget left. No source gets more than an order may hold."""
    for src in sources:
        if (mw is not None and mw <= 0) or budget <= 0:
            break
        take = HELD_MW - power.get(src.id, 0) if mw is None else min(mw, HELD_MW)
        if src.max_mw is not None:
            take = min(take, src.max_mw.get(faction, 0) - power.get(src.id, 0))
        if src.capex > 0:
            take = min(take, int(budget // src.capex))
        if take > 0:
            power[src.id] = power.get(src.id, 0) + take
            budget -= take * src.capex
            if mw is not None:
                mw -= take
    return budget


# Share of compute every computer lab trains with in the last runs of a game.
FINAL_TRAIN_SHARE = 0.8


def late(view: View) -> bool:
    """The last training runs of the game have begun."""
    book = view.book
    return view.state.turn > book.turns - book.k.run_quarters - 2


def final_runs(view: View) -> bool:
    """The last training runs of a long race (`Rulebook.long_race`) have begun: they,
    and nothing else, decide the game."""
    return view.book.long_race and late(view)


class FixedPlan:
    """A policy that follows the same plan every quarter, but for the last runs of a
    long race judged at the end, which it trains for (`final_runs`)."""

    name = ""
    plan: ClassVar[Plan]

    def __init__(self) -> None:
        self._final = replace(self.plan, train_share=max(self.plan.train_share, FINAL_TRAIN_SHARE))

    def decide(self, view: View) -> OrderSet:
        return planned_orders(view, self._final if final_runs(view) else self.plan)


class Scaler(FixedPlan):
    """Buys as many of the fastest chips as it can and powers them fast and dirty."""

    name = "scaler"
    plan = Plan(
        spend=0.9,
        research=0.1,
        train_share=0.6,
        reserve_quarters=1.0,
        power="fast",
        value="train",
        headroom=0.05,
    )


class Efficient(FixedPlan):
    """The DeepSeek path: heavy research, lean fleets, clean power, chips for serving."""

    name = "efficient"
    plan = Plan(
        spend=0.8,
        research=0.5,
        train_share=0.5,
        reserve_quarters=2.0,
        power="clean",
        value="serve",
        headroom=0.0,
    )


class Balanced(FixedPlan):
    """A bit of everything, on the cheapest power."""

    name = "balanced"
    plan = Plan(
        spend=0.85,
        research=0.35,
        train_share=0.5,
        reserve_quarters=2.0,
        power="cheap",
        value="train",
        headroom=0.05,
    )


class Opportunist:
    """Reads the board each quarter: powers idle GPUs, researches when cut off,
    scales when rich, serves when ahead, trains for the last runs of a long race."""

    name = "opportunist"

    def __init__(self) -> None:
        self._plans: dict[tuple[bool, bool, bool, bool, bool], Plan] = {}

    def decide(self, view: View) -> OrderSet:
        lab = view.lab
        behind = view.state.world.frontier - lab.capability
        cut_off = not any(c.kind == "frontier" for c in view.buyable())
        key = (
            cut_off or behind > 5,
            lab.cash > 4 * view.upkeep(),
            behind > 2,
            lab.idle_gpus > 0,
            final_runs(view),
        )
        plan = self._plans.get(key)
        if plan is None:
            research, rich, chasing, idle, final = key
            plan = self._plans[key] = Plan(
                spend=0.95 if rich else 0.6,
                research=0.45 if research else 0.3,
                train_share=FINAL_TRAIN_SHARE if final else 0.7 if chasing else 0.45,
                reserve_quarters=1.0,
                power="fast" if idle else "cheap",
                value="train",
                headroom=0.1,
            )
        return planned_orders(view, plan)


class Strategist:
    """Plays the race the way a strong player does, reading it every quarter.

    While the race is young it builds a serving business (chips bought for
    serving, power only as the fleet needs it), because revenue pays for the
    next fleet. Cut off from the best chips, it puts its money into research
    and cheap power instead. Behind the frontier it trains more; when the
    leader nears the turning point, or the final training runs begin, it sprints:
    training chips, most compute on training, every spare dollar spent. It
    builds clean power when public concern runs high or the scenario's score
    counts emissions against it; judged on such a score it also stays lean,
    with most of its money on research and clean power beyond its need. With
    no turning point to race for (a long game won at the end), research
    compounds: it keeps most of its cash, puts most of what it spends into
    research and serves with half its compute or more until the last runs,
    then trains flat out.
    """

    name = "strategist"
    # Points below the turning point at which the frontier makes it sprint.
    SPRINT_POINTS = 6.0
    # Concern at which it turns to clean power, and at which it stops
    # growing its fleet and spends on research alone (shutdown comes at 100).
    WORRIED = 40.0
    ALARMED = 70.0

    HOLD = Plan(
        spend=0.8,
        research=1.0,
        train_share=0.6,
        reserve_quarters=2.0,
        power="clean",
        value="serve",
        headroom=0.0,
        loss_quarters=1.0,
    )

    def __init__(self) -> None:
        self._plans: dict[tuple[bool, bool, bool, bool, bool], Plan] = {}

    def decide(self, view: View) -> OrderSet:
        lab = view.lab
        state = view.state
        world = state.world
        book = view.book
        goal = book.turning_point
        # The last training runs decide who holds the frontier at the end.
        final = final_runs(view)
        sprint = late(view) or (goal is not None and world.frontier >= goal - self.SPRINT_POINTS)
        cut_off = not any(c.kind == "frontier" for c in view.offer().chips)
        if lab.concern >= self.ALARMED:
            return planned_orders(view, self.HOLD)
        dirty_loses = book.emissions_lose
        clean = dirty_loses or lab.concern >= self.WORRIED
        key = (sprint, cut_off, world.frontier - lab.capability > 3, clean, final)
        plan = self._plans.get(key)
        if plan is None:
            behind = key[2]
            # A long race judged at the end, with no turning point to end it
            # early: efficiency bought early compounds for years, money kept
            # pays for the last runs, and those runs decide the game.
            patient = book.long_race and not sprint
            if cut_off:
                # Cut off from the best chips, research pays more than the
                # chips it could buy, and a small fleet is best used training:
                # China's route. A sprint changes nothing but the spending.
                # In a long race it serves more until the last runs (a plan
                # training with 95% all along won a seventh of sandbox games).
                if patient:
                    train = 0.6
                elif final or goal is None:
                    train = 0.95
                else:
                    train = 0.8
                plan = Plan(
                    spend=0.95 if sprint else 0.4 if patient else 0.8,
                    research=0.85 if patient else 0.7,
                    train_share=train,
                    reserve_quarters=2.5,
                    power="clean" if clean else "cheap",
                    value="serve",
                    headroom=0.2,
                    loss_quarters=1.0,
                )
            else:
                # In a long race it keeps most of its cash, puts three
                # quarters of what it spends into research and serves with
                # over half its compute until the last runs (a plan of 25% of
                # spare cash training with 45% won two thirds of easy sandbox
                # games as the US where 40% training with 80% won 43%, once
                # the rivals too trained flat out at the end).
                long_game = goal is None and not sprint
                if sprint:
                    spend, train = 0.95, 0.95 if final else 0.8
                elif patient:
                    spend, train = 0.25, 0.45
                elif long_game:  # judged by a score or a condition
                    spend, train = 0.75 if dirty_loses else 0.4, 0.8
                else:
                    spend, train = 0.75, 0.7 if behind else 0.6
                plan = Plan(
                    spend=spend,
                    # Judged on a score that counts emissions, a lean lab
                    # researches rather than grows.
                    research=0.75 if dirty_loses or long_game else 0.22,
                    train_share=train,
                    reserve_quarters=1.0 if sprint else 1.2,
                    power="clean" if clean else "fast",
                    value="train" if sprint else "serve",
                    # Clean power beyond need dilutes the blend's emissions.
                    headroom=0.5 if dirty_loses else 0.0,
                    loss_quarters=1.0,
                )
            self._plans[key] = plan
        return planned_orders(view, plan)


POLICIES: dict[str, type[FixedPlan] | type[Opportunist] | type[Strategist]] = {
    "scaler": Scaler,
    "efficient": Efficient,
    "balanced": Balanced,
    "opportunist": Opportunist,
    "strategist": Strategist,
}


def make_policy(name: str) -> Policy:
    """A policy by name; KeyError names the known ones."""
    try:
        return POLICIES[name]()
    except KeyError:
        raise KeyError(f"unknown policy '{name}' (known: {', '.join(POLICIES)})") from None
