"""Load a scenario: find it, read it with what it extends, validate it, check it.

The scenario package's entry point: `load_scenario` (by path or shipped id),
`load_located` (with the positions of its parts, for lint),
`scenario_from_data` (a scenario a save embeds), `list_scenarios` (the
shipped ones, for menus), and from find.py `find_scenario` and
`shipped_ids`. Each stage is a module of its own: find.py, extends.py,
wording.py (validation against the models) and checks.py; this one runs them
in order and gathers their problems.

Every stage reports all the problems it finds, each at a file, line and
column with a stable code (see `errors.CODES`), and `load_scenario` raises
them together as one ScenarioError. Nothing else escapes: a traceback while
loading a scenario is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.scenario.checks import check
from game.scenario.errors import Problem, ScenarioError
from game.scenario.extends import resolve
from game.scenario.find import find_scenario, shipped_ids
from game.scenario.models import FACTIONS, Scenario
from game.scenario.wording import validate
from game.scenario.yamlpos import LMap, Pos, as_located

__all__ = [
    "ScenarioInfo",
    "find_scenario",
    "list_scenarios",
    "load_located",
    "load_scenario",
    "scenario_from_data",
    "shipped_ids",
]


@dataclass(frozen=True)
class ScenarioInfo:
    """What a menu shows about one shipped scenario."""

    id: str
    name: str
    turns: int
    description: str
    path: Path
    playable: tuple[str, ...]  # factions a human may play


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load, merge, validate and check a scenario; raise ScenarioError with every problem."""
    path = name_or_path if isinstance(name_or_path, Path) else find_scenario(name_or_path)
    return load_located(path)[0]


def load_located(path: Path) -> tuple[Scenario, Any, Pos]:
    """Like `load_scenario`, also giving the merged tree with the positions of its
    parts and the file's own start, for checks that point at lines (lint)."""
    problems: list[Problem] = []
    resolved = resolve(path, (), problems)
    if resolved is None:
        raise ScenarioError(_sorted(problems))
    tree, root, extending = resolved
    scenario = validate(tree, root, extending, problems)
    problems += check(tree, root, scenario, problems)
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
    scenario = validate(tree, root, False, problems)
    problems += check(tree, root, scenario, problems)
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
    # A relative number with nothing to change (E132) is not also a value of the wrong type.
    relative = {(p.path, p.line, p.col) for p in problems if p.code == "E132"}
    unique = [
        p
        for p in dict.fromkeys(problems)
        if not (p.code == "E102" and (p.path, p.line, p.col) in relative)
    ]
    return sorted(unique, key=lambda p: (p.path, p.line, p.col))
