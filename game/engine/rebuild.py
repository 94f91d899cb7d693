"""A game played again under a changed scenario, as far as its player's decisions still fit.

When the author of a scenario edits it during a game (`airace play --watch`),
the game is rebuilt under the new version: the same side, seed and
difficulty, and the player's recorded choices and orders given again, turn
by turn. The computer labs play afresh under the new rules, so a change to a
price or an event shows in what they do too; with nothing that matters
changed, the rebuilt game is the same game, since the computer labs' rolls
are drawn whatever they decide. The replay stops at the first decision that
no longer fits, and says why in a clause the shell puts in a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.game import Game, GameError
from game.engine.orders import OrderError, Orders, OrderSet
from game.engine.rulebook import Rulebook


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """A game rebuilt under a new rulebook, and how far the old game's decisions went in it."""

    game: Game
    # Why the replay stopped before the turn the old game had reached, as a
    # clause ("your recorded orders no longer fit: ..."); empty if it did not.
    stop: str = ""
    # The player's recorded orders for the turn it stopped at, if it stopped at them.
    orders: Orders | None = None


def rebuild(old: Game, book: Rulebook) -> Rebuilt:
    """`old`'s game under `book`, replayed from its seed with the player's own decisions.

    Raises `GameError` when the game cannot even start under `book` (its side
    or its difficulty is gone). The rebuilt game keeps `old`'s id and branch,
    so it saves in the old one's place.
    """
    game = Game(book, old.faction, old.seed, difficulty=old.difficulty)
    game.id = old.id
    game.branch = old.branch
    player = game.state.player
    stop, orders = "", None
    for record in old.records:
        if not record.choices and not record.orders:
            break  # the turn in progress, nothing decided in it yet
        if game.over:
            stop = "the game now ends"
            break
        stop = _choices(game, record.choices, old.book)
        if stop or not record.orders:
            break
        if game.state.pending:
            stop = f"'{_title(game.state.pending[0].event, book)}' now asks for your choice"
            break
        given = record.orders.get(player)
        if given is not None:
            orders = _orders(given)
            try:
                game.submit(orders)
            except OrderError as e:
                stop = f"your recorded orders no longer fit: {e}"
                break
        game.end_turn()
        orders = None
    game.opening = list(game.happened[game.state.turn - 1])
    return Rebuilt(game, stop, orders if stop else None)


def _choices(game: Game, choices: list[tuple[str, int]], old: Rulebook) -> str:
    """Make the recorded choices of one turn; why one cannot be made, or nothing.

    An event gone from the new version is named by its title in the `old` one.
    """
    for event_id, index in choices:
        if all(p.event != event_id for p in game.state.pending):
            return f"'{_title(event_id, game.book, old)}' no longer asks for your choice"
        try:
            game.choose(event_id, index)
        except GameError as e:
            return f"your recorded choice cannot be made: {e}"
    return ""


def _title(event_id: str, *books: Rulebook) -> str:
    """An event's title in the first of `books` that has it (else its id)."""
    for book in books:
        event = book.event.get(event_id)
        if event is not None:
            return event.title
    return event_id


def _orders(given: OrderSet) -> Orders:
    return Orders(
        gpus=dict(given.gpus),
        power=dict(given.power),
        research=given.research,
        train_share=given.train_share,
    )
