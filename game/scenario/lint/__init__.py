"""`airace scenario lint`: what a valid scenario says but cannot mean.

Validation refuses what cannot be played; lint warns about what plays but
not as written: events that never fire, flags nobody sets or reads, choices
that change nothing, chips nobody may buy, victory conditions that never
decide, effects that apply more often than they seem to. Each warning has a
stable code (`errors.WARNINGS`) and a file, line and column, from the file
that wrote the part (a parent's, for what is inherited).

The rules read the scenario the way the engine plays it (events.py,
flags.py, world.py and victory.py; reach.py works out which events can fire
at all). A warning is silenced by `lint: {ignore: [W107]}` on its event, or
at the top of a file: the linted file's list covers the whole scenario, a
parent's list only the parent's own lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.scenario.errors import WarningCode
from game.scenario.lint import events, flags, victory, world
from game.scenario.lint.facts import Facts
from game.scenario.lint.finding import Finding
from game.scenario.lint.reach import reach
from game.scenario.loader import load_located
from game.scenario.models import Scenario
from game.scenario.yamlpos import LList, LMap, Pos, walk

__all__ = ["LintWarning", "lint", "lint_file"]


@dataclass(frozen=True, slots=True)
class LintWarning:
    """One warning about a scenario file; line and col are 1-based."""

    path: str
    line: int
    col: int
    code: WarningCode
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: warning {self.code}: {self.message}"


def lint_file(path: Path) -> tuple[Scenario, list[LintWarning]]:
    """Load a scenario file and lint it; raise ScenarioError if it does not validate."""
    scenario, tree, root = load_located(path)
    return scenario, lint(scenario, tree, root)


def lint(scenario: Scenario, tree: Any, root: Pos) -> list[LintWarning]:
    """Every warning about a validated scenario that is not silenced, in file order."""
    facts = Facts(scenario)
    reached = reach(facts)
    findings: list[Finding] = [
        *events.check(facts, reached),
        *flags.check(facts, reached),
        *world.check(facts, reached),
        *victory.check(facts, reached),
    ]
    ignored = _file_ignores(tree)
    out: list[LintWarning] = []
    for f in findings:
        if f.event is not None and f.code in scenario.events[f.event].lint.ignore:
            continue
        pos, _ = walk(tree, f.loc, at_key=f.at_key, root=root)
        if f.offset is not None:
            pos = pos.at(f.offset)
        if any(code == f.code and where in (root.path, pos.path) for code, where in ignored):
            continue
        out.append(LintWarning(pos.path, pos.line, pos.col, f.code, f.message))
    return sorted(dict.fromkeys(out), key=lambda w: (w.path, w.line, w.col, w.code))


def _file_ignores(tree: Any) -> list[tuple[str, str]]:
    """The top-level `lint.ignore` codes, each with the file that wrote it."""
    settings = tree.get("lint") if isinstance(tree, LMap) else None
    codes = settings.get("ignore") if isinstance(settings, LMap) else None
    if not isinstance(codes, LList):
        return []
    return [
        (c, pos.path) for c, pos in zip(codes, codes.item_pos, strict=True) if isinstance(c, str)
    ]
