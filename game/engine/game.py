"""`Game`: one game in progress, with its log as the source of truth.

Like a chess board's move stack, the game keeps every turn's orders and
choices (for every lab, computer ones included) and every past state, so a
save is the log and any turn can be rebuilt by replaying it from the seed:
`Game.from_records` does, checking each turn against the digest recorded.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from game.engine.events import ai_choice, lab_scope, news_phase, take_choice
from game.engine.happenings import Happening
from game.engine.orders import OrderError, Orders, OrderSet, PolicyOrders, check_orders
from game.engine.policies import Policy, View, make_policy
from game.engine.rulebook import Rulebook, str_keys
from game.engine.rules import compute_lab, rank_labs, resolve_turn
from game.engine.state import FIGURES, GameState, LabState, WorldState, figures
from game.scenario.models import Lab, Scenario


@dataclass(slots=True)
class TurnRecord:
    """What was decided in one turn: enough to replay it exactly, and to check the replay."""

    turn: int
    choices: list[tuple[str, int]] = field(default_factory=list)  # (event id, choice index)
    # Positions in `choices` that a computer seat picked with a roll of the
    # game's generator (`play_ai_choices`): a replay draws the roll too.
    drawn: list[int] = field(default_factory=list)
    orders: dict[str, OrderSet] = field(default_factory=dict)  # every lab's, by lab id
    digest: str = ""  # state digest after the turn
    # Every lab's `state.FIGURES` after the turn: when a replay's digest
    # differs, they tell which lab and which figure went astray.
    figures: dict[str, tuple[float, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Branch:
    """Where a branched game came from: another game's save, and the turn taken over."""

    game: str  # the id of the game it branched from
    save: str  # the name of that game's save file
    turn: int  # the first turn this game played for itself


class GameError(Exception):
    """A request the game cannot take now (a choice still open, the game over...)."""


class Desync(GameError):
    """Records that do not replay as they were recorded: `desync at turn N: what differs`."""

    def __init__(self, turn: int, detail: str) -> None:
        super().__init__(f"desync at turn {turn}: {detail}")
        self.turn = turn
        self.detail = detail


