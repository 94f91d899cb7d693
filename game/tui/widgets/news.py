"""The news feed: this quarter's events and what happened, newest first."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from game.engine.game import Game
from game.engine.happenings import (
    Accounts,
    Breakthrough,
    CapabilityGain,
    ChoiceMade,
    Delivered,
    EventFired,
    GameOver,
    Happening,
    IdleGPUs,
    LabOut,
    Milestone,
    News,
    PowerOnline,
)
from game.tui.widgets.panel import Panel

# A symbol per kind, so the feed reads without colour.
MARK = {
    EventFired: "◆",
    ChoiceMade: "✓",
    News: "·",
    Delivered: "+",
    PowerOnline: "+",
    IdleGPUs: "!",
    CapabilityGain: "▲",
    Breakthrough: "★",
    Accounts: "$",
    Milestone: "★",
    LabOut: "✗",
    GameOver: "■",
}


def line(game: Game, h: Happening) -> Content | None:
    """How one happening reads in the feed, or None when it is not the player's business."""
    state = game.state
    mark = MARK.get(type(h), "·")
    player = state.player
    mine = h.lab is None or h.lab == player
    if isinstance(h, GameOver):
        return Content.assemble((f"{mark} ", "bold"), (h.text(), "bold"))
    if mine:
        if isinstance(h, EventFired):
            ask = " (your choice)" if h.awaiting_choice else ""
            return Content.assemble((f"{mark} ", "bold $accent"), (h.title, "bold"), ask)
        if isinstance(h, ChoiceMade):
            return Content(f"{mark} You chose '{h.label}' ({h.title})")
        if isinstance(h, LabOut):
            return Content.assemble((f"{mark} You {h.text()}", "bold $text-error"))
        if isinstance(h, IdleGPUs):
            return Content.assemble((f"{mark} ", "bold $text-warning"), _cap(h.text()))
        return Content(f"{mark} {_cap(h.text())}")
    lab = state.labs.get(h.lab or "")
    name = lab.short if lab is not None else str(h.lab)
    if isinstance(h, (Milestone, Breakthrough)):
        return Content(f"{mark} {name}: {h.text()}")
    if isinstance(h, LabOut):
        return Content.styled(f"{mark} {name} {h.text()}", "$text-muted")
    return None


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def feed(game: Game, happenings: Iterable[Happening]) -> list[Content]:
    """The lines for a batch of happenings, in order, without repeats.

    An event that hits several rival labs is told once; one that also hit
    the player is told only as the player's.
    """
    batch = list(happenings)
    player = game.state.player
    mine = {h.event for h in batch if isinstance(h, EventFired) and h.lab in (None, player)}
    told: set[str] = set()
    out: list[Content] = []
    for h in batch:
        if isinstance(h, EventFired) and h.lab not in (None, player):
            if h.event in mine or h.event in told:
                continue
            told.add(h.event)
            lab = game.state.labs.get(h.lab or "")
            who = lab.short if lab is not None else ""
            out.append(Content(f"{MARK[EventFired]} {who}: {h.title}"))
            continue
        text = line(game, h)
        if text is not None:
            out.append(text)
    return out


# The feed keeps to the newest lines: the turn report has the whole story.
MOST_NOW = 12
MOST_LAST = 6


class NewsFeed(Panel):
    """This quarter's news on top, newest first, then what the last quarter brought."""

    def show(self, game: Game, now: list[Happening], last: list[Happening]) -> None:
        lines: list[Content] = []
        head = f"{game.state.year} Q{game.state.quarter}"
        lines.append(Content.styled(head, "bold underline"))
        fresh = feed(game, now)[::-1]
        lines += _most(fresh, MOST_NOW) or [Content.styled("Nothing new.", "$text-muted")]
        older = feed(game, last)[::-1]
        if older:
            lines.append(Content.styled("Last quarter", "bold underline"))
            lines += _most(older, MOST_LAST)
        self.show_content(Content("\n").join(lines))


def _most(lines: list[Content], most: int) -> list[Content]:
    """The first `most` lines, and a note of how many more there were."""
    if len(lines) <= most:
        return lines
    more = len(lines) - most + 1
    return [*lines[: most - 1], Content.styled(f"… and {more} more (r: the report)", "$text-muted")]
