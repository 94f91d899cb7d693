"""Measure the balance of every shipped scenario and write scenarios/BALANCE.md.

For each scenario, each playable side and each built-in policy in the
player's seat, plays N games (2,000 by default) with `airace simulate`'s
runner and records the player's win rate; then checks the bounds the
balance issue sets:

- with the best policy in the seat, each playable side wins 25-75%;
- no policy wins more than 90% anywhere (no dominant strategy);
- every event fires in at least 1% of games unless marked `rare`;
- games end by every victory and loss kind somewhere in the set;
- in base, a well-played lab's cost per token falls at least 500x.

    python scripts/balance.py [--games 2000] [--jobs 2] [--seed 1] [--out scenarios/BALANCE.md]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

try:  # the installed game (compiled engine, if it was built), else this checkout
    import game  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine.game import Game  # noqa: E402
from game.engine.policies import POLICIES  # noqa: E402
from game.engine.rulebook import Rulebook  # noqa: E402
from game.scenario.loader import list_scenarios, load_scenario  # noqa: E402
from game.sim.runner import GameResult, Setup, run_games  # noqa: E402

KINDS = ("turning_point", "frontier_at_end", "score", "bankruptcy", "shutdown", "takeover")


def measure(games: int, jobs: int, seed: int) -> tuple[list[str], bool]:
    """Play everything; return the markdown lines and whether every bound holds."""
    lines: list[str] = []
    ok = True
    kinds_seen: Counter[str] = Counter()
    for info in list_scenarios():
        scenario = load_scenario(info.path)
        book = Rulebook(scenario)
        rare = {e.id for e in scenario.events if e.rare}
        lines += [f"## {scenario.meta.name} (`{scenario.meta.id}`)", ""]
        lines += [
            "| side | " + " | ".join(POLICIES) + " | best |",
            "|---" * (len(POLICIES) + 2) + "|",
        ]
        fired: Counter[str] = Counter()
        total = 0
        notes: list[str] = []
        for faction in info.playable:
            rates: dict[str, float] = {}
            for policy in POLICIES:
                setup = Setup(faction=faction, policy=policy, difficulty=None, seed=seed)
                results = run_games(scenario, setup, games, jobs=jobs)
                rates[policy] = sum(r.player_won for r in results) / games
                for r in results:
                    fired.update(r.events)
                    kinds_seen[r.kind] += 1
                total += games
                if scenario.meta.id == "base" and policy == "balanced" and faction == "us":
                    notes.append(cost_fall(book, faction, results))
            best = max(rates, key=lambda p: rates[p])
            cells = " | ".join(f"{100 * rates[p]:.1f}%" for p in POLICIES)
            lines.append(f"| {faction} | {cells} | {best} |")
            if not 0.25 <= rates[best] <= 0.75:
                ok = False
                notes.append(
                    f"- {faction}: best policy wins {100 * rates[best]:.1f}% (bound 25-75%)"
                )
            for p, rate in rates.items():
                if rate > 0.9:
                    ok = False
                    notes.append(f"- {faction}/{p} wins {100 * rate:.1f}% (bound: at most 90%)")
        quiet = [e.id for e in scenario.events if e.id not in rare and fired[e.id] < 0.01 * total]
        if quiet:
            ok = False
            notes.append(f"- fire in under 1% of games: {', '.join(quiet)}")
        lines += ["", *notes, ""]
    missing = [k for k in KINDS if kinds_seen[k] == 0]
    lines += ["## Every way a game ends", ""]
    lines += [f"- {k}: {kinds_seen[k]:,} games" for k in KINDS]
    if missing:
        ok = False
        lines.append(f"- never seen: {', '.join(missing)}")
    return lines, ok


def cost_fall(book: Rulebook, faction: str, results: list[GameResult]) -> str:
    """How far the player's cost per token fell over the game (median of the games)."""
    start = Game(book, faction, 0).player.cost_per_mtok
    lab = Game(book, faction, 0).player.id
    end = statistics.median(r.cost_per_mtok[lab] for r in results)
    fall = start / end
    return (
        f"- cost per million tokens of the us/balanced seat: ${start:.3f} -> ${end:.5f} "
        f"({fall:,.0f}x over the game; bound 500x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "scenarios" / "BALANCE.md"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    lines, ok = measure(args.games, args.jobs, args.seed)
    seconds = time.perf_counter() - start
    head = [
        "# Balance",
        "",
        f"Player's win rate by side and policy in the player's seat, {args.games:,} games each "
        f"(seed {args.seed}). Written by `python scripts/balance.py`; do not edit by hand.",
        "",
        f"All bounds hold: {'yes' if ok else 'no'}.",
        "",
    ]
    args.out.write_text("\n".join(head + lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {seconds:.0f} s; all bounds hold: {'yes' if ok else 'no'}")


if __name__ == "__main__":
    main()
