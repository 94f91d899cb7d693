"""The story's beats are in the shipped base scenario, and each one can fire.

Each test puts a base game into the state that triggers a beat, runs the
quarter's news, and checks what the beat does.
"""

from __future__ import annotations

from functools import cache

import pytest

from game.engine.events import news_phase
from game.engine.game import Game
from game.engine.happenings import EventFired, Happening
from game.engine.orders import Orders
from game.engine.rulebook import Rulebook
from game.engine.state import GameState
from game.scenario.loader import load_scenario


@cache
def book() -> Rulebook:
    return Rulebook(load_scenario("base"))


def new_game(faction: str = "us", seed: int = 1) -> Game:
    return Game(book(), faction, seed)


def news_at(game: Game, turn: int) -> list[Happening]:
    """Run the news of `turn` on the game's state, as if the game had got there."""
    s = game.state
    start = book().scenario.start
    index = start.year * 4 + start.quarter - 1 + turn - 1
    s.turn, s.year, s.quarter = turn, index // 4, index % 4 + 1
    s.pending.clear()
    out: list[Happening] = []
    news_phase(book(), s, out)
    return out


def fired(out: list[Happening], event: str) -> list[EventFired]:
    return [h for h in out if isinstance(h, EventFired) and h.event == event]


def test_every_beat_of_the_story_is_an_event_with_a_source() -> None:
    events = {e.id: e for e in book().scenario.events}
    beats = [
        "deepseek_surprise", "beijing_backs", "arms_race", "grid_strain", "stargate",
        "controls_so_far", "diffusion_rule", "export_h20_licence", "diffusion_rescinded",
        "h20_resumes", "h200_allowed", "smuggling_offer", "smuggling_caught", "necessity",
        "cost_collapse", "reasoning_models", "protests", "hearing", "antitrust",
        "open_weights", "research_closes", "beijing_loosens", "ascend_ramp",
        "beijing_reviews",
    ]  # fmt: skip
    for beat in beats:
        assert beat in events, beat
        assert events[beat].text, beat
    unsourced = [b for b in beats if not events[b].source]
    assert len(unsourced) <= 2, unsourced  # only beats the game invents may go without


def test_the_deepseek_surprise_shakes_us_investors_and_offers_a_pivot() -> None:
    g = new_game("us")  # the first quarter's news breaks when the game starts
    before = book().scenario.factions["us"].lab.backing
    assert fired(g.opening, "deepseek_surprise")
    assert ("deepseek_surprise", g.player.id) in g.pending
    assert g.player.backing == pytest.approx(before - 10)
    eff = g.player.efficiency
    g.choose("deepseek_surprise", 1)  # pivot to efficiency
    assert g.player.efficiency == pytest.approx(eff * 1.3)


def test_the_arms_race_raises_gpu_prices() -> None:
    g = new_game()
    h100 = book().scenario.chips["h100"].price / 1e6
    assert fired(g.opening, "arms_race")
    assert g.state.world.prices["h100"] == pytest.approx(h100 * 1.1)


def test_power_like_a_city_offers_gas_turbines_to_a_lab_with_idle_gpus() -> None:
    g = new_game("us")
    g.player.gpus["h100"] += 100_000
    g.player.idle_gpus = 100_000
    out = news_at(g, 3)
    assert fired(out, "grid_strain")
    gas, cash = g.player.power.get("gas", 0), g.player.cash
    g.choose("grid_strain", 0)
    assert g.player.power["gas"] == gas + 150
    assert g.player.cash == pytest.approx(cash - 1050)


def test_stargate_brings_money_and_power_to_those_who_join() -> None:
    g = new_game("us")
    assert fired(g.opening, "stargate")
    cash, grid = g.player.cash, g.player.power["grid"]
    g.choose("stargate", 0)
    assert g.player.cash == pytest.approx(cash + 8000)
    assert g.player.power["grid"] == grid + 300
    assert "stargate" in g.state.world.flags


