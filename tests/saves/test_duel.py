"""Play by file (`game.saves.duel`) in one process: sealing, settling, and who may open a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.game import Game
from game.engine.orders import Orders
from game.engine.rulebook import Rulebook
from game.saves.duel import (
    Move,
    MoveChoice,
    Turn,
    commit,
    move_data,
    new_game,
    open_duel,
    settle,
    take_move,
    write_move,
)
from game.saves.errors import SaveError, SaveProblem
from game.scenario.loader import load_scenario

SCENARIO = Path(__file__).resolve().parents[1] / "cli" / "data" / "short-duel.yaml"
US, CHINA = "prometheus", "tianhe"


def duel_game(seed: int = 5) -> Game:
    return Game(
        Rulebook(load_scenario(SCENARIO)), "us", seed, difficulty="normal", humans=(US, CHINA)
    )


def advised(game: Game, seat: str) -> Move:
    """The seat's first choices and the advisor's orders, made in `game`."""
    choices = []
    while game.pending_for(seat):
        event = game.pending_for(seat)[0]
        game.choose(event, 0, seat=seat)
        choices.append(MoveChoice(event=event, choice=0))
    orders = game.suggested_orders(seat=seat)
    game.submit(orders, seat=seat)
    return Move(choices=choices, orders=orders)


def move(turn: Turn, folder: Path) -> None:
    write_move(turn, advised(turn.game, turn.seat), folder)


def test_a_commitment_hides_the_move_behind_its_salt() -> None:
    data = move_data("g", 1, US, Move(orders=Orders(research=5)))
    assert commit("00" * 32, data) != commit("01" * 32, data)
    assert commit("00" * 32, data) != commit(
        "00" * 32, move_data("g", 2, US, Move(orders=Orders(research=5)))
    )


def test_settling_applies_choices_in_seat_order_whoever_moved_first() -> None:
    one, two = duel_game(), duel_game()
    moves = {}
    for seat in (US, CHINA):
        probe = duel_game()
        moves[seat] = advised(probe, seat)
    settle(one, moves)
    settle(two, {CHINA: moves[CHINA], US: moves[US]})
    assert one.state.digest() == two.state.digest()
    record = one.records[0]
    assert record.seat_of == {k: CHINA for k in range(len(moves[US].choices), len(record.choices))}


def test_orders_a_rival_choice_made_impossible_give_way_to_the_training_share() -> None:
    game = duel_game()
    broke = Move(orders=Orders(gpus={"h100": 10**9}), choices=[])
    us = advised(duel_game(), US)
    china = advised(duel_game(), CHINA)
    settle(game, {US: us.model_copy(update={"orders": broke.orders}), CHINA: china})
    assert game.records[0].orders[US].gpus.get("h100", 0) == 0


def test_a_move_must_answer_every_event_of_the_seat() -> None:
    game = duel_game()
    assert game.pending_for(US)
    with pytest.raises(Exception, match="answers no choice"):
        take_move(game, US, Move(orders=Orders()))


def test_china_may_start_and_seal_its_moves(tmp_path: Path) -> None:
    path = tmp_path / "duel.json"
    cn, us = tmp_path / "cn", tmp_path / "us"
    move(new_game(path, duel_game(), CHINA), cn)
    for _ in range(3):
        turn = open_duel(path, path.read_bytes(), us)
        assert turn.seat == US and not turn.resolved
        move(turn, us)
        turn = open_duel(path, path.read_bytes(), cn)
        assert turn.seat == CHINA and turn.resolved
        move(turn, cn)
    with pytest.raises(SaveError) as refused:
        open_duel(path, path.read_bytes(), cn)
    assert refused.value.problem == SaveProblem.OUT_OF_TURN


def test_a_seat_with_no_record_of_a_later_move_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "duel.json"
    move(new_game(path, duel_game(), US), tmp_path / "us")
    move(open_duel(path, path.read_bytes(), tmp_path / "cn"), tmp_path / "cn")
    with pytest.raises(SaveError, match="holds none of that seat's moves"):
        open_duel(path, path.read_bytes(), tmp_path / "elsewhere")
