"""Save the game under a name: `s` on the dashboard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from game.tui.plain import plain
from game.tui.screens.modal import Modal


class SaveAsScreen(Modal[str]):
    """Asks for a name; dismisses with it, or None when cancelled."""

    DEFAULT_CSS = """
    SaveAsScreen { align: center middle; }
    SaveAsScreen > #save-box {
        width: 56; height: auto; padding: 1 2;
        border: round $primary; background: $surface;
    }
    SaveAsScreen Input { margin-top: 1; }
    SaveAsScreen #save-error { color: $text-error; }
    SaveAsScreen #save-keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: str = "") -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box"):
            yield Static("Save the game as:")
            yield Input(self.suggestion, max_length=60, id="save-name")
            yield Static("", id="save-error")
            yield Static("Enter: save.  Escape: cancel.", id="save-keys")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        from game.saves.errors import SaveError
        from game.saves.store import named_path

        name = event.value.strip()
        try:
            named_path(name)
        except SaveError as e:
            said = str(e)
            self.query_one("#save-error", Static).update(plain(said[:1].upper() + said[1:] + "."))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
