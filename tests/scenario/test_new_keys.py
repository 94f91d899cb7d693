"""Issue 11, item 5: the new keys' validation, each problem at its line and column."""

from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from game.scenario.errors import Problem, ScenarioError
from game.scenario.loader import load_scenario

MINI = Path(__file__).parent / "data" / "mini.yaml"
HEAD = "extends: mini\nmeta: {id: child, name: Child}\n"  # lines 1-2


def child(folder: Path, body: str) -> Path:
    shutil.copy(MINI, folder / "mini.yaml")
    path = folder / "child.yaml"
    path.write_text(HEAD + dedent(body), encoding="utf-8")
    return path


def problems(path: Path) -> list[tuple[int, int, str, str]]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    found: list[Problem] = info.value.problems
    return [(p.line, p.col, p.code, p.message) for p in found]


def loads(path: Path) -> None:
    load_scenario(path)


# -- timed effects --------------------------------------------------------------------


def test_for_quarters_loads_with_add_set_and_multiply(tmp_path: Path) -> None:
    loads(
        child(
            tmp_path,
            """\
            events:
              - id: boost
                title: Boost
                effects:
                  - {add: {me.cash: 5}, for_quarters: 4}
                  - {multiply: {world.demand: 1.1}, for_quarters: 1}
                  - {set: {me.train_share: 0.9}, for_quarters: 40}
            """,
        )
    )


def test_for_quarters_only_with_a_change_to_a_figure_and_in_range(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - id: boost
            title: Boost
            effects:
              - {flag: boom, for_quarters: 4}
              - {add: {me.cash: 5}, for_quarters: 0}
        """,
    )
    found = problems(path)
    assert [(line, code) for line, _, code, _ in found] == [(7, "E103"), (8, "E103")]
    assert "for_quarters goes with add, set or multiply, not with flag" in found[0][3]
    assert "for_quarters: must be at least 1" in found[1][3]


# -- at: random ---------------------------------------------------------------------------


def test_at_random_needs_a_window_and_no_chain(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - {id: a, title: A, at: random, earliest: 2}
          - {id: b, title: B, at: random, earliest: 2, latest: 5, chained: true}
          - {id: c, title: C, at: sometime, earliest: 2, latest: 5}
        """,
    )
    found = problems(path)
    assert found[:2] == [
        (
            4,
            27,
            "E116",
            "events[id=a].at: 'random' needs both earliest and latest, the window the quarter "
            "is drawn from (no latest)",
        ),
        (
            5,
            27,
            "E116",
            "events[id=b].at: 'random' cannot go on a chained event, which comes only "
            "through a then",
        ),
    ]
    assert found[2][2] == "E103" and found[2][0] == 6


# -- chance as an expression ----------------------------------------------------------------


def test_a_chance_expression_is_checked_like_any_other(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - {id: a, title: A, chance: "0.1 * me.cahs"}
          - {id: b, title: B, chance: 1.5}
          - {id: c, title: C, who: world, chance: "me.concern / 100"}
        """,
    )
    found = problems(path)
    assert [(line, col, code) for line, col, code, _ in found] == [
        (4, 41, "E120"),
        (5, 31, "E103"),
        (6, 44, "E120"),
    ]
    assert "did you mean 'me.cash'" in found[0][3]
    assert found[1][3] == "events[id=b].chance: must be at most 1"


# -- since ----------------------------------------------------------------------------------


def test_since_takes_one_flag(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - {id: a, title: A, when: "since(me.cash) > 1"}
          - {id: b, title: B, when: "since(flags.x, flags.y) > 1"}
          - {id: c, title: C, when: "since(me.flgs.x) > 1"}
          - {id: d, title: D, when: "since(flags.x) > 2 and since(us.flags.y) < 9"}
        """,
    )
    assert [(line, col, code) for line, col, code, _ in problems(path)] == [
        (4, 36, "E122"),
        (5, 30, "E123"),
        (6, 39, "E120"),
    ]


# -- choices_for ----------------------------------------------------------------------------


def test_choices_for_goes_on_a_world_event_alone(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        events:
          - id: a
            title: A
            choices_for: {us: [{label: Sign}]}
          - id: b
            title: B
            who: world
            choices: [{label: One}]
            choices_for: {china: [{label: Two, effects: [{add: {me.cahs: 1}}]}]}
          - id: c
            title: C
            who: world
            choices_for: {usa: [{label: Sign}]}
        """,
    )
    found = problems(path)
    assert [(line, col, code) for line, col, code, _ in found] == [
        (6, 5, "E116"),
        (11, 5, "E116"),
        (11, 60, "E120"),
        (15, 19, "E103"),
    ]


def test_choices_for_loads_and_its_thens_are_followed(tmp_path: Path) -> None:
    loads(
        child(
            tmp_path,
            """\
            events:
              - id: summit
                title: Summit
                who: world
                choices_for:
                  us: [{label: Sign, then: [{event: signed}]}]
                  china: [{label: Build}]
              - {id: signed, title: Signed, who: us, chained: true}
            """,
        )
    )


# -- a victory condition ---------------------------------------------------------------------


def test_a_victory_condition_is_an_expression_about_a_lab(tmp_path: Path) -> None:
    path = child(
        tmp_path,
        """\
        victory:
          - {kind: condition, when: "me.capabilty >= 100"}
          - {kind: condition, text: no when}
        """,
    )
    found = problems(path)
    assert [(line, code) for line, _, code, _ in found] == [(4, "E120"), (5, "E101")]
    assert "did you mean 'me.capability'" in found[0][3]


def test_lint_warns_of_a_condition_that_never_holds(tmp_path: Path) -> None:
    from game.scenario.lint import lint_file

    path = child(
        tmp_path,
        """\
        victory:
          - {kind: condition, when: "false"}
          - {kind: frontier_at_end}
        """,
    )
    codes = [w.code for w in lint_file(path)[1]]
    assert codes.count("W110") == 1
