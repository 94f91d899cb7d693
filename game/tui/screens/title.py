"""The title screen: the game's name in ASCII art and the main menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option

from game import __version__
from game.paths import assets_dir
from game.tui.widgets.choices import Choices

if TYPE_CHECKING:
    from game.saves.store import SaveInfo

TAGLINE = "Run an AI lab in the US or China from 2025: GPUs, power, research."
# The menu's keys, in the place and style of a Footer: a plain line costs far
# less to start than Textual's Footer, and the title is the first thing shown.
KEYS = "  ".join(
    f"[b $footer-key-foreground]{key}[/] {what}"
    for key, what in (
        ("↑↓", "choose"),
        ("Enter", "open"),
        ("n", "New game"),
        ("l", "Load"),
        ("r", "Replays"),
        ("?", "Help"),
        ("q", "Quit"),
    )
)

# (option id, label, what it does); Continue shows only when there is a game to continue.
CONTINUE = ("continue", "Continue", "Play on from your latest unfinished game.")
MENU = (
    ("new", "New game", "Pick a scenario, a side and a difficulty, and play."),
    ("load", "Load game", "Pick a saved game and play on from it."),
    ("replays", "Replays", "Watch a saved or finished game turn by turn; take over at any turn."),
    ("records", "Records", "Your best result in each scenario, side and difficulty."),
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
        Binding("c", "pick('continue')", "Continue"),
        Binding("l", "pick('load')", "Load game"),
        Binding("r", "pick('replays')", "Replays"),
        Binding("t", "pick('records')", "Records"),
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

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[str, str, str | Content]] = list(MENU)
        self.moved = False  # the player has moved in the menu

    def on_mount(self) -> None:
        menu = self.query_one(Choices)
        menu.highlighted = 0
        menu.focus()
        self.moved = False
        # Whether there is a game to continue is read from the saves folder,
        # off the event loop: the title shows at once.
        self.run_worker(self._find_latest, thread=True, exclusive=True)

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.run_worker(self._find_latest, thread=True, exclusive=True)

    def _find_latest(self) -> None:
        from game.saves.store import latest_unfinished

        try:
            info = latest_unfinished()
        except Exception:  # an unreadable folder: no Continue, and the menu still works
            info = None
        self.app.call_from_thread(self._offer_continue, info)

    def _offer_continue(self, info: SaveInfo | None) -> None:
        menu = self.query_one(Choices)
        has = self.entries[0][0] == "continue"
        if info is None:
            if has:
                self.entries.pop(0)
                menu.remove_option_at_index(0)
                menu.highlighted = max((menu.highlighted or 1) - 1, 0)
            return
        # Imported here, with a game to offer, so the title screen starts without it.
        from game.tui.plain import plain

        # A scenario's name is anyone's text: shown as written, never read as markup.
        side = "two players" if info.people > 1 else info.side
        about = plain(f"Play on: {info.scenario_name}, {side}, {info.date}.")
        entry: tuple[str, str, str | Content] = (CONTINUE[0], CONTINUE[1], about)
        if has:
            self.entries[0] = entry
        else:
            self.entries.insert(0, entry)
            highlighted = menu.highlighted
            # OptionList adds only at the end: the menu is built again, Continue first.
            menu.clear_options()
            menu.add_options([Option(label, id=key) for key, label, _ in self.entries])
            menu.highlighted = 0 if not self.moved else (highlighted or 0) + 1
        self._describe(menu.highlighted or 0)

    def on_key(self) -> None:
        self.moved = True

    def on_option_list_option_highlighted(self, event: Choices.OptionHighlighted) -> None:
        self._describe(event.option_index)

    def _describe(self, index: int) -> None:
        if 0 <= index < len(self.entries):
            self.query_one("#menu-help", Static).update(self.entries[index][2])

    def on_option_list_option_selected(self, event: Choices.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option.id or "")

    def action_pick(self, what: str) -> None:
        app = self.app
        if what == "continue":
            app.continue_latest()  # type: ignore[attr-defined]
        elif what in ("load", "replays"):
            from game.tui.screens.saves import SavesScreen

            app.push_screen(SavesScreen("load" if what == "load" else "replay"))
        elif what == "records":
            from game.tui.screens.saves import RecordsScreen

            app.push_screen(RecordsScreen())
        elif what == "new":
            from game.tui.screens.new_game import NewGameScreen

            app.push_screen(NewGameScreen())
        elif what == "scenarios":
            from game.tui.screens.scenarios import ScenariosScreen

            app.push_screen(ScenariosScreen())
        elif what == "help":
            app.action_help()  # type: ignore[attr-defined]
        elif what == "quit":
            app.action_request_quit()  # type: ignore[attr-defined]
