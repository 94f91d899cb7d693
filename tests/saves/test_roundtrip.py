"""Save, then load: the same game, state for state and digest for digest (DESIGN.md §6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.game import Game
from game.saves.codec import encode, load_game, parse_document, to_save
from game.saves.model import Save
from tests.engine.test_invariants import draw_orders
from tests.saves.helpers import SHIPPED, book, person_game, simulated_game, write


def play_randomly(game: Game, data: st.DataObject, turns: int) -> None:
    """`turns` quarters of random legal orders and choices; maybe a choice into the next."""
    for _ in range(turns):
        if game.over:
            return
        while game.pending:
            event_id, _ = game.pending[0]
            n = len(game.book.event[event_id].choices)
            game.choose(event_id, data.draw(st.integers(0, n - 1)))
        game.submit(draw_orders(data, game))
        game.end_turn()


def assert_same_game(loaded: Game, game: Game) -> None:
    assert [s.digest() for s in loaded.history] == [s.digest() for s in game.history]
    assert [(r.turn, r.choices, r.drawn, r.digest) for r in loaded.records] == [
        (r.turn, r.choices, r.drawn, r.digest) for r in game.records
    ]
    assert loaded.state.canonical() == game.state.canonical()
    assert (loaded.id, loaded.seats, loaded.over) == (game.id, game.seats, game.over)


@pytest.mark.parametrize(("scenario", "faction"), SHIPPED)
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # each example writes the same file anew
    ],
)
@given(seed=st.integers(0, 2**16), turns=st.integers(0, 40), data=st.data())
def test_random_orders_and_choices_save_and_load_to_the_same_game(
    scenario: str, faction: str, seed: int, turns: int, data: st.DataObject, tmp_path: Path
) -> None:
    game = Game(book(scenario), faction, seed)
    play_randomly(game, data, turns)
    if not game.over and game.pending and data.draw(st.booleans()):
        game.choose(game.pending[0][0], 0)  # saved between a choice and the orders
    _, loaded = load_game(write(game, tmp_path / "game.json"))
    assert_same_game(loaded, game)


def test_a_simulated_game_saves_every_labs_orders_and_the_policys_rolls(tmp_path: Path) -> None:
    game = simulated_game("base", "china", 4)
    save, loaded = load_game(write(game, tmp_path / "sim.json"))
    assert_same_game(loaded, game)
    assert save.seats == [] and save.result is not None
    assert any(c.drawn for t in save.turns for c in t.choices)
    for turn, state in zip(save.turns, game.history, strict=False):
        assert set(turn.orders) == {lab.id for lab in state.labs.values() if lab.alive}


def test_a_loaded_game_plays_on_as_the_original_would(tmp_path: Path) -> None:
    game = person_game("stargate", "us", seed=9, turns=4)
    _, loaded = load_game(write(game, tmp_path / "g.json"))
    for g in (game, loaded):
        for _ in range(3):
            while g.pending:
                g.choose(g.pending[0][0], 0)
            g.submit(g.suggested_orders())
            g.end_turn()
    assert loaded.state.digest() == game.state.digest()


def test_the_save_holds_what_the_design_says(tmp_path: Path) -> None:
    game = person_game("deepseek-surprise", "china", seed=2, turns=2)
    doc = parse_document(encode(to_save(game)))
    assert doc["format"] == "airace-save" and doc["version"] == 1
    for key in ("game_version", "rules_version", "scenario", "scenario_hash", "seed", "seats"):
        assert key in doc
    assert doc["scenario"]["meta"]["id"] == "deepseek-surprise"
    assert doc["seats"] == [game.state.player]
    assert doc["faction"] == "china"
    assert [t["turn"] for t in doc["turns"]] == [1, 2, 3]
    played = doc["turns"][0]
    assert set(played["orders"]) == set(game.state.labs)
    assert len(played["digest"]) == 64 and played["digest"] == game.records[0].digest
    assert "orders" not in doc["turns"][-1]  # the turn in progress has none yet
    Save.model_validate(doc)


def test_a_save_replays_after_its_scenario_file_is_gone(tmp_path: Path) -> None:
    # The scenario travels in the save: loading never reads a scenario file.
    game = person_game("base", "us", seed=3, turns=2)
    path = write(game, tmp_path / "g.json")
    import game.scenario.extends as extends
    import game.scenario.find as find
    import game.scenario.loader as loader

    def no_files(*_: object, **__: object) -> None:
        raise AssertionError("loading a save must not read a scenario file")

    with pytest.MonkeyPatch.context() as m:
        # Every way to a scenario file: the entry point, finding one, reading one.
        m.setattr(loader, "load_scenario", no_files)
        m.setattr(loader, "find_scenario", no_files)
        m.setattr(find, "find_scenario", no_files)
        m.setattr(find, "locate", no_files)
        m.setattr(extends, "read_located", no_files)
        _, loaded = load_game(path)
    assert loaded.state.digest() == game.state.digest()


def test_a_40_turn_game_saves_in_under_200_kb(tmp_path: Path) -> None:
    game = simulated_game("sandbox", "china", 2)
    size = len(encode(to_save(game)))
    assert game.state.turn == 40
    assert size < 200_000, size
