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
    from game.tui.watch import ScenarioWatch

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

    def __init__(
        self,
        game: Game | None = None,
        *,
        theme: str | None = None,
        replay: tuple[Game, Path] | None = None,
        watch: ScenarioWatch | None = None,
        hotseat: bool = False,
    ) -> None:
        """Start at the title screen, or straight into `game` when one is given,
        or into the replay of a game loaded from a save file.

        With `watch`, on the scenario file `game` was built from, the game reloads
        that file when it changes (`airace play --watch`; see `DashboardScreen`).
        With `hotseat`, the people playing `game`'s seats take turns at this terminal.

        The theme is dark or light as the environment says (see `theme_for`)
        unless one is given.
        """
        super().__init__()
        self._start_game = game
        self._start_replay = replay
        self._hotseat = hotseat
        self._watch = watch
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

            game = self._start_game
            self.push_screen(DashboardScreen(game, hotseat=self._hotseat, watch=self._watch))
        elif self._start_replay is not None:
            self.show_replay(*self._start_replay)
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

    def remember_scenario(self, info: ScenarioInfo, scenario: Scenario) -> None:
        """A scenario opened from a file: `scenario(info)` gives it from now on."""
        self._loaded[info.path] = scenario

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
        self,
        scenario: Scenario,
        faction: str,
        seed: int,
        difficulty: str | None,
        *,
        hotseat: tuple[str, ...] = (),
    ) -> None:
        """Start a new game and show its dashboard above the title screen.

        `hotseat` names the sides two people play at this terminal, `faction`
        first (their main labs are the seats); empty for a one-player game.
        """
        from game.engine.game import Game
        from game.engine.rulebook import Rulebook
        from game.tui.screens.dashboard import DashboardScreen

        humans = tuple(scenario.factions[f].lab_id for f in hotseat) or None  # type: ignore[index]
        game = Game(Rulebook(scenario), faction, seed, difficulty=difficulty, humans=humans)
        self._pop_to_title()
        self.push_screen(DashboardScreen(game, hotseat=bool(hotseat)))

    # -- saves -----------------------------------------------------------------
    def open_save(self, path: Path, *, replay: bool = False) -> None:
        """Load a save: play on from it, or watch it. A bad save gets one sentence."""
        from game.saves.codec import load_game
        from game.saves.errors import SaveError
        from game.saves.store import play_on

        try:
            save, game = load_game(path)
        except SaveError as e:
            self.show_message(f"{path.name} cannot be opened: {e}.", "Save")
            return
        if replay:
            self.show_replay(game, path)
        elif not game.seats:
            self.show_message(
                "Computers played every seat of that game: open it from Replays to watch it.",
                "Load game",
            )
        elif game.over:
            self.show_message(
                "That game is over: open it from Replays to watch it, or branch from one of "
                "its turns there.",
                "Load game",
            )
        else:
            from game.tui.screens.dashboard import DashboardScreen

            # A game of several seats plays on in hot-seat, at the seat whose move is due.
            self._pop_to_title()
            game = play_on(path, save, game)
            self.push_screen(DashboardScreen(game, hotseat=len(game.seats) > 1))

    def continue_latest(self) -> None:
        """Play on the newest unfinished game, if there is one."""
        from game.saves.store import latest_unfinished

        info = latest_unfinished()
        if info is None:
            self.show_message("There is no unfinished game to continue.", "Continue")
            return
        self.open_save(info.path)

    def show_replay(self, game: Game, path: Path) -> None:
        """Open the replay viewer on a loaded game, above the title screen."""
        from game.tui.screens.replay import ReplayScreen

        def branch(source: Game, turn: int) -> None:
            self.branch(source, turn, path.name)

        from game.tui.screens.saves import RecordsScreen, SavesScreen

        title = f"{game.scenario.meta.name} ({path.name})"
        if not isinstance(self.screen, (SavesScreen, RecordsScreen)):
            self._pop_to_title()  # from a list, Escape goes back to the list
        self.push_screen(ReplayScreen(game, title, on_branch=branch))

    def branch(self, game: Game, turn: int, save_name: str) -> None:
        """Take over `game` at the start of `turn` as a new game of the player's own."""
        from game.engine.game import Desync, GameError
        from game.saves.codec import branch_game
        from game.saves.errors import SaveError
        from game.tui.screens.dashboard import DashboardScreen

        try:
            new = branch_game(game, turn, save_name=save_name)
        except (Desync, GameError, SaveError) as e:
            self.show_message(f"The game cannot be taken over at turn {turn}: {e}.", "Branch")
            return
        self._pop_to_title()
        self.push_screen(DashboardScreen(new, hotseat=len(new.seats) > 1))
        self.notify(
            f"You play on from turn {turn}: a new game, saved apart from the one you watched.",
            title="Branch",
            markup=False,
        )

    def show_message(self, text: str, title: str = "") -> None:
        from game.tui.screens.message import MessageScreen

        self.push_screen(MessageScreen(text, title))

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
            question = "Quit AI Race? " + self._kept(self.current_game)
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

        self.push_screen(ConfirmScreen("Leave this game? " + self._kept(game)), answer)

    @staticmethod
    def _kept(game: Game) -> str:
        """What quitting now keeps of `game`, in a sentence."""
        from game.saves.store import has_autosave

        if has_autosave(game):
            return (
                "Your game is saved: Continue on the title screen plays on from this "
                "quarter (orders not yet given are not kept)."
            )
        return "Nothing has been played in this game yet, so there is nothing to save."

    def action_load_game(self) -> None:
        """The list of saved games to play on from (asking first if a game would be lost)."""
        self._open_list("load")

    def action_replays(self) -> None:
        """The list of games to watch (asking first if a game would be lost)."""
        self._open_list("replay")

    def _open_list(self, mode: str) -> None:
        from game.tui.screens.saves import SavesScreen

        def go() -> None:
            self._pop_to_title()
            self.push_screen(SavesScreen(mode))

        self._leave_game(go)

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

    def on_app_focus(self) -> None:
        """The terminal is back in front (from the editor, say): a watched scenario may
        have changed."""
        from game.tui.screens.dashboard import DashboardScreen

        if isinstance(self.screen, DashboardScreen):
            self.screen.check_scenario()

    def on_resize(self, event: Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size) -> None:
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        shown = isinstance(self.screen, TooSmallScreen)
        if small and not shown:
            self.push_screen(TooSmallScreen())
        elif not small and shown:
            self.pop_screen()
