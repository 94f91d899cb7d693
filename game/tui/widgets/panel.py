"""A Static that redraws only when its text changes, and lays out again only when it must.

Ending a turn must update the dashboard within a frame or two. A new layout of
the whole screen costs about as much as drawing the panels, so a panel asks
for one only when its height changes: the new text takes more or fewer lines.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class Panel(Static):
    def __init__(
        self, content: str | Content = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(content, id=id, classes=classes)
        self._key: tuple[str, tuple[object, ...]] | None = None
        self._lines: tuple[int, int] | None = None  # (width, height) of the text shown

    def show_content(self, content: Content | str, *, fixed: bool = False) -> None:
        """Show `content`; `fixed` when the widget's size never depends on it."""
        if isinstance(content, str):
            content = Content(content)
        key = (content.plain, tuple(content.spans))
        if key == self._key:
            return
        self._key = key
        layout = not fixed
        if not fixed:
            width = self.content_size.width
            # Textual measures its own Statics the same way (styles serve as the rules map).
            rules = self.styles
            lines = (width, content.get_height(rules, width)) if width > 0 else None  # type: ignore[arg-type]
            layout = lines is None or lines != self._lines
            self._lines = lines
        self.update(content, layout=layout)
