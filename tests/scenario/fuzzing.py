"""Scenario fuzzing: mutations of the shipped scenarios, and the check that each one
is either refused with a position for every problem or plays to the end (issue 8).

A case is a shipped scenario (fully resolved, as pydantic dumps it) plus a few
mutations: numbers at and past their bounds, non-finite numbers, runaway
expressions, event graphs (world-to-side chains, self-chains, flags, chains
through choices), markup in text, chips, power sources and labs removed or
duplicated. The mutated tree is written either as a whole file or as a file
that `extends:` the shipped one by absolute path and writes only the parts
the mutations touched.

`check_case` loads the file; if the loader refuses it, every problem must have
a file, a line and a column. Otherwise it plays one game per side with a
computer in every seat, checking each quarter that the events fired stay
within (events) x (labs + 1), that every number of every lab and of the world
is finite, and that the turn ends within a wall-clock budget; then it runs the
simulator's path (runner, aggregate, report, JSON) on two games.

Used by tests/scenario/test_fuzz_play.py and scripts/fuzz_scenarios.py.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import signal
import tempfile
import threading
import time
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from pydantic import BaseModel

from game.engine import events as engine_events
from game.engine.game import Game
from game.engine.happenings import EventFired, Happening
from game.engine.policies import POLICIES
from game.engine.rulebook import Rulebook
from game.engine.state import GameState
from game.paths import scenarios_dir
from game.scenario.errors import ScenarioError
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.sim.aggregate import aggregate, rounded, scenario_events, scenario_labs
from game.sim.report import render
from game.sim.runner import Setup, run_games

SHIPPED: tuple[str, ...] = ("base", "chip-war", "deepseek-surprise", "sandbox", "stargate")

# Wall-clock budget of one quarter: a quarter takes well under a millisecond,
# so this is generous for a loaded 2-core CI machine, yet an exponential
# blow-up (3^16 events in one quarter) overruns it by minutes.
TURN_SECONDS = 1.0
SECONDS_PER_EVENT_LAB = 0.002
# Integers in the state beyond this are not "numbers kept finite" in practice:
# they no longer fit a 64-bit integer and overflow as soon as they meet a float.
INT_LIMIT = 2**63

# --- failures -------------------------------------------------------------------


class FuzzFailure(AssertionError):
    """A property of issue 8 that a case broke; `kind` names it for de-duplication."""

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        super().__init__(f"{kind}: {detail}")


class Overtime(FuzzFailure):
    """A quarter ran past its wall-clock budget."""


class EventStorm(FuzzFailure):
    """More events fired in one quarter than (events) x (labs + 1)."""


# --- the shipped scenarios as plain trees -----------------------------------------


def scenario_file(name: str) -> Path:
    return scenarios_dir() / f"{name}.yaml"


@cache
def _resolved_text(name: str) -> str:
    sc = load_scenario(scenario_file(name))
    tree = sc.model_dump(mode="python", by_alias=True, exclude_none=True)
    tree.pop("extends", None)
    tree["meta"] = {"id": "fuzz-case", "name": f"Fuzz case from {name}"}
    return yaml.dump(tree, Dumper=_Dumper, sort_keys=False)


def resolved(name: str) -> dict[str, Any]:
    """A fresh, fully resolved plain copy of a shipped scenario (defaults written out)."""
    tree: dict[str, Any] = yaml.load(_resolved_text(name), Loader=_Loader)
    return tree


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Plain YAML: a value written twice is written out twice, never as an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]


def _child(node: Any, key: str | int) -> Any:
    """One step down a tree; an event in `events` is named '#<id>' so paths survive removals."""
    if isinstance(node, list):
        if isinstance(key, str) and key.startswith("#"):
            for item in node:
                if isinstance(item, dict) and item.get("id") == key[1:]:
                    return item
            raise KeyError(key)
        if isinstance(key, int) and 0 <= key < len(node):
            return node[key]
        raise KeyError(key)
    if isinstance(node, dict) and key in node:
        return node[key]
    raise KeyError(key)


def _leaves(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            key: str | int = f"#{v['id']}" if path == ("events",) else i
            yield from _leaves(v, (*path, key))
    else:
        yield path, node


TEXT_KEYS = frozenset(
    {"title", "text", "label", "preview", "name", "description", "news", "short", "source"}
)


@dataclass(frozen=True)
class Shape:
    """What a shipped scenario offers to mutate."""

    numbers: tuple[Path_, ...]
    values: tuple[Path_, ...]  # effect values (add/set/multiply)
    whens: tuple[Path_, ...]
    texts: tuple[Path_, ...]
    chips: tuple[str, ...]
    powers: tuple[str, ...]
    rivals: tuple[str, ...]
    events: tuple[str, ...]
    labs: tuple[str, ...]


@cache
def shape(name: str) -> Shape:
    tree = resolved(name)
    numbers, values, whens, texts = [], [], [], []
    for path, v in _leaves(tree):
        if path[0] == "meta":
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            numbers.append(path)
        if len(path) >= 2 and path[-2] in ("add", "set", "multiply") and path[0] == "events":
            values.append(path)
        if path[-1] == "when" and path[0] == "events":
            whens.append(path)
        if isinstance(v, str) and path[-1] in TEXT_KEYS:
            texts.append(path)
    labs = [tree["factions"][f]["lab_id"] for f in tree["factions"]] + list(tree["rivals"])
    return Shape(
        tuple(numbers),
        tuple(values),
        tuple(whens),
        tuple(texts),
        tuple(tree["chips"]),
        tuple(tree["power"]),
        tuple(tree["rivals"]),
        tuple(e["id"] for e in tree["events"]),
        tuple(labs),
    )


# --- bounds the models declare ----------------------------------------------------


def _annotated_bounds(meta: Any) -> list[tuple[str, float]]:
    out = []
    items = getattr(meta, "metadata", None)
    for m in items if items is not None else [meta]:
        for attr in ("ge", "gt", "le", "lt"):
            v = getattr(m, attr, None)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append((attr, v))
    return out


def _unwrap(tp: Any, found: list[tuple[str, float]]) -> Iterator[Any]:
    """The concrete types inside Annotated[...] and unions; their bounds go to `found`."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *metas = typing.get_args(tp)
        for m in metas:
            found += _annotated_bounds(m)
        yield from _unwrap(base, found)
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            yield from _unwrap(arg, found)
    else:
        yield tp


