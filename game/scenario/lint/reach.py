"""Which events can ever fire, from which turn, and which flags can ever be set.

A fixed point, as the engine would play every game at once: an event can fire
when its `who` names a lab (or it is a world event), its chance is above 0,
its `when` is not known to be false given the flags that can be set so far,
and either it triggers by itself within the scenario's turns or an event that
can fire leads to it through `then`, in time. Each event that can fire sets
its flags; repeat until nothing changes. Everything is over-approximated
(any choice may be taken, any `when` may hold), so an event called dead is
one no game can fire.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from game.scenario.lint.facts import WORLD, Facts, FlagRead, truth
from game.scenario.models import Event

# Lab flags the game sets itself (game/engine/rules.py `_milestones`).
GAME_FLAGS: tuple[str, ...] = (
    "first_frontier",
    "cost_below_1_dollar",
    "cost_below_10_cents",
    "cost_below_5_cents",
    "cost_below_1_cent",
    "cost_below_tenth_cent",
)
GAME = ""  # the setter of GAME_FLAGS, beside event ids


@dataclass(frozen=True, slots=True)
class Edge:
    """A `then` from one event (or one of its choices) to another."""

    source: str
    target: str
    delay: int


@dataclass
class Reach:
    """What can happen in some game of a scenario."""

    first: dict[str, int]  # event id -> the earliest turn it can fire; absent: never
    setters: dict[tuple[str, str], list[str]]  # (holder, flag) -> who sets it (GAME: the game)
    into: dict[str, list[Edge]]  # event id -> the `then` edges that lead to it

    def fires(self, event_id: str) -> bool:
        return event_id in self.first

    def never(self, read: FlagRead) -> bool:
        """Whether no game ever sets the flag `read` reads, on any lab it reads it of."""
        return not any((h, read.name) in self.setters for h in read.holders)


def flags_set(facts: Facts, i: int, event: Event) -> Iterator[tuple[str, str]]:
    """The (holder, flag) pairs an event sets when it fires, whatever is chosen.

    A lab's event sets its id and each choice's `<id>_<n>` on the lab, and its
    `lab_flag` effects; a world event sets its id on the world, and sets no
    choice flags (its choices are made for no lab); `flag` is always the world's.
    """
    labs = facts.named(event.who)
    if event.who == "world":
        yield WORLD, event.id
    for lab in labs:
        yield lab, event.id
        for k in range(1, len(event.choices) + 1):
            yield lab, f"{event.id}_{k}"
    for side, choices in event.choices_for.items():  # a world event asking each side
        for lab in facts.named(side):
            yield lab, event.id
            for k in range(1, len(choices) + 1):
                yield lab, f"{event.id}_{k}"
    for flag in facts.sets_of.get(i, ()):
        if flag.world:
            yield WORLD, flag.name
        else:
            for lab in labs:
                yield lab, flag.name


def static_ok(facts: Facts, event: Event) -> bool:
    """Whether nothing in an event's own settings stops it (window aside)."""
    if event.who != "world" and not facts.named(event.who):
        return False
    return isinstance(event.chance, str) or event.chance > 0


def reach(facts: Facts) -> Reach:
    """Work out which events can fire and which flags can be set (see the module)."""
    into: dict[str, list[Edge]] = {eid: [] for eid in facts.by_id}
    after: dict[str, list[str]] = {eid: [] for eid in facts.by_id}
    for i, event in facts.events:
        for _, target, delay in facts.thens(i, event):
            if target in into:
                into[target].append(Edge(event.id, target, delay))
                after[event.id].append(target)
    readers: dict[str, list[str]] = {}  # flag name -> the events whose `when` reads it
    for i, event in facts.events:
        for read in facts.whens[i].reads.values():
            readers.setdefault(read.name, []).append(event.id)
    setters: dict[tuple[str, str], list[str]] = {
        (lab, flag): [GAME] for lab in facts.labs for flag in GAME_FLAGS
    }
    result = Reach({}, setters, into)
    candidates = {e.id: (i, e) for i, e in facts.events if static_ok(facts, e)}
    # A worklist: an event is looked at again when an event that leads to it
    # comes sooner, or a flag its `when` reads becomes one that can be set.
    queue = deque(candidates)
    queued = set(queue)
    while queue:
        eid = queue.popleft()
        queued.discard(eid)
        i, event = candidates[eid]
        if truth(facts.whens[i], result.never) is False:
            continue
        turn = _earliest(facts, event, result)
        if turn is None or turn >= result.first.get(eid, facts.turns + 1):
            continue
        woken = list(after[eid])
        if eid not in result.first:
            for key in flags_set(facts, i, event):
                setters.setdefault(key, []).append(eid)
                woken += readers.get(key[1], [])
        result.first[eid] = turn
        for other in woken:
            if other in candidates and other not in queued:
                queue.append(other)
                queued.add(other)
    return result


def _earliest(facts: Facts, event: Event, known: Reach) -> int | None:
    """The earliest turn an event can fire by what is known so far, or None."""
    turns: list[int] = []
    if not event.chained:
        first, last = facts.window(event)
        start = max(first, 1)
        if start <= min(last, facts.turns):
            turns.append(start)
    for edge in known.into[event.id]:
        if edge.source in known.first:
            turns.append(known.first[edge.source] + edge.delay)
    best = min(turns, default=None)
    return best if best is not None and best <= facts.turns else None
