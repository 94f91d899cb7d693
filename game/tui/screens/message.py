"""A message that needs reading: one sentence, closed with Enter or Escape."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from game.tui.plain import plain
from game.tui.screens.modal import Modal


class MessageScreen(Modal[None]):
    DEFAULT_CSS = """
    MessageScreen { align: center middle; }
    MessageScreen > #message-box {
        width: 64; height: auto; padding: 1 2;
        border: round $error; background: $surface;
    }
    MessageScreen #message-title { text-style: bold; margin-bottom: 1; }
    MessageScreen #message-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("enter", "close", "OK", priority=True),
        Binding("escape", "close", "OK", show=False),
    ]

    def __init__(self, text: str, title: str = "") -> None:
        super().__init__()
        self.text = text
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="message-box"):
            if self.title_text:
                yield Static(plain(self.title_text), id="message-title")
            # The text may quote a file or a scenario: plain, never markup.
            yield Static(plain(self.text), id="message-text")
            yield Static("Enter or Escape: close", id="message-keys")

    def action_close(self) -> None:
        self.dismiss(None)
