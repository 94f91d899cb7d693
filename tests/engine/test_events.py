"""The event engine (DESIGN.md §4): triggers, chances, targets, effects, choices, chains."""

from __future__ import annotations

from typing import Any

import pytest

from game.engine.events import ai_choice
from game.engine.game import Game, GameError
from game.engine.happenings import ChoiceMade, EventFired, News
from game.engine.orders import Orders
from game.engine.rulebook import CChoice, CEffect
from tests.engine.helpers import CHINA, CN_RIVAL, US, US_RIVAL, accounts, make_game, of, step

ALL_LABS = {US, CHINA, US_RIVAL, CN_RIVAL}
Hits = list[tuple[int, str | None, str]]  # (turn, lab or None for the world, event id)


def ev(event_id: str, **fields: Any) -> dict[str, Any]:
    """An event dict: a title, and whatever the test says."""
    return {"id": event_id, "title": event_id.replace("_", " ").capitalize(), **fields}


def fired(game: Game, choice: int = 0) -> Hits:
    """Play the game out; every event that fired as (turn, lab, event id)."""
    out = list(game.opening)
    while not game.over:
        out += step(game, choice=choice)
    return [(h.turn, h.lab, h.event) for h in of(out, EventFired)]


def turns_of(hits: Hits, event_id: str, lab: str | None = US) -> list[int]:
    """The turns `event_id` hit `lab` (None: the world)."""
    return [t for t, who, e in hits if e == event_id and who == lab]


# -- when, chance, once, earliest/latest ----------------------------------------------


def test_when_is_checked_every_quarter() -> None:
    g = make_game(events=[ev("late", when="turn >= 3")])
    assert turns_of(fired(g), "late") == [3, 4, 5, 6, 7, 8]


def test_when_reads_the_labs_state() -> None:
    rich = ev("rich", who="all", when="me.cash > 4000", latest=1)
    hits = fired(make_game(events=[rich]))
    assert {lab for _, lab, _ in hits} == {US, US_RIVAL}  # 5,000 and 8,000; the others less


@pytest.mark.parametrize("seed", range(5))
def test_chance_zero_never_fires_and_one_always_does(seed: int) -> None:
    never = ev("never", who="all", chance=0.0)
    always = ev("always", who="all", chance=1.0)
    hits = fired(make_game(seed=seed, events=[never, always]))
    assert not [h for h in hits if h[2] == "never"]
    for lab in ALL_LABS:
        assert turns_of(hits, "always", lab) == list(range(1, 9))


def test_a_chance_in_between_fires_sometimes() -> None:
    counts = []
    for seed in range(5):
        hits = fired(make_game(seed=seed, events=[ev("maybe", who="all", chance=0.5)]))
        counts.append(len(hits))
    assert 0.3 * 32 < sum(counts) / len(counts) < 0.7 * 32  # 8 turns x 4 labs
    assert len(set(counts)) > 1


def test_once_fires_once_per_lab() -> None:
    hits = fired(make_game(events=[ev("one_shot", who="all", once=True)]))
    for lab in ALL_LABS:
        assert turns_of(hits, "one_shot", lab) == [1]


def test_once_for_a_world_event() -> None:
    g = make_game(events=[ev("one_world", who="world", once=True, when="turn >= 2")])
    assert turns_of(fired(g), "one_world", None) == [2]
    assert g.state.world.events_seen == {"one_world": 1}


@pytest.mark.parametrize(
    ("earliest", "latest", "expected"),
    [
        (3, 5, [3, 4, 5]),
        ("2025 Q3", "2026 Q1", [3, 4, 5]),
        (None, 2, [1, 2]),
        ("2026 Q4", None, [8]),
        (6, "2026 Q2", [6]),
    ],
)
def test_earliest_and_latest_as_turns_or_dates(
    earliest: int | str | None, latest: int | str | None, expected: list[int]
) -> None:
    fields = {k: v for k, v in (("earliest", earliest), ("latest", latest)) if v is not None}
    g = make_game(events=[ev("window", **fields)])
    assert turns_of(fired(g), "window") == expected


