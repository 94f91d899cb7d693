"""Computer players: valid orders, every quarter, the same game twice, and each its own way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.game import Game
from game.engine.orders import Orders, check_orders, order_cost
from game.engine.policies import FINAL_TRAIN_SHARE, POLICIES, Policy, View, make_policy
from game.engine.rulebook import Rulebook
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from tests.engine.helpers import make_game

ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(POLICIES)


@pytest.fixture(scope="module")
def base() -> Rulebook:
    with open(ROOT / "scenarios" / "base.yaml", encoding="utf-8") as f:
        return Rulebook(Scenario.model_validate(yaml.safe_load(f)))


class Checked:
    """Wraps every seat's policy: every order a policy gives is held to `check_orders`."""

    def __init__(self, game: Game) -> None:
        self.game = game
        self.problems: list[tuple[int, str, list[str]]] = []
        self.given: dict[tuple[int, str], Orders] = {}
        for lab_id, policy in list(game.policies.items()):
            game.policies[lab_id] = Seat(self, policy)

    def check(self, policy: Policy, view: View) -> Orders:
        lab, state, supply_left = view.lab, view.state, view.supply_left
        orders = policy.decide(view)
        book = self.game.book
        problems = check_orders(
            state,
            lab,
            orders,
            book,
            supply_left=supply_left,
        )
        if problems:
            self.problems.append((state.turn, lab.id, problems))
        self.given[state.turn, lab.id] = orders
        return orders


class Seat:
    """One lab's policy, with its orders checked."""

    def __init__(self, checked: Checked, policy: Policy) -> None:
        self.checked = checked
        self.policy = policy
        self.name = policy.name

    def decide(self, view: View) -> Orders:
        return self.checked.check(self.policy, view)


def play_out(game: Game) -> Checked:
    checked = Checked(game)
    while not game.over:
        game.play_ai_choices()
        game.end_turn()
    return checked


@pytest.mark.parametrize("faction", ["us", "china"])
@pytest.mark.parametrize("policy", NAMES)
def test_a_policy_plays_a_whole_base_game_with_valid_orders(
    base: Rulebook, policy: str, faction: str
) -> None:
    game = Game(base, faction, 7, player_policy=policy)
    checked = play_out(game)
    assert checked.problems == []
    assert game.over and game.state.turn <= base.turns
    # Every living seat decided every quarter, and the records hold what it gave.
    used = {(r.turn, lab): o for r in game.records for lab, o in r.orders.items()}
    assert used == checked.given
    assert {lab for _, lab in used} == set(game.state.labs)


@pytest.mark.parametrize("policy", NAMES)
def test_a_policy_plays_the_test_scenario_with_valid_orders(policy: str) -> None:
    for seed in range(3):
        game = make_game(
            "china" if seed % 2 else "us",
            seed,
            policies=dict.fromkeys(("alpha", "dragon", "beta", "whale"), policy),
        )
        assert play_out(game).problems == []


@pytest.mark.parametrize("policy", NAMES)
def test_a_policy_plays_the_same_game_twice(base: Rulebook, policy: str) -> None:
    def final(seed: int) -> tuple[object, list[str]]:
        g = Game(base, "us", seed, player_policy=policy)
        play_out(g)
        return g.state.outcome, [r.digest for r in g.records]

    assert final(3) == final(3)


def _research_share(base: Rulebook, policy: str) -> float:
    research = spent = 0.0
    for faction in ("us", "china"):
        g = Game(base, faction, 1, player_policy=policy)
        play_out(g)
        for state, record in zip(g.history, g.records, strict=False):
            orders = record.orders.get(state.player)
            if orders is None:
                continue
            research += orders.research
            spent += order_cost(state, orders, base.capex)
    return research / spent


def test_the_policies_do_not_all_behave_the_same(base: Rulebook) -> None:
    share = {name: _research_share(base, name) for name in NAMES}
    assert share["efficient"] > share["balanced"] > share["scaler"]
    # From the same seat on the same quarter, each policy gives its own orders.
    game = Game(base, "us", 1)
    game.play_ai_choices()
    lab = game.player
    view = View(base, lab, game.state, game.state.world.supply)
    orders = {name: make_policy(name).decide(view) for name in NAMES}
    assert len({o.validated().model_dump_json() for o in orders.values()}) == len(NAMES)
    assert orders["scaler"].train_share > orders["efficient"].train_share


