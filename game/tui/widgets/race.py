"""The race: every lab's capability and rank, with sparklines; the player's row stands out."""

from __future__ import annotations

from textual.content import Content

from game.fmt import DOWN, SAME, UP, spark
from game.tui.board import Board
from game.tui.plain import plain
from game.tui.widgets.panel import Panel

SPARK = 8
FLAG = {"us": "US", "china": "CN"}
OUT = {"bankruptcy": "bankrupt", "shutdown": "shut down", "takeover": "taken over"}


class RaceTable(Panel):
    """One line per lab, best first."""

    def show(self, game: Board) -> None:
        state = game.state
        before = game.history[-2] if len(game.history) >= 2 else state
        labs = sorted(state.labs.values(), key=lambda lab: lab.rank)
        lines = [
            Content.styled(
                f"  {'Rank':<7}{'Lab':<11}{'Side':<3}{'Cap.':>5} Trend", "bold $text-muted"
            )
        ]
        for lab in labs:
            old = before.labs[lab.id]
            if not lab.alive:
                lines.append(
                    plain(
                        f"  {'out':<7}{lab.short[:10]:<11}{FLAG[lab.faction]:<3}"
                        f"{lab.capability:5.1f} {OUT.get(lab.out_reason, lab.out_reason)}",
                        "$text-muted strike",
                    )
                )
                continue
            moved = old.rank - lab.rank
            if moved > 0:
                move = Content.styled(f"{UP}{moved}", "$text-success")
            elif moved < 0:
                move = Content.styled(f"{DOWN}{-moved}", "$text-error")
            else:
                move = Content.styled(SAME, "$text-muted")
            you = lab.is_player
            line = Content.assemble(
                "▶ " if you else "  ",
                f"#{lab.rank:<3}",
                move,
                " " * (3 - len(move.plain)),
                plain(f"{lab.short[:10]:<11}"),
                f"{FLAG[lab.faction]:<3}",
                f"{lab.capability:5.1f} ",
                (
                    spark([s.labs[lab.id].capability for s in game.history], SPARK).ljust(SPARK),
                    "$accent",
                ),
            )
            if you:
                line = line.stylize("bold reverse")
            lines.append(line)
        goal = next((v.threshold for v in game.scenario.victory if v.kind == "turning_point"), None)
        foot = f"Frontier {state.world.frontier:.1f}"
        if goal is not None:
            foot += f" · turning point {goal:g} wins"
        lines.append(Content.styled(foot, "$text-muted"))
        self.show_content(Content("\n").join(lines))
