"""Several human seats in one game (issue 12): each seat's own events and orders,
hidden from the others until the quarter resolves, which it does all at once."""

from __future__ import annotations

from typing import Any

import pytest

from game.engine.game import Game, GameError
from game.engine.happenings import Changed, ChoiceMade, EventFired, Rationed
from game.engine.orders import OrderError, Orders
from tests.engine.helpers import CHINA, CN_RIVAL, US, US_RIVAL, make_book, scenario_dict

SEATS = (US, CHINA)
US_ORDERS = [
    Orders(gpus={"h100": 2000}, power={"gas": 30}, research=200, train_share=0.6),
    Orders(research=100, train_share=0.4),
]
CN_ORDERS = [
    Orders(research=150, train_share=0.7),
    Orders(power={"grid": 10}, research=50, train_share=0.5),
]


def events(**offer: Any) -> list[dict[str, Any]]:
    """The test scenario's events; "An offer" (a choice for every lab) comes every quarter."""
    evs = scenario_dict()["events"]
    for ev in evs:
        if ev["id"] == "offer":
            ev.update({"chance": 1.0, "once": False, **offer})
    return evs


def two(seed: int = 5, **overrides: Any) -> Game:
    """A game of the test scenario with the US and the Chinese main labs played by people."""
    return Game(make_book(events=events(), **overrides), "us", seed, humans=SEATS)


def answer(game: Game, seat: str, choice: int = 0) -> None:
    for event_id in game.pending_for(seat):
        game.choose(event_id, choice, seat=seat)


def play(game: Game, turns: int, *, china_first: bool = False) -> None:
    """Each seat answers and submits its script; `china_first` swaps who goes first."""
    for t in range(turns):
        seats = SEATS[::-1] if china_first else SEATS
        for seat in SEATS:  # choices in one order: they take effect as made
            answer(game, seat, choice=t % 2)
        for seat in seats:
            game.submit((US_ORDERS if seat == US else CN_ORDERS)[t % 2], seat=seat)
        game.end_turn()


def test_two_seats_are_people_and_the_other_labs_computers() -> None:
    g = two()
    assert g.seats == g.humans == SEATS
    assert g.state.player == US and g.player.id == US
    labs = g.state.labs
    assert [lab.id for lab in labs.values() if lab.is_player] == [US, CHINA]
    assert not labs[US_RIVAL].is_player and not labs[CN_RIVAL].is_player
    # The offer waits for each seat; the computer rivals answered it already.
    assert g.pending_for(US) == ["offer"] and g.pending_for(CHINA) == ["offer"]
    assert g.pending == [("offer", US)]
    assert {p.lab for p in g.state.pending} == {US, CHINA}


def test_seats_are_checked() -> None:
    book = make_book()
    for humans in [(CHINA,), (CHINA, US), (US, "nobody"), (US, CHINA, US)]:
        with pytest.raises(GameError, match="cannot be played"):
            Game(book, "us", 1, humans=humans)
    with pytest.raises(GameError, match="only in a one-seat game"):
        Game(book, "us", 1, humans=SEATS, player_policy="balanced")
    g = two()
    with pytest.raises(GameError, match="'beta' is not a seat"):
        g.submit(Orders(), seat=US_RIVAL)
    with pytest.raises(GameError, match="not a seat"):
        g.seat_view(US_RIVAL)


def test_each_seat_answers_its_own_events() -> None:
    g = two()
    cash = g.state.labs[CHINA].cash
    out = g.choose("offer", 0, seat=CHINA)  # "Take it": +300
    assert [h.lab for h in out if isinstance(h, ChoiceMade)] == [CHINA]
    assert g.state.labs[CHINA].cash == cash + 300
    assert g.pending_for(CHINA) == [] and g.pending_for(US) == ["offer"]
    with pytest.raises(GameError, match="no event 'offer' is waiting"):
        g.choose("offer", 1, seat=CHINA)  # answered already
    g.choose("offer", 1)  # the player's seat by default
    assert g.state.pending == []
    assert g.records[-1].choices == [("offer", 0), ("offer", 1)]
    assert g.records[-1].seat_of == {0: CHINA}


