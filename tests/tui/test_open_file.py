"""New game: a scenario file opened by its path joins the list; one with problems shows them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from game.tui.app import AIRaceApp
from game.tui.screens.new_game import NewGameScreen
from game.tui.screens.open_file import OpenFileScreen, complete
from game.tui.screens.problems import ProblemsScreen
from game.tui.widgets.choices import Choices
from tests.tui.helpers import SIZE, app_for, dashboard

MINE = "meta: {id: mine, name: My scenario}\nextends: base\nturns: 12\n"
BROKEN = (
    "meta: {id: mine, name: My scenario}\nextends: base\nturns: 99\nchips: {h100: {price: x}}\n"
)


async def open_file(app: AIRaceApp, pilot: Pilot[None], path: str) -> None:
    """From the title screen: New game, `o`, the path, Enter."""
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, NewGameScreen)
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(app.screen, OpenFileScreen)
    app.screen.query_one(Input).value = path
    await pilot.press("enter")
    await pilot.pause()


async def test_a_good_file_joins_the_list_and_starts_a_game(tmp_path: Path) -> None:
    path = tmp_path / "my.yaml"
    path.write_text(MINE, encoding="utf-8")
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await open_file(app, pilot, str(path))
        screen = app.screen
        assert isinstance(screen, NewGameScreen)
        scenarios = screen.query_one("#ng-scenario", Choices)
        picked = scenarios.get_option_at_index(scenarios.highlighted or 0)
        assert str(picked.prompt) == "My scenario (my.yaml)"
        assert screen.focused is screen.query_one("#ng-side")
        await pilot.press("ctrl+s")
        await pilot.pause()
        game = dashboard(app).game
        assert (game.scenario.meta.id, game.scenario.turns) == ("mine", 12)


async def test_opening_the_same_file_again_takes_its_new_version_in_the_same_place(
    tmp_path: Path,
) -> None:
    path = tmp_path / "my.yaml"
    path.write_text(MINE, encoding="utf-8")
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await open_file(app, pilot, str(path))
        scenarios = app.screen.query_one("#ng-scenario", Choices)
        count = scenarios.option_count
        path.write_text(MINE.replace("My scenario", "My second try"), encoding="utf-8")
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert scenarios.option_count == count
        picked = scenarios.get_option_at_index(scenarios.highlighted or 0)
        assert str(picked.prompt) == "My second try (my.yaml)"
        assert app.screen.scenario.meta.name == "My second try"  # type: ignore[attr-defined]


async def test_a_file_with_problems_shows_every_one_and_goes_back(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await open_file(app, pilot, str(path))
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        assert screen.text.splitlines() == [
            f"{path}:3:8: E103 turns: must be at most 40",
            f"{path}:4:23: E102 chips.h100.price: expected a number, got 'x'",
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OpenFileScreen)  # to fix the file and try again
        path.write_text(MINE, encoding="utf-8")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)
        assert app.screen.scenario.meta.id == "mine"  # type: ignore[attr-defined]


async def test_problems_that_look_like_markup_are_shown_as_written(tmp_path: Path) -> None:
    path = tmp_path / "markup.yaml"
    path.write_text(
        "meta: {id: mine, name: My scenario}\nextends: base\nturns: '[b]x[/b] [@click=app.quit]'\n",
        encoding="utf-8",
    )
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await open_file(app, pilot, str(path))
        assert isinstance(app.screen, ProblemsScreen)
        shown = str(app.screen.query_one("#problems-text", Static).render())
        assert "[b]x[/b] [@click=app.quit]" in shown


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type the path of a scenario file."),
        ("{tmp}/nothing.yaml", "There is no file at {tmp}/nothing.yaml."),
        ("{tmp}", "{tmp} is a folder: give the path of a scenario file in it."),
    ],
)
async def test_a_path_that_is_no_file_gets_one_sentence(
    tmp_path: Path, typed: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await open_file(app, pilot, typed.format(tmp="."))
        assert isinstance(app.screen, OpenFileScreen)
        said = str(app.screen.query_one("#open-error", Static).render())
        assert said == says.format(tmp=".")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)


def test_completion_offers_folders_and_scenario_files(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mine.yaml").write_text(MINE, encoding="utf-8")
    (tmp_path / "scenarios" / "notes.txt").write_text("", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text("", encoding="utf-8")
    root = str(tmp_path)
    assert complete(f"{root}/sc") == f"{root}/scenarios/"
    assert complete(f"{root}/scenarios/") == f"{root}/scenarios/mine.yaml"
    assert complete(f"{root}/scenarios/n") is None  # not a scenario file
    assert complete(f"{root}/.h") == f"{root}/.hidden.yaml"
    assert complete(f"{root}/") == f"{root}/scenarios/"  # hidden names wait for a dot
    assert complete("") is None


async def test_a_device_is_refused_with_a_reason() -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await open_file(app, pilot, "/dev/zero")
        assert isinstance(app.screen, ProblemsScreen)
        assert app.screen.text == (
            "/dev/zero:1:1: E001 cannot read the file: it is a device, not a regular file"
        )
