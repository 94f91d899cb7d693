"""Lint agrees with the engine: whatever lint calls impossible never happens in play.

Random event graphs on mini.yaml (who, windows, chances, chains with delays,
flags set and read in every scope, choice flags) and the shipped scenarios
are played with computers in every seat. Every event that fires must be one
lint says can fire, no earlier than the turn it says; every flag a lab or the
world holds must be one lint says can be set; no lab may pass lint's
capability ceiling. And the fuzzer's mutations of the shipped scenarios
(tests/scenario/fuzzing.py) are linted without a crash, every warning placed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from game.engine.game import Game
from game.engine.happenings import EventFired
from game.engine.rulebook import Rulebook
from game.scenario.errors import ScenarioError
from game.scenario.lint import lint_file
from game.scenario.lint.facts import WORLD, Facts
from game.scenario.lint.reach import Reach, reach
from game.scenario.lint.victory import capability_ceiling
from game.scenario.loader import load_scenario, shipped_ids
from game.scenario.models import Scenario
from tests.scenario.fuzzing import Case, cases

MINI = Path(__file__).parent / "data" / "mini.yaml"
WHO = ["player", "ai", "all", "world", "us", "china", "frontier", "dragon", "hive"]
FLAGS = ["a", "b", "e0", "e1", "e2", "e0_1", "e1_2", "e2_1", "first_frontier"]


def play(sc: Scenario, seeds: tuple[int, ...]) -> tuple[Reach, float | None]:
    """Play one game per side and seed; check every event and flag against lint's reach."""
    facts = Facts(sc)
    known = reach(facts)
    ceiling = capability_ceiling(facts, known)
    book = Rulebook(sc)
    for faction in sc.factions:
        for seed in seeds:
            game = Game(book, faction, seed, player_policy="balanced")
            game.keep_history = False
            out = list(game.opening)
            while not game.over:
                out += game.play_ai_choices()
                out += game.end_turn()
            for h in out:
                if isinstance(h, EventFired):
                    assert h.event in known.first, f"{h.event} fired at turn {h.turn}"
                    assert h.turn >= known.first[h.event], (h.event, h.turn)
            for lab in game.state.labs.values():
                for flag in lab.flags:
                    assert (lab.id, flag) in known.setters, (lab.id, flag)
                if ceiling is not None:
                    assert lab.capability <= ceiling
            for flag in game.state.world.flags:
                assert (WORLD, flag) in known.setters, flag
    return known, ceiling


@st.composite
def event_graphs(draw: Any) -> list[dict[str, Any]]:
    """A few events wired together every way the format allows."""
    n = draw(st.integers(2, 6))
    ids = [f"e{k}" for k in range(n)]
    events = []
    for eid in ids:
        who = draw(st.sampled_from(WHO))
        scopes = ["flags", "us.flags", "rival.hive.flags"] + (
            [] if who == "world" else ["me.flags"]
        )
        flag = f"{draw(st.sampled_from(scopes))}.{draw(st.sampled_from(FLAGS))}"
        when = draw(
            st.sampled_from(
                ["true", flag, f"not {flag}", f"{flag} or turn > 6", f"turn > 2 and {flag}"]
            )
        )
        event: dict[str, Any] = {"id": eid, "title": eid, "who": who, "when": when}
        if draw(st.integers(0, 2)) == 0:
            event["chained"] = True
        for key in ("earliest", "latest"):
            if draw(st.integers(0, 3)) == 0:
                event[key] = draw(st.integers(-1, 10))
        event["chance"] = draw(st.sampled_from([1, 1, 1, 0.5, 0.5, 1, 1, 0]))
        event["once"] = draw(st.booleans())

        def effects() -> list[dict[str, str]]:
            kind = draw(st.sampled_from(["flag", "lab_flag", "clear_flag", "clear_lab_flag"]))
            return [{kind: draw(st.sampled_from(FLAGS))}] if draw(st.booleans()) else []

        def thens() -> list[dict[str, Any]]:
            targets = draw(st.lists(st.sampled_from(ids), max_size=2))
            return [
                {"event": t, "delay": draw(st.sampled_from([1, 1, 2, 2, 3, 1, 2, 3, 0]))}
                for t in targets
            ]

        event["effects"] = effects()
        event["then"] = thens()
        event["choices"] = [
            {"label": f"c{k}", "effects": effects(), "then": thens()}
            for k in range(draw(st.integers(0, 2)))
        ]
        events.append(event)
    return events


@settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(events=event_graphs())
def test_random_event_graphs(tmp_path_factory: pytest.TempPathFactory, events: list[Any]) -> None:
    folder = tmp_path_factory.mktemp("graphs")
    shutil.copy(MINI, folder / "mini.yaml")
    text = yaml.safe_dump({"extends": "mini", "meta": {"id": "g", "name": "G"}, "events": events})
    note(text)
    path = folder / "g.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        sc = load_scenario(path)
    except ScenarioError:
        return  # a loop without delay or a hand-over that can never be: refused, not linted
    play(sc, seeds=(0, 1))


@pytest.mark.parametrize("scenario", sorted(shipped_ids()))
def test_shipped_scenarios(scenario: str) -> None:
    known, ceiling = play(load_scenario(shipped_ids()[scenario]), seeds=(3,))
    assert ceiling is not None  # every shipped turning point is checked against one


@settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=cases())
def test_mutated_scenarios_lint_without_a_crash(
    tmp_path_factory: pytest.TempPathFactory, case: Case
) -> None:
    note(case.describe())
    path = tmp_path_factory.mktemp("fuzz") / "case.yaml"
    path.write_text(case.text(), encoding="utf-8")
    try:
        _, found = lint_file(path)
    except ScenarioError:
        return
    for warning in found:
        assert warning.path and warning.line >= 1 and warning.col >= 1, warning
        assert warning.message and "\n" not in warning.message, warning
