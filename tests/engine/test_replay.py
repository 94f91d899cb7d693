"""Replaying a game from its records: `Game.from_records` (DESIGN.md §6, loading is replaying)."""

from __future__ import annotations

import dataclasses

import pytest

from game.engine.game import Desync, Game, GameError, TurnRecord
from game.engine.orders import Orders
from tests.engine.helpers import CHINA, US, make_book, make_game, step

SCRIPT = [
    Orders(gpus={"h100": 2000}, power={"gas": 30}, research=200, train_share=0.6),
    Orders(research=100, train_share=0.4),
    Orders(power={"grid": 20}, train_share=0.5),
]


def played(faction: str = "us", seed: int = 5, turns: int = 99) -> Game:
    """A game of the test scenario played by a person with a fixed script, choice 1 when asked."""
    g = make_game(faction, seed)
    for turn in range(turns):
        if g.over:
            break
        orders = SCRIPT[turn % len(SCRIPT)]
        step(g, orders if not g.problems(orders) else Orders(), choice=1)
    return g


def simulated(seed: int = 3) -> Game:
    """A game with a computer in every seat, the player's included."""
    g = make_game("china", seed, player_policy="opportunist")
    while not g.over:
        g.play_ai_choices()
        g.end_turn()
    return g


def replay(g: Game, records: list[TurnRecord] | None = None) -> Game:
    policies = {lab: p.name for lab, p in g.policies.items()}
    return Game.from_records(
        g.book,
        g.faction,
        g.seed,
        g.records if records is None else records,
        difficulty=g.difficulty,
        seats=g.seats,
        policies=policies,
    )


def test_a_replayed_game_has_every_state_record_and_happening_of_the_original() -> None:
    g = played()
    assert g.over and any(r.choices for r in g.records)
    again = replay(g)
    assert [s.digest() for s in again.history] == [s.digest() for s in g.history]
    assert [(r.turn, r.choices, r.digest, r.figures) for r in again.records] == [
        (r.turn, r.choices, r.digest, r.figures) for r in g.records
    ]
    assert [[h.text() for h in hs] for hs in again.happened] == [
        [h.text() for h in hs] for hs in g.happened
    ]
    assert again.seats == (US,)


def test_a_computer_seats_choices_draw_their_roll_again() -> None:
    g = simulated()
    assert any(r.drawn for r in g.records), "the test needs a choice made by the seat's policy"
    assert g.seats == ()
    again = replay(g)
    assert again.state.digest() == g.state.digest()
    assert [r.drawn for r in again.records] == [r.drawn for r in g.records]
    assert again.player_policy == "opportunist"


def test_a_replay_gives_the_recorded_orders_and_never_asks_a_policy() -> None:
    g = simulated()
    # Other policies in every seat: the recorded orders decide all the same.
    others = {lab: "scaler" for lab in g.policies}
    again = Game.from_records(g.book, "china", g.seed, g.records, seats=(), policies=others)
    assert again.state.digest() == g.state.digest()


def test_a_game_in_progress_replays_to_the_same_turn_and_plays_on() -> None:
    g = played(turns=3)
    while not g.pending and not g.over:
        step(g)
    assert g.pending, "the test needs an event waiting for a choice"
    event_id, _ = g.pending[0]
    g.choose(event_id, 0)
    again = replay(g)
    assert again.state.turn == g.state.turn and again.state.digest() == g.state.digest()
    assert again.records[-1].choices == g.records[-1].choices
    assert [h.text() for h in again.opening] == [h.text() for h in g.happened[-1]]
    step(g)
    step(again)
    assert again.state.digest() == g.state.digest()


def tampered(g: Game, turn: int, lab: str, **change: object) -> list[TurnRecord]:
    records = [dataclasses.replace(r, orders=dict(r.orders)) for r in g.records]
    record = records[turn - 1]
    old = Orders.model_validate(record.orders[lab], from_attributes=True)
    record.orders[lab] = old.model_copy(update=change)
    return records


def test_different_orders_are_a_desync_naming_the_turn_the_lab_and_the_figure() -> None:
    g = played()
    research = g.records[3].orders[US].research
    with pytest.raises(Desync) as caught:
        replay(g, tampered(g, 4, US, research=research + 10))
    assert caught.value.turn == 4
    assert str(caught.value).startswith("desync at turn 4: Alpha Lab's cash ($M) is ")
    assert "on replay but was recorded as" in str(caught.value)


def test_a_computer_labs_orders_are_checked_too() -> None:
    g = simulated()
    with pytest.raises(Desync, match="desync at turn 2: .*'s recorded orders cannot stand: "):
        replay(g, tampered(g, 2, CHINA, research=1e9))


def test_a_digest_alone_that_differs_is_a_desync_of_the_rest_of_the_state() -> None:
    g = played()
    records = list(g.records)
    records[1] = dataclasses.replace(records[1], digest="0" * 64)
    with pytest.raises(Desync, match="desync at turn 2: every lab's figures agree"):
        replay(g, records)


@pytest.mark.parametrize(
    ("breakage", "words"),
    [
        (lambda rs: rs[1].orders.pop(US), "desync at turn 2: Alpha Lab has no orders recorded"),
        (
            lambda rs: rs[1].orders.__setitem__("ghost", Orders()),
            "desync at turn 2: 'ghost' is not in the game",
        ),
        (lambda rs: rs[2].choices.append(("nope", 0)), "desync at turn 3: a recorded choice"),
        (lambda rs: rs.pop(1), "desync at turn 2: the records hold turn 3 where turn 2"),
        (lambda rs: rs[1].orders.clear(), "desync at turn 2: a turn without orders"),
        (lambda rs: rs.append(rs[1]), "the records go on after the game ended"),
    ],
)
def test_records_that_cannot_be_followed_are_a_desync(breakage: object, words: str) -> None:
    g = played()
    records = [
        dataclasses.replace(r, orders=dict(r.orders), choices=list(r.choices)) for r in g.records
    ]
    breakage(records)  # type: ignore[operator]
    with pytest.raises(Desync, match=words.replace("(", r"\(").replace("$", r"\$")):
        replay(g, records)


def test_the_players_seat_comes_first_and_seats_are_labs() -> None:
    # Several seats may be people's (tests/engine/test_seats.py), the player's first.
    for seats in [(CHINA, US), (US, "nobody"), (US, US)]:
        with pytest.raises(GameError, match="cannot be played"):
            Game.from_records(make_book(), "us", 1, [TurnRecord(1)], seats=seats)


def test_quarters_without_news_still_have_their_place() -> None:
    g = make_game(events=[])
    step(g)
    step(g)
    again = replay(g)
    assert len(again.happened) == again.state.turn == 3
    assert again.opening == []
