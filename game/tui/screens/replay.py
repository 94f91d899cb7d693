"""The replay viewer: a finished or saved game, turn by turn, read-only.

A replay is a `Game` rebuilt from its save (`Game.from_records`), which keeps
every turn's state, so showing any turn is reading a list: seeking costs a
repaint, not a replay. The screen reuses the dashboard's panels, fed by a
`Shown` turn instead of the live game, and adds what a replay has that a game
in play does not: every lab's orders, a timeline, playback and a branch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, ProgressBar, Static

from game.engine.game import Game
from game.engine.happenings import Happening
from game.engine.orders import OrderSet
from game.engine.rulebook import Rulebook
from game.engine.state import GameState, LabState
from game.fmt import cash, compact, date, pct
from game.scenario.models import Scenario
from game.tui.board import seen_by, side_of
from game.tui.plain import plain
from game.tui.screens.modal import Modal
from game.tui.widgets.lab import LabPanel
from game.tui.widgets.news import NewsFeed
from game.tui.widgets.panel import Panel
from game.tui.widgets.race import RaceTable
from game.tui.widgets.status import StatusBar

# Turns a second at each playback speed.
SPEEDS = (1.0, 2.0, 4.0, 8.0)


@dataclass(slots=True)
class Shown:
    """One turn of a replay as the dashboard's panels read a game: its state and its past."""

    book: Rulebook
    state: GameState
    history: list[GameState]

    @property
    def scenario(self) -> Scenario:
        return self.book.scenario

    @property
    def player(self) -> LabState:
        return self.state.labs[self.state.player]


def orders_line(book: Rulebook, orders: OrderSet) -> str:
    """A lab's orders for a quarter in one line: GPUs, power, research, training share."""
    parts = [f"{compact(n)} {book.chip[cid].name}" for cid, n in orders.gpus.items() if n > 0]
    parts += [
        f"{compact(mw)} MW {book.power[sid].name}" for sid, mw in orders.power.items() if mw > 0
    ]
    if orders.research > 0:
        parts.append(f"{cash(orders.research)} research")
    if not parts:
        parts.append("nothing bought")
    parts.append(f"trains {pct(orders.train_share)}")
    return " · ".join(parts)


