"""The game state: plain, slotted dataclasses cloned once per turn.

A turn never mutates the state it was given: `resolve_turn` clones it first
and works on the copy, so every past state stays valid (history, replays,
the UI's sparklines).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import random
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Ending(StrEnum):
    """How a game ends (python-chess's `Termination`): every kind an `Outcome` can have.

    The last three are also why a lab falls out of a game (`LabState.out_reason`):
    when the player's lab falls out, its reason ends the game.
    """

    TURNING_POINT = "turning_point"  # a lab reached the turning point's capability
    FRONTIER_AT_END = "frontier_at_end"  # the last quarter ended; the frontier lab wins
    SCORE = "score"  # the last quarter ended; the best score wins
    CONDITION = "condition"  # a lab met a victory condition the scenario wrote
    SURVIVED = "survived"  # the last quarter ended with the leader out: nobody wins
    BANKRUPTCY = "bankruptcy"
    SHUTDOWN = "shutdown"
    TAKEOVER = "takeover"


# Why a lab falls out of a game.
LAB_OUT: tuple[Ending, ...] = (Ending.BANKRUPTCY, Ending.SHUTDOWN, Ending.TAKEOVER)


@dataclass(slots=True)
class Arrival:
    """Something bought that has not arrived yet (never changed once made)."""

    turn: int  # the turn in whose resolution it lands
    kind: str  # 'gpu' or 'power'
    key: str  # chip id or power source id
    amount: int  # GPUs or MW


@dataclass
class LabState:
    id: str
    name: str
    short: str
    faction: str
    policy: str
    is_main: bool
    is_player: bool
    cash: float  # $M
    gpus: dict[str, int]
    power: dict[str, int]  # MW online per source
    efficiency: float
    capability: float
    backing: float
    concern: float
    train_share: float
    market_share: float
    revenue: float  # $M last quarter
    running_costs: float  # $M a quarter
    pipeline: list[Arrival] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    alive: bool = True
    out_reason: str = ""  # one of `LAB_OUT` once the lab is out
    # Derived each quarter (kept on the state so expressions can read them).
    gpus_total: int = 0
    powered_gpus: int = 0
    powered_chips: dict[str, int] = field(default_factory=dict)  # powered GPUs by chip
    idle_gpus: int = 0
    idle_mw_needed: int = 0
    gpus_on_order: int = 0
    power_mw: int = 0
    power_building: int = 0
    kw_installed: float = 0.0  # all-in draw of every installed GPU
    powered_train: float = 0.0  # PFLOP/s of training the powered GPUs give
    powered_serve: float = 0.0  # PFLOP/s of serving the powered GPUs give
    kw_on_order: float = 0.0  # all-in draw of the GPUs on order
    compute: float = 0.0  # effective FLOP last quarter
    raw_compute: float = 0.0  # FLOP last quarter before efficiency
    drawn_mw: float = 0.0  # MW the powered GPUs draw
    elec_price: float = 0.0  # $ per MWh, the lab's blend
    co2_rate: float = 0.0  # t CO2 per MWh, the lab's blend
    train_history: list[float] = field(default_factory=list)  # effective training FLOP, recent
    serve_flop: float = 0.0
    cost_per_mtok: float = 0.0
    rank: int = 1
    profit: float = 0.0
    income: float = 0.0
    spending: float = 0.0
    emissions: float = 0.0  # tonnes CO2 last quarter
    emissions_total: float = 0.0
    negative_quarters: int = 0
    paid_gpus: float = 0.0  # $M spent on GPUs this quarter
    paid_power: float = 0.0  # $M spent building power this quarter
    paid_research: float = 0.0  # $M spent on research this quarter
    event_cash: float = 0.0  # $M events moved since the books last closed
    cash_settled: float = 0.0  # cash when the last quarter's books closed
    events_seen: dict[str, int] = field(default_factory=dict)
    fired_on: dict[str, int] = field(default_factory=dict)  # event id -> last turn it fired
    # Flag -> the turn it was last set, for the flags a scenario reads with `since`.
    flag_turns: dict[str, int] = field(default_factory=dict)

    def clone(self) -> LabState:
        c = copy.copy(self)
        c.gpus = dict(self.gpus)
        c.power = dict(self.power)
        c.pipeline = list(self.pipeline)  # arrivals are immutable
        c.flags = set(self.flags)
        c.train_history = list(self.train_history)
        c.events_seen = dict(self.events_seen)
        c.fired_on = dict(self.fired_on)
        c.flag_turns = dict(self.flag_turns)
        c.powered_chips = dict(self.powered_chips)
        return c


@dataclass(slots=True)
class WorldState:
    turns: int
    demand: float  # $M a quarter
    demand_growth: float
    prices: dict[str, float]  # chip -> $M per GPU
    supply: dict[str, dict[str, int]]  # chip -> faction -> GPUs a quarter
    buyers: dict[str, tuple[str, ...]]  # chip -> factions allowed to buy (sorted)
    power_lead: dict[str, dict[str, int]]  # source -> faction -> quarters
    # Rule numbers events may change (the scenario's rules give their start).
    reasoning_weight: float = 0.0  # share of serving compute that counts toward capability
    diffusion: float = 0.0  # share of the efficiency gap to the best lab closed a quarter
    severity: float = 1.0  # the difficulty's weight on events' setbacks for the player's lab
    flags: set[str] = field(default_factory=set)
    frontier: float = 0.0
    best_cost: float = 0.0
    events_seen: dict[str, int] = field(default_factory=dict)  # world events fired
    fired_on: dict[str, int] = field(default_factory=dict)  # world event id -> last turn fired
    # World flag -> the turn it was last set, for the flags a scenario reads with `since`.
    flag_turns: dict[str, int] = field(default_factory=dict)

    def clone(self) -> WorldState:
        return WorldState(
            turns=self.turns,
            demand=self.demand,
            demand_growth=self.demand_growth,
            prices=dict(self.prices),
            supply={k: dict(v) for k, v in self.supply.items()},
            buyers=dict(self.buyers),
            power_lead={k: dict(v) for k, v in self.power_lead.items()},
            reasoning_weight=self.reasoning_weight,
            diffusion=self.diffusion,
            severity=self.severity,
            flags=set(self.flags),
            frontier=self.frontier,
            best_cost=self.best_cost,
            events_seen=dict(self.events_seen),
            fired_on=dict(self.fired_on),
            flag_turns=dict(self.flag_turns),
        )


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A chained event due at a later turn (`then` with a delay).

    `lab` is the lab the chain came from (None: the world). The same event
    is due for the same lab on the same turn at most once.
    """

    turn: int
    event: str
    lab: str | None


@dataclass(frozen=True, slots=True)
class Revert:
    """A timed effect's undoing (`for_quarters`), due at the start of `turn`.

    `lab` is the lab whose figure it restores (None: the world's); `kind` is
    how: 'add' adds `amount` (the change given, taken back), 'multiply'
    multiplies by it (one over the factor), 'set' writes it (the value before).
    """

    turn: int
    event: str  # the event whose effect it undoes
    lab: str | None
    attr: str
    key: str | None  # chip or power source id for a count of GPUs or MW
    kind: str
    amount: float


@dataclass(slots=True)
class Pending:
    """An event that waits for the player's choice."""

    event: str
    lab: str


@dataclass(slots=True)
class Outcome:
    winner: str | None  # lab id
    kind: str  # an `Ending`
    text: str
    player_won: bool


@dataclass(slots=True)
class GameState:
    turn: int  # the turn about to be played, 1-based
    year: int
    quarter: int
    labs: dict[str, LabState]  # in scenario order
    world: WorldState
    rng: random.Random
    player: str  # the player's lab id
    pending: list[Pending] = field(default_factory=list)
    scheduled: dict[Scheduled, None] = field(default_factory=dict)  # an ordered set
    outcome: Outcome | None = None
    reverts: list[Revert] = field(default_factory=list)  # timed effects to undo, in order
    drawn: dict[str, int] = field(default_factory=dict)  # `at: random` event -> its turn

    @property
    def over(self) -> bool:
        return self.outcome is not None

    def clone(self) -> GameState:
        rng = random.Random()
        rng.setstate(self.rng.getstate())
        return GameState(
            turn=self.turn,
            year=self.year,
            quarter=self.quarter,
            labs={k: v.clone() for k, v in self.labs.items()},
            world=self.world.clone(),
            rng=rng,
            player=self.player,
            pending=[Pending(p.event, p.lab) for p in self.pending],
            scheduled=dict(self.scheduled),
            outcome=self.outcome,
            reverts=list(self.reverts),  # reverts are immutable
            drawn=dict(self.drawn),
        )

    def canonical(self) -> dict[str, Any]:
        """A plain, ordered form of the state with floats rounded, for hashing."""
        canon: dict[str, Any] = _canon(
            {
                "turn": self.turn,
                "labs": {k: _kept(v) for k, v in self.labs.items()},
                "world": _kept(self.world),
                "pending": [(p.event, p.lab) for p in self.pending],
                "scheduled": [(s.turn, s.event, s.lab) for s in self.scheduled],
                "outcome": None if self.outcome is None else _slots(self.outcome),
            }
        )
        # Newer parts of the state are hashed only when a game uses them, so
        # the digests of games that do not (every older save) stay the same.
        if self.reverts:
            canon["reverts"] = _canon([_slots(r) for r in self.reverts])
        if self.drawn:
            canon["drawn"] = dict(self.drawn)
        # The whole generator: its position as well as its seed. Its 625
        # whole numbers are canonical already; walking them costs half a digest.
        canon["rng"] = list(self.rng.getstate()[1])
        return canon

    def digest(self) -> str:
        """SHA-256 of the canonical state: equal states, equal digests, on any platform."""
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


# Field names by dataclass, looked up once: `dataclasses.fields` on every
# object of every digest cost a tenth of a replay.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _slots(obj: Any) -> dict[str, Any]:
    kind = type(obj)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(obj))
    return {name: getattr(obj, name) for name in names}


