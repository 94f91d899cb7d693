"""Aggregation of simulated games, on hand-made records."""

from __future__ import annotations

import json
import math

import pytest

from game.sim.aggregate import Summary, aggregate, rounded
from game.sim.report import dollars, render
from game.sim.runner import GameResult, game_seed

LABS = {"alpha": "us", "beta": "china", "gamma": "us"}
EVENTS = ["boom", "bust", "never"]


def record(
    winner: str | None,
    kind: str = "turning_point",
    *,
    turns: int = 10,
    capability: tuple[float, float, float] = (80.0, 70.0, 60.0),
    cost: tuple[float, float, float] = (0.1, 0.2, 0.4),
    events: tuple[str, ...] = (),
) -> GameResult:
    return GameResult(
        seed=0,
        player="alpha",
        winner=winner,
        winner_faction=LABS[winner] if winner else None,
        kind=kind,
        player_won=winner == "alpha",
        turns=turns,
        capability=dict(zip(LABS, capability, strict=True)),
        cost_per_mtok=dict(zip(LABS, cost, strict=True)),
        events=events,
    )


RECORDS = [
    record("alpha", turns=8, capability=(91.0, 70.0, 60.0), events=("boom",)),
    record(
        "beta",
        turns=12,
        capability=(85.0, 90.5, 62.0),
        cost=(0.3, 0.1, 0.5),
        events=("boom", "bust"),
    ),
    record("alpha", "frontier_at_end", turns=24, capability=(88.0, 80.0, 70.0)),
    record(None, "frontier_at_end", turns=24, events=("bust", "stray")),
]


def summary() -> Summary:
    return aggregate(RECORDS, labs=LABS, events=EVENTS, player="alpha")


def test_wins_by_lab_faction_and_kind() -> None:
    s = summary()
    assert [(lab.id, lab.wins) for lab in s.labs] == [("alpha", 2), ("beta", 1), ("gamma", 0)]
    assert s.wins_by_faction == {"china": 1, "us": 2}
    assert s.wins_by_kind == {"frontier_at_end": 2, "turning_point": 2}
    assert s.no_winner == 1


def test_player_seat() -> None:
    s = summary()
    assert s.player_wins == 2
    assert s.player_win_rate == 0.5
    assert s.player_lab.id == "alpha"
    assert s.player_lab.mean_capability == pytest.approx((91 + 85 + 88 + 80) / 4)
    assert s.player_lab.mean_cost_per_mtok == pytest.approx((0.1 + 0.3 + 0.1 + 0.1) / 4)


def test_means_per_lab() -> None:
    beta = summary().lab("beta")
    assert beta.faction == "china"
    assert beta.win_rate == 0.25
    assert beta.mean_capability == pytest.approx((70 + 90.5 + 80 + 70) / 4)
    assert beta.mean_cost_per_mtok == pytest.approx((0.2 + 0.1 + 0.2 + 0.2) / 4)


def test_turns() -> None:
    s = summary()
    assert (s.turns, s.min_turns, s.max_turns) == (68, 8, 24)
    assert s.mean_turns == 17.0


def test_every_scenario_event_is_listed_in_order_even_unfired() -> None:
    events = summary().events
    assert list(events) == ["boom", "bust", "never", "stray"]
    assert events == {"boom": 2, "bust": 2, "never": 0, "stray": 1}


def test_an_event_counts_once_per_game() -> None:
    s = aggregate([record("alpha", events=("boom",))] * 3, labs=LABS, events=EVENTS, player="alpha")
    assert s.events["boom"] == 3


def test_no_records_is_an_error() -> None:
    with pytest.raises(ValueError):
        aggregate([], labs=LABS, events=EVENTS, player="alpha")


def test_to_dict_is_json_with_rounded_floats() -> None:
    d = summary().to_dict()
    json.dumps(d, allow_nan=False)
    assert d["games"] == 4
    assert d["player"]["win_rate"] == 0.5
    assert d["wins"]["by_lab"] == {"alpha": 2, "beta": 1, "gamma": 0}
    assert d["labs"]["beta"]["mean_capability"] == 77.625
    assert d["player"]["mean_cost_per_mtok"] == 0.15
    assert d["events"]["never"] == 0


def test_order_of_games_does_not_change_the_means() -> None:
    forward = summary().to_dict()
    backward = aggregate(RECORDS[::-1], labs=LABS, events=EVENTS, player="alpha").to_dict()
    assert forward == backward


def test_rounded() -> None:
    assert rounded(1 / 3) == 0.333333
    assert rounded({"a": [123456789.0, 2]}) == {"a": [123457000.0, 2]}
    assert rounded(math.inf) is None
    assert rounded(math.nan) is None
    assert rounded(True) is True


def test_game_seeds_are_integer_arithmetic() -> None:
    assert game_seed(0, 5) == 5
    assert game_seed(2, 7) == 2 * 1_000_003 + 7
    assert len({game_seed(s, i) for s in range(3) for i in range(1000)}) == 3000


def test_report_renders_aligned_tables() -> None:
    text = render(
        summary(), heading="Test run", names={"alpha": "Alpha Lab"}, titles={"boom": "Boom!"}
    )
    lines = text.splitlines()
    assert lines[0] == "Test run"
    assert "Alpha Lab (player)" in text
    assert "Never fired in 4 games: never" in text
    header = next(i for i, line in enumerate(lines) if line.startswith("Lab "))
    table = lines[header : header + 5]
    # Right-aligned numbers end in the same column on every row.
    ends = {len(line) for line in table}
    assert len(ends) == 1, table


def test_dollars() -> None:
    assert dollars(60.0) == "$60.00"
    assert dollars(0.0567) == "$0.0567"
    assert dollars(0.05) == "$0.0500"
    assert dollars(1234.0) == "$1,234"
    assert dollars(1e-12) == "$1.00e-12"
