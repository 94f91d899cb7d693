"""Load a scenario: YAML with positions -> extends merge -> pydantic -> semantic checks.

Every stage reports all the problems it finds, each at a file, line and
column with a stable code (see `errors.CODES`), and `load_scenario` raises
them together as one ScenarioError. Nothing else escapes: a traceback while
loading a scenario is a bug.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.paths import scenarios_dir
from game.scenario.chains import E_CHAIN, check_chains
from game.scenario.errors import Problem, ScenarioError
from game.scenario.expr import ExprContext, ExprError, compile_expr, compile_value, parse_target
from game.scenario.merge import merge_scenarios, unmatched_removals
from game.scenario.models import FACTIONS, Id, Scenario, is_id
from game.scenario.yamlpos import (
    LList,
    LMap,
    Pos,
    as_located,
    cut,
    dotted,
    not_regular,
    read_located,
    walk,
)

MAX_EXTENDS = 16
NAME_WIDTH = 60  # a name or value longer than this is cut in messages
PATH_WIDTH = 160  # a path is cut in the middle, keeping its file name
WHO_WORDS: tuple[str, ...] = ("player", "ai", "all", "world", *FACTIONS)
# Words a lab id may not be: they already mean something in `who` or in expressions.
RESERVED_LAB_IDS: tuple[str, ...] = (*WHO_WORDS, "rival", "me")
# The id pattern, to word its mismatch as "not a valid id" rather than as a regex.
_ID_PATTERNS = {getattr(m, "pattern", None) for m in typing.get_args(Id)[1].metadata} - {None}


@dataclass(frozen=True)
class ScenarioInfo:
    """What a menu shows about one shipped scenario."""

    id: str
    name: str
    turns: int
    description: str
    path: Path
    playable: tuple[str, ...]  # factions a human may play


class _NotFound(Exception):
    """A scenario name that is neither a file nor a known id."""


# --- finding -------------------------------------------------------------------


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # permission problems, NUL bytes in the name
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _looks_like_path(name: str) -> bool:
    return "/" in name or os.sep in name or name.endswith((".yaml", ".yml"))


def shipped_ids() -> dict[str, Path]:
    """Each shipped scenario's id (its meta.id, else its file stem) -> its file."""
    ids: dict[str, Path] = {}
    folder = scenarios_dir()
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        ids.setdefault(_peek_id(path) or path.stem, path)
    return ids


def _peek_id(path: Path) -> str | None:
    try:
        tree = read_located(path).value
    except ScenarioError:
        return None
    meta = tree.get("meta") if isinstance(tree, LMap) else None
    value = meta.get("id") if isinstance(meta, LMap) else None
    return value if isinstance(value, str) else None


def _find(name: str, relative_to: Path | None) -> Path:
    """A file path (relative to `relative_to` if given) or a scenario id; raises _NotFound."""
    candidate = Path(name)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if _is_file(candidate) or (_looks_like_path(name) and _exists(candidate)):
        return candidate  # a folder or unreadable file is reported when it is read
    if _looks_like_path(name):
        raise _NotFound(f"no such file '{cut(name, PATH_WIDTH, middle=True)}'")
    # A custom scenario may extend a sibling by its stem, like shipped ones do by id.
    if relative_to is not None and _is_file(relative_to / f"{name}.yaml"):
        return relative_to / f"{name}.yaml"
    ids = shipped_ids()
    if name in ids:
        return ids[name]
    if _exists(candidate):
        return candidate  # a folder or a pipe named like an id: reading says what it is
    known = ", ".join(sorted(ids)) or "none"
    raise _NotFound(
        f"unknown scenario '{cut(name, NAME_WIDTH)}'{_suggest(name, ids)}; known scenarios: {known}"
    )


def find_scenario(name_or_path: str, *, relative_to: Path | None = None) -> Path:
    """The file of a scenario given as a path or as a shipped scenario id."""
    try:
        return _find(name_or_path, relative_to)
    except _NotFound as e:
        if _looks_like_path(name_or_path):
            shown = cut(name_or_path, PATH_WIDTH, middle=True)
        else:
            shown = cut(name_or_path, NAME_WIDTH)
        raise ScenarioError([Problem(shown, 1, 1, "E001", str(e))]) from None


def _display(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    try:
        shown = str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):
        shown = str(path)
    return cut(shown, PATH_WIDTH, middle=True)


