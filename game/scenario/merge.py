"""The `extends` merge (DESIGN.md §5) on located trees.

Mappings merge by key, recursively, the child winning; `events` merge by
`id` (same id: the child's event replaces the parent's whole event, in the
parent's place; new ids are appended; `{id: x, remove: true}` drops the
inherited event), and `glossary` entries the same way by `term`; every other
list is replaced whole. Positions always come from the file that supplied
the value, so later problems point there.

Where the parent has a number, the child may give it relative to that one:
`{multiply: 2}` or `{add: -10}`, a mapping with that one key and a number
(E132 when there is no inherited number to scale).

`meta` is never inherited: it names the scenario, so the child's own meta
replaces the parent's whole, and `extends` is not carried into the result.

`lint.ignore` lists are joined, the child's first: each code keeps the
position it was written at, and lint silences a parent's codes only on the
parent's own lines (see game/scenario/lint).
"""

from __future__ import annotations

from typing import Any

from game.scenario.errors import Problem
from game.scenario.yamlpos import LList, LMap, Pos, dotted

_NOT_INHERITED = ("extends", "meta")


def merge_scenarios(parent: LMap, child: LMap) -> tuple[LMap, list[Problem]]:
    """Build the child scenario on top of its parent; return it with the merge problems."""
    problems: list[Problem] = []
    inherited = LMap(parent.pos)
    for key in parent:
        if key not in _NOT_INHERITED:
            inherited.put(key, parent[key], parent.key_pos[key], parent.val_pos[key])
    own = LMap(child.pos)
    for key in child:
        if key != "extends":
            own.put(key, child[key], child.key_pos[key], child.val_pos[key])
    events = own.get("events")
    if isinstance(inherited.get("events"), LList) and isinstance(events, LList):
        own["events"] = merge_events(inherited.pop("events"), events, problems)
    glossary = own.get("glossary")
    if isinstance(inherited.get("glossary"), LList) and isinstance(glossary, LList):
        own["glossary"] = merge_glossary(inherited.pop("glossary"), glossary, problems)
    merged = merge_values(inherited, own, problems)
    _join_ignores(inherited.get("lint"), merged.get("lint"))
    return merged, problems


def _join_ignores(parent: Any, merged: Any) -> None:
    """Put the parent's `lint.ignore` codes back after the child's, which replaced them
    (after, so that a problem with the child's own is told at its own index)."""
    if not (isinstance(parent, LMap) and isinstance(merged, LMap)):
        return
    theirs, ours = parent.get("ignore"), merged.get("ignore")
    if not (isinstance(theirs, LList) and isinstance(ours, LList)) or theirs is ours:
        return
    joined = LList(ours.pos)
    for item, pos in [
        *zip(ours, ours.item_pos, strict=True),
        *zip(theirs, theirs.item_pos, strict=True),
    ]:
        joined.push(item, pos)
    merged.put("ignore", joined, merged.key_pos["ignore"], merged.val_pos["ignore"])


def merge_values(
    parent: Any, child: Any, problems: list[Problem], path: tuple[str | int, ...] = ()
) -> Any:
    """Merge two values at `path`: mappings by key, recursively, in the parent's key order
    with new keys last; a relative number scales the parent's; anything else, the child
    wins."""
    if is_relative(child):
        return _scaled(parent, child, problems, path)
    if not (isinstance(parent, LMap) and isinstance(child, LMap)):
        if _is_number(parent):
            why = "the inherited value is one number: change it whole, as in {multiply: 2}"
        else:
            why = "nothing is inherited here"
        stray_relatives(child, why, problems, path)
        return child
    out = LMap(child.pos)
    for key in parent:
        if key in child:
            merged = merge_values(parent[key], child[key], problems, (*path, key))
            out.put(key, merged, child.key_pos[key], child.val_pos[key])
        else:
            out.put(key, parent[key], parent.key_pos[key], parent.val_pos[key])
    for key in child:
        if key not in parent:
            value = child[key]
            if key != "events":
                stray_relatives(value, "nothing is inherited here", problems, (*path, key))
            out.put(key, value, child.key_pos[key], child.val_pos[key])
    return out


RELATIVE_KEYS = ("multiply", "add")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_relative(value: Any) -> bool:
    """Whether a value is a number relative to the inherited one: `{multiply: 2}`, `{add: 5}`."""
    return (
        isinstance(value, LMap)
        and len(value) == 1
        and next(iter(value)) in RELATIVE_KEYS
        and _is_number(next(iter(value.values())))
    )


def _scaled(parent: Any, child: LMap, problems: list[Problem], path: tuple[str | int, ...]) -> Any:
    """The parent's number scaled as the child says; the child unchanged (and a problem)
    when the parent has no number there."""
    if not _is_number(parent):
        if isinstance(parent, LMap):
            why = (
                "the inherited value is a mapping: scale each of its numbers, "
                "as in {us: {multiply: 2}}"
            )
        else:
            why = "the inherited value is not a number"
        _nothing_to_scale(child, why, problems, path)
        return child
    key, amount = next(iter(child.items()))
    value = parent * amount if key == "multiply" else parent + amount
    if isinstance(value, float) and value.is_integer() and isinstance(parent, int):
        value = int(value)  # a whole number stays one (turns: {multiply: 2})
    return value


