"""How long `airace simulate` takes for 1,000 base games on 2 processes, wall clock.

Runs the real command line in a subprocess, so start-up, worker start and
output are all counted; prints the seconds and the turns per second the run
reports for its games: once for the balance summary (`--json`), once for
the author's report (`--report`, which counts more in the workers).

    python benchmarks/simulate_speed.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMAND = [
    "simulate", "--scenario", "base", "--games", "1000", "--jobs", "2", "--seed", "1",
]  # fmt: skip
# The report's last line: "Played in 1.6 s: 10,191 turns a second on 2 processes."
PLAYED = re.compile(r"Played in ([\d.]+) s: ([\d,]+) turns a second")


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
    for flag in ("--json", "--report"):
        command = [*COMMAND, flag]
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "game", *command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(f"airace simulate failed ({result.returncode}):\n{result.stderr}")
        print(f"simulate: airace {' '.join(command)}")
        if flag == "--json":
            timing = json.loads(result.stdout)["timing"]
            seconds, rate = timing["seconds"], timing["turns_per_second"]
        else:
            played = PLAYED.search(result.stdout)
            if played is None:
                sys.exit("airace simulate --report did not say how long it played")
            seconds, rate = float(played[1]), float(played[2].replace(",", ""))
        print(f"simulate: {wall:.2f} s wall clock ({seconds:.2f} s playing games)")
        print(f"simulate: {rate:,.0f} turns/s")


if __name__ == "__main__":
    main()
