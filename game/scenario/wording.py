"""The models' validation errors, worded for authors at a file, line and column.

`validate` runs the pydantic models (models.py) on a located tree and turns
each error pydantic gives into a Problem an author can act on: E100 an
unknown key (with a did-you-mean from the keys the model accepts), E101 a
missing key, E102 a value of the wrong type (one message for all the types
a union tried) and E103 a value out of range or not allowed. It also holds
what every scenario message shares: key paths that name an event by its id
(`KeyPaths`), the did-you-mean (`suggest`) and how long a name or a path
may run before it is cut.

It reads no file and checks nothing the models do not: references between
the parts of a scenario are checks.py's.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from game.scenario.errors import Problem
from game.scenario.merge import RELATIVE_KEYS
from game.scenario.models import Id, Scenario, is_id
from game.scenario.yamlpos import LList, LMap, Pos, cut, dotted, walk

NAME_WIDTH = 60  # a name or value longer than this is cut in messages
PATH_WIDTH = 160  # a path is cut in the middle, keeping its file name
# The id pattern, to word its mismatch as "not a valid id" rather than as a regex.
_ID_PATTERNS = {getattr(m, "pattern", None) for m in typing.get_args(Id)[1].metadata} - {None}

_EXPECTED: dict[str, str] = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing_size": "a whole number of sensible size",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "dict_type": "a mapping",
    "mapping_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
}


@dataclass
class _Issue:
    """One pydantic error, located and worded; its key path is put before the message when
    it becomes a problem, and E102s at one place are merged then."""

    pos: Pos
    where: tuple[str | int, ...]
    code: str
    message: str
    expected: str = ""
    got: Any = None


def validate(tree: Any, root: Pos, extending: bool, problems: list[Problem]) -> Scenario | None:
    """The scenario the models make of a located tree, or None after adding why not to
    `problems`; `extending` says the file extends another (it is worded so)."""
    if tree is None:
        message = "the file is empty: a scenario needs meta, start, turns, ..."
        problems.append(Problem(root.path, 1, 1, "E101", message))
        return None
    try:
        return Scenario.model_validate(tree)
    except ValidationError as e:
        issues = [_issue(err, tree, root, extending) for err in e.errors(include_url=False)]
        problems += _merge_issues(issues, KeyPaths(tree))
        return None


class KeyPaths:
    """Key paths as authors know them: an event by its id rather than by its index.

    In a file that extends another, the index counts the inherited events too
    (`events[25]` for the author's first event), so the id says where; an
    event whose id is not a usable, unique id keeps its index.
    """

    def __init__(self, tree: Any) -> None:
        events = tree.get("events") if isinstance(tree, LMap) else None
        ids = [_event_id(item) for item in events] if isinstance(events, LList) else []
        count = Counter(ids)
        self.events = {i: eid for i, eid in enumerate(ids) if eid is not None and count[eid] == 1}

    def prefix(self, where: tuple[str | int, ...] | list[str | int]) -> str:
        """`where` as the start of a message: `events[id=boom].when: `, or nothing at the top."""
        if not where:
            return ""
        if len(where) > 1 and where[0] == "events" and where[1] in self.events:
            rest = dotted(list(where[2:]))
            sep = "." if rest and not rest.startswith("[") else ""
            return f"events[id={self.events[where[1]]}]{sep}{rest}: "
        return f"{dotted(list(where))}: "


def _event_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, LMap) else None
    return value if isinstance(value, str) and is_id(value) else None


def _issue(err: Any, tree: Any, root: Pos, extending: bool) -> _Issue:
    """Word and locate one pydantic error."""
    kind, loc = err["type"], tuple(err["loc"])
    if kind == "extra_forbidden":
        return _unknown_key(loc, tree, root)
    if kind in ("missing", "union_tag_not_found"):
        pos, path = walk(tree, loc, root=root)
        key = str(loc[-1]) if kind == "missing" else "kind"
        note = ""
        if extending and loc == ("meta",):
            note = " (a scenario that extends another needs its own meta)"
        message = f"missing required key '{key}'{note}"
        return _Issue(pos, tuple(path), "E101", message)
    if kind == "union_tag_invalid":
        return _bad_kind(err, loc, tree, root)
    pos, path = walk(tree, loc, root=root)
    where = tuple(path)
    if kind in _EXPECTED:
        return _Issue(pos, where, "E102", "", _EXPECTED[kind], err["input"])
    if loc and loc[-1] == "[key]":
        return _Issue(pos, where[:-1], "E103", f"key {_bad_value(kind, err)}")
    return _Issue(pos, where, "E103", _bad_value(kind, err))


def _unknown_key(loc: tuple[Any, ...], tree: Any, root: Pos) -> _Issue:
    pos, path = walk(tree, loc, at_key=True, root=root)
    key = str(loc[-1])
    where = tuple(path[:-1]) if path and path[-1] == loc[-1] else tuple(path)
    suggestion = suggest(key, _field_names(loc[:-1]))
    message = f"unknown key '{cut(key, NAME_WIDTH)}'{suggestion}"
    return _Issue(pos, where, "E100", message)


def _bad_kind(err: Any, loc: tuple[Any, ...], tree: Any, root: Pos) -> _Issue:
    """A `kind` that names no member of a tagged union (the victory kinds)."""
    pos, path = walk(tree, (*loc, "kind"), root=root)
    expected = err["ctx"]["expected_tags"]
    given = err["input"].get("kind") if isinstance(err["input"], dict) else err["ctx"]["tag"]
    suggestion = suggest(given, _quoted_values(expected)) if isinstance(given, str) else ""
    message = f"must be one of {expected}, got {_show(given)}{suggestion}"
    return _Issue(pos, tuple(path), "E103", message)


def _merge_issues(issues: list[_Issue], names: KeyPaths) -> list[Problem]:
    """One problem per wrong-typed value, even when a union tried several types.

    A union such as `int | Date` gives one error per member; when one of them
    explains more than "wrong type" (E103), that explanation alone is kept.
    """
    explained = {(i.pos, i.where) for i in issues if i.code == "E103"}
    expected: dict[tuple[Pos, tuple[str | int, ...]], list[_Issue]] = {}
    out: list[Problem] = []
    for issue in issues:
        key = (issue.pos, issue.where)
        if issue.code != "E102":
            message = f"{names.prefix(issue.where)}{issue.message}"
            out.append(Problem(issue.pos.path, issue.pos.line, issue.pos.col, issue.code, message))
        elif key not in explained:
            expected.setdefault(key, []).append(issue)
    for (pos, where), group in expected.items():
        wants = list(dict.fromkeys(i.expected for i in group))
        # "true or false, or text" reads better than "true or false or text".
        text = (", or " if any(" or " in w for w in wants) else " or ").join(wants)
        got = group[0].got
        hint = (
            " (put it in quotes to make it text)" if wants == ["text"] and _is_scalar(got) else ""
        )
        if any(w.endswith("number") for w in wants) and isinstance(got, dict) and len(got) == 1:
            hint = _relative_hint(str(next(iter(got))))
        message = f"{names.prefix(where)}expected {text}, got {_show(got)}{hint}"
        out.append(Problem(pos.path, pos.line, pos.col, "E102", message))
    return out


def _relative_hint(key: str) -> str:
    """A mapping of one key where a number goes: most likely a mistyped relative number."""
    close = difflib.get_close_matches(key, RELATIVE_KEYS, n=1, cutoff=0.6)
    guess = f"did you mean {{{close[0]}: ...}}? " if close and key not in RELATIVE_KEYS else ""
    return f" ({guess}a number relative to the inherited one is {{multiply: 1.1}} or {{add: 5}})"


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (int, float, bool))


def _show(value: Any) -> str:
    """A value as an author would recognise it in a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"'{value[:40]}...'" if len(value) > 40 else f"'{value}'"
    return _num(value) if isinstance(value, (int, float)) else type(value).__name__


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _quoted_values(text: str) -> list[str]:
    """The values out of pydantic's "'a', 'b' or 'c'"."""
    return [part.strip().strip("'") for part in text.replace(" or ", ", ").split(",")]


def _bad_value(kind: str, err: Any) -> str:
    """A plain sentence for a value of the right type that is still not allowed."""
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err["input"]
    simple = {
        "greater_than": lambda: f"must be greater than {_num(ctx['gt'])}",
        "greater_than_equal": lambda: f"must be at least {_num(ctx['ge'])}",
        "less_than": lambda: f"must be less than {_num(ctx['lt'])}",
        "less_than_equal": lambda: f"must be at most {_num(ctx['le'])}",
        "finite_number": lambda: f"must be a finite number, got {_show(value)}",
        "string_too_long": lambda: f"must be at most {ctx['max_length']} characters long",
        "too_short": lambda: (
            f"needs at least {ctx['min_length']} item{'s' if ctx['min_length'] != 1 else ''}"
        ),
        "too_long": lambda: (
            f"can have at most {ctx['max_length']} items, got {ctx.get('actual_length')}"
        ),
    }
    if kind in simple:
        return simple[kind]()
    if kind == "string_too_short":
        n = ctx["min_length"]
        return "must not be empty" if n == 1 else f"must be at least {n} characters long"
    if kind == "string_pattern_mismatch":
        if ctx["pattern"] in _ID_PATTERNS:
            return (
                f"{_show(value)} is not a valid id: use lowercase letters, digits, '-' and '_', "
                "starting with a letter"
            )
        return f"{_show(value)} does not match the pattern {ctx['pattern']}"
    if kind == "literal_error":
        allowed = _quoted_values(ctx["expected"])
        suggestion = suggest(str(value), allowed) if isinstance(value, str) else ""
        return f"must be one of {ctx['expected']}, got {_show(value)}{suggestion}"
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    return str(err["msg"])


def suggest(word: str, candidates: list[str] | dict[str, Any] | tuple[str, ...]) -> str:
    """` (did you mean 'x'?)` for the candidate closest to `word`, or ''."""
    if len(word) > NAME_WIDTH:
        return ""  # no name is that long; comparing would only cost time
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean '{cut(close[0], NAME_WIDTH)}'?)" if close else ""


