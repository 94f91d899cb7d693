"""A scenario made ready to play: numbers unpacked, expressions compiled once.

Build one `Rulebook` per scenario and start as many games from it as you
like (the simulator plays thousands from one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from game.scenario.expr import (
    Compiled,
    ExprContext,
    compile_expr,
    compile_value,
    parse_target,
)
from game.scenario.models import (
    Choice,
    Condition,
    Effect,
    Event,
    FactionSpec,
    FrontierAtEnd,
    Rules,
    Scenario,
    Score,
    TurningPoint,
)
from game.scenario.placeholders import fill

if TYPE_CHECKING:
    from game.engine.state import LabState

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ChipInfo:
    id: str
    name: str
    kind: str
    price: float  # $M per GPU at the start
    train_pflops: float
    serve_pflops: float
    kw: float
    watts: int  # kw in whole watts, for exact power arithmetic
    lead: int
    available: int  # first turn it can be bought (1 when always)


@dataclass(frozen=True, slots=True)
class PowerInfo:
    id: str
    name: str
    capex: float  # $M per MW
    price_mwh: dict[str, float]
    co2: dict[str, float]  # t per MWh, per faction
    max_mw: dict[str, int] | None


@dataclass(frozen=True, slots=True)
class CEffect:
    """A compiled effect: `kind` plus what it needs."""

    # add, set, multiply (data: (target, value) pairs), flag, clear_flag,
    # lab_flag, clear_lab_flag, news (data: the text), export, price, supply,
    # demand, power_lead (data: the scenario's model of the change).
    kind: str
    data: Any = None
    lasts: int = 0  # add, set, multiply: quarters until it is undone (0: for good)


@dataclass(frozen=True, slots=True)
class CChoice:
    label: str
    preview: str
    effects: tuple[CEffect, ...]
    ai_weight: float
    then: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class CEvent:
    id: str
    title: str
    text: str
    source: str
    who: str | tuple[str, ...]  # a tuple: any of these
    when: Callable[..., Any]
    earliest: int
    latest: int
    chance: float
    once: bool
    chained: bool
    rare: bool
    effects: tuple[CEffect, ...]
    choices: tuple[CChoice, ...]
    then: tuple[tuple[str, int], ...]
    at_random: bool = False  # comes due once, at a quarter drawn in its window
    chance_of: Callable[..., Any] | None = None  # a chance written as an expression
    sides: tuple[str, ...] = ()  # a world event's choices_for: the sides it asks


def str_keys(d: Mapping[Any, T]) -> dict[str, T]:
    """A copy keyed by plain strings (faction literals widen to str)."""
    return {str(k): v for k, v in d.items()}


@dataclass(frozen=True, slots=True)
class Tuning:
    """The scenario's rule numbers, flat, for the hot path (one lookup each)."""

    run_quarters: int
    points_per_decade: float
    reference_flop: float
    tokens_per_pflop_hour: float
    capability_scale: float
    price_weight: float
    serve_weight: float
    inertia: float
    price_elasticity: float
    serving_gain: float
    half_spend: float
    base_gain: float
    max_gain: float
    breakthrough_chance: float
    breakthrough_multiplier: float
    necessity_threshold: float
    necessity_bonus: float
    necessity_held: bool
    running_cost_per_gpu: float
    chip_price_decline: float
    bankruptcy_quarters: int
    backing_base: float
    backing_pull: float
    per_point_vs_frontier: float
    per_loss_quarter: float
    concern_decay: float
    per_kt_co2: float
    per_share: float
    per_gw: float

    @classmethod
    def of(cls, r: Rules) -> Tuning:
        c, m, x, b, q = r.capability, r.market, r.research, r.backing, r.concern
        return cls(
            run_quarters=c.run_quarters,
            points_per_decade=c.points_per_decade,
            reference_flop=c.reference_flop,
            tokens_per_pflop_hour=m.tokens_per_pflop_hour,
            capability_scale=m.capability_scale,
            price_weight=m.price_weight,
            serve_weight=m.serve_weight,
            inertia=m.inertia,
            price_elasticity=m.price_elasticity,
            serving_gain=m.serving_gain,
            half_spend=x.half_spend,
            base_gain=x.base_gain,
            max_gain=x.max_gain,
            breakthrough_chance=x.breakthrough_chance,
            breakthrough_multiplier=x.breakthrough_multiplier,
            necessity_threshold=x.necessity_threshold,
            necessity_bonus=x.necessity_bonus,
            necessity_held=x.necessity_counts == "held",
            running_cost_per_gpu=r.running_cost_per_gpu,
            chip_price_decline=r.chip_price_decline,
            bankruptcy_quarters=r.bankruptcy_quarters,
            backing_base=b.base,
            backing_pull=b.pull,
            per_point_vs_frontier=b.per_point_vs_frontier,
            per_loss_quarter=b.per_loss_quarter,
            concern_decay=q.decay,
            per_kt_co2=q.per_kt_co2,
            per_share=q.per_share,
            per_gw=q.per_gw,
        )