# -- who ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "faction", "expected"),
    [
        ("player", "us", {US}),
        ("player", "china", {CHINA}),
        ("ai", "us", {CHINA, US_RIVAL, CN_RIVAL}),
        ("ai", "china", {US, US_RIVAL, CN_RIVAL}),
        ("all", "us", ALL_LABS),
        ("us", "us", {US, US_RIVAL}),
        ("china", "us", {CHINA, CN_RIVAL}),
        (CN_RIVAL, "us", {CN_RIVAL}),
        ("world", "us", {None}),
    ],
)
def test_who_an_event_hits(who: str, faction: str, expected: set[str | None]) -> None:
    g = make_game(faction, events=[ev("hit", who=who, once=True, effects=[{"lab_flag": "hit"}])])
    hits = fired(g)
    assert {lab for _, lab, _ in hits} == expected
    flagged = {k for k, lab in g.state.labs.items() if "hit" in lab.flags}
    assert flagged == expected - {None}


def test_events_skip_labs_that_are_out() -> None:
    g = make_game(
        labs={US_RIVAL: {"cash": 10, "running_costs": 5000}},
        rules={"bankruptcy_quarters": 1},
        events=[ev("each", who="all")],
    )
    hits = fired(g)
    assert turns_of(hits, "each", US_RIVAL) == [1]
    assert turns_of(hits, "each", US) == list(range(1, 9))


# -- immediate effects ------------------------------------------------------------------


def opening(*effects: dict[str, Any], who: str = "player", faction: str = "us") -> Game:
    """A game whose first quarter opens with one event applying `effects`."""
    return make_game(faction, events=[ev("now", who=who, once=True, effects=list(effects))])


@pytest.mark.parametrize(
    ("effect", "field", "expected"),
    [
        ({"add": {"me.cash": 100}}, "cash", 5100),
        ({"add": {"me.cash": "0.1 * me.cash"}}, "cash", 5500),
        ({"set": {"me.concern": "me.concern + 7"}}, "concern", 17),
        ({"set": {"me.cash": 42}}, "cash", 42),
        ({"multiply": {"me.efficiency": 1.5}}, "efficiency", 1.5),
        ({"multiply": {"me.backing": "1 + turn / 10"}}, "backing", 66),
        ({"add": {"me.concern": 500}}, "concern", 100),  # concern stays in 0..100
        ({"add": {"me.backing": -500}}, "backing", 0),
        ({"set": {"me.efficiency": 0.5}}, "efficiency", 1.0),  # efficiency >= 1
        ({"set": {"me.capability": 10}}, "capability", 60),  # capability never falls
        ({"set": {"me.capability": 70}}, "capability", 70),
        ({"set": {"me.train_share": 2}}, "train_share", 1.0),
        ({"add": {"me.gpus.h100": 500}}, "gpus_total", 10500),
        ({"add": {"me.gpus.h100": -50000}}, "gpus_total", 0),  # never below zero
        ({"add": {"me.power.gas": 7}}, "power_mw", 21),
    ],
)
def test_add_set_and_multiply(effect: dict[str, Any], field: str, expected: float) -> None:
    g = opening(effect)
    assert getattr(g.player, field) == pytest.approx(expected)


def test_effects_reach_other_labs_and_the_world() -> None:
    g = opening(
        {"add": {"rival.beta.cash": 1, "china.backing": -10}},
        {"multiply": {"world.demand": 2}},
        {"add": {"world.demand_growth": 0.1}},
    )
    assert g.state.labs[US_RIVAL].cash == 8001
    assert g.state.labs[CHINA].backing == 50
    assert g.state.world.demand == 4000
    assert g.state.world.demand_growth == pytest.approx(0.15)


def test_effects_apply_in_file_order() -> None:
    g = opening({"set": {"me.cash": 100}}, {"multiply": {"me.cash": 2}}, {"add": {"me.cash": 1}})
    assert g.player.cash == 201


