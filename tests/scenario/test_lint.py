"""Lint: each rule warns on a small scenario that has the problem and not on one without
it; warnings are placed, silenced and worded as the guide says; and lint agrees with
the engine (an event it calls dead never fires in play)."""

from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from game.engine.rules import COST_MILESTONES
from game.scenario.errors import WARNINGS, ScenarioError
from game.scenario.lint import LintWarning, lint_file
from game.scenario.lint.reach import GAME_FLAGS
from game.scenario.loader import shipped_ids

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"  # lints clean: every case below adds one thing to it
CHILD_HEAD = "extends: mini\nmeta: {id: child, name: Child}\n"  # lines 1-2 of every child
GUIDE = Path(__file__).resolve().parents[2] / "scenarios" / "GUIDE.md"

# A scenario with one side, one lab and nothing else, for `who` that names nobody.
SOLO = """\
meta: {id: solo, name: Solo}
start: 2025 Q1
turns: 8
factions:
  us:
    name: United States
    lab_id: frontier
    lab: {name: Frontier Lab, cash: 1000, gpus: {h100: 1000}, power_mw: {grid: 10}}
chips:
  h100: {name: H100, class: frontier, price: 25000, train_pflops: 1, serve_pflops: 1,
         kw: 1.4, supply: 1000, buyers: [us]}
power:
  grid: {name: Grid, capex_per_mw: 1, lead_quarters: 2, price_per_mwh: 60, co2_t_per_mwh: 0.4}
world: {demand: 1000}
victory: [{kind: frontier_at_end}]
"""


def child(folder: Path, body: str, name: str = "child.yaml") -> Path:
    """A scenario extending mini.yaml: its own lines start at line 3."""
    shutil.copy(MINI, folder / "mini.yaml")
    path = folder / name
    path.write_text(CHILD_HEAD + dedent(body), encoding="utf-8")
    return path


def warnings_of(path: Path) -> list[LintWarning]:
    return lint_file(path)[1]


def codes(path: Path) -> list[str]:
    return [w.code for w in warnings_of(path)]


def col_of(path: Path, line: int, needle: str) -> int:
    """1-based column of `needle` on a line of a file."""
    return path.read_text().splitlines()[line - 1].index(needle) + 1


# --- each rule: a scenario with the problem, and the same without it ---------------

# code -> (events and other parts that trigger it, the same put right)
CASES: dict[str, tuple[str, str]] = {
    "W102": (
        """\
        events:
          - {id: late, title: Late, earliest: 9}
        """,
        """\
        events:
          - {id: late, title: Late, earliest: 8}
        """,
    ),
    "W103": (
        """\
        events:
          - {id: smuggle, title: Smuggle, effects: [{lab_flag: smuggling}]}
          - {id: caught, title: Caught, when: "me.flags.smugling"}
        """,
        """\
        events:
          - {id: smuggle, title: Smuggle, effects: [{lab_flag: smuggling}]}
          - {id: caught, title: Caught, when: "me.flags.smuggling"}
        """,
    ),
    "W104": (
        """\
        events:
          - {id: after, title: After, when: "me.flags.offer_2"}
        """,
        """\
        events:
          - {id: after, title: After, when: "me.flags.offer_1"}
        """,
    ),
    "W105": (
        """\
        events:
          - {id: follow, title: Follow, chained: true}
        """,
        """\
        events:
          - {id: boom, title: Boom, then: [{event: follow, delay: 1}]}
          - {id: follow, title: Follow, chained: true}
        """,
    ),
    "W106": (
        """\
        events:
          - {id: tick, title: Tick, once: true, then: [{event: tock, delay: 1}]}
          - {id: tock, title: Tock, chained: true, then: [{event: tick, delay: 1}]}
        """,
        """\
        events:
          - {id: tick, title: Tick, then: [{event: tock, delay: 1}]}
          - {id: tock, title: Tock, chained: true, then: [{event: tick, delay: 1}]}
        """,
    ),
    "W107": (
        """\
        events:
          - {id: mark, title: Mark, who: world, effects: [{flag: marked}]}
        """,
        """\
        events:
          - {id: mark, title: Mark, who: world, effects: [{flag: marked}]}
          - {id: see, title: See, when: "flags.marked"}
        """,
    ),
    "W108": (
        """\
        events:
          - id: pick
            title: Pick
            choices:
              - {label: Left, effects: [{add: {me.cash: 10}}]}
              - {label: Right, effects: [{add: {me.cash: 10}}]}
        """,
        """\
        events:
          - id: pick
            title: Pick
            choices:
              - {label: Left, effects: [{add: {me.cash: 10}}]}
              - {label: Right, effects: [{add: {me.cash: 20}}]}
        """,
    ),
    "W109": (
        """\
        chips:
          h800: {name: H800, class: compliant, price: 30000, train_pflops: 1,
                 serve_pflops: 1, kw: 1.4, supply: 0, buyers: [us]}
        """,
        """\
        chips:
          h800: {name: H800, class: compliant, price: 30000, train_pflops: 1,
                 serve_pflops: 1, kw: 1.4, supply: 0, buyers: [us]}
        events:
          - {id: build, title: Build, who: world, effects: [{supply: {chip: h800, add: 50}}]}
        """,
    ),
    "W110": (
        """\
        victory:
          - kind: frontier_at_end
          - kind: score
        """,
        """\
        victory:
          - kind: score
        """,
    ),
    "W111": (
        """\
        events:
          - {id: boom, title: Boom, who: all, effects: [{demand: {multiply: 1.1}}]}
        """,
        """\
        events:
          - {id: boom, title: Boom, who: world, effects: [{demand: {multiply: 1.1}}]}
        """,
    ),
    "W112": (
        """\
        events:
          - {id: boom, title: Boom, then: [{event: echo}]}
          - {id: echo, title: Echo, chained: true, earliest: 3}
        """,
        """\
        events:
          - {id: boom, title: Boom, then: [{event: echo}]}
          - {id: echo, title: Echo, chained: true, when: "turn >= 3"}
        """,
    ),
    "W113": (
        """\
        events:
          - {id: mark, title: Mark, who: world, effects: [{lab_flag: marked}]}
          - {id: see, title: See, when: "flags.marked"}
        """,
        """\
        events:
          - {id: mark, title: Mark, who: world, effects: [{flag: marked}]}
          - {id: see, title: See, when: "flags.marked"}
        """,
    ),
}


