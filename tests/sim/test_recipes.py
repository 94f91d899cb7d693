"""Fixed-recipe players and the search for the best one (game.sim.recipes, game.sim.search)."""

from __future__ import annotations

import random
from functools import cache
from typing import Any

import pytest

from game.engine.game import Game
from game.engine.orders import Orders
from game.engine.policies import View
from game.engine.rulebook import Rulebook
from game.scenario.loader import list_scenarios, load_scenario
from game.scenario.models import Scenario
from game.sim.recipes import (
    ALL_IN_GPUS,
    ALL_IN_POWER,
    ALL_IN_RESEARCH,
    CHIP_RULES,
    CHOICE_RULES,
    DO_NOTHING,
    ISSUE_9,
    SEEDS,
    TRIVIAL,
    Recipe,
    RecipePlayer,
    mutate,
    play_recipe,
    random_recipe,
)
from game.sim.search import (
    Budget,
    Cell,
    CellResult,
    Finalist,
    SearchResult,
    Tally,
    Task,
    adopt,
    first_generation,
    play_task,
    search,
)

SCENARIOS = [(info.id, f) for info in list_scenarios() for f in info.playable]


@cache
def scenario(sid: str) -> Scenario:
    return load_scenario(next(i.path for i in list_scenarios() if i.id == sid))


@cache
def book(sid: str) -> Rulebook:
    return Rulebook(scenario(sid))


class Refuses:
    """A seat policy that fails the test if the game ever asks it."""

    name = "refuses"

    def decide(self, view: View) -> Orders:
        raise AssertionError("the recipe player must not consult the seat's policy")


