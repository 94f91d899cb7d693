"""Issue 11, item 5: timed effects, events at a random quarter, chance as an expression,
`since`, per-side choices in a world event and a victory on a condition."""

from __future__ import annotations

from typing import Any

import pytest

from game.engine.game import Game, TurnRecord
from game.engine.happenings import Changed, EventFired
from game.engine.orders import Orders
from tests.engine.helpers import CHINA, US, US_RIVAL, make_game, of, step


def ev(event_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "title": event_id.replace("_", " ").capitalize(), **fields}


def play_out(game: Game, choice: int = 0) -> list[Any]:
    out = list(game.opening)
    while not game.over:
        out += step(game, Orders(), choice=choice)
    return out


def replays(game: Game) -> None:
    """The game replays from its records to the same digests."""
    again = Game.from_records(
        game.book,
        game.faction,
        game.seed,
        game.records,
        difficulty=game.difficulty,
        seats=game.seats,
        policies={lab: p.name for lab, p in game.policies.items()},
    )
    assert [s.digest() for s in again.history] == [s.digest() for s in game.history]


def records_of(game: Game) -> list[TurnRecord]:
    return game.records


# -- timed effects ------------------------------------------------------------------


def test_a_timed_add_is_taken_back_after_its_quarters() -> None:
    boost = ev(
        "boost",
        once=True,
        effects=[
            {"add": {"world.diffusion": 0.1}, "for_quarters": 2},
            {"add": {"me.backing": 10}, "for_quarters": 2},
        ],
    )
    g = make_game(events=[boost])
    assert g.state.world.diffusion == pytest.approx(0.15)
    assert g.player.backing == 70
    assert [r.turn for r in g.state.reverts] == [3, 3]
    step(g, Orders())  # turn 2 begins: still on
    assert g.state.world.diffusion == pytest.approx(0.15)
    out = step(g, Orders())  # turn 3 begins: taken back
    assert g.state.world.diffusion == pytest.approx(0.05)
    assert not g.state.reverts
    (wore_off,) = [h for h in of(out, Changed) if "wears off" in h.title]
    assert [(name, round(a - b, 6)) for name, a, b in wore_off.changes] == [("Backing", 10)]


def test_a_timed_multiply_is_divided_out_and_a_set_restored() -> None:
    events = [
        ev("slow", once=True, effects=[{"multiply": {"world.demand": 2}, "for_quarters": 1}]),
        ev("share", once=True, effects=[{"set": {"me.train_share": 0.9}, "for_quarters": 1}]),
    ]
    g = make_game(events=events)
    assert g.state.world.demand == 4000
    assert g.player.train_share == 0.9
    out = step(g, Orders(train_share=0.9))
    grown = g.state.world.demand  # the market grew it during turn 1, then it was halved
    assert [r.kind for r in g.state.reverts] == []
    assert g.player.train_share == 0.5  # the value before the set
    assert grown < 4000 * 1.5
    assert out


def test_a_timed_gpu_seizure_gives_back_the_gpus_taken() -> None:
    seize = ev("seize", once=True, effects=[{"add": {"me.gpus.h100": -4000}, "for_quarters": 1}])
    g = make_game(events=[seize])
    assert g.player.gpus["h100"] == 6000
    step(g, Orders())
    assert g.player.gpus["h100"] == 10000


def test_timed_effects_replay_and_digests_change_only_when_used() -> None:
    plain = make_game(seed=4)
    timed = ev("t", who="all", chance=0.5, effects=[{"add": {"me.cash": 50}, "for_quarters": 3}])
    g = make_game(seed=4, events=[timed])
    play_out(g)
    replays(g)
    assert "reverts" not in plain.state.canonical()
    assert g.state.clone().reverts == g.state.reverts


# -- at: random ---------------------------------------------------------------------------


