"""Fixed-recipe players: the same few numbers decide every quarter.

A `Recipe` is what a player who found "the one way to play" would write on
a card: keep a reserve, spend a share of the rest, split it between GPUs,
power and research, buy this kind of chip, build this kind of power, train
with this share, answer events by a fixed rule, and (as a strong player
does when the last training runs decide the game) spend everything and
train at 95% in the last few quarters. `play_recipe` plays it
through the public `Game` API only, the way a human does: it reads
`game.state`, answers `game.pending` with `game.choose`, checks orders with
`game.problems`, submits them and ends the turn. It never asks a seat's
policy for advice, so a recipe measures the rules, not the computer players.

The balance search (`game.sim.search`) looks for the best recipe of each
scenario, side and difficulty; if one wins most games, the game has a
recipe rather than a strategy.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass, replace

from game.engine.game import Game
from game.engine.orders import Orders, order_cost
from game.engine.policies import build_power
from game.engine.rulebook import ChipInfo, PowerInfo
from game.engine.rules import electricity_cost, running_cost
from game.scenario.limits import HELD_GPUS, HELD_MONEY

# How a recipe picks chips: best training per dollar, best serving per
# dollar, the newest on sale, the cheapest.
CHIP_RULES = ("train", "serve", "newest", "cheapest")
# How a recipe orders power sources when no source is named.
POWER_RULES = ("fast", "cheap", "clean")
# How a recipe answers an event: the first or last choice, a seeded coin,
# or the computer labs' own weights.
CHOICE_RULES = ("first", "last", "random", "ai")
# Attempts at shrinking orders the game refuses before giving up on buying.
SHRINK_TRIES = 12


@dataclass(frozen=True, slots=True)
class Recipe:
    """One fixed way to play: the same numbers every quarter."""

    spend: float  # share of spare cash spent each quarter, 0 to 1 (0: no orders at all)
    gpus: float  # weights of the split of that spending (normalised together)
    power: float
    research: float
    train_share: float  # share of powered compute that trains, 0 to 1
    chip: str = "train"  # one of CHIP_RULES
    power_source: str = "fast"  # one of POWER_RULES, or a power source id tried first
    power_to_need: bool = False  # build power only for GPUs that lack it; the rest buys GPUs
    reserve: float = 0.0  # quarters of upkeep kept in the bank before spending
    choice: str = "first"  # one of CHOICE_RULES
    sprint: int = 0  # the last quarters in which it spends everything and trains at 95%+

    def shares(self) -> tuple[float, float, float]:
        """(GPUs, power, research) shares of the spending, summing to 1 (or all 0)."""
        total = self.gpus + self.power + self.research
        if total <= 0:
            return (0.0, 0.0, 0.0)
        return (self.gpus / total, self.power / total, self.research / total)

    def describe(self) -> str:
        """The recipe in one line of plain words."""
        if self.spend <= 0:
            return f"no orders; choices: {self.choice}"
        g, p, r = self.shares()
        need = ", to need" if self.power_to_need else ""
        return (
            f"spend {100 * self.spend:.0f}% of cash above {self.reserve:.1f} quarters of upkeep: "
            f"{100 * g:.0f}% GPUs ({self.chip}), {100 * p:.0f}% power "
            f"({self.power_source}{need}), {100 * r:.0f}% research; "
            f"train {100 * self.train_share:.0f}%; choices: {self.choice}"
            + (
                ""
                if self.sprint <= 0
                else "; sprint the last quarter"
                if self.sprint == 1
                else f"; sprint the last {self.sprint} quarters"
            )
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# The trivial players: each should lose nearly every game of a balanced scenario.
DO_NOTHING = Recipe(spend=0.0, gpus=0.0, power=0.0, research=0.0, train_share=0.5)
ALL_IN_GPUS = Recipe(spend=1.0, gpus=1.0, power=0.0, research=0.0, train_share=0.5)
ALL_IN_RESEARCH = Recipe(spend=1.0, gpus=0.0, power=0.0, research=1.0, train_share=0.5)
ALL_IN_POWER = Recipe(spend=1.0, gpus=0.0, power=1.0, research=0.0, train_share=0.5)
TRIVIAL: dict[str, Recipe] = {
    "do nothing": DO_NOTHING,
    "all-in GPUs": ALL_IN_GPUS,
    "all-in research": ALL_IN_RESEARCH,
    "all-in power": ALL_IN_POWER,
}
# The recipe issue 9 found winning most games on main: all spare cash, half on
# GPUs, a fifth on power (gas first), the rest on research, training hard.
ISSUE_9 = Recipe(spend=1.0, gpus=0.5, power=0.2, research=0.3, train_share=0.9, power_source="gas")
# Where every search starts besides its random recipes: issue 9's recipe and
# the best that earlier balance runs found, so that a route found once (and
# a rule change meant to close it) is tried again in every cell, not left to
# the luck of the draw.
SEEDS = (
    ISSUE_9,
    # Serve and scale: the US's route in the main game.
    Recipe(
        spend=0.92,
        reserve=1.0,
        gpus=0.41,
        chip="serve",
        power=0.36,
        power_source="gas",
        power_to_need=True,
        research=0.23,
        train_share=0.61,
        sprint=1,
    ),
    # Research first on a mid-sized fleet: China's route in the main game.
    Recipe(
        spend=0.89,
        gpus=0.25,
        chip="newest",
        power=0.26,
        power_source="cheap",
        power_to_need=True,
        research=0.49,
        train_share=0.82,
        choice="ai",
        sprint=1,
    ),
    # A long race: research on little money, serve, then train flat out at the end.
    Recipe(
        spend=0.3,
        reserve=1.0,
        gpus=0.07,
        chip="newest",
        power=0.2,
        power_source="clean",
        power_to_need=True,
        research=0.73,
        train_share=0.45,
        choice="last",
        sprint=4,
    ),
    # A lean, clean lab for a score that counts emissions.
    Recipe(
        spend=0.87,
        reserve=1.4,
        gpus=0.22,
        chip="train",
        power=0.23,
        power_source="clean",
        power_to_need=True,
        research=0.54,
        train_share=0.65,
        choice="last",
        sprint=1,
    ),
)


class RecipePlayer:
    """Plays one game's player seat by a recipe; deterministic given the recipe and seed."""

    def __init__(self, recipe: Recipe, seed: int) -> None:
        self.recipe = recipe
        # The player's own generator (for the 'random' and 'ai' choice rules):
        # drawing from the game's would change the game.
        self.rng = random.Random(seed)
        # $M the player's submitted orders cost, all told and on research.
        self.spent = 0.0
        self.researched = 0.0

    def play(self, game: Game) -> None:
        """Play the game to its end."""
        while not game.over:
            self.turn(game)

    def turn(self, game: Game) -> None:
        """Answer the pending events, give the quarter's orders and end the turn."""
        self.answer(game)
        if game.over:
            return
        if self.recipe.spend > 0:
            orders = self.orders(game)
            game.submit(orders)
            self.spent += order_cost(game.state, orders, game.book.capex)
            self.researched += orders.research
        game.end_turn()

    def answer(self, game: Game) -> None:
        """Answer every event waiting for the player, by the recipe's choice rule."""
        while game.pending and not game.over:
            event_id = game.pending[0][0]
            choices = game.book.asked(event_id, game.player.faction).choices
            game.choose(event_id, self._pick([c.ai_weight for c in choices]))

    def _pick(self, weights: list[float]) -> int:
        rule = self.recipe.choice
        n = len(weights)
        if rule == "last":
            return n - 1
        if rule == "random":
            return min(int(self.rng.random() * n), n - 1)
        if rule == "ai":
            total = math.fsum(max(w, 0.0) for w in weights)
            if total <= 0:
                return 0
            x = self.rng.random() * total
            for i, w in enumerate(weights):
                x -= max(w, 0.0)
                if x < 0:
                    return i
            return n - 1
        return 0

    def orders(self, game: Game) -> Orders:
        """This quarter's orders: valid by construction, shrunk until the game takes them."""
        want = self.plan(game)
        for _ in range(SHRINK_TRIES):
            if not game.problems(want):
                return want
            want = shrink(want, 0.8)
        return Orders(train_share=want.train_share)

    def now(self, game: Game) -> Recipe:
        """The recipe as it plays this quarter: in its last `sprint` quarters it spends
        everything and trains at 95% or more."""
        r = self.recipe
        if game.state.turn > game.state.world.turns - r.sprint:
            return replace(r, spend=1.0, reserve=0.0, train_share=max(r.train_share, 0.95))
        return r

    def plan(self, game: Game) -> Orders:
        """The orders the recipe asks for, within cash, supply, export rules and power caps."""
        r = self.now(game)
        book, lab = game.book, game.player
        upkeep = running_cost(book, lab) + electricity_cost(book, lab)
        spare = lab.cash - r.reserve * upkeep
        budget = spare * min(max(r.spend, 0.0), 1.0) if spare > 0 else 0.0
        g, p, x = r.shares()
        research = min(math.floor(budget * x * 1000) / 1000, HELD_MONEY)  # whole $k: never over
        power_money = budget * p

        chips = buyable_chips(game, r.chip)
        gpus: dict[str, int] = {}
        _, kw_new = _buy_gpus(game, chips, budget * g, gpus)

        sources = power_order(game, r.power_source)
        power: dict[str, int] = {}
        faction = lab.faction
        if r.power_to_need:
            need_kw = lab.kw_installed + lab.kw_on_order + kw_new
            short = math.ceil(need_kw / 1000.0 - lab.power_mw - lab.power_building)
            power_money = build_power(faction, sources, max(short, 0), power_money, power)
            if power_money > 0:  # what the fleet did not need buys more GPUs
                _buy_gpus(game, chips, power_money, gpus)
        else:
            build_power(faction, sources, None, power_money, power)
        train_share = min(max(r.train_share, 0.0), 1.0)
        return Orders(gpus=gpus, power=power, research=research, train_share=train_share)