def test_money_from_events_shows_in_the_next_accounts() -> None:
    g = opening({"add": {"me.cash": -300}})
    out = step(g, Orders())
    assert dict(accounts(out).spending)["events"] == pytest.approx(300)
    g = opening({"add": {"me.cash": 300}})
    out = step(g, Orders())
    assert dict(accounts(out).income)["events"] == pytest.approx(300)


def test_flags_and_lab_flags() -> None:
    events = [
        ev("raise", once=True, effects=[{"flag": "boom"}, {"lab_flag": "mine"}]),
        ev(
            "lower",
            once=True,
            when="turn >= 3",
            effects=[{"clear_flag": "boom"}, {"clear_lab_flag": "mine"}],
        ),
        ev("boom_seen", who="world", when="flags.boom"),
        ev("mine_seen", when="me.flags.mine"),
    ]
    g = make_game(events=events)
    assert "boom" in g.state.world.flags and "mine" in g.player.flags
    assert "raise" in g.player.flags  # an event marks the lab it hit with its id
    hits = fired(g)
    assert turns_of(hits, "boom_seen", None) == [1, 2]
    assert turns_of(hits, "mine_seen") == [1, 2]
    assert "boom" not in g.state.world.flags and "mine" not in g.player.flags


def test_export_rule_changes_show_in_what_the_player_may_order() -> None:
    g = opening(
        {"export": {"chip": "h100", "faction": "china", "allow": True}},
        {"supply": {"chip": "h100", "faction": "china", "add": 1000}},
        {"export": {"chip": "h20", "faction": "china", "allow": False}},
        who="world",
        faction="china",
    )
    assert g.problems(Orders(gpus={"h100": 1000})) == []
    assert g.problems(Orders(gpus={"h20": 1})) == [
        "H20 may not be sold to Chinese labs (export rules)"
    ]


def test_the_base_decks_ban_and_its_delayed_repeal() -> None:
    g = make_game("china")  # h20_ban in 2025 Q3, h20_back two quarters later
    allowed = {}
    while not g.over:
        allowed[g.state.turn] = g.problems(Orders(gpus={"h20": 1})) == []
        step(g)
    assert allowed == {1: True, 2: True, 3: False, 4: False, 5: True, 6: True, 7: True, 8: True}


def test_price_changes_what_orders_cost() -> None:
    g = opening({"price": {"chip": "h100", "multiply": 2}}, who="world")
    out = step(g, Orders(gpus={"h100": 100}))
    assert dict(accounts(out).spending)["GPUs"] == pytest.approx(100 * 50000 / 1e6)
    g = opening({"price": {"chip": "h100", "add": 5000}}, who="world")
    assert g.state.world.prices["h100"] == pytest.approx(30000 / 1e6)


def test_supply_changes_what_is_on_offer() -> None:
    g = opening({"supply": {"chip": "h100", "faction": "us", "multiply": 0.5}}, who="world")
    assert g.problems(Orders(gpus={"h100": 10000})) == []
    assert g.problems(Orders(gpus={"h100": 10001}))
    g = opening({"supply": {"chip": "h100", "add": -50000}}, who="world")
    assert g.state.world.supply["h100"] == {"us": 0, "china": 0}  # both sides, never below 0


def test_demand_changes() -> None:
    g = opening({"demand": {"multiply": 1.5, "growth": 0.05}}, who="world")
    assert g.state.world.demand == pytest.approx(3000)
    assert g.state.world.demand_growth == pytest.approx(0.1)


def test_power_lead_changes_when_new_power_comes_online() -> None:
    g = opening({"power_lead": {"source": "gas", "faction": "us", "add": 2}}, who="world")
    assert g.state.world.power_lead["gas"] == {"us": 3, "china": 1}
    g.submit(Orders(power={"gas": 10}))
    g.end_turn()
    assert [(a.turn, a.key) for a in g.player.pipeline] == [(4, "gas")]


def test_news_lines() -> None:
    g = opening({"news": "Something happened."})
    assert [h.line for h in of(g.opening, News)] == ["Something happened."]


# -- choices ------------------------------------------------------------------------------

