"""The title screen: the game's name in ASCII art and the main menu."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option

from game import __version__
from game.paths import assets_dir
from game.tui.widgets.choices import Choices

TAGLINE = "Run an AI lab in the US or China from 2025: GPUs, power, research."
# The menu's keys, in the place and style of a Footer: a plain line costs far
# less to start than Textual's Footer, and the title is the first thing shown.
KEYS = "  ".join(
    f"[b $footer-key-foreground]{key}[/] {what}"
    for key, what in (
        ("↑↓", "choose"),
        ("Enter", "open"),
        ("n", "New game"),
        ("s", "Scenarios"),
        ("?", "Help"),
        ("q", "Quit"),
    )
)

# (option id, label, what it does)
MENU = (
    ("new", "New game", "Pick a scenario, a side and a difficulty, and play."),
    ("scenarios", "Scenarios", "Browse the shipped scenarios and what each one is about."),
    ("help", "Help", "The keys, how a turn works, the rules in short and the glossary."),
    ("quit", "Quit", "Leave the game."),
)


def title_art() -> str:
    """The ASCII-art title from the assets, or the plain name if the file is missing."""
    try:
        return (assets_dir() / "title.txt").read_text(encoding="utf-8").rstrip("\n")
    except OSError:
        return "AI RACE"


class TitleScreen(Screen[None]):
    # Its styles, title.tcss, are loaded with the app's (see AIRaceApp.CSS_PATH).
    BINDINGS = [
        Binding("n", "pick('new')", "New game"),
        Binding("s", "pick('scenarios')", "Scenarios"),
        Binding("question_mark", "pick('help')", "Help", key_display="?"),
        Binding("q", "pick('quit')", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            with Center():
                yield Static(title_art(), id="art")
            yield Static(TAGLINE, id="tagline")
            with Center():
                yield Choices(*(Option(label, id=key) for key, label, _ in MENU), id="menu")
            yield Static("", id="menu-help")
            yield Static(f"version {__version__}", id="version")
        yield Static(KEYS, id="keys")

    def on_mount(self) -> None:
        menu = self.query_one(Choices)
        menu.highlighted = 0
        menu.focus()

    def on_option_list_option_highlighted(self, event: Choices.OptionHighlighted) -> None:
        self._describe(event.option_index)

    def _describe(self, index: int) -> None:
        self.query_one("#menu-help", Static).update(MENU[index][2])

    def on_option_list_option_selected(self, event: Choices.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option.id or "")

    def action_pick(self, what: str) -> None:
        app = self.app
        if what == "new":
            from game.tui.screens.new_game import NewGameScreen

            app.push_screen(NewGameScreen())
        elif what == "scenarios":
            from game.tui.screens.scenarios import ScenariosScreen

            app.push_screen(ScenariosScreen())
        elif what == "help":
            app.action_help()  # type: ignore[attr-defined]
        elif what == "quit":
            app.action_request_quit()  # type: ignore[attr-defined]