def _step(tp: Any, element: str | int, found: list[tuple[str, float]]) -> list[Any]:
    """The types one path element leads to from `tp`; a model field's bounds go to `found`."""
    out: list[Any] = []
    for member in _unwrap(tp, []):
        origin = typing.get_origin(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            for name, f in member.model_fields.items():
                if element in (name, f.alias):
                    found += _annotated_bounds(f)
                    out.append(f.annotation)
        elif origin is dict:
            out.append(typing.get_args(member)[1])
        elif origin is list:
            out.append(typing.get_args(member)[0])
    return out


@cache
def bounds(path: Path_) -> tuple[tuple[tuple[str, float], ...], bool]:
    """The (kind, value) bounds the models declare for a leaf, and whether it is an int."""
    current: list[Any] = [Scenario]
    found: list[tuple[str, float]] = []
    for element in path:
        found = []
        current = [t for tp in current for t in _step(tp, element, found)]
        if not current:
            return (), False
    leaf = [m for tp in current for m in _unwrap(tp, found)]
    is_int = int in leaf and float not in leaf
    return tuple(dict.fromkeys(found)), is_int


def edge_values(path: Path_) -> list[Any]:
    """A leaf's declared bounds and the values just past them."""
    out: list[Any] = []
    declared, is_int = bounds(path)
    for kind, b in declared:
        eps = 1 if is_int else max(abs(b), 1.0) * 1e-9
        past = {"ge": b - eps, "gt": b, "le": b + eps, "lt": b}[kind]
        inside = {"ge": b, "gt": b + eps, "le": b, "lt": b - eps}[kind]
        out += [inside, past]
    return out


# --- value pools ----------------------------------------------------------------

NAN, INF = float("nan"), float("inf")
EXTREMES: tuple[Any, ...] = (
    0,
    -1,
    1e-300,
    5e-324,
    1e306,
    1.7976931348623157e308,
    -1e306,
    10**400,
    NAN,
    INF,
    -INF,
    2**63,
    -(10**9),
    "1e999",
    "-1e999",
)
EXPRESSIONS: tuple[str, ...] = (
    "me.cash * me.cash",
    "me.cash * 1e300",
    "1e999",
    "-1e999",
    "me.efficiency * 1e10",
    "me.cash * 0 + 1e999",
    "1e308 * 10",
    "me.capability * 1e308",
    "world.demand * 1e300",
    "me.gpus * 1e300",
    "-me.cash * 1e300",
    "0 / 0",
    "max(me.cash, 1e308) + 1e308",
    "clamp(1e999, 0, 1)",
    "log10(0) - 1e308",
    "me.cash % 0",
    "us.cash * china.cash",
    "world.frontier * 1e308",
    # Expressions that validate (every constant within 1e100) and still reach
    # infinity or NaN in play: the engine must hold or ignore them.
    "me.cash * 1e90 * 1e90 * 1e90 * 1e90",
    "-me.cash * 1e90 * 1e90 * 1e90 * 1e90",
    "me.cash * me.cash * me.cash",
    "me.efficiency * 1e90 * 1e90",
    "world.demand * 1e90 * 1e90 * 1e90 * 1e90",
    "me.gpus * 1e90 * 1e90 * 1e90 * 1e90",
    "0 * me.cash * 1e90 * 1e90 * 1e90 * 1e90",
    "me.cash * 1e90 * 1e90 * 1e90 * 1e90 - me.cash * 1e90 * 1e90 * 1e90 * 1e90",
    "1e100",
    "-1e100",
)
# The largest and smallest numbers a change may write: valid, so they play.
IN_RANGE: tuple[Any, ...] = (1000, 0, 0.001, 1e12, -1e12, 2, -2)
WHENS: tuple[str, ...] = (
    "me.cash * me.cash > 1e308",
    "me.cash * 1e300 > 0",
    "1e999 > 0",
    "me.efficiency * 1e10 >= 1",
    "flags.fz_flag",
    "me.flags.fz_flag",
    "not flags.fz_flag",
    "turn % 2 == 0",
    "world.best_cost * 1e308 >= 0",
    "us.alive and china.alive",
)
MARKUP: tuple[str, ...] = (
    "[/]",
    "[@click=app.bell()]x[/]",
    "[bold red]unclosed",
    "[link=file:///etc/passwd]x[/link]",
    "{0} %s %(x)s {me.cash}",
    "\x1b[31mred\x1b[0m",
    "a\u202eb\u200bc",
    "x" * 5000,
    " ",
    "line\n\nline\r\n",
)


def lab_targets(s: Shape) -> list[str]:
    chip, power = s.chips[0], s.powers[0]
    out = [
        "me.cash",
        "me.efficiency",
        "me.capability",
        "me.concern",
        "me.backing",
        "me.train_share",
        f"me.gpus.{chip}",
        f"me.power.{power}",
        "us.cash",
        "china.efficiency",
        "us.capability",
        f"us.gpus.{chip}",
    ]
    out += [f"rival.{r}.cash" for r in s.rivals[:1]]
    return out


WORLD_TARGETS = ("world.demand", "world.demand_growth", "world.reasoning_weight", "world.diffusion")

# --- mutations ------------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    """One change to a scenario tree; `apply` returns what it touched."""

    def apply(self, tree: dict[str, Any]) -> set[tuple[str, Any]]:
        raise NotImplementedError

    @property
    def deletes(self) -> bool:
        """True when an overlay cannot say it (maps merge by key: a key cannot be dropped)."""
        return False

    def snippet(self) -> str:
        raise NotImplementedError


def _show_path(path: Path_) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif p.startswith("#"):
            out += f"[id={p[1:]}]"
        else:
            out += ("." if out else "") + p
    return out


def _yaml_value(v: Any) -> str:
    text: str = yaml.dump(v, Dumper=_Dumper, default_flow_style=True, width=10_000)
    return text.strip().removesuffix("...").strip()


def _touched(path: Path_) -> tuple[str, Any]:
    section = path[0]
    if section == "events":
        return ("events", path[1])
    if len(path) == 1 or section in ("start", "turns", "victory", "glossary"):
        return (str(section), None)
    return (str(section), path[1])


@dataclass(frozen=True)
class SetValue(Mutation):
    path: Path_
    value: Any

    def apply(self, tree: dict[str, Any]) -> set[tuple[str, Any]]:
        try:
            parent = tree
            for key in self.path[:-1]:
                parent = _child(parent, key)
            _child(parent, self.path[-1])
        except KeyError:
            return set()  # an earlier mutation removed it
        parent[self.path[-1]] = self.value  # type: ignore[index]
        return {_touched(self.path)}

    def snippet(self) -> str:
        return f"{_show_path(self.path)}: {_yaml_value(self.value)}"


@dataclass(frozen=True)
class AddEffect(Mutation):
    event: str
    choice: int | None  # None: the event's own effects
    effect: dict[str, Any]

    def apply(self, tree: dict[str, Any]) -> set[tuple[str, Any]]:
        try:
            ev = _child(tree["events"], f"#{self.event}")
        except KeyError:
            return set()
        if self.choice is None or not ev.get("choices"):
            ev.setdefault("effects", []).append(self.effect)
        else:
            ch = ev["choices"][self.choice % len(ev["choices"])]
            ch.setdefault("effects", []).append(self.effect)
        return {("events", f"#{self.event}")}

    def snippet(self) -> str:
        where = "effects" if self.choice is None else f"choices[{self.choice}].effects"
        return f"events[id={self.event}].{where} += {_yaml_value(self.effect)}"


@dataclass(frozen=True)
class AddEvents(Mutation):
    events: tuple[dict[str, Any], ...]

    def apply(self, tree: dict[str, Any]) -> set[tuple[str, Any]]:
        have = {e["id"] for e in tree["events"]}
        added = [copy.deepcopy(e) for e in self.events if e["id"] not in have]
        tree["events"] += added
        return {("events", f"#{e['id']}") for e in added}

    def snippet(self) -> str:
        text: str = yaml.dump({"events": list(self.events)}, Dumper=_Dumper, sort_keys=False)
        return text.rstrip()


@dataclass(frozen=True)
class Remove(Mutation):
    section: str  # chips, power, rivals, factions, difficulties, events
    key: str

    @property
    def deletes(self) -> bool:
        return self.section != "events"

    def apply(self, tree: dict[str, Any]) -> set[tuple[str, Any]]:
        if self.section == "events":
            before = len(tree["events"])
            tree["events"] = [e for e in tree["events"] if e.get("id") != self.key]
            return {("removed", self.key)} if len(tree["events"]) < before else set()
        tree.get(self.section, {}).pop(self.key, None)
        return set()

    def snippet(self) -> str:
        if self.section == "events":
            return f"events: [{{id: {self.key}, remove: true}}]"
        return f"{self.section}: drop '{self.key}'"


@dataclass(frozen=True)
class Duplicate(Mutation):
    section: str  # chips, power, rivals
    key: str
    new: str

    def apply(self, tree: dict[str, Any]) -> set[tuple[str, Any]]:
        table = tree.get(self.section, {})
        if self.key not in table or self.new in table:
            return set()
        table[self.new] = copy.deepcopy(table[self.key])
        return {(self.section, self.new)}

    def snippet(self) -> str:
        return f"{self.section}.{self.new}: <copy of {self.section}.{self.key}>"


# --- a case -------------------------------------------------------------------------


@dataclass(frozen=True)
class Play:
    """How the games of a case are played."""

    seed: int
    policy: str
    difficulty: int  # index into the scenario's difficulties; -1: none
    choices: str  # 'ai' (play_ai_choices) or 'first' / 'last' / 'cycle' (Game.choose)


@dataclass(frozen=True)
class Case:
    scenario: str
    overlay: bool  # write an `extends:` file, not a resolved copy
    mutations: tuple[Mutation, ...]
    play: Play = field(default_factory=lambda: Play(1, "balanced", -1, "ai"))

    def describe(self) -> str:
        form = f"extends: {self.scenario}" if self.overlay else f"resolved copy of {self.scenario}"
        lines = [f"# {form}; play {self.play}"]
        lines += [m.snippet() for m in self.mutations]
        return "\n".join(lines)

    def tree(self) -> tuple[dict[str, Any], set[tuple[str, Any]]]:
        tree = resolved(self.scenario)
        touched: set[tuple[str, Any]] = set()
        for m in self.mutations:
            touched |= m.apply(tree)
        return tree, touched

    def text(self) -> str:
        """The YAML file of the case."""
        tree, touched = self.tree()
        if not self.overlay or any(m.deletes for m in self.mutations):
            doc = tree
        else:
            doc = {"extends": str(scenario_file(self.scenario)), "meta": tree["meta"]}
            ids = {key for section, key in touched if section == "events"}
            removed = [key for section, key in touched if section == "removed"]
            for section, key in sorted(touched, key=str):
                if section in ("events", "removed"):
                    continue
                if key is None:
                    doc[section] = tree[section]
                elif key in tree.get(section, {}):
                    doc.setdefault(section, {})[key] = tree[section][key]
            events = [e for e in tree["events"] if f"#{e['id']}" in ids]
            events += [{"id": r, "remove": True} for r in removed]
            if events:
                doc["events"] = events
        text: str = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
        return text


# --- strategies -----------------------------------------------------------------

FAMILIES = ("numbers", "expressions", "graphs", "text", "structure")


def _number_mutation(draw: Callable[..., Any], s: Shape) -> Mutation:
    path = draw(st.sampled_from(s.numbers))
    pool = [*edge_values(path), *EXTREMES]
    return SetValue(path, draw(st.sampled_from(pool)))


def _effect(draw: Callable[..., Any], s: Shape, world: bool) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["add", "multiply", "set", "price", "supply", "demand", "power_lead", "flag", "news"]
        )
    )
    value = draw(st.sampled_from([*EXPRESSIONS, *EXTREMES]))
    number = draw(st.sampled_from([*EXTREMES[:13], *IN_RANGE]))
    chip = draw(st.sampled_from(s.chips))
    if kind in ("add", "multiply", "set"):
        targets = [*WORLD_TARGETS, *([] if world else lab_targets(s))]
        return {kind: {draw(st.sampled_from(targets)): value}}
    if kind == "price":
        return {"price": {"chip": chip, draw(st.sampled_from(["add", "multiply"])): number}}
    if kind == "supply":
        return {"supply": {"chip": chip, draw(st.sampled_from(["add", "multiply"])): number}}
    if kind == "demand":
        return {"demand": {draw(st.sampled_from(["growth", "multiply"])): number}}
    if kind == "power_lead":
        add = draw(st.sampled_from([10**400, -(10**400), 2**63, -5, 40, -40]))
        return {"power_lead": {"source": s.powers[0], "faction": "us", "add": add}}
    if kind == "flag":
        return {draw(st.sampled_from(["flag", "clear_flag", "lab_flag"])): "fz_flag"}
    return {"news": draw(st.sampled_from(MARKUP))}