def test_an_event_at_random_fires_once_at_a_quarter_drawn_in_its_window() -> None:
    turns = []
    for seed in range(40):
        odd = ev("odd", who="world", at="random", earliest=3, latest=6)
        g = make_game(seed=seed, events=[odd])
        hits = [h.turn for h in of(play_out(g), EventFired) if h.event == "odd"]
        assert len(hits) == 1 and 3 <= hits[0] <= 6
        assert g.state.drawn == {"odd": hits[0]}
        turns.append(hits[0])
    assert set(turns) == {3, 4, 5, 6}  # every quarter of the window comes up


def test_an_event_at_random_is_the_same_quarter_for_the_same_seed_and_replays() -> None:
    def quarter(seed: int) -> int:
        g = make_game(seed=seed, events=[ev("odd", who="all", at="random", earliest=1, latest=8)])
        out = play_out(g)
        replays(g)
        hits = {(h.turn, h.lab) for h in of(out, EventFired) if h.event == "odd"}
        assert {lab for _, lab in hits} == {US, CHINA, US_RIVAL, "whale"}
        (turn,) = {t for t, _ in hits}  # every lab it names, in the same quarter
        return turn

    assert quarter(7) == quarter(7)


@pytest.mark.parametrize("at", ["random", None])
def test_a_world_flag_set_at_a_random_quarter_is_seen_by_later_events_that_quarter(
    at: str | None,
) -> None:
    # The same as a plain window: an event after it in the file sees its flag, with
    # since() == 0, in the quarter it fires.
    crisis = ev("crisis", who="world", earliest=3, latest=3, once=True)
    if at:
        crisis["at"] = at
    liaison = ev("liaison", who="all", once=True, when="flags.crisis and since(flags.crisis) == 0")
    g = make_game(events=[crisis, liaison])
    fired = [(h.turn, h.event) for h in of(play_out(g), EventFired) if h.lab in (None, US)]
    assert fired == [(3, "crisis"), (3, "liaison")]


def test_a_window_past_the_game_is_cut_to_the_game() -> None:
    g = make_game(events=[ev("late", who="world", at="random", earliest=8, latest=30)])
    hits = [h.turn for h in of(play_out(g), EventFired) if h.event == "late"]
    assert hits == [8]


# -- chance as an expression ----------------------------------------------------------------


def test_a_chance_written_as_an_expression_is_worked_out_each_quarter() -> None:
    # 0 before turn 4, 1 from turn 5 (held to 1 above it), a coin toss in turn 4.
    rising = ev("rising", who="world", chance="(turn - 3.5) * 2")
    hits = [h.turn for h in of(play_out(make_game(seed=2, events=[rising])), EventFired)]
    assert [t for t in hits if t != 4] == [5, 6, 7, 8]


def test_a_chance_expression_replays_and_a_number_plays_as_before() -> None:
    g = make_game(seed=3, events=[ev("coin", who="all", chance="0.5")])
    play_out(g)
    replays(g)
    same = make_game(seed=3, events=[ev("coin", who="all", chance=0.5)])
    play_out(same)
    assert [s.digest() for s in same.history] == [s.digest() for s in g.history]


# -- since -------------------------------------------------------------------------------------


def test_since_counts_the_quarters_since_a_flag_was_last_set() -> None:
    events = [
        ev("crisis", who="world", once=True, when="turn == 2", effects=[{"flag": "strait"}]),
        ev("after", who="world", when="since(flags.strait) == 3"),
        ev("never", who="world", when="since(flags.nothing) < 1000"),
        ev("mine", once=True, effects=[{"lab_flag": "scandal"}]),
        ev("cooled", when="since(me.flags.scandal) >= 2 and since(rival.alpha.flags.mine) < 4"),
    ]
    g = make_game(events=events)
    hits = [(h.turn, h.event) for h in of(play_out(g), EventFired)]
    assert [t for t, e in hits if e == "after"] == [5]
    assert [t for t, e in hits if e == "never"] == []
    assert [t for t, e in hits if e == "cooled"] == [3, 4]  # mine fired in turn 1
    assert g.state.world.flag_turns == {"strait": 2}
    assert g.player.flag_turns == {"scandal": 1, "mine": 1}
    replays(g)


