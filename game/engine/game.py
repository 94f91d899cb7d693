"""`Game`: one game in progress, with its log as the source of truth.

Like a chess board's move stack, the game keeps every turn's orders and
choices (for every lab, computer ones included) and every past state, so a
save is the log and any turn can be rebuilt by replaying it from the seed.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from game.engine.events import ai_choice, lab_scope, news_phase, take_choice
from game.engine.happenings import Happening
from game.engine.orders import OrderError, Orders, OrderSet, PolicyOrders, check_orders
from game.engine.policies import Policy, View, make_policy
from game.engine.rulebook import Rulebook, str_keys
from game.engine.rules import compute_lab, rank_labs, resolve_turn
from game.engine.state import GameState, LabState, WorldState
from game.scenario.models import Lab, Scenario


@dataclass(slots=True)
class TurnRecord:
    """What was decided in one turn: enough to replay it exactly."""

    turn: int
    choices: list[tuple[str, int]] = field(default_factory=list)  # (event id, choice index)
    orders: dict[str, OrderSet] = field(default_factory=dict)  # every lab's, by lab id
    digest: str = ""  # state digest after the turn


class GameError(Exception):
    """A request the game cannot take now (a choice still open, the game over...)."""


class Game:
    """A game: the state, the events awaiting the player, and the turn step."""

    def __init__(
        self,
        book: Rulebook,
        faction: str,
        seed: int,
        *,
        difficulty: str | None = None,
        player_policy: str | None = None,
        policies: Mapping[str, str] | None = None,
    ) -> None:
        """Start a game; `player_policy` lets a computer play the player's seat."""
        sc = book.scenario
        if faction not in sc.factions:
            raise GameError(
                f"this scenario has no '{faction}' side (sides: {', '.join(sc.factions)})"
            )
        if difficulty is not None and difficulty not in sc.difficulties:
            known = ", ".join(sc.difficulties) or "none"
            raise GameError(f"unknown difficulty '{difficulty}' (known: {known})")
        self.book = book
        self.faction = faction
        self.seed = seed
        self.difficulty = difficulty
        self.player_policy = player_policy
        self.policies: dict[str, Policy] = {}
        self.state = initial_state(book, faction, seed, difficulty)
        for lab in self.state.labs.values():
            name = (policies or {}).get(lab.id, lab.policy)
            if lab.is_player:
                name = player_policy or name
            self.policies[lab.id] = make_policy(name)
        self.history: list[GameState] = [self.state]
        self.records: list[TurnRecord] = [TurnRecord(self.state.turn)]
        self._orders: Orders | None = None
        # The simulator turns history off: it never saves or looks back, and
        # copying and hashing the state every turn costs a third of its time.
        self.keep_history = True
        self.opening: list[Happening] = []
        news_phase(book, self.state, self.opening)

    # -- reading -----------------------------------------------------------
    @property
    def scenario(self) -> Scenario:
        return self.book.scenario

    @property
    def player(self) -> LabState:
        return self.state.labs[self.state.player]

    @property
    def pending(self) -> list[tuple[str, str]]:
        """Events awaiting the player's choice, as (event id, lab id)."""
        return [(p.event, p.lab) for p in self.state.pending]

    @property
    def over(self) -> bool:
        return self.state.over

    def problems(self, orders: OrderSet) -> list[str]:
        """Why `orders` cannot stand this quarter; empty when they can."""
        return check_orders(self.state, self.player, orders, self.book)

    def suggested_orders(self) -> Orders:
        """What the player's seat policy would order now (for a computer seat or a hint)."""
        # A hint must not move the game's generator: a fixed roll stands in.
        view = View(self.book, self.player, self.state, self.state.world.supply, 0.5)
        hint = self.policies[self.player.id].decide(view)
        return (
            hint.validated()
            if isinstance(hint, PolicyOrders)
            else Orders.model_validate(hint, from_attributes=True)
        )

    # -- acting ------------------------------------------------------------
    def choose(self, event_id: str, index: int) -> list[Happening]:
        """Answer a pending event with its choice number `index` (0-based)."""
        if self.over:
            raise GameError("the game is over")
        i = next((k for k, p in enumerate(self.state.pending) if p.event == event_id), -1)
        if i < 0:
            raise GameError(f"no event '{event_id}' is waiting for a choice")
        ev = self.book.event[event_id]
        if not 0 <= index < len(ev.choices):
            raise GameError(f"'{ev.title}' has choices 1 to {len(ev.choices)}, not {index + 1}")
        # Past states stay as they were (the history's last entry is replaced);
        # without history there is nothing to keep, so the state changes in place.
        s = self.state.clone() if self.keep_history else self.state
        pending = s.pending.pop(i)
        out: list[Happening] = []
        take_choice(self.book, s, ev, index, s.labs[pending.lab], out, lab_scope(s))
        self.state = s
        self.history[-1] = s
        self.records[-1].choices.append((event_id, index))
        return out

    def submit(self, orders: Orders) -> None:
        """Set the player's orders for this quarter; refused with every reason if invalid."""
        if self.over:
            raise GameError("the game is over")
        problems = self.problems(orders)
        if problems:
            raise OrderError(problems)
        self._orders = orders

    def end_turn(self) -> list[Happening]:
        """Resolve the quarter with the submitted orders (none: the seat's policy decides)."""
        if self.over:
            raise GameError("the game is over")
        if self.state.pending:
            titles = ", ".join(self.book.event[p.event].title for p in self.state.pending)
            raise GameError(f"choose first: {titles}")
        given: dict[str, OrderSet] = {}
        if self._orders is not None:
            given[self.player.id] = self._orders
        elif self.player_policy is None:
            given[self.player.id] = Orders(train_share=self.player.train_share)
        fast = not self.keep_history
        new, out, used = resolve_turn(self.book, self.state, given, self.policies, inplace=fast)
        record = self.records[-1]
        record.orders = used
        record.digest = "" if fast else new.digest()
        self.state = new
        if fast:
            self.history[-1] = new
        else:
            self.history.append(new)
        self.records.append(TurnRecord(new.turn))
        self._orders = None
        return out

    def play_ai_choices(self) -> list[Happening]:
        """Let the player's seat policy answer pending events by their AI weights."""
        out: list[Happening] = []
        while self.state.pending and not self.over:
            p = self.state.pending[0]
            ev = self.book.event[p.event]
            idx = ai_choice(ev.choices, self.state.rng.random())
            out += self.choose(p.event, idx)
        return out


