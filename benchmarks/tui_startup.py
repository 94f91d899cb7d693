"""How long AI Race takes from launch to a title screen ready, against a bare Textual app.

Each run is a fresh interpreter, so imports count: the parent starts the
child and stops the clock when the child says its first screen is on
(Textual's `Ready` event: the DOM is ready and the first frame displayed).
Both apps run headless at 100x32 and are measured alternately in the same
run, so a busy machine slows both alike. The target: AI Race within 1.3x
of the bare app.

    python benchmarks/tui_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.3

# The child: build the app, say "ready" on the first Ready with the right screen, exit.
CHILD = """
import sys
KIND = sys.argv[1]
if KIND == "airace":
    from game.tui.app import AIRaceApp as Base
    from game.tui.screens.title import TitleScreen as First
else:
    from textual.app import App as Base
    from textual.screen import Screen as First
    from textual.widgets import Static

# A class made in `-c` has no file to find a relative CSS path from.
CSS = None
if KIND == "airace" and Base.CSS_PATH:
    from pathlib import Path
    import game.tui.app as where
    paths = Base.CSS_PATH if isinstance(Base.CSS_PATH, list) else [Base.CSS_PATH]
    CSS = [str(Path(where.__file__).parent / str(p)) for p in paths]

class Bench(Base):
    if CSS:
        CSS_PATH = CSS
    if KIND == "bare":
        def compose(self):
            yield Static("AI Race")

    def on_ready(self) -> None:
        self._check()

    def _check(self) -> None:
        if isinstance(self.screen, First):
            sys.stdout.write("ready\\n")
            sys.stdout.flush()
            self.exit()
        else:
            self.call_after_refresh(self._check)

Bench().run(headless=True, size=(100, 32))
"""


def launch(kind: str) -> float:
    """Seconds from starting the interpreter to the app's first screen ready."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="0")
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, kind],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    _, err = child.communicate(timeout=60)
    if line.strip() != "ready":
        raise SystemExit(f"the {kind} app did not start:\n{err}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each app (default 9)")
    args = parser.parse_args()
    launch("airace")  # warm the file cache and the bytecode of both
    launch("bare")
    times: dict[str, list[float]] = {"bare": [], "airace": []}
    for _ in range(args.runs):
        for kind in times:
            times[kind].append(launch(kind))
    bare = statistics.median(times["bare"])
    airace = statistics.median(times["airace"])
    ratio = airace / bare
    print(f"launch to first screen ready, median of {args.runs} runs each (headless, 100x32)")
    for kind, label in (("bare", "bare Textual app"), ("airace", "AI Race title screen")):
        t = times[kind]
        print(
            f"  {label:22} median {statistics.median(t) * 1000:6.0f} ms"
            f"   min {min(t) * 1000:6.0f} ms   max {max(t) * 1000:6.0f} ms"
        )
    verdict = "within" if ratio <= TARGET else "over"
    print(f"  ratio {ratio:.2f} ({verdict} the {TARGET} target)")


if __name__ == "__main__":
    main()
