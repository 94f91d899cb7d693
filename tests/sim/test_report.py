"""The author's report on a small fixed run: its figures add up, and its text says them."""

from __future__ import annotations

import functools
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.engine.rulebook import Rulebook
from game.engine.state import LAB_OUT, Ending
from game.scenario.loader import find_scenario, load_scenario
from game.scenario.models import Scenario
from game.sim.aggregate import scenario_labs
from game.sim.authors import render
from game.sim.charts import band, bar, binned, histogram
from game.sim.counts import WORLD, Counts
from game.sim.figures import Figures, _spread, figures
from game.sim.runner import Setup, run_setups

DATA = Path(__file__).parent / "data"
GAMES = 12


@functools.cache
def scenario(name: str) -> Scenario:
    path = DATA / f"{name}.yaml" if (DATA / f"{name}.yaml").exists() else find_scenario(name)
    return load_scenario(path)


def run(name: str, setups: tuple[Setup, ...], games: int = GAMES, jobs: int = 1) -> Figures:
    sc = scenario(name)
    counts = Counts()
    records = run_setups(sc, setups, games, jobs=jobs, counts=counts)
    return figures(Rulebook(sc), setups, records, counts)


US = Setup("us", "strategist", None, seed=5)
SETUPS = (US, Setup("china", "efficient", "hard", seed=5))


@functools.cache
def small() -> Figures:
    """Two setups of the report's test scenario (a child of base, eight turns)."""
    return run("report", SETUPS)


def test_the_counts_add_up() -> None:
    f = small()
    assert f.games == 2 * GAMES == sum(s.games for s in f.seats)
    assert sum(f.endings.values()) == f.games
    assert sum(f.sides.values()) == f.games
    assert sum(lab.wins for lab in f.labs) + f.sides[""] == f.games
    played = sum(seats for seats, _ in f.policies.values())
    assert played == f.games * len(f.labs)
    assert sum(wins for _, wins in f.policies.values()) == f.games - f.sides[""]
    for lab in f.labs:
        start = lab.curve[0]
        assert start is not None and start.games == f.games  # every lab is in at the start
        assert all(p is None or p.lo <= p.median <= p.hi for p in lab.curve)
        assert set(lab.outs) == {str(k) for k in LAB_OUT}
    for ev in f.events:
        if ev.id == "strait":  # a world event, handing each lab its side's choices
            assert sum(ev.turns.values()) == ev.firings == ev.hits[WORLD]
        else:
            assert sum(ev.turns.values()) == ev.firings == sum(ev.hits.values())
        assert ev.games <= f.games and ev.games <= ev.firings
        assert all(1 <= t <= f.turns for t in ev.turns)
        if ev.choices and ev.id != "strait":  # every firing of an event with choices takes one
            assert sum(n for _, _, n in ev.choices) == ev.firings


def test_an_event_that_cannot_fire_is_listed_as_never_fired() -> None:
    f = small()
    assert "cannot_fire" in f.never
    assert "every_game" not in f.never
    text = render(f)
    never = text.split("Events that never fired")[1]
    assert "cannot_fire: A capability no lab can reach" in never
    assert "every_game" not in never


def test_an_event_in_every_game_with_a_choice_never_taken() -> None:
    ev = small().event("every_game")
    assert ev is not None
    assert ev.games == small().games
    assert ev.turns == {1: ev.firings}
    assert ev.choices == (("", "Always this", ev.firings), ("", "Never that", 0))
    assert ev.firings == len(small().labs) * small().games  # `who: all`, once each


def test_a_once_only_world_event_fires_once_a_game_and_each_side_chooses_its_own() -> None:
    f = small()
    ev = f.event("strait")
    assert ev is not None
    assert ev.games == ev.firings == f.games
    sides = {lab.id: side for lab, side in zip(f.labs, _sides(f), strict=True)}
    asked = {
        s: sum(n for lab, n in ev.hits.items() if sides.get(lab) == s) for s in ("us", "china")
    }
    assert ev.choices == (
        ("us", "Reroute to Arizona", asked["us"]),
        ("us", "Ride it out", 0),
        ("china", "Pour money into SMIC", asked["china"]),
    )
    text = render(f).split("strait: Crisis in the strait\n", 1)[1]
    assert text.startswith(f"fired           {f.games} of {f.games} games  100.0%")
    assert "1.00 a game" in text.split("\n", 1)[0]
    assert "\nus choice 1     " in text and "Reroute to Arizona\n" in text
    assert "\nus choice 2     0 times " in text
    assert "\nchina choice 1  " in text


