"""Hot-seat: the screen between two players' turns, hiding the whole board.

It is a full screen, not a modal: nothing of the seat that just played (its
board, orders, choices, news or notifications) shows behind it. Enter
dismisses it, once the next player has the keyboard.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.tui.plain import plain


class HandOverScreen(Screen[None]):
    CSS_PATH = "hand_over.tcss"
    BINDINGS = [
        Binding("enter", "ready", "I have the keyboard", priority=True),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, side: str, lab: str, when: str, note: str = "", over: bool = False) -> None:
        """`side` and `lab` are the next seat's names from the scenario; `when` the quarter;
        `over`: the game has ended, and the seat gets its last report, not a turn."""
        super().__init__()
        self.side = side
        self.lab = lab
        self.when = when
        self.note = note
        self.over = over

    def compose(self) -> ComposeResult:
        with Vertical(id="hand-over-box"):
            what = "last report" if self.over else "turn"
            yield Static(
                plain(f"{whose(self.side)} {what} — {self.lab}", "bold"), id="hand-over-title"
            )
            yield Static(plain(self.when), id="hand-over-when")
            yield Static(
                Content.assemble(
                    plain(f"Pass the keyboard to whoever plays {self.side}, then press "),
                    ("Enter", "bold"),
                    ".",
                ),
                id="hand-over-text",
            )
            yield Static(
                plain(
                    self.note
                    or "The other player's board, orders and choices stay hidden until "
                    "the quarter is over."
                ),
                id="hand-over-note",
            )
        yield Footer()

    def action_ready(self) -> None:
        self.dismiss(None)


def whose(name: str) -> str:
    """A name's possessive: "China's", "United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"
