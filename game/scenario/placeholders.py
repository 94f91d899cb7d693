"""Placeholders in event text: `{lab}` and its kin, filled in when the text is shown.

Scenario text is data, never markup nor code: it is filled by plain string
replacement of the names below only (never `str.format`), and a brace is
written `{{` or `}}`. Validation (checks.py) reports any other `{...}` and
a lab's placeholder in a world event, which hits no lab.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Each placeholder and what it becomes, for the guide and the did-you-mean.
PLACEHOLDERS: dict[str, str] = {
    "lab": "the name of the lab the event hits",
    "lab_short": "its short name (its name if it has none)",
    "side": "the name of its side (United States, China)",
}
# What a placeholder says where no lab is at hand: in the summaries an author
# reads (`airace scenario describe`, the author's report), which speak of an
# event whichever lab it hits.
FOR_AUTHORS: dict[str, str] = {"lab": "<lab>", "lab_short": "<lab>", "side": "<side>"}
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]{0,60})\}|\{")


@dataclass(frozen=True)
class Misplaced:
    """A `{...}` that cannot be filled: where in the text, and what it says."""

    offset: int
    name: str | None  # None: a lone brace


def misplaced(text: str) -> list[Misplaced]:
    """Every `{...}` in `text` that names no placeholder, and every lone `{`."""
    out = []
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token in ("{{", "}}"):
            continue
        if m.group(1) is None:
            out.append(Misplaced(m.start(), None))
        elif m.group(1) not in PLACEHOLDERS:
            out.append(Misplaced(m.start(), m.group(1)))
    return out


def used(text: str) -> list[tuple[int, str]]:
    """The placeholders `text` uses, each with its offset."""
    return [
        (m.start(), m.group(1))
        for m in _TOKEN.finditer(text)
        if m.group(1) is not None and m.group(1) in PLACEHOLDERS
    ]


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with its placeholders replaced by `values` and `{{`, `}}` made single braces;
    anything else is left as written."""
    if "{" not in text and "}" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = m.group(1)
        if name is not None and name in values:
            return values[name]
        return token

    return _TOKEN.sub(one, text)


def for_authors(text: str) -> str:
    """`text` as the author's summaries show it: `{lab}` as `<lab>`, `{side}` as `<side>`."""
    return fill(text, FOR_AUTHORS)
