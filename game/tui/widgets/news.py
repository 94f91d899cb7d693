"""The news feed: this quarter's events and what happened, newest first."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from game.engine.happenings import (
    Accounts,
    Breakthrough,
    CapabilityGain,
    Changed,
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
    Rationed,
)
from game.tui.board import Board
from game.tui.plain import plain, scenario_names, sentence
from game.tui.widgets.panel import Panel

# A symbol per kind, so the feed reads without colour.
MARK = {
    EventFired: "◆",
    ChoiceMade: "✓",
    News: "·",
    Delivered: "+",
    PowerOnline: "+",
    IdleGPUs: "!",
    Rationed: "!",
    CapabilityGain: "▲",
    Breakthrough: "★",
    Accounts: "$",
    Milestone: "★",
    LabOut: "✗",
    GameOver: "■",
}


def line(game: Board, h: Happening) -> Content | None:
    """How one happening reads in the feed, or None when it is not the player's business."""
    state = game.state
    mark = MARK.get(type(h), "·")
    player = state.player
    if isinstance(h, GameOver):
        return Content.assemble((f"{mark} ", "bold"), plain(h.text(), "bold"))
    if isinstance(h, Changed):  # the turn report tells it, figure by figure
        return None
    if isinstance(h, ChoiceMade):
        return choice_line(game, h, [h.lab])
    if h.lab is None or h.lab == player:
        said = sentence(h.text(), scenario_names(game.scenario))
        if isinstance(h, EventFired):
            ask = " (your choice)" if h.awaiting_choice else ""
            return Content.assemble((f"{mark} ", "bold $accent"), plain(h.title, "bold"), ask)
        if isinstance(h, LabOut):
            return Content.assemble(
                (f"{mark} You ", "bold $text-error"), plain(h.text(), "bold $text-error")
            )
        if isinstance(h, IdleGPUs):
            return Content.assemble((f"{mark} ", "bold $text-warning"), plain(said))
        return Content.assemble(f"{mark} ", plain(said))
    name = lab_name(game, h.lab)
    if isinstance(h, (Milestone, Breakthrough)):
        return Content.assemble(f"{mark} ", plain(f"{name}: {h.text()}"))
    if isinstance(h, LabOut):
        return plain(f"{mark} {name} {h.text()}", "$text-muted")
    return None


def lab_name(game: Board, lab_id: str | None) -> str:
    """A lab's short name as the scenario writes it."""
    lab = game.state.labs.get(lab_id or "")
    return lab.short if lab is not None else str(lab_id)


def choice_line(game: Board, h: ChoiceMade, labs: list[str | None]) -> Content:
    """A choice made: 'You chose' only for the player's own; a rival's names the lab,
    and a world event's (no lab) reads as the way the event went."""
    mark = MARK[ChoiceMade]
    what = f"'{h.label}' ({h.title})"
    if labs == [game.state.player]:
        return Content.assemble(f"{mark} You chose ", plain(what))
    if labs == [None]:
        return Content.assemble(f"{mark} ", plain(f"{h.title}: '{h.label}'"))
    names = ", ".join(lab_name(game, lab) for lab in labs)
    return Content.assemble(f"{mark} ", plain(f"{names} chose {what}"))


def feed(game: Board, happenings: Iterable[Happening]) -> list[Content]:
    """The lines for a batch of happenings, in order, without repeats.

    An event that hits several rival labs is told once; one that also hit
    the player is told only as the player's. Rivals that made the same
    choice in one event share a line.
    """
    batch = list(happenings)
    player = game.state.player
    mine = {h.event for h in batch if isinstance(h, EventFired) and h.lab in (None, player)}
    told: set[str] = set()
    out: list[Content | tuple[ChoiceMade, list[str | None]]] = []
    rivals_chose: dict[tuple[str, str], list[str | None]] = {}
    for h in batch:
        if isinstance(h, EventFired) and h.lab not in (None, player):
            if h.event in mine or h.event in told:
                continue
            told.add(h.event)
            who = lab_name(game, h.lab)
            out.append(Content.assemble(f"{MARK[EventFired]} ", plain(f"{who}: {h.title}")))
            continue
        if isinstance(h, ChoiceMade) and h.lab not in (None, player):
            key = (h.event, h.label)
            if key in rivals_chose:
                rivals_chose[key].append(h.lab)
            else:
                rivals_chose[key] = [h.lab]
                out.append((h, rivals_chose[key]))
            continue
        text = line(game, h)
        if text is not None:
            out.append(text)
    return [
        item if isinstance(item, Content) else choice_line(game, item[0], item[1]) for item in out
    ]


# The feed keeps to the newest lines: the turn report has the whole story.
MOST_NOW = 12
MOST_LAST = 6


class NewsFeed(Panel):
    """This quarter's news on top, newest first, then what the last quarter brought."""

    def show(self, game: Board, now: list[Happening], last: list[Happening]) -> None:
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