def test_flag_turns_are_kept_only_for_flags_read_with_since() -> None:
    g = make_game(events=[ev("mine", effects=[{"flag": "x"}])])
    play_out(g)
    assert g.state.world.flag_turns == {} and g.player.flag_turns == {}
    assert "flag_turns" not in g.state.canonical()["world"]


# -- choices_for ---------------------------------------------------------------------------


def summit(**fields: Any) -> dict[str, Any]:
    return ev(
        "summit",
        who="world",
        once=True,
        effects=[{"flag": "summit_held"}],
        choices_for={
            "us": [
                {"label": "Sign", "effects": [{"add": {"me.cash": 100}}]},
                {"label": "Walk out", "effects": [{"add": {"me.cash": 200}}], "ai_weight": 0},
            ],
            "china": [{"label": "Build at home", "effects": [{"add": {"me.cash": -300}}]}],
        },
        **fields,
    )


@pytest.mark.parametrize(("faction", "choice"), [("us", 1), ("china", 0)])
def test_a_world_event_hands_each_side_its_own_choices(faction: str, choice: int) -> None:
    g = make_game(faction, events=[summit()])
    fired = {(h.lab, h.awaiting_choice) for h in of(g.opening, EventFired)}
    player = US if faction == "us" else CHINA
    assert fired == {(None, False), (US, player == US), (US_RIVAL, False)} | {
        (CHINA, player == CHINA),
        ("whale", False),
    }
    assert [p.lab for p in g.state.pending] == [player]
    cash = {lab.id: lab.cash for lab in g.state.labs.values()}
    g.choose("summit", choice)
    gained = g.state.labs[player].cash - cash[player]
    assert gained == {("us", 1): 200, ("china", 0): -300}[faction, choice]
    assert f"summit_{choice + 1}" in g.state.labs[player].flags
    assert "summit" in g.state.world.flags
    # The computer labs chose from their own side's list at once.
    assert "summit_1" in g.state.labs[US_RIVAL].flags
    assert "summit_1" in g.state.labs["whale"].flags
    assert g.state.labs["whale"].cash == cash["whale"]  # its choice was made in the news
    step(g, Orders())
    replays(g)


def test_the_player_cannot_pick_past_their_sides_list() -> None:
    g = make_game("china", events=[summit()])
    with pytest.raises(Exception, match="choices 1 to 1"):
        g.choose("summit", 1)


# -- a victory condition --------------------------------------------------------------------


def test_a_victory_condition_ends_the_game_for_the_first_lab_meeting_it() -> None:
    win = {"kind": "condition", "when": "me.flags.crowned", "text": "was crowned."}
    crown = ev("crown", who="beta", when="turn == 3", effects=[{"lab_flag": "crowned"}])
    g = make_game(victory=[win, {"kind": "frontier_at_end"}], events=[crown])
    play_out(g)
    out = g.state.outcome
    assert out is not None and (out.kind, out.winner, g.state.turn) == ("condition", US_RIVAL, 3)
    assert out.text == "Beta Lab was crowned." or out.text.endswith("was crowned.")
    assert not out.player_won
    replays(g)


def test_a_victory_condition_never_met_leaves_the_other_victories() -> None:
    never = {"kind": "condition", "when": "me.cash > 1e12"}
    g = make_game(victory=[never, {"kind": "frontier_at_end"}])
    play_out(g)
    assert g.state.outcome is not None and g.state.outcome.kind == "frontier_at_end"


def test_ties_go_to_the_higher_capability() -> None:
    g = make_game(victory=[{"kind": "condition", "when": "turn >= 2"}])
    play_out(g)
    out = g.state.outcome
    assert out is not None and out.kind == "condition" and g.state.turn == 2
    best = max(g.state.labs.values(), key=lambda lab: (lab.capability, lab.id))
    assert out.winner == best.id
