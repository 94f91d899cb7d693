"""AI Race in the terminal: the Textual app that holds the screens together.

The app is a shell over `game.engine`: it gets a ready `Game` (from
`airace play`) or builds one from the scenario chosen on the new-game screen,
and never computes a rule itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.events import Resize
from textual.geometry import Size

from game.tui.commands import AIRaceCommands, Palette
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.title import TitleScreen
from game.tui.screens.too_small import TooSmallScreen
from game.tui.themes import DARK, LIGHT, THEMES, theme_for

if TYPE_CHECKING:
    from game.engine.game import Game
    from game.scenario.loader import ScenarioInfo
    from game.scenario.models import Scenario

# The title screen must show fast: the engine, the scenario loader, the
# dashboard and help (Textual's Markdown) are imported when first needed.

MIN_WIDTH = 80
MIN_HEIGHT = 24
DEFAULT_SCENARIO = "base"


class AIRaceApp(App[None]):
    """The game: title screen, new game, dashboard, events, reports, help."""

    # The title screen's styles load with the app's: a screen's own CSS_PATH
    # makes Textual parse the whole stylesheet again when the screen first shows.
    CSS_PATH = ["app.tcss", "screens/title.tcss"]
    TITLE = "AI Race"
    COMMANDS = App.COMMANDS | {AIRaceCommands}
    BINDINGS = [
        Binding("q", "request_quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        # Ctrl+C quits at once, restoring the terminal, wherever the focus is.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, game: Game | None = None, *, theme: str | None = None) -> None:
        """Start at the title screen, or straight into `game` when one is given.

        The theme is dark or light as the environment says (see `theme_for`)
        unless one is given.
        """
        super().__init__()
        self._start_game = game
        # Set before the stylesheet is first parsed, so it is parsed once, not twice.
        for registered in THEMES:
            self.register_theme(registered)
        self.theme = theme or theme_for(os.environ)
        self._catalog: list[ScenarioInfo] | None = None
        self._loaded: dict[Path, Scenario] = {}

    # A bug that ended the app, and the game on screen then: `airace` reports
    # them in one sentence with a crash report (game.crash), so Textual's
    # own traceback is not printed.
    crashed: tuple[Exception, Game | None] | None = None

    def _handle_exception(self, error: Exception) -> None:
        if self.crashed is None:
            self.crashed = (error, self.current_game)
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def get_default_screen(self) -> TitleScreen:
        """The title screen is the bottom of the stack: every way back ends there."""
        return TitleScreen()

    def on_mount(self) -> None:
        if self._start_game is not None:
            from game.tui.screens.dashboard import DashboardScreen

            self.push_screen(DashboardScreen(self._start_game))
        self._check_size(self.size)

    # -- scenarios -----------------------------------------------------------
    def catalog(self) -> list[ScenarioInfo]:
        """The shipped scenarios that load, read once."""
        if self._catalog is None:
            from game.scenario.loader import list_scenarios

            self._catalog = list_scenarios()
        return self._catalog

    def scenario(self, info: ScenarioInfo) -> Scenario:
        """A shipped scenario, loaded once."""
        if info.path not in self._loaded:
            from game.scenario.loader import load_scenario

            self._loaded[info.path] = load_scenario(info.path)
        return self._loaded[info.path]

    def default_scenario(self) -> Scenario | None:
        """The scenario help talks about when no game is on: the default one."""
        infos = self.catalog()
        info = next((i for i in infos if i.id == DEFAULT_SCENARIO), infos[0] if infos else None)
        return None if info is None else self.scenario(info)

    @property
    def current_game(self) -> Game | None:
        """The game on the dashboard, if one is being played."""
        from game.tui.screens.dashboard import DashboardScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, DashboardScreen):
                return screen.game
        return None

    def start_game(
        self, scenario: Scenario, faction: str, seed: int, difficulty: str | None
    ) -> None:
        """Start a new game and show its dashboard above the title screen."""
        from game.engine.game import Game
        from game.engine.rulebook import Rulebook
        from game.tui.screens.dashboard import DashboardScreen

        game = Game(Rulebook(scenario), faction, seed, difficulty=difficulty)
        self._pop_to_title()
        self.push_screen(DashboardScreen(game))

    # -- actions ---------------------------------------------------------------
    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        game = self.current_game
        scenario = game.scenario if game is not None else self.default_scenario()
        self.push_screen(HelpScreen(scenario))

    def action_request_quit(self) -> None:
        if isinstance(self.screen, ConfirmScreen):
            return
        question = "Quit AI Race?"
        if self.current_game is not None and not self.current_game.over:
            question = "Quit AI Race? The game in progress will be lost."
        self.push_screen(ConfirmScreen(question), self._quit_if)

    def _quit_if(self, yes: bool | None) -> None:
        if yes:
            self.exit()

    def action_main_menu(self) -> None:
        """Back to the title screen (the end screen and the menu command use this)."""
        self._pop_to_title()

    def action_leave_for_menu(self) -> None:
        """Back to the title screen, asking first if a game would be lost."""
        self._leave_game(self.action_main_menu)

    def action_leave_for_new_game(self) -> None:
        """To the new-game screen, asking first if a game would be lost."""

        def new_game() -> None:
            from game.tui.screens.new_game import NewGameScreen

            self._pop_to_title()
            self.push_screen(NewGameScreen())

        self._leave_game(new_game)

    def _leave_game(self, then: Callable[[], None]) -> None:
        game = self.current_game
        if game is None or game.over:
            then()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                then()

        self.push_screen(ConfirmScreen("Leave this game? It will be lost."), answer)

    def action_toggle_light(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def _pop_to_title(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TitleScreen):
            self.pop_screen()

    # -- size --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the window is too small, the app's actions wait, quitting aside.

        Anything they opened would open under the too-small message, unseen:
        a command palette there is not the screen in front, so a second Ctrl+P
        would open another with the same id.
        """
        if isinstance(self.screen, TooSmallScreen):
            return action == "quit"
        return True

    def action_command_palette(self) -> None:
        """The command palette, unless one is open already (in front or not)."""
        if self.use_command_palette and not any(
            isinstance(screen, CommandPalette) for screen in self.screen_stack
        ):
            # No id: one closing while the next opens would share it (DuplicateIds).
            self.push_screen(Palette())

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Push a screen; while the window is too small, the message stays on top."""
        small = (
            len(self.screen_stack) > 1
            and isinstance(self.screen, TooSmallScreen)
            and not isinstance(screen, TooSmallScreen)
        )
        if small:
            self.pop_screen()
        result = super().push_screen(screen, *args, **kwargs)
        if small:
            super().push_screen(TooSmallScreen())
        return result

    def on_resize(self, event: Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size) -> None:
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        shown = isinstance(self.screen, TooSmallScreen)
        if small and not shown:
            self.push_screen(TooSmallScreen())
        elif not small and shown:
            self.pop_screen()
