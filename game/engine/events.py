"""The event engine: triggers, chances, effects, choices and chains (DESIGN.md §4).

How many events a quarter can bring is bounded, whatever a scenario says:

- an event fires at most once a quarter for each lab (and once for the
  world), however many chains lead to it;
- a chain of `then` without delay is at most `MAX_CHAIN` events deep, and
  never loops (validation refuses both; the engine stops there too);
- the same event is due for the same lab on the same later turn at most once.

A `then` hands on like this: from a lab's event, the next event happens to
the same lab (if its `who` names that lab) or, for `who: world`, to the
world; from a world event, the next event happens to every lab its `who`
names, each with its own choice. A chained event whose `when` is false, or
whose chance fails, when it comes due does not happen, and is not retried.
"""

from __future__ import annotations

import math

from game.engine.fleet import add_gpus, fill_power
from game.engine.happenings import Changed, ChoiceMade, EventFired, Happening, News
from game.engine.rulebook import CChoice, CEffect, CEvent, Rulebook
from game.engine.state import GameState, LabState, Pending, Revert, Scheduled, WorldState
from game.scenario import limits
from game.scenario.limits import MAX_CHAIN


def lab_scope(state: GameState) -> dict[str, LabState]:
    """Labs by id, plus 'us' and 'china' for the factions' main labs."""
    scope = dict(state.labs)
    for lab in state.labs.values():
        if lab.is_main:
            scope[lab.faction] = lab
    return scope


def targets(ev: CEvent, state: GameState) -> list[LabState]:
    """The living labs an event may hit, in scenario order."""
    who = ev.who
    labs = state.labs
    if not isinstance(who, str):  # a list: any of its words, each lab once
        return [lab for lab in labs.values() if lab.alive and hits(ev, lab)]
    if who == "player":  # every human seat's lab
        return [lab for lab in labs.values() if lab.alive and lab.is_player]
    if who == "all":
        return [lab for lab in labs.values() if lab.alive]
    if who == "ai":
        return [lab for lab in labs.values() if lab.alive and not lab.is_player]
    if who in ("us", "china"):
        return [lab for lab in labs.values() if lab.alive and lab.faction == who]
    one = labs.get(who)
    return [one] if one is not None and one.alive else []


def hits(ev: CEvent, lab: LabState) -> bool:
    """Whether an event's `who` names this lab."""
    who = ev.who
    if not isinstance(who, str):
        return any(names(w, lab) for w in who)
    return names(who, lab)


def names(who: str, lab: LabState) -> bool:
    """Whether one `who` word names this lab."""
    if who == "all":
        return True
    if who == "player":
        return lab.is_player
    if who == "ai":
        return not lab.is_player
    if who in ("us", "china"):
        return lab.faction == who
    return lab.id == who


def news_phase(book: Rulebook, state: GameState, out: list[Happening]) -> None:
    """Start of a quarter: fire due chains and every event whose trigger holds."""
    turn = state.turn
    scope = lab_scope(state)

    if state.reverts:
        undo_due(book, state, out)
    if state.scheduled:
        due = [s for s in state.scheduled if s.turn <= turn]
        for s in due:
            del state.scheduled[s]
        for s in due:
            ev = book.event.get(s.event)
            lab = state.labs.get(s.lab) if s.lab else None
            if ev is None or (lab is not None and not lab.alive):
                continue
            hand_on(book, state, ev, lab, out, scope, 0)

    # `at: random` events whose window opens now: their quarter is drawn before any
    # event is checked, and each is checked in its place in the file, like the others.
    for opening, lo, hi in book.windows_opening.get(turn, ()):
        state.drawn[opening.id] = state.rng.randint(lo, hi)
    drawn = state.drawn
    groups: dict[str | tuple[str, ...], list[LabState]] = {}
    for ev in book.events_on_turn.get(turn, ()):
        if ev.at_random and drawn.get(ev.id) != turn:
            continue
        if ev.who == "world":
            if _happens(state, ev, None, scope):
                fire(book, state, ev, None, out, scope, 0)
            continue
        hit = groups.get(ev.who)
        if hit is None:
            hit = groups[ev.who] = targets(ev, state)
        for lab in hit:
            if lab.alive and _happens(state, ev, lab, scope):
                fire(book, state, ev, lab, out, scope, 0)