def test_the_efficient_policy_buys_chips_for_serving() -> None:
    both = {"available_from": None, "buyers": ["us", "china"], "supply": {"china": 10000}}
    game = make_game("china", events=[], chips={"b200": both})
    view = View(game.book, game.player, game.state, game.state.world.supply)
    serve = make_policy("efficient").decide(view).gpus
    train = make_policy("scaler").decide(view).gpus
    # Per dollar an H20 serves best and a B200 trains best: each buys its best
    # chip first, and the scaler, with money left when the B200s sell out,
    # moves on to the next best.
    assert max(serve, key=lambda c: serve[c]) == "h20"
    assert train["b200"] == 10000


def test_unknown_policy_names_are_refused() -> None:
    with pytest.raises(KeyError, match="known: "):
        make_policy("reckless")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    policy=st.sampled_from(NAMES),
    seed=st.integers(0, 1000),
    cash=st.lists(st.floats(-500, 50000), min_size=4, max_size=4),
    supply=st.lists(st.integers(0, 50000), min_size=3, max_size=3),
    gas_cap=st.integers(0, 300),
    price=st.floats(1000, 80000),
    kw=st.floats(0.3, 3.0),
)
def test_policies_give_valid_orders_whatever_the_numbers(
    policy: str,
    seed: int,
    cash: list[float],
    supply: list[int],
    gas_cap: int,
    price: float,
    kw: float,
) -> None:
    labs = dict(zip(("alpha", "dragon", "beta", "whale"), ({"cash": c} for c in cash), strict=True))
    chips = {
        "h100": {"supply": {"us": supply[0], "china": supply[1]}, "price": price, "kw": kw},
        "h20": {"supply": {"us": 0, "china": supply[2]}},
        "b200": {"available_from": None, "buyers": ["us", "china"]},
    }
    game = make_game(
        "us",
        seed,
        labs=labs,
        chips=chips,
        power={"gas": {"max_mw_per_quarter": {"us": gas_cap, "china": 0}}},
        policies=dict.fromkeys(("alpha", "dragon", "beta", "whale"), policy),
    )
    assert play_out(game).problems == []


def test_a_suggestion_is_valid_and_moves_nothing(base: Rulebook) -> None:
    game = Game(base, "us", 2)
    game.play_ai_choices()
    digest = game.state.digest()
    rng = game.state.rng.getstate()
    hint = game.suggested_orders()
    assert game.problems(hint) == []
    assert hint.gpus or hint.power or hint.research  # a hint that does something
    assert game.state.digest() == digest and game.state.rng.getstate() == rng
    game.submit(hint)
    game.end_turn()


def _view_at(book: Rulebook, faction: str, turn: int) -> View:
    game = Game(book, faction, 1)
    state = game.state.clone()
    state.turn = turn
    return View(book, state.labs[state.player], state, state.world.supply)


@pytest.mark.parametrize("faction", ["us", "china"])
@pytest.mark.parametrize("policy", NAMES)
def test_every_policy_trains_for_the_last_runs_of_a_long_race(faction: str, policy: str) -> None:
    # The sandbox has no turning point: the lab at the frontier when 2034
    # ends wins, so its last runs decide the game, and every computer lab
    # trains for them as a player would.
    sandbox = Rulebook(load_scenario(ROOT / "scenarios" / "sandbox.yaml"))
    last = sandbox.turns
    start = sandbox.turns - sandbox.k.run_quarters - 2  # the last quarter before the runs
    early = make_policy(policy).decide(_view_at(sandbox, faction, 2)).train_share
    before = make_policy(policy).decide(_view_at(sandbox, faction, start)).train_share
    final = make_policy(policy).decide(_view_at(sandbox, faction, last)).train_share
    assert final >= FINAL_TRAIN_SHARE
    assert final > early and before == early


@pytest.mark.parametrize("policy", ["scaler", "efficient", "balanced"])
def test_a_fixed_policy_keeps_its_plan_where_a_turning_point_may_end_the_game(
    base: Rulebook, policy: str
) -> None:
    plan = POLICIES[policy].plan  # type: ignore[union-attr]
    orders = make_policy(policy).decide(_view_at(base, "us", base.turns))
    assert orders.train_share == plan.train_share < FINAL_TRAIN_SHARE