class Rulebook:
    """Everything the engine needs from a scenario, in fast plain form."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        sc = scenario
        self.turns = sc.turns
        self.k = Tuning.of(sc.rules)
        chips = []
        for cid, c in sc.chips.items():
            available = 1 if c.available_from is None else max(1, sc.turn_of(c.available_from))
            chips.append(
                ChipInfo(
                    cid,
                    c.name,
                    c.class_,
                    c.price / 1e6,
                    c.train_pflops,
                    c.serve_pflops,
                    c.kw,
                    max(1, round(c.kw * 1000)),
                    c.lead_quarters,
                    available,
                )
            )
        # Powered GPUs are filled best chips first: by training speed, then id.
        self.chips: tuple[ChipInfo, ...] = tuple(
            sorted(chips, key=lambda c: (-c.train_pflops, -c.serve_pflops, c.id))
        )
        self.chip: dict[str, ChipInfo] = {c.id: c for c in self.chips}
        self.chip_order: tuple[str, ...] = tuple(c.id for c in self.chips)
        self.power: dict[str, PowerInfo] = {
            pid: PowerInfo(
                pid,
                p.name,
                p.capex_per_mw,
                str_keys(p.price_per_mwh),
                str_keys(p.co2_t_per_mwh),
                None if p.max_mw_per_quarter is None else str_keys(p.max_mw_per_quarter),
            )
            for pid, p in sc.power.items()
        }
        self.capex = {pid: p.capex for pid, p in self.power.items()}
        r = sc.rules
        self.hours = r.seconds_per_quarter / 3600.0
        # FLOP one GPU of 1 PFLOP/s delivers in a quarter at the scenario's utilisation.
        self.flop_per_pflops = 1e15 * r.utilisation * r.seconds_per_quarter
        # $ an hour per $M of GPU price, spread over the GPU's life.
        self.amortise_per_hour = 1e6 / (r.market.amortisation_quarters * self.hours)
        self.factions: dict[str, FactionSpec] = str_keys(sc.factions)
        # (share of capital spending repaid, grant a quarter), at backing 100.
        self.state_money: dict[str, tuple[float, float]] = {"us": (0.0, 0.0), "china": (0.0, 0.0)}
        for f, spec in self.factions.items():
            self.state_money[f] = (spec.subsidy_share, spec.state_grant)
        self.concern_weight = {f: 1.0 for f in ("us", "china")}
        self.power_price_multiplier = {f: 1.0 for f in ("us", "china")}
        for f, spec in self.factions.items():
            self.concern_weight[f] = spec.concern_weight
            self.power_price_multiplier[f] = spec.power_price_multiplier
        self.cheapest_mwh = {
            f: min((p.price_mwh.get(f, 0.0) for p in self.power.values()), default=0.0)
            for f in ("us", "china")
        }
        self.home_market = dict(sc.world.home_market)
        self.demand_ceiling = sc.world.demand_ceiling
        # What the victory rewards, as the policies read it: the capability
        # that wins outright, if any, and whether the score counts emissions.
        self.turning_point: float | None = next(
            (v.threshold for v in sc.victory if isinstance(v, TurningPoint)), None
        )
        # A long race: no turning point ends the game early, and the lab at
        # the frontier when the last quarter ends wins (not a score), so the
        # last training runs decide it.
        self.long_race = self.turning_point is None and any(
            isinstance(v, FrontierAtEnd) for v in sc.victory
        )
        self.emissions_lose = any(
            isinstance(v, Score) and v.weights.emissions < 0 for v in sc.victory
        )
        # Policies' offers by what they depend on (see policies.View.offer).
        self.offers: dict[tuple[object, ...], Any] = {}
        self.max_mw = {pid: p.max_mw for pid, p in self.power.items()}
        self.available = {c.id: c.available for c in self.chips}
        self.lab_ids = tuple(sc.lab_ids())
        sides = tuple(str(f) for f in sc.factions)
        self.ctx = ExprContext(self.lab_ids, tuple(sc.chips), tuple(sc.power), True, sides)
        self.world_ctx = ExprContext(self.lab_ids, tuple(sc.chips), tuple(sc.power), False, sides)
        # The flags expressions read with `since`: the engine records when these are set.
        self._since: set[str] = set()
        # Victory conditions (`kind: condition`), by their place in `victory`.
        self.conditions: dict[int, Callable[..., Any]] = {
            k: self._fn(compile_expr(v.when, self.ctx))
            for k, v in enumerate(sc.victory)
            if isinstance(v, Condition)
        }
        self.events: tuple[CEvent, ...] = tuple(self._event(e) for e in sc.events if not e.remove)
        self.event: dict[str, CEvent] = {e.id: e for e in self.events}
        # A world event's `choices_for`: for (event id, side), the event as that side's
        # labs are handed it (chained from the world event, with the side's choices).
        self.side_events: dict[tuple[str, str], CEvent] = {
            (e.id, str(side)): self._side_event(self.event[e.id], str(side), choices)
            for e in sc.events
            if not e.remove
            for side, choices in e.choices_for.items()
        }
        self.since_flags: frozenset[str] = frozenset(self._since)
        self.auto_events = tuple(e for e in self.events if not e.chained)
        # The events that may trigger on each turn, worked out once, in file order; an
        # `at: random` event among them on every turn of its window, checked on the turn
        # drawn for it only, so it sits in the same order as the others.
        self.events_on_turn: dict[int, tuple[CEvent, ...]] = {
            t: tuple(e for e in self.auto_events if e.earliest <= t <= e.latest)
            for t in range(1, self.turns + 1)
        }
        # `at: random` events by the turn their window opens, with the turns to draw from
        # (the window within the game).
        self.windows_opening: dict[int, tuple[tuple[CEvent, int, int], ...]] = {}
        for e in self.auto_events:
            lo, hi = max(1, e.earliest), min(e.latest, self.turns)
            if e.at_random and lo <= hi:
                self.windows_opening[lo] = (*self.windows_opening.get(lo, ()), (e, lo, hi))

    def say(self, text: str, lab: LabState | None) -> str:
        """Event text as shown: its placeholders filled for `lab` (see placeholders.py)."""
        if "{" not in text and "}" not in text:
            return text
        if lab is None:
            return fill(text, {})
        side = self.scenario.factions.get(lab.faction)  # type: ignore[call-overload]
        values = {
            "lab": lab.name,
            "lab_short": lab.short or lab.name,
            "side": side.name if side is not None else lab.faction,
        }
        return fill(text, values)

    def _event(self, e: Event) -> CEvent:
        ctx = self.world_ctx if e.who == "world" else self.ctx
        sc = self.scenario
        return CEvent(
            id=e.id,
            title=e.title,
            text=e.text,
            source=e.source,
            who=e.who,
            when=self._fn(compile_expr(e.when, ctx)),
            earliest=1 if e.earliest is None else sc.turn_of(e.earliest),
            latest=10_000 if e.latest is None else sc.turn_of(e.latest),
            chance=e.chance if isinstance(e.chance, float) else 0.0,
            once=e.once,
            chained=e.chained,
            rare=e.rare,
            effects=self._effects(e.effects, ctx),
            choices=tuple(self._choice(c, ctx) for c in e.choices),
            then=tuple((t.event, t.delay) for t in e.then),
            at_random=e.at == "random",
            sides=tuple(str(side) for side in e.choices_for),
            chance_of=(
                None if isinstance(e.chance, float) else self._fn(compile_value(e.chance, ctx))
            ),
        )

    def _effects(self, effects: list[Effect], ctx: ExprContext) -> tuple[CEffect, ...]:
        """Compiled effects; one that names a chip group becomes one for each of its chips."""
        out: list[CEffect] = []
        for x in effects:
            one = self._effect(x, ctx)
            if one.kind in ("export", "price", "supply"):
                chips = self.scenario.chips_named(one.data.chip)
                out += [CEffect(one.kind, one.data.model_copy(update={"chip": c})) for c in chips]
            else:
                out.append(one)
        return tuple(out)

    def asked(self, event_id: str, faction: str) -> CEvent:
        """The event a lab of `faction` is asked to choose in (its side's, for choices_for)."""
        return self.side_events.get((event_id, faction)) or self.event[event_id]

    def _side_event(self, world: CEvent, side: str, choices: list[Choice]) -> CEvent:
        return dataclasses.replace(
            world,
            who=side,
            when=self._fn(compile_expr(True, self.ctx)),
            earliest=1,
            latest=10_000,
            chance=1.0,
            once=False,
            chained=True,
            effects=(),
            choices=tuple(self._choice(c, self.ctx) for c in choices),
            then=(),
            at_random=False,
            chance_of=None,
        )

    def _choice(self, c: Choice, ctx: ExprContext) -> CChoice:
        return CChoice(
            c.label,
            c.preview,
            self._effects(c.effects, ctx),
            c.ai_weight,
            tuple((t.event, t.delay) for t in c.then),
        )

    def _read(self, c: Compiled) -> Compiled:
        """A compiled expression, its `since` flags noted."""
        self._since |= c.since
        return c

    def _fn(self, c: Compiled) -> Callable[..., Any]:
        return self._read(c).fn

    def _effect(self, x: Effect, ctx: ExprContext) -> CEffect:
        for kind in ("add", "set", "multiply"):
            mapping = getattr(x, kind)
            if mapping is not None:
                # One effect entry may name several targets; the engine applies
                # them in file order, so we keep them as a tuple.
                return CEffect(
                    kind,
                    data=tuple(
                        (parse_target(t, ctx), self._read(compile_value(v, ctx)))
                        for t, v in mapping.items()
                    ),
                    lasts=x.for_quarters or 0,
                )
        for kind in ("flag", "clear_flag", "lab_flag", "clear_lab_flag", "news"):
            value = getattr(x, kind, None)
            if value is not None:
                return CEffect(kind, data=value)
        for kind in ("export", "price", "supply", "demand", "power_lead"):
            value = getattr(x, kind)
            if value is not None:
                return CEffect(kind, data=value)
        raise ValueError("empty effect")  # the model validator makes this unreachable