def _happens(
    state: GameState, ev: CEvent, lab: LabState | None, scope: dict[str, LabState]
) -> bool:
    """Whether the event happens now to `lab` (None: the world): free this quarter, its
    trigger holds and its chance comes up (the generator is drawn only for a chance
    below 1)."""
    world = state.world
    holder: LabState | WorldState = world if lab is None else lab
    if ev.once and ev.id in holder.events_seen:
        return False
    if holder.fired_on.get(ev.id, 0) == state.turn:
        return False
    if not ev.when(lab, scope, world, world.flags, state.turn, state.year, state.quarter):
        return False
    chance = ev.chance
    if ev.chance_of is not None:
        chance = ev.chance_of(lab, scope, world, world.flags, state.turn, state.year, state.quarter)
        if chance != chance:  # not a number: no chance
            chance = 0.0
    return chance >= 1.0 or state.rng.random() < chance


def fire(
    book: Rulebook,
    state: GameState,
    ev: CEvent,
    lab: LabState | None,
    out: list[Happening],
    scope: dict[str, LabState],
    depth: int,
) -> None:
    """An event happens to `lab` (None: to the world)."""
    turn = state.turn
    holder: LabState | WorldState = state.world if lab is None else lab
    holder.events_seen[ev.id] = holder.events_seen.get(ev.id, 0) + 1
    holder.fired_on[ev.id] = turn
    set_flag(book, holder, ev.id, turn)
    waits = bool(ev.choices) and lab is not None and lab.is_player
    out.append(
        EventFired(
            turn,
            None if lab is None else lab.id,
            ev.id,
            book.say(ev.title, lab),
            book.say(ev.text, lab),
            ev.source,
            waits,
        )
    )
    try:
        _tracked(book, state, ev, None, ev.effects, lab, out, scope)
        if ev.choices:
            if waits:
                assert lab is not None
                state.pending.append(Pending(ev.id, lab.id))
            else:
                pick = ai_choice(ev.choices, state.rng.random())
                take_choice(book, state, ev, pick, lab, out, scope, depth)
    except Exception as exc:
        _blame(exc, ev, lab)
        raise
    for side in ev.sides:  # a world event's choices_for: each side's labs are asked
        if depth + 1 < MAX_CHAIN:
            hand_on(book, state, book.side_events[ev.id, side], None, out, scope, depth + 1)
    chain(book, state, ev.then, lab, out, scope, depth)


def set_flag(book: Rulebook, holder: LabState | WorldState, name: str, turn: int) -> None:
    """Set a flag; for a flag read with `since`, note the turn too."""
    holder.flags.add(name)
    if name in book.since_flags:
        holder.flag_turns[name] = turn


def _blame(exc: Exception, ev: CEvent, lab: LabState | None) -> None:
    """Name the event being applied on an exception, for the crash report (innermost only)."""
    notes = getattr(exc, "__notes__", ())
    if not any(n.startswith("while applying event") for n in notes):
        exc.add_note(f"while applying event '{ev.id}' to {lab.id if lab else 'the world'}")


def ai_choice(choices: tuple[CChoice, ...], roll: float) -> int:
    """Index of the choice a computer lab takes: weighted by `ai_weight`."""
    total = math.fsum(c.ai_weight for c in choices)
    if total <= 0:
        return 0
    x = roll * total
    last = 0
    for i, c in enumerate(choices):
        if c.ai_weight <= 0:
            continue
        last = i
        x -= c.ai_weight
        if x < 0:
            return i
    return last  # rounding left a sliver: the last choice with any weight


def take_choice(
    book: Rulebook,
    state: GameState,
    ev: CEvent,
    index: int,
    lab: LabState | None,
    out: list[Happening],
    scope: dict[str, LabState] | None = None,
    depth: int = 0,
) -> None:
    scope = scope if scope is not None else lab_scope(state)
    choice = ev.choices[index]
    if lab is not None:
        set_flag(book, lab, f"{ev.id}_{index + 1}", state.turn)
    out.append(
        ChoiceMade(
            state.turn,
            None if lab is None else lab.id,
            ev.id,
            book.say(ev.title, lab),
            book.say(choice.label, lab),
            index,
        )
    )
    try:
        _tracked(book, state, ev, choice.label, choice.effects, lab, out, scope)
    except Exception as exc:
        _blame(exc, ev, lab)
        raise
    chain(book, state, choice.then, lab, out, scope, depth)


