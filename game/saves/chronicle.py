"""A saved game told as a Markdown story, date by date, to paste into an issue or a forum.

Each quarter: the news and the choices made, the player's orders, what came
of them, and the standings; then the ending and the final table. Everything
comes from the replayed game (its states, records and happenings), so the
story is the game's own. Names and titles come from the save's scenario,
which anyone may have written: they are cleaned of control characters and
their Markdown is escaped, so a name cannot become a link or a heading.
"""

from __future__ import annotations

import re

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
    Rationed,
)
from game.engine.orders import OrderSet
from game.engine.state import GameState
from game.fmt import cash, date, money, one_line, pct, token_cost
from game.saves.model import Save

# What could make a name a link, emphasis, code, HTML or a table cell's end.
_MARKDOWN = re.compile(r"([\\`*_\[\]<|])")


# What opens a line as a heading, a quote or a list (a line may start with a name).
_OPENING = re.compile(r"^([#>+-])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def md(text: str) -> str:
    """Text from a save as Markdown that reads as written: one line, its specials escaped."""
    escaped = _MARKDOWN.sub(r"\\\1", one_line(text))
    return _NUMBERED.sub(r"\1\\\2", _OPENING.sub(r"\\\1", escaped))


def chronicle(save: Save, game: Game) -> str:
    """The whole story of a replayed game, as Markdown."""
    lines = _heading(save, game)
    for turn in range(1, len(game.history)):
        lines += _quarter(game, turn)
    lines += _ending(game)
    return "\n".join(lines) + "\n"


def _heading(save: Save, game: Game) -> list[str]:
    sc = game.scenario
    spec = sc.factions[game.faction]
    first = game.history[0]
    difficulty = f", difficulty {md(game.difficulty)}" if game.difficulty else ""
    policy = game.policies[game.state.player].name
    who = "" if game.seats else f", played by the computer ('{md(policy)}')"
    lines = [
        f"# AI Race: {md(sc.meta.name)}, as {md(spec.name)}",
        "",
        f"{md(spec.lab.name)}{who}, from {date(first.year, first.quarter)}; "
        f"seed {game.seed}{difficulty}. Saved {save.saved_at:%Y-%m-%d} by airace "
        f"{md(save.game_version)}.",
    ]
    if game.branch is not None:
        lines.append(
            f"Branched at turn {game.branch.turn} from another game "
            f"({md(game.branch.save) or md(game.branch.game)})."
        )
    return lines


def _quarter(game: Game, turn: int) -> list[str]:
    """One played quarter: news and choices, orders, what happened, standings."""
    before, after = game.history[turn - 1], game.history[turn]
    happened = game.happened[turn - 1] if turn - 1 < len(game.happened) else []
    player = game.state.player
    lines = ["", f"## {date(before.year, before.quarter)} (turn {turn})", ""]
    news = _news(game, [h for h in happened if isinstance(h, (EventFired, ChoiceMade, News))])
    if news:
        lines += ["**News**", "", *news, ""]
    orders = game.records[turn - 1].orders.get(player)
    lines += [f"**Orders.** {_orders(game, before, orders)}", ""]
    mine = [h for h in happened if h.lab == player and h.turn == turn]
    results = [_said(h) for h in mine if isinstance(h, _RESULTS)]
    race = [
        f"- {md(_name(game, h.lab))}: {md(h.text())}."
        for h in happened
        if h.lab != player and h.turn == turn and isinstance(h, (Milestone, Breakthrough, LabOut))
    ]
    if results or race:
        lines += ["**What happened**", "", *[f"- {r}" for r in results], *race, ""]
    lines.append(f"**Standings.** {_standings(after)}")
    return lines


_RESULTS = (
    Rationed,
    Delivered,
    PowerOnline,
    IdleGPUs,
    CapabilityGain,
    Breakthrough,
    Accounts,
    LabOut,
)


def _said(h: Happening) -> str:
    if isinstance(h, Accounts):
        return f"The books closed at {money(h.net)} net for the quarter."
    if isinstance(h, LabOut):
        return f"Your lab {md(h.text())}."
    text = md(h.text())
    return text[:1].upper() + text[1:] + "."


def _news(game: Game, batch: list[Happening]) -> list[str]:
    """The quarter's events, each with the choices made in it; one that hit several labs
    once, or once for each title where its title names the lab (`{lab}`), each with the
    choices of the labs it names."""
    player = game.state.player
    choices: dict[str, list[ChoiceMade]] = {}
    for h in batch:
        if isinstance(h, ChoiceMade):
            choices.setdefault(h.event, []).append(h)
    lines: list[str] = []
    told: set[tuple[str, str]] = set()
    for h in batch:
        if isinstance(h, News):
            lines.append(f"- {md(h.line)}")
        if not isinstance(h, EventFired) or (h.event, h.title) in told:
            continue
        told.add((h.event, h.title))
        hit = [
            e.lab
            for e in batch
            if isinstance(e, EventFired) and e.event == h.event and e.title == h.title
        ]
        if None in hit or player in hit:
            lines.append(f"- **{md(h.title)}**")
        else:
            names = ", ".join(md(_name(game, lab)) for lab in hit)
            lines.append(f"- {md(h.title)} (for {names})")
        for c in choices.get(h.event, []):
            if c.lab not in hit:
                continue
            if c.lab == player:
                lines.append(f"  - You chose: *{md(c.label)}*")
            elif c.lab is None:
                lines.append(f"  - It went: *{md(c.label)}*")
            else:
                lines.append(f"  - {md(_name(game, c.lab))} chose: *{md(c.label)}*")
    return lines


def _orders(game: Game, before: GameState, o: OrderSet | None) -> str:
    """The player's orders in one sentence."""
    if o is None:
        return "None."
    book = game.book
    parts = []
    for chip, n in o.gpus.items():
        if n:
            price = before.world.prices.get(chip, 0.0) * n
            parts.append(f"bought {n:,} {md(book.chip[chip].name)} GPUs ({money(price)})")
    for src, mw in o.power.items():
        if mw:
            cost = money(book.capex[src] * mw)
            parts.append(f"started {mw:,} MW of {md(book.power[src].name)} ({cost})")
    if o.research:
        parts.append(f"spent {money(o.research)} on research")
    parts.append(f"trained with {o.train_share:.0%} of compute")
    text = "; ".join(parts) + "."
    return text[:1].upper() + text[1:]


def _standings(state: GameState) -> str:
    """The race after a quarter, on one line: rank, lab and capability."""
    labs = sorted(state.labs.values(), key=lambda lab: (not lab.alive, lab.rank, lab.id))
    parts = []
    for lab in labs:
        name = md(lab.short)
        shown = f"**{name}**" if lab.is_player else name
        parts.append(f"{lab.rank}. {shown} {lab.capability:.1f}" if lab.alive else f"{shown} out")
    return " · ".join(parts)


def _ending(game: Game) -> list[str]:
    state = game.state
    lines = [""]
    if state.outcome is None:
        lines += [
            "## To be continued",
            "",
            f"The game stands at {date(state.year, state.quarter)} (turn {state.turn}).",
        ]
    else:
        said = "You won." if state.outcome.player_won else "You did not win."
        over = next((h for hs in game.happened for h in hs if isinstance(h, GameOver)), None)
        text = over.summary if over is not None else state.outcome.text
        lines += ["## The end", "", f"{md(text)} {said}"]
    lines += ["", "| # | Lab | Side | Capability | Market share | Cash | Cost per M tokens |"]
    lines.append("|---:|---|---|---:|---:|---:|---:|")
    for lab in sorted(state.labs.values(), key=lambda lab: (not lab.alive, lab.rank, lab.id)):
        name = f"**{md(lab.name)}**" if lab.is_player else md(lab.name)
        rank = str(lab.rank) if lab.alive else "out"
        side = md(_side(game, lab.faction))
        lines.append(
            f"| {rank} | {name} | {side} | {lab.capability:.1f} | {pct(lab.market_share)} | "
            f"{cash(lab.cash)} | {token_cost(lab.cost_per_mtok)} |"
        )
    return lines


def _side(game: Game, faction: str) -> str:
    spec = game.scenario.factions.get(faction)  # type: ignore[call-overload]
    return spec.name if spec is not None else faction


def _name(game: Game, lab_id: str | None) -> str:
    lab = game.state.labs.get(lab_id or "")
    return lab.short if lab is not None else str(lab_id)