DILEMMA = ev(
    "dilemma",
    once=True,
    effects=[{"add": {"me.concern": 1}}],
    choices=[
        {"label": "Take", "effects": [{"add": {"me.cash": 1000}}]},
        {"label": "Leave", "effects": [{"add": {"me.backing": 10}}]},
    ],
)


def test_the_players_choice_waits_and_end_turn_refuses_until_it_is_made() -> None:
    g = make_game(events=[DILEMMA])
    assert g.pending == [("dilemma", US)]
    assert g.player.concern == 11  # the event's own effects apply at once
    assert [h.awaiting_choice for h in of(g.opening, EventFired)] == [True]
    before = g.state.digest()
    with pytest.raises(GameError, match="Dilemma"):
        g.end_turn()
    assert g.state.digest() == before
    out = g.choose("dilemma", 1)
    assert [h.label for h in of(out, ChoiceMade)] == ["Leave"]
    assert g.pending == []
    assert g.player.backing == 70 and g.player.cash == 5000
    assert "dilemma_2" in g.player.flags
    g.end_turn()


@pytest.mark.parametrize(("event_id", "index"), [("dilemma", 2), ("dilemma", -1), ("nope", 0)])
def test_choices_out_of_range_are_refused(event_id: str, index: int) -> None:
    g = make_game(events=[DILEMMA])
    before = g.state.digest()
    with pytest.raises(GameError):
        g.choose(event_id, index)
    assert g.state.digest() == before
    assert g.pending == [("dilemma", US)]


def test_a_choice_cannot_be_made_twice() -> None:
    g = make_game(events=[DILEMMA])
    g.choose("dilemma", 0)
    with pytest.raises(GameError):
        g.choose("dilemma", 0)
    assert g.player.cash == 6000


def test_computer_labs_choose_by_weight_and_never_a_zero_weight() -> None:
    offer = ev(
        "offer",
        who="ai",
        once=True,
        choices=[
            {"label": "Never", "ai_weight": 0},
            {"label": "Mostly", "ai_weight": 3},
            {"label": "Sometimes", "ai_weight": 1},
        ],
    )
    picks = {1: 0, 2: 0, 3: 0}
    for seed in range(40):
        g = make_game(seed=seed, events=[offer])
        assert g.pending == []  # computer labs never wait
        for lab in g.state.labs.values():
            for i in picks:
                picks[i] += f"offer_{i}" in lab.flags
    assert picks[1] == 0
    assert picks[2] + picks[3] == 120
    assert picks[2] > 2 * picks[3]


def test_ai_choice_splits_rolls_in_proportion_to_the_weights() -> None:
    choices = tuple(CChoice(str(i), "", (), w, ()) for i, w in enumerate([1.0, 0.0, 3.0]))
    picks = [ai_choice(choices, i / 1000) for i in range(1000)]
    assert picks.count(0) == 250 and picks.count(1) == 0 and picks.count(2) == 750


def test_ai_choice_never_picks_a_zero_weight_even_for_a_roll_next_to_one() -> None:
    choices = tuple(CChoice(str(i), "", (), w, ()) for i, w in enumerate([0.3, 0.7, 0.0]))
    assert ai_choice(choices, 1 - 2**-53) != 2


# -- chains ---------------------------------------------------------------------------------


def chained(event_id: str, **fields: Any) -> dict[str, Any]:
    return ev(event_id, chained=True, effects=[{"lab_flag": f"{event_id}_done"}], **fields)


@pytest.mark.parametrize("delay", [0, 1, 3])
def test_then_fires_the_next_event_after_its_delay(delay: int) -> None:
    first = ev("first", once=True, then=[{"event": "second", "delay": delay}])
    hits = fired(make_game(events=[first, chained("second")]))
    assert turns_of(hits, "first") == [1]
    assert turns_of(hits, "second") == [1 + delay]


def test_chained_events_fire_only_through_a_chain() -> None:
    hits = fired(make_game(events=[chained("orphan")]))
    assert hits == []