def chain(
    book: Rulebook,
    state: GameState,
    then: tuple[tuple[str, int], ...],
    lab: LabState | None,
    out: list[Happening],
    scope: dict[str, LabState],
    depth: int,
) -> None:
    """Follow an event's (or a choice's) `then`: now, or at a later turn."""
    for event_id, delay in then:
        if delay > 0:
            key = Scheduled(state.turn + delay, event_id, None if lab is None else lab.id)
            state.scheduled[key] = None
        elif depth + 1 < MAX_CHAIN:
            hand_on(book, state, book.event[event_id], lab, out, scope, depth + 1)


def hand_on(
    book: Rulebook,
    state: GameState,
    ev: CEvent,
    lab: LabState | None,
    out: list[Happening],
    scope: dict[str, LabState],
    depth: int,
) -> None:
    """A chained event comes due, from `lab`'s event (None: a world event's)."""
    if ev.who == "world":
        hit: list[LabState | None] = [None]
    elif lab is None:
        hit = list(targets(ev, state))
    else:
        hit = [lab] if lab.alive and hits(ev, lab) else []
    for one in hit:
        if _happens(state, ev, one, scope):
            fire(book, state, ev, one, out, scope, depth)


# The player's figures an event may move, as the turn report names them.
LAB_FIGURES: tuple[tuple[str, str], ...] = (
    ("Cash", "cash"),
    ("GPUs", "gpus_total"),
    ("Power (MW)", "power_mw"),
    ("Efficiency", "efficiency"),
    ("Capability", "capability"),
    ("Concern", "concern"),
    ("Backing", "backing"),
    ("Training share", "train_share"),
)


def _figures(lab: LabState) -> list[float]:
    """The lab's `LAB_FIGURES`, in order, to compare after effects."""
    return [getattr(lab, attr) for _, attr in LAB_FIGURES]


def _moved(lab: LabState, before: list[float]) -> tuple[tuple[str, float, float], ...]:
    """(figure, before, now) for each of `LAB_FIGURES` that changed since `before`."""
    return tuple(
        (name, old, getattr(lab, attr))
        for (name, attr), old in zip(LAB_FIGURES, before, strict=True)
        if getattr(lab, attr) != old
    )


def _tracked(
    book: Rulebook,
    state: GameState,
    ev: CEvent,
    label: str | None,
    effects: tuple[CEffect, ...],
    lab: LabState | None,
    out: list[Happening],
    scope: dict[str, LabState],
) -> None:
    """Apply `effects` and, when they move a human seat's figures, say so with a `Changed`
    for each such lab (the player's first)."""
    player = state.labs.get(state.player)
    if not effects or player is None:
        apply_effects(book, state, effects, lab, out, scope, ev.id)
        return
    seats = [player, *[s for s in state.labs.values() if s.is_player and s is not player]]
    before = [_figures(seat) for seat in seats]
    apply_effects(book, state, effects, lab, out, scope, ev.id)
    for seat, was in zip(seats, before, strict=True):
        changes = _moved(seat, was)
        if changes:
            title = book.say(ev.title, lab)
            said = None if label is None else book.say(label, lab)
            out.append(Changed(state.turn, seat.id, ev.id, title, said, changes))


