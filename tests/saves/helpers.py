"""Games of the shipped scenarios to save, and save files to break, for the saves tests."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.files import write_atomically
from game.saves.codec import encode, to_save
from game.scenario.loader import list_scenarios, load_scenario

SHIPPED = [(info.id, side) for info in list_scenarios() for side in info.playable]


@functools.cache
def book(scenario: str = "base") -> Rulebook:
    """A shipped scenario's rulebook, built once for the whole run."""
    return Rulebook(load_scenario(scenario))


def person_game(
    scenario: str = "base", faction: str = "us", seed: int = 1, turns: int = 3, choice: int = 1
) -> Game:
    """A game a person plays: the advisor's orders every quarter, choice `choice` when asked."""
    game = Game(book(scenario), faction, seed, difficulty=None)
    for _ in range(turns):
        if game.over:
            break
        answer(game, choice)
        game.submit(game.suggested_orders())
        game.end_turn()
    return game


def answer(game: Game, choice: int) -> None:
    """Answer every event waiting for the player with choice `choice` (or the last there is)."""
    while game.pending and not game.over:
        event_id, _ = game.pending[0]
        game.choose(event_id, min(choice, len(game.book.event[event_id].choices) - 1))


def simulated_game(scenario: str = "base", faction: str = "us", seed: int = 1) -> Game:
    """A whole game with a computer in every seat, as `airace simulate` plays it."""
    game = Game(book(scenario), faction, seed, player_policy="balanced")
    while not game.over:
        game.play_ai_choices()
        game.end_turn()
    return game


def write(game: Game, path: Path) -> Path:
    """Save `game` to `path`."""
    return write_atomically(path, encode(to_save(game)))


def document(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def rewrite(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path
