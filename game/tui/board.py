"""One seat's board: what the panels read of a game, as one human seat may see it.

The panels (lab, race, news, orders, advisor, report, charts) read a `Board`:
a state, its past, the scenario and "the player's" lab. A one-player game is
its own board; with several human seats (hot-seat, or one seat of a game
played by file), each seat's screen reads a `SeatBoard`, built from
`Game.seat_view(seat)`, so it never holds another seat's submitted orders,
pending events or what its choices did this quarter. The replay viewer's
turns are boards too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from game.describe import side_name
from game.engine.state import GameState, LabState, Outcome

if TYPE_CHECKING:
    from game.engine.game import Game, SeatView
    from game.engine.orders import Orders, OrderSet
    from game.engine.rulebook import Rulebook
    from game.scenario.models import Scenario


class Board(Protocol):
    """What the panels read: a state and its past, seen from "the player's" lab."""

    @property
    def book(self) -> Rulebook: ...

    @property
    def state(self) -> GameState: ...

    @property
    def history(self) -> Sequence[GameState]: ...

    @property
    def scenario(self) -> Scenario: ...

    @property
    def player(self) -> LabState: ...


class Desk(Board, Protocol):
    """A board the orders are given at: it can check them."""

    def problems(self, orders: OrderSet) -> list[str]: ...


class SeatBoard:
    """`game` as `seat` may see it, with that seat's lab as "the player".

    Its state is `seat_view(seat)`'s: another seat's lab stands as the quarter's
    news left it, only this seat's events wait. In a game of several seats
    every state it gives (the past ones too) names `seat` as the player, marks
    only its lab as a person's and says whether it won, so the panels read it
    as they read a one-player game. Call `look` after the game moves.
    """

    def __init__(self, game: Game, seat: str | None = None) -> None:
        self.game = game
        self.seat = game.state.player if seat is None else seat
        self._past: dict[int, GameState] = {}  # history index -> the state as seen
        self.view: SeatView
        self.state: GameState
        self.look()

    def look(self) -> None:
        """Take the seat's view of the game as it stands now."""
        self.view = self.game.seat_view(self.seat)
        self.state = self._seen(self.view.state)

    @property
    def several(self) -> bool:
        """Whether people play more than this seat."""
        return len(self.game.humans) > 1

    @property
    def book(self) -> Rulebook:
        return self.game.book

    @property
    def scenario(self) -> Scenario:
        return self.game.scenario

    @property
    def player(self) -> LabState:
        return self.state.labs[self.seat]

    @property
    def faction(self) -> str:
        return self.player.faction

    @property
    def history(self) -> list[GameState]:
        """Every quarter's state up to this one, the last as this seat sees it now."""
        past = self.game.history[:-1]
        if not self.several:
            return [*past, self.state]
        for i in range(len(self._past), len(past)):
            self._past[i] = self._seen(past[i].clone())
        return [*(self._past[i] for i in range(len(past))), self.state]

    @property
    def pending(self) -> tuple[str, ...]:
        """The events waiting for this seat's choice."""
        return self.view.pending

    def problems(self, orders: OrderSet) -> list[str]:
        return self.game.problems(orders, seat=self.seat)

    def suggested_orders(self) -> Orders:
        return self.game.suggested_orders(seat=self.seat)

    def _seen(self, state: GameState) -> GameState:
        """`state` (a copy of the seat's own) with this seat as the player, changed in place."""
        return seen_by(state, self.seat) if self.several else state


def seen_by(state: GameState, seat: str) -> GameState:
    """`state`, a copy, changed in place to name `seat` as the player: only its lab is
    marked as a person's, and the outcome says whether it won."""
    state.player = seat
    for lab in state.labs.values():
        lab.is_player = lab.id == seat
    out = state.outcome
    if out is not None:
        state.outcome = Outcome(out.winner, out.kind, out.text, out.winner == seat)
    return state


def side_of(game: Game, seat: str) -> str:
    """The name of the side a seat's lab plays for, as the scenario calls it."""
    return side_name(game.scenario, game.state.labs[seat].faction)