def test_the_quarter_waits_for_every_seat_and_names_who_it_waits_for() -> None:
    g = two()
    answer(g, US)
    with pytest.raises(GameError, match="^waiting for Dragon Lab to choose first$"):
        g.end_turn()
    answer(g, CHINA)
    assert g.waiting_for == SEATS and not g.ready
    with pytest.raises(GameError, match="^waiting for Alpha Lab and Dragon Lab to submit"):
        g.end_turn()
    g.submit(US_ORDERS[0])
    assert g.waiting_for == (CHINA,)
    with pytest.raises(GameError, match="^waiting for Dragon Lab to submit orders first$"):
        g.end_turn()
    g.submit(CN_ORDERS[0], seat=CHINA)
    assert g.waiting_for == () and g.ready
    g.end_turn()
    assert g.state.turn == 2 and g.waiting_for == SEATS
    assert g.records[0].orders[US] == US_ORDERS[0]
    assert g.records[0].orders[CHINA] == CN_ORDERS[0]


def test_a_seats_orders_are_checked_against_its_own_lab() -> None:
    g = two()
    too_dear = Orders(research=1e9)
    with pytest.raises(OrderError) as refused:
        g.submit(too_dear, seat=CHINA)
    assert refused.value.lab == CHINA
    assert g.problems(too_dear, seat=CHINA) and g.submitted(CHINA) is None
    assert g.suggested_orders(seat=CHINA) is not None


def test_a_seat_sees_nothing_of_the_other_seats_orders_or_choices() -> None:
    g = two()
    opening_cash = g.state.labs[CHINA].cash
    g.choose("offer", 0, seat=CHINA)  # +300 for Dragon, hidden from Alpha
    g.submit(CN_ORDERS[0], seat=CHINA)

    us = g.seat_view(US)
    assert us.orders is None and g.submitted(US) is None
    assert us.pending == ("offer",)
    assert [p.lab for p in us.state.pending] == [US]
    assert us.state.labs[CHINA].cash == opening_cash  # as the news broke
    assert "offer_1" not in us.state.labs[CHINA].flags  # the flag a choice sets
    hidden = [h for h in us.news if h.lab == CHINA and isinstance(h, (ChoiceMade, Changed))]
    assert hidden == []
    assert us.waiting_for == SEATS[:1]  # who has not submitted, never what was
    assert g.pending == [("offer", US)]  # the player's seat's only

    china = g.seat_view(CHINA)
    assert china.orders == CN_ORDERS[0] == g.submitted(CHINA)
    assert china.pending == ()
    assert china.lab.cash == opening_cash + 300
    assert any(isinstance(h, ChoiceMade) and h.lab == CHINA for h in china.news)
    # Alpha's answer is hidden from Dragon in turn.
    g.choose("offer", 1, seat=US)
    assert "offer_2" not in g.seat_view(CHINA).state.labs[US].flags
    assert "offer_2" in g.seat_view(US).lab.flags

    # Once the quarter resolves, what was done is the past, seen by all.
    g.submit(US_ORDERS[0])
    g.end_turn()
    past = g.happened[0]
    assert any(isinstance(h, ChoiceMade) and h.lab == CHINA for h in past)
    assert g.seat_view(US).state.labs[CHINA].cash == g.state.labs[CHINA].cash


def test_the_order_of_submission_changes_nothing() -> None:
    a, b = two(seed=7), two(seed=7)
    play(a, 4)
    play(b, 4, china_first=True)
    assert [r.digest for r in a.records] == [r.digest for r in b.records]
    assert a.state.digest() == b.state.digest()


def test_the_same_order_logs_replay_to_the_same_digests() -> None:
    a, b = two(seed=11), two(seed=11)
    play(a, 5)
    play(b, 5)
    assert [r.digest for r in a.records] == [r.digest for r in b.records]
    again = Game.from_records(a.book, "us", 11, a.records, seats=SEATS)
    assert again.seats == SEATS
    assert [s.digest() for s in again.history] == [s.digest() for s in a.history]
    assert [(r.choices, r.seat_of) for r in again.records] == [
        (r.choices, r.seat_of) for r in a.records
    ]


def test_a_replay_without_the_second_seat_desyncs() -> None:
    a = two(seed=3)
    play(a, 2)
    with pytest.raises(GameError):
        Game.from_records(a.book, "us", 3, a.records)