def apply_effects(
    book: Rulebook,
    state: GameState,
    effects: tuple[CEffect, ...],
    lab: LabState | None,
    out: list[Happening],
    scope: dict[str, LabState],
    event: str = "",
) -> None:
    world = state.world
    args = (lab, scope, world, world.flags, state.turn, state.year, state.quarter)
    for eff in effects:
        kind = eff.kind
        if kind in ("add", "set", "multiply"):
            for target, value in eff.data:
                amount = value.fn(*args)
                if eff.lasts:
                    _write_for_a_while(
                        book, state, target, lab, scope, kind, amount, eff.lasts, event
                    )
                else:
                    _write(book, state, target, lab, scope, kind, amount)
        elif kind == "flag":
            set_flag(book, world, eff.data, state.turn)
        elif kind == "clear_flag":
            world.flags.discard(eff.data)
        elif kind == "lab_flag":
            if lab is not None:
                set_flag(book, lab, eff.data, state.turn)
        elif kind == "clear_lab_flag":
            if lab is not None:
                lab.flags.discard(eff.data)
        elif kind == "news":
            out.append(News(state.turn, None if lab is None else lab.id, book.say(eff.data, lab)))
        elif kind == "export":
            d = eff.data
            allowed = set(world.buyers[d.chip])
            if d.allow:
                allowed.add(d.faction)
            else:
                allowed.discard(d.faction)
            world.buyers[d.chip] = tuple(sorted(allowed))
        elif kind == "price":
            d = eff.data
            p = world.prices[d.chip]
            if d.multiply is not None:
                p *= d.multiply
            if d.add is not None:
                p += d.add / 1e6
            world.prices[d.chip] = _within(p, 1e-6, limits.HELD_CHIP_PRICE)
        elif kind == "supply":
            d = eff.data
            for faction in (d.faction,) if d.faction else ("us", "china"):
                n = float(world.supply[d.chip].get(faction, 0))
                if d.multiply is not None:
                    n *= d.multiply
                if d.add is not None:
                    n += d.add
                world.supply[d.chip][faction] = round(_within(n, 0, limits.HELD_GPUS))
        elif kind == "demand":
            d = eff.data
            if d.multiply is not None:
                world.demand = _within(world.demand * d.multiply, 0.0, limits.HELD_MONEY)
            if d.growth is not None:
                world.demand_growth = _within(
                    world.demand_growth + d.growth, -0.5, limits.HELD_GROWTH
                )
        elif kind == "power_lead":
            d = eff.data
            lead = world.power_lead[d.source]
            lead[d.faction] = min(max(0, lead.get(d.faction, 0) + d.add), limits.HELD_LEAD)


def _holder(
    state: GameState, target: object, lab: LabState | None, scope: dict[str, LabState]
) -> LabState | WorldState | None:
    """The object an effect's target writes to (None: a lab-less `me`)."""
    t = target  # a game.scenario.names.Target
    if t.scope == "world":  # type: ignore[attr-defined]
        return state.world
    if t.scope == "me":  # type: ignore[attr-defined]
        return lab
    return scope[t.lab]  # type: ignore[attr-defined]


def _value(obj: LabState | WorldState, attr: str, key: str | None) -> float:
    if key is not None:
        table: dict[str, int] = getattr(obj, attr)
        return float(table.get(key, 0))
    value: float = getattr(obj, attr)
    return value


def _write_for_a_while(
    book: Rulebook,
    state: GameState,
    target: object,
    lab: LabState | None,
    scope: dict[str, LabState],
    kind: str,
    amount: float,
    lasts: int,
    event: str,
) -> None:
    """A timed add, set or multiply: write it, and remember how to undo what it did.

    What is undone is the change the effect made, once held in its limits:
    an add's difference is taken back, a multiply's factor divided out (a
    multiply that left 0, or a count of GPUs or MW, takes its difference
    back), a set restores the value before, whatever happened meanwhile.
    """
    obj = _holder(state, target, lab, scope)
    if obj is None:
        return
    attr: str = target.attr  # type: ignore[attr-defined]
    key: str | None = target.key  # type: ignore[attr-defined]
    before = _value(obj, attr, key)
    _write(book, state, target, lab, scope, kind, amount)
    after = _value(obj, attr, key)
    if after == before and kind != "set":
        return
    if kind == "set":
        how, undo = "set", before
    elif kind == "multiply" and key is None and before != 0 and after != 0:
        how, undo = "multiply", before / after
    else:
        how, undo = "add", before - after
    owner = obj.id if isinstance(obj, LabState) else None
    state.reverts.append(Revert(state.turn + lasts, event, owner, attr, key, how, undo))


def undo_due(book: Rulebook, state: GameState, out: list[Happening]) -> None:
    """Undo the timed effects whose quarters are over, in the order they were made."""
    due = [r for r in state.reverts if r.turn <= state.turn]
    if not due:
        return
    state.reverts = [r for r in state.reverts if r.turn > state.turn]
    for r in due:
        obj: LabState | WorldState
        if r.lab is None:
            obj = state.world
        else:
            found = state.labs.get(r.lab)
            if found is None or not found.alive:
                continue
            obj = found
        scope = "world" if r.lab is None else "lab"
        target = _Undo(scope, r.lab, r.attr, r.key)
        # A human seat's own figures that wear off are reported to it.
        seat = obj if isinstance(obj, LabState) and obj.is_player else None
        before = _figures(seat) if seat is not None else []
        _write(book, state, target, None, dict(state.labs), r.kind, r.amount, severe=False)
        if seat is not None:
            changes = _moved(seat, before)
            if changes:
                ev = book.event.get(r.event)
                said = book.say(ev.title, seat) if ev else r.event
                title = f"{said}: the effect wears off"
                out.append(Changed(state.turn, seat.id, r.event, title, None, changes))


