"""Checks on event chains (`then`) that validation can make before any game.

A `then` without delay fires the next event in the same quarter. Such
chains must end: validation refuses a loop, a chain more than `MAX_CHAIN`
events deep, and a hand-over that can never happen (a lab's event chaining
to an event whose `who` never names that lab).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from game.scenario.limits import MAX_CHAIN
from game.scenario.models import Event, Scenario, who_text, who_words

E_CHAIN = "E113"

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class ChainProblem:
    loc: Loc  # where in the file: the `then` entry's event
    message: str


@dataclass(frozen=True, slots=True)
class _Edge:
    target: str
    delay: int
    loc: Loc


def _edges(index: int, event: Event) -> Iterator[_Edge]:
    for j, then in enumerate(event.then):
        yield _Edge(then.event, then.delay, ("events", index, "then", j, "event"))
    for k, choice in enumerate(event.choices):
        for j, then in enumerate(choice.then):
            loc: Loc = ("events", index, "choices", k, "then", j, "event")
            yield _Edge(then.event, then.delay, loc)
    yield from _side_edges(index, event)


def _side_edges(index: int, event: Event) -> Iterator[_Edge]:
    """The `then` of a world event's choices_for: they follow from a lab of that side."""
    for side, choices in event.choices_for.items():
        for k, choice in enumerate(choices):
            for j, then in enumerate(choice.then):
                loc: Loc = ("events", index, "choices_for", side, k, "then", j, "event")
                yield _Edge(then.event, then.delay, loc)


def check_chains(scenario: Scenario) -> list[ChainProblem]:
    """Every loop, over-deep chain and impossible hand-over, each at its `then`."""
    events = {e.id: (i, e) for i, e in enumerate(scenario.events) if not e.remove}
    graph: dict[str, list[_Edge]] = {
        eid: [x for x in _edges(i, e) if x.target in events] for eid, (i, e) in events.items()
    }
    problems = _handovers(scenario, events, graph)
    problems += _loops_and_depth(events, graph)
    return problems


def _roles(scenario: Scenario) -> dict[str, set[tuple[str, str]]]:
    """For each `who`, the (lab id, role) pairs it may name: role is 'player' or 'ai'."""
    faction: dict[str, str] = {spec.lab_id: f for f, spec in scenario.factions.items()}
    playable = {spec.lab_id for spec in scenario.factions.values() if spec.playable}
    faction.update({rid: str(lab.faction) for rid, lab in scenario.rivals.items()})
    pairs = {(lab, "ai") for lab in faction} | {(lab, "player") for lab in playable}
    roles = {
        "all": pairs,
        "player": {p for p in pairs if p[1] == "player"},
        "ai": {p for p in pairs if p[1] == "ai"},
    }
    for side in ("us", "china"):
        roles[side] = {p for p in pairs if faction[p[0]] == side}
    for lab in faction:
        roles[lab] = {p for p in pairs if p[0] == lab}
    return roles


def _named(
    roles: dict[str, set[tuple[str, str]]], who: str | tuple[str, ...]
) -> set[tuple[str, str]] | None:
    """The (lab, role) pairs a `who` (one word or a list) names; None for world or a word
    that names nothing known (reported elsewhere)."""
    words = who_words(who)
    if "world" in words or any(w not in roles for w in words):
        return None
    return set().union(*(roles[w] for w in words))


def _handovers(
    scenario: Scenario, events: dict[str, tuple[int, Event]], graph: dict[str, list[_Edge]]
) -> list[ChainProblem]:
    roles = _roles(scenario)
    problems = []
    for eid, (i, event) in events.items():
        for edge in _side_edges(i, event):
            side, nxt = str(edge.loc[3]), events.get(edge.target, (0, event))[1].who
            if edge.target not in events or nxt == "world" or nxt not in roles:
                continue
            if side in roles and not roles[side] & roles[nxt]:
                problems.append(
                    ChainProblem(
                        edge.loc,
                        f"'{eid}' asks {side} labs, and this choice chains to '{edge.target}' "
                        f"(who: {nxt}), which never happens to the same lab",
                    )
                )
    for eid, edges in graph.items():
        who = events[eid][1].who
        mine = _named(roles, who)
        if mine is None:
            continue
        for edge in edges:
            nxt = events[edge.target][1].who
            theirs = _named(roles, nxt)
            if theirs is None or mine & theirs:
                continue
            problems.append(
                ChainProblem(
                    edge.loc,
                    f"'{eid}' (who: {who_text(who)}) chains to '{edge.target}' "
                    f"(who: {who_text(nxt)}), which never "
                    "happens to the same lab: a chained event happens to the lab its chain "
                    "came from",
                )
            )
    return problems


def _loops_and_depth(
    events: dict[str, tuple[int, Event]], graph: dict[str, list[_Edge]]
) -> list[ChainProblem]:
    """Loops of `then` without delay, and such chains deeper than MAX_CHAIN events."""
    problems: list[ChainProblem] = []
    now = {eid: [x for x in edges if x.delay == 0] for eid, edges in graph.items()}
    depth: dict[str, int] = {}  # events in the longest chain from here
    looped: set[str] = set()
    for root in events:
        if root in depth:
            continue
        # An iterative depth-first walk: chains may be hundreds of events long.
        path: list[str] = [root]
        on_path = {root}
        stack = [iter(now[root])]
        while stack:
            edge = next(stack[-1], None)
            here = path[-1]
            if edge is None:
                stack.pop()
                path.pop()
                on_path.discard(here)
                depth[here] = 1 + max((depth.get(x.target, 0) for x in now[here]), default=0)
                continue
            nxt = edge.target
            if nxt in on_path:
                loop = path[path.index(nxt) :] + [nxt]
                if here not in looped:
                    looped.add(here)
                    problems.append(
                        ChainProblem(
                            edge.loc,
                            "events chain back to themselves with no delay ("
                            + " -> ".join(loop)
                            + "); give one step a delay",
                        )
                    )
                continue
            if nxt not in depth:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(now[nxt]))
    if looped:
        return problems
    # Report each over-deep chain once, where it starts.
    inside = {x.target for eid, edges in now.items() if depth[eid] > MAX_CHAIN for x in edges}
    for eid, (i, _) in events.items():
        if depth[eid] > MAX_CHAIN and eid not in inside:
            problems.append(
                ChainProblem(
                    ("events", i, "id"),
                    f"'{eid}' starts a chain of {depth[eid]} events with no delay; "
                    f"at most {MAX_CHAIN} can follow one another in a quarter",
                )
            )
    return problems
