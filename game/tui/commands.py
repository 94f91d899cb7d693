"""The command palette (Ctrl+P): the game's actions by name, for the screen in front."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
            ]
        if isinstance(app, AIRaceApp):
            found += [
                ("Help", "Keys, a turn, the rules and the glossary (?)", app.action_help),
                ("New game", "Pick a scenario and a side", app.action_leave_for_new_game),
                ("Main menu", "Back to the title screen", app.action_leave_for_menu),
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