def test_a_choice_can_start_a_chain() -> None:
    pick = ev(
        "pick",
        once=True,
        choices=[
            {"label": "Go", "then": [{"event": "later", "delay": 2}]},
            {"label": "Stay"},
        ],
    )
    hits = fired(make_game(events=[pick, chained("later")]), choice=0)
    assert turns_of(hits, "later") == [3]
    hits = fired(make_game(events=[pick, chained("later")]), choice=1)
    assert turns_of(hits, "later") == []


def test_a_delayed_chain_checks_when_and_chance_when_it_comes_due() -> None:
    first = ev(
        "first", once=True, then=[{"event": "second", "delay": 2}, {"event": "third", "delay": 2}]
    )
    events = [first, chained("second", when="turn >= 10"), chained("third", chance=0.0)]
    hits = fired(make_game(events=events))
    assert turns_of(hits, "second") == [] and turns_of(hits, "third") == []


def test_an_immediate_chain_rolls_the_chance_too() -> None:
    first = ev("first", once=True, then=[{"event": "second"}])
    hits = fired(make_game(events=[first, chained("second", chance=0.0)]))
    assert turns_of(hits, "second") == []


def test_a_world_event_hands_on_to_every_lab_each_side_event_names() -> None:
    """Each lab gets its own event and its own choice; the player is asked only their own."""
    world = ev("summit", who="world", once=True, then=[{"event": "us_deal"}, {"event": "cn_deal"}])
    pick = [
        {"label": "Sign", "ai_weight": 1, "then": [{"event": "signed"}]},
        {"label": "Refuse", "ai_weight": 0},
    ]
    events = [
        world,
        ev("us_deal", who="us", chained=True, choices=pick),
        ev("cn_deal", who="china", chained=True, choices=pick),
        chained("signed", who="all"),
    ]
    g = make_game(events=events)
    hits = [(h.lab, h.event) for h in of(g.opening, EventFired)]
    assert hits[0] == (None, "summit")
    assert sorted(hits[1:], key=str) == sorted(
        [(US, "us_deal"), (US_RIVAL, "us_deal"), (CHINA, "cn_deal"), (CN_RIVAL, "cn_deal")]
        + [(US_RIVAL, "signed"), (CHINA, "signed"), (CN_RIVAL, "signed")],
        key=str,
    )
    # The player is asked exactly their own lab's choice; the computers chose theirs.
    assert g.pending == [("us_deal", US)]
    made = [(c.lab, c.event) for c in of(g.opening, ChoiceMade)]
    assert sorted(made) == sorted(
        [(US_RIVAL, "us_deal"), (CHINA, "cn_deal"), (CN_RIVAL, "cn_deal")]
    )
    out = g.choose("us_deal", 0)
    assert [(c.lab, c.label) for c in of(out, ChoiceMade)] == [(US, "Sign")]
    assert [(h.lab, h.event) for h in of(out, EventFired)] == [(US, "signed")]
    assert g.player.flags >= {"us_deal", "us_deal_1", "signed", "signed_done"}
    assert "cn_deal" not in g.player.flags


def test_a_lab_event_hands_on_to_the_world_or_to_the_same_lab_only() -> None:
    first = ev("first", who="us", once=True, then=[{"event": "global"}, {"event": "mine"}])
    events = [first, chained("global", who="world"), chained("mine", who="all")]
    hits = fired(make_game(events=events))
    assert turns_of(hits, "global", None) == [1]  # once for the world, though two labs chained
    assert sorted(lab for _, lab, e in hits if e == "mine") == sorted([US, US_RIVAL])


def test_an_event_fires_at_most_once_a_quarter_per_lab_however_many_chains_lead_to_it() -> None:
    events = [
        ev("a", who="all", then=[{"event": "c"}, {"event": "c"}]),
        ev("b", who="all", then=[{"event": "c"}]),
        chained("c", who="all"),
    ]
    g = make_game(events=events)
    hits = fired(g)
    for lab in ALL_LABS:
        assert turns_of(hits, "c", lab) == list(range(1, 9))


