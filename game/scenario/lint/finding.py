"""One thing a lint rule found, before it is placed in a file and maybe silenced."""

from __future__ import annotations

from dataclasses import dataclass

from game.scenario.errors import WarningCode
from game.scenario.lint.facts import Loc


@dataclass(frozen=True, slots=True)
class Finding:
    code: WarningCode
    loc: Loc  # where in the merged scenario, as the loader's key paths
    message: str  # one sentence in the author's terms
    event: int | None = None  # the event it is about (index), whose `lint` may silence it
    at_key: bool = False  # point at the key rather than its value
    offset: int | None = None  # characters into an expression, for what is in one
