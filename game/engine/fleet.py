"""The fleet: installing GPUs and feeding them from the power online."""

from __future__ import annotations

from game.engine.rulebook import Rulebook
from game.engine.state import LabState
from game.scenario.limits import HELD_GPUS


def add_gpus(book: Rulebook, lab: LabState, chip: str, n: int) -> None:
    """Install (or, negative, remove) GPUs, keeping the fleet listed best chips first."""
    gpus = lab.gpus
    if chip in gpus:
        gpus[chip] = min(max(0, gpus[chip] + n), HELD_GPUS)
    else:
        gpus[chip] = min(max(0, n), HELD_GPUS)
        lab.gpus = {c: gpus[c] for c in book.chip_order if c in gpus}


def fill_power(book: Rulebook, lab: LabState, prices: dict[str, float]) -> float:
    """Feed installed GPUs from the power online, best chips first.

    Sets the fleet figures (installed, powered, idle and the MW they lack,
    power drawn) and returns the cost of running the powered fleet for an
    hour in $ (its price spread over its life, plus electricity). Works in
    whole watts, so exactly enough power runs exactly every GPU.
    """
    power_mw = sum(lab.power.values())
    elec, lab.co2_rate = power_blend(book, lab)  # $ and t CO2 per MWh
    lab.elec_price = elec
    elec_wh = elec / 1e6
    amortise = book.amortise_per_hour
    chips = book.chip
    budget_w = power_mw * 1_000_000
    drawn_w = need_w = 0
    powered = installed = 0
    train = serve = kw_installed = cost_h = 0.0
    by_chip: dict[str, int] = {}
    for cid, n in lab.gpus.items():  # listed best chips first
        if n <= 0:
            continue
        chip = chips[cid]
        w = chip.watts
        installed += n
        kw_installed += n * chip.kw
        fed = min(n, budget_w // w)
        by_chip[cid] = fed
        if fed < n:
            need_w += (n - fed) * w
        if fed:
            fed_w = fed * w
            budget_w -= fed_w
            drawn_w += fed_w
            powered += fed
            train += fed * chip.train_pflops
            serve += fed * chip.serve_pflops
            cost_h += fed * prices[cid] * amortise + fed_w * elec_wh
    lab.gpus_total = installed
    lab.kw_installed = kw_installed
    lab.powered_gpus = powered
    lab.powered_chips = by_chip
    lab.idle_gpus = installed - powered
    lab.power_mw = power_mw
    lab.drawn_mw = drawn_w / 1e6
    # What the idle GPUs lack, less the spare power that cannot feed a whole GPU.
    lab.idle_mw_needed = -(-max(need_w - budget_w, 0) // 1_000_000)
    lab.powered_train = train
    lab.powered_serve = serve
    return cost_h


def power_blend(book: Rulebook, lab: LabState) -> tuple[float, float]:
    """($ per MWh, t CO2 per MWh) of the lab's power, its sources weighted by MW online."""
    faction = lab.faction
    total = 0
    cost = co2 = 0.0
    for k, mw in lab.power.items():
        src = book.power[k]
        total += mw
        cost += src.price_mwh.get(faction, 0.0) * mw
        co2 += src.co2.get(faction, 0.0) * mw
    mult = book.power_price_multiplier[faction]
    if total <= 0:
        return book.cheapest_mwh[faction] * mult, 0.0
    return mult * cost / total, co2 / total
