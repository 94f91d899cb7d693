"""Fuzz scenarios: mutate the shipped ones and list every distinct way a game breaks.

Runs the generator of tests/scenario/test_fuzz_play.py (issue 8: whatever
validates must play to the end) for N cases. Each failure is told once, by
its kind (the exception type and the line in game/ it was raised from, or
the property it broke: a non-finite field, an event storm, a turn over its
time), with the smallest mutation Hypothesis shrank it to. Once a failure is
known it counts as a pass, and the run starts again to look for the next.

    python scripts/fuzz_scenarios.py [N] [--family numbers ...] [--seed S] [--yaml]

N is 500 by default; families: numbers, expressions, graphs, text, structure
(all by default). Exit code 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `tests` lives in the checkout, not in the installed game

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis.control import current_build_context  # noqa: E402

from tests.scenario.fuzzing import FAMILIES, Case, FuzzFailure, cases, check_case  # noqa: E402

GAME = str(ROOT / "game")


@dataclass
class Found:
    key: str
    message: str
    case: Case


def key_of(error: BaseException) -> str:
    """What makes two failures the same: the property broken, or the type and the raising line."""
    if isinstance(error, FuzzFailure):
        return error.kind
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(GAME)]
    where = f"{Path(frames[-1].filename).relative_to(ROOT)}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__} at {where}"


def search(n: int, families: tuple[str, ...], run_seed: int) -> tuple[dict[str, Found], Counter]:
    """Run Hypothesis until a whole run finds nothing new; known failures count as passes."""
    known: dict[str, Found] = {}
    new: dict[str, Found] = {}
    outcomes: Counter[str] = Counter()

    @seed(run_seed)
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=True,
        print_blob=False,
    )
    @given(case=cases(families))
    def prop(case: Case) -> None:
        try:
            outcomes[check_case(case)] += 1
        except Exception as e:
            k = key_of(e)
            if k in known:
                outcomes["known failure"] += 1
                return
            if current_build_context().is_final:  # the shrunk case, replayed to report it
                new[k] = Found(k, str(e).splitlines()[0][:200] if str(e) else "", case)
            raise

    while True:
        new.clear()
        try:
            prop()
        except Exception as e:
            if not new:
                print(f"stopped: {type(e).__name__}: {e}", file=sys.stderr)
                return known, outcomes
            for k, found in new.items():
                known[k] = found
                print(f"found: {k}", file=sys.stderr, flush=True)
            continue
        return known, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=500, help="cases per search")
    parser.add_argument("--family", action="append", choices=FAMILIES, help="mutation families")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--yaml", action="store_true", help="also print each case's whole file")
    args = parser.parse_args(argv)
    families = tuple(args.family or FAMILIES)
    start = time.perf_counter()
    known, outcomes = search(args.n, families, args.seed)
    seconds = time.perf_counter() - start
    print(f"{len(known)} distinct failure(s) in {seconds:.0f} s; cases: {dict(outcomes)}\n")
    for i, found in enumerate(known.values(), 1):
        print(f"{i}. {found.key}\n   {found.message}")
        print("   " + found.case.describe().replace("\n", "\n   "))
        if args.yaml:
            print("   --- file ---\n   " + found.case.text().replace("\n", "\n   "))
        print()
    return 1 if known else 0


if __name__ == "__main__":
    sys.exit(main())