def play_recipe(game: Game, recipe: Recipe) -> RecipePlayer:
    """Play `game` to its end with `recipe` in the player's seat; return the player."""
    player = RecipePlayer(recipe, game.seed)
    player.play(game)
    return player


def buyable_chips(game: Game, rule: str) -> list[ChipInfo]:
    """Chips the player may buy now (on sale to its side, with supply), in the rule's order."""
    state, faction = game.state, game.player.faction
    world = state.world
    chips = [
        c
        for c in game.book.chips
        if c.available <= state.turn
        and faction in world.buyers[c.id]
        and world.supply[c.id].get(faction, 0) > 0
    ]
    prices = world.prices
    if rule == "serve":
        chips.sort(key=lambda c: (-c.serve_pflops / prices[c.id], c.id))
    elif rule == "newest":
        chips.sort(key=lambda c: (-c.available, -c.train_pflops / prices[c.id], c.id))
    elif rule == "cheapest":
        chips.sort(key=lambda c: (prices[c.id], c.id))
    else:
        chips.sort(key=lambda c: (-c.train_pflops / prices[c.id], c.id))
    return chips


def power_order(game: Game, rule: str) -> list[PowerInfo]:
    """Power sources the player may build, in the rule's order (a named source first)."""
    faction = game.player.faction
    lead = game.state.world.power_lead
    srcs = [p for p in game.book.power.values() if p.max_mw is None or p.max_mw.get(faction, 0) > 0]

    def fast(p: PowerInfo) -> tuple[float, float, str]:
        return (lead[p.id].get(faction, 0), p.capex, p.id)

    if rule == "cheap":
        return sorted(srcs, key=lambda p: (p.capex + p.price_mwh.get(faction, 0.0) * 0.03, p.id))
    if rule == "clean":
        return sorted(srcs, key=lambda p: (p.co2.get(faction, 0.0), *fast(p)))
    ordered = sorted(srcs, key=fast)
    named = [p for p in ordered if p.id == rule]
    return named + [p for p in ordered if p.id != rule]