def test_beijing_backs_a_chinese_lab_near_the_frontier() -> None:
    g = new_game("china")
    # Tianhe starts within reach of the frontier, so Beijing calls at once...
    assert fired(g.opening, "beijing_backs")
    # ...and, replayed on a later quarter for a lab that has not seen it, at that point.
    g.state.pending.clear()
    g.player.events_seen.pop("beijing_backs", None)
    g.player.capability = g.state.world.frontier - 10
    assert not fired(news_at(g, 2), "beijing_backs")
    g.player.capability = g.state.world.frontier
    backing = g.player.backing
    out = news_at(g, 3)
    assert fired(out, "beijing_backs")
    g.choose("beijing_backs", 0)
    assert g.player.backing == pytest.approx(min(100.0, backing + 15))
    assert g.player.train_share == pytest.approx(0.6)


def test_necessity_rewards_a_starved_but_inventive_chinese_lab() -> None:
    g = new_game("china")
    us = g.state.labs["prometheus"]
    g.player.efficiency = us.efficiency * 2
    g.player.compute = us.compute * 0.1
    eff = g.player.efficiency
    out = news_at(g, 4)
    assert fired(out, "necessity")
    assert g.player.efficiency == pytest.approx(eff * 1.15)


def test_the_cost_collapse_is_marked_when_a_lab_reaches_five_cents() -> None:
    g = new_game("us")
    demand = g.state.world.demand
    g.player.cost_per_mtok = 0.049
    out = news_at(g, 6)
    assert [h.lab for h in fired(out, "cost_collapse")] == [g.player.id]
    assert g.state.world.demand == pytest.approx(demand * 1.1)


def test_reasoning_models_make_serving_compute_count() -> None:
    g = new_game()
    assert g.state.world.reasoning_weight == 0
    out = news_at(g, 2)
    assert fired(out, "reasoning_models")
    assert g.state.world.reasoning_weight == pytest.approx(0.3)


def test_collaborators_turn_competitors_and_research_sharing_falls() -> None:
    g = new_game()
    g.state.world.frontier = 80
    out = news_at(g, 5)
    assert fired(out, "research_closes")
    assert g.state.world.diffusion == pytest.approx(0.02)


def test_beijing_loosens_rules_from_2026() -> None:
    g = new_game("china")
    lead = g.state.world.power_lead["grid"]["china"]
    cash = g.player.cash
    assert not fired(news_at(g, 4), "beijing_loosens")  # 2025 Q4: not yet
    out = news_at(g, 5)  # 2026 Q1
    assert len(fired(out, "beijing_loosens")) == 1
    assert g.state.world.power_lead["grid"]["china"] == lead - 1
    assert g.player.cash >= cash + 2000


def test_domestic_chips_ramp_up_in_2026() -> None:
    g = new_game("china")
    supply = g.state.world.supply["ascend"]["china"]
    assert not fired(news_at(g, 4), "ascend_ramp")  # 2025 Q4: not yet
    assert fired(news_at(g, 5), "ascend_ramp")  # 2026 Q1
    assert g.state.world.supply["ascend"]["china"] == round(supply * 1.7)


def test_beijing_reviews_a_lagging_chinese_lab_and_can_take_it_over() -> None:
    for seed in range(40):  # a chance per quarter: find a seed that fires
        g = new_game("china", seed)
        g.player.capability = g.state.world.frontier - 8
        out = news_at(g, 6)
        if any(h.lab == g.player.id for h in fired(out, "beijing_reviews")):
            break
    else:
        pytest.fail("beijing_reviews never fired")
    assert not fired(news_at(new_game("china"), 4), "beijing_reviews")  # not before turn 5
    for other, _ in list(g.pending):
        if other != "beijing_reviews":
            g.choose(other, 0)
    # Promising results with backing this low loses the state's favour: a takeover.
    g.player.backing = 15
    g.choose("beijing_reviews", 0)
    assert g.player.backing == 0
    g.submit(Orders(train_share=g.player.train_share))
    g.end_turn()
    assert not g.player.alive and g.player.out_reason == "takeover"
    assert g.state.outcome is not None and g.state.outcome.kind == "takeover"