def _members(tp: Any) -> Iterator[Any]:
    """The concrete types inside Annotated[...] and unions."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        yield from _members(typing.get_args(tp)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            yield from _members(arg)
    else:
        yield tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _step(tp: Any, element: Any) -> list[Any]:
    """The types one loc element leads to from `tp` (empty if it names nothing there)."""
    found: list[Any] = []
    for member in _members(tp):
        origin = typing.get_origin(member)
        if _is_model(member) and isinstance(element, str):
            for name, field in member.model_fields.items():
                if element in (name, field.alias):
                    found.append(field.annotation)
            kind = member.model_fields.get("kind")
            tags = typing.get_args(kind.annotation) if kind is not None else ()
            if element == member.__name__ or element in tags:
                found.append(member)  # a union member name or discriminator tag
        elif origin is dict:
            found.append(typing.get_args(member)[1])
        elif origin is list and isinstance(element, int):
            found.append(typing.get_args(member)[0])
    return found


def _field_names(loc: tuple[Any, ...]) -> list[str]:
    """The keys the model at `loc` accepts, for a did-you-mean; [] if it cannot be told."""
    current: list[Any] = [Scenario]
    for element in loc:
        following = [t for tp in current for t in _step(tp, element)]
        current = following or current  # skip elements that name nothing, like union members
    for tp in current:
        for member in _members(tp):
            if _is_model(member):
                return [f.alias or n for n, f in member.model_fields.items()]
    return []
