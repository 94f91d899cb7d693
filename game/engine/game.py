"""`Game`: one game in progress, with its log as the source of truth.

Like a chess board's move stack, the game keeps every turn's orders and
choices (for every lab, computer ones included) and every past state, so a
save is the log and any turn can be rebuilt by replaying it from the seed:
`Game.from_records` does, checking each turn against the digest recorded.

A game has one or more human seats (`Game.seats`), each a lab a person
plays; see `Game` for how several seats play one quarter and what each may see.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from game.engine.events import ai_choice, lab_scope, news_phase, take_choice
from game.engine.happenings import EventFired, Happening
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
    # Positions in `choices` answered by a seat other than the player's (the
    # first seat), with that seat's lab id: only games of several seats have any.
    seat_of: dict[int, str] = field(default_factory=dict)
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


@dataclass(frozen=True, slots=True)
class SeatView:
    """What one human seat may see while a quarter is open (`Game.seat_view`).

    `state` is a copy of the game's state in which every other human seat's
    lab stands as it did when the quarter's news broke (its choices not
    applied yet, as far as its lab goes) and only this seat's events wait;
    `news` is the quarter's happenings without what other seats' choices
    brought; `orders` are this seat's own submitted orders, if any.
    """

    seat: str  # the seat's lab id
    state: GameState
    pending: tuple[str, ...]  # ids of the events awaiting this seat's choice
    orders: Orders | None  # this seat's submitted orders, None before it submits
    news: tuple[Happening, ...]  # the quarter in progress, as this seat may see it
    waiting_for: tuple[str, ...]  # the seats that have not submitted (who, never what)

    @property
    def lab(self) -> LabState:
        return self.state.labs[self.seat]


class Game:
    """A game: the state, the events awaiting each human seat, and the turn step.

    Seats. `humans` names the labs people play (default: the main lab of
    `faction`, the one-player game). The first seat is always the main lab of
    `faction` and is "the player" (`state.player`, `Game.player`); any other
    lab may be a seat too (one per side for US against China); every lab that
    is not a seat is a computer rival, played by its policy. Each seat answers
    its own events (`choose(..., seat=)`, `pending_for`) and gives its own
    orders (`submit(orders, seat=)`); the quarter resolves at `end_turn`, all
    seats' orders at once (`resolve_turn` takes every lab's orders before any
    is placed, so the order in which seats submit changes nothing). With
    several seats `end_turn` is refused, naming them, until every seat has
    submitted and answered its events; a one-seat game may still end a turn
    without orders (the seat keeps its training share). The `seat=` argument
    defaults to the player's seat, so one-player code reads as before.

    Hidden information. A seat's screen reads `seat_view(seat)`: it never
    holds another seat's submitted orders, its pending events, or what its
    choices did to its lab, until the quarter resolves; `pending` is the
    player's seat's, and submitted orders are private (`_orders`), readable
    only through the seat that gave them. `waiting_for` says who has not
    submitted, never what anyone submitted. `state`, `history`, `records` and
    `happened` are the referee's view (saves and replays need it): a shell
    showing one seat must not show them raw. A choice's effects on the world
    (world flags, prices, supply) are shared at once, as they are the
    world's. Choices take effect when made, in the order made, and are
    recorded so; only orders are simultaneous.

    What "the player" means with several seats (`LabState.is_player` is true
    for every seat):
    - events: `who: player` names every seat's lab and `who: ai` the computer
      labs; an event with choices that hits a seat waits for that seat, and
      computer labs answer by their AI weights as always;
    - difficulty: `player_cash` and `event_severity` apply to every seat's lab,
      and `rival_policies_against` applies for every side a seat plays (in
      seat order, a later side's entry winning for the same lab);
    - reports (deliveries, accounts, rationing, `Changed`...) are made for
      every seat's lab, each tagged with its lab; milestones are every lab's;
    - the game ends when any seat's lab falls out (the best lab alive wins)
      or by the scenario's victory; `Outcome.winner` is the winning lab, so
      `won(seat)` says whether a seat won, and `Outcome.player_won` stays the
      first seat's.
    """

    def __init__(
        self,
        book: Rulebook,
        faction: str,
        seed: int,
        *,
        difficulty: str | None = None,
        player_policy: str | None = None,
        policies: Mapping[str, str] | None = None,
        humans: Sequence[str] | None = None,
    ) -> None:
        """Start a game; `player_policy` lets a computer play the player's seat.

        `humans` are the labs people play, the main lab of `faction` first
        (default: that lab alone).
        """
        sc = book.scenario
        if faction not in sc.factions:
            raise GameError(
                f"this scenario has no '{faction}' side (sides: {', '.join(sc.factions)})"
            )
        if difficulty is not None and difficulty not in sc.difficulties:
            known = ", ".join(sc.difficulties) or "none"
            raise GameError(f"unknown difficulty '{difficulty}' (known: {known})")
        people = _seats(book, faction, humans)
        if player_policy is not None and len(people) > 1:
            raise GameError("a computer may play the player's seat only in a one-seat game")
        self.book = book
        self.faction = faction
        self.seed = seed
        self.difficulty = difficulty
        self.player_policy = player_policy
        self.humans: tuple[str, ...] = people
        self.policies: dict[str, Policy] = {}
        self.state = initial_state(book, faction, seed, difficulty, people)
        for lab in self.state.labs.values():
            name = (policies or {}).get(lab.id, lab.policy)
            if lab.is_player:
                name = player_policy or name
            self.policies[lab.id] = make_policy(name)
        self.history: list[GameState] = [self.state]
        self.records: list[TurnRecord] = [TurnRecord(self.state.turn)]
        # Each seat's submitted orders for the quarter, by lab id: private
        # (hidden information), read only through the seat that gave them.
        self._orders: dict[str, Orders] = {}
        # What each seat's choices brought this quarter, hidden from the other seats.
        self._private: dict[str, list[Happening]] = {}
        # The simulator turns history off: it never saves or looks back, and
        # copying and hashing the state every turn costs a third of its time.
        self.keep_history = True
        # The happenings of the quarter the game starts at (its news).
        self.opening: list[Happening] = []
        news_phase(book, self.state, self.opening)
        # What happened in each turn (its news, the choices, its resolution):
        # `happened[t - 1]` for turn t, kept with the history.
        self.happened: list[list[Happening]] = [list(self.opening)]
        # The state as the quarter's news broke, before any seat's choice
        # (choices replace the state, so it stays as it was; `seat_view`).
        self._opened = self.state
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
        differ. `seats` are the labs people play, the player's first (default:
        the player's alone; none: a computer played the player's seat);
        `policies` name the computer policies that play on after the records.
        The last record may be the turn in progress: its choices are made, and
        the game waits for its orders.
        """
        people = tuple(seats) if seats is not None else None
        game = cls(
            book, faction, seed, difficulty=difficulty, policies=policies, humans=people or None
        )
        player = game.state.player
        if people == ():  # a computer played the player's seat, and plays on
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
        """Events awaiting the player's seat's choice, as (event id, lab id)."""
        player = self.state.player
        return [(p.event, p.lab) for p in self.state.pending if p.lab == player]

    def pending_for(self, seat: str) -> list[str]:
        """The ids of the events awaiting `seat`'s choice, in the order they came."""
        self._seat(seat)
        return [p.event for p in self.state.pending if p.lab == seat]

    @property
    def waiting_for(self) -> tuple[str, ...]:
        """The seats that have not submitted their orders for the quarter (in seat order)."""
        if self.over:
            return ()
        return tuple(s for s in self.seats if s not in self._orders)

    @property
    def ready(self) -> bool:
        """Whether every seat has answered its events and submitted its orders."""
        return not self.over and not self.state.pending and not self.waiting_for

    def submitted(self, seat: str) -> Orders | None:
        """`seat`'s own orders for the quarter, if it has submitted (ask as that seat only)."""
        self._seat(seat)
        return self._orders.get(seat)

    def won(self, seat: str) -> bool:
        """Whether the game is over and `seat`'s lab won it."""
        outcome = self.state.outcome
        return outcome is not None and outcome.winner == seat

    def seat_view(self, seat: str) -> SeatView:
        """What `seat` may see now: nothing of another seat's orders or choices this quarter."""
        self._seat(seat)
        state = self.state.clone()
        others = [s for s in self.humans if s != seat]
        opened = self._opened
        for other in others:
            if opened is not self.state and other in opened.labs:
                state.labs[other] = opened.labs[other].clone()
        state.pending = [p for p in state.pending if p.lab == seat]
        state.scheduled = {
            k: None for k in state.scheduled if k.lab not in others or k in opened.scheduled
        }
        hidden = {id(h) for other in others for h in self._private.get(other, ())}
        turn = self.state.turn
        news = self.happened[turn - 1] if len(self.happened) >= turn else []
        return SeatView(
            seat=seat,
            state=state,
            pending=tuple(p.event for p in state.pending),
            orders=self._orders.get(seat),
            # Another seat's events that await its choice are its pending
            # choices: they show once the quarter resolves.
            news=tuple(
                h
                for h in news
                if id(h) not in hidden
                and not (isinstance(h, EventFired) and h.awaiting_choice and h.lab in others)
            ),
            waiting_for=self.waiting_for,
        )

    def _seat(self, seat: str | None) -> str:
        """`seat` checked to be a human seat (None: the player's)."""
        if seat is None:
            return self.state.player
        if seat not in self.humans:
            known = ", ".join(self.humans)
            raise GameError(f"'{seat}' is not a seat a person plays (seats: {known})")
        return seat

    @property
    def over(self) -> bool:
        return self.state.over

    @property
    def seats(self) -> tuple[str, ...]:
        """The labs people play, the player's first; none when a computer plays the player's."""
        return () if self.player_policy is not None else self.humans

    def problems(self, orders: OrderSet, *, seat: str | None = None) -> list[str]:
        """Why `orders` cannot stand this quarter for `seat`; empty when they can."""
        lab = self.state.labs[self._seat(seat)]
        return check_orders(self.state, lab, orders, self.book)

    def suggested_orders(self, *, seat: str | None = None) -> Orders:
        """What a seat's policy would order now (for a computer seat or a hint)."""
        lab = self.state.labs[self._seat(seat)]
        # A hint must not move the game's generator: a fixed roll stands in.
        view = View(self.book, lab, self.state, self.state.world.supply, 0.5)
        hint = self.policies[lab.id].decide(view)
        return (
            hint.validated()
            if isinstance(hint, PolicyOrders)
            else Orders.model_validate(hint, from_attributes=True)
        )

    # -- acting ------------------------------------------------------------
    def choose(self, event_id: str, index: int, *, seat: str | None = None) -> list[Happening]:
        """Answer an event awaiting `seat` (default: the player's) with choice `index` (0-based)."""
        if self.over:
            raise GameError("the game is over")
        who = self._seat(seat)
        i = next(
            (k for k, p in enumerate(self.state.pending) if p.event == event_id and p.lab == who),
            -1,
        )
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
        record = self.records[-1]
        if who != s.player:
            record.seat_of[len(record.choices)] = who
        record.choices.append((event_id, index))
        self._note(out)
        if len(self.humans) > 1:
            self._private.setdefault(who, []).extend(out)
        return out

    def submit(self, orders: Orders, *, seat: str | None = None) -> None:
        """Set a seat's orders for this quarter (default: the player's); refused with every
        reason if invalid. A seat may submit again until the quarter resolves."""
        if self.over:
            raise GameError("the game is over")
        who = self._seat(seat)
        problems = self.problems(orders, seat=who)
        if problems:
            raise OrderError(problems, who if who != self.state.player else None)
        self._orders[who] = orders

    def end_turn(self) -> list[Happening]:
        """Resolve the quarter with the submitted orders (none: the seat's policy decides)."""
        if self.over:
            raise GameError("the game is over")
        if len(self.humans) > 1:
            # Several seats: say who is awaited, never what they are deciding.
            choosing = [s for s in self.humans if any(p.lab == s for p in self.state.pending)]
            if choosing:
                raise GameError(f"waiting for {self._names(choosing)} to choose first")
            if self.waiting_for:
                raise GameError(
                    f"waiting for {self._names(self.waiting_for)} to submit orders first"
                )
        if self.state.pending:
            titles = ", ".join(
                self.book.say(self.book.event[p.event].title, self.state.labs.get(p.lab))
                for p in self.state.pending
            )
            raise GameError(f"choose first: {titles}")
        given: dict[str, OrderSet] = dict(self._orders)
        player = self.player
        if player.id not in given and self.player_policy is None:
            given[player.id] = Orders(train_share=player.train_share)
        return self._resolve(given)

    def _names(self, seats: Sequence[str]) -> str:
        names = [self.state.labs[s].name for s in seats]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"

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
        self._orders = {}
        self._private = {}
        self._opened = new
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
                self.choose(event_id, index, seat=record.seat_of.get(k))
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


def _seats(book: Rulebook, faction: str, humans: Sequence[str] | None) -> tuple[str, ...]:
    """The human seats, checked: labs of the scenario, each once, `faction`'s main lab first."""
    sc = book.scenario
    player = cast(str, sc.factions[faction].lab_id)  # type: ignore[index]
    if humans is None:
        return (player,)
    people = tuple(humans)
    labs = sc.lab_ids()
    strangers = [s for s in people if s not in labs]
    if not people or people[0] != player or strangers or len(set(people)) < len(people):
        why = (
            f"'{strangers[0]}' is not a lab of this scenario"
            if strangers
            else "a lab has two seats"
            if len(set(people)) < len(people)
            else f"the first seat is the lab of the side '{faction}', '{player}'"
        )
        raise GameError(f"the seats {', '.join(people)} cannot be played: {why}")
    return people


def initial_state(
    book: Rulebook,
    faction: str,
    seed: int,
    difficulty: str | None,
    humans: Sequence[str] | None = None,
) -> GameState:
    """The state before turn 1's news: labs as the scenario sets them up.

    `humans` are the labs people play (default: `faction`'s main lab).
    """
    sc = book.scenario
    diff = sc.difficulties.get(difficulty) if difficulty else None
    people = _seats(book, faction, humans)
    labs: dict[str, LabState] = {}
    for f, fspec in sc.factions.items():
        labs[fspec.lab_id] = _lab(fspec.lab_id, fspec.lab, f, True, fspec.lab_id in people)
    for rid, rival in sc.rivals.items():
        assert rival.faction is not None  # the loader requires it for rivals
        labs[rid] = _lab(rid, rival, rival.faction, False, rid in people)
    if diff is not None:
        policies = dict(diff.rival_policies)
        # Each side a person plays, in seat order: a later side's entry wins.
        sides = list(dict.fromkeys(labs[s].faction for s in people))
        for side in sides:
            for against, table in diff.rival_policies_against.items():
                if against == side:
                    policies.update(table)
        for lab in labs.values():
            lab.cash *= diff.player_cash if lab.is_player else diff.rival_cash
            if lab.id in policies and not lab.is_player:
                lab.policy = policies[lab.id]
    if len(people) > 1:
        # Two people face off: a side's handicap evens the seats' odds.
        for seat in people:
            labs[seat].cash *= book.factions[labs[seat].faction].handicap
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
