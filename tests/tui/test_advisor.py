"""The advisor reads the game and warns; it never changes the state."""

from __future__ import annotations

from game.engine.orders import Orders
from game.tui.advisor import advise, buyable, carry_over, export_news, projected_lab
from tests.tui.helpers import new_game


def settle(game) -> None:  # type: ignore[no-untyped-def]
    game.play_ai_choices()


def test_advice_leaves_the_state_alone() -> None:
    game = new_game()
    settle(game)
    before = game.state.digest()
    advise(game, Orders(gpus={"h100": 300_000}, power={"gas": 100}, research=500))
    carry_over(game, Orders(gpus={"h100": 300_000}))
    assert game.state.digest() == before


def test_gpus_that_power_cannot_feed_are_warned_about_with_the_mw_they_need() -> None:
    game = new_game()
    settle(game)
    lab = game.player
    orders = Orders(gpus={"h100": 300_000}, train_share=0.5)
    later = projected_lab(game.book, game.state, orders, everything=True)
    assert later.idle_gpus > 0 and later.idle_mw_needed > 0
    lines = [a.text for a in advise(game, orders)]
    assert any(f"{later.idle_mw_needed:,} MW" in line for line in lines)
    assert lab.gpus == game.player.gpus  # the projection worked on a copy


def test_idle_gpus_now_are_urgent() -> None:
    game = new_game("base", "us", 1)
    settle(game)
    game.player.power = {}  # a lab with no power at all: every GPU idles now
    advice = advise(game, Orders(train_share=0.5))
    assert advice[0].urgent and "idle" in advice[0].text


def test_spending_everything_warns_that_cash_will_not_cover_the_quarter() -> None:
    game = new_game()
    settle(game)
    game.player.cash = 3000.0
    game.player.revenue = 0.0
    gpus = int(3000.0 / game.state.world.prices["h100"]) - 1
    advice = advise(game, Orders(gpus={"h100": gpus}, train_share=0.5))
    assert any(a.urgent and "Cash will not cover" in a.text for a in advice)


def test_an_export_rule_change_is_told_to_the_side_it_hits() -> None:
    game = new_game("base", "china", 1)
    settle(game)
    assert buyable(game, "h20")
    game.end_turn()  # 2025 Q2: H20 sales to China need a licence
    settle(game)
    lines = [a.text for a in export_news(game)]
    assert any("no longer buy H20" in line for line in lines)
    assert not buyable(game, "h20")


def test_carry_over_keeps_what_still_stands_and_drops_the_rest() -> None:
    game = new_game("base", "china", 1)
    settle(game)
    last = Orders(gpus={"h20": 1000, "ascend": 1000}, power={"grid": 10}, research=50)
    game.submit(last)
    game.end_turn()
    settle(game)
    kept = carry_over(game, last)
    assert "h20" not in kept.gpus  # no longer allowed
    assert kept.gpus.get("ascend") == 1000
    assert kept.power == {"grid": 10}
    assert kept.research == 50
    assert not game.problems(kept)


def test_carry_over_drops_what_cash_no_longer_covers() -> None:
    game = new_game()
    settle(game)
    game.player.cash = 100.0  # $100M
    kept = carry_over(game, Orders(gpus={"h100": 100_000}, research=50, train_share=0.7))
    assert kept.gpus == {}
    assert kept.research == 50
    assert kept.train_share == 0.7


def test_concern_and_backing_near_their_limits_are_urgent() -> None:
    game = new_game("base", "china", 1)
    settle(game)
    game.player.concern = 90.0
    game.player.backing = 10.0
    texts = [a.text for a in advise(game, Orders(train_share=0.5)) if a.urgent]
    assert any("Concern is 90" in t and "shut the lab down" in t for t in texts)
    assert any("State backing is 10" in t and "takes the lab over" in t for t in texts)
