"""The player's lab: each figure with its change since last quarter and a sparkline."""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content

from game.engine.state import LabState
from game.fmt import DOWN, SAME, UP, compact, money, pct, spark, token_cost
from game.tui.board import Board
from game.tui.plain import plain, sentence
from game.tui.widgets.panel import Panel

SPARK = 10  # quarters a sparkline shows


def trend(before: float, after: float, *, lower_is_better: bool = False) -> Content:
    """An arrow for the change, styled good or bad (the arrow says it without colour)."""
    if abs(after - before) <= 1e-9 * max(1.0, abs(before)):
        return Content.styled(SAME, "$text-muted")
    up = after > before
    good = up != lower_is_better
    return Content.styled(UP if up else DOWN, "$text-success" if good else "$text-error")


# (label, read the figure, show it, lower is better)
Figure = tuple[str, Callable[[LabState], float], Callable[[float], str], bool]


def figures(backing_label: str) -> list[Figure]:
    return [
        ("Cash", lambda lab: lab.cash, money, False),
        ("Revenue", lambda lab: lab.revenue, lambda v: money(v) + "/q", False),
        ("Efficiency", lambda lab: lab.efficiency, lambda v: f"x{v:.2f}", False),
        ("Cost/M tok", lambda lab: lab.cost_per_mtok, token_cost, True),
        ("Market share", lambda lab: lab.market_share, pct, False),
        ("Concern", lambda lab: lab.concern, lambda v: f"{v:.0f}/100", True),
        (short_label(backing_label), lambda lab: lab.backing, lambda v: f"{v:.0f}/100", False),
    ]


def short_label(label: str) -> str:
    """A backing label that fits the panel: 'investor confidence' -> 'Confidence'."""
    word = label.split()[-1] if label.split() else "backing"
    return sentence(word)


class LabPanel(Panel):
    """Everything about the player's lab, refreshed in place once a quarter."""

    def show(self, game: Board) -> None:
        lab = game.player
        book = game.book
        past = [s.labs[lab.id] for s in game.history]
        before = past[-2] if len(past) >= 2 else lab
        label_w = 13
        lines: list[Content] = []

        def row(label: str, value: str, mark: Content, series: list[float]) -> None:
            lines.append(
                Content.assemble(
                    plain(f"{label:<{label_w}}", "bold"),
                    f"{value:<13}",
                    mark,
                    " ",
                    (spark(series, SPARK).ljust(SPARK), "$accent"),
                )
            )

        chips = [(c, n) for c, n in lab.gpus.items() if n]
        for i, (chip, n) in enumerate(chips or [("", 0)]):
            name = book.chip[chip].name.removesuffix("-class") if chip else "none"
            label = "GPUs" if i == 0 else ""
            idle = n - lab.powered_chips.get(chip, n) if chip else 0
            lines.append(
                Content.assemble(
                    (label.ljust(label_w), "bold"),
                    plain(f"{n:>9,} {name}" if chip else name),
                    # Power feeds the best chips first: say which ones go dark.
                    (f" !{compact(idle)} off", "$text-warning") if idle > 0 else "",
                )
            )
        row(
            "Powered",
            f"{lab.powered_gpus:,}",
            trend(before.powered_gpus, lab.powered_gpus),
            [x.powered_gpus for x in past],
        )
        if lab.idle_gpus:
            lines.append(
                Content.assemble(
                    " " * label_w,
                    ("! ", "bold $text-warning"),
                    f"{lab.idle_gpus:,} idle: need {lab.idle_mw_needed:,} MW more",
                )
            )
        row(
            "Power",
            f"{lab.power_mw:,} MW",
            trend(before.power_mw, lab.power_mw),
            [x.power_mw for x in past],
        )
        coming = []
        if lab.gpus_on_order:
            coming.append(f"{lab.gpus_on_order:,} GPUs")
        if lab.power_building:
            coming.append(f"{lab.power_building:,} MW")
        if coming:
            lines.append(
                Content.assemble(("On order".ljust(label_w), "bold"), " and ".join(coming))
            )
        row(
            "Capability",
            f"{lab.capability:.1f} (#{lab.rank})",
            trend(before.capability, lab.capability),
            [x.capability for x in past],
        )
        label = game.scenario.factions[lab.faction].backing_label  # type: ignore[index]
        for name, read, show, lower in figures(label):
            row(
                name,
                show(read(lab)),
                trend(read(before), read(lab), lower_is_better=lower),
                [read(x) for x in past],
            )
        self.show_content(Content("\n").join(lines))
