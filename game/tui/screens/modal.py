"""A modal screen that closes once, however fast the keys and clicks come."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

T = TypeVar("T")


class Modal(ModalScreen[T]):
    """A `ModalScreen` whose second `dismiss` does nothing.

    Textual's `dismiss` pops whatever screen is on top. Two quick clicks on a
    button (or two keys that reach the screen before it closes) would close
    it and then the screen under it, and run its result callback twice.
    """

    def dismiss(self, result: T | None = None) -> AwaitComplete:
        if self.app.screen is not self:
            return AwaitComplete()
        return super().dismiss(result)
