"""The dashboard: the lab, the orders, the advisor, the race and the news, on one screen.

A turn: events that need a choice come first (one modal each), then the
player sets the orders and presses `e`; the engine resolves the quarter, the
dashboard updates in place (no recompose: it must take well under 50 ms),
and the turn report opens. Resolving a quarter takes a few milliseconds, less
than a frame, so it runs on the event loop rather than in a worker.

With a watched scenario file (`airace play --watch`), the dashboard looks at
the file whenever it is back in front and before a turn ends: a change with
problems shows them and the game goes on as it was; a valid change rebuilds
the game under it (`engine.rebuild`) on a new dashboard, which says how far
the player's decisions still went.

Several seats. The dashboard shows one human seat of a game at a time,
through that seat's `SeatBoard` (never the referee's state): its lab, its
events, its orders, its report. In hot-seat (two people at one terminal)
every seat of the game takes its turn at the same dashboard, in seat order
(the player's side, the US, first): a seat answers its events and gives its
orders, a hand-over screen hides the board while the keyboard changes hands,
and once every seat has given its orders the quarter resolves; each seat then
finds its own report when it next sits down. When the game ends, each seat in
turn sits down to its report on the last quarter (a hand-over between them),
then both players see the end screen. Without hot-seat, a dashboard
for one seat of a several-seat game gives that seat's orders and resolves
the quarter when the others have given theirs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer

from game.engine.game import Game, GameError
from game.engine.happenings import Happening
from game.engine.orders import OrderError, Orders, OrderSet
from game.fmt import date
from game.tui.advisor import advise, carry_over
from game.tui.board import SeatBoard, side_of
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

if TYPE_CHECKING:
    from game.scenario.errors import ScenarioError
    from game.scenario.models import Scenario
    from game.tui.watch import ScenarioWatch

ADVICE_LINES = 3  # the advisor shows the most urgent lines first


@dataclass(slots=True)
class Place:
    """A seat's place at the dashboard: its board, its news, its report, its form."""

    board: SeatBoard
    now: list[Happening]  # this quarter's happenings (its news, the choices made)
    last: list[Happening] = field(default_factory=list)  # last quarter's
    report: TurnReport | None = None
    # The orders as the seat left the form (in hot-seat, the ones it gave), if it did.
    orders: Orders | None = None
    fresh: bool = False  # a report the seat has not seen yet: it opens when the seat sits down


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

    def __init__(
        self,
        game: Game,
        *,
        seat: str | None = None,
        hotseat: bool = False,
        watch: ScenarioWatch | None = None,
        orders: Orders | None = None,
    ) -> None:
        """The dashboard of `game` for `seat` (default: the player's); `watch` is the
        scenario file it follows, if any, and `orders` fill the form at first
        (default: what the lab kept doing).

        With `hotseat`, every seat of the game plays at this dashboard in turn,
        `seat` (default: the first that owes its orders) first.
        """
        super().__init__()
        self.game = game
        self.scenario_file = watch  # (`watch` is a Textual method)
        self._first_orders = orders
        self.hotseat = hotseat and len(game.seats) > 1
        if self.hotseat:
            seats = game.seats
            seat = seat or next(iter(game.waiting_for), seats[0])
        else:
            seats = (seat or game.state.player,)
        self.places = {s: Place(SeatBoard(game, s), list(game.opening)) for s in seats}
        self.seat = seat or seats[0]
        self.update_ms: list[float] = []  # key press to dashboard updated, per turn
        # A turn's report or an event's choice is on screen, or the screen is
        # not yet up (keys can come before it is composed): the turn's keys wait.
        self._busy = True
        self._save_failed = False  # an autosave failed (said once)

    # -- the seat at the dashboard --------------------------------------------
    @property
    def place(self) -> Place:
        return self.places[self.seat]

    @property
    def board(self) -> SeatBoard:
        """The game as the seat at the dashboard may see it."""
        return self.place.board

    @property
    def now(self) -> list[Happening]:
        return self.place.now

    @now.setter
    def now(self, happenings: list[Happening]) -> None:
        self.place.now = happenings

    @property
    def last(self) -> list[Happening]:
        return self.place.last

    @last.setter
    def last(self, happenings: list[Happening]) -> None:
        self.place.last = happenings

    @property
    def report(self) -> TurnReport | None:
        return self.place.report

    @report.setter
    def report(self, report: TurnReport | None) -> None:
        self.place.report = report

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Panel(id="advisor")
        with Horizontal(id="board"):
            with VerticalScroll(id="left"):
                yield LabPanel(id="lab")
                yield RaceTable(id="race")
            with VerticalScroll(id="right"):
                yield OrdersForm(self.board, id="orders")
                yield NewsFeed(id="news")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#race").border_title = "The race"
        self.query_one("#orders").border_title = "Orders for this quarter"
        self.query_one("#news").border_title = "News"
        self.place.orders = self._first_orders
        if self.hotseat:  # the board stays hidden until the seat's player has the keyboard
            self.pass_to(self.seat)
            return
        self._switch(self.seat)
        self.query_one(OrdersForm).focus_first()
        self.call_after_refresh(self.next_step)

    def on_screen_resume(self) -> None:
        self.check_scenario()  # back in front: the watched file may have changed meanwhile

    # -- showing -------------------------------------------------------------
    def refresh_view(self) -> None:
        """Update every panel in place from the game, as the seat at the dashboard sees it."""
        board = self.board
        board.look()
        if board.several and not self.game.over:
            self.now = list(board.view.news)
        self.query_one(StatusBar).show(board)
        self.query_one(LabPanel).show(board)
        self.query_one(RaceTable).show(board)
        self.query_one(NewsFeed).show(board, self.now, self.last)

    def on_orders_changed(self, message: OrdersChanged) -> None:
        self.show_advice(message.orders)

    def show_advice(self, orders: Orders) -> None:
        advice = advise(self.board, orders)
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
            # Hot-seat: each seat sees its report on the last quarter before the end screen.
            unseen = [seat for seat, place in self.places.items() if place.fresh]
            if self.hotseat and unseen:
                self.pass_to(unseen[0])
            else:
                self.finish()
            return
        waiting = self.waiting()
        if waiting:
            self._busy = True
            self.app.push_screen(EventScreen(self.board, waiting[0]), self._chosen(waiting[0]))
            return
        self._busy = False
        self.check_scenario()

    def waiting(self) -> list[str]:
        """The events waiting for the seat's own choice, first first."""
        return self.game.pending_for(self.seat)

    def _chosen(self, event_id: str) -> Callable[[int | None], None]:
        def take(index: int | None) -> None:
            if index is None:
                return
            share = self.board.player.train_share
            try:
                self.now += self.game.choose(event_id, index, seat=self.seat)
            except GameError as e:
                self.refuse(str(e))
            else:
                self.autosave()  # a choice is kept like a turn
            self.board.look()
            lab = self.board.player
            form = self.query_one(OrdersForm)
            orders = form.orders
            if lab.train_share != share:  # a directive set how the lab works
                orders = orders.model_copy(update={"train_share": lab.train_share})
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
        if self.check_scenario():
            return  # the quarter ends under the scenario as it is now, on the next `e`
        form = self.query_one(OrdersForm)
        if form.problems:
            self.refuse("These orders cannot be given: " + form.problems[0], "Orders")
            return
        orders = form.orders
        if self.board.several:
            self.give(orders)
            return
        before = game.state
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
        self.board.look()  # the form below reads the new quarter's prices and cash
        if game.over:
            self.now, self.last = [], out
        else:
            turn = game.state.turn
            self.now = [h for h in out if h.turn == turn]
            self.last = [h for h in out if h.turn != turn]
            form.load(carry_over(self.board, orders))
        self.refresh_view()
        self.update_ms.append((time.perf_counter() - start) * 1000)
        self._busy = True
        self.call_after_refresh(self._show_report)

    def _show_report(self) -> None:
        if self.report is not None:
            self.app.push_screen(ReportScreen(self.board, self.report), lambda _: self.next_step())

    # -- several seats -----------------------------------------------------------
    def give(self, orders: Orders) -> None:
        """The seat gives its orders; the quarter resolves once every seat has given its,
        else (in hot-seat) the next seat that owes them takes the keyboard."""
        game = self.game
        try:
            game.submit(orders, seat=self.seat)
        except (OrderError, GameError) as e:
            self.refuse(str(e), "Orders")
            return
        self.place.orders = orders
        if game.ready:
            self.resolve_seats()
        elif self.hotseat:
            self.pass_to(game.waiting_for[0])
        else:
            others = [game.state.labs[s].name for s in game.waiting_for]
            self.notify(
                clean(f"Orders given: the quarter ends once {' and '.join(others)} gives theirs."),
                title="Orders",
                markup=False,
            )

    def resolve_seats(self) -> None:
        """Every seat has given its orders: resolve the quarter and make each seat's report."""
        game = self.game
        seen = {}  # each seat's quarter as it saw it: the state and the news
        for seat, place in self.places.items():
            place.board.look()
            before = place.board.state
            seen[seat] = (before, [h for h in place.board.view.news if h.turn == before.turn])
        try:
            out = game.end_turn()
        except GameError as e:
            self.refuse(str(e), "Orders")
            return
        self.autosave()
        turn = game.state.turn
        for seat, place in self.places.items():
            before, opened = seen[seat]
            place.board.look()
            place.report = TurnReport(before, place.board.state, place.orders, [*opened, *out])
            if game.over:
                place.now, place.last = [], out
            else:
                place.now = [h for h in out if h.turn == turn]
                place.last = [h for h in out if h.turn != turn]
                place.orders = carry_over(place.board, place.orders)
            place.fresh = self.hotseat or not game.over
        if game.over:
            self.refresh_view()
            self.next_step()
        elif self.hotseat:
            self.pass_to(game.seats[0])
        else:
            self._switch(self.seat)
            self._busy = True
            self.call_after_refresh(self._sit_down)

    def pass_to(self, seat: str) -> None:
        """Hand the keyboard to `seat`: a screen hides the board, which becomes that
        seat's behind it; Enter there sits the seat down."""
        from game.tui.screens.hand_over import HandOverScreen

        self._busy = True
        self.app.clear_notifications()  # a notification may tell of the last seat's orders
        game = self.game
        s = game.state
        when = f"{date(s.year, s.quarter)}, turn {s.turn} of {s.world.turns}"
        note = ""
        if game.over:
            when = "The game is over."
            note = (
                "The report on the last quarter opens first, the other player's stays hidden; "
                "then both players see the end screen."
            )
        elif self.places[seat].fresh:
            note = "The report on last quarter opens first; the other player's stays hidden."
        screen = HandOverScreen(side_of(game, seat), s.labs[seat].name, when, note, game.over)
        self.app.push_screen(screen, lambda _: self._sit_down())
        self._switch(seat)

    def _switch(self, seat: str) -> None:
        """Show `seat`'s board, news and form."""
        self.seat = seat
        board = self.board
        board.look()
        title = f"Your lab ({side_of(self.game, seat)})" if self.hotseat else "Your lab"
        self.query_one("#lab").border_title = title
        form = self.query_one(OrdersForm)
        form.game = board
        form.load(self.place.orders or carry_over(board, None))
        self.refresh_view()

    def _sit_down(self) -> None:
        """The seat has the keyboard: its fresh report first, then its turn."""
        place = self.place
        self.query_one(OrdersForm).focus_first()
        if place.fresh and place.report is not None:
            place.fresh = False
            self.app.push_screen(ReportScreen(self.board, place.report), lambda _: self.next_step())
            return
        self.next_step()

    def action_advisor_plan(self) -> None:
        """Fill the form with the advisor's plan for this quarter; the player may change it."""
        if self._busy or self.game.over:
            return
        form = self.query_one(OrdersForm)
        form.load(self.board.suggested_orders())
        form.focus_first()
        self.notify(
            "The advisor's plan is in the form: change anything you like, then press e.",
            title="Advisor's plan",
            markup=False,
        )

    # -- a watched scenario file ------------------------------------------------
    def check_scenario(self) -> bool:
        """Reload the watched scenario file if it changed; whether anything came of it.

        Only while the player is at the orders, with nothing in front: never
        in the middle of a choice or a report.
        """
        watch = self.scenario_file
        if watch is None or self._busy or self.app.screen is not self or not watch.changed():
            return False
        from game.scenario.errors import ScenarioError

        try:
            scenario = watch.load()
        except ScenarioError as e:
            self.show_problems(watch, e)
            return True
        self.reload(watch, scenario)
        return True

    def show_problems(self, watch: ScenarioWatch, error: ScenarioError) -> None:
        """The changed file's problems, on a screen; the game goes on as it was."""
        from game.tui.screens.problems import ProblemsScreen, problems_title

        note = (
            "The game goes on under the scenario as it was. Save the file again once it is "
            "fixed: the game reloads it when you next press e or come back to the dashboard."
        )
        title = problems_title(watch.name, error.problems)
        self.app.push_screen(ProblemsScreen(title, error.problems, note))

    def reload(self, watch: ScenarioWatch, scenario: Scenario) -> None:
        """Rebuild the game under `scenario` on a new dashboard, and say how far it replayed."""
        from game.engine.rebuild import rebuild
        from game.engine.rulebook import Rulebook

        try:
            rebuilt = rebuild(self.game, Rulebook(scenario))
        except GameError as e:
            self.refuse(
                f"{watch.name} changed, but this game cannot be played under it: {e}. "
                "The game goes on under the scenario as it was.",
                "Scenario not reloaded",
            )
            return
        game = rebuilt.game
        where = date(game.state.year, game.state.quarter)
        said = f"{watch.name} changed: the game replayed under it to {where}"
        if rebuilt.stop:
            orders = rebuilt.orders or carry_over(game, _last_orders(game))
            said += f" only, where {rebuilt.stop}."
        else:
            orders = self.query_one(OrdersForm).orders  # what the player was typing
            said += ", where you were."
        new = DashboardScreen(game, watch=watch, orders=orders)
        turn = game.state.turn
        new.last = list(game.happened[turn - 2]) if turn >= 2 else []
        new.report = last_report(game)
        self.app.switch_screen(new)
        new.autosave()
        self.app.notify(
            clean(said),
            title="Scenario reloaded",
            severity="warning" if rebuilt.stop else "information",
            timeout=12 if rebuilt.stop else 6,
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
        who = "two players" if self.hotseat else self.board.faction
        suggestion = f"{self.game.scenario.meta.id} {who} {date(s.year, s.quarter)}"
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
        self.app.push_screen(ReportScreen(self.board, self.report), lambda _: self.next_step())

    def action_charts(self) -> None:
        from game.tui.screens.charts import ChartsScreen

        self.app.push_screen(ChartsScreen(self.board))

    def finish(self) -> None:
        """The game is over: the end screen tells who won and why."""
        from game.tui.screens.end import EndScreen

        self._busy = False
        self.app.push_screen(EndScreen(self.game))

    def refuse(self, message: str, title: str = "") -> None:
        """Say why something was refused; the message may quote the scenario, so it is plain."""
        self.notify(clean(message), title=title, severity="error", markup=False)


def _last_orders(game: Game) -> OrderSet | None:
    """The player's orders in the quarter before the one being played, if there was one."""
    records = game.records
    return records[-2].orders.get(game.state.player) if len(records) >= 2 else None


def last_report(game: Game, seat: str | None = None) -> TurnReport | None:
    """The report of the quarter before the one being played, from the game's history, as
    `seat` (default: the player's) sees it: this quarter's news without another seat's choices."""
    p = game.state.turn - 2
    if p < 0 or p + 1 >= len(game.history) or p + 1 >= len(game.happened):
        return None
    board = SeatBoard(game, seat)
    before, after = board.history[p], board.history[p + 1]
    orders = game.records[p].orders.get(board.seat)
    return TurnReport(before, after, orders, [*game.happened[p], *board.view.news])
