"""Two seats played by computer policies (game.sim.seats): the two-player balance."""

from __future__ import annotations

from collections import Counter

from game.engine.rulebook import Rulebook
from game.scenario.loader import load_scenario
from game.sim.seats import CHINA, NOBODY, RIVAL, US, Match, play_seats, seat_labs, seat_wins


def test_a_two_seat_game_plays_to_its_end_and_names_who_won() -> None:
    book = Rulebook(load_scenario("base"))
    assert seat_labs(book) == ("prometheus", "tianhe")
    match = Match("base", "normal", "strategist", "balanced")
    results = [play_seats(book, match, seed) for seed in range(6)]
    assert set(results) <= {US, CHINA, RIVAL, NOBODY}
    assert results == [play_seats(book, match, seed) for seed in range(6)]  # deterministic


def test_seat_wins_are_the_same_in_one_process_or_two() -> None:
    scenario = load_scenario("chip-war")
    matches = [
        Match("chip-war", "normal", "strategist", "strategist"),
        Match("chip-war", "normal", "scaler", "efficient"),
    ]
    here = seat_wins([scenario], matches, 24, seed=3, jobs=1)
    there = seat_wins([scenario], matches, 24, seed=3, jobs=2)
    assert here == there
    assert all(sum(c.values()) == 24 for c in here)
    assert here[0] != Counter()
