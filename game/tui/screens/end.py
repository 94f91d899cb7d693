"""The end of a game: who won and why, the final scores, the milestones and the charts.

A hot-seat game (several human seats) ends on one screen for both players:
which side won, and each seat's own story (its place, or how it fell out),
with each seat's lab named by its side in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from game.engine.game import Game
from game.engine.rules import COST_MILESTONES, scores
from game.engine.state import GameState, LabState
from game.scenario.models import Score, ScoreWeights, TurningPoint
from game.tui.board import side_of
from game.tui.plain import plain_text
from game.tui.screens.charts import METRICS, chart_panes, dollars

FRONTIER = ("first_frontier", "took the frontier")


@dataclass(frozen=True, slots=True)
class Reached:
    """A milestone one lab reached: in which turn and quarter."""

    lab: str
    turn: int
    year: int
    quarter: int

    @property
    def when(self) -> str:
        return f"{self.year} Q{self.quarter}, t{self.turn}"


def milestone_names(game: Game) -> list[tuple[str, str]]:
    """The milestones the game tracks, as (lab flag, name), in story order."""
    names = [FRONTIER]
    names += [
        (flag, f"cost per M tokens below {dollars(price)}") for price, flag, _ in COST_MILESTONES
    ]
    return names


def milestones(game: Game) -> dict[str, list[Reached]]:
    """For each milestone flag, every lab that reached it, first first (read from the history).

    The engine sets a lab flag the quarter a milestone is reached, so the
    quarter a flag first appears in the history is the quarter it was reached.
    """
    wanted = [flag for flag, _ in milestone_names(game)]
    out: dict[str, list[Reached]] = {flag: [] for flag in wanted}
    for before, after in zip(game.history, game.history[1:], strict=False):
        for lab_id, lab in after.labs.items():
            was = before.labs[lab_id].flags
            for flag in wanted:
                if flag in lab.flags and flag not in was:
                    out[flag].append(Reached(lab_id, before.turn, before.year, before.quarter))
    return out


def turning_point(game: Game) -> float | None:
    """The scenario's turning-point threshold, if it has one."""
    return next((v.threshold for v in game.scenario.victory if isinstance(v, TurningPoint)), None)


def score_weights(game: Game) -> ScoreWeights:
    """The scenario's score weights (the defaults when it does not judge by score)."""
    return next((v.weights for v in game.scenario.victory if isinstance(v, Score)), ScoreWeights())


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def verdict(game: Game) -> tuple[str, str]:
    """The headline (won, lost, or still playing) and why."""
    s = game.state
    if s.outcome is None:
        return "The game goes on", f"{s.year} Q{s.quarter}, turn {s.turn} of {s.world.turns}."
    if len(game.seats) > 1:
        return seats_verdict(game)
    you = s.labs[s.player]
    head = "You won" if s.outcome.player_won else "You lost"
    if s.outcome.kind == "survived" and you.alive:
        head = "You survived"
    standing = (
        f"{you.name} finished {_ordinal(you.rank)} of {len(s.labs)}"
        f" with capability {you.capability:.1f}"
        if you.alive
        else f"{you.name} is out"
    )
    return head, f"{s.outcome.text}\n{standing}, in {s.year} Q{s.quarter} (turn {s.turn})."


def seats_verdict(game: Game) -> tuple[str, str]:
    """The headline of a game of several seats (which side won) and each seat's story."""
    s = game.state
    assert s.outcome is not None
    winner = next((seat for seat in game.seats if game.won(seat)), None)
    head = f"{side_of(game, winner)} won" if winner else "Neither player won"
    lines = [s.outcome.text]
    for seat in game.seats:
        lab = s.labs[seat]
        result = "won" if seat == winner else "lost"
        if s.outcome.kind == "survived" and lab.alive:
            result = "survived"
        standing = (
            f"finished {_ordinal(lab.rank)} of {len(s.labs)} with capability {lab.capability:.1f}"
            if lab.alive
            else "is out"
        )
        lines.append(f"{side_of(game, seat)} ({lab.name}) {result}: {standing}.")
    return head, "\n".join(lines) + f"\nIn {s.year} Q{s.quarter} (turn {s.turn})."


def _seat_notes(game: Game, lab: LabState) -> list[str]:
    """How the tables mark a lab people played: "you", or its side with several seats."""
    if not lab.is_player:
        return []
    return [side_of(game, lab.id)] if len(game.seats) > 1 else ["you"]


