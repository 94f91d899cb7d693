"""The TUI survives anything: random keys, pastes, clicks and window sizes, whole games long.

A seeded monkey plays from the title screen: mostly random keys (in batches),
sometimes the key that moves the game on, so whole games get played; now and
then a paste into whatever has the focus, a click anywhere, or a new window
size from 20x5 to 300x100. Keys come as from a quick typist: each handled
by the screen before the next is sent (about a thousand keys in all, some 40 s).
The shipped scenarios and a stranger's (tests/tui/hostile.py) are on the menu.
Quitting is answered but never exits (the app's `exit` only counts), so one
run covers everything. Any exception in the app fails the test when the Pilot
closes; a link in the stranger's text must never run, whatever is clicked.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from game.scenario.loader import list_scenarios
from game.tui.advisor import carry_over
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.event import EventScreen
from game.tui.screens.too_small import TooSmallScreen
from game.tui.widgets.orders import OrdersForm
from tests.tui import hostile
from tests.tui.helpers import SIZE, WatchedApp, answer_events, new_game, type_fast

SEED = 2025
STEPS = 260  # each a batch of keys, a paste, a click or a resize (about 1,100 keys in all)
BATCH = 12  # keys at most in a batch
FINISH_STEPS = 200  # moves onward, after the monkey, to see a game to its end
SIZES = [(20, 5), (40, 12), (79, 24), (80, 23), (80, 24), (100, 32), (132, 43), (300, 100)]
KEYS = [
    *"abcdefghijklmnopqrstuvwxyz0123456789",
    *["enter"] * 4,
    *["escape"] * 2,
    *["tab", "shift+tab", "up", "down", "left", "right", "home", "end"],
    *["pageup", "pagedown", "backspace", "delete", "space", "minus", "full_stop"],
    *["ctrl+p"] * 2,
    *["question_mark", "ctrl+s", "ctrl+a", "ctrl+k", "ctrl+q"],
]
PASTES = ["42", "-7", "", "9" * 40, "[/]", "[@click=app.bell()]x[/]", "e\nq\n", "é中\t\x1b[2J"]
# The keys that move each screen on, so that whole games get played: a new
# game is the last scenario in the list (the stranger's, 8 quarters long).
ONWARD = {
    "TitleScreen": ["n"],
    "NewGameScreen": ["1", "end", "ctrl+s"],
    "DashboardScreen": ["e"],
    "EventScreen": ["1"],
    "ReportScreen": ["enter"],
    "EndScreen": ["enter"],
    "HandOverScreen": ["enter"],
    "ConfirmScreen": ["n"],
    "Palette": ["escape"],
    "HelpScreen": ["escape"],
    "ChartsScreen": ["escape"],
    "ScenariosScreen": ["escape"],
}


class MonkeyApp(WatchedApp):
    """Quitting is counted, not done, so the monkey plays on."""

    def __init__(self) -> None:
        super().__init__()
        self.quits = 0

    def exit(self, *args: object, **kwargs: object) -> None:
        self.quits += 1


async def step(pilot: Pilot[None], app: MonkeyApp, rng: random.Random) -> None:
    """One thing a monkey does."""
    roll = rng.random()
    screen = type(app.screen).__name__
    if isinstance(app.screen, TooSmallScreen) and roll < 0.5:
        await pilot.resize_terminal(*rng.choice(SIZES[4:]))
    elif roll < 0.04:
        await pilot.resize_terminal(*rng.choice(SIZES))
    elif roll < 0.08:
        target = app.focused or app.screen
        target.post_message(events.Paste(rng.choice(PASTES)))
        await pilot.pause()
    elif roll < 0.12:
        await pilot.click(offset=(rng.randrange(app.size.width), rng.randrange(app.size.height)))
    elif roll < 0.45 and screen in ONWARD:
        if isinstance(app.screen, DashboardScreen):
            # Orders the monkey typed may not stand (a million GPUs): start the
            # quarter's orders afresh, as a player would fix them, and end the turn.
            app.screen.query_one(OrdersForm).load(carry_over(app.screen.game, None))
        await type_fast(pilot, ONWARD[screen])
    else:
        await type_fast(pilot, [rng.choice(KEYS) for _ in range(rng.randint(1, BATCH))])


async def onward(pilot: Pilot[None], app: MonkeyApp) -> None:
    """What a player does to move the game on from whatever screen is showing."""
    screen = type(app.screen).__name__
    if isinstance(app.screen, DashboardScreen):
        app.screen.query_one(OrdersForm).load(carry_over(app.screen.game, None))
    await type_fast(pilot, ONWARD.get(screen, ["escape"]))


async def test_a_monkey_cannot_break_the_game(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("secrets.randbelow", lambda n: 7)  # a blank seed: still the same game
    scenario, info = hostile.load(tmp_path)
    app = MonkeyApp()
    app._catalog = [*list_scenarios(), info]
    app._loaded[info.path] = scenario
    rng = random.Random(SEED)
    seen: Counter[str] = Counter()
    async with app.run_test(size=(100, 32)) as pilot:
        for _ in range(STEPS):
            await step(pilot, app, rng)
            assert app.is_running
            seen[type(app.screen).__name__] += 1
            palettes = [s for s in app.screen_stack if isinstance(s, CommandPalette)]
            assert len(palettes) <= 1
        # Whatever the monkey left, a player can still play on to the end of
        # a game. (How far the monkey itself got depends on where its keys
        # landed, which a loaded machine's timing changes; this does not.)
        await pilot.resize_terminal(100, 32)
        for _ in range(FINISH_STEPS):
            if seen[EndScreen.__name__]:
                break
            await onward(pilot, app)
            assert app.is_running
            seen[type(app.screen).__name__] += 1
    # The monkey went everywhere, small windows and whole games included.
    assert seen[DashboardScreen.__name__] and seen[TooSmallScreen.__name__]
    assert seen[EndScreen.__name__], seen
    assert not [did for did in app.ran if did.startswith(("bell", "open", "screenshot"))]


# -- what the monkey found, one by one ---------------------------------------------------------


async def test_ctrl_p_twice_on_a_too_small_window() -> None:
    app = WatchedApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", "ctrl+p", "question_mark")
        assert [type(s) for s in app.screen_stack][1:] == [TooSmallScreen]
        await pilot.resize_terminal(*SIZE)
        await pilot.press("ctrl+p", "ctrl+p")
        assert sum(isinstance(s, CommandPalette) for s in app.screen_stack) == 1


async def test_page_keys_in_the_palette_before_its_list_shows() -> None:
    app = WatchedApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for keys in (["ctrl+p", "pagedown", "pageup"], ["escape"], ["ctrl+p", "pageup"]):
            await type_fast(pilot, keys)
        assert isinstance(app.screen, CommandPalette)


async def test_a_second_enter_in_the_palette_leaves_the_screen_below() -> None:
    app = WatchedApp(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        await type_fast(pilot, ["ctrl+p", *"charts"])
        # The palette searches in a worker: on a busy machine (the suite runs
        # on every core) the first Enter could come before any match, so the
        # keys wait for the match, then come as fast as a typist's.
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        for _ in range(500):
            if palette.query_one(CommandList).option_count:
                break
            await pilot.pause(0.01)
        await type_fast(pilot, ["enter", "enter", "enter"])
        assert isinstance(app.screen, EventScreen)


async def test_a_modal_closes_once() -> None:
    app = WatchedApp(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await answer_events(pilot, app)
        await pilot.press("q")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        confirm.dismiss(False)  # two quick clicks on No
        confirm.dismiss(False)
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
