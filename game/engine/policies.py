"""Computer players: small deterministic strategies behind one interface.

A policy sees a `View` of the game from one lab's seat (its own books, the
market, what it may buy) and returns `Orders`, the same form a human fills
in. Its only randomness is the game's generator, passed in, so a game
replays exactly.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Protocol

from game.engine.orders import Orders
from game.engine.rulebook import ChipInfo, PowerInfo, Rulebook
from game.engine.state import GameState, LabState


@dataclass(slots=True)
class View:
    """What a lab can see when it decides: itself, prices, supply, the race."""

    book: Rulebook
    lab: LabState
    state: GameState
    supply_left: dict[str, dict[str, int]]

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def turns_left(self) -> int:
        return self.book.turns - self.state.turn + 1

    def buyable(self) -> list[ChipInfo]:
        """Chips this lab may buy now, with supply left."""
        w = self.state.world
        f = self.lab.faction
        turn = self.state.turn
        left = self.supply_left
        return [
            c for c in self.book.chips
            if c.available <= turn and f in w.buyers[c.id] and left[c.id].get(f, 0) > 0
        ]

    def price(self, chip: ChipInfo) -> float:
        return self.state.world.prices[chip.id]

    def lead(self, src: PowerInfo) -> int:
        return self.state.world.power_lead[src.id][self.lab.faction]

    def upkeep(self) -> float:
        """$M a quarter the lab spends just to keep running (staff, sites, power)."""
        lab = self.lab
        book = self.book
        elec = lab.drawn_mw * book.hours * lab.elec_price / 1e6
        per_gpu = book.rules.running_cost_per_gpu
        return lab.running_costs + per_gpu * (lab.gpus_total + lab.gpus_on_order) + elec

    def mw_short(self) -> int:
        """MW still missing to run every GPU installed and on order."""
        lab = self.lab
        need = lab.kw_installed + lab.kw_on_order
        return max(0, int(math.ceil(need / 1000.0 - lab.power_mw - lab.power_building)))


class Policy(Protocol):
    name: str

    def decide(self, view: View, rng: random.Random) -> Orders: ...


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


def planned_orders(view: View, plan: Plan, rng: random.Random) -> Orders:
    """Turn a plan into valid orders: research, power for every GPU, then GPUs."""
    lab = view.lab
    jitter = 0.9 + 0.2 * rng.random()
    upkeep = view.upkeep()
    # A lab losing money on its operations keeps a year of the loss in the bank.
    loss = upkeep - lab.revenue
    spendable = lab.cash - plan.reserve_quarters * upkeep - (4.0 * loss if loss > 0 else 0.0)
    if spendable <= 0:
        return Orders(train_share=plan.train_share)
    budget = spendable * min(1.0, plan.spend * jitter)
    research = round(budget * plan.research, 3)
    budget -= research

    power: dict[str, int] = {}
    sources = _sources(view, plan.power)
    short = int(view.mw_short() * (1.0 + plan.headroom))
    if short > 0:
        budget = _build_power(view, sources, short, budget, power)

    gpus: dict[str, int] = {}
    chips = view.buyable()
    if chips and budget > 0:
        prices = view.state.world.prices
        serve = plan.value == "serve"
        chip = max(
            chips,
            key=lambda c: ((c.serve_pflops if serve else c.train_pflops) / prices[c.id], c.id),
        )
        price = prices[chip.id]
        # Each GPU needs its share of power too: pay for both out of the budget.
        src = sources[0] if sources else None
        per_gpu = price + (src.capex * chip.kw / 1000.0 * (1.0 + plan.headroom) if src else 0.0)
        n = min(int(budget // per_gpu), view.supply_left[chip.id].get(lab.faction, 0))
        if n > 0:
            gpus[chip.id] = n
            budget -= n * price
            extra = int(math.ceil(n * chip.kw / 1000.0 * (1.0 + plan.headroom)))
            _build_power(view, sources, extra, budget, power)
    return Orders(gpus=gpus, power=power, research=research, train_share=plan.train_share)


def _sources(view: View, pref: str) -> list[PowerInfo]:
    """Power sources this lab may build, in the order the plan prefers them."""
    f = view.lab.faction
    leads = view.state.world.power_lead
    key = (f, pref, tuple(leads[p][f] for p in view.book.power))
    cache = view.book.cache
    found = cache.get(key)
    if found is not None:
        return found
    srcs = [p for p in view.book.power.values() if p.max_mw is None or p.max_mw.get(f, 0) > 0]
    if pref == "fast":
        srcs.sort(key=lambda p: (leads[p.id][f], p.capex, p.id))
    elif pref == "clean":
        srcs.sort(key=lambda p: (p.co2.get(f, 0.0), leads[p.id][f], p.id))
    else:
        srcs.sort(key=lambda p: (p.capex + p.price_mwh.get(f, 0.0) * 0.03, leads[p.id][f], p.id))
    cache[key] = srcs
    return srcs


def _build_power(
    view: View, sources: list[PowerInfo], mw: int, budget: float, power: dict[str, int]
) -> float:
    """Order up to `mw` MW from the preferred sources within budget; return what is left."""
    f = view.lab.faction
    for src in sources:
        if mw <= 0 or budget <= 0:
            break
        cap = src.max_mw.get(f, 0) - power.get(src.id, 0) if src.max_mw is not None else mw
        take = min(mw, cap, int(budget // src.capex) if src.capex > 0 else mw)
        if take > 0:
            power[src.id] = power.get(src.id, 0) + take
            budget -= take * src.capex
            mw -= take
    return budget


class Scaler:
    """Buys as many of the fastest chips as it can and powers them fast and dirty."""

    name = "scaler"
    plan = Plan(spend=0.9, research=0.05, train_share=0.65, reserve_quarters=1.0,
                power="fast", value="train", headroom=0.05)

    def decide(self, view: View, rng: random.Random) -> Orders:
        return planned_orders(view, self.plan, rng)


class Efficient:
    """The DeepSeek path: heavy research, lean fleets, clean power, chips for serving."""

    name = "efficient"
    plan = Plan(spend=0.7, research=0.35, train_share=0.5, reserve_quarters=2.0,
                power="clean", value="serve", headroom=0.0)

    def decide(self, view: View, rng: random.Random) -> Orders:
        return planned_orders(view, self.plan, rng)


class Balanced:
    """A bit of everything, on the cheapest power."""

    name = "balanced"
    plan = Plan(spend=0.75, research=0.15, train_share=0.55, reserve_quarters=2.0,
                power="cheap", value="train", headroom=0.05)

    def decide(self, view: View, rng: random.Random) -> Orders:
        return planned_orders(view, self.plan, rng)


class Opportunist:
    """Reads the board each quarter: powers idle GPUs, researches when cut off,
    scales when rich, serves when ahead."""

    name = "opportunist"

    def decide(self, view: View, rng: random.Random) -> Orders:
        lab = view.lab
        world = view.state.world
        behind = world.frontier - lab.capability
        cut_off = not any(c.kind == "frontier" for c in view.buyable())
        research = 0.3 if cut_off or behind > 5 else 0.12
        spend = 0.95 if lab.cash > 4 * view.upkeep() else 0.6
        train = 0.7 if behind > 2 else 0.45
        power = "fast" if lab.idle_gpus > 0 else "cheap"
        plan = Plan(spend=spend, research=research, train_share=train, reserve_quarters=1.0,
                    power=power, value="train", headroom=0.1)
        return planned_orders(view, plan, rng)


POLICIES: dict[str, type[Scaler] | type[Efficient] | type[Balanced] | type[Opportunist]] = {
    "scaler": Scaler,
    "efficient": Efficient,
    "balanced": Balanced,
    "opportunist": Opportunist,
}


def make_policy(name: str) -> Policy:
    """A policy by name; KeyError names the known ones."""
    try:
        return POLICIES[name]()
    except KeyError:
        raise KeyError(f"unknown policy '{name}' (known: {', '.join(POLICIES)})") from None