class _Undo:
    """A target for a revert: the fields `_write` reads from a Target."""

    __slots__ = ("attr", "key", "lab", "scope")

    def __init__(self, scope: str, lab: str | None, attr: str, key: str | None) -> None:
        self.scope = scope
        self.lab = lab
        self.attr = attr
        self.key = key


def _within(value: float, lo: float, hi: float) -> float:
    """`value` held in [lo, hi]."""
    return lo if value < lo else hi if value > hi else value


def _write(
    book: Rulebook,
    state: GameState,
    target: object,
    lab: LabState | None,
    scope: dict[str, LabState],
    kind: str,
    amount: float,
    *,
    severe: bool = True,
) -> None:
    """An add, set or multiply on one field, the result held within the field's limits."""
    if amount != amount:  # NaN (say, infinity minus infinity): nothing to write
        return
    t = target  # a game.scenario.names.Target
    if t.scope == "world":  # type: ignore[attr-defined]
        obj: object = state.world
    elif t.scope == "me":  # type: ignore[attr-defined]
        if lab is None:
            return
        obj = lab
    else:
        obj = scope[t.lab]  # type: ignore[attr-defined]
    attr = t.attr  # type: ignore[attr-defined]
    key = t.key  # type: ignore[attr-defined]
    if severe and isinstance(obj, LabState) and obj.is_player and kind != "set":
        amount = _severe(attr, kind, amount, state.world.severity)
    if key is not None:
        assert isinstance(obj, LabState)
        table: dict[str, int] = getattr(obj, attr)
        old = table.get(key, 0)
        most = limits.HELD_GPUS if attr == "gpus" else limits.HELD_MW
        new = _combine(kind, old, amount)
        count = 0 if new != new else round(_within(new, 0, most))
        if attr == "gpus":
            add_gpus(book, obj, key, count - old)
        else:
            table[key] = count
        fill_power(book, obj, state.world.prices)
        return
    before: float = getattr(obj, attr)
    value = _combine(kind, before, amount)
    if value != value:  # 0 times infinity
        return
    if isinstance(obj, LabState):
        value = _clamp_lab(attr, before, value)
    else:
        value = _clamp_world(attr, value)
    setattr(obj, attr, value)


# Lab fields where more is worse for the lab: a rise is the setback.
_WORSE_UP = frozenset({"concern"})
_NEUTRAL = frozenset({"train_share"})  # a choice of how to work, neither gain nor loss


def _severe(attr: str, kind: str, amount: float, severity: float) -> float:
    """An `add` or `multiply` on the player's lab, weighted by the difficulty if it hurts."""
    if severity == 1.0 or attr in _NEUTRAL:
        return amount
    if kind == "add":
        hurts = amount > 0 if attr in _WORSE_UP else amount < 0
        return amount * severity if hurts else amount
    hurts = amount > 1.0 if attr in _WORSE_UP else amount < 1.0
    return 1.0 + (amount - 1.0) * severity if hurts else amount


def _combine(kind: str, old: float, amount: float) -> float:
    if kind == "add":
        return old + amount
    if kind == "multiply":
        return old * amount
    return amount


def _clamp_world(attr: str, new: float) -> float:
    if attr in ("reasoning_weight", "diffusion"):
        return _within(new, 0.0, 1.0)
    if attr == "demand":
        return _within(new, 0.0, limits.HELD_MONEY)
    return _within(new, -0.5, limits.HELD_GROWTH)  # demand growth: a fall, never below half


def _clamp_lab(attr: str, old: float, new: float) -> float:
    if attr in ("backing", "concern"):
        return _within(new, 0.0, 100.0)
    if attr == "train_share":
        return _within(new, 0.0, 1.0)
    if attr == "capability":
        return _within(new, old, limits.HELD_CAPABILITY)  # capability never falls
    if attr == "efficiency":
        return _within(new, 1.0, limits.HELD_EFFICIENCY)
    return _within(new, -limits.HELD_MONEY, limits.HELD_MONEY)  # cash
