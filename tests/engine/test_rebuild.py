"""A game rebuilt under a changed scenario: the player's decisions again, as far as they fit."""

from __future__ import annotations

from typing import Any

import pytest

from game.engine.game import GameError
from game.engine.rebuild import rebuild
from tests.engine.helpers import make_book, make_game, scenario_dict
from tests.engine.test_replay import SCRIPT, played

OFFER = 1  # the index of "An offer" in the test scenario's events; played() takes it at turn 4


def offer(**changes: Any) -> list[dict[str, Any]]:
    """The test scenario's events, with "An offer" changed."""
    events = scenario_dict()["events"]
    events[OFFER] = {**events[OFFER], **changes}
    return events


def test_an_unchanged_scenario_rebuilds_the_same_game() -> None:
    old = played(turns=5)
    new = rebuild(old, make_book())
    assert new.stop == "" and new.orders is None
    assert new.game.state.turn == old.state.turn
    assert new.game.state.digest() == old.state.digest()
    assert new.game.opening == old.happened[old.state.turn - 1]


def test_the_rebuilt_game_keeps_its_id_to_save_in_the_same_place() -> None:
    old = played(turns=2)
    old.id = "abc123"
    assert rebuild(old, make_book()).game.id == "abc123"


def test_the_choices_of_the_turn_in_progress_are_made_again() -> None:
    old = played(turns=3)
    assert old.pending  # "An offer" waits at turn 4
    old.choose(old.pending[0][0], 0)
    new = rebuild(old, make_book())
    assert new.stop == ""
    assert new.game.records[-1].choices == [("offer", 0)]
    assert not new.game.pending


def test_a_change_the_game_feels_plays_on_to_the_same_turn() -> None:
    old = played(turns=5)
    new = rebuild(old, make_book(chips={"h100": {"price": 26000}}))
    assert new.stop == ""
    assert new.game.state.turn == old.state.turn
    assert new.game.player.cash != old.player.cash


def test_orders_that_no_longer_fit_stop_the_replay_at_their_turn() -> None:
    old = played(turns=5)
    new = rebuild(old, make_book(labs={"alpha": {"cash": 100}}))
    assert new.stop.startswith("your recorded orders no longer fit: ")
    assert new.game.state.turn == 1
    assert new.orders == SCRIPT[0]


def test_a_choice_no_longer_asked_stops_the_replay() -> None:
    old = played(turns=5)
    new = rebuild(old, make_book(events=offer(chance=0)))
    assert new.stop == "'An offer' no longer asks for your choice"
    assert new.game.state.turn == 4


def test_a_choice_that_no_longer_exists_stops_the_replay() -> None:
    old = played(turns=5)
    only = offer(choices=[{"label": "Take it", "effects": [{"add": {"me.cash": 300}}]}])
    new = rebuild(old, make_book(events=only))
    assert new.stop == "your recorded choice cannot be made: 'An offer' has choices 1 to 1, not 2"
    assert new.game.state.turn == 4 and new.game.pending


def test_a_new_question_stops_the_replay_for_the_player_to_answer() -> None:
    old = played(turns=5)
    ask = {
        "id": "ask",
        "title": "A question",
        "who": "player",
        "earliest": "2025 Q2",
        "once": True,
        "choices": [{"label": "Yes"}, {"label": "No"}],
    }
    new = rebuild(old, make_book(events=[*scenario_dict()["events"], ask]))
    assert new.stop == "'A question' now asks for your choice"
    assert new.game.state.turn == 2 and new.game.pending == [("ask", "alpha")]


def test_a_shorter_scenario_ends_the_game_where_it_now_ends() -> None:
    old = make_game(turns=10)
    for _ in range(9):
        while old.pending:
            old.choose(old.pending[0][0], 0)
        old.end_turn()
    new = rebuild(old, make_book(turns=8))
    assert new.stop == "the game now ends"
    assert new.game.over


def test_a_game_that_cannot_start_under_the_new_scenario_is_refused() -> None:
    old = played(turns=2)
    old.difficulty = "hard"
    with pytest.raises(GameError, match="unknown difficulty 'hard'"):
        rebuild(old, make_book())


def test_an_event_gone_from_the_scenario_is_named_by_its_old_title() -> None:
    old = played(turns=5)
    events = [e for e in scenario_dict()["events"] if e["id"] != "offer"]
    new = rebuild(old, make_book(events=events))
    assert new.stop == "'An offer' no longer asks for your choice"