def test_mini_lints_clean() -> None:
    assert warnings_of(MINI) == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_warns(tmp_path: Path, code: str) -> None:
    bad = child(tmp_path, CASES[code][0])
    assert code in codes(bad), warnings_of(bad)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_is_quiet_when_put_right(tmp_path: Path, code: str) -> None:
    good = child(tmp_path, CASES[code][1])
    assert warnings_of(good) == []


def test_who_that_names_no_lab(tmp_path: Path) -> None:
    events = (
        "events:\n  - {id: east, title: East, who: china}\n  - {id: bots, title: Bots, who: ai}\n"
    )
    bad = tmp_path / "solo.yaml"
    bad.write_text(SOLO + events, encoding="utf-8")
    found = warnings_of(bad)
    assert [w.code for w in found] == ["W101", "W101"]
    assert "it has no china lab" in found[0].message
    assert "its only lab is the player's" in found[1].message
    good = tmp_path / "good.yaml"
    good.write_text(SOLO + events.replace("who: china", "who: us").replace("who: ai", "who: all"))
    assert warnings_of(good) == []


def test_every_code_has_a_case() -> None:
    assert {*CASES, "W101"} == set(WARNINGS)


# --- W102's other settings ----------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "needle"),
    [
        ("{id: x, title: X, chance: 0}", "chance is 0"),
        ("{id: x, title: X, when: false}", "when is always false"),
        ("{id: x, title: X, when: 'turn > 2 and false'}", "when is always false"),
        ("{id: x, title: X, earliest: 5, latest: 3}", "is after its latest"),
        ("{id: x, title: X, latest: '2024 Q4'}", "before the scenario's first turn"),
    ],
)
def test_own_settings_that_stop_an_event(tmp_path: Path, event: str, needle: str) -> None:
    found = warnings_of(child(tmp_path, f"events:\n  - {event}\n"))
    assert [w.code for w in found] == ["W102"]
    assert needle in found[0].message