def test_a_delayed_self_chain_recurs_once_a_quarter_without_piling_up() -> None:
    echo = ev("echo", who="all", then=[{"event": "echo", "delay": 1}] * 3)
    g = make_game(events=[echo])
    hits = fired(g)
    for lab in ALL_LABS:
        assert turns_of(hits, "echo", lab) == list(range(1, 9))
    assert len(g.state.scheduled) <= len(ALL_LABS)  # one due echo per lab, not 3^8


def test_an_event_failing_on_a_lab_names_the_event_and_the_lab() -> None:
    g = make_game(events=[ev("boom", who="player", effects=[{"add": {"me.cash": 1}}])])
    boom = g.book.event["boom"]
    target = boom.effects[0].data[0][0]
    object.__setattr__(boom, "effects", (CEffect("add", ((target, _Raises()),)),))
    with pytest.raises(ZeroDivisionError) as err:
        step(g)
    assert "while applying event 'boom' to alpha" in err.value.__notes__


class _Raises:
    """A compiled value whose function fails, as a bug in the engine would."""

    @staticmethod
    def fn(*args: Any) -> float:
        raise ZeroDivisionError("a bug")


def test_an_event_that_seizes_gpus_leaves_no_more_powered_than_installed() -> None:
    seize = ev("seize", earliest=2, once=True, effects=[{"add": {"me.gpus.h100": -8000}}])
    g = make_game(events=[seize])
    step(g)
    assert g.player.gpus_total == 2000
    assert g.player.powered_gpus <= g.player.gpus_total
    assert g.player.idle_gpus >= 0


# -- difficulty: how hard events' setbacks hit the player ------------------------------

SEVERE = {
    "easy": {"name": "Easy", "event_severity": 0.5},
    "hard": {"name": "Hard", "event_severity": 1.5},
}


def severe(difficulty: str | None, *effects: dict[str, Any], who: str = "all") -> Game:
    """A game opening with one event that applies `effects`, at `difficulty`."""
    return make_game(
        "us",
        difficulty=difficulty,
        difficulties=SEVERE,
        events=[ev("now", who=who, once=True, effects=list(effects))],
    )


@pytest.mark.parametrize(
    ("effect", "field", "normal", "easy", "hard"),
    [
        ({"add": {"me.cash": -1000}}, "cash", 4000, 4500, 3500),
        ({"add": {"me.backing": -20}}, "backing", 40, 50, 30),
        ({"add": {"me.concern": 20}}, "concern", 30, 20, 40),
        ({"add": {"me.gpus.h100": -2000}}, "gpus_total", 8000, 9000, 7000),
        ({"multiply": {"me.cash": 0.5}}, "cash", 2500, 3750, 1250),
    ],
)
def test_event_severity_weighs_the_players_setbacks(
    effect: dict[str, Any], field: str, normal: float, easy: float, hard: float
) -> None:
    for difficulty, expected in ((None, normal), ("easy", easy), ("hard", hard)):
        g = severe(difficulty, effect)
        assert getattr(g.player, field) == pytest.approx(expected), difficulty


@pytest.mark.parametrize(
    "effect",
    [
        {"add": {"me.cash": 1000}},
        {"add": {"me.concern": -5}},
        {"set": {"me.cash": 42}},
        {"multiply": {"me.efficiency": 1.5}},
        {"set": {"me.train_share": 0.2}},
    ],
)
def test_event_severity_never_scales_gains_or_set_values(effect: dict[str, Any]) -> None:
    field = next(iter(next(iter(effect.values())))).split(".")[1]
    values = {getattr(severe(d, effect).player, field) for d in (None, "easy", "hard")}
    assert len(values) == 1


def test_event_severity_spares_the_computer_labs() -> None:
    normal = severe(None, {"add": {"me.cash": -1000}})
    hard = severe("hard", {"add": {"me.cash": -1000}})
    for lab in (US_RIVAL, CHINA, CN_RIVAL):
        assert hard.state.labs[lab].cash == normal.state.labs[lab].cash
    assert hard.player.cash < normal.player.cash
