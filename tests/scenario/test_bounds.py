"""Validation is the contract: numbers out of range, NaN and infinities, and event
chains that could not end are refused at file:line:col, before any game."""

from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from game.scenario.errors import Problem, ScenarioError
from game.scenario.loader import load_scenario

MINI = Path(__file__).parent / "data" / "mini.yaml"
HEAD = "extends: mini\nmeta: {id: child, name: Child}\n"  # lines 1-2


def problems(folder: Path, body: str) -> list[Problem]:
    shutil.copy(MINI, folder / "mini.yaml")
    path = folder / "child.yaml"
    path.write_text(HEAD + dedent(body), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def one(folder: Path, body: str) -> tuple[int, int, str, str]:
    found = problems(folder, body)
    assert len(found) == 1, "\n".join(map(str, found))
    p = found[0]
    assert Path(p.path).name == "child.yaml"
    return p.line, p.col, p.code, p.message


# Each case from the issue that validated and then crashed a game.
OUT_OF_RANGE = [
    (
        "factions:\n  us:\n    lab:\n      efficiency: 1.0e+308\n",
        (6, 19, "E103", "factions.us.lab.efficiency: must be at most 1e+06"),
    ),
    (
        "chips:\n  h100:\n    kw: 1e306\n",
        (5, 9, "E103", "chips.h100.kw: must be at most 1000"),
    ),
    (
        "chips:\n  h100:\n    supply: " + "9" * 400 + "\n",
        (5, 13, "E103", "chips.h100.supply: must be at most 100000000"),
    ),
    (
        "factions:\n  us:\n    lab:\n      gpus: {h100: 100000001}\n",
        (6, 20, "E103", "factions.us.lab.gpus.h100: must be at most 100000000"),
    ),
    (
        "rules:\n  market:\n    tokens_per_pflop_hour: 1e306\n",
        (5, 28, "E103", "rules.market.tokens_per_pflop_hour: must be at most 1e+12"),
    ),
    (
        "factions:\n  us:\n    lab:\n      capability: 1.797e308\n",
        (6, 19, "E103", "factions.us.lab.capability: must be at most 1000"),
    ),
    (
        "factions:\n  us:\n    lab:\n      cash: .inf\n",
        (6, 13, "E103", "factions.us.lab.cash: must be a finite number, got inf"),
    ),
    (
        "world:\n  home_market: {us: 0.7, china: 0.6}\n",
        (
            4,
            16,
            "E103",
            "world.home_market: the home markets together are more than the whole world (over 1)",
        ),
    ),
]


@pytest.mark.parametrize(("body", "expected"), OUT_OF_RANGE, ids=[b[:30] for b, _ in OUT_OF_RANGE])
def test_numbers_out_of_range_are_refused_where_they_are_written(
    tmp_path: Path, body: str, expected: tuple[int, int, str, str | None]
) -> None:
    line, col, code, message = one(tmp_path, body)
    assert (line, col, code) == expected[:3]
    if expected[3] is not None:
        assert message == expected[3]


def event(effect: str) -> str:
    return f"events:\n  - id: boom\n    title: Boom\n    effects:\n      - {effect}\n"


@pytest.mark.parametrize(
    ("effect", "col", "message"),
    [
        ("add: {me.cash: .nan}", 24, "must be a finite number, got nan"),
        ("add: {me.cash: .inf}", 24, "must be a finite number, got inf"),
        ("add: {me.cash: 1.0e+13}", 24, "must be at most 1e+12"),
        ('add: {me.cash: "1e999"}', 25, "numbers in expressions are at most 1e+100"),
        ('add: {me.cash: "me.cash * 0 + 1e999"}', 39, "numbers in expressions are at most 1e+100"),
        ('set: {me.cash: "-' + "9" * 400 + '"}', 26, "numbers in expressions are at most 1e+100"),
    ],
)
def test_nan_infinity_and_huge_numbers_in_effects_are_refused(
    tmp_path: Path, effect: str, col: int, message: str
) -> None:
    line, at, code, text = one(tmp_path, event(effect))
    assert (line, at) == (7, col)
    assert code in ("E103", "E122")
    assert text.endswith(message)


def test_a_self_chain_bomb_is_refused(tmp_path: Path) -> None:
    body = """\
        events:
          - id: echo
            title: Echo
            then: [{event: echo}, {event: echo}, {event: echo}]
        """
    found = problems(tmp_path, body)
    assert [(p.line, p.col, p.code) for p in found] == [(6, 20, "E113")]
    assert found[0].message == (
        "events[id=echo].then[0].event: events chain back to themselves with no delay "
        "(echo -> echo); give one step a delay"
    )


def test_a_loop_through_a_choice_is_refused_but_a_delayed_one_is_not(tmp_path: Path) -> None:
    body = """\
        events:
          - id: ping
            title: Ping
            choices:
              - {label: Pong, then: [{event: pong}]}
          - id: pong
            title: Pong
            chained: true
            then: [{event: ping}]
        """
    found = problems(tmp_path, body)
    assert [p.code for p in found] == ["E113"]
    assert "(ping -> pong -> ping)" in found[0].message or "(pong -> ping -> pong)" in (
        found[0].message
    )
    (tmp_path / "child.yaml").write_text(
        HEAD + dedent(body).replace("[{event: ping}]", "[{event: ping, delay: 1}]")
    )
    load_scenario(tmp_path / "child.yaml")


def test_a_chain_deeper_than_sixteen_events_is_refused(tmp_path: Path) -> None:
    steps = [f"  - {{id: s{i}, title: S{i}, then: [{{event: s{i + 1}}}]}}" for i in range(16)]
    steps.append("  - {id: s16, title: S16}")
    found = problems(tmp_path, "events:\n" + "\n".join(steps) + "\n")
    assert [(p.line, p.code) for p in found] == [(4, "E113")]
    assert found[0].message.endswith(
        "'s0' starts a chain of 17 events with no delay; at most 16 can follow one another "
        "in a quarter"
    )
    (tmp_path / "child.yaml").write_text(HEAD + "events:\n" + "\n".join(steps[1:]) + "\n")
    load_scenario(tmp_path / "child.yaml")  # sixteen are fine


@pytest.mark.parametrize(
    ("first", "second", "refused"),
    [
        ("us", "china", True),
        ("player", "ai", True),
        ("frontier", "dragon", True),
        ("us", "all", False),
        ("us", "player", False),
        ("world", "china", False),
        ("china", "world", False),
    ],
)
def test_a_hand_over_that_can_never_happen_is_refused(
    tmp_path: Path, first: str, second: str, refused: bool
) -> None:
    body = f"""\
        events:
          - {{id: first, title: First, who: {first}, then: [{{event: second}}]}}
          - {{id: second, title: Second, who: {second}, chained: true}}
        """
    if not refused:
        shutil.copy(MINI, tmp_path / "mini.yaml")
        (tmp_path / "child.yaml").write_text(HEAD + dedent(body))
        load_scenario(tmp_path / "child.yaml")
        return
    line, _, code, message = one(tmp_path, body)
    assert (line, code) == (4, "E113")
    assert f"'first' (who: {first}) chains to 'second' (who: {second}), which never" in message
