"""Lint rules about the world: chips no side may buy (W109), and effects on the world
or on another lab inside an event that may hit several labs (W111)."""

from __future__ import annotations

from collections.abc import Iterator

from game.scenario.lint.facts import Facts, Loc, quoted
from game.scenario.lint.finding import Finding
from game.scenario.lint.reach import Reach
from game.scenario.models import FACTIONS, Effect, who_text, who_words


def check(facts: Facts, reach: Reach) -> Iterator[Finding]:
    """Every finding of the world rules."""
    yield from _unbuyable(facts, reach)
    yield from _world_effects(facts)


def _unbuyable(facts: Facts, reach: Reach) -> Iterator[Finding]:
    """W109: a chip that no side may buy in any quarter of the scenario.

    A side may buy a chip in some quarter if it has a lab, the chip goes on
    sale before the last turn, the side is among its buyers or an event that
    can fire allows it, and it has a supply or an event that can fire adds one.
    """
    allowed: set[tuple[str, str]] = set()  # (chip, side) some event that fires allows
    supplied: set[tuple[str, str]] = set()  # (chip, side) some event that fires adds supply to
    for i, event in facts.events:
        if not reach.fires(event.id):
            continue
        for _, effect in facts.effects(i, event):
            if effect.export is not None and effect.export.allow:
                for named in facts.sc.chips_named(effect.export.chip):
                    allowed.add((named, str(effect.export.faction)))
            change = effect.supply
            if change is not None and change.add is not None and change.add > 0:
                for side in (change.faction,) if change.faction else FACTIONS:
                    for named in facts.sc.chips_named(change.chip):
                        supplied.add((named, str(side)))
    sides = [f for f in FACTIONS if f in facts.faction.values()]
    for cid, chip in facts.sc.chips.items():
        where: Loc = ("chips", cid)
        if chip.available_from is not None and facts.sc.turn_of(chip.available_from) > facts.turns:
            on_sale = facts.sc.turn_of(chip.available_from)
            yield Finding(
                "W109",
                (*where, "available_from"),
                f"chip {quoted(cid)} can never be bought: it goes on sale at "
                f"{facts.turn_text(on_sale)}, after the scenario's last turn ({facts.turns})",
            )
            continue
        why = []
        supply = {str(f): n for f, n in chip.supply.items()}
        for side in sides:
            if side in chip.buyers or (cid, side) in allowed:
                if supply.get(side, 0) > 0 or (cid, side) in supplied:
                    break
                why.append(f"{side} labs get no supply of it and no event adds one")
            else:
                why.append(f"{side} labs are not among its buyers and no event allows them")
        else:
            yield Finding(
                "W109",
                where,
                f"chip {quoted(cid)} can never be bought: {'; '.join(why)}",
                at_key=True,
            )


def _hit(facts: Facts, who: str) -> int:
    """How many labs one `who` word may hit in a quarter of one game."""
    hit = len(facts.named(who))
    if who == "player":
        return min(hit, 1)
    if who == "ai":
        return min(hit, len(facts.labs) - 1)
    return hit


def _world_effects(facts: Facts) -> Iterator[Finding]:
    """W111: an effect beyond the lab hit, in an event that may hit several labs a quarter."""
    for i, event in facts.events:
        # The labs it may hit in one game: one player, every other lab for `ai`.
        hit = min(len(facts.named(event.who)), sum(_hit(facts, w) for w in who_words(event.who)))
        if hit < 2:
            continue
        for at, effect in facts.effects(i, event):
            for loc, what in _beyond_the_lab(at, effect):
                yield Finding(
                    "W111",
                    loc,
                    f"event {quoted(event.id)}: {what} applies once for each lab the event "
                    f"hits (who: {who_text(event.who)}, up to {hit} labs a quarter), not once; to "
                    "apply it once, put it in a who: world event",
                    i,
                    True,
                )


def _beyond_the_lab(at: Loc, effect: Effect) -> Iterator[tuple[Loc, str]]:
    """The parts of an effect that change the world or another lab, and add up if repeated.

    Setting a flag, an export rule or a value is the same done twice; adding,
    multiplying and changing prices, supply, demand and lead times are not.
    """
    for kind, unit in (("add", 0.0), ("multiply", 1.0)):
        for target, value in (getattr(effect, kind) or {}).items():
            if target.startswith("me.") or value == unit:
                continue
            whose = "the world's" if target.startswith("world.") else "another lab's"
            yield (*at, kind, target), f"the {kind} on {quoted(target)} ({whose})"
    for kind in ("price", "supply"):
        change = getattr(effect, kind)
        if change is None:
            continue
        if (change.add or 0) != 0 or change.multiply not in (None, 0, 1):
            yield (*at, kind), f"the {kind} change of chip {quoted(change.chip)}"
    demand = effect.demand
    if demand is not None and ((demand.growth or 0) != 0 or demand.multiply not in (None, 0, 1)):
        yield (*at, "demand"), "the demand change"
    lead = effect.power_lead
    if lead is not None and lead.add != 0:
        yield (*at, "power_lead"), f"the lead time change of {quoted(lead.source)}"
