"""The dashboard: the lab, the orders, the advisor, the race and the news, on one screen.

A turn: events that need a choice come first (one modal each), then the
player sets the orders and presses `e`; the engine resolves the quarter, the
dashboard updates in place (no recompose: it must take well under 50 ms),
and the turn report opens. Resolving a quarter takes a few milliseconds, less
than a frame, so it runs on the event loop rather than in a worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer

from game.engine.game import Game, GameError
from game.engine.happenings import Happening
from game.engine.orders import OrderError, Orders
from game.fmt import date
from game.tui.advisor import advise, carry_over
from game.tui.messages import OrdersChanged
from game.tui.plain import clean, plain
from game.tui.report import TurnReport
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.event import EventScreen
from game.tui.screens.report import ReportScreen
from game.tui.widgets.lab import LabPanel
from game.tui.widgets.news import NewsFeed
from game.tui.widgets.orders import OrdersForm
from game.tui.widgets.panel import Panel
from game.tui.widgets.race import RaceTable
from game.tui.widgets.status import StatusBar

ADVICE_LINES = 3  # the advisor shows the most urgent lines first


class DashboardScreen(Screen[None]):
    CSS_PATH = "dashboard.tcss"
    # Every order field takes digits only, so letters can be screen keys
    # that work while a field has the focus.
    BINDINGS = [
        Binding("e", "end_turn", "End turn", priority=True),
        Binding("c", "charts", "Charts", priority=True),
        Binding("r", "report", "Report", priority=True),
        Binding("a", "advisor_plan", "Advisor's plan", priority=True),
        Binding("s", "save", "Save", priority=True),
        Binding("question_mark", "app.help", "Help", key_display="?", priority=True),
        Binding("q", "app.request_quit", "Quit", priority=True),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        # This quarter's happenings (its news, the choices made) and last quarter's.
        self.now: list[Happening] = list(game.opening)
        self.last: list[Happening] = []
        self.report: TurnReport | None = None
        self.update_ms: list[float] = []  # key press to dashboard updated, per turn
        # A turn's report or an event's choice is on screen, or the screen is
        # not yet up (keys can come before it is composed): the turn's keys wait.
        self._busy = True
        self._save_failed = False  # an autosave failed (said once)

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Panel(id="advisor")
        with Horizontal(id="board"):
            with VerticalScroll(id="left"):
                yield LabPanel(id="lab")
                yield RaceTable(id="race")
            with VerticalScroll(id="right"):
                yield OrdersForm(self.game, id="orders")
                yield NewsFeed(id="news")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#lab").border_title = "Your lab"
        self.query_one("#race").border_title = "The race"
        self.query_one("#orders").border_title = "Orders for this quarter"
        self.query_one("#news").border_title = "News"
        self.refresh_view()
        form = self.query_one(OrdersForm)
        form.load(carry_over(self.game, None))
        form.focus_first()
        self.call_after_refresh(self.next_step)

    # -- showing -------------------------------------------------------------
    def refresh_view(self) -> None:
        """Update every panel in place from the game."""
        game = self.game
        self.query_one(StatusBar).show(game)
        self.query_one(LabPanel).show(game)
        self.query_one(RaceTable).show(game)
        self.query_one(NewsFeed).show(game, self.now, self.last)

    def on_orders_changed(self, message: OrdersChanged) -> None:
        self.show_advice(message.orders)

    def show_advice(self, orders: Orders) -> None:
        advice = advise(self.game, orders)
        widget = self.query_one("#advisor", Panel)
        if not advice:
            widget.show_content(Content.assemble(("Advisor: ", "bold"), "nothing to worry about."))
            return
        lines = [
            Content.assemble(
                ("⚠ " if a.urgent else "› ", "bold $text-warning" if a.urgent else "bold"),
                plain(a.text),
            )
            for a in advice[:ADVICE_LINES]
        ]
        if len(advice) > ADVICE_LINES:
            lines[-1] = lines[-1] + Content.styled(
                f" (+{len(advice) - ADVICE_LINES} more next)", "$text-muted"
            )
        widget.show_content(Content("\n").join(lines))

    # -- the turn's steps ------------------------------------------------------
    def next_step(self) -> None:
        """Show what waits for the player: the end of the game, or an event's choice."""
        game = self.game
        if game.over:
            self.finish()
            return
        waiting = self.waiting()
        if waiting:
            self._busy = True
            self.app.push_screen(EventScreen(game, waiting[0]), self._chosen(waiting[0]))
            return
        self._busy = False

    def waiting(self) -> list[str]:
        """The events waiting for the player's own choice, first first."""
        player = self.game.state.player
        return [event for event, lab in self.game.pending if lab == player]

    def _chosen(self, event_id: str) -> Callable[[int | None], None]:
        def take(index: int | None) -> None:
            if index is None:
                return
            share = self.game.player.train_share
            try:
                self.now += self.game.choose(event_id, index)
            except GameError as e:
                self.refuse(str(e))
            else:
                self.autosave()  # a choice is kept like a turn
            form = self.query_one(OrdersForm)
            orders = form.orders
            if self.game.player.train_share != share:  # a directive set how the lab works
                orders = orders.model_copy(update={"train_share": self.game.player.train_share})
            form.load(orders)  # a choice may change cash or what may be bought
            self.refresh_view()
            self.next_step()

        return take

    def action_end_turn(self) -> None:
        start = time.perf_counter()
        game = self.game
        if self._busy:
            return
        if game.over:
            self.finish()
            return
        if self.waiting():
            self.next_step()
            return
        form = self.query_one(OrdersForm)
        if form.problems:
            self.refuse("These orders cannot be given: " + form.problems[0], "Orders")
            return
        before = game.state
        orders = form.orders
        # What happened as the quarter opened (its events, the choices made in them):
        # the report tells what those did, which its before-and-after figures cannot.
        opening = game.happened[before.turn - 1] if len(game.happened) >= before.turn else []
        opened = [h for h in opening if h.turn == before.turn]
        try:
            game.submit(orders)
            out = game.end_turn()
        except (OrderError, GameError) as e:
            self.refuse(str(e), "Orders")
            return
        self.report = TurnReport(before, game.state, orders, [*opened, *out])
        self.autosave()
        if game.over:
            self.now, self.last = [], out
        else:
            turn = game.state.turn
            self.now = [h for h in out if h.turn == turn]
            self.last = [h for h in out if h.turn != turn]
            form.load(carry_over(game, orders))
        self.refresh_view()
        self.update_ms.append((time.perf_counter() - start) * 1000)
        self._busy = True
        self.call_after_refresh(self._show_report)

    def _show_report(self) -> None:
        if self.report is not None:
            self.app.push_screen(ReportScreen(self.game, self.report), lambda _: self.next_step())

    def action_advisor_plan(self) -> None:
        """Fill the form with the advisor's plan for this quarter; the player may change it."""
        if self._busy or self.game.over:
            return
        form = self.query_one(OrdersForm)
        form.load(self.game.suggested_orders())
        form.focus_first()
        self.notify(
            "The advisor's plan is in the form: change anything you like, then press e.",
            title="Advisor's plan",
            markup=False,
        )

    # -- saving ----------------------------------------------------------------
    def autosave(self) -> None:
        """Save the game after its turn (a finished game goes with the finished ones).

        A failed save never stops the game: the player hears why, once a session.
        """
        from game.saves.errors import SaveError
        from game.saves.store import autosave

        try:
            autosave(self.game)
        except SaveError as e:
            if not self._save_failed:
                self._save_failed = True
                self.notify(
                    f"The game could not be saved: {e}. Play goes on.",
                    title="Autosave",
                    severity="warning",
                    markup=False,
                )

    def action_save(self) -> None:
        """Save the game under a name the player gives."""
        from game.tui.screens.save_as import SaveAsScreen

        if self._busy:
            return
        s = self.game.state
        suggestion = f"{self.game.scenario.meta.id} {self.game.faction} {date(s.year, s.quarter)}"
        self.app.push_screen(SaveAsScreen(suggestion), self._save_as)

    def _save_as(self, name: str | None) -> None:
        from game.saves.errors import SaveError
        from game.saves.store import named_path

        if name is None:
            return
        try:
            path = named_path(name)
        except SaveError as e:
            self.refuse(f"The game could not be saved: {e}.", "Save")
            return
        if not path.exists():
            self._write_named(name)
            return

        def replace(yes: bool | None) -> None:
            if yes:
                self._write_named(name)

        self.app.push_screen(
            ConfirmScreen(f"There is a save called {path.name} already. Replace it?"), replace
        )

    def _write_named(self, name: str) -> None:
        from game.saves.errors import SaveError
        from game.saves.store import save_as

        try:
            path = save_as(self.game, name)
        except SaveError as e:
            self.refuse(f"The game could not be saved: {e}.", "Save")
            return
        self.notify(f"Saved as {path.name} in {path.parent}.", title="Saved", markup=False)

    def action_report(self) -> None:
        if self._busy:
            return
        if self.report is None:
            self.notify("No quarter has ended yet: the report comes after your first turn.")
            return
        self._busy = True
        self.app.push_screen(ReportScreen(self.game, self.report), lambda _: self.next_step())

    def action_charts(self) -> None:
        from game.tui.screens.charts import ChartsScreen

        self.app.push_screen(ChartsScreen(self.game))

    def finish(self) -> None:
        """The game is over: the end screen tells who won and why."""
        from game.tui.screens.end import EndScreen

        self._busy = False
        self.app.push_screen(EndScreen(self.game))

    def refuse(self, message: str, title: str = "") -> None:
        """Say why something was refused; the message may quote the scenario, so it is plain."""
        self.notify(clean(message), title=title, severity="error", markup=False)
