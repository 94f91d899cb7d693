"""Play games with a computer in every seat and keep a small record of each.

A run is reproducible: game `i` of a run with seed `S` always uses the seed
`game_seed(S, i)`, and the records come back in game order whether the games
were played in one process or spread over several. A run may play several
setups (sides, policies, difficulties) on the same seeds; asked for, it also
gathers the author's report's `Counts`, which add up the same in any order.
A game that fails raises a `Crash` naming the scenario, the game's seed, the
turn and the event, which travels from a worker process to the parent like
any result.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from game.crash import Context, Crash, caught, raise_crash
from game.engine.game import Game
from game.engine.happenings import EventFired, Happening
from game.engine.rulebook import Rulebook
from game.engine.rules import score_weights
from game.saves.errors import SaveError, SaveProblem
from game.scenario.models import Scenario
from game.sim.counts import Counts

# A prime multiplier keeps the seeds of neighbouring runs (S and S + 1) apart
# for any run shorter than a million games.
SEED_STRIDE = 1_000_003
# Games per task sent to a worker: small enough that the work spreads evenly
# and Ctrl-C stops soon, large enough that pickling stays negligible.
MAX_CHUNK = 20

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Setup:
    """What every game of a run shares: the player's side, its policy and the difficulty."""

    faction: str
    policy: str
    difficulty: str | None
    seed: int  # the run's seed; each game derives its own from it
    save_dir: str | None = None  # where each game's save goes, if anywhere


@dataclass(frozen=True, slots=True)
class GameResult:
    """The outcome of one simulated game, in plain values."""

    seed: int
    player: str  # the player's lab id
    winner: str | None  # lab id; None when no lab survived
    winner_faction: str | None
    kind: str  # an `Ending`
    player_won: bool
    turns: int
    capability: dict[str, float]  # final capability, by lab id
    cost_per_mtok: dict[str, float]  # final $ per million tokens, by lab id
    events: tuple[str, ...]  # ids of the events that fired at least once, sorted


def game_seed(seed: int, index: int) -> int:
    """The seed of game `index` of a run seeded `seed` (integer arithmetic: no `hash()`)."""
    return seed * SEED_STRIDE + index


def _fired(happenings: list[Happening], into: set[str]) -> None:
    for h in happenings:
        if isinstance(h, EventFired):
            into.add(h.event)