# How a desync names each of `state.FIGURES`.
FIGURE_NAMES: dict[str, str] = {
    "cash": "cash ($M)",
    "gpus": "GPUs",
    "power": "power (MW)",
    "efficiency": "efficiency",
    "capability": "capability",
    "market_share": "market share",
    "revenue": "revenue ($M a quarter)",
    "concern": "concern",
    "backing": "backing",
}


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
        # The happenings of the quarter the game starts at (its news).
        self.opening: list[Happening] = []
        news_phase(book, self.state, self.opening)
        # What happened in each turn (its news, the choices, its resolution):
        # `happened[t - 1]` for turn t, kept with the history.
        self.happened: list[list[Happening]] = [list(self.opening)]
        # Names for the game's saves, which the engine only carries: the
        # saves give a game its id, and a branch says where it came from.
        self.id = ""
        self.branch: Branch | None = None

    @classmethod
    def from_records(
        cls,
        book: Rulebook,
        faction: str,
        seed: int,
        records: Sequence[TurnRecord],
        *,
        difficulty: str | None = None,
        seats: Sequence[str] | None = None,
        policies: Mapping[str, str] | None = None,
    ) -> Game:
        """Rebuild a game by replaying its records: every lab's orders and every choice.

        No policy is asked: the orders recorded for every lab, computer ones
        too, are given as they stand (and checked like any orders). After each
        played turn the state's digest must be the one recorded; the first that
        is not raises `Desync`, naming the turn and the lab and figure that
        differ. `seats` are the labs people play (default: the player's);
        `policies` name the computer policies that play on after the records.
        The last record may be the turn in progress: its choices are made, and
        the game waits for its orders.
        """
        game = cls(book, faction, seed, difficulty=difficulty, policies=policies)
        player = game.state.player
        people = tuple(seats) if seats is not None else (player,)
        if people not in ((), (player,)):
            raise GameError(
                f"the seats {', '.join(people)} cannot be played: a game has one person's "
                f"seat, the lab '{player}', or none"
            )
        if not people:  # a computer played the player's seat, and plays on
            game.player_policy = game.policies[player].name
        for i, record in enumerate(records):
            game._replay(record, last=i == len(records) - 1)
        game.opening = list(game.happened[game.state.turn - 1])
        return game

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

    @property
    def seats(self) -> tuple[str, ...]:
        """The labs people play: the player's, unless a computer plays that seat too."""
        return () if self.player_policy is not None else (self.state.player,)

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
        ev = self.book.asked(event_id, self.state.labs[self.state.pending[i].lab].faction)
        if not 0 <= index < len(ev.choices):
            title = self.book.say(ev.title, self.state.labs.get(self.state.pending[i].lab))
            raise GameError(f"'{title}' has choices 1 to {len(ev.choices)}, not {index + 1}")
        # Past states stay as they were (the history's last entry is replaced);
        # without history there is nothing to keep, so the state changes in place.
        s = self.state.clone() if self.keep_history else self.state
        pending = s.pending.pop(i)
        out: list[Happening] = []
        take_choice(self.book, s, ev, index, s.labs[pending.lab], out, lab_scope(s))
        self.state = s
        self.history[-1] = s
        self.records[-1].choices.append((event_id, index))
        self._note(out)
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
            titles = ", ".join(
                self.book.say(self.book.event[p.event].title, self.state.labs.get(p.lab))
                for p in self.state.pending
            )
            raise GameError(f"choose first: {titles}")
        given: dict[str, OrderSet] = {}
        if self._orders is not None:
            given[self.player.id] = self._orders
        elif self.player_policy is None:
            given[self.player.id] = Orders(train_share=self.player.train_share)
        return self._resolve(given)

    def _resolve(self, given: Mapping[str, OrderSet]) -> list[Happening]:
        """Resolve the quarter with `given` orders (the seats' policies give the rest)."""
        fast = not self.keep_history
        new, out, used = resolve_turn(self.book, self.state, given, self.policies, inplace=fast)
        record = self.records[-1]
        record.orders = used
        if not fast:
            record.digest = new.digest()
            record.figures = figures(new)
        self.state = new
        if fast:
            self.history[-1] = new
        else:
            self.history.append(new)
            self._note(out)
        self.records.append(TurnRecord(new.turn))
        self._orders = None
        return out

    def _note(self, out: list[Happening]) -> None:
        """File happenings under the turn they belong to (`happened`), with the history."""
        if not self.keep_history:
            return
        # A quarter with no news still has its place, up to the one being played.
        last = max([self.state.turn, *[h.turn for h in out]])
        while len(self.happened) < last:
            self.happened.append([])
        for h in out:
            self.happened[h.turn - 1].append(h)

    def _replay(self, record: TurnRecord, *, last: bool) -> None:
        """Play one recorded turn again: its choices, then every lab's orders, then check."""
        turn = self.state.turn
        if self.over:
            if record.choices or record.orders:
                raise Desync(turn, "the records go on after the game ended")
            return  # the empty record a finished game keeps
        if record.turn != turn:
            raise Desync(turn, f"the records hold turn {record.turn} where turn {turn} was due")
        for k, (event_id, index) in enumerate(record.choices):
            if k in record.drawn:
                self.state.rng.random()
            # Each `except` names its error apart: mypyc gives a name one type per function.
            try:
                self.choose(event_id, index)
            except GameError as refused:
                raise Desync(turn, f"a recorded choice cannot be made: {refused}") from None
            if k in record.drawn:
                self.records[-1].drawn.append(k)
        if not record.orders:
            if not last:
                raise Desync(turn, "a turn without orders comes before the last")
            return
        if self.state.pending:
            p = self.state.pending[0]
            title = self.book.say(self.book.event[p.event].title, self.state.labs.get(p.lab))
            raise Desync(turn, f"the event '{title}' still waits for the choice recorded for it")
        living = [lab.id for lab in self.state.labs.values() if lab.alive]
        missing = [lab for lab in living if lab not in record.orders]
        extra = [lab for lab in record.orders if lab not in living]
        if missing or extra:
            lab = (missing or extra)[0]
            known = self.state.labs.get(lab)
            name = known.name if known is not None else f"'{lab}'"
            why = "has no orders recorded" if missing else "is not in the game to give orders"
            raise Desync(turn, f"{name} {why}")
        try:
            self._resolve(record.orders)
        except OrderError as bad:
            who = self.state.labs.get(bad.lab or "")
            whose = f"{who.name}'s" if who is not None else "the"
            raise Desync(turn, f"{whose} recorded orders cannot stand: {bad}") from None
        done = self.records[-2]
        if done.digest != record.digest:
            raise Desync(turn, self._difference(record.figures, done.figures))

    def _difference(
        self, recorded: Mapping[str, Sequence[float]], replayed: Mapping[str, Sequence[float]]
    ) -> str:
        """The first lab figure a replay got wrong, in words."""
        for lab_id, ours in replayed.items():
            name = self.state.labs[lab_id].name
            theirs = recorded.get(lab_id)
            if theirs is None or len(theirs) != len(ours):
                return f"the state differs from the one recorded (no figures were for {name})"
            for key, mine, was in zip(FIGURES, ours, theirs, strict=True):
                if mine != was:
                    return (
                        f"{name}'s {FIGURE_NAMES[key]} is {mine:,.6g} on replay "
                        f"but was recorded as {was:,.6g}"
                    )
        return (
            "every lab's figures agree with the records, but the rest of the state does not "
            "(events, flags, deliveries due or the random generator)"
        )

    def play_ai_choices(self) -> list[Happening]:
        """Let the player's seat policy answer pending events by their AI weights."""
        out: list[Happening] = []
        while self.state.pending and not self.over:
            p = self.state.pending[0]
            ev = self.book.asked(p.event, self.state.labs[p.lab].faction)
            idx = ai_choice(ev.choices, self.state.rng.random())
            out += self.choose(p.event, idx)
            record = self.records[-1]
            record.drawn.append(len(record.choices) - 1)
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
        policies = dict(diff.rival_policies)
        for side, against in diff.rival_policies_against.items():
            if side == faction:
                policies.update(against)
        for lab in labs.values():
            lab.cash *= diff.player_cash if lab.is_player else diff.rival_cash
            if lab.id in policies and not lab.is_player:
                lab.policy = policies[lab.id]
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
