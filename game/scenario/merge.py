"""The `extends` merge (DESIGN.md §5) on located trees.

Mappings merge by key, recursively, the child winning; `events` merge by
`id` (same id: the child's event replaces the parent's whole event, in the
parent's place; new ids are appended; `{id: x, remove: true}` drops the
inherited event); every other list is replaced whole. Positions always come
from the file that supplied the value, so later problems point there.

`meta` is never inherited: it names the scenario, so the child's own meta
replaces the parent's whole, and `extends` is not carried into the result.

`lint.ignore` lists are joined, the child's first: each code keeps the
position it was written at, and lint silences a parent's codes only on the
parent's own lines (see game/scenario/lint).
"""

from __future__ import annotations

from typing import Any

from game.scenario.errors import Problem
from game.scenario.yamlpos import LList, LMap, Pos

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
    merged = merge_values(inherited, own)
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


def merge_values(parent: Any, child: Any) -> Any:
    """Merge two values: mappings by key, recursively, in the parent's key order with
    new keys last; anything else, the child wins."""
    if not (isinstance(parent, LMap) and isinstance(child, LMap)):
        return child
    out = LMap(child.pos)
    for key in parent:
        if key in child:
            out.put(
                key, merge_values(parent[key], child[key]), child.key_pos[key], child.val_pos[key]
            )
        else:
            out.put(key, parent[key], parent.key_pos[key], parent.val_pos[key])
    for key in child:
        if key not in parent:
            out.put(key, child[key], child.key_pos[key], child.val_pos[key])
    return out


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


def unmatched_removals(events: Any) -> list[Problem]:
    """In a scenario that extends nothing, every `remove: true` event is an error."""
    if not isinstance(events, LList):
        return []
    problems = []
    for item, pos in zip(events, events.item_pos, strict=True):
        if isinstance(item, LMap) and item.get("remove") is True:
            message = (
                f"cannot remove event '{_event_id(item) or '?'}': this scenario extends no other"
            )
            problems.append(_problem(pos, "E131", message))
    return problems


def _problem(pos: Pos, code: str, message: str) -> Problem:
    return Problem(pos.path, pos.line, pos.col, code, message)
