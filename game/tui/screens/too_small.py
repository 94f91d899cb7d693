"""Shown instead of the game while the terminal is smaller than 80x24."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static


class TooSmallScreen(Screen[None]):
    CSS_PATH = "too_small.tcss"
    BINDINGS = [("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(self._message(), id="too-small")

    def _message(self) -> str:
        size = self.app.size
        return (
            f"AI Race needs a window of at least 80 x 24 characters; this one is "
            f"{size.width} x {size.height}. Please make it larger (q quits)."
        )

    def on_resize(self, event: Resize) -> None:
        self.query_one("#too-small", Static).update(self._message())