def test_an_event_outside_its_window_that_a_then_brings(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - {id: boom, title: Boom, then: [{event: late}]}
          - {id: late, title: Late, earliest: 20}
        """,
    )
    (found,) = warnings_of(path)
    assert found.code == "W102"
    assert "comes only through the then of 'boom'" in found.message
    assert "chained: true" in found.message


# --- flags: scopes, holders, dead setters, positions --------------------------------


def test_a_misspelt_flag_is_placed_at_its_column_with_a_suggestion(tmp_path: Path) -> None:
    path = child(tmp_path, CASES["W103"][0])
    (found,) = [w for w in warnings_of(path) if w.code == "W103"]
    assert (found.path.endswith("child.yaml"), found.line) == (True, 5)
    assert found.col == col_of(path, 5, "me.flags.smugling")
    assert "(did you mean 'me.flags.smuggling'?)" in found.message
    assert "so this event never fires" in found.message


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        # the world's flag read as a lab's, and a lab's as the world's
        (
            "  - {id: mark, title: Mark, who: world, effects: [{flag: marked}]}\n"
            "  - {id: see, title: See, when: 'me.flags.marked'}\n",
            "it is a world flag, not a lab's (read it as 'flags.marked')",
        ),
        (
            "  - {id: see, title: See, who: world, when: 'flags.offer'}\n",
            "it is a lab's flag, not the world's (read it as 'me.flags.offer')",
        ),
        # set on the US labs only, read of China's
        (
            "  - {id: pact, title: Pact, who: us}\n"
            "  - {id: see, title: See, who: china, when: 'me.flags.pact'}\n",
            "only 'frontier' and 'hive' get it",
        ),
        # set only by an event that never fires
        (
            "  - {id: mark, title: Mark, chance: 0, effects: [{lab_flag: marked}]}\n"
            "  - {id: see, title: See, when: 'me.flags.marked'}\n",
            "only 'mark' sets it, and never fires",
        ),
    ],
)
def test_why_a_flag_is_never_set(tmp_path: Path, body: str, needle: str) -> None:
    found = [w for w in warnings_of(child(tmp_path, "events:\n" + body)) if w.code == "W103"]
    assert len(found) == 1, found
    assert needle in found[0].message


def test_a_flag_read_beside_others_is_only_always_false(tmp_path: Path) -> None:
    (found,) = warnings_of(
        child(tmp_path, "events:\n  - {id: x, title: X, when: 'flags.nope or turn > 2'}\n")
    )
    assert found.code == "W103"
    assert found.message.endswith("so it is always false there")


@pytest.mark.parametrize(
    ("when", "needle"),
    [
        ("me.flags.offer_2", "choice 2 of 'offer', which has 1 choice (offer_1)"),
        ("me.flags.boom_1", "choice 1 of 'boom', which has no choices"),
        ("flags.bust_1", "a choice of 'bust', a world event, whose choices set no flags"),
    ],
)
def test_choice_flags_that_do_not_exist(tmp_path: Path, when: str, needle: str) -> None:
    (found,) = warnings_of(child(tmp_path, f"events:\n  - {{id: x, title: X, when: '{when}'}}\n"))
    assert found.code == "W104"
    assert needle in found.message


def test_the_games_own_flags_are_set() -> None:
    assert set(GAME_FLAGS) == {"first_frontier", *(flag for _, flag, _ in COST_MILESTONES)}


def test_flags_read_of_other_labs_and_in_effect_values(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - {id: pact, title: Pact, who: us, effects: [{lab_flag: sworn}]}
          - id: see
            title: See
            who: world
            when: "rival.hive.flags.sworn and us.flags.pact_1 < 2"
            effects: [{add: {world.demand: "10 * rival.hive.flags.swrn"}}]
        """,
    )
    found = warnings_of(path)
    assert [w.code for w in found] == ["W104", "W103"]
    assert "choice 1 of 'pact', which has no choices" in found[0].message
    assert found[1].line == 9 and found[1].col == col_of(path, 9, "rival.hive.flags.swrn")
    assert found[1].message.endswith("so it is always false there")


def test_a_lab_flag_read_anywhere_is_read(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - {id: pact, title: Pact, who: us, effects: [{lab_flag: sworn}]}
          - {id: see, title: See, who: world, when: "rival.hive.flags.sworn"}
        """,
    )
    assert warnings_of(path) == []


# --- chains -------------------------------------------------------------------------


def test_a_chain_that_comes_due_after_the_last_turn(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - {id: start, title: Start, earliest: 6, then: [{event: end, delay: 3}]}
          - {id: end, title: End, chained: true}
        """,
    )
    (found,) = warnings_of(path)
    assert found.code == "W105"
    assert "at turn 9: after the scenario's last turn (8)" in found.message


