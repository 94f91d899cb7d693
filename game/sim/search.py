"""Search for the best fixed recipe of each scenario, side and difficulty.

A game worth mastering has no recipe that wins most games whatever happens.
This module looks for one, per cell (scenario x side x difficulty):

1. an evolutionary search, (mu + lambda) style: a first population of random
   recipes (and `recipes.SEEDS`, the best of earlier runs), then generations of
   mutated copies of the best so far, every recipe of a cell played on the
   same `games` seeds so they compare fairly; last, each cell also plays
   the other cells' leaders on its seeds;
2. the best few re-tested on `retest` fresh seeds (the search's own scores
   flatter its winners), the best of those kept;
3. the trivial players (do nothing, all-in GPUs, research or power) on the
   re-test seeds;
4. each cell's best recipe transplanted into every other cell of its
   difficulty, to see whether one recipe wins everywhere; where another
   cell's best does better than the local one, it is re-tested in full and
   kept if it is. (A hard cell's best wins far less than a normal cell's,
   so a recipe is compared only with the cells of its own level.)

The cells advance in lockstep, so every generation's games spread over the
worker processes together. Results are the same for any number of jobs.
"""

from __future__ import annotations

import math
import random
import signal
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.scenario.models import Scenario
from game.sim.recipes import SEEDS, TRIVIAL, Recipe, mutate, play_recipe, random_recipe
from game.sim.runner import game_seed

# Games per task sent to a worker (see runner.MAX_CHUNK).
CHUNK = 20

# (games done, games in this step, what the step is)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class Cell:
    """Where a recipe is played: a scenario, the player's side and a difficulty."""

    scenario: str  # scenario id
    faction: str
    difficulty: str | None

    @property
    def key(self) -> str:
        return f"{self.scenario}/{self.faction}/{self.difficulty or 'none'}"


@dataclass(frozen=True, slots=True)
class Budget:
    """How hard to look: recipes per cell and games per measurement."""

    settings: int = 60  # recipes tried per cell
    games: int = 40  # games per recipe during the search
    finalists: int = 3  # best recipes of the search re-tested
    retest: int = 400  # fresh games per re-test (and per trivial player)
    transplant: int = 200  # games of a cell's best recipe in each other cell
    migrate: bool = True  # each cell also tries the other cells' leaders
    seed: int = 1


@dataclass(slots=True)
class Finalist:
    recipe: Recipe
    search_rate: float  # win rate on the search's seeds (nan: found in another cell)
    retest_rate: float  # win rate on fresh seeds
    found_in: str = ""  # the cell whose search found it, when not this one
    research_share: float = 0.0  # share of its spending in the re-test that went to research


@dataclass(slots=True)
class CellResult:
    cell: Cell
    best: Finalist
    finalists: list[Finalist]
    trivial: dict[str, float]  # trivial player name -> win rate on the re-test seeds
    tried: int  # recipes the search played (its own and the other cells' leaders)


@dataclass(slots=True)
class SearchResult:
    budget: Budget
    cells: dict[str, CellResult]  # by cell key, in the order asked
    # (best recipe's home cell key, cell it was played in) -> win rate
    transplant: dict[tuple[str, str], float] = field(default_factory=dict)

    def peers(self, home: str) -> list[str]:
        """The other cells of `home`'s difficulty: where its best recipe is transplanted."""
        cells = [c.cell for c in self.cells.values()]
        return [c.key for c in peers(cells, self.cells[home].cell)]

    def universal(self, drop: float = 0.15) -> dict[str, list[str]]:
        """For each cell, the other cells of its difficulty where its best recipe wins `drop`
        less than theirs."""
        return {
            home: [
                there
                for there in self.peers(home)
                if self.transplant[(home, there)] <= self.cells[there].best.retest_rate - drop
            ]
            for home in self.cells
        }


@dataclass(frozen=True, slots=True)
class Task:
    """Games `start` to `stop - 1` of run `seed` with one recipe in one cell."""

    cell: Cell
    recipe: Recipe
    seed: int
    start: int
    stop: int


@dataclass(frozen=True, slots=True)
class Tally:
    """What some games of one recipe came to: wins, and $M spent in all and on research."""

    wins: int = 0
    spent: float = 0.0
    researched: float = 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.wins + other.wins,
            self.spent + other.spent,
            self.researched + other.researched,
        )

    @property
    def research_share(self) -> float:
        return self.researched / self.spent if self.spent > 0 else 0.0


