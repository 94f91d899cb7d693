"""Determinism: a seed and the orders given are the whole game (STYLE.md, Determinism)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.game import Game
from game.engine.orders import OrderError, Orders
from game.engine.rules import resolve_turn
from tests.engine.helpers import CHINA, US, make_game, step

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = [
    Orders(gpus={"h100": 2000}, power={"gas": 30}, research=200, train_share=0.6),
    Orders(research=100, train_share=0.4),
    Orders(power={"grid": 20}, train_share=0.5),
    Orders(gpus={"b200": 500}, research=50, train_share=0.7),
]


def scripted(seed: int) -> tuple[Game, list[str]]:
    """The test scenario from the US seat with the same orders every game."""
    g = make_game("us", seed)
    digests = [g.state.digest()]
    turn = 0
    while not g.over:
        orders = SCRIPT[turn % len(SCRIPT)]
        step(g, orders if not g.problems(orders) else Orders())
        digests.append(g.state.digest())
        turn += 1
    return g, digests


def test_same_seed_and_orders_give_the_same_state_after_every_turn() -> None:
    a, digests_a = scripted(11)
    b, digests_b = scripted(11)
    assert digests_a == digests_b
    assert [r.digest for r in a.records] == [r.digest for r in b.records]
    assert a.state.canonical() == b.state.canonical()


def test_records_hold_the_digest_after_each_turn() -> None:
    g, digests = scripted(3)
    assert [r.digest for r in g.records[:-1]] == digests[1:]
    assert g.records[-1].digest == ""  # the turn not yet played
    assert len(g.history) == len(digests)


def test_a_game_replays_from_its_seed_player_orders_and_choices() -> None:
    g, digests = scripted(5)
    replay = make_game("us", 5)
    for record, expected in zip(g.records[:-1], digests[1:], strict=True):
        for event_id, index in record.choices:
            replay.choose(event_id, index)
        replay.submit(record.orders[US])
        replay.end_turn()
        assert replay.state.digest() == expected
        assert replay.records[-2].orders == record.orders


def test_different_seeds_usually_differ() -> None:
    finals = {scripted(seed)[1][-1] for seed in range(6)}
    assert len(finals) >= 5
    starts = {make_game(seed=seed).state.digest() for seed in range(6)}
    assert len(starts) == 6


def test_a_turn_replays_from_the_recorded_orders_without_the_policies() -> None:
    g, digests = scripted(5)

    def refuse(*_: object) -> Orders:
        raise AssertionError("a replay must not ask a policy")

    replay = make_game("us", 5)
    for record, expected in zip(g.records[:-1], digests[1:], strict=True):
        for event_id, index in record.choices:
            replay.choose(event_id, index)
        new, _, used = resolve_turn(replay.book, replay.state, record.orders, refuse)
        assert used == record.orders
        assert new.digest() == expected
        replay.state = new


def test_resolve_turn_never_mutates_the_state_it_was_given() -> None:
    g = make_game("china", 2, player_policy="opportunist")
    while not g.over:
        g.play_ai_choices()
        state = g.state
        digest = state.digest()
        canonical = state.canonical()
        rng = state.rng.getstate()
        new, _, _ = resolve_turn(g.book, state, {}, g.policies)
        assert new is not state
        assert state.digest() == digest
        assert state.canonical() == canonical
        assert state.rng.getstate() == rng
        g.end_turn()


def test_refused_orders_inside_resolve_turn_change_nothing() -> None:
    g = make_game(events=[])
    digest = g.state.digest()
    rng = g.state.rng.getstate()
    with pytest.raises(OrderError):
        resolve_turn(g.book, g.state, {US: Orders(research=1e9)}, g.policies)
    with pytest.raises(OrderError):
        resolve_turn(g.book, g.state, {CHINA: Orders(gpus={"h100": 1})}, g.policies)
    assert g.state.digest() == digest and g.state.rng.getstate() == rng


def test_a_clone_has_the_same_digest() -> None:
    g = make_game()
    step(g)
    assert g.state.clone().digest() == g.state.digest()
    assert g.state.clone().canonical() == g.state.canonical()


def test_the_digest_sees_where_the_generator_is() -> None:
    g = make_game()
    a = g.state.clone()
    a.rng.random()
    b = a.clone()
    b.rng.random()
    assert a.rng.random() != b.rng.random()  # they will not play the same
    assert a.digest() != b.digest()


GAME_SCRIPT = """
import yaml
from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.scenario.models import Scenario
from tests.engine.helpers import make_game

with open(BASE, encoding="utf-8") as f:
    book = Rulebook(Scenario.model_validate(yaml.safe_load(f)))
for g in (Game(book, "us", 7, player_policy="balanced"),
          make_game("china", 7, player_policy="efficient")):
    for _ in range(8):
        if g.over:
            break
        g.play_ai_choices()
        g.end_turn()
    print(g.state.digest())
"""


SCRIPT_WITH_BASE = f"BASE = {str(ROOT / 'scenarios' / 'base.yaml')!r}\n" + GAME_SCRIPT


def _run_game_script(hash_seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT_WITH_BASE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_same_game_under_different_hash_seeds() -> None:
    one = _run_game_script("1")
    two = _run_game_script("2")
    assert len(one) == 2
    assert one == two
    here: list[str] = []  # and in this process, whatever its hash seed
    exec(compile(SCRIPT_WITH_BASE, "<game script>", "exec"), {"print": here.append})
    assert here == one
