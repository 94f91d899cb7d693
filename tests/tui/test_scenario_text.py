"""Scenario text is data: markup, links and Markdown in a stranger's file show as written.

The hostile scenario (tests/tui/hostile.py) puts `[/]`, action links, Rich links
and Markdown links in every text field. Read as markup, `[/]` crashes the app
with a MarkupError and a link runs an action when clicked; the watched app
records the actions a link could reach (bell, quit, screenshot, open a URL).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from game.engine.game import Game
from game.engine.happenings import ChoiceMade
from game.engine.rulebook import Rulebook
from game.engine.state import Pending
from game.scenario.loader import load_scenario
from game.tui.plain import clean, plain, sentence
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.event import EventScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.new_game import NewGameScreen
from game.tui.screens.report import ReportScreen
from game.tui.widgets.news import feed
from game.tui.widgets.orders import Field
from tests.tui import hostile
from tests.tui.helpers import SIZE, WatchedApp, find, new_game, play_out, screen_text

TALL = (120, 60)  # room for the whole event, report or glossary without scrolling


async def click_on(pilot: Pilot[None], app: WatchedApp, words: str) -> None:
    """Click the screen where `words` show (a link there would run)."""
    x, y = find(app, words)
    await pilot.click(offset=(x + 1, y))
    await pilot.pause()


def shown(app: WatchedApp, *words: str) -> None:
    text = screen_text(app)
    for w in words:
        assert w in text, f"{w!r} not on screen:\n{text}"


# -- the one place: plain text ------------------------------------------------------------


def test_plain_keeps_markup_as_text_and_drops_terminal_controls() -> None:
    text = "[/][@click=app.bell()]x[/] [b]y\x1b]52;c;aGk=\x1b\\\u202e\tz\x07\nnext"
    content = plain(text)
    assert content.plain == "[/][@click=app.bell()]x[/] [b]y]52;c;aGk=\\ z\nnext"
    assert not content.spans
    assert clean("a\x00b\x9bc") == "abc"


def test_a_sentence_opens_with_a_capital_but_names_stay_as_written() -> None:
    assert sentence("bought 10 GPUs") == "Bought 10 GPUs"
    assert sentence("xAI went bankrupt") == "xAI went bankrupt"
    assert sentence("deepwhale went bankrupt", ["deepwhale"]) == "deepwhale went bankrupt"
    assert sentence("H100 GPUs delivered") == "H100 GPUs delivered"


# -- each case -------------------------------------------------------------------------


async def test_brackets_in_an_events_text_and_a_chip_name_show_as_written(tmp_path: Path) -> None:
    app = WatchedApp(hostile.game(tmp_path))
    async with app.run_test(size=TALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        shown(
            app,
            "[/]player event title [@click=app.bell()]r[/] [link=https://evil.example/]l[/link]",
            "[link=https://evil.example/]l[/link] [m](https://evil.example/) **m**",
            "[@click=app.screenshot('x.svg',",
            "Source: [/]player event source",
            "1  [/]player pick 1 [@click=app.bell()]x[/]",
            "[/]player preview 1",
        )
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        shown(app, "[/]lab us [@click", "90,000 [/]H100 [@click=app.bell()]x[/]", "[/]Us[b]")
        label = app.screen.query_one("#gpu-h100", Field).query_one(".field-label")
        assert str(label.render()) == hostile.CHIP_NAME
        await pilot.press("question_mark")
        await pilot.pause()
        app.screen.query_one("#help-body").scroll_end(animate=False)
        await pilot.pause()
        shown(app, f"This scenario: {hostile.SCENARIO_NAME}", "[/]term [@click=app.bell()]r[/]")
    assert app.ran == []


async def test_an_action_link_in_an_events_text_is_not_a_link(tmp_path: Path) -> None:
    app = WatchedApp(hostile.game(tmp_path, links_only=True))
    async with app.run_test(size=TALL) as pilot:
        await pilot.pause()
        await click_on(pilot, app, hostile.PLAYER_EVENT_TEXT)
        assert isinstance(app.screen, EventScreen)
    assert app.ran == []
    assert list(tmp_path.glob("*.svg")) == []


async def test_the_glossary_is_plain_text_without_links(tmp_path: Path) -> None:
    app = WatchedApp(hostile.game(tmp_path, links_only=True))
    async with app.run_test(size=TALL) as pilot:
        await pilot.pause()
        await pilot.press("1", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        app.screen.query_one("#help-body").scroll_end(animate=False)
        await pilot.pause()
        shown(app, "Glossary", "Term. [Read more](https://evil.example/) [@click=app.bell()]or")
        await click_on(pilot, app, "Read more")
    assert app.ran == []


async def test_the_report_names_power_and_chips_as_the_scenario_writes_them() -> None:
    app = WatchedApp(new_game())
    async with app.run_test(size=TALL) as pilot:
        await pilot.pause()
        while isinstance(app.screen, EventScreen):
            await pilot.press("1")
            await pilot.pause()
        for field, digits in (("gpu-h100", "1000"), ("power-renewables", "10")):
            app.screen.query_one(f"#{field}", Field).input.focus()
            await pilot.press("ctrl+a", "ctrl+k", *digits)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        shown(
            app, "H100-class GPUs of the 1,000 you ordered", "Started 10 MW of Renewables PPA for"
        )


async def test_a_refusal_keeps_the_name_that_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lower.yaml"
    path.write_text("extends: base\nmeta: {id: lower, name: Lower}\nchips: {h20: {name: ti}}\n")
    game = Game(Rulebook(load_scenario(path)), "us", 1, difficulty="normal")
    # The engine words a refusal with the scenario's names; a name may open it.
    refusal = "ti may not be sold to US labs"
    monkeypatch.setattr(game, "problems", lambda orders, **_: [refusal])
    app = WatchedApp(game)
    async with app.run_test(size=TALL) as pilot:
        await pilot.pause()
        while isinstance(app.screen, EventScreen):
            await pilot.press("1")
            await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        shown(app, f"✗ {refusal}")
        told = [n.message for n in app._notifications]
        assert told == [f"These orders cannot be given: {refusal}"]


def test_only_the_players_own_choices_read_you_chose() -> None:
    game = new_game()
    player = game.state.player
    rivals = [lab for lab in game.state.labs if lab != player][:2]
    short = [game.state.labs[r].short for r in rivals]
    made = [
        ChoiceMade(1, player, "ev", "Stargate", "Double down", 0),
        ChoiceMade(1, None, "world", "Export rules", "Ban the H20", 1),
        ChoiceMade(1, rivals[0], "rivals", "Open weights?", "Release", 0),
        ChoiceMade(1, rivals[1], "rivals", "Open weights?", "Release", 0),
    ]
    lines = [line.plain for line in feed(game, made)]
    assert lines == [
        "✓ You chose 'Double down' (Stargate)",
        "✓ Export rules: 'Ban the H20'",
        f"✓ {short[0]}, {short[1]} chose 'Release' (Open weights?)",
    ]


async def test_the_player_is_asked_only_the_events_waiting_for_their_own_lab(
    tmp_path: Path,
) -> None:
    game = hostile.game(tmp_path, links_only=True)
    rival = next(lab for lab in game.state.labs if lab != game.state.player)
    game.state.pending.insert(0, Pending("hostile_rivals", rival))
    app = WatchedApp(game)
    async with app.run_test(size=TALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        assert app.screen.event.id == "hostile_player"
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


# -- a whole game --------------------------------------------------------------------------


async def test_a_hostile_scenario_plays_from_the_title_screen_to_the_end(tmp_path: Path) -> None:
    scenario, info = hostile.load(tmp_path)
    app = WatchedApp()
    app._catalog = [info]
    app._loaded[info.path] = scenario
    async with app.run_test(size=TALL) as pilot:
        await pilot.pause()
        await pilot.press("s")  # the scenarios screen
        await pilot.pause()
        shown(app, hostile.SCENARIO_NAME, "l[/link]: [/]lab us", "[/]about side us [@")
        await click_on(pilot, app, "Scenario description")
        await pilot.press("p")  # play it: the new-game screen
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)
        shown(app, "[/]side us [@", "[/]normal [@click=app.bell()]x[/]")
        shown(
            app, "[/]normal [@click=app.bell()]ring[/]", "Chips [/]H100 [@click=app.bell()]x[/] ($"
        )
        await pilot.press("2", "down", "up", "3", "enter", "5", "enter")  # US, normal, seed 5
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        await pilot.press("2")
        await pilot.pause()
        shown(
            app,
            "You chose '[/]player pick 2 [@click=app.bell()]x[/]'",
            "✓ [/]world event title",
            "'[/]rival pick",
            "[/]world news",
        )
        await pilot.press("c")
        await pilot.pause()
        shown(app, "[/]Us[b] (you)")
        await pilot.press("escape", "e")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        shown(app, "Report for", "[/]backing")
        await play_out(pilot, app)
        assert isinstance(app.screen, EndScreen)
        shown(app, "[/]lab us [@click=app.bell()]r[/]")
        for where in ("[/]lab us", "[/]rival"):
            await click_on(pilot, app, where)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
    assert app.ran == []
    assert list(tmp_path.glob("*.svg")) == []


async def test_new_game_keys_1_2_3_go_to_the_numbered_lists() -> None:
    app = WatchedApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NewGameScreen)
        scenario = screen.query_one("#ng-scenario", OptionList).highlighted
        for key, focused in (("2", "ng-side"), ("3", "ng-difficulty"), ("1", "ng-scenario")):
            await pilot.press(key)
            assert app.focused is not None and app.focused.id == focused
        assert screen.query_one("#ng-scenario", OptionList).highlighted == scenario
        await pilot.press("2", "down", "enter", "enter")  # China, normal: now in the seed box
        assert app.focused is not None and app.focused.id == "ng-seed"
        await pilot.press("1", "2", "3")  # a digit in the seed box is a digit
        assert screen.query_one("#ng-seed").value == "123"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        game = app.current_game
        assert game is not None and (game.faction, game.seed) == ("china", 123)