def _buy_gpus(
    game: Game, chips: list[ChipInfo], money: float, gpus: dict[str, int]
) -> tuple[float, float]:
    """Buy chips in order within `money` and the supply; return (money left, kW bought)."""
    world = game.state.world
    faction = game.player.faction
    kw = 0.0
    for chip in chips:
        price = world.prices[chip.id]
        left = world.supply[chip.id].get(faction, 0) - gpus.get(chip.id, 0)
        n = min(int(money // price), left, HELD_GPUS - gpus.get(chip.id, 0)) if price > 0 else 0
        if n > 0:
            gpus[chip.id] = gpus.get(chip.id, 0) + n
            money -= n * price
            kw += n * chip.kw
        if n < left:
            break  # the money ran out before the supply did
    return money, kw


def shrink(orders: Orders, factor: float) -> Orders:
    """The same orders scaled down by `factor` (counts rounded down)."""
    return Orders(
        gpus={k: int(n * factor) for k, n in orders.gpus.items() if int(n * factor) > 0},
        power={k: int(mw * factor) for k, mw in orders.power.items() if int(mw * factor) > 0},
        research=math.floor(orders.research * factor * 1000) / 1000,
        train_share=orders.train_share,
    )


def mutate(recipe: Recipe, rng: random.Random, sources: tuple[str, ...], scale: float) -> Recipe:
    """A neighbour of `recipe`: numbers nudged by up to `scale`, a rule changed now and then."""

    def nudge(v: float, lo: float, hi: float, width: float) -> float:
        return min(hi, max(lo, v + (2 * rng.random() - 1) * scale * width))

    def maybe(current: str, options: tuple[str, ...]) -> str:
        if rng.random() >= scale:
            return current
        return options[min(int(rng.random() * len(options)), len(options) - 1)]

    return replace(
        recipe,
        spend=nudge(recipe.spend, 0.2, 1.0, 0.8),
        gpus=nudge(recipe.gpus, 0.0, 1.0, 1.0),
        power=nudge(recipe.power, 0.0, 1.0, 1.0),
        research=nudge(recipe.research, 0.0, 1.0, 1.0),
        train_share=nudge(recipe.train_share, 0.2, 1.0, 0.8),
        chip=maybe(recipe.chip, CHIP_RULES),
        power_source=maybe(recipe.power_source, POWER_RULES + sources),
        power_to_need=recipe.power_to_need if rng.random() >= scale else not recipe.power_to_need,
        reserve=nudge(recipe.reserve, 0.0, 4.0, 4.0),
        choice=maybe(recipe.choice, CHOICE_RULES),
        sprint=min(6, max(0, recipe.sprint + (rng.choice((-1, 1)) if rng.random() < scale else 0))),
    )


def random_recipe(rng: random.Random, sources: tuple[str, ...]) -> Recipe:
    """A recipe drawn uniformly from the search space."""

    def pick(options: tuple[str, ...]) -> str:
        return options[min(int(rng.random() * len(options)), len(options) - 1)]

    return Recipe(
        spend=0.2 + 0.8 * rng.random(),
        gpus=rng.random(),
        power=rng.random(),
        research=rng.random(),
        train_share=0.2 + 0.8 * rng.random(),
        chip=pick(CHIP_RULES),
        power_source=pick(POWER_RULES + sources),
        power_to_need=rng.random() < 0.5,
        reserve=4.0 * rng.random(),
        choice=pick(CHOICE_RULES),
        sprint=int(rng.random() * 7),
    )
