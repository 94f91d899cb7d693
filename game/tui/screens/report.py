"""The turn report: what changed in the quarter just played, and why."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Static

from game.tui.board import Board
from game.tui.report import TurnReport, report_lines
from game.tui.screens.modal import Modal


class ReportScreen(Modal[None]):
    CSS_PATH = "report.tcss"
    AUTO_FOCUS = "#report-body"  # not in on_mount: the screen may be closed before it mounts
    BINDINGS = [
        Binding("enter", "close", "Continue"),
        Binding("escape", "close", "Close", show=False),
        Binding("r", "close", "Close", show=False),
    ]

    def __init__(self, game: Board, report: TurnReport) -> None:
        super().__init__()
        self.game = game
        self.report = report

    def compose(self) -> ComposeResult:
        with Vertical(id="report-box") as box:
            box.border_title = self.report.title
            with VerticalScroll(id="report-body"):
                yield Static(Content("\n").join(report_lines(self.game, self.report)))
            yield Button("Continue (Enter)", id="continue", variant="primary", compact=True)
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
