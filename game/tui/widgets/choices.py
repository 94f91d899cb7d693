"""An option list that pages only once it is laid out."""

from __future__ import annotations

from textual.widgets import OptionList


class Choices(OptionList):
    """An `OptionList` safe from Page Up or Down before its first layout.

    Textual's `OptionList` pages by its laid-out lines; a key that comes
    before the list is laid out (quick typing as a screen opens) found none
    and raised a KeyError.
    """

    def action_page_up(self) -> None:
        if self.scrollable_content_region:
            super().action_page_up()

    def action_page_down(self) -> None:
        if self.scrollable_content_region:
            super().action_page_down()
