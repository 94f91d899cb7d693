"""A play-by-file move in the terminal game (`airace play --two-player`, `airace resume FILE`).

Either seat plays its quarter on the usual dashboard, seen from its own
seat (`SeatBoard`: the other seat's orders, events and choices stay hidden,
and the second seat never has the first's sealed move anyway): its events'
choices, then its orders. Pressing `e` does not resolve the quarter: the
orders are checked and handed back to the command line, which seals the move
(or reveals it, for the second seat) and writes the file (`game.saves.duel`).
Nothing is autosaved: the move stays out of the saves folder until the
quarter resolves.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from game.engine.game import GameError
from game.engine.orders import OrderError
from game.tui.app import AIRaceApp
from game.tui.screens import dashboard
from game.tui.screens.dashboard import DashboardScreen, last_report
from game.tui.widgets.orders import OrdersForm

if TYPE_CHECKING:
    from game.engine.game import Game
    from game.engine.orders import Orders


class MoveScreen(DashboardScreen):
    """The dashboard for one move: `e` hands the orders back instead of ending the turn."""

    # A screen's styles are found beside the module that defines it: the dashboard's own.
    CSS_PATH = str(Path(dashboard.__file__).with_name("dashboard.tcss"))

    def action_end_turn(self) -> None:
        if self._busy or self.game.over:
            return
        if self.waiting():
            self.next_step()
            return
        form = self.query_one(OrdersForm)
        if form.problems:
            self.refuse("These orders cannot be given: " + form.problems[0], "Orders")
            return
        try:
            self.game.submit(form.orders, seat=self.seat)
        except (OrderError, GameError) as e:
            self.refuse(str(e), "Orders")
            return
        app = self.app
        if isinstance(app, MoveApp):
            app.orders = form.orders
        app.exit()

    def autosave(self) -> None:
        """A move is kept sealed by the command line, never in the saves folder."""


class MoveApp(AIRaceApp):
    """The terminal game for `seat`'s play-by-file move (default: the player's);
    `orders` holds it once made."""

    def __init__(self, game: Game, seat: str | None = None) -> None:
        super().__init__()
        self._move_game = game
        self.seat = game.state.player if seat is None else seat
        self.orders: Orders | None = None

    def on_mount(self) -> None:
        game = self._move_game
        screen = MoveScreen(game, seat=self.seat)
        # A quarter just resolved (both moves are in it): its news and the seat's report.
        turn = game.state.turn
        screen.last = list(game.happened[turn - 2]) if turn >= 2 else []
        screen.report = last_report(game, self.seat)
        self.push_screen(screen)
        self._check_size(self.size)
