"""New game: pick a scenario, a side, a difficulty and (if you like) a seed.

The side list ends with "Two players (one terminal)" when both sides are
playable: a hot-seat game, each side's main lab played by a person.

Enter moves on from each list to the next, and the keys 1, 2 and 3 go to the
list of that number; Enter in the seed box (or the Start button, or `ctrl+s`)
starts the game. `o` (or the button under the scenarios) opens a scenario
file by its path: it joins the list, after the shipped ones.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static
from textual.widgets.option_list import Option

from game.scenario.loader import ScenarioInfo
from game.scenario.models import FACTIONS, Scenario
from game.tui.describe import scenario_content, side_content, side_name
from game.tui.plain import plain
from game.tui.widgets.choices import Choices
from game.tui.widgets.number import NumberInput

MAX_SEED = 2**31 - 1
HOTSEAT = "hotseat"  # the side list's last option: both sides, two people
# The numbered lists, as their titles show them.
LISTS = (("ng-scenario", "Scenario"), ("ng-side", "Side"), ("ng-difficulty", "Difficulty"))


class NewGameScreen(Screen[None]):
    CSS_PATH = "new_game.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "start", "Start", priority=True),
        # Not priority: in the seed box a digit is a digit.
        Binding("1", "go('ng-scenario')", "Scenario, side, difficulty", key_display="1-3"),
        Binding("2", "go('ng-side')", show=False),
        Binding("3", "go('ng-difficulty')", show=False),
        # Not priority either: the seed box takes digits only, but it is a text box.
        Binding("o", "open_file", "Open a file"),
    ]

    def __init__(self, scenario_id: str | None = None) -> None:
        super().__init__()
        self.wanted = scenario_id
        self.files: list[ScenarioInfo] = []  # scenario files opened by path, in the list too

    def compose(self) -> ComposeResult:
        yield Static("New game", id="ng-title")
        with Horizontal(id="ng-body"):
            with Vertical(id="ng-picks"):
                yield Choices(id="ng-scenario")
                yield Button("Open a file… (o)", id="ng-open", compact=True)
                yield Choices(id="ng-side")
                yield Choices(id="ng-difficulty")
                yield Static("Seed (optional)", id="ng-seed-label")
                yield NumberInput(placeholder="random", max_length=10, id="ng-seed")
                yield Button("Start (Enter)", id="ng-start", variant="primary", compact=True)
            with VerticalScroll(id="ng-details"):
                yield Static(id="ng-about")
                yield Static(id="ng-side-about")
                yield Static(id="ng-difficulty-about")
        yield Footer()

    @property
    def infos(self) -> list[ScenarioInfo]:
        """The scenarios in the list: the shipped ones, then the files opened."""
        return [*self.app.catalog(), *self.files]  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        titles = {f"#{list_id}": f"{n} {name}" for n, (list_id, name) in enumerate(LISTS, 1)}
        titles |= {
            "#ng-about": "The scenario",
            "#ng-side-about": "Your side: what differs",
            "#ng-difficulty-about": "Difficulty",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        scenarios = self.query_one("#ng-scenario", Choices)
        scenarios.add_options(Option(plain(i.name), id=i.id) for i in self.infos if i.playable)
        ids = [i.id for i in self.infos if i.playable]
        start = (
            ids.index(self.wanted)
            if self.wanted in ids
            else (ids.index("base") if "base" in ids else 0)
        )
        if ids:
            scenarios.highlighted = start
        scenarios.focus()

    # -- what is picked ------------------------------------------------------
    @property
    def info(self) -> ScenarioInfo | None:
        index = self.query_one("#ng-scenario", Choices).highlighted
        playable = [i for i in self.infos if i.playable]
        return None if index is None or not playable else playable[index]

    @property
    def scenario(self) -> Scenario | None:
        info = self.info
        return None if info is None else self.app.scenario(info)  # type: ignore[attr-defined]

    def _picked(self, list_id: str) -> str | None:
        options = self.query_one(list_id, Choices)
        index = options.highlighted
        return None if index is None else options.get_option_at_index(index).id

    # -- updating --------------------------------------------------------------
    def on_option_list_option_highlighted(self, event: Choices.OptionHighlighted) -> None:
        event.stop()
        which = event.option_list.id
        if which == "ng-scenario":
            self._scenario_changed()
        elif which == "ng-side":
            self._side_changed()
        elif which == "ng-difficulty":
            self._difficulty_changed()

    def on_option_list_option_selected(self, event: Choices.OptionSelected) -> None:
        event.stop()
        following = {"ng-scenario": "#ng-side", "ng-side": "#ng-difficulty"}
        nxt = following.get(event.option_list.id or "", "#ng-seed")
        self.query_one(nxt).focus()

    def _scenario_changed(self) -> None:
        info, scenario = self.info, self.scenario
        if info is None or scenario is None:
            return
        self.query_one("#ng-about", Static).update(scenario_content(info, scenario))
        sides = self.query_one("#ng-side", Choices)
        sides.clear_options()
        sides.add_options(Option(plain(side_name(scenario, f)), id=f) for f in info.playable)
        if len(info.playable) > 1:
            sides.add_option(Option("Two players (one terminal)", id=HOTSEAT))
        sides.highlighted = 0
        levels = self.query_one("#ng-difficulty", Choices)
        levels.clear_options()
        if scenario.difficulties:
            levels.add_options(
                Option(plain(d.name), id=k) for k, d in scenario.difficulties.items()
            )
            keys = list(scenario.difficulties)
            levels.highlighted = keys.index("normal") if "normal" in keys else 0
        else:
            levels.add_option(Option("Standard", id="-"))
            levels.highlighted = 0
        self._side_changed()
        self._difficulty_changed()

    def _side_changed(self) -> None:
        scenario = self.scenario
        side = self._picked("#ng-side")
        info = self.info
        if scenario is None or side is None or info is None:
            return
        about = self.query_one("#ng-side-about", Static)
        if side == HOTSEAT:
            about.update(hotseat_content(scenario, info.playable))
        else:
            about.update(side_content(scenario, side))

    def _difficulty_changed(self) -> None:
        scenario = self.scenario
        key = self._picked("#ng-difficulty")
        text = "This scenario has a single difficulty."
        if scenario is not None and key in scenario.difficulties:
            d = scenario.difficulties[key]
            text = f"{d.name}: {d.description or 'the scenario as written.'}"
        self.query_one("#ng-difficulty-about", Static).update(
            Content.assemble(
                plain(text),
                (
                    "\nLeave the seed blank for a new game each time; the same seed and",
                    "$text-muted",
                ),
                ("\nthe same choices always play out the same way.", "$text-muted"),
            )
        )

    def action_go(self, list_id: str) -> None:
        """Focus a numbered list (keys 1-3)."""
        self.query_one(f"#{list_id}", Choices).focus()

    # -- starting ----------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ng-open":
            self.action_open_file()
        else:
            self.action_start()

    # -- a file by its path ------------------------------------------------------
    def action_open_file(self) -> None:
        """Ask for a scenario file's path; a scenario that loads joins the list, picked."""
        from game.tui.screens.open_file import OpenFileScreen

        self.app.push_screen(OpenFileScreen(), self._opened)

    def _opened(self, opened: tuple[Path, Scenario] | None) -> None:
        if opened is None:
            return
        path, scenario = opened
        playable = tuple(
            f for f in FACTIONS if f in scenario.factions and scenario.factions[f].playable
        )
        info = ScenarioInfo(
            scenario.meta.id,
            scenario.meta.name,
            scenario.turns,
            scenario.meta.description,
            path,
            playable,
        )
        self.app.remember_scenario(info, scenario)  # type: ignore[attr-defined]
        label = plain(f"{scenario.meta.name} ({path.name})")
        scenarios = self.query_one("#ng-scenario", Choices)
        same = [k for k, i in enumerate(self.files) if _same_file(i.path, path)]
        if same:  # opened again, perhaps changed: it replaces itself in the list
            self.files[same[0]] = info
            index = len([i for i in self.infos if i.playable]) - len(self.files) + same[0]
            scenarios.replace_option_prompt_at_index(index, label)
        else:
            self.files.append(info)
            scenarios.add_option(Option(label))
            index = scenarios.option_count - 1
        scenarios.highlighted = index
        self._scenario_changed()  # the same index highlighted again sends no message
        self.query_one("#ng-side", Choices).focus()

    def action_start(self) -> None:
        scenario = self.scenario
        side = self._picked("#ng-side")
        if scenario is None or side is None:
            self.notify("Pick a scenario and a side first.", severity="warning")
            return
        text = self.query_one("#ng-seed", Input).value.strip()
        try:
            seed = int(text) if text else secrets.randbelow(MAX_SEED)
        except ValueError:
            self.notify("The seed must be a whole number.", severity="error")
            return
        if not 0 <= seed <= MAX_SEED:
            self.notify(f"The seed must be between 0 and {MAX_SEED:,}.", severity="error")
            return
        key = self._picked("#ng-difficulty")
        difficulty = key if key in scenario.difficulties else None
        sides = self.info.playable if side == HOTSEAT and self.info else ()
        self.app.start_game(  # type: ignore[attr-defined]
            scenario, sides[0] if sides else side, seed, difficulty, hotseat=sides
        )


def hotseat_content(scenario: Scenario, sides: tuple[str, ...]) -> Content:
    """What a hot-seat game is, with the scenario's own names for its sides and labs."""
    seats = [
        f"{side_name(scenario, f)} plays {scenario.factions[f].lab.name}"  # type: ignore[index]
        for f in sides
    ]
    return Content.assemble(
        ("Two players at one terminal. ", "bold"),
        plain("; ".join(seats) + "; every other lab is a computer rival."),
        plain(
            f"\nEach quarter {side_name(scenario, sides[0])} moves first, then the other side: "
            "a screen hides the board while you pass the keyboard, and each player sees "
            "only their own lab's orders, choices and report until the quarter is over."
        ),
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return a == b