def play_task(book: Rulebook, task: Task) -> Tally:
    """Play a task's games; return what they came to."""
    tally = Tally()
    for i in range(task.start, task.stop):
        game = Game(
            book, task.cell.faction, game_seed(task.seed, i), difficulty=task.cell.difficulty
        )
        game.keep_history = False  # nothing looks back; copying states costs time
        player = play_recipe(game, task.recipe)
        assert game.state.outcome is not None
        tally += Tally(int(game.state.outcome.player_won), player.spent, player.researched)
    return tally


class Pool:
    """Plays tasks in this process or in worker processes, each with every rulebook built once."""

    def __init__(self, scenarios: Sequence[Scenario], jobs: int) -> None:
        self.jobs = jobs
        self.books: dict[str, Rulebook] = {}
        self.executor: ProcessPoolExecutor | None = None
        if jobs > 1:
            texts = {s.meta.id: s.model_dump_json(by_alias=True) for s in scenarios}
            self.executor = ProcessPoolExecutor(jobs, initializer=_init, initargs=(texts,))
        else:
            self.books = {s.meta.id: Rulebook(s) for s in scenarios}

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)

    def wins(
        self,
        measures: Sequence[tuple[Cell, Recipe, int, int]],
        progress: Progress | None,
        what: str,
    ) -> list[int]:
        """Wins of each (cell, recipe, seed, games) measurement, in order."""
        return [t.wins for t in self.measure(measures, progress, what)]

    def measure(
        self,
        measures: Sequence[tuple[Cell, Recipe, int, int]],
        progress: Progress | None,
        what: str,
    ) -> list[Tally]:
        """What each (cell, recipe, seed, games) measurement came to, in order."""
        tasks: list[tuple[int, Task]] = []
        for n, (cell, recipe, seed, games) in enumerate(measures):
            for start in range(0, games, CHUNK):
                tasks.append((n, Task(cell, recipe, seed, start, min(start + CHUNK, games))))
        total = sum(t.stop - t.start for _, t in tasks)
        # Kept by task and summed in task order: the same sums for any number of jobs.
        got: list[Tally] = [Tally()] * len(tasks)
        done = 0
        if self.executor is None:
            for k, (_, task) in enumerate(tasks):
                got[k] = play_task(self.books[task.cell.scenario], task)
                done += task.stop - task.start
                if progress is not None:
                    progress(done, total, what)
        else:
            futures: dict[Future[Tally], int] = {
                self.executor.submit(_play, task): k for k, (_, task) in enumerate(tasks)
            }
            waiting = set(futures)
            try:
                while waiting:
                    finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                    for future in finished:
                        k = futures[future]
                        got[k] = future.result()
                        done += tasks[k][1].stop - tasks[k][1].start
                    if progress is not None:
                        progress(done, total, what)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        out = [Tally()] * len(measures)
        for (n, _), tally in zip(tasks, got, strict=True):
            out[n] = out[n] + tally
        return out


_books: dict[str, Rulebook] = {}
_texts: dict[str, str] = {}