class TurnInput(Modal[int]):
    """Asks which turn to show."""

    DEFAULT_CSS = """
    TurnInput { align: center middle; }
    TurnInput > #turn-box {
        width: 44; height: auto; padding: 1 2;
        border: round $primary; background: $surface;
    }
    TurnInput Input { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, last: int) -> None:
        super().__init__()
        self.last = last

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="turn-box"):
            yield Static(f"Go to turn (1 to {self.last}):")
            yield Input(type="integer", id="turn")
            yield Static("", id="turn-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            turn = int(event.value)
        except ValueError:
            turn = 0
        if not 1 <= turn <= self.last:
            self.query_one("#turn-error", Static).update(f"A turn from 1 to {self.last}, please.")
            return
        self.dismiss(turn)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReplayScreen(Screen[None]):
    """A game's replay: the dashboard read-only, with a timeline."""

    CSS_PATH = ["dashboard.tcss", "replay.tcss"]
    BINDINGS = [
        Binding("left", "step(-1)", "Back", key_display="←"),
        Binding("right", "step(1)", "On", key_display="→"),
        Binding("home", "seek_start", "Start", show=False),
        Binding("end", "seek_end", "End", show=False),
        Binding("g", "go_to", "Go to"),
        Binding("space", "play", "Play"),
        Binding("plus,equals_sign", "speed(1)", "Faster", key_display="+"),
        Binding("minus", "speed(-1)", "Slower", key_display="-", show=False),
        Binding("b", "branch", "Branch"),
        Binding("r", "report", "Report"),
        Binding("c", "charts", "Charts"),
        Binding("v", "other_seat", "Other seat"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(
        self,
        game: Game,
        title: str = "",
        on_branch: Callable[[Game, int], None] | None = None,
    ) -> None:
        """`game` is a replayed game; `on_branch(game, turn)` takes it over at a turn."""
        super().__init__()
        self.game = game
        self.title_text = title
        self.on_branch = on_branch
        self.position = 0  # index into game.history
        self.seat = game.state.player  # whose lab the panels show (`v`: the other seat's)
        self.speed = 1
        self._timer: Timer | None = None
        # Every happening, with the turn it belongs to, for the news of any turn.
        self._happenings: list[Happening] = [h for turn in game.happened for h in turn]

    @property
    def last(self) -> int:
        """The last position shown. In an unfinished game of several seats it is the
        last quarter resolved: the one in play holds choices some seat has not seen."""
        last = len(self.game.history) - 1
        if len(self.game.seats) > 1 and not self.game.over:
            last = max(last - 1, 0)
        return last

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="timeline"):
            yield Static("", id="timeline-text")
            yield ProgressBar(total=max(self.last, 1), show_eta=False, show_percentage=False)
        with Horizontal(id="board"):
            with VerticalScroll(id="left"):
                yield LabPanel(id="lab")
                yield RaceTable(id="race")
            with VerticalScroll(id="right"):
                yield Panel(id="given")
                yield NewsFeed(id="news")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._lab_title()
        self.query_one("#race").border_title = "The race"
        self.query_one("#given").border_title = "Orders this quarter"
        self.query_one("#news").border_title = "News"
        self.seek(0)

    # -- showing -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`v` only where people played several seats."""
        return action != "other_seat" or len(self.game.seats) > 1

    def past(self, upto: int) -> list[GameState]:
        """The history to position `upto`, as the seat shown sees it."""
        history = self.game.history[: upto + 1]
        if self.seat == self.game.state.player:
            return history
        return [seen_by(state.clone(), self.seat) for state in history]

    def shown(self) -> Shown:
        """The turn on screen, as the panels read a game."""
        history = self.past(self.position)
        return Shown(self.game.book, history[-1], history)

    def seek(self, position: int) -> None:
        """Show the turn at `position` in the history (clamped)."""
        self.position = min(max(position, 0), self.last)
        view = self.shown()
        state = view.state
        self.query_one(StatusBar).show(view)
        self.query_one(LabPanel).show(view)
        self.query_one(RaceTable).show(view)
        now = [h for h in self._happenings if h.turn == state.turn]
        last = [] if state.over else [h for h in self._happenings if h.turn == state.turn - 1]
        self.query_one(NewsFeed).show(view, now, last)
        self.query_one("#given", Panel).show_content(self._orders(view))
        self._timeline()

    def _orders(self, view: Shown) -> Content:
        records = self.game.records
        if self.position >= len(records) or not records[self.position].orders:
            why = "The game ended." if view.state.over else "No orders were given."
            return Content.styled(why, "$text-muted")
        given = records[self.position].orders
        labs = sorted(view.state.labs.values(), key=lambda lab: lab.rank)
        seats = self.game.seats
        lines = []
        for lab in labs:
            orders = given.get(lab.id)
            if orders is None:
                continue
            # People's labs are marked: "you", or each seat's side in a game of several.
            mark = ""
            if len(seats) > 1 and lab.id in seats:
                mark = f" ({side_of(self.game, lab.id)})"
            elif lab.id == view.state.player:
                mark = " (you)"
            lines.append(
                Content.assemble(
                    plain(f"{lab.name}{mark}: ", "bold"),
                    plain(orders_line(view.book, orders)),
                )
            )
        return Content("\n").join(lines)

    def _lab_title(self) -> None:
        several = len(self.game.seats) > 1
        side = f" ({side_of(self.game, self.seat)})" if several else ""
        self.query_one("#lab").border_title = f"The lab{side}"

    def action_other_seat(self) -> None:
        """Show the next seat's lab (a game of several seats)."""
        seats = self.game.seats
        self.seat = seats[(seats.index(self.seat) + 1) % len(seats)]
        self._lab_title()
        self.seek(self.position)

    def _timeline(self) -> None:
        s = self.game.history[self.position]
        where = "The end" if s.over else f"Turn {s.turn} of {s.world.turns}"
        playing = f"▶ {SPEEDS[self.speed - 1]:g} turns/s" if self._timer else "paused"
        self.query_one("#timeline-text", Static).update(
            Content.assemble(
                ("Replay ", "bold"),
                f"{where} · {date(s.year, s.quarter)} · {playing}",
                plain(f" · {self.title_text}", "$text-muted") if self.title_text else "",
            )
        )
        self.query_one(ProgressBar).update(total=max(self.last, 1), progress=self.position)

    # -- moving ----------------------------------------------------------------
    def action_step(self, by: int) -> None:
        self.pause()
        self.seek(self.position + by)

    def action_seek_start(self) -> None:
        self.pause()
        self.seek(0)

    def action_seek_end(self) -> None:
        self.pause()
        self.seek(self.last)

    def action_go_to(self) -> None:
        self.pause()
        turns = [s.turn for s in self.game.history]

        def go(turn: int | None) -> None:
            if turn is not None:
                self.seek(turns.index(turn) if turn in turns else self.last)

        self.app.push_screen(TurnInput(max(turns)), go)

    def action_play(self) -> None:
        if self._timer is not None:
            self.pause()
            return
        if self.position >= self.last:
            self.seek(0)
        self._start()

    def _start(self) -> None:
        self._timer = self.set_interval(1.0 / SPEEDS[self.speed - 1], self._tick)
        self._timeline()

    def pause(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            self._timeline()

    def _tick(self) -> None:
        if self.position >= self.last:
            self.pause()
            return
        self.seek(self.position + 1)

    def action_speed(self, by: int) -> None:
        self.speed = min(max(self.speed + by, 1), len(SPEEDS))
        if self._timer is not None:
            self._timer.stop()
            self._start()
        else:
            self._timeline()

    def action_branch(self) -> None:
        """Take over at the turn on screen as a new game."""
        s = self.game.history[self.position]
        if s.over:
            self.notify("The game is over at this turn: go back a turn or more to branch.")
            return
        if self.on_branch is None:
            self.notify("This replay cannot be branched.")
            return
        self.pause()
        self.on_branch(self.game, s.turn)

    def action_report(self) -> None:
        """The report of the quarter on screen: what the player's orders came to."""
        from game.tui.report import TurnReport
        from game.tui.screens.report import ReportScreen

        p = self.position
        records = self.game.records
        if p >= self.last or p >= len(records) or not records[p].orders:
            self.notify("This quarter was not played to its end: there is no report.")
            return
        self.pause()
        history = self.past(p + 1)
        before, after = history[p], history[p + 1]
        orders = records[p].orders.get(before.player)
        if orders is None:
            self.notify("The lab gave no orders this quarter: there is no report.")
            return
        out = [h for h in self._happenings if h.turn in (before.turn, after.turn)]
        view = Shown(self.game.book, after, history)
        self.app.push_screen(ReportScreen(view, TurnReport(before, after, orders, out)))

    def action_charts(self) -> None:
        from game.tui.screens.charts import ChartsScreen

        self.pause()
        self.app.push_screen(ChartsScreen(self.shown()))

    def action_close(self) -> None:
        self.pause()
        self.app.pop_screen()