# Fields left out of a digest while empty (see `GameState.canonical`).
_UNHASHED_EMPTY = ("flag_turns",)


def _kept(obj: Any) -> dict[str, Any]:
    """`_slots` without the fields a game that never uses them leaves empty."""
    slots = _slots(obj)
    for name in _UNHASHED_EMPTY:
        if not slots.get(name, True):
            del slots[name]
    return slots


def _canon(value: Any) -> Any:
    # Most values are text and whole numbers, already canonical: the quick way out.
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    # `log`, `exp` and `pow` may differ in the last bit between platforms, so
    # floats are compared at 10 significant digits.
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, dict):
        # Unsorted: `digest` writes the keys in order (every key is text).
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    if isinstance(value, (LabState, Arrival)):
        return _canon(_slots(value))
    return value


# The figures of every lab a save keeps after every turn, beside the digest:
# when a replay drifts, they say which lab and which figure drifted first.
FIGURES: tuple[str, ...] = (
    "cash",
    "gpus",
    "power",
    "efficiency",
    "capability",
    "market_share",
    "revenue",
    "concern",
    "backing",
)


def figures(state: GameState) -> dict[str, tuple[float, ...]]:
    """Every lab's `FIGURES`, by lab id, at 6 significant digits (compact, and exact enough)."""
    return {
        lab.id: (
            _figure(lab.cash),
            float(lab.gpus_total),
            float(lab.power_mw),
            _figure(lab.efficiency),
            _figure(lab.capability),
            _figure(lab.market_share),
            _figure(lab.revenue),
            _figure(lab.concern),
            _figure(lab.backing),
        )
        for lab in state.labs.values()
    }


def _figure(value: float) -> float:
    return float(f"{value:.6g}")
