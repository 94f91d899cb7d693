"""How long the dashboard takes to show a new quarter after the player presses `e`.

Plays a whole game of the real app headless with Textual's Pilot: `e` on
the dashboard each turn, key 1 on every event's choice, Escape on each turn
report. The clock runs from the key press to the first frame the app
paints of the dashboard with the new quarter on it (the frame is caught
where the app hands it to the terminal). Target: a median of 50 ms or less.

    python benchmarks/tui_turn.py [--seed N] [--scenario ID] [--side us|china]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine.game import Game  # noqa: E402
from game.engine.rulebook import Rulebook  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.tui.app import AIRaceApp  # noqa: E402
from game.tui.screens.dashboard import DashboardScreen  # noqa: E402

TARGET_MS = 50.0
MAX_STEPS = 2000  # key presses: far more than any game needs


async def play(game: Game, size: tuple[int, int]) -> tuple[list[float], list[float]]:
    """Milliseconds from `e` to the new quarter painted, and inside the dashboard's handler."""
    app = AIRaceApp(game)
    painted: list[float] = []
    waiting: dict[str, Any] = {}  # the press being timed: its start and the turn before it
    display = app._display

    def caught(screen: Any, renderable: Any) -> None:
        if (
            waiting
            and renderable is not None
            and isinstance(screen, DashboardScreen)
            and (game.state.turn != waiting["turn"] or game.over)
        ):
            painted.append((time.perf_counter() - waiting.pop("start")) * 1000)
            waiting.clear()
        display(screen, renderable)

    app._display = caught  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for _ in range(MAX_STEPS):
            screen = app.screen
            if isinstance(screen, DashboardScreen):
                if game.over:
                    break
                turn = game.state.turn
                waiting.update(start=time.perf_counter(), turn=turn)
                await pilot.press("e")
                await pilot.pause()
                if game.state.turn == turn and not game.over and not game.state.pending:
                    raise SystemExit(f"turn {turn}: 'e' did not end the quarter")
            elif type(screen).__name__ == "EventScreen":
                await pilot.press("1")
            elif type(screen).__name__ == "EndScreen":
                break
            else:  # the turn report, or anything else that closes with Escape
                await pilot.press("escape")
        dashboard = next(s for s in app.screen_stack if isinstance(s, DashboardScreen))
        handler = list(getattr(dashboard, "update_ms", []))
    return painted, handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", default="base")
    parser.add_argument("--side", default="us")
    parser.add_argument("--width", type=int, default=100)
    parser.add_argument("--height", type=int, default=32)
    args = parser.parse_args()
    game = Game(Rulebook(load_scenario(args.scenario)), args.side, seed=args.seed)
    painted, handler = asyncio.run(play(game, (args.width, args.height)))
    if not painted:
        raise SystemExit("no turn was timed")
    outcome = game.state.outcome
    print(
        f"{len(painted)} turns of '{args.scenario}' as {args.side}, seed {args.seed}, "
        f"{args.width}x{args.height}; " + (outcome.text if outcome else "the game did not end")
    )
    print(
        f"  key 'e' to new quarter painted: median {statistics.median(painted):6.1f} ms"
        f"   max {max(painted):6.1f} ms   (target median <= {TARGET_MS:g} ms)"
    )
    if handler:
        print(
            f"  inside the dashboard's handler: median {statistics.median(handler):6.1f} ms"
            f"   max {max(handler):6.1f} ms"
        )


if __name__ == "__main__":
    main()