def _not_regular(path: Path) -> str | None:
    """Why `path` cannot be read as a scenario file (a pipe, a device, a folder), if it cannot."""
    try:
        return not_regular(path.stat().st_mode)
    except (OSError, ValueError):
        return None  # reported when the file is read, with the system's reason


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # symlink loops
        return path.absolute()


# --- loading -------------------------------------------------------------------


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load, merge, validate and check a scenario; raise ScenarioError with every problem."""
    path = name_or_path if isinstance(name_or_path, Path) else find_scenario(name_or_path)
    return load_located(path)[0]


def load_located(path: Path) -> tuple[Scenario, Any, Pos]:
    """Like `load_scenario`, also giving the merged tree with the positions of its
    parts and the file's own start, for checks that point at lines (lint)."""
    problems: list[Problem] = []
    resolved = _resolve(path, (), problems)
    if resolved is None:
        raise ScenarioError(_sorted(problems))
    tree, root, extending = resolved
    scenario = _validate(tree, root, extending, problems)
    problems += _check(tree, root, scenario, problems)
    if problems:
        raise ScenarioError(_sorted(problems))
    assert scenario is not None
    return scenario, tree, root


def scenario_from_data(data: Any, name: str) -> Scenario:
    """Validate and check a whole scenario given as data (one a save embeds); raise ScenarioError.

    The checks are a file's, but the data extends nothing and has no lines:
    every problem is placed at `name` and names its key path.
    """
    root = Pos(name, 1, 1)
    problems: list[Problem] = []
    tree = as_located(data, root)
    if isinstance(tree, LMap) and tree.get("extends") is not None:
        message = "extends: a scenario given whole cannot extend another"
        raise ScenarioError([Problem(name, 1, 1, "E130", message)])
    scenario = _validate(tree, root, False, problems)
    problems += _check(tree, root, scenario, problems)
    if problems:
        raise ScenarioError(_sorted(problems))
    assert scenario is not None
    return scenario


def list_scenarios() -> list[ScenarioInfo]:
    """Every shipped scenario that loads cleanly, in file name order.

    A broken one is left out here; `airace scenario validate` reports why.
    """
    infos = []
    for path in shipped_ids().values():
        try:
            s = load_scenario(path)
        except ScenarioError:
            continue
        playable = tuple(f for f in FACTIONS if f in s.factions and s.factions[f].playable)
        infos.append(
            ScenarioInfo(s.meta.id, s.meta.name, s.turns, s.meta.description, path, playable)
        )
    return infos


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.path, p.line, p.col))


def _resolve(
    path: Path, chain: tuple[Path, ...], problems: list[Problem]
) -> tuple[Any, Pos, bool] | None:
    """Read a file and merge everything it extends; None if it cannot be built at all."""
    try:
        doc = read_located(path, _display(path))
    except ScenarioError as e:
        problems += e.problems
        return None
    tree = doc.value
    if not isinstance(tree, LMap) or "extends" not in tree:
        if isinstance(tree, LMap):
            problems += unmatched_removals(tree.get("events"))
        return tree, doc.pos, False
    parent = _parent(path, tree, chain, problems)
    if parent is None:
        return None
    merged, merge_problems = merge_scenarios(parent, tree)
    problems += merge_problems
    return merged, doc.pos, True


def _parent(
    path: Path, tree: LMap, chain: tuple[Path, ...], problems: list[Problem]
) -> LMap | None:
    """The merged tree of the scenario `tree` extends, or None after reporting why not."""
    name, pos = tree["extends"], tree.val_pos["extends"]

    def fail(message: str) -> None:
        problems.append(Problem(pos.path, pos.line, pos.col, "E130", message))

    if not isinstance(name, str) or not name.strip():
        fail("extends must be a scenario id or a path to a scenario file")
        return None
    try:
        parent_path = _find(name, path.parent)
    except _NotFound as e:
        fail(f"extends: {e}")
        return None
    # Reported here, at the extends line, rather than at the start of a file
    # that is not one (reading a pipe such as /dev/stdin would also block).
    why = _not_regular(parent_path)
    if why is not None:
        fail(f"extends: cannot read '{cut(name, PATH_WIDTH, middle=True)}': {why}")
        return None
    here = (*chain, _identity(path))
    target = _identity(parent_path)
    if target in here:
        loop = [*here[here.index(target) :], target]
        fail("extends cycle: " + " -> ".join(cut(_peek_id(p) or p.stem, NAME_WIDTH) for p in loop))
        return None
    if len(here) > MAX_EXTENDS:
        fail(f"extends goes more than {MAX_EXTENDS} scenarios deep")
        return None
    resolved = _resolve(parent_path, here, problems)
    if resolved is None:
        return None
    if not isinstance(resolved[0], LMap):
        fail(f"the scenario '{name}' extends is empty or not a mapping")
        return None
    return resolved[0]