def test_a_chain_only_from_dead_events(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - {id: start, title: Start, chance: 0, then: [{event: end}]}
          - {id: end, title: End, chained: true}
        """,
    )
    assert [(w.code, w.message.split(": ", 1)[1]) for w in warnings_of(path)] == [
        ("W102", "chance is 0, so it never fires"),
        ("W105", "only 'start' leads to it, and never fires, so it never fires"),
    ]


def test_choices_told_apart_by_a_flag_are_not_the_same(tmp_path: Path) -> None:
    body = CASES["W108"][0] + "  - {id: later, title: Later, when: 'me.flags.pick_2'}\n"
    assert warnings_of(child(tmp_path, body)) == []


SIDES = """\
events:
  - id: pact
    title: Pact
    who: world
    choices_for:
      us:
        - {label: Sign, effects: [{add: {me.cash: 10}}]}
        - {label: Refuse, effects: [{add: {me.cash: %s}}]}
      china:
        - {label: Sign, effects: [{add: {me.cash: 10}}]}
        - {label: Stall, effects: [{add: {me.cash: 20}}]}
"""


def test_one_sides_choices_with_the_same_effects(tmp_path: Path) -> None:
    path = child(tmp_path, SIDES % 10)
    [warning] = warnings_of(path)
    assert (warning.code, warning.line) == ("W108", 10)
    assert warning.col == col_of(path, 10, "Refuse")
    assert warning.message == (
        "event 'pact': choices_for us: choices 1 ('Sign') and 2 ('Refuse') have the same "
        "effects and then, so the choice changes nothing"
    )


def test_sides_choices_that_differ_within_each_side_are_quiet(tmp_path: Path) -> None:
    # Each side's Sign does the same as the other's: a different side, not the same choice.
    assert warnings_of(child(tmp_path, SIDES % 20)) == []


# --- victory ------------------------------------------------------------------------


def test_a_condition_on_a_flag_an_event_sets_may_decide(tmp_path: Path) -> None:
    body = """\
    events:
      - {id: crown, title: Crown, who: us, effects: [{lab_flag: crowned}]}
    victory:
      - {kind: condition, when: "me.capability > 50 and me.flags.crowned", text: wins}
      - {kind: frontier_at_end}
    """
    assert codes(child(tmp_path, body)) == []  # nor W107: the condition reads the flag


@pytest.mark.parametrize(
    ("victory", "needle"),
    [
        (
            "[{kind: turning_point, threshold: 70}, {kind: turning_point, threshold: 70}]",
            "victory 1, before it, has a threshold of 70 and is always reached first",
        ),
        (
            "[{kind: turning_point, threshold: 500}, {kind: frontier_at_end}]",
            "no lab can reach it in 8 turns",
        ),
        (
            "[{kind: condition, when: 'not true', text: wins}, {kind: frontier_at_end}]",
            "victory 1 (condition) never decides a game: its when is always false",
        ),
        (
            "[{kind: condition, when: 'me.capability > 50 and me.flags.crowned', text: wins}, "
            "{kind: frontier_at_end}]",
            "its when is always false (no event that can fire sets me.flags.crowned)",
        ),
    ],
)
def test_turning_points_that_never_end_a_game(tmp_path: Path, victory: str, needle: str) -> None:
    found = [w for w in warnings_of(child(tmp_path, f"victory: {victory}\n")) if w.code == "W110"]
    assert len(found) == 1 and needle in found[0].message


def test_a_turning_point_a_lab_starts_at(tmp_path: Path) -> None:
    body = (
        "rivals: {hive: {capability: 70}}\n"
        "victory: [{kind: turning_point, threshold: 60}, {kind: frontier_at_end}]\n"
    )
    (found,) = warnings_of(child(tmp_path, body))
    assert found.code == "W110"
    assert (
        "'hive' starts at capability 70, so every game ends after the first quarter"
        in found.message
    )


def test_a_reachable_turning_point_and_one_an_expression_may_reach(tmp_path: Path) -> None:
    reachable = "victory: [{kind: turning_point, threshold: 60}, {kind: frontier_at_end}]\n"
    assert warnings_of(child(tmp_path, reachable)) == []
    boosted = (
        "victory: [{kind: turning_point, threshold: 900}]\n"
        "events: [{id: leap, title: Leap,"
        " effects: [{multiply: {me.efficiency: 'me.efficiency'}}]}]\n"
    )
    assert warnings_of(child(tmp_path, boosted)) == []


# --- W111: what adds up and what does not -------------------------------------------


def test_world_effects_that_are_the_same_done_twice_are_quiet(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - id: wave
            title: Wave
            who: all
            effects:
              - flag: waved
              - export: {chip: h100, faction: china, allow: true}
              - set: {world.diffusion: 0.1}
              - supply: {chip: h20, multiply: 0}
              - add: {me.cash: 5}
          - {id: see, title: See, who: world, when: "flags.waved"}
        """,
    )
    assert warnings_of(path) == []


