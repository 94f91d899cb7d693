"""The dashboard's top line: lab, side, date, turn and cash."""

from __future__ import annotations

from textual.content import Content

from game.fmt import cash, date
from game.tui.board import Board
from game.tui.plain import plain
from game.tui.widgets.panel import Panel


class StatusBar(Panel):
    def show(self, game: Board) -> None:
        lab = game.player
        state = game.state
        side = game.scenario.factions[lab.faction].name  # type: ignore[index]
        sep = ("  │  ", "$text-muted")
        self.show_content(
            Content.assemble(
                plain(lab.name, "bold"),
                plain(f" ({side})"),
                sep,
                date(state.year, state.quarter),
                sep,
                f"Turn {state.turn} of {state.world.turns}",
                sep,
                "Cash ",
                (cash(lab.cash), "bold" if lab.cash >= 0 else "bold $text-error"),
            ),
            fixed=True,
        )
