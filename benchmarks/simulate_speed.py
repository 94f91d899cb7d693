"""How long `airace simulate` takes for 1,000 base games on 2 processes, wall clock.

Runs the real command line in a subprocess, so start-up, worker start and
JSON output are all counted; prints the seconds and the turns per second the
run reports for its games.

    python benchmarks/simulate_speed.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMAND = [
    "simulate", "--scenario", "base", "--games", "1000", "--jobs", "2", "--seed", "1", "--json",
]  # fmt: skip


def installed() -> bool:
    """Whether this Python has the game installed (then that one is measured)."""
    probe = [sys.executable, "-c", "import game"]
    return subprocess.run(probe, cwd=Path.home(), capture_output=True).returncode == 0


def main() -> None:
    env = dict(os.environ)
    cwd = Path.home()  # away from the checkout, so the installed game is the one run
    if not installed():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        cwd = REPO
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "game", *COMMAND], cwd=cwd, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"airace simulate failed ({result.returncode}):\n{result.stderr}")
    timing = json.loads(result.stdout)["timing"]
    print(f"simulate: airace {' '.join(COMMAND)}")
    print(f"simulate: {wall:.2f} s wall clock ({timing['seconds']:.2f} s playing games)")
    print(f"simulate: {timing['turns']:,} turns, {timing['turns_per_second']:,.0f} turns/s")


if __name__ == "__main__":
    main()