def usable_cpus() -> int:
    """How many processors this process may run on (its affinity, where the system tells)."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13
    if count is not None:
        n = count()
    elif hasattr(os, "sched_getaffinity"):
        n = len(os.sched_getaffinity(0))
    else:
        n = os.cpu_count()
    return max(1, n or 1)


def play_game(
    book: Rulebook,
    faction: str,
    seed: int,
    policy: str,
    difficulty: str | None = None,
    save_dir: str | None = None,
    counts: Counts | None = None,
) -> GameResult:
    """Play one game to its end with `policy` in the player's seat; a failure raises a Crash.

    With `save_dir`, the game's save is written there as
    `<scenario>-<side>-<seed>.json` (a SaveError if it cannot be). With
    `counts`, the game's events, choices and curves are counted there too.
    """
    game: Game | None = None
    try:
        game = Game(book, faction, seed, player_policy=policy, difficulty=difficulty)
        result = _play(game, keep=save_dir is not None, counts=counts)
        if save_dir is not None:
            _save(game, Path(save_dir))
        return result
    except SaveError:
        raise
    except Exception as e:
        turn = game.state.turn if game is not None else 1  # the first quarter's news
        here = Context("simulating", scenario=book.scenario.meta.id, seed=seed, turn=turn)
        raise_crash(e, here)


def _save(game: Game, folder: Path) -> None:
    from game.files import write_atomically
    from game.saves.codec import encode, to_save

    name = f"{game.scenario.meta.id}-{game.faction}-{game.seed}.json"
    try:
        write_atomically(folder / name, encode(to_save(game)))
    except OSError as e:
        raise SaveError(
            f"the game could not be saved in {folder}: {e.strerror or e}", SaveProblem.UNWRITABLE
        ) from None


def _play(game: Game, *, keep: bool = False, counts: Counts | None = None) -> GameResult:
    # Unless the game is saved, nothing is replayed: copying and hashing states costs time.
    game.keep_history = keep
    fired: set[str] = set()
    if counts is None:
        _fired(game.opening, fired)
    else:
        counts.happened(game.opening, fired)
        counts.quarter(game.state, 0)
    turns = 0
    while not game.over:
        chosen = game.play_ai_choices()
        resolved = game.end_turn()
        turns += 1
        if counts is None:
            _fired(chosen, fired)
            _fired(resolved, fired)
        else:
            counts.happened(chosen, fired)
            counts.happened(resolved, fired)
            counts.quarter(game.state, turns)
    state = game.state
    outcome = state.outcome
    assert outcome is not None  # the loop ends only when the game is over
    if counts is not None:
        counts.ended(state, score_weights(game.book))
    winner = state.labs.get(outcome.winner) if outcome.winner else None
    return GameResult(
        seed=game.seed,
        player=state.player,
        winner=outcome.winner,
        winner_faction=winner.faction if winner is not None else None,
        kind=str(outcome.kind),  # plain text, not the engine's `Ending`
        player_won=outcome.player_won,
        turns=turns,
        capability={lab.id: lab.capability for lab in state.labs.values()},
        cost_per_mtok={lab.id: lab.cost_per_mtok for lab in state.labs.values()},
        events=tuple(sorted(fired)),
    )


def play_range(
    book: Rulebook, setup: Setup, start: int, stop: int, counts: Counts | None = None
) -> list[GameResult]:
    """Games `start` to `stop - 1` of a run, in order (counted in `counts` if given)."""
    return [
        play_game(
            book,
            setup.faction,
            game_seed(setup.seed, i),
            setup.policy,
            setup.difficulty,
            setup.save_dir,
            counts,
        )
        for i in range(start, stop)
    ]


def run_games(
    scenario: Scenario,
    setup: Setup,
    games: int,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    counts: Counts | None = None,
) -> list[GameResult]:
    """Play `games` games over `jobs` processes; the records come back in game order."""
    return run_setups(scenario, [setup], games, jobs=jobs, progress=progress, counts=counts)[0]


def run_setups(
    scenario: Scenario,
    setups: Sequence[Setup],
    games: int,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    counts: Counts | None = None,
) -> list[list[GameResult]]:
    """Play `games` games of each setup over `jobs` processes: the records of each, in order.

    With `counts`, every game's events, choices and curves are added to it.
    `progress` hears the games played so far, of all setups together.
    """
    chunks = _chunks(len(setups), games, jobs)
    gather = counts is not None
    if jobs <= 1 or len(chunks) <= 1:
        done = _run_here(Rulebook(scenario), setups, chunks, gather, progress)
    else:
        done = _run_pool(scenario, setups, chunks, gather, min(jobs, len(chunks)), progress)
    records: list[list[GameResult]] = [[] for _ in setups]
    for (n, _, _), (results, counted) in zip(chunks, done, strict=True):
        records[n] += results
        if counts is not None and counted is not None:
            counts.add(counted)
    return records


# A chunk of games: (setup number, first game, game after the last).
Chunk = tuple[int, int, int]
# What a chunk gives back: its records, and its counts when they are gathered.
Played = tuple[list[GameResult], Counts | None]


def _chunks(setups: int, games: int, jobs: int) -> list[Chunk]:
    """Split games 0..games-1 of each setup into ranges, a few per process."""
    size = max(1, min(MAX_CHUNK, setups * games // (max(1, jobs) * 4)))
    return [
        (n, start, min(start + size, games))
        for n in range(setups)
        for start in range(0, games, size)
    ]


def _play_here(book: Rulebook, setups: Sequence[Setup], chunk: Chunk, gather: bool) -> Played:
    n, start, stop = chunk
    counts = Counts() if gather else None
    return play_range(book, setups[n], start, stop, counts), counts


def _run_here(
    book: Rulebook,
    setups: Sequence[Setup],
    chunks: list[Chunk],
    gather: bool,
    progress: Progress | None,
) -> list[Played]:
    done: list[Played] = []
    played = 0
    for chunk in chunks:
        done.append(_play_here(book, setups, chunk, gather))
        played += len(done[-1][0])
        if progress is not None:
            progress(played)
    return done


# --- worker processes ---------------------------------------------------------

# Each worker builds the rulebook once, in its initializer, and plays every
# chunk it is sent with it: compiling a scenario's expressions per game would
# cost more than the game.
_worker: tuple[Rulebook, tuple[Setup, ...]] | Crash | None = None


def _init_worker(scenario_json: str, setups: tuple[Setup, ...]) -> None:
    global _worker
    # Ctrl-C reaches the whole process group; the parent alone handles it, so
    # workers do not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _worker = (Rulebook(Scenario.model_validate_json(scenario_json)), setups)
    except Exception as e:
        # A failing initializer only breaks the pool; the first chunk raises
        # this instead, so the parent can say what went wrong.
        _worker = caught(e, Context("simulating"))


def _play_chunk(chunk: Chunk, gather: bool) -> Played:
    assert _worker is not None, "worker not initialised"
    if isinstance(_worker, Crash):
        raise _worker
    book, setups = _worker
    return _play_here(book, setups, chunk, gather)


def _run_pool(
    scenario: Scenario,
    setups: Sequence[Setup],
    chunks: list[Chunk],
    gather: bool,
    jobs: int,
    progress: Progress | None,
) -> list[Played]:
    # The scenario travels as JSON rather than as a path, so a worker plays
    # exactly the scenario the parent validated, even if the file changes.
    scenario_json = scenario.model_dump_json(by_alias=True)
    done: dict[int, Played] = {}
    played = 0
    with ProcessPoolExecutor(
        jobs, initializer=_init_worker, initargs=(scenario_json, tuple(setups))
    ) as pool:
        futures = {pool.submit(_play_chunk, chunk, gather): n for n, chunk in enumerate(chunks)}
        try:
            waiting = set(futures)
            while waiting:
                finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in finished:
                    done[futures[future]] = future.result()
                    played += len(done[futures[future]][0])
                if progress is not None:
                    progress(played)
        except BaseException:
            # On Ctrl-C or a failed chunk, drop the queued chunks so leaving
            # the `with` waits only for those already running.
            for future in futures:
                future.cancel()
            raise
    return [done[n] for n in range(len(chunks))]
