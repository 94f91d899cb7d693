"""Lint rule W110: a victory condition that can never decide a game.

As the engine reads `victory` (game/engine/rules.py): every quarter the
turning points are checked in the order written, and the first one some lab
has reached ends the game; when the last turn ends, only the first
`frontier_at_end` or `score` counts. So a second end-of-game condition never
decides, nor does a turning point after one with a threshold no higher. A
turning point that a lab starts at ends every game after the first quarter;
one above what any lab could reach in the scenario's turns never ends one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from game.scenario import limits
from game.scenario.lint.facts import Facts, quoted, truth
from game.scenario.lint.finding import Finding
from game.scenario.lint.reach import Reach
from game.scenario.models import Condition, Event, TurningPoint


def check(facts: Facts, reach: Reach) -> Iterator[Finding]:
    """Every finding of the victory rule."""
    victory = facts.sc.victory
    ends = [k for k, v in enumerate(victory) if not isinstance(v, (TurningPoint, Condition))]
    for k in ends[1:]:
        yield Finding(
            "W110",
            ("victory", k, "kind"),
            f"victory {k + 1} ({victory[k].kind}) never decides a game: when the last turn "
            f"ends only the first frontier_at_end or score counts, here victory {ends[0] + 1} "
            f"({victory[ends[0]].kind})",
        )
    for k, parsed in facts.victory_whens.items():
        if truth(parsed, lambda read: False) is False:
            why = ""
        elif truth(parsed, reach.never) is False:
            unset = sorted({r.text for r in parsed.reads.values() if reach.never(r)})
            why = f" (no event that can fire sets {', '.join(unset)})"
        else:
            continue
        yield Finding(
            "W110",
            ("victory", k, "when"),
            f"victory {k + 1} (condition) never decides a game: its when is always false{why}",
        )
    points = [(k, v) for k, v in enumerate(victory) if isinstance(v, TurningPoint)]
    if not points:
        return
    labs = {**{s.lab_id: s.lab for s in facts.sc.factions.values()}, **facts.sc.rivals}
    # A lab that starts shut down or abandoned is out before the first check.
    playing = {k: lab for k, lab in labs.items() if lab.concern < 100 and lab.backing > 0}
    leader, lab = max(playing.items() or labs.items(), key=lambda kv: (kv[1].capability, kv[0]))
    ceiling = capability_ceiling(facts, reach)
    for n, (k, point) in enumerate(points):
        lower = [(j, p) for j, p in points[:n] if p.threshold <= point.threshold]
        at = ("victory", k, "threshold")
        if lower:
            j, first = lower[0]
            why = (
                f"victory {j + 1}, before it, has a threshold of {first.threshold:g} and is "
                "always reached first"
            )
        elif lab.capability >= point.threshold:
            why = (
                f"{quoted(leader)} starts at capability {lab.capability:g}, so every game ends "
                "after the first quarter"
            )
            if ends:
                why += f" and {victory[ends[0]].kind} never decides one"
            yield Finding("W110", at, f"the turning point at {point.threshold:g}: {why}")
            continue
        elif ceiling is not None and ceiling < point.threshold:
            why = (
                f"no lab can reach it in {facts.turns} turns (buying every GPU on offer and "
                f"researching at the greatest rate, capability stays below {math.ceil(ceiling)})"
            )
        else:
            continue
        yield Finding(
            "W110", at, f"the turning point at {point.threshold:g} never ends a game: {why}"
        )


@dataclass
class _Bound:
    """An upper bound on a value changed by set, add and multiply, in any order:
    (the largest start or set, plus every positive add) times every factor above 1."""

    start: float = 0.0
    added: float = 0.0
    factor: float = 1.0
    sets: list[float] = field(default_factory=list)

    def change(self, kind: str, value: float, times: float) -> None:
        if kind == "set":
            self.sets.append(value)
        elif kind == "add" and value > 0:
            self.added += value * times
        elif kind == "multiply" and value > 1:
            self.factor *= _power(value, times)

    def most(self, *, bought: float = 0.0, reached: float = 0.0) -> float:
        """The bound, with what the rules add (`bought`) and a level they may raise it to."""
        return (max(self.start, reached, *self.sets) + self.added + bought) * self.factor


def _power(base: float, times: float) -> float:
    """base ** times, infinite where a float would overflow."""
    return math.inf if times * math.log10(base) > 300 else float(base**times)


def capability_ceiling(facts: Facts, reach: Reach) -> float | None:
    """A capability no lab can reach in the scenario's turns, or None if none can be told.

    Generous on purpose: every lab may buy its side's whole supply of every
    chip every quarter and power all of it, research at the greatest rate
    with a breakthrough every quarter, and take every gain every event that
    can fire offers, as often as the event can fire. An effect whose value is
    an expression, on capability, efficiency or GPUs, leaves no ceiling.
    """
    sc, turns = facts.sc, facts.turns
    labs = [*(s.lab for s in sc.factions.values()), *sc.rivals.values()]
    gpus = {c: _Bound(start=max(lab.gpus.get(c, 0) for lab in labs)) for c in sc.chips}
    supply = {c: _Bound(start=max(chip.supply.values(), default=0)) for c, chip in sc.chips.items()}
    efficiency = _Bound(start=max(lab.efficiency for lab in labs))
    capability = _Bound(start=max(lab.capability for lab in labs))
    for i, event in facts.events:
        if not reach.fires(event.id):
            continue
        if not _gains(facts, i, event, gpus, supply, efficiency, capability):
            return None
    r = sc.rules
    research = 1 + r.research.base_gain + r.research.max_gain * (1 + r.research.necessity_bonus)
    breakthrough = max(1.0, r.research.breakthrough_multiplier)
    best_efficiency = min(
        efficiency.most() * _power(research * breakthrough, turns), limits.HELD_EFFICIENCY
    )
    pflops = math.fsum(
        gpus[c].most(bought=turns * supply[c].most()) * max(chip.train_pflops, chip.serve_pflops)
        for c, chip in sc.chips.items()
    )
    flop = 1e15 * r.utilisation * r.seconds_per_quarter
    run = (r.capability.run_quarters + 1) * pflops * flop * best_efficiency
    if not math.isfinite(run):
        return None
    trained = 0.0
    if run > 0:
        trained = r.capability.points_per_decade * math.log10(run / r.capability.reference_flop)
    most = capability.most(reached=trained)
    return min(most, limits.HELD_CAPABILITY) if math.isfinite(most) else None


def _gains(
    facts: Facts,
    i: int,
    event: Event,
    gpus: dict[str, _Bound],
    supply: dict[str, _Bound],
    efficiency: _Bound,
    capability: _Bound,
) -> bool:
    """Add what an event can give to the bounds; False if an expression makes it unknowable."""
    holders = max(1, len(facts.named(event.who)))
    times = holders * (1 if event.once else facts.turns)  # at most once a quarter per holder
    for _, effect in facts.effects(i, event):
        for kind in ("add", "set", "multiply"):
            for target, value in (getattr(effect, kind) or {}).items():
                parts = target.split(".")
                if len(parts) >= 3 and parts[-2] == "gpus" and parts[-1] in gpus:
                    bound = gpus[parts[-1]]
                elif parts[-1] == "efficiency" and parts[0] != "world":
                    bound = efficiency
                elif parts[-1] == "capability" and parts[0] != "world":
                    bound = capability
                else:
                    continue
                if isinstance(value, str):
                    return False
                bound.change(kind, value, times)
        change = effect.supply
        if change is None:
            continue
        for chip in facts.sc.chips_named(change.chip):
            if chip not in supply:
                continue
            if change.add is not None:
                supply[chip].change("add", change.add, times)
            if change.multiply is not None:
                supply[chip].change("multiply", change.multiply, times)
    return True