def _expression_mutation(draw: Callable[..., Any], s: Shape) -> Mutation:
    how = draw(st.sampled_from(["value", "when", "effect"]))
    if how == "value" and s.values:
        return SetValue(draw(st.sampled_from(s.values)), draw(st.sampled_from(EXPRESSIONS)))
    if how == "when" and s.whens:
        return SetValue(draw(st.sampled_from(s.whens)), draw(st.sampled_from(WHENS)))
    event = draw(st.sampled_from(s.events))
    choice = draw(st.sampled_from([None, 0, 1]))
    return AddEffect(event, choice, _effect(draw, s, world=False))


_WHO = ("us", "china", "player", "ai", "all")
_WHEN_TURN: tuple[Any, ...] = (1, 2, 0, -3, "2025 Q1", "1990 Q1", "2200 Q4", 40, 10**400)


def _timing(draw: Callable[..., Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if draw(st.booleans()):
        out["earliest"] = draw(st.sampled_from(_WHEN_TURN))
    if draw(st.booleans()):
        out["latest"] = draw(st.sampled_from(_WHEN_TURN))
    if draw(st.booleans()):
        out["once"] = True
    if draw(st.booleans()):
        out["chance"] = draw(st.sampled_from([1.0, 0.5, 0.0, 1e-300]))
    return out


def _graph_mutation(draw: Callable[..., Any], s: Shape) -> Mutation:
    kind = draw(st.sampled_from(["world_to_side", "self_chain", "ping_pong", "flags"]))
    who = draw(st.sampled_from([*_WHO, *s.labs[:3]]))
    delay = draw(st.sampled_from([0, 1, 2]))
    eff = _effect(draw, s, world=False)
    if kind == "world_to_side":
        sides = draw(st.lists(st.sampled_from(_WHO), min_size=1, max_size=2, unique=True))
        events: list[dict[str, Any]] = [
            {
                "id": "fz_world",
                "title": "World news",
                "who": "world",
                **_timing(draw),
                "then": [{"event": f"fz_side_{w}", "delay": delay} for w in sides],
            }
        ]
        for w in sides:
            events.append(
                {
                    "id": f"fz_side_{w}",
                    "title": "A side hears",
                    "who": w,
                    "chained": True,
                    "choices": [
                        {"label": "On", "then": [{"event": "fz_deep"}], "effects": [eff]},
                        {"label": "Off", "ai_weight": 0},
                    ],
                }
            )
        # Mostly a hand-over that can happen (validation refuses the others).
        deep_who = draw(st.sampled_from(["all", "world", *sides, who]))
        events.append(
            {
                "id": "fz_deep",
                "title": "Deeper",
                "who": deep_who,
                "chained": True,
                "when": "demand > 0" if deep_who == "world" else "me.cash > -1e90",
                "effects": [{"add": {"world.demand" if deep_who == "world" else "me.cash": 1}}],
            }
        )
        return AddEvents(tuple(events))
    if kind == "self_chain":
        n = draw(st.integers(1, 4))
        then = [{"event": "fz_echo", "delay": delay}] * n
        in_choice = draw(st.booleans())
        ev: dict[str, Any] = {"id": "fz_echo", "title": "Echo", "who": who, **_timing(draw)}
        if in_choice:
            ev["choices"] = [{"label": "Again", "then": then, "effects": [eff]}]
        else:
            ev["then"] = then
            ev["effects"] = [eff]
        return AddEvents((ev,))
    if kind == "ping_pong":
        return AddEvents(
            (
                {
                    "id": "fz_ping",
                    "title": "Ping",
                    "who": who,
                    **_timing(draw),
                    "choices": [
                        {"label": "Pong", "then": [{"event": "fz_pong", "delay": delay}]},
                        {"label": "Stop"},
                    ],
                },
                {
                    "id": "fz_pong",
                    "title": "Pong",
                    "who": who,
                    "chained": True,
                    "effects": [eff],
                    "then": [{"event": "fz_ping"}, {"event": "fz_pong", "delay": 1}],
                },
            )
        )
    setter_who = draw(st.sampled_from(["world", *_WHO]))
    return AddEvents(
        (
            {
                "id": "fz_set",
                "title": "Set a flag",
                "who": setter_who,
                **_timing(draw),
                "effects": [{"flag": "fz_flag"}]
                + ([] if setter_who == "world" else [{"lab_flag": "fz_flag"}]),
                "then": [{"event": "fz_read", "delay": delay}],
            },
            {
                "id": "fz_read",
                "title": "Read a flag",
                "who": who,
                "when": draw(st.sampled_from(["flags.fz_flag", "me.flags.fz_flag", "true"])),
                "effects": [{"clear_flag": "fz_flag"}, eff],
                "then": [{"event": "fz_set"}],
            },
        )
    )


def _text_mutation(draw: Callable[..., Any], s: Shape) -> Mutation:
    return SetValue(draw(st.sampled_from(s.texts)), draw(st.sampled_from(MARKUP)))


def _structure_mutation(draw: Callable[..., Any], s: Shape) -> Mutation:
    section = draw(st.sampled_from(["chips", "power", "rivals", "factions", "events"]))
    keys = {
        "chips": s.chips,
        "power": s.powers,
        "rivals": s.rivals,
        "factions": ("us", "china"),
        "events": s.events,
    }[section]
    if not keys:
        return Remove("chips", s.chips[-1])
    key = draw(st.sampled_from(keys))
    if section in ("factions", "events") or draw(st.booleans()):
        return Remove(section, key)
    return Duplicate(section, key, f"{key[:30]}-fz")


_MAKERS = {
    "numbers": _number_mutation,
    "expressions": _expression_mutation,
    "graphs": _graph_mutation,
    "text": _text_mutation,
    "structure": _structure_mutation,
}


@st.composite
def cases(draw: Callable[..., Any], families: tuple[str, ...] = FAMILIES) -> Case:
    """A shipped scenario with one to three mutations from `families`, and how to play it."""
    name = draw(st.sampled_from(SHIPPED))
    s = shape(name)
    n = draw(st.integers(1, 3))
    mutations = tuple(_MAKERS[draw(st.sampled_from(families))](draw, s) for _ in range(n))
    play = Play(
        seed=draw(st.integers(0, 3)),
        policy=draw(st.sampled_from(sorted(POLICIES))),
        difficulty=draw(st.integers(-1, 2)),
        choices=draw(st.sampled_from(["ai", "first", "last", "cycle"])),
    )
    return Case(name, draw(st.booleans()), mutations, play)


# --- the check ----------------------------------------------------------------------


def check_case(case: Case) -> str:
    """'refused' or 'played'; raises on anything issue 8 rules out."""
    with tempfile.TemporaryDirectory(prefix="airace-fuzz-") as folder:
        path = Path(folder) / "case.yaml"
        path.write_text(case.text(), encoding="utf-8")
        try:
            sc = load_scenario(path)
        except ScenarioError as e:
            check_problems(e)
            return "refused"
    play_scenario(sc, case.play)
    return "played"


def check_problems(error: ScenarioError) -> None:
    """Every problem of a refused scenario names a file, a line and a column."""
    if not error.problems:
        raise FuzzFailure("refused without problems", str(error))
    for p in error.problems:
        if not (p.path and isinstance(p.line, int) and isinstance(p.col, int)):
            raise FuzzFailure("problem without a position", str(p))
        if p.line < 1 or p.col < 1:
            raise FuzzFailure("problem without a position", str(p))
        if not p.code.startswith("E"):
            raise FuzzFailure("problem without a code", str(p))


def play_scenario(sc: Scenario, play: Play) -> None:
    """One game per side with computers in every seat, then the simulator's path."""
    book = Rulebook(sc)
    difficulties = list(sc.difficulties)
    difficulty = (
        difficulties[play.difficulty % len(difficulties)]
        if difficulties and play.difficulty >= 0
        else None
    )
    labs = len(sc.lab_ids())
    per_quarter = max(1, len(book.events)) * (labs + 1)
    budget = TURN_SECONDS + SECONDS_PER_EVENT_LAB * per_quarter
    for faction in sc.factions:
        _play_one(book, faction, play, difficulty, per_quarter, budget)
        _simulate(sc, faction, play, difficulty, per_quarter, budget)


def _play_one(
    book: Rulebook,
    faction: str,
    play: Play,
    difficulty: str | None,
    per_quarter: int,
    budget: float,
) -> None:
    with _fire_limit(per_quarter), _deadline(budget, f"{faction}: turn 1 news"):
        game = Game(book, faction, play.seed, player_policy=play.policy, difficulty=difficulty)
    game.keep_history = False
    _check_quarter(game.state, game.opening, per_quarter, f"{faction}: start")
    turns = 0
    while not game.over:
        turn = game.state.turn
        where = f"{faction}: turn {turn}"
        with _fire_limit(per_quarter) as fired, _deadline(budget, where):
            out = _answer(game, play.choices)
            out += game.end_turn()
        turns += 1
        if fired[0] > per_quarter:  # the wrapper raises first; this is for a compiled engine
            raise EventStorm("event storm", f"{where}: {fired[0]} events fired")
        _check_quarter(game.state, out, per_quarter, where)
        if turns > book.turns:
            raise FuzzFailure("game too long", f"{where}: {turns} turns of {book.turns}")


def _answer(game: Game, mode: str) -> list[Happening]:
    """Answer the player's pending events: by AI weights, or through Game.choose."""
    if mode == "ai":
        return game.play_ai_choices()
    out: list[Happening] = []
    k = 0
    while game.state.pending and not game.over:
        event = game.state.pending[0].event
        n = len(game.book.event[event].choices)
        index = {"first": 0, "last": n - 1}.get(mode, (game.state.turn + k) % n)
        out += game.choose(event, index)
        k += 1
    return out


def _simulate(
    sc: Scenario,
    faction: str,
    play: Play,
    difficulty: str | None,
    per_quarter: int,
    budget: float,
) -> None:
    """Two games through `airace simulate`'s runner, aggregate, report and JSON."""
    games = 2
    setup = Setup(faction, play.policy, difficulty, play.seed)
    total = budget * games * (sc.turns + 1)
    limit = per_quarter * games * (sc.turns + 1)
    with _fire_limit(limit), _deadline(total, f"{faction}: simulate"):
        records = run_games(sc, setup, games)
    player = sc.factions[faction].lab_id  # type: ignore[index]
    summary = aggregate(records, labs=scenario_labs(sc), events=scenario_events(sc), player=player)
    render(summary, heading=sc.meta.name)
    json.dumps(rounded(summary.to_dict()), allow_nan=False)


def _check_quarter(state: GameState, out: list[Happening], limit: int, where: str) -> None:
    fired = sum(1 for h in out if isinstance(h, EventFired))
    if fired > limit:
        raise EventStorm("event storm", f"{where}: {fired} events fired (limit {limit})")
    for h in out:
        if not isinstance(h.text(), str):
            raise FuzzFailure("happening without text", repr(h))
    for lab in state.labs.values():
        _finite(lab, "lab", f"{lab.id}, {where}")
    _finite(state.world, "world", where)


def _finite(obj: Any, kind: str, where: str) -> None:
    """Every float finite and every integer within 64 bits, in every field of `obj`."""
    for f in dataclasses.fields(obj):
        for value in _numbers(getattr(obj, f.name)):
            if isinstance(value, float) and not math.isfinite(value):
                raise FuzzFailure(f"non-finite {kind}.{f.name}", f"{value} ({where})")
            if isinstance(value, int) and abs(value) >= INT_LIMIT:
                raise FuzzFailure(
                    f"huge integer {kind}.{f.name}", f"{len(str(abs(value)))} digits ({where})"
                )


def _numbers(value: Any) -> Iterator[int | float]:
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _numbers(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _numbers(getattr(value, f.name))


@contextmanager
def _fire_limit(limit: int) -> Iterator[list[int]]:
    """Count the events fired inside the block; raise EventStorm past `limit`.

    The count from the happenings comes only after a quarter ends, and a
    3^16 chain never ends in useful time; counting at `fire` stops it at the
    limit, deterministically. (A compiled engine binds `fire` early: then only
    the happenings count and the deadline remain.)
    """
    fired = [0]
    original = getattr(engine_events, "fire", None)
    if original is None:
        yield fired
        return

    def counted(*args: Any, **kwargs: Any) -> Any:
        fired[0] += 1
        if fired[0] > limit:
            raise EventStorm("event storm", f"more than {limit} events fired in one quarter")
        return original(*args, **kwargs)

    engine_events.fire = counted  # type: ignore[assignment]
    try:
        yield fired
    finally:
        engine_events.fire = original


@contextmanager
def _deadline(seconds: float, where: str) -> Iterator[None]:
    """Raise Overtime if the block runs longer than `seconds` (main thread, Unix only)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    start = time.perf_counter()

    def overtime(signum: int, frame: Any) -> None:
        raise Overtime("overtime", f"{where}: over {seconds:.1f} s")

    previous = signal.signal(signal.SIGALRM, overtime)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if time.perf_counter() - start > seconds:  # the alarm landed in C code that swallowed it
        raise Overtime("overtime", f"{where}: over {seconds:.1f} s")
