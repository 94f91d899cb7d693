"""The command palette (Ctrl+P): the game's actions by name, for the screen in front."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.message import Message
from textual.widgets import Button, Input, OptionList

Command = tuple[str, str, Callable[[], object]]


class AIRaceCommands(Provider):
    """End turn, charts and the report on the dashboard; help, menu and quit everywhere."""

    def _commands(self) -> list[Command]:
        from game.tui.app import AIRaceApp
        from game.tui.screens.dashboard import DashboardScreen

        app = self.app
        screen = self.screen
        found: list[Command] = []
        if isinstance(screen, DashboardScreen):
            found += [
                ("End turn", "Resolve the quarter with these orders (e)", screen.action_end_turn),
                ("Charts", "The race over time (c)", screen.action_charts),
                ("Turn report", "What changed last quarter, and why (r)", screen.action_report),
                (
                    "Advisor's plan",
                    "Fill the orders with the advisor's plan for this quarter (a)",
                    screen.action_advisor_plan,
                ),
                ("Save", "Save the game under a name (s)", screen.action_save),
            ]
        if isinstance(app, AIRaceApp):
            found += [
                ("Help", "Keys, a turn, the rules and the glossary (?)", app.action_help),
                ("New game", "Pick a scenario and a side", app.action_leave_for_new_game),
                ("Main menu", "Back to the title screen", app.action_leave_for_menu),
                ("Load game", "Play on from a saved game", app.action_load_game),
                ("Replays", "Watch a saved or finished game", app.action_replays),
                ("Light or dark theme", "Switch the game's colours", app.action_toggle_light),
                ("Quit", "Leave AI Race (q)", app.action_request_quit),
            ]
        return found

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, text=name, help=help_text)


class Palette(CommandPalette):
    """Textual's command palette, made safe against keys that come quicker than it updates.

    - Its list of hits fills in the background and is laid out on the next
      refresh; until then Textual's `OptionList` has no lines to page by, and
      Page Up or Down raised a KeyError.
    - A second Enter (or click) that reached it before it closed closed it
      again: Textual's `dismiss` pops whatever screen is on top, so the screen
      below went too, and the command ran twice.
    - A letter typed just before Escape started a search after it closed,
      which then looked for its list of hits among widgets already gone.
    """

    def _action_command_list(self, action: str) -> None:
        if action.startswith("page_") and not self.query_one(CommandList).scrollable_content_region:
            return
        super()._action_command_list(action)

    # Handlers of a subclass run before those of its base: this one can stop them.
    @on(Input.Changed)
    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _closed_already(self, event: Message) -> None:
        if self.app.screen is not self:
            event.prevent_default()
            event.stop()

    def dismiss(self, result: None = None) -> AwaitComplete:
        if self.app.screen is not self:
            return AwaitComplete()
        return super().dismiss(result)