def _init(texts: dict[str, str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent alone handles Ctrl-C
    _texts.update(texts)


def _play(task: Task) -> Tally:
    sid = task.cell.scenario
    book = _books.get(sid)
    if book is None:
        book = _books[sid] = Rulebook(Scenario.model_validate_json(_texts[sid]))
    return play_task(book, task)


def _rng(cell: Cell, seed: int) -> random.Random:
    """The search's own generator for a cell: the same cell and seed, the same recipes."""
    return random.Random(zlib.crc32(f"{cell.key}:{seed}".encode()))


def search(
    scenarios: Sequence[Scenario],
    cells: Sequence[Cell],
    budget: Budget,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> SearchResult:
    """Find each cell's best fixed recipe, re-test it, and transplant it into the other cells."""
    by_id = {s.meta.id: s for s in scenarios}
    sources = {c.key: tuple(by_id[c.scenario].power) for c in cells}
    rngs = {c.key: _rng(c, budget.seed) for c in cells}
    seed, fresh = budget.seed, budget.seed + 1
    # Each cell's tried recipes with their wins on the search's seeds.
    tried: dict[str, list[tuple[Recipe, int]]] = {c.key: [] for c in cells}
    first = max(2, budget.settings // 2)
    batch = max(2, budget.settings // 6)
    with Pool(scenarios, jobs) as pool:
        gen = 0
        while any(len(tried[c.key]) < budget.settings for c in cells):
            new: list[tuple[Cell, Recipe]] = []
            for c in cells:
                have = tried[c.key]
                want = min(first if gen == 0 else batch, budget.settings - len(have))
                rng = rngs[c.key]
                if gen == 0:
                    new += [(c, r) for r in first_generation(rng, sources[c.key], want)]
                    continue
                parents = _ranked(have)[: max(2, budget.settings // 15)]
                scale = max(0.08, 0.35 / gen)
                for k in range(want):
                    new.append(
                        (c, mutate(parents[k % len(parents)][0], rng, sources[c.key], scale))
                    )
            gen += 1
            wins = pool.wins(
                [(c, r, seed, budget.games) for c, r in new], progress, f"search, round {gen}"
            )
            for (c, r), w in zip(new, wins, strict=True):
                tried[c.key].append((r, w))

        if budget.migrate and len(cells) > 1:
            # Each cell also plays the other cells' leaders on its own seeds: a
            # recipe found elsewhere may be better here than anything found here.
            leaders = {c.key: _ranked(tried[c.key])[0][0] for c in cells}
            new = []
            for c in cells:
                mine = {r for r, _ in tried[c.key]}
                others = dict.fromkeys(r for k, r in leaders.items() if k != c.key)
                new += [(c, r) for r in others if r not in mine]
            wins = pool.wins([(c, r, seed, budget.games) for c, r in new], progress, "migrants")
            for (c, r), w in zip(new, wins, strict=True):
                tried[c.key].append((r, w))

        finals = {c.key: _ranked(tried[c.key])[: budget.finalists] for c in cells}
        measures = [(c, r, fresh, budget.retest) for c in cells for r, _ in finals[c.key]]
        measures += [(c, r, fresh, budget.retest) for c in cells for r in TRIVIAL.values()]
        scores = iter(pool.measure(measures, progress, "re-test"))
        results: dict[str, CellResult] = {}
        for c in cells:
            fin = []
            for r, w in finals[c.key]:
                t = next(scores)
                fin.append(
                    Finalist(r, w / budget.games, t.wins / budget.retest, "", t.research_share)
                )
            best = max(fin, key=lambda f: f.retest_rate)  # the first of equals: search order
            results[c.key] = CellResult(c, best, fin, {}, len(tried[c.key]))
        for c in cells:
            results[c.key].trivial = {name: next(scores).wins / budget.retest for name in TRIVIAL}

        pairs = [(a, b) for a in cells for b in peers(cells, a)]
        out = SearchResult(budget, results)
        if budget.transplant > 0 and pairs:
            moved = pool.wins(
                [(b, results[a.key].best.recipe, fresh, budget.transplant) for a, b in pairs],
                progress,
                "transplant",
            )
            out.transplant = {
                (a.key, b.key): w / budget.transplant
                for (a, b), w in zip(pairs, moved, strict=True)
            }
            adopt(pool, out, cells, fresh, progress)
    return out


def first_generation(rng: random.Random, sources: tuple[str, ...], n: int) -> list[Recipe]:
    """A cell's first `n` recipes: the seeds (as many as fit), then random ones."""
    return [*SEEDS, *(random_recipe(rng, sources) for _ in range(n))][:n]


def adopt(
    pool: Pool, out: SearchResult, cells: Sequence[Cell], seed: int, progress: Progress | None
) -> None:
    """Where another cell's best beat this cell's best here, re-test it fully; keep the better.

    A recipe plays the same games wherever it is sent, so an adopted recipe's
    row of the transplant table is its home cell's row: no game is replayed.
    """
    budget = out.budget
    home = {k: c.best for k, c in out.cells.items()}  # before any adoption
    offers: list[tuple[Cell, Cell]] = []
    for b in cells:
        others = peers(cells, b)
        if not others:
            continue
        a = max(others, key=lambda a: out.transplant[(a.key, b.key)])
        if out.transplant[(a.key, b.key)] > home[b.key].retest_rate:
            offers.append((b, a))
    tallies = pool.measure(
        [(b, home[a.key].recipe, seed, budget.retest) for b, a in offers], progress, "adopt"
    )
    rows = dict(out.transplant)
    for (b, a), t in zip(offers, tallies, strict=True):
        cell = out.cells[b.key]
        rate = t.wins / budget.retest
        if rate <= cell.best.retest_rate:
            continue
        cell.best = Finalist(home[a.key].recipe, math.nan, rate, a.key, t.research_share)
        for x in peers(cells, b):
            out.transplant[(b.key, x.key)] = (
                home[a.key].retest_rate if x == a else rows[(a.key, x.key)]
            )


def peers(cells: Sequence[Cell], cell: Cell) -> list[Cell]:
    """The other cells of `cell`'s difficulty: a recipe is compared only within its level."""
    return [c for c in cells if c != cell and c.difficulty == cell.difficulty]


def _ranked(tried: list[tuple[Recipe, int]]) -> list[tuple[Recipe, int]]:
    """Most wins first; among equals, the one tried first."""
    order = sorted(range(len(tried)), key=lambda i: (-tried[i][1], i))
    return [tried[i] for i in order]
