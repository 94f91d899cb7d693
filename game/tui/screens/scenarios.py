"""Browse the shipped scenarios and their descriptions; Enter plays the one shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.widgets.option_list import Option

from game.scenario.loader import ScenarioInfo
from game.tui.describe import scenario_content, side_content
from game.tui.plain import plain
from game.tui.widgets.choices import Choices


class ScenariosScreen(Screen[None]):
    CSS_PATH = "scenarios.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("p", "play", "Play this one"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Scenarios", id="sc-title")
        with Horizontal(id="sc-body"):
            yield Choices(*(Option(plain(i.name), id=i.id) for i in self.infos), id="sc-list")
            with VerticalScroll(id="sc-detail"):
                yield Static(id="sc-about")
                yield Static(id="sc-sides")
        yield Static("Enter or p: play the scenario shown.  Escape: back.", id="sc-hint")
        yield Footer()

    @property
    def infos(self) -> list[ScenarioInfo]:
        return self.app.catalog()  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.query_one("#sc-list").border_title = "Shipped scenarios"
        self.query_one("#sc-list", Choices).focus()
        if self.infos:
            self.query_one("#sc-list", Choices).highlighted = 0
            self._show(0)
        else:
            self.query_one("#sc-about", Static).update("No scenario could be loaded.")

    def on_option_list_option_highlighted(self, event: Choices.OptionHighlighted) -> None:
        self._show(event.option_index)

    def on_option_list_option_selected(self, event: Choices.OptionSelected) -> None:
        event.stop()
        self.action_play()

    def _show(self, index: int) -> None:
        info = self.infos[index]
        scenario = self.app.scenario(info)  # type: ignore[attr-defined]
        self.query_one("#sc-about", Static).update(scenario_content(info, scenario))
        sides = [side_content(scenario, f) for f in info.playable]
        self.query_one("#sc-sides", Static).update(Content("\n\n").join(sides))

    def action_play(self) -> None:
        index = self.query_one("#sc-list", Choices).highlighted
        if index is None or not self.infos:
            return
        from game.tui.screens.new_game import NewGameScreen

        self.app.switch_screen(NewGameScreen(self.infos[index].id))
