"""An event that needs the player's choice: its story, its source, and one button per choice."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Static

from game.tui.board import Board
from game.tui.plain import plain
from game.tui.screens.modal import Modal


class EventScreen(Modal[int]):
    """Dismissed with the index (0-based) of the choice picked; keys 1-9 pick too."""

    CSS_PATH = "event.tcss"
    AUTO_FOCUS = "#choice-1"  # not in on_mount: the screen may be closed before it mounts
    BINDINGS = [
        Binding("1", "pick(0)", "Pick a choice", key_display="1-9"),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(2, 10)),
    ]

    def __init__(self, game: Board, event_id: str) -> None:
        super().__init__()
        self.game = game
        self.event = game.book.asked(event_id, game.state.labs[game.state.player].faction)
        # Its text says the player's lab's name where it writes {lab}.
        lab = game.state.labs.get(game.state.player)
        self.say = lambda text: game.book.say(text, lab)

    def compose(self) -> ComposeResult:
        ev = self.event
        state = self.game.state
        with Vertical(id="event-box") as box:
            box.border_title = f"{state.year} Q{state.quarter} · an event needs your choice"
            with VerticalScroll(id="event-body"):
                yield Static(plain(self.say(ev.title), "bold"), id="event-title")
                yield Static(plain(self.say(ev.text)), id="event-text")
                if ev.source:
                    yield Static(
                        Content.assemble(("Source: ", "italic"), plain(ev.source, "italic")),
                        id="event-source",
                    )
                for i, choice in enumerate(ev.choices, 1):
                    with Vertical(classes="choice"):
                        label = Content.assemble(f"{i}  ", plain(self.say(choice.label)))
                        yield Button(label, id=f"choice-{i}", compact=True)
                        if choice.preview:
                            preview = plain(self.say(choice.preview))
                            yield Static(preview, classes="choice-preview")
            yield Static(
                Content.styled(
                    f"Press 1 to {len(ev.choices)}, or pick with Tab and Enter.", "$text-muted"
                ),
                id="event-help",
            )
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("choice-"):
            self.action_pick(int(event.button.id.removeprefix("choice-")) - 1)

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.event.choices):
            self.dismiss(index)
