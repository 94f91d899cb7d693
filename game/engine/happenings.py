"""What happened in a turn: small typed records the UI, the log and the simulator read.

Each has a `text()` for the news feed and report; the words are built only
when asked for, so the simulator pays nothing for them. They are records:
nothing changes one once made (they are not frozen only because a frozen
dataclass costs several times as much to create, and a turn makes many).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def money(m: float) -> str:
    """$M as a short human amount: $1.25B, $300M."""
    sign = "-" if m < 0 else ""
    m = abs(m)
    if m >= 1000:
        return f"{sign}${m / 1000:,.2f}B"
    return f"{sign}${m:,.0f}M"


@dataclass(slots=True)
class Happening:
    turn: int
    lab: str | None

    def text(self) -> str:
        """The line shown in the news feed; every kind says it its own way."""
        return type(self).__name__


@dataclass(slots=True)
class Delivered(Happening):
    chip: str  # id
    count: int
    name: str  # the chip as the scenario names it

    def text(self) -> str:
        return f"{self.count:,} {self.name} GPUs delivered"


@dataclass(slots=True)
class Rationed(Happening):
    """The side's labs ordered more of a chip than was on offer: each got the same share."""

    chip: str  # id
    ordered: int
    got: int
    name: str  # the chip as the scenario names it
    demand: float  # all the side's orders over the supply (above 1)

    def text(self) -> str:
        return (
            f"{self.name} oversubscribed {self.demand:.1f}x: {self.got:,} of the "
            f"{self.ordered:,} GPUs you ordered were filled (and paid for)"
        )


@dataclass(slots=True)
class PowerOnline(Happening):
    source: str  # id
    mw: int
    name: str  # the source as the scenario names it

    def text(self) -> str:
        return f"{self.mw:,} MW of {self.name} power online"


@dataclass(slots=True)
class IdleGPUs(Happening):
    gpus: int
    mw_needed: int

    def text(self) -> str:
        return (
            f"{self.gpus:,} GPUs idle for lack of power: {self.mw_needed:,} MW more would run them"
        )


@dataclass(slots=True)
class CapabilityGain(Happening):
    before: float
    after: float

    def text(self) -> str:
        return f"capability {self.before:.1f} -> {self.after:.1f} (+{self.after - self.before:.1f})"


@dataclass(slots=True)
class Breakthrough(Happening):
    multiplier: float
    necessity: bool

    def text(self) -> str:
        why = " (necessity breeds invention)" if self.necessity else ""
        return f"research breakthrough: efficiency x{self.multiplier:.2f}{why}"


@dataclass(slots=True)
class Accounts(Happening):
    """One quarter's money: every income and spending line, $M."""

    income: tuple[tuple[str, float], ...]
    spending: tuple[tuple[str, float], ...]

    @property
    def net(self) -> float:
        return math.fsum(v for _, v in self.income) - math.fsum(v for _, v in self.spending)

    def text(self) -> str:
        inc = ", ".join(f"{k} {money(v)}" for k, v in self.income if v)
        spend = ", ".join(f"{k} {money(v)}" for k, v in self.spending if v)
        return f"income {inc or 'none'}; spending {spend or 'none'}; net {money(self.net)}"


@dataclass(slots=True)
class EventFired(Happening):
    event: str
    title: str
    body: str
    source: str
    awaiting_choice: bool

    def text(self) -> str:
        return self.title


@dataclass(slots=True)
class ChoiceMade(Happening):
    event: str
    title: str
    label: str
    choice: int  # its place among the event's choices, 0-based (labels may repeat)

    def text(self) -> str:
        return f"{self.title}: chose '{self.label}'"


@dataclass(slots=True)
class Changed(Happening):
    """What an event (or a choice in it) did to the player's lab: figures before and after.

    `changes` holds (figure, before, after) for each figure in `LAB_FIGURES` that moved.
    """

    event: str
    title: str
    label: str | None  # the choice's label, None for the event's own effects
    changes: tuple[tuple[str, float, float], ...]

    def text(self) -> str:
        said = ", ".join(f"{name} {a:,.4g} -> {b:,.4g}" for name, a, b in self.changes)
        return f"{self.title}: {said}"


@dataclass(slots=True)
class News(Happening):
    line: str

    def text(self) -> str:
        return self.line


@dataclass(slots=True)
class LabOut(Happening):
    reason: str  # bankruptcy, shutdown, takeover

    def text(self) -> str:
        return {
            "bankruptcy": "went bankrupt",
            "shutdown": "was shut down by regulators (concern reached 100)",
            "takeover": "was taken over by the state (backing fell to 0)",
        }.get(self.reason, self.reason)


@dataclass(slots=True)
class Milestone(Happening):
    name: str

    def text(self) -> str:
        return self.name


@dataclass(slots=True)
class GameOver(Happening):
    winner: str | None
    kind: str
    summary: str
    player_won: bool

    def text(self) -> str:
        return self.summary