class Watched(Game):
    """A game that records every submission and checks it the way the game would."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.policies[self.player.id] = Refuses()  # type: ignore[assignment]
        self.submitted: list[tuple[float, Orders]] = []  # (cash before, orders)

    def submit(self, orders: Orders) -> None:
        assert self.problems(orders) == [], "the recipe submitted orders the game refuses"
        self.submitted.append((self.player.cash, orders))
        super().submit(orders)


def play(sid: str, faction: str, recipe: Recipe, seed: int, difficulty: str = "normal") -> Watched:
    game = Watched(book(sid), faction, seed, difficulty=difficulty)
    play_recipe(game, recipe)
    assert game.over
    return game


def sample_recipes() -> list[Recipe]:
    rng = random.Random(5)
    sources = ("grid", "gas", "renewables")
    drawn = [random_recipe(rng, sources) for _ in range(3)]
    return [*SEEDS, *TRIVIAL.values(), *drawn, mutate(drawn[0], rng, sources, 0.5)]


@pytest.mark.parametrize(("sid", "faction"), SCENARIOS)
def test_recipes_play_whole_games_through_the_public_api(sid: str, faction: str) -> None:
    for n, recipe in enumerate(sample_recipes()):
        play(sid, faction, recipe, seed=100 + n, difficulty="hard" if n % 2 else "normal")


@pytest.mark.parametrize("rule", CHIP_RULES)
def test_every_chip_rule_buys_valid_orders(rule: str) -> None:
    recipe = Recipe(spend=1.0, gpus=1.0, power=0.3, research=0.1, train_share=0.6, chip=rule)
    game = play("base", "china", recipe, seed=3)
    assert any(o.gpus for _, o in game.submitted)


def test_same_recipe_and_seed_same_game() -> None:
    recipe = random_recipe(random.Random(11), ("grid", "gas", "renewables"))
    recipe = Recipe(**{**recipe.as_dict(), "choice": "random"})  # type: ignore[arg-type]
    first = play("base", "us", recipe, seed=42)
    again = play("base", "us", recipe, seed=42)
    assert first.state.digest() == again.state.digest()
    assert first.records[-1].turn == again.records[-1].turn
    other = play("base", "us", recipe, seed=43)
    assert other.state.digest() != first.state.digest()


def test_do_nothing_submits_and_buys_nothing() -> None:
    game = play("base", "us", DO_NOTHING, seed=1)
    assert game.submitted == []
    lab = game.player.id
    for record in game.records[:-1]:
        orders = record.orders[lab]
        assert not orders.gpus and not orders.power and orders.research == 0
    assert all(index == 0 for r in game.records for _, index in r.choices)


def test_all_in_research_spends_its_cash_on_research() -> None:
    game = play("chip-war", "china", ALL_IN_RESEARCH, seed=2)
    assert game.submitted
    for cash, orders in game.submitted:
        assert not orders.gpus and not orders.power
        assert orders.research == pytest.approx(max(cash, 0.0), abs=0.01)
    assert game.submitted[0][1].research > 1000


def test_a_sprint_spends_everything_and_trains_hard_in_the_last_quarters() -> None:
    steady = Recipe(spend=0.3, gpus=0, power=0, research=1, train_share=0.4, sprint=3)
    # No early finish in the sandbox; on this seed a lab with no fleet of its
    # own also stays solvent for the ten years.
    game = play("sandbox", "us", steady, seed=2)
    turns = game.book.turns
    assert len(game.submitted) == turns  # played to the end: a sprint to watch
    for turn, (cash, orders) in enumerate(game.submitted, start=1):
        if turn > turns - 3:
            assert orders.train_share == 0.95
            assert orders.research == pytest.approx(max(cash, 0.0), abs=0.01)
        else:
            assert orders.train_share == 0.4
            assert orders.research == pytest.approx(0.3 * max(cash, 0.0), abs=0.01)
    assert "sprint the last 3 quarters" in steady.describe()
    assert "sprint" not in ISSUE_9.describe()


def test_drawn_and_mutated_recipes_sprint_at_most_six_quarters() -> None:
    rng = random.Random(3)
    drawn = [random_recipe(rng, ("gas",)) for _ in range(200)]
    assert {r.sprint for r in drawn} == set(range(7))
    for r in drawn:
        assert 0 <= mutate(r, rng, ("gas",), 1.0).sprint <= 6


def test_all_in_gpus_and_power_buy_only_that() -> None:
    gpus = play("base", "us", ALL_IN_GPUS, seed=2)
    assert gpus.submitted[0][1].gpus
    assert all(not o.power and o.research == 0 for _, o in gpus.submitted)
    power = play("base", "us", ALL_IN_POWER, seed=2)
    assert power.submitted[0][1].power
    assert all(not o.gpus and o.research == 0 for _, o in power.submitted)


@pytest.mark.parametrize("rule", CHOICE_RULES)
def test_choice_rules(rule: str) -> None:
    recipe = Recipe(spend=0.8, gpus=0.5, power=0.2, research=0.3, train_share=0.7, choice=rule)
    game = play("sandbox", "us", recipe, seed=9)
    made = [(e, i) for r in game.records for e, i in r.choices]
    assert made, "sandbox asks the player at least once"
    for event, index in made:
        n = len(game.book.event[event].choices)
        if rule == "first":
            assert index == 0
        elif rule == "last":
            assert index == n - 1
        else:
            assert 0 <= index < n


def test_a_named_power_source_comes_first() -> None:
    recipe = Recipe(spend=1.0, gpus=0.0, power=1.0, research=0.0, train_share=0.5)
    game = Watched(book("base"), "us", 1, difficulty="normal")
    player = RecipePlayer(Recipe(**{**recipe.as_dict(), "power_source": "renewables"}), 1)  # type: ignore[arg-type]
    power = player.plan(game).power
    assert next(iter(power)) == "renewables"
    assert power["renewables"] > 10 * sum(power.values()) / 11


def test_a_tiny_search_returns_every_part() -> None:
    sc = scenario("deepseek-surprise")
    cells = [
        Cell("deepseek-surprise", "us", "normal"),
        Cell("deepseek-surprise", "china", "normal"),
        Cell("deepseek-surprise", "china", "hard"),
    ]
    budget = Budget(settings=4, games=2, finalists=2, retest=3, transplant=2, seed=7)
    seen: list[str] = []
    result = search([sc], cells, budget, progress=lambda done, total, what: seen.append(what))
    assert list(result.cells) == [c.key for c in cells]
    for c in cells:
        cell = result.cells[c.key]
        assert 4 <= cell.tried <= 6  # its own 4, and the other cells' leaders if new here
        assert len(cell.finalists) == 2
        assert cell.best.retest_rate >= max(f.retest_rate for f in cell.finalists)
        assert cell.best in cell.finalists or cell.best.found_in in {x.key for x in cells[:2]}
        assert all(0.0 <= f.research_share <= 1.0 for f in cell.finalists)
        assert set(cell.trivial) == set(TRIVIAL)
        assert all(0.0 <= v <= 1.0 for v in cell.trivial.values())
    # A recipe is transplanted only into the other cells of its difficulty.
    assert set(result.transplant) == {(cells[0].key, cells[1].key), (cells[1].key, cells[0].key)}
    assert set(result.universal()) == {c.key for c in cells}
    assert result.universal()[cells[2].key] == []
    assert {"re-test", "transplant"} <= set(seen)
    again = search([sc], cells, budget)
    assert again.cells[cells[0].key].best == result.cells[cells[0].key].best


def test_every_search_starts_from_the_seeds() -> None:
    # Routes earlier runs found are tried again in every cell, then random ones.
    rng = random.Random(3)
    first = first_generation(rng, ("grid", "gas"), len(SEEDS) + 4)
    assert first[: len(SEEDS)] == list(SEEDS)
    assert len(set(first)) == len(SEEDS) + 4
    assert first_generation(rng, ("grid",), 2) == list(SEEDS[:2])


class _Games:
    """Stands in for the process pool: each (cell, recipe) wins a set number of games."""

    def __init__(self, wins: dict[tuple[str, str], int]) -> None:
        self.wins = wins

    def measure(self, tasks: Any, progress: Any, what: str) -> list[Tally]:
        return [
            Tally(self.wins[(cell.key, recipe.describe())], 100.0, 30.0)
            for cell, recipe, _, _ in tasks
        ]


def test_a_cell_adopts_another_cells_better_recipe() -> None:
    # The adoption logic alone: which games a recipe wins is the pool's business.
    a = Cell("deepseek-surprise", "us", "normal")
    b = Cell("deepseek-surprise", "china", "normal")
    c = Cell("chip-war", "us", "normal")
    d = Cell("deepseek-surprise", "us", "hard")  # another level: never offered a's recipe
    budget = Budget(retest=4, transplant=2)
    found = SearchResult(
        budget,
        {
            a.key: CellResult(a, Finalist(ISSUE_9, 1.0, 0.9), [], {}, 1),
            b.key: CellResult(b, Finalist(DO_NOTHING, 0.0, 0.0), [], {}, 1),
            c.key: CellResult(c, Finalist(ALL_IN_POWER, 0.0, 0.0), [], {}, 1),
            d.key: CellResult(d, Finalist(ALL_IN_POWER, 0.0, 0.0), [], {}, 1),
        },
        {
            (a.key, b.key): 1.0,
            (a.key, c.key): 0.5,
            (b.key, a.key): 0.0,
            (b.key, c.key): 0.0,
            (c.key, a.key): 0.0,
            (c.key, b.key): 0.0,
        },
    )
    games = _Games({(b.key, ISSUE_9.describe()): 3, (c.key, ISSUE_9.describe()): 1})
    adopt(games, found, [a, b, c, d], 2, None)  # type: ignore[arg-type]
    assert found.cells[a.key].best.recipe == ISSUE_9  # nothing beat it there
    assert found.cells[d.key].best.recipe == ALL_IN_POWER
    for cell, rate in ((b, 0.75), (c, 0.25)):
        best = found.cells[cell.key].best
        assert (best.recipe, best.found_in, best.retest_rate) == (ISSUE_9, a.key, rate)
    # An adopted recipe's row is its home cell's row: the same recipe plays the same games.
    assert found.transplant[(b.key, a.key)] == 0.9
    assert found.transplant[(b.key, c.key)] == 0.5
    assert found.transplant[(c.key, b.key)] == 1.0


def test_a_task_tallies_wins_and_spending() -> None:
    cell = Cell("chip-war", "china", "normal")
    research = play_task(book("chip-war"), Task(cell, ALL_IN_RESEARCH, 1, 0, 2))
    assert research.spent > 0 and research.research_share == 1.0
    nothing = play_task(book("chip-war"), Task(cell, DO_NOTHING, 1, 0, 2))
    assert nothing.spent == 0 and nothing.research_share == 0.0
    assert 0 <= nothing.wins <= 2
    mixed = play_task(book("chip-war"), Task(cell, ISSUE_9, 1, 0, 2))
    assert 0.2 < mixed.research_share < 0.5
