"""How fast the engine plays: base-scenario games with a policy in every seat, on one core.

Every lab plays and every event can fire, as in `airace simulate`; state
history and digests are off, as the simulator has them. Prints turns per
second.

    python benchmarks/engine_speed.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

try:  # the installed game (with its compiled engine, if it was built), else this checkout
    import game  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import game.engine.rules  # noqa: E402
from game.engine.policies import POLICIES  # noqa: E402
from game.engine.rulebook import Rulebook  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.sim.runner import play_game  # noqa: E402


def measure(seconds: float) -> tuple[int, int, float]:
    """Play games for about `seconds`; return (games, turns, seconds taken)."""
    book = Rulebook(load_scenario("base"))
    # Both sides and every policy take the player's seat in turn, so no one
    # code path dominates the figure.
    seats = itertools.cycle(itertools.product(("us", "china"), POLICIES))
    play_game(book, "us", 0, "balanced")  # warm up: imports, first-call caches
    games = turns = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        faction, policy = next(seats)
        turns += play_game(book, faction, games, policy).turns
        games += 1
    return games, turns, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    kind = (
        "compiled (mypyc)"
        if game.engine.rules.__file__.endswith((".so", ".pyd"))
        else "pure Python"
    )
    print(f"engine: {kind}, from {Path(game.engine.rules.__file__).parent}")
    games, turns, elapsed = measure(args.seconds)
    print(f"engine: {games:,} games, {turns:,} turns in {elapsed:.2f} s on one core")
    print(f"engine: {turns / elapsed:,.0f} turns/s ({1e6 * elapsed / turns:,.0f} us a turn)")


if __name__ == "__main__":
    main()