@pytest.mark.parametrize("who", ["hive", "player"])
def test_a_per_lab_event_for_one_lab_is_quiet(tmp_path: Path, who: str) -> None:
    body = (
        f"events:\n  - {{id: x, title: X, who: {who}, effects: [{{add: {{world.demand: 5}}}}]}}\n"
    )
    assert warnings_of(child(tmp_path, body)) == []


def test_world_effects_in_choices_and_on_other_labs(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - id: deal
            title: Deal
            who: us
            choices:
              - {label: 'Yes', effects: [{add: {china.cash: -5}}, {price: {chip: h100, add: 100}}]}
              - {label: 'No', effects: [{power_lead: {source: grid, faction: us, add: 1}}]}
        """,
    )
    found = warnings_of(path)
    assert [w.code for w in found] == ["W111", "W111", "W111"]
    assert "'china.cash' (another lab's)" in found[0].message
    assert "who: us, up to 2 labs a quarter" in found[0].message


# --- silencing ----------------------------------------------------------------------


def test_an_events_lint_silences_its_own_warnings_only(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - {id: a, title: A, who: world, effects: [{flag: fa}], lint: {ignore: [W107]}}
          - {id: b, title: B, who: world, effects: [{flag: fb}], lint: {ignore: [W111]}}
        """,
    )
    (found,) = warnings_of(path)
    assert (found.code, found.line) == ("W107", 5)


def test_a_files_lint_silences_a_code_everywhere_in_its_scenario(tmp_path: Path) -> None:
    parent = child(tmp_path, CASES["W107"][0], name="parent.yaml")
    parent.write_text(parent.read_text().replace("id: child", "id: parent"))
    path = tmp_path / "grandchild.yaml"
    path.write_text(
        "extends: parent.yaml\nmeta: {id: gc, name: GC}\nlint: {ignore: [W107]}\n"
        "events: [{id: more, title: More, who: world, effects: [{flag: other}]}]\n"
    )
    assert warnings_of(path) == []
    path.write_text(path.read_text().replace("lint: {ignore: [W107]}\n", ""))
    assert [(Path(w.path).name, w.code) for w in warnings_of(path)] == [
        ("grandchild.yaml", "W107"),
        ("parent.yaml", "W107"),
    ]


def test_a_parents_lint_silences_only_the_parents_lines(tmp_path: Path) -> None:
    parent = child(tmp_path, "lint: {ignore: [W107]}\n" + dedent(CASES["W107"][0]), "parent.yaml")
    parent.write_text(parent.read_text().replace("id: child", "id: parent"))
    assert warnings_of(parent) == []
    path = tmp_path / "grandchild.yaml"
    path.write_text(
        "extends: parent.yaml\nmeta: {id: gc, name: GC}\nlint: {ignore: [W108]}\n"
        "events: [{id: more, title: More, who: world, effects: [{flag: other}]}]\n"
    )
    (found,) = warnings_of(path)
    assert (Path(found.path).name, found.line, found.code) == ("grandchild.yaml", 4, "W107")


def test_an_unknown_code_is_a_validation_error(tmp_path: Path) -> None:
    path = child(tmp_path, "lint: {ignore: [W999]}\n")
    with pytest.raises(ScenarioError) as info:
        lint_file(path)
    (problem,) = info.value.problems
    assert (problem.code, problem.line) == ("E103", 3)
    assert "'W101'" in problem.message


# --- the shipped scenarios and the guide --------------------------------------------


@pytest.mark.parametrize("scenario", sorted(shipped_ids()))
def test_shipped_scenarios_lint_clean(scenario: str) -> None:
    assert warnings_of(shipped_ids()[scenario]) == []


@pytest.mark.parametrize("code", sorted(WARNINGS))
def test_every_warning_code_is_documented(code: str) -> None:
    assert f"### {code}: " in GUIDE.read_text(encoding="utf-8")
