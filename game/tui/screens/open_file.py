"""Open a scenario file by its path: `o` on the new-game screen.

Textual has no file dialog: the player types or pastes a path (`~` works,
and → takes the completion offered for the name being typed). A path that is
no file gets one sentence under the box; a file with problems opens the
problems screen, every problem at its line, and Escape there comes back
here to try again. A scenario that loads is handed back to the new-game screen.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, Static

from game.scenario.errors import ScenarioError
from game.scenario.models import FACTIONS, Scenario
from game.scenario.yamlpos import cut
from game.tui.plain import plain
from game.tui.screens.modal import Modal
from game.tui.screens.problems import ProblemsScreen, problems_title

PATH_WIDTH = 60  # a path quoted in a sentence is cut in the middle past this
MAX_ENTRIES = 2000  # a folder is not listed past this many entries for completion


class PathSuggester(Suggester):
    """Completes the last part of a path from the files and folders that are there."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value)


def complete(value: str) -> str | None:
    """`value` completed to the first folder, or scenario file, whose name starts as it ends."""
    folder, _, start = value.rpartition("/")
    if not start and not folder and not value.startswith("/"):
        return None
    where = Path(os.path.expanduser(folder or ("/" if value.startswith("/") else ".")))
    try:
        with os.scandir(where) as entries:
            names: list[tuple[bool, str]] = []
            for n, entry in enumerate(entries):
                if n >= MAX_ENTRIES:
                    break
                name = entry.name
                if not name.startswith(start) or name == start:
                    continue
                if name.startswith(".") and not start.startswith("."):
                    continue
                is_dir = entry.is_dir()
                if is_dir or name.endswith((".yaml", ".yml")):
                    names.append((not is_dir, name))
    except (OSError, ValueError):
        return None
    if not names:
        return None
    is_file, name = min(names, key=lambda found: found[1])
    return value + name[len(start) :] + ("" if is_file else "/")


def shown(path: str) -> str:
    return cut(path, PATH_WIDTH, middle=True)


class OpenFileScreen(Modal[tuple[Path, Scenario]]):
    """Asks for a scenario file; dismisses with its path and scenario, or None when cancelled."""

    DEFAULT_CSS = """
    OpenFileScreen { align: center middle; }
    OpenFileScreen > #open-box {
        width: 72; height: auto; padding: 1 2;
        border: round $primary; background: $surface;
    }
    OpenFileScreen #open-title { text-style: bold; }
    OpenFileScreen #open-help { color: $text-muted; }
    OpenFileScreen Input { margin-top: 1; }
    OpenFileScreen #open-error { color: $text-error; }
    OpenFileScreen #open-keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def compose(self) -> ComposeResult:
        with Vertical(id="open-box"):
            yield Static("Open a scenario file", id="open-title")
            yield Static(
                plain(
                    "Type or paste the path of a scenario file (YAML); a path that does not "
                    f"start with / starts in {shown(os.getcwd())}."
                ),
                id="open-help",
            )
            yield Input(placeholder="my-scenario.yaml", suggester=PathSuggester(), id="open-path")
            yield Static("", id="open-error")
            yield Static("Enter: open.  →: take the completion.  Escape: back.", id="open-keys")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.open(event.value.strip())

    def open(self, text: str) -> None:
        """Load the scenario at `text`: back to the new game with it, or say what is wrong."""
        from game.scenario.loader import load_scenario

        if not text:
            self.say("Type the path of a scenario file.")
            return
        path = Path(os.path.expanduser(text))
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except (OSError, ValueError):
            is_dir = exists = False
        if is_dir:
            self.say(f"{shown(text)} is a folder: give the path of a scenario file in it.")
            return
        if not exists:
            self.say(f"There is no file at {shown(text)}.")
            return
        # Anything else that is there is the loader's to read, or to say why not
        # (a device or a pipe is refused before it is read).
        try:
            scenario = load_scenario(path)
        except ScenarioError as e:
            self.say("")
            note = "Fix the file, then go back and press Enter to open it again."
            self.app.push_screen(
                ProblemsScreen(problems_title(shown(text), e.problems), e.problems, note)
            )
            return
        playable = [f for f in FACTIONS if f in scenario.factions and scenario.factions[f].playable]
        if not playable:
            self.say(f"{shown(text)} has no side a person can play.")
            return
        self.dismiss((path, scenario))

    def say(self, sentence: str) -> None:
        """Show why the path cannot be opened (it may quote the path: plain)."""
        self.query_one("#open-error", Static).update(plain(sentence))

    def action_cancel(self) -> None:
        self.dismiss(None)