# --- pydantic errors -> problems -----------------------------------------------

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


def _validate(tree: Any, root: Pos, extending: bool, problems: list[Problem]) -> Scenario | None:
    if tree is None:
        message = "the file is empty: a scenario needs meta, start, turns, ..."
        problems.append(Problem(root.path, 1, 1, "E101", message))
        return None
    try:
        return Scenario.model_validate(tree)
    except ValidationError as e:
        issues = [_issue(err, tree, root, extending) for err in e.errors(include_url=False)]
        problems += _merge_issues(issues, _Names(tree))
        return None


class _Names:
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
    suggestion = _suggest(key, _field_names(loc[:-1]))
    message = f"unknown key '{cut(key, NAME_WIDTH)}'{suggestion}"
    return _Issue(pos, where, "E100", message)


def _bad_kind(err: Any, loc: tuple[Any, ...], tree: Any, root: Pos) -> _Issue:
    """A `kind` that names no member of a tagged union (the victory kinds)."""
    pos, path = walk(tree, (*loc, "kind"), root=root)
    expected = err["ctx"]["expected_tags"]
    given = err["input"].get("kind") if isinstance(err["input"], dict) else err["ctx"]["tag"]
    suggestion = _suggest(given, _quoted_values(expected)) if isinstance(given, str) else ""
    message = f"must be one of {expected}, got {_show(given)}{suggestion}"
    return _Issue(pos, tuple(path), "E103", message)


def _merge_issues(issues: list[_Issue], names: _Names) -> list[Problem]:
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
        message = f"{names.prefix(where)}expected {text}, got {_show(got)}{hint}"
        out.append(Problem(pos.path, pos.line, pos.col, "E102", message))
    return out


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
        suggestion = _suggest(str(value), allowed) if isinstance(value, str) else ""
        return f"must be one of {ctx['expected']}, got {_show(value)}{suggestion}"
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    return str(err["msg"])


def _suggest(word: str, candidates: list[str] | dict[str, Any] | tuple[str, ...]) -> str:
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


# --- semantic checks -----------------------------------------------------------


def _check(tree: Any, root: Pos, scenario: Scenario | None, found: list[Problem]) -> list[Problem]:
    """The semantic problems of a scenario, whether or not it validated.

    References, ids and expressions are read from the file itself, so they are
    checked even where the file has other problems (a misspelt name in an
    event whose chance is not a number is reported in the same run). Chains
    are followed only in a scenario that validated with no other problem:
    they need every reference known.
    """
    if not isinstance(tree, LMap):
        return []
    checker = _Checker(tree, root)
    problems = checker.run()
    if scenario is not None and not problems and not found:
        for problem in check_chains(scenario):
            checker.add(problem.loc, E_CHAIN, problem.message)
    return checker.problems


def _items(value: Any) -> list[tuple[int, LMap]]:
    """The mappings in a list read from the file, by index (anything else is skipped)."""
    return (
        [(i, v) for i, v in enumerate(value) if isinstance(v, LMap)]
        if isinstance(value, LList)
        else []
    )


def _submaps(value: Any) -> list[tuple[str, LMap]]:
    """The mappings in a mapping read from the file, by key (anything else is skipped)."""
    return (
        [(k, v) for k, v in value.items() if isinstance(v, LMap)] if isinstance(value, LMap) else []
    )


def _text(node: Any, key: str) -> str | None:
    value = node.get(key) if isinstance(node, LMap) else None
    return value if isinstance(value, str) else None


