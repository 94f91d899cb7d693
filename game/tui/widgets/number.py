"""A box for a whole number that leaves letter keys to the screen's shortcuts."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class NumberInput(Input):
    """An integer `Input` that claims only digit keys, so `e`, `q` or `?` still act.

    The arrows up and down move to the previous or next field, as in a form.
    """

    BINDINGS = [
        Binding("up", "app.focus_previous", "Previous field", show=False),
        Binding("down", "app.focus_next", "Next field", show=False),
    ]

    def __init__(
        self,
        *,
        max_length: int,
        placeholder: str = "0",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            placeholder=placeholder,
            type="integer",
            max_length=max_length,
            select_on_focus=True,
            id=id,
            classes=classes,
        )

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and (character.isdigit() or character == "-")
