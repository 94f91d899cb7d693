"""How long the replay viewer takes to show a turn it seeks to.

Loads a 40-turn save (the sandbox scenario played to its end headless),
opens it in the real app's replay viewer with Textual's Pilot and seeks to
every turn in a shuffled order, as `g` and a turn number would. The clock
runs from the seek to the first frame the app paints of the viewer with
that turn on it (the frame is caught where the app hands it to the
terminal). Target: every seek within 100 ms.

    python benchmarks/replay_seek.py [--seed N] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine.game import Game  # noqa: E402
from game.engine.rulebook import Rulebook  # noqa: E402
from game.saves.codec import load_game  # noqa: E402
from game.saves.store import autosave  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.tui.app import AIRaceApp  # noqa: E402
from game.tui.screens.replay import ReplayScreen  # noqa: E402

TARGET_MS = 100.0


def forty_turns(seed: int) -> Path:
    """A save of a sandbox game that lasts its 40 quarters."""
    book = Rulebook(load_scenario("sandbox"))
    folder = Path(tempfile.mkdtemp(prefix="airace-bench-"))
    for s in range(seed, seed + 50):
        game = Game(book, "china", s, player_policy="balanced")
        while not game.over:
            game.play_ai_choices()
            game.end_turn()
        if len(game.history) > 40:
            return autosave(game, folder)
    raise SystemExit("no seed in 50 gave a 40-turn game")


async def seek_all(game: Game, path: Path, rounds: int, seed: int) -> list[float]:
    app = AIRaceApp(replay=(game, path))
    times: list[float] = []
    waiting: dict[str, Any] = {}
    display = app._display

    def caught(screen: Any, renderable: Any) -> None:
        if (
            waiting
            and renderable is not None
            and isinstance(screen, ReplayScreen)
            and screen.position == waiting["to"]
        ):
            times.append((time.perf_counter() - waiting.pop("start")) * 1000)
            waiting.clear()
        display(screen, renderable)

    app._display = caught  # type: ignore[method-assign]
    rng = random.Random(seed)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        order = [
            p for _ in range(rounds) for p in rng.sample(range(screen.last + 1), screen.last + 1)
        ]
        for to in order:
            if to == screen.position:
                continue
            waiting.update(start=time.perf_counter(), to=to)
            screen.seek(to)
            for _ in range(100):
                await pilot.pause()
                if not waiting:
                    break
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="times every turn is sought")
    args = parser.parse_args()
    path = forty_turns(args.seed)
    _, game = load_game(path)
    times = asyncio.run(seek_all(game, path, args.rounds, args.seed))
    print(f"save: {path} ({len(game.history) - 1} turns played)")
    print(
        f"seeks: {len(times)}; median {statistics.median(times):.1f} ms, "
        f"worst {max(times):.1f} ms (target: every seek within {TARGET_MS:.0f} ms)"
    )
    return 0 if max(times) <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