class _Checker:
    """References, ids and expressions, read from a (merged) located tree.

    Only what is text where text belongs is checked here; a value of the wrong
    type is validation's to report.
    """

    def __init__(self, tree: LMap, root: Pos) -> None:
        self.tree = tree
        self.root = root
        self.names = _Names(tree)
        self.problems: list[Problem] = []
        factions = tree.get("factions")
        sides = [f for f in FACTIONS if isinstance(factions, LMap) and f in factions]
        # A file without a readable side may have either: allow both.
        self.sides = tuple(sides) or FACTIONS
        self.chips = self.keys("chips")
        self.powers = self.keys("power")
        self.main_labs = [(f, _text(spec, "lab_id")) for f, spec in _submaps(factions)]
        lab_ids = [lab for f in FACTIONS for g, lab in self.main_labs if g == f and lab]
        self.labs = lab_ids + self.keys("rivals")
        # Every id written, so a `then` that names an event with problems of its
        # own is not reported as unknown as well.
        self.event_ids = [eid for _, e in _items(tree.get("events")) if (eid := _text(e, "id"))]

    def keys(self, name: str) -> list[str]:
        value = self.tree.get(name)
        return list(value) if isinstance(value, LMap) else []

    def run(self) -> list[Problem]:
        """Every semantic problem, in the order the checks meet them."""
        self.check_labs()
        self.check_difficulties()
        self.check_events()
        return self.problems

    def add(
        self, loc: tuple[str | int, ...], code: str, message: str, *, at_key: bool = False
    ) -> None:
        pos, _ = walk(self.tree, loc, at_key=at_key, root=self.root)
        where = loc[:-1] if at_key else loc
        self.problems.append(
            Problem(pos.path, pos.line, pos.col, code, f"{self.names.prefix(where)}{message}")
        )

    def ref(
        self,
        loc: tuple[str | int, ...],
        value: str,
        known: list[str],
        what: str,
        *,
        at_key: bool = False,
    ) -> None:
        """Report `value` unless it is one of `known`."""
        if value not in known:
            self.add(
                loc,
                "E110",
                f"unknown {what} '{cut(value, NAME_WIDTH)}'{_suggest(value, known)}",
                at_key=at_key,
            )

    def check_labs(self) -> None:
        """Chips and power sources the labs start with; lab ids that clash."""
        labs: list[tuple[tuple[str | int, ...], LMap]] = [
            (("factions", f, "lab"), lab)
            for f, spec in _submaps(self.tree.get("factions"))
            if isinstance(lab := spec.get("lab"), LMap)
        ]
        labs += [(("rivals", rid), lab) for rid, lab in _submaps(self.tree.get("rivals"))]
        for at, lab in labs:
            for chip, _ in _pairs(lab.get("gpus")):
                self.ref((*at, "gpus", chip), chip, self.chips, "chip", at_key=True)
            for source, _ in _pairs(lab.get("power_mw")):
                self.ref(
                    (*at, "power_mw", source), source, self.powers, "power source", at_key=True
                )
        for rid in self.keys("rivals"):
            if rid in RESERVED_LAB_IDS:
                message = f"'{rid}' cannot be a lab id: it is a reserved word"
                self.add(("rivals", rid), "E112", message, at_key=True)
        self.check_faction_lab_ids()

    def check_faction_lab_ids(self) -> None:
        seen: dict[str, str] = {}
        rivals = self.keys("rivals")
        for f, lab_id in self.main_labs:
            if lab_id is None:
                continue
            loc: tuple[str | int, ...] = ("factions", f, "lab_id")
            if lab_id in RESERVED_LAB_IDS:
                self.add(loc, "E112", f"'{lab_id}' cannot be a lab id: it is a reserved word")
            elif lab_id in rivals:
                self.add(loc, "E112", f"lab id '{lab_id}' is also a rival's id")
            elif lab_id in seen:
                self.add(loc, "E112", f"lab id '{lab_id}' is also the {seen[lab_id]} lab's id")
            seen[lab_id] = f

    def check_difficulties(self) -> None:
        # A side's own lab is a computer rival when the other side is played.
        rivals = [*self.keys("rivals"), *(lab for _, lab in self.main_labs if lab)]
        for did, difficulty in _submaps(self.tree.get("difficulties")):
            for rid, _ in _pairs(difficulty.get("rival_policies")):
                loc = ("difficulties", did, "rival_policies", rid)
                self.ref(loc, rid, rivals, "rival", at_key=True)

    def check_events(self) -> None:
        """Ids, `who`, expressions, targets and references of events (by index in the list)."""
        first: dict[str, int] = {}
        who_known = [*WHO_WORDS, *self.labs]
        for i, event in _items(self.tree.get("events")):
            loc: tuple[str | int, ...] = ("events", i)
            event_id = _text(event, "id")
            if event_id is not None and event_id in first:
                line = walk(self.tree, ("events", first[event_id], "id"), root=self.root)[0]
                self.add(
                    (*loc, "id"),
                    "E111",
                    f"duplicate event id '{event_id}' (first at {line.path}:{line.line})",
                )
            if event_id is not None:
                first.setdefault(event_id, i)
            who = event.get("who", "player")
            if isinstance(who, str) and who not in who_known:
                self.add(
                    (*loc, "who"),
                    "E110",
                    f"unknown who '{cut(who, NAME_WIDTH)}'{_suggest(who, who_known)}; "
                    "use player, ai, all, world, us, china or a lab id",
                )
            ctx = ExprContext(
                tuple(self.labs), tuple(self.chips), tuple(self.powers), who != "world", self.sides
            )
            when = _text(event, "when")
            if when is not None:
                self.expr((*loc, "when"), when, ctx)
            self.check_then((*loc, "then"), event.get("then"))
            self.check_effects((*loc, "effects"), event.get("effects"), ctx)
            for k, choice in _items(event.get("choices")):
                self.check_then((*loc, "choices", k, "then"), choice.get("then"))
                self.check_effects((*loc, "choices", k, "effects"), choice.get("effects"), ctx)

    def check_then(self, loc: tuple[str | int, ...], thens: Any) -> None:
        for j, then in _items(thens):
            target = _text(then, "event")
            if target is not None:
                self.ref((*loc, j, "event"), target, self.event_ids, "event")

    def check_effects(self, loc: tuple[str | int, ...], effects: Any, ctx: ExprContext) -> None:
        for j, effect in _items(effects):
            at = (*loc, j)
            for kind in ("add", "set", "multiply"):
                for target, value in _pairs(effect.get(kind)):
                    self.target((*at, kind, target), target, ctx)
                    if isinstance(value, str):
                        self.expr((*at, kind, target), value, ctx, value=True)
            for kind in ("export", "price", "supply"):
                chip = _text(effect.get(kind), "chip")
                if chip is not None:
                    self.ref((*at, kind, "chip"), chip, self.chips, "chip")
            source = _text(effect.get("power_lead"), "source")
            if source is not None:
                self.ref((*at, "power_lead", "source"), source, self.powers, "power source")

    def expr(
        self, loc: tuple[str | int, ...], text: str, ctx: ExprContext, *, value: bool = False
    ) -> None:
        """Compile an expression; report its problems at their columns in the file."""
        try:
            if value:
                compile_value(text, ctx)
            else:
                compile_expr(text, ctx)
        except ExprError as e:
            self.expr_problems(loc, e, at_key=False)
        except (MemoryError, RecursionError):
            # CPython's parser gives up on very deep nesting this way; it is
            # the author's expression that is at fault, not the program.
            pos, _ = walk(self.tree, loc, root=self.root)
            message = f"{self.names.prefix(loc)}this expression is too long or too deeply nested"
            self.problems.append(Problem(pos.path, pos.line, pos.col, "E122", message))

    def target(self, loc: tuple[str | int, ...], text: str, ctx: ExprContext) -> None:
        try:
            parse_target(text, ctx)
        except ExprError as e:
            self.expr_problems(loc, e, at_key=True)

    def expr_problems(self, loc: tuple[str | int, ...], error: ExprError, *, at_key: bool) -> None:
        pos, _ = walk(self.tree, loc, at_key=at_key, root=self.root)
        prefix = self.names.prefix(loc)
        for p in error.problems:
            at = pos.at(p.col)
            message = _QUOTED.sub(lambda m: f"'{cut(m[1])}'", p.message)
            self.problems.append(Problem(at.path, at.line, at.col, p.code, f"{prefix}{message}"))


def _pairs(value: Any) -> list[tuple[str, Any]]:
    """The keys and values of a mapping read from the file ([] for anything else)."""
    return list(value.items()) if isinstance(value, LMap) else []


# A name or expression quoted in a message, long enough to be cut.
_QUOTED = re.compile(r"'([^']{61,})'")
