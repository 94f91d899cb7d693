"""The simulator's summary as plain text tables for the terminal."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from game.sim.aggregate import Summary


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()
) -> list[str]:
    """Lines of an aligned table; columns in `right` are right-aligned (numbers)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def percent(part: int | float, whole: int | float) -> str:
    """`part` of `whole` as a percentage with one decimal."""
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


def dollars(x: float) -> str:
    """A price per million tokens with three significant digits: $12.30, $0.0567."""
    if not math.isfinite(x):
        return "-"
    if x >= 100:
        return f"${x:,.0f}"
    if x >= 1 or x <= 0:
        return f"${x:.2f}"
    decimals = 2 - math.floor(math.log10(x))
    return f"${x:.{decimals}f}" if decimals <= 8 else f"${x:.2e}"


def render(
    summary: Summary,
    *,
    heading: str = "",
    names: Mapping[str, str] | None = None,
    titles: Mapping[str, str] | None = None,
) -> str:
    """The summary as text: the player's results, labs, wins, and events.

    `names` gives lab names and `titles` event titles (ids are shown without them).
    """
    names = names or {}
    titles = titles or {}
    n = summary.games
    player = summary.player_lab
    out: list[str] = [heading, ""] if heading else []
    out.append(
        f"Games: {n:,}   turns: {summary.turns:,} in all, {summary.mean_turns:.1f} a game "
        f"({summary.min_turns} to {summary.max_turns})"
    )
    out.append(
        f"Player ({names.get(player.id, player.id)}): won {summary.player_wins:,} of {n:,} "
        f"({percent(summary.player_wins, n)}), mean capability {player.mean_capability:.1f}, "
        f"mean cost {dollars(player.mean_cost_per_mtok)} per million tokens"
    )
    out += ["", *_labs(summary, names), ""]
    out += _wins(summary)
    out += ["", *_events(summary, titles)]
    return "\n".join(out) + "\n"


def _labs(summary: Summary, names: Mapping[str, str]) -> list[str]:
    rows = []
    for lab in summary.labs:
        name = names.get(lab.id, lab.id)
        if lab.id == summary.player:
            name += " (player)"
        rows.append(
            [
                name,
                lab.faction,
                f"{lab.wins:,}",
                percent(lab.wins, summary.games),
                f"{lab.mean_capability:.1f}",
                dollars(lab.mean_cost_per_mtok),
            ]
        )
    header = ["Lab", "Side", "Wins", "Win %", "Capability", "$/M tokens"]
    return table(header, rows, right=(2, 3, 4, 5))


def _wins(summary: Summary) -> list[str]:
    n = summary.games
    sides = [[f, f"{w:,}", percent(w, n)] for f, w in summary.wins_by_faction.items()]
    if summary.no_winner:
        sides.append(["none", f"{summary.no_winner:,}", percent(summary.no_winner, n)])
    kinds = [
        [k.replace("_", " "), f"{w:,}", percent(w, n)] for k, w in summary.wins_by_kind.items()
    ]
    left = table(["Winning side", "Games", "Share"], sides, right=(1, 2))
    right = table(["How games ended", "Games", "Share"], kinds, right=(1, 2))
    # Two small tables side by side save a screenful.
    width = max(len(s) for s in left) + 4
    rows = max(len(left), len(right))
    left += [""] * (rows - len(left))
    right += [""] * (rows - len(right))
    return [(a.ljust(width) + b).rstrip() for a, b in zip(left, right, strict=True)]


def _events(summary: Summary, titles: Mapping[str, str]) -> list[str]:
    n = summary.games
    rows = [[e, titles.get(e, ""), f"{c:,}", percent(c, n)] for e, c in summary.events.items()]
    lines = table(["Event", "Title", "Games", "Share"], rows, right=(2, 3))
    never = [e for e, c in summary.events.items() if c == 0]
    if never:
        lines += ["", f"Never fired in {n:,} games: {', '.join(never)}"]
    return lines