@pytest.mark.parametrize(
    ("event", "setup", "choice", "check"),
    [
        ("protests", {"concern": 80}, 0, lambda lab, c: lab.concern == pytest.approx(c - 15)),
        (
            "hearing",
            {"concern": 60, "market_share": 0.5},
            0,
            lambda lab, c: lab.concern == pytest.approx(c - 10),
        ),
        (
            "antitrust",
            {"market_share": 0.6, "concern": 95},
            0,
            lambda lab, c: lab.concern == pytest.approx(c - 20),
        ),
    ],
)
def test_concern_brings_protests_hearings_and_antitrust(
    event: str, setup: dict[str, float], choice: int, check: object
) -> None:
    for seed in range(40):  # these beats have a chance per quarter: find a seed that fires
        g = new_game("us", seed)
        for k, v in setup.items():
            setattr(g.player, k, v)
        out = news_at(g, 6)
        if any(h.lab == g.player.id for h in fired(out, event)):
            break
    else:
        pytest.fail(f"{event} never fired")
    # Answer everything else first, so only this beat's choice moves concern.
    for other, _ in list(g.pending):
        if other != event:
            g.choose(other, 0)
    concern = g.player.concern
    g.choose(event, choice)
    assert check(g.player, concern)  # type: ignore[operator]


def test_open_weights_is_offered_to_a_lab_near_the_frontier() -> None:
    for seed in range(60):
        g = new_game("us", seed)
        g.player.capability = g.state.world.frontier
        out = news_at(g, 4)
        if any(h.lab == g.player.id for h in fired(out, "open_weights")):
            break
    else:
        pytest.fail("open_weights never fired")
    diffusion = g.state.world.diffusion
    g.choose("open_weights", 0)
    assert g.state.world.diffusion == pytest.approx(diffusion + 0.02)


def china_may_buy(state: GameState, chip: str) -> bool:
    return "china" in state.world.buyers[chip]


def test_export_controls_follow_the_real_timeline() -> None:
    """Played through with computers in every seat: what China may buy, quarter by quarter."""
    g = Game(book(), "china", 3, player_policy="balanced")
    seen: dict[tuple[int, int], tuple[bool, bool]] = {}
    while not g.over and g.state.year <= 2026:
        s = g.state
        seen[s.year, s.quarter] = (china_may_buy(s, "h20"), china_may_buy(s, "h200"))
        g.play_ai_choices()
        g.end_turn()
    assert seen[2025, 1] == (True, False)  # H20 allowed, nothing faster
    assert seen[2025, 2] == (False, False)  # 9 Apr 2025: H20 needs a licence
    assert seen[2025, 3] == (True, False)  # Aug 2025: H20 sales resume
    assert seen[2026, 1] == (True, True)  # Dec 2025 - Jan 2026: H200 case by case
    assert not china_may_buy(g.state, "h100") and not china_may_buy(g.state, "b200")


def test_a_chinese_player_cannot_order_h20s_while_they_need_a_licence() -> None:
    g = new_game("china")
    news_at(g, 2)  # 2025 Q2
    problems = g.problems(Orders(gpus={"h20": 1000}))
    assert any("export rules" in p for p in problems)


def test_the_glossary_explains_the_story_terms_with_sources() -> None:
    glossary = {g.term: g for g in book().scenario.glossary}
    for term in ("Export controls", "H20", "PUE", "Effective compute", "State backing"):
        assert term in glossary, term
    assert len(glossary) >= 15
    assert sum(1 for g in glossary.values() if g.source) >= len(glossary) * 2 // 3