def test_a_labs_text_is_shown_with_its_placeholders_in_words() -> None:
    f = small()
    text = render(f)
    assert "\nliaison: <lab> pulls its people out\n" in text
    assert "<lab> charters a flight\n" in text
    assert "{lab}" not in text


def _sides(f: Figures) -> list[str]:
    labs = scenario_labs(scenario("report"))
    return [labs[lab.id] for lab in f.labs]


def test_every_ending_is_shown_with_its_count_zeros_too() -> None:
    f = small()
    assert list(f.endings) == [str(k) for k in Ending]
    assert f.endings["score"] == 0  # no score judges this scenario
    text = render(f)
    for kind in Ending:
        assert f"\n{kind.replace('_', ' ')} " in text, kind
    assert "\nscore                0    0.0%" in text


def test_win_rates_by_lab_side_policy_and_difficulty() -> None:
    f = small()
    text = render(f)
    for heading in ("By side", "By policy", "By difficulty"):
        assert heading in text
    assert "us/strategist/none" in text and "china/efficient/hard" in text
    tianhe = f.lab("tianhe")
    assert tianhe is not None and tianhe.seat_games == GAMES
    assert tianhe.seat_policies == ("efficient",)  # at hard, as the player's seat
    assert tianhe.policies == ("strategist",)  # as a computer lab, in the US's games
    assert "player: efficient (12 games); computer: strategist" in text


def test_a_score_is_reported_where_a_score_judges() -> None:
    f = run("stargate", (US,), games=4)
    assert f.scored and f.endings["score"] + f.endings["turning_point"] <= f.games
    assert all(lab.score is not None and lab.score.games == 4 for lab in f.labs)
    assert "Score: median (least to most)" in render(f)
    assert small().labs[0].score is None
    assert "Score:" not in render(small())


def test_compare_puts_the_other_runs_figures_under_each() -> None:
    child = run("report", (US,))
    parent = run("base", (US,))
    text = render(child, parent)
    assert "Compared with The Race, 2025-2030 (base)" in text
    endings = text.split("How games ended")[1].split("Labs at the end")[0]
    rows = [line for line in endings.splitlines() if "report-test" in line or "base" in line]
    assert len(rows) == 2 * len(Ending)
    for a, b in zip(rows[::2], rows[1::2], strict=True):
        assert "report-test" in a and b.split()[0] == "base"
    assert "Run" in text.split("Win rates: every lab")[1].splitlines()[4]
    # An event of the child alone says so on the parent's line.
    block = text.split("every_game: A question")[1].split("\n\n")[0]
    assert re.search(r"\n +base +not in this scenario", block)


def test_a_run_compared_with_the_same_scenario_is_this_and_compared() -> None:
    f = run("report", (US,), games=2)
    text = render(f, f)
    assert "\nus/strategist/none      this          2" in text
    assert "\n                        compared      2" in text


def test_the_figures_do_not_depend_on_the_number_of_processes() -> None:
    assert run("report", SETUPS, games=6, jobs=1) == run("report", SETUPS, games=6, jobs=2)


def test_scenario_text_reaches_the_terminal_plain(tmp_path: Path) -> None:
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        'extends: base\nmeta: {id: evil, name: "Evil \\e[31mred\\e[0m"}\nturns: 8\n',
        encoding="utf-8",
    )
    sc = load_scenario(evil)
    counts = Counts()
    records = run_setups(sc, (US,), 1, counts=counts)
    text = render(figures(Rulebook(sc), (US,), records, counts))
    assert "\x1b" not in text
    assert "Evil [31mred[0m" in text


@pytest.mark.parametrize(
    ("fraction", "drawn"), [(0.0, ""), (1.0, "████"), (0.5, "██"), (0.01, "▏"), (2.0, "████")]
)
def test_bars(fraction: float, drawn: str) -> None:
    assert bar(fraction, 4) == drawn.ljust(4)


def test_histogram_and_bins() -> None:
    assert histogram([0, 1, 2, 8]) == "·▁▂█"
    assert binned([1, 2, 3, 4, 5], 2) == [6, 9]
    assert binned([1, 2], 5) == [1, 2]


def test_band_chart() -> None:
    rows = band([(0.0, 0.0, 0.0), None, (0.0, 5.0, 10.0)], 0.0, 10.0, 3)
    assert rows == ["  │", "  ●", "● │"]  # top first: the greatest, the median, the least


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=40))
def test_the_spread_of_counted_values_is_their_min_median_and_max(values: list[int]) -> None:
    spread = _spread(Counter(values), 10)
    assert spread.games == len(values)
    assert spread.lo == min(values) / 10 and spread.hi == max(values) / 10
    assert spread.median == pytest.approx(statistics.median(values) / 10)