def test_who_player_names_every_seat_and_difficulty_weighs_on_each() -> None:
    evs = events()
    for ev in evs:
        if ev["id"] == "windfall":
            ev["chance"] = 1.0
    book = make_book(events=evs, difficulties={"hard": {"name": "Hard", "player_cash": 0.5}})
    plain = Game(book, "us", 2, humans=SEATS)
    g = Game(book, "us", 2, humans=SEATS, difficulty="hard")
    fired = {h.lab for h in g.opening if isinstance(h, EventFired) and h.event == "windfall"}
    assert fired == {US, CHINA}
    # Both seats start with half their cash (and the windfall's 200), the rivals with all.
    for lab in (US, CHINA):
        easy = plain.state.labs[lab].cash - 200
        assert g.state.labs[lab].cash - 200 == pytest.approx(easy * 0.5)
    assert g.state.labs[US_RIVAL].cash == plain.state.labs[US_RIVAL].cash
    changed = {h.lab for h in g.opening if isinstance(h, Changed) and h.event == "windfall"}
    assert changed == {US, CHINA}


def test_a_seats_lab_falling_out_ends_the_game_and_says_who_won() -> None:
    g = two(seed=1, labs={CHINA: {"cash": -1e6}}, rules={"bankruptcy_quarters": 1})
    for seat in SEATS:
        answer(g, seat)
        g.submit(Orders(), seat=seat)
    g.end_turn()
    assert g.over
    outcome = g.state.outcome
    assert outcome is not None and outcome.kind == "bankruptcy"
    assert "Dragon Lab" in outcome.text
    assert not g.won(CHINA)
    assert g.won(US) == (outcome.winner == US) == outcome.player_won
    assert g.waiting_for == () and not g.ready


def test_two_seats_of_one_side_are_rationed_alike_whoever_submits_first() -> None:
    # Alpha and Beta both want more H100s than the 20,000 on offer: each gets its share.
    ask = {US: Orders(gpus={"h100": 15000}), US_RIVAL: Orders(gpus={"h100": 10000})}
    digests = []
    for order in ((US, US_RIVAL), (US_RIVAL, US)):
        g = Game(make_book(), "us", 4, humans=(US, US_RIVAL))
        for seat in order:
            answer(g, seat)
            g.submit(ask[seat], seat=seat)
        out = g.end_turn()
        rationed = {h.lab: h.got for h in out if isinstance(h, Rationed)}
        assert rationed == {US: 12000, US_RIVAL: 8000}
        digests.append(g.state.digest())
    assert digests[0] == digests[1]


def test_a_sides_handicap_scales_its_seat_cash_only_in_a_two_player_game() -> None:
    """`factions.<side>.handicap` evens a face-off: it scales the seat's starting
    cash when two people play, and changes nothing in a one-player game."""
    plain = Game(make_book(events=events()), "us", 5, humans=SEATS).state.labs
    factions = {"china": {"handicap": 1.5}, "us": {"handicap": 0.5}}
    book = make_book(events=events(), factions=factions)
    two_player = Game(book, "us", 5, humans=SEATS).state.labs
    assert two_player[CHINA].cash == pytest.approx(1.5 * plain[CHINA].cash)
    assert two_player[US].cash == pytest.approx(0.5 * plain[US].cash)
    assert two_player[CN_RIVAL].cash == plain[CN_RIVAL].cash  # rivals are not seats
    one_player = Game(book, "us", 5).state.labs
    assert one_player[US].cash == plain[US].cash
    assert one_player[CHINA].cash == plain[CHINA].cash


def test_a_seat_never_sees_that_another_seat_has_an_event_awaiting_its_choice() -> None:
    """An event waiting for the other seat is that seat's pending choice: hidden from
    the news until the quarter resolves, then shown to everyone."""
    from game.engine.happenings import EventFired

    g = two()
    assert g.pending_for(CHINA) and g.pending_for(US)

    def awaiting(seat: str, lab: str) -> list[EventFired]:
        return [
            h
            for h in g.seat_view(seat).news
            if isinstance(h, EventFired) and h.awaiting_choice and h.lab == lab
        ]

    assert awaiting(US, US) and not awaiting(US, CHINA)
    assert awaiting(CHINA, CHINA) and not awaiting(CHINA, US)
    play(g, 1)
    fired = [h for h in g.happened[0] if isinstance(h, EventFired) and h.lab == CHINA]
    assert fired  # the referee's record keeps it, and the quarter's report shows it
