"""A Static that redraws only when its text changes, and lays out again only when it must.

Ending a turn must update the dashboard within a frame or two, so panels skip
unchanged text, and a change that keeps every line's length keeps the layout.
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
        self._shape: list[int] | None = None

    def show_content(self, content: Content | str, *, fixed: bool = False) -> None:
        """Show `content`; `fixed` when the widget's size never depends on it."""
        if isinstance(content, str):
            content = Content(content)
        key = (content.plain, tuple(content.spans))
        if key == self._key:
            return
        shape = [len(line) for line in content.plain.split("\n")]
        layout = not fixed and shape != self._shape
        self._key, self._shape = key, shape
        self.update(content, layout=layout)