def stray_relatives(
    value: Any, why: str, problems: list[Problem], path: tuple[str | int, ...] = ()
) -> None:
    """E132 for every relative number in a value (at `path`) nothing is inherited for.
    Events are skipped: `{multiply: 1.1}` is an effect's own form there (`demand`)."""
    if is_relative(value):
        _nothing_to_scale(value, why, problems, path)
    elif isinstance(value, LMap):
        for key, sub in value.items():
            if key != "events":
                stray_relatives(sub, why, problems, (*path, key))
    elif isinstance(value, LList):
        for n, sub in enumerate(value):
            stray_relatives(sub, why, problems, (*path, n))


def _nothing_to_scale(
    child: LMap, why: str, problems: list[Problem], path: tuple[str | int, ...]
) -> None:
    key = next(iter(child))
    where = f"{dotted(path)}: " if path else ""
    message = f"{where}{{{key}: ...}} gives a number relative to the inherited one, but {why}"
    problems.append(_problem(child.pos, "E132", message))


def _event_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, LMap) else None
    return value if isinstance(value, str) else None


def merge_events(parent: LList, child: LList, problems: list[Problem]) -> LList:
    """Merge event lists by id; reports removals of unknown ids and repeated child ids."""
    # Slots keep the parent's order; a removed event leaves an empty slot.
    slots: list[tuple[Any, Pos] | None] = list(zip(parent, parent.item_pos, strict=True))
    index: dict[str, int] = {}
    for i, item in enumerate(parent):
        event_id = _event_id(item)
        if event_id is not None:
            index.setdefault(event_id, i)
    seen: dict[str, Pos] = {}
    for item, pos in zip(child, child.item_pos, strict=True):
        event_id = _event_id(item)
        if event_id is None:
            slots.append((item, pos))  # no usable id: validation will say why
        elif event_id in seen:
            at = item.val_pos.get("id", pos)
            message = f"duplicate event id '{event_id}' (first at line {seen[event_id].line})"
            problems.append(_problem(at, "E111", message))
        else:
            seen[event_id] = pos
            _apply(slots, index, event_id, item, pos, problems)
    out = LList(child.pos)
    for slot in slots:
        if slot is not None:
            out.push(*slot)
    return out


def _apply(
    slots: list[tuple[Any, Pos] | None],
    index: dict[str, int],
    event_id: str,
    item: LMap,
    pos: Pos,
    problems: list[Problem],
) -> None:
    """Apply one child event: remove, replace in place, or append."""
    inherited = event_id in index and slots[index[event_id]] is not None
    if item.get("remove") is True:
        if inherited:
            slots[index[event_id]] = None
        else:
            message = f"cannot remove event '{event_id}': the parent scenario has no such event"
            problems.append(_problem(pos, "E131", message))
    elif inherited:
        slots[index[event_id]] = (item, pos)
    else:
        index[event_id] = len(slots)
        slots.append((item, pos))


def _term(item: Any) -> str | None:
    value = item.get("term") if isinstance(item, LMap) else None
    return value.strip().casefold() if isinstance(value, str) else None


def merge_glossary(parent: LList, child: LList, problems: list[Problem]) -> LList:
    """Merge glossary lists by term (case and spaces around it aside): the same term
    replaces the inherited entry in its place, a new term is appended,
    `{term: x, remove: true}` drops the inherited entry."""
    slots: list[tuple[Any, Pos] | None] = list(zip(parent, parent.item_pos, strict=True))
    index: dict[str, int] = {}
    for i, item in enumerate(parent):
        term = _term(item)
        if term is not None:
            index.setdefault(term, i)
    for item, pos in zip(child, child.item_pos, strict=True):
        term = _term(item)
        inherited = term is not None and term in index and slots[index[term]] is not None
        if isinstance(item, LMap) and item.get("remove") is True:
            if inherited:
                assert term is not None
                slots[index[term]] = None
            else:
                shown = item.get("term") if isinstance(item.get("term"), str) else "?"
                message = (
                    f"cannot remove glossary term '{shown}': the parent scenario has no such term"
                )
                problems.append(_problem(pos, "E131", message))
        elif inherited:
            assert term is not None
            slots[index[term]] = (item, pos)
        else:
            if term is not None:
                index[term] = len(slots)
            slots.append((item, pos))
    out = LList(child.pos)
    for slot in slots:
        if slot is not None:
            out.push(*slot)
    return out


def unmatched_removals(events: Any, glossary: Any = None) -> list[Problem]:
    """In a scenario that extends nothing, every `remove: true` event or glossary entry
    is an error."""
    problems = []
    for items, what, name in ((events, "event", _event_id), (glossary, "glossary term", None)):
        if not isinstance(items, LList):
            continue
        for item, pos in zip(items, items.item_pos, strict=True):
            if isinstance(item, LMap) and item.get("remove") is True:
                shown = name(item) if name else item.get("term")
                shown = shown if isinstance(shown, str) else "?"
                message = f"cannot remove {what} '{shown}': this scenario extends no other"
                problems.append(_problem(pos, "E131", message))
    return problems


def _problem(pos: Pos, code: str, message: str) -> Problem:
    return Problem(pos.path, pos.line, pos.col, code, message)
