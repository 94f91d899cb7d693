"""One quarter's report: what changed and why, built from the engine's happenings.

The report is plain data (lines of `Content`); the report screen shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
from game.engine.orders import OrderSet
from game.engine.state import GameState, LabState
from game.fmt import cash, change, date, money, plural, token_cost
from game.tui.board import Board
from game.tui.plain import plain, scenario_names, sentence
from game.tui.widgets.news import feed


@dataclass
class TurnReport:
    """The quarter just played: the states on either side, its orders and happenings."""

    before: GameState
    after: GameState
    orders: OrderSet | None
    happenings: list[Happening] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Report for {date(self.before.year, self.before.quarter)} (turn {self.before.turn})"


def _head(text: str) -> Content:
    return Content.styled(text, "bold underline")


def _item(mark: str, text: str, style: str = "") -> Content:
    """A marked line; `text` may quote the scenario, so it is plain."""
    return Content.assemble((f"{mark} ", f"bold {style}".strip()), plain(text))


def report_lines(game: Board, rep: TurnReport) -> list[Content]:
    """The report, section by section."""
    book = game.book
    pid = rep.before.player
    old, new = rep.before.labs[pid], rep.after.labs[pid]
    turn = rep.before.turn
    played = [h for h in rep.happenings if h.turn == turn]
    news = [h for h in rep.happenings if h.turn != turn]
    mine = [h for h in played if h.lab == pid]
    lines: list[Content] = []
    names = scenario_names(game.scenario)

    lines.append(_head("Your orders"))
    o = rep.orders
    given: list[str] = []
    if o is not None:
        cut = {h.chip: h for h in mine if isinstance(h, Rationed)}
        for chip, n in o.gpus.items():
            if n:
                arrive = rep.before.turn + book.chip[chip].lead
                rationed = cut.get(chip)
                got = n if rationed is None else rationed.got
                of = (
                    ""
                    if rationed is None
                    else (
                        f" of the {n:,} you ordered (the chip was oversubscribed "
                        f"{rationed.demand:.1f}x, so every order was filled in the same proportion)"
                    )
                )
                given.append(
                    f"bought {got:,} {book.chip[chip].name} GPUs{of} for "
                    f"{money(rep.before.world.prices[chip] * got)}, arriving in "
                    f"{_when(rep.before, arrive)}"
                )
        for src, mw in o.power.items():
            if mw:
                lead = rep.before.world.power_lead[src].get(old.faction, 0)
                given.append(
                    f"started {mw:,} MW of {book.power[src].name} for "
                    f"{money(book.capex[src] * mw)}, online in "
                    f"{_when(rep.before, rep.before.turn + lead)}"
                )
        if o.research:
            given.append(f"spent {money(o.research)} on research")
        given.append(f"trained with {o.train_share:.0%} of compute, served with the rest")
    lines += [_item("·", sentence(g)) for g in given] or [_item("·", "No orders.")]

    lines.append(Content(""))
    lines.append(_head("What arrived"))
    arrived = [h for h in mine if isinstance(h, (Delivered, PowerOnline))]
    lines += [_item("+", sentence(h.text(), names)) for h in arrived] or [
        _item("·", "Nothing was due this quarter.")
    ]

    lines.append(Content(""))
    lines.append(_head("Compute and capability"))
    lines.append(
        _item(
            "·",
            f"{new.powered_gpus:,} of {new.gpus_total:,} GPUs ran on {new.power_mw:,} MW of power.",
        )
    )
    for h in mine:
        if isinstance(h, IdleGPUs):
            lines.append(
                _item(
                    "!",
                    f"{h.gpus:,} GPUs sat idle for lack of power: {h.mw_needed:,} MW more "
                    "would have run them.",
                    "$text-warning",
                )
            )
    gains = [h for h in mine if isinstance(h, CapabilityGain)]
    if gains:
        g = gains[0]
        lines.append(
            _item(
                "▲",
                f"Capability {g.before:.1f} -> {g.after:.1f} (+{g.after - g.before:.1f}): "
                "your latest training run beat your best.",
                "$text-success",
            )
        )
    else:
        lines.append(
            _item(
                "=",
                f"Capability stayed at {new.capability:.1f}: this quarter's run was not "
                "bigger than your best. More powered GPUs, training share or efficiency help.",
            )
        )
    for h in mine:
        if isinstance(h, Breakthrough):
            lines.append(_item("★", sentence(h.text(), names), "$text-success"))
    lines.append(
        _item(
            "·",
            f"Rank #{old.rank} -> #{new.rank}; the frontier is {rep.after.world.frontier:.1f}.",
        )
    )

    lines.append(Content(""))
    lines.append(_head("Money"))
    for h in mine:
        if isinstance(h, Accounts):
            for name, v in h.income:
                if v:
                    said = f"{sentence(name, names)}: {money(v)}"
                    lines.append(_item("+", said, "$text-success"))
            for name, v in h.spending:
                if v:
                    said = f"{sentence(name, names)}: {money(v)}"
                    lines.append(_item("-", said, "$text-error"))
            sign = "▲" if h.net >= 0 else "▼"
            lines.append(_item(sign, f"Net {money(h.net)}; cash {cash(new.cash)}"))

    label = game.scenario.factions[new.faction].backing_label  # type: ignore[index]
    lines += _event_lines(rep, sentence(label))

    lines.append(Content(""))
    lines.append(_head("Figures"))
    figures: list[tuple[str, Callable[[LabState], float], Callable[[float], str], str]] = [
        ("Cash", lambda x: x.cash, cash, "{:+,.0f}M"),
        ("GPUs", lambda x: x.gpus_total, "{:,.0f}".format, "{:+,.0f}"),
        ("Powered GPUs", lambda x: x.powered_gpus, "{:,.0f}".format, "{:+,.0f}"),
        ("Power (MW)", lambda x: x.power_mw, "{:,.0f}".format, "{:+,.0f}"),
        ("Efficiency", lambda x: x.efficiency, "x{:.2f}".format, "{:+.2f}"),
        ("Capability", lambda x: x.capability, "{:.1f}".format, "{:+.1f}"),
        ("Cost/M tokens", lambda x: x.cost_per_mtok, token_cost, "{:+.3g}"),
        ("Market share (%)", lambda x: x.market_share * 100, "{:.1f}".format, "{:+.1f}"),
        ("Revenue", lambda x: x.revenue, money, "{:+,.0f}M"),
        ("Concern", lambda x: x.concern, "{:.0f}".format, "{:+.0f}"),
        (sentence(label), lambda x: x.backing, "{:.0f}".format, "{:+.0f}"),
    ]
    rows = [
        (name, show(read(old)), show(read(new)), change(read(old), read(new), fmt))
        for name, read, show, fmt in figures
    ]
    for name, a, b, d in rows:
        lines.append(plain(f"  {name:<20}{a:>12} -> {b:<12} {d}"))

    others = [
        h for h in played if h.lab != pid and isinstance(h, (Milestone, LabOut, Breakthrough))
    ]
    over = [h for h in played if isinstance(h, GameOver)]
    if others or over:
        lines.append(Content(""))
        lines.append(_head("The race"))
        lines += feed(game, [*others, *over])

    if news:
        lines.append(Content(""))
        lines.append(_head(f"News for {date(rep.after.year, rep.after.quarter)}"))
        lines += feed(game, [h for h in news if isinstance(h, (EventFired, News, ChoiceMade))])
    return lines


# How `Changed` figures read: (shown as, the value's form, the change's form).
_EVENT_FIGURES: dict[str, tuple[str, Callable[[float], str], str]] = {
    "Cash": ("Cash", cash, "{:+,.0f}M"),
    "GPUs": ("GPUs", "{:,.0f}".format, "{:+,.0f}"),
    "Power (MW)": ("Power (MW)", "{:,.0f}".format, "{:+,.0f}"),
    "Efficiency": ("Efficiency", "x{:.2f}".format, "{:+.2f}"),
    "Capability": ("Capability", "{:.1f}".format, "{:+.1f}"),
    "Concern": ("Concern", "{:.0f}".format, "{:+.0f}"),
    "Backing": ("Backing", "{:.0f}".format, "{:+.0f}"),
    "Training share": ("Training share (%)", "{:.0%}".format, "{:+.0%}"),
}


def _event_lines(rep: TurnReport, backing: str) -> list[Content]:
    """Each event that moved the player's figures, when it hit, and each figure it moved.

    The figures table compares the quarter's start, after its events, with its end, so an
    event's own change shows only here.
    """
    pid = rep.before.player
    hits = [h for h in rep.happenings if isinstance(h, Changed) and h.lab == pid]
    if not hits:
        return []
    lines = [Content(""), _head("Events on your lab")]
    for h in hits:
        chose = f", you chose '{h.label}'" if h.label is not None else ""
        if h.turn == rep.before.turn:
            when = "at the start of this quarter"
        else:
            q = rep.before.quarter + h.turn - rep.before.turn - 1
            when = f"at the start of {date(rep.before.year + q // 4, q % 4 + 1)}"
        lines.append(_item("!", f"{h.title}{chose} ({when}):"))
        for name, a, b in h.changes:
            shown, show, fmt = _EVENT_FIGURES.get(name, (name, "{:,.4g}".format, "{:+,.4g}"))
            shown = backing if name == "Backing" else shown
            lines.append(plain(f"  {shown:<20}{show(a):>12} -> {show(b):<12} {change(a, b, fmt)}"))
    return lines


def _when(state: GameState, turn: int) -> str:
    """The quarter of a future turn, and how far off it is."""
    ahead = turn - state.turn
    q = state.quarter - 1 + ahead
    return f"{date(state.year + q // 4, q % 4 + 1)} ({plural(ahead, 'quarter')})"
