"""Two seats, both played by computer policies: the balance of a game between two people.

A two-player game seats each side's main lab (`Game(..., humans=...)`); the
other labs stay computer rivals. `play_seats` plays such a game with a
policy in each seat, the way two people who follow their advisors would:
through the public seat API only (`pending_for`, `choose(..., seat=)`,
`suggested_orders(seat=)`, `submit(..., seat=)`, `end_turn`). Events are
answered by the computer labs' weights, with the driver's own generator so
that the game's stays as the rules draw it.

`seat_wins` plays many such games (in worker processes with `jobs` > 1) and
counts who won: a seat, or a computer rival. `scripts/balance.py` reports it
per scenario, with the same policy in both seats ("equal skill").
"""

from __future__ import annotations

import random
import signal
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from game.engine.events import ai_choice
from game.engine.game import Game
from game.engine.orders import Orders
from game.engine.rulebook import Rulebook
from game.scenario.models import Scenario
from game.sim.runner import game_seed

CHUNK = 20
US, CHINA = "us", "china"
RIVAL = "rival"  # a computer lab won
NOBODY = "nobody"  # nobody won (every lab out, or a survivor that never led)


@dataclass(frozen=True, slots=True)
class Match:
    """Where two policies meet: a scenario, a difficulty and each side's seat policy."""

    scenario: str
    difficulty: str | None
    us: str
    china: str


def seat_labs(book: Rulebook) -> tuple[str, str]:
    """The two seats of a two-player game: the US main lab, then China's."""
    factions = book.factions
    return (str(factions[US].lab_id), str(factions[CHINA].lab_id))


def play_seats(book: Rulebook, match: Match, seed: int) -> str:
    """Play one two-seat game to its end; return who won: US, CHINA, RIVAL or NOBODY."""
    us, china = seat_labs(book)
    game = Game(
        book,
        US,
        seed,
        difficulty=match.difficulty,
        humans=(us, china),
        policies={us: match.us, china: match.china},
    )
    game.keep_history = False  # nothing looks back; copying states costs time
    rng = random.Random(seed)
    while not game.over:
        for seat in game.humans:
            while not game.over and game.pending_for(seat):
                event_id = game.pending_for(seat)[0]
                faction = game.state.labs[seat].faction
                choices = book.asked(event_id, faction).choices
                game.choose(event_id, ai_choice(choices, rng.random()), seat=seat)
        if game.over:
            break
        for seat in game.humans:
            orders = game.suggested_orders(seat=seat)
            if game.problems(orders, seat=seat):
                # Advice the quarter cannot take (a choice just changed the
                # books): the seat keeps its training share and waits.
                orders = Orders(train_share=orders.train_share)
            game.submit(orders, seat=seat)
        game.end_turn()
    outcome = game.state.outcome
    assert outcome is not None  # the loop ends only when the game is over
    if outcome.winner == us:
        return US
    if outcome.winner == china:
        return CHINA
    return RIVAL if outcome.winner else NOBODY


def _play_range(book: Rulebook, match: Match, seed: int, start: int, stop: int) -> Counter[str]:
    return Counter(play_seats(book, match, game_seed(seed, i)) for i in range(start, stop))


_texts: dict[str, str] = {}
_books: dict[str, Rulebook] = {}


def _init(texts: dict[str, str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent alone handles Ctrl-C
    _texts.update(texts)


def _task(task: tuple[Match, int, int, int]) -> Counter[str]:
    match, seed, start, stop = task
    book = _books.get(match.scenario)
    if book is None:
        book = _books[match.scenario] = Rulebook(
            Scenario.model_validate_json(_texts[match.scenario])
        )
    return _play_range(book, match, seed, start, stop)


def seat_wins(
    scenarios: Sequence[Scenario], matches: Sequence[Match], games: int, seed: int, jobs: int
) -> list[Counter[str]]:
    """Who won each match's `games` games (US, CHINA, RIVAL, NOBODY), in order."""
    starts = [(n, start) for n in range(len(matches)) for start in range(0, games, CHUNK)]
    tasks = [(matches[n], seed, start, min(start + CHUNK, games)) for n, start in starts]
    if jobs > 1:
        texts = {s.meta.id: s.model_dump_json(by_alias=True) for s in scenarios}
        with ProcessPoolExecutor(jobs, initializer=_init, initargs=(texts,)) as pool:
            counts = list(pool.map(_task, tasks))
    else:
        books = {s.meta.id: Rulebook(s) for s in scenarios}
        counts = [_play_range(books[m.scenario], m, sd, a, b) for m, sd, a, b in tasks]
    out = [Counter[str]() for _ in matches]
    for (n, _), c in zip(starts, counts, strict=True):
        out[n] += c
    return out
