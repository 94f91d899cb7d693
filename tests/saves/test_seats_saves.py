"""A game of two human seats saves, loads and verifies like any other (issue 12)."""

from __future__ import annotations

from pathlib import Path

from game.engine.game import Game
from game.saves.codec import load_game
from tests.cli.helpers import airace
from tests.saves.helpers import book, document, person_game, write

SEATS = ("prometheus", "tianhe")  # the base scenario's US and Chinese main labs


def two_seat_game(seed: int = 4, turns: int = 4) -> Game:
    """Both seats answer every event with their last choice and give the advisor's orders."""
    game = Game(book("base"), "us", seed, humans=SEATS)
    for _ in range(turns):
        if game.over:
            break
        for seat in reversed(SEATS):  # the second seat first: the log keeps who chose
            for event_id in game.pending_for(seat):
                last = len(game.book.event[event_id].choices) - 1
                game.choose(event_id, last, seat=seat)
        for seat in SEATS:
            game.submit(game.suggested_orders(seat=seat), seat=seat)
        game.end_turn()
    return game


def test_a_two_seat_game_saves_and_loads_to_the_same_game(tmp_path: Path) -> None:
    game = two_seat_game()
    path = write(game, tmp_path / "two.json")
    doc = document(path)
    assert doc["seats"] == list(SEATS)
    saved_labs = {c.get("lab") for t in doc["turns"] for c in t.get("choices", [])}
    assert saved_labs == {None, "tianhe"}  # both seats chose, and the second is named
    save, loaded = load_game(path)
    assert loaded.seats == SEATS
    assert [s.digest() for s in loaded.history] == [s.digest() for s in game.history]
    assert [(r.choices, r.seat_of) for r in loaded.records] == [
        (r.choices, r.seat_of) for r in game.records
    ]
    # It plays on as two seats.
    assert loaded.waiting_for == SEATS


def test_a_one_seat_save_names_no_lab_for_its_choices(tmp_path: Path) -> None:
    doc = document(write(person_game(turns=4), tmp_path / "one.json"))
    assert all("lab" not in c for t in doc["turns"] for c in t.get("choices", []))


def test_replay_verify_checks_a_two_seat_save(tmp_path: Path) -> None:
    write(two_seat_game(turns=3), tmp_path / "two.json")
    result = airace("replay", "two.json", "--verify", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: two.json replays to ")
