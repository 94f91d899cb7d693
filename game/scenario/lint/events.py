"""Lint rules about events: ones that never fire, chains, choices, windows.

W101 who names no lab, W102 never fires by its own settings, W105 a chained
event nothing leads to in time, W106 a `then` loop through a `once` event,
W108 two choices with the same effects, W112 a window on a chained event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from game.scenario.lint.facts import Facts, Loc, listed, plural, quoted, truth
from game.scenario.lint.finding import Finding
from game.scenario.lint.reach import Reach
from game.scenario.models import FACTIONS, Choice, Event, who_text


def check(facts: Facts, reach: Reach) -> Iterator[Finding]:
    """Every finding of the event rules."""
    read = {r.name for r in facts.all_reads()}
    for i, event in facts.events:
        yield from _who(facts, i, event)
        yield from _own_settings(facts, reach, i, event)
        yield from _unreached(facts, reach, i, event)
        yield from _same_choices(read, i, event)
        if event.chained:
            yield from _chained_window(i, event)
    yield from _once_loops(facts)


def _who(facts: Facts, i: int, event: Event) -> Iterator[Finding]:
    """W101: a `who` that names no lab this scenario has."""
    if event.who == "world" or facts.named(event.who):
        return
    why = ""
    if event.who in FACTIONS:
        why = f" (it has no {event.who} lab)"
    elif event.who == "ai":
        why = " (its only lab is the player's)"
    yield Finding(
        "W101",
        ("events", i, "who"),
        f"event {quoted(event.id)}: who: {who_text(event.who)} names no lab in this "
        f"scenario{why}, "
        "so it never fires",
        i,
    )


def _own_settings(facts: Facts, reach: Reach, i: int, event: Event) -> Iterator[Finding]:
    """W102: a chance of 0, a `when` that is always false, a window outside the game."""
    name = f"event {quoted(event.id)}"
    if event.chance == 0 and not isinstance(event.chance, str):
        yield Finding("W102", ("events", i, "chance"), f"{name}: chance is 0, so it never fires", i)
    if truth(facts.whens[i], lambda read: False) is False:
        yield Finding(
            "W102", ("events", i, "when"), f"{name}: when is always false, so it never fires", i
        )
    if event.chained:
        return
    first, last = facts.window(event)
    if last < 1:
        key = "latest"
        why = f"its latest ({facts.turn_text(last)}) is before the scenario's first turn"
    elif first > facts.turns:
        key = "earliest"
        why = (
            f"its earliest ({facts.turn_text(first)}) is after the scenario's last turn "
            f"({facts.turns})"
        )
    elif first > last:
        key = "latest"
        why = (
            f"its earliest ({facts.turn_text(first)}) is after its latest ({facts.turn_text(last)})"
        )
    else:
        return
    if reach.fires(event.id):
        sources = sorted({e.source for e in reach.into[event.id] if reach.fires(e.source)})
        tail = (
            f"; it comes only through the then of {listed(sources)} (for that, say chained: true)"
        )
    else:
        tail = ", so it never fires by itself"
    yield Finding("W102", ("events", i, key), f"{name}: {why}{tail}", i)


def _unreached(facts: Facts, reach: Reach, i: int, event: Event) -> Iterator[Finding]:
    """W105: a chained event that no event that can fire leads to, in time."""
    if not event.chained or reach.fires(event.id) or event.chance == 0:
        return
    if event.who != "world" and not facts.named(event.who):
        return  # W101 says why
    if truth(facts.whens[i], reach.never) is False:
        return  # W102, W103 or W104 say why
    name = f"event {quoted(event.id)}"
    edges = reach.into[event.id]
    live = [e for e in edges if reach.fires(e.source)]
    if not edges:
        why = "it is chained: true, but no event's then leads to it"
    elif not live:
        sources = sorted({e.source for e in edges})
        verb = "never fires" if len(sources) == 1 else "never fire"
        why = f"only {listed(sources)} lead{'s' * (len(sources) == 1)} to it, and {verb}"
    else:
        soonest = min(live, key=lambda e: reach.first[e.source] + e.delay)
        start = reach.first[soonest.source]
        why = (
            f"{quoted(soonest.source)}, which fires at turn {start} at the earliest, leads to "
            f"it {plural(soonest.delay, 'quarter')} later, at turn {start + soonest.delay}: "
            f"after the scenario's last turn ({facts.turns})"
        )
    yield Finding("W105", ("events", i, "chained"), f"{name}: {why}, so it never fires", i, True)


def _same_choices(read: set[str], i: int, event: Event) -> Iterator[Finding]:
    """W108: two choices that change the same things (and whose flags nothing reads).

    A world event's `choices_for` is looked at side by side: each side's list
    is a choice of its own.
    """
    lists: list[tuple[str, Loc, list[Choice]]] = [("", ("events", i, "choices"), event.choices)]
    lists += [
        (f"choices_for {side}: ", ("events", i, "choices_for", side), choices)
        for side, choices in sorted(event.choices_for.items())
    ]
    for whose, loc, choices in lists:
        seen: dict[str, int] = {}
        for k, choice in enumerate(choices):
            if f"{event.id}_{k + 1}" in read:
                continue  # an expression tells this choice from the others
            key = _outcome(choice)
            if key not in seen:
                seen[key] = k
                continue
            other = choices[seen[key]]
            yield Finding(
                "W108",
                (*loc, k, "label"),
                f"event {quoted(event.id)}: {whose}choices {seen[key] + 1} "
                f"({quoted(other.label)}) and {k + 1} ({quoted(choice.label)}) have the same "
                "effects and then, so the choice changes nothing",
                i,
            )


def _outcome(choice: Choice) -> str:
    """What taking a choice does, as text to compare (the order of effects kept)."""
    effects = [e.model_dump(mode="json", exclude_none=True) for e in choice.effects]
    then = [(t.event, t.delay) for t in choice.then]
    return json.dumps([effects, then])


def _chained_window(i: int, event: Event) -> Iterator[Finding]:
    """W112: earliest and latest bound only events that trigger by themselves."""
    for key in ("earliest", "latest"):
        if getattr(event, key) is not None:
            yield Finding(
                "W112",
                ("events", i, key),
                f"event {quoted(event.id)}: {key} has no effect on a chained event (it is "
                'checked only for events that trigger by themselves); use when: "turn >= N" '
                "or a delay in the then",
                i,
                True,
            )


def _once_loops(facts: Facts) -> Iterator[Finding]:
    """W106: a `then` loop through a `once: true` event comes round at most once."""
    graph: dict[str, list[str]] = {eid: [] for eid in facts.by_id}
    for i, event in facts.events:
        for _, target, _ in facts.thens(i, event):
            if target in graph and target not in graph[event.id]:
                graph[event.id].append(target)
    for i, event in facts.events:
        for loc, target, _ in facts.thens(i, event):
            nxt = facts.by_id.get(target)
            if nxt is None or not nxt[1].once:
                continue
            path = _path(graph, target, event.id)
            if path is None:
                continue
            loop = " -> ".join([*path, target])
            yield Finding(
                "W106",
                loc,
                f"event {quoted(event.id)}: this then closes the loop {loop}, which comes round "
                f"at most once: {quoted(target)} is once: true",
                i,
            )


def _path(graph: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
    """The shortest chain of `then` from `start` to `goal` (both included), if any."""
    came: dict[str, str | None] = {start: None}
    queue = [start]
    for here in queue:  # the list grows as it is read: a breadth-first walk
        if here == goal:
            path: list[str] = []
            node: str | None = here
            while node is not None:
                path.append(node)
                node = came[node]
            return path[::-1]
        for nxt in graph[here]:
            if nxt not in came:
                came[nxt] = here
                queue.append(nxt)
    return None
