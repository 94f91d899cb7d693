"""A scenario file's problems, every one as `file:line:col: CODE message`, with a way back.

The lines quote the file (names, values, expressions someone wrote), so they
are shown as plain text, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from game.scenario.errors import Problem
from game.tui.plain import plain
from game.tui.screens.modal import Modal


def problems_title(shown: str, problems: Sequence[Problem]) -> str:
    """'my.yaml is not a valid scenario (3 problems)'."""
    n = len(problems)
    return f"{shown} is not a valid scenario ({n} problem{'s' * (n != 1)})"


class ProblemsScreen(Modal[None]):
    DEFAULT_CSS = """
    ProblemsScreen { align: center middle; }
    ProblemsScreen > #problems-box {
        width: 90%; max-width: 120; height: auto; max-height: 90%; padding: 1 2;
        border: round $error; background: $surface;
    }
    ProblemsScreen #problems-title { text-style: bold; }
    ProblemsScreen #problems-note { color: $text-muted; margin-bottom: 1; }
    ProblemsScreen #problems-list { height: auto; max-height: 1fr; }
    ProblemsScreen #problems-keys { color: $text-muted; margin-top: 1; }
    """
    AUTO_FOCUS = "#problems-list"
    BINDINGS = [
        Binding("enter", "close", "Back", priority=True),
        Binding("escape", "close", "Back", show=False),
    ]

    def __init__(self, title: str, problems: Sequence[Problem], note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.problems = list(problems)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-box"):
            yield Static(plain(self.title_text), id="problems-title")
            if self.note:
                yield Static(plain(self.note), id="problems-note")
            with VerticalScroll(id="problems-list"):
                yield Static(plain("\n".join(str(p) for p in self.problems)), id="problems-text")
            yield Static("Enter or Escape: back", id="problems-keys")

    @property
    def text(self) -> str:
        """The problems as shown, one a line (for tests and for copying)."""
        return "\n".join(str(p) for p in self.problems)

    def action_close(self) -> None:
        self.dismiss(None)
