"""Events written with issue 11's forms: chip groups, `who` lists, a lab's name in text."""

from __future__ import annotations

from typing import Any

from game.engine.game import Game
from game.engine.orders import Orders
from tests.engine.helpers import CHINA, CN_RIVAL, US, US_RIVAL, make_game

GROUPS = {"chip_groups": {"nvidia": ["h100", "b200", "h20"], "hopper": ["h100", "h20"]}}


def ev(event_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "title": event_id.replace("_", " ").capitalize(), **fields}


def opening(*effects: dict[str, Any], faction: str = "us") -> Game:
    """A game whose first quarter opens with one world event applying `effects`."""
    events = [ev("now", who="world", once=True, effects=list(effects))]
    return make_game(faction, events=events, **GROUPS)


def test_an_export_change_on_a_group_changes_every_chip_in_it() -> None:
    g = opening({"export": {"chip": "nvidia", "faction": "china", "allow": True}})
    assert {c: g.state.world.buyers[c] for c in ("h100", "b200", "h20")} == {
        "h100": ("china", "us"),
        "b200": ("china", "us"),
        "h20": ("china",),
    }
    g = opening(
        {"export": {"chip": "nvidia", "faction": "china", "allow": True}},
        {"export": {"chip": "nvidia", "faction": "china", "allow": False}},
        faction="china",
    )
    assert {c: g.state.world.buyers[c] for c in ("h100", "b200", "h20")} == {
        "h100": ("us",),
        "b200": ("us",),
        "h20": (),
    }
    assert g.problems(Orders(gpus={"h20": 1})) == [
        "H20 may not be sold to Chinese labs (export rules)"
    ]


def test_price_and_supply_changes_on_a_group() -> None:
    g = opening(
        {"price": {"chip": "hopper", "multiply": 2}},
        {"supply": {"chip": "hopper", "faction": "china", "add": 500}},
    )
    prices = g.state.world.prices
    assert (prices["h100"], prices["h20"], prices["b200"]) == (0.05, 0.024, 0.035)
    supply = g.state.world.supply
    assert (supply["h100"]["china"], supply["h20"]["china"], supply["b200"]["china"]) == (
        500,
        20500,
        0,
    )


def test_a_group_plays_as_its_chips_one_by_one() -> None:
    one_by_one = [
        {"export": {"chip": c, "faction": "china", "allow": True}} for c in ("h100", "b200", "h20")
    ]
    a = make_game("china", 3, events=[ev("now", who="world", once=True, effects=one_by_one)])
    b = make_game(
        "china",
        3,
        events=[
            ev(
                "now",
                who="world",
                once=True,
                effects=[{"export": {"chip": "nvidia", "faction": "china", "allow": True}}],
            )
        ],
        **GROUPS,
    )
    while not a.over:
        for g in (a, b):
            while g.pending:
                g.choose(g.pending[0][0], 0)
            g.submit(g.suggested_orders())
            g.end_turn()
    assert a.state.digest() == b.state.digest()


def test_who_as_a_list_hits_any_lab_it_names_once_each() -> None:
    g = make_game(events=[ev("some", who=["china", US_RIVAL, CHINA], latest=1)])
    hit = [h.lab for h in g.opening if type(h).__name__ == "EventFired"]
    assert hit == [CHINA, US_RIVAL, CN_RIVAL]  # in scenario order, China's main lab once


def test_a_chained_event_with_a_who_list_follows_its_lab() -> None:
    first = ev("first", who="all", latest=1, then=[{"event": "second"}])
    second = ev("second", who=[US, CHINA], chained=True)
    g = make_game(events=[first, second])
    hit = {(h.lab, h.event) for h in g.opening if type(h).__name__ == "EventFired"}
    assert (US, "second") in hit and (CHINA, "second") in hit
    assert (US_RIVAL, "first") in hit and (US_RIVAL, "second") not in hit


def test_event_text_names_the_lab_it_hits() -> None:
    from game.engine.happenings import ChoiceMade, EventFired, News

    talk = ev(
        "talk",
        who="all",
        latest=1,
        title="{lab} in the news",
        text="{lab_short} of {side} says {{lab}} and {nope}.",
        effects=[{"news": "{lab} speaks"}],
        choices=[{"label": "Thank {lab_short}"}],
    )
    g = make_game(events=[talk])
    fired = {h.lab: h for h in g.opening if isinstance(h, EventFired)}
    assert fired[US].title == "Alpha Lab in the news"
    assert fired[US].body == "Alpha of United States says {lab} and {nope}."
    assert fired[CHINA].title.endswith(" in the news") and "{" not in fired[CHINA].title
    news = {h.lab: h.line for h in g.opening if isinstance(h, News)}
    assert news[US] == "Alpha Lab speaks"
    out = g.choose("talk", 0)
    made = [h for h in out if isinstance(h, ChoiceMade)]
    assert [(h.title, h.label) for h in made] == [("Alpha Lab in the news", "Thank Alpha")]
