"""How long verifying a 40-turn save takes against simulating the same game, and its size.

The game: the sandbox scenario (40 quarters) from China's seat with the
'balanced' policy, a seed whose game lasts all 40 turns. Three comparisons:

- in the process, the work of each command: `airace simulate` for that one
  game (load the scenario, build the rulebook, play headless) against
  `airace replay SAVE --verify` (read the save, validate it and its
  scenario, replay every turn and check its digest);
- the engine alone: playing the game against replaying its records;
- the real commands, start-up included, in a subprocess.

Targets: verifying within 2x of simulating; the save under 200 kB.

    python benchmarks/save_verify.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

try:  # the installed game (with its compiled engine, if it was built), else this checkout
    import game  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import game.engine.rules  # noqa: E402
from game.engine.game import Game  # noqa: E402
from game.engine.rulebook import Rulebook  # noqa: E402
from game.saves.codec import encode, load_game, to_save  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.sim.runner import SEED_STRIDE, play_game  # noqa: E402

SCENARIO, FACTION, POLICY = "sandbox", "china", "balanced"
REPO = Path(__file__).resolve().parents[1]


def long_game(book: Rulebook) -> tuple[int, int]:
    """(run seed, game seed) of the first `simulate` run whose one game lasts 40 turns."""
    for run in range(1, 1000):
        seed = run * SEED_STRIDE  # game 0 of a run seeded `run`
        if play_game(book, FACTION, seed, POLICY).turns == book.turns:
            return run, seed
    raise SystemExit("no 40-turn game in the first 1,000 seeds")


def played(book: Rulebook, seed: int) -> Game:
    game = Game(book, FACTION, seed, player_policy=POLICY)
    while not game.over:
        game.play_ai_choices()
        game.end_turn()
    return game


def timed(work: Callable[[], object], repeat: int) -> float:
    """The median seconds `work` takes, after one warm-up run."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def command(*args: str) -> float:
    """Seconds the real `airace` takes for `args`, start-up included (the best of three)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "game", *args], env=env, capture_output=True, text=True
        )
        best = min(best, time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"airace {' '.join(args)} failed:\n{done.stderr}")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    kind = "compiled (mypyc)" if game.engine.rules.__file__.endswith((".so", ".pyd")) else "pure"
    print(f"saves: engine {kind}, from {Path(game.engine.rules.__file__).parent}")
    book = Rulebook(load_scenario(SCENARIO))
    run, seed = long_game(book)
    original = played(book, seed)
    data = encode(to_save(original))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "game.json"
        path.write_bytes(data)
        records = original.records
        policies = {lab: p.name for lab, p in original.policies.items()}

        def simulate() -> object:
            return play_game(Rulebook(load_scenario(SCENARIO)), FACTION, seed, POLICY)

        def replay() -> object:
            return Game.from_records(book, FACTION, seed, records, seats=(), policies=policies)

        sim = timed(simulate, args.repeat)
        verify = timed(lambda: load_game(path), args.repeat)
        play = timed(lambda: play_game(book, FACTION, seed, POLICY), args.repeat)
        again = timed(replay, args.repeat)
        sim_cmd = command(
            "simulate", "--scenario", SCENARIO, "--faction", FACTION, "--policy", POLICY,
            "--games", "1", "--seed", str(run), "--save-dir", folder,
        )  # fmt: skip
        saved = Path(folder) / f"{SCENARIO}-{FACTION}-{seed}.json"
        verify_cmd = command("replay", str(saved), "--verify")
    print(f"saves: {SCENARIO} as {FACTION} by '{POLICY}', seed {seed}: {book.turns} turns")
    print(f"saves: save size {len(data):,} bytes ({len(data) / 1000:.0f} kB; target < 200 kB)")
    print(
        f"saves: simulate the game {sim * 1000:.1f} ms, verify its save {verify * 1000:.1f} ms: "
        f"{verify / sim:.2f}x (target <= 2x)"
    )
    print(
        f"saves: engine alone: play {play * 1000:.1f} ms, replay and check digests "
        f"{again * 1000:.1f} ms: {again / play:.2f}x"
    )
    print(
        f"saves: the commands: simulate {sim_cmd:.2f} s, replay --verify {verify_cmd:.2f} s: "
        f"{verify_cmd / sim_cmd:.2f}x"
    )


if __name__ == "__main__":
    main()