def results_table(game: Game) -> Table:
    """The final race: rank, capability, token cost, market share and score of every lab."""
    s = game.state
    w = score_weights(game)
    judged = any(isinstance(v, Score) for v in game.scenario.victory)
    scored = scores([lab for lab in s.labs.values() if lab.alive], w)
    table = Table(box=box.SIMPLE_HEAD, title="Final standings", title_justify="left", expand=False)
    table.add_column("#", justify="right")
    table.add_column("Lab")
    table.add_column("Capability", justify="right")
    table.add_column("$/M tokens", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Score" if judged else "Score*", justify="right")
    for lab in sorted(s.labs.values(), key=lambda lab: lab.rank):
        notes = _seat_notes(game, lab) + ["out"] * (not lab.alive)
        name = lab.name + (f" ({', '.join(notes)})" if notes else "")
        table.add_row(
            str(lab.rank) if lab.alive else "-",
            plain_text(name),
            f"{lab.capability:.1f}",
            dollars(lab.cost_per_mtok),
            f"{lab.market_share:.0%}",
            f"{scored[lab.id]:.2f}" if lab.alive else "-",
            style="bold" if lab.is_player else None,
        )
    if not judged:
        table.caption = "*for comparison only: this scenario is not judged by score"
        table.caption_justify = "left"
    return table


def milestones_table(game: Game) -> Table:
    """Each milestone: which lab reached it first and when, and when you did."""
    s = game.state
    reached = milestones(game)
    table = Table(
        box=box.SIMPLE_HEAD,
        title="Milestones",
        title_justify="left",
        expand=False,
        pad_edge=False,
    )
    table.add_column("Milestone")
    table.add_column("First")
    table.add_column("When")
    seats = game.seats if len(game.seats) > 1 else (s.player,)
    for seat in seats:
        table.add_column("You" if len(seats) == 1 else plain_text(s.labs[seat].short))
    for flag, name in milestone_names(game):
        got = reached[flag]
        firsts = [r for r in got if got and r.turn == got[0].turn]
        mine = [next((r for r in got if r.lab == seat), None) for seat in seats]
        table.add_row(
            name,
            plain_text(_names(s, [r.lab for r in firsts])),
            firsts[0].when if firsts else "",
            *(r.when if r else "not reached" for r in mine),
        )
    threshold = turning_point(game)
    if threshold is not None:
        out = s.outcome
        won = out is not None and out.kind == "turning_point" and out.winner is not None
        at = f"{_date(s)}, t{s.turn}"
        table.add_row(
            f"turning point: capability {threshold:g}",
            plain_text(_names(s, [out.winner]) if won and out and out.winner else "-"),
            at if won else "",
            *(at if won and out and out.winner == seat else "not reached" for seat in seats),
        )
    return table


def _names(s: GameState, labs: list[str]) -> str:
    """Who reached a milestone in the same quarter: up to two names, else how many."""
    if not labs:
        return "-"
    if len(labs) > 2:
        return f"{len(labs)} labs"
    return " & ".join(s.labs[i].short for i in labs)


def _date(s: GameState) -> str:
    return f"{s.year} Q{s.quarter}"


class EndScreen(Screen[None]):
    """Shown when the game is over; Enter (or Escape) goes back to the main menu."""

    CSS_PATH = "end.tcss"
    BINDINGS = [
        Binding("enter", "app.main_menu", "Main menu"),
        Binding("escape", "app.main_menu", "Main menu", show=False),
        Binding("r", "show('tab-result')", "Result"),
        Binding("m", "show('tab-milestones')", "Milestones"),
        *(Binding(str(n), f"show('tab-{m.id}')", m.tab) for n, m in enumerate(METRICS, 1)),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        head, why = verdict(self.game)
        s = self.game.state
        seats = self.game.seats
        won = s.outcome is not None and (
            any(self.game.won(seat) for seat in seats) if len(seats) > 1 else s.outcome.player_won
        )
        yield Static(
            Text.assemble((head, "bold"), "  ", plain_text(why)),
            id="end-verdict",
            classes="won" if won else "lost",
        )
        with TabbedContent(id="end-tabs"):
            with TabPane("Result", id="tab-result"), VerticalScroll():
                yield Static(results_table(self.game), id="end-results")
            with TabPane("Milestones", id="tab-milestones"), VerticalScroll():
                yield Static(milestones_table(self.game), id="end-milestones")
            yield from chart_panes(self.game)
        yield Footer(compact=True)

    def action_show(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
