"""Helpers for the TUI tests: games built once per scenario, and a Pilot that plays."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from textual import events
from textual.pilot import Pilot

import game.tui.app as app_module
from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.scenario.loader import load_scenario
from game.tui.app import AIRaceApp
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.event import EventScreen
from game.tui.screens.report import ReportScreen
from game.tui.themes import DARK

SIZE = (100, 32)
SHORT = "deepseek-surprise"  # the shortest shipped scenario: 16 quarters at most
MAX_STEPS = 400


@cache
def book(scenario: str = "base") -> Rulebook:
    return Rulebook(load_scenario(scenario))


def new_game(scenario: str = "base", faction: str = "us", seed: int = 1) -> Game:
    return Game(book(scenario), faction, seed, difficulty="normal")


def app_for(game: Game | None = None) -> AIRaceApp:
    app = AIRaceApp(game, theme=DARK)  # not the terminal's: snapshots must not depend on it
    app.animation_level = "none"
    return app


def dashboard(app: AIRaceApp) -> DashboardScreen:
    return next(s for s in app.screen_stack if isinstance(s, DashboardScreen))


async def play_out(pilot: Pilot[None], app: AIRaceApp, *, choice: str = "1") -> list[str]:
    """Play to the end through the keys: `e` ends turns, `choice` answers events,
    Enter closes reports. Returns the screens seen, one name per step."""
    seen: list[str] = []
    for _ in range(MAX_STEPS):
        screen = app.screen
        seen.append(type(screen).__name__)
        if isinstance(screen, EventScreen):
            await pilot.press(choice)
        elif isinstance(screen, ReportScreen):
            await pilot.press("enter")
        elif isinstance(screen, DashboardScreen):
            await pilot.press("e")  # once the game is over, `e` opens the end screen
        else:
            return seen
    raise AssertionError(f"the game did not end in {MAX_STEPS} steps: {seen[-10:]}")


class WatchedApp(AIRaceApp):
    """The game, with the actions a link in scenario text could reach recorded, not run."""

    # A subclass reads CSS_PATH next to its own module: point it back at the game's.
    CSS_PATH = [str(Path(app_module.__file__).parent / css) for css in AIRaceApp.CSS_PATH]

    def __init__(self, game: Game | None = None) -> None:
        super().__init__(game, theme=DARK)
        self.animation_level = "none"
        self.ran: list[str] = []

    async def action_bell(self) -> None:
        self.ran.append("bell")

    async def action_quit(self) -> None:
        self.ran.append("quit")

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.ran.append(f"screenshot {filename} {path}")

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        self.ran.append(f"deliver screenshot {filename} {path}")
        return None

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.ran.append(f"open {url}")


def screen_text(app: AIRaceApp) -> str:
    """The screen in front as the terminal shows it, one line per row, no styles."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def find(app: AIRaceApp, words: str) -> tuple[int, int]:
    """Where `words` show on the screen in front: (column, row) of their first character."""
    for row, line in enumerate(screen_text(app).splitlines()):
        if words in line:
            return line.index(words), row
    raise AssertionError(f"{words!r} is not on screen:\n{screen_text(app)}")


async def answer_events(pilot: Pilot[None], app: AIRaceApp, key: str = "1") -> None:
    """Answer every event waiting on screen with the same choice."""
    await pilot.pause()
    while isinstance(app.screen, EventScreen):
        await pilot.press(key)
        await pilot.pause()


# What a named key types, as a terminal sends it.
CHARS = {"space": " ", "minus": "-", "full_stop": ".", "question_mark": "?", "enter": "\r"}


async def type_fast(pilot: Pilot[None], keys: list[str]) -> None:
    """Keys as a quick typist sends them: each handled by the screen before the next
    is sent, without `Pilot.press`'s two idle waits per key (20 ms each at least);
    then one pause."""
    app = pilot.app
    assert app._driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else CHARS.get(key))
        event.set_sender(app)
        app._driver.send_message(event)
        await pilot._wait_for_screen()
    await pilot.pause()
