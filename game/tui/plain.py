"""Scenario text on screen: always plain text, never markup, never a terminal control.

Scenario files come from strangers, so their text is data. A `[/]` read as
Textual markup crashes a screen; `[@click=app.screenshot(...)]` read as markup
turns a click into an action; an escape character written to the terminal
becomes a terminal command. Every string that came from a scenario, or from
the engine's happenings (which quote scenario names and titles), reaches the
screen through `plain` (Textual content) or `plain_text` (a Rich renderable).
Our own styling goes around it: `Content.assemble(("Source: ", "italic"), plain(src))`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content

from game.fmt import clean

if TYPE_CHECKING:
    from game.scenario.models import Scenario


def plain(text: str, style: str = "") -> Content:
    """Scenario text as Textual content, exactly as written, optionally styled as a whole."""
    return Content.styled(clean(text), style) if style else Content(clean(text))


def plain_text(text: str, style: str = "") -> Text:
    """Scenario text as a Rich `Text`, for Rich renderables such as a `Table`."""
    return Text(clean(text), style=style)


def scenario_names(scenario: Scenario) -> tuple[str, ...]:
    """Every name the scenario gives (chips, power, sides, labs), longest first."""
    labs = [spec.lab for spec in scenario.factions.values()] + list(scenario.rivals.values())
    found = {c.name for c in scenario.chips.values()} | {p.name for p in scenario.power.values()}
    found |= {f.name for f in scenario.factions.values()}
    found |= {lab.name for lab in labs} | {lab.short for lab in labs if lab.short}
    return tuple(sorted(found, key=lambda name: (-len(name), name)))


def sentence(text: str, names: Iterable[str] = ()) -> str:
    """`text` to open a sentence: its first letter up, unless that would change a name.

    A text that starts with one of `names` keeps it as written ('xAI',
    'deepwhale'); otherwise only a first word in plain lower case is
    capitalised ('bought' -> 'Bought'), so 'H100' or 'iPhone' stay.
    """
    if any(text.startswith(name) for name in names):
        return text
    first = text.split(" ", 1)[0].rstrip(":;,.!?")
    if first.isalpha() and first.islower():
        return text[:1].upper() + text[1:]
    return text