def initial_state(book: Rulebook, faction: str, seed: int, difficulty: str | None) -> GameState:
    """The state before turn 1's news: labs as the scenario sets them up."""
    sc = book.scenario
    diff = sc.difficulties.get(difficulty) if difficulty else None
    labs: dict[str, LabState] = {}
    for f, fspec in sc.factions.items():
        labs[fspec.lab_id] = _lab(fspec.lab_id, fspec.lab, f, True, f == faction)
    for rid, rival in sc.rivals.items():
        assert rival.faction is not None  # the loader requires it for rivals
        labs[rid] = _lab(rid, rival, rival.faction, False, False)
    if diff is not None:
        for lab in labs.values():
            lab.cash *= diff.player_cash if lab.is_player else diff.rival_cash
            if lab.id in diff.rival_policies and not lab.is_player:
                lab.policy = diff.rival_policies[lab.id]
    for lab in labs.values():
        lab.gpus = {c: lab.gpus[c] for c in book.chip_order if c in lab.gpus}  # best first
        lab.cash_settled = lab.cash
        lab.gpus_total = sum(lab.gpus.values())
        lab.power_mw = sum(lab.power.values())
    world = WorldState(
        turns=sc.turns,
        demand=sc.world.demand,
        demand_growth=sc.world.demand_growth,
        prices={cid: c.price / 1e6 for cid, c in sc.chips.items()},
        supply={cid: str_keys(c.supply) for cid, c in sc.chips.items()},
        buyers={cid: tuple(sorted(set(c.buyers))) for cid, c in sc.chips.items()},
        power_lead={pid: str_keys(p.lead_quarters) for pid, p in sc.power.items()},
        reasoning_weight=sc.rules.capability.reasoning_weight,
        diffusion=sc.rules.research.diffusion,
        severity=diff.event_severity if diff is not None else 1.0,
    )
    player = sc.factions[faction].lab_id  # type: ignore[index]
    state = GameState(
        turn=1,
        year=sc.start.year,
        quarter=sc.start.quarter,
        labs=labs,
        world=world,
        rng=random.Random(seed),
        player=player,
    )
    _prime(book, state)
    return state


def _prime(book: Rulebook, state: GameState) -> None:
    """Fill the derived fields (compute, cost, ranks) before the first quarter."""
    for lab in state.labs.values():
        compute_lab(book, state, lab, Orders(train_share=lab.train_share), [])
        lab.train_history = []
    state.world.frontier = max(lab.capability for lab in state.labs.values())
    state.world.best_cost = min(lab.cost_per_mtok for lab in state.labs.values())
    rank_labs(state)


def _lab(lab_id: str, spec: Lab, faction: str, main: bool, player: bool) -> LabState:
    return LabState(
        id=lab_id,
        name=spec.name,
        short=spec.short or spec.name[:12],
        faction=faction,
        policy=spec.policy,
        is_main=main,
        is_player=player,
        cash=spec.cash,
        gpus=dict(spec.gpus),
        power=dict(spec.power_mw),
        efficiency=spec.efficiency,
        capability=spec.capability,
        backing=spec.backing,
        concern=spec.concern,
        train_share=spec.train_share,
        market_share=spec.market_share,
        revenue=spec.revenue,
        running_costs=spec.running_costs,
    )
