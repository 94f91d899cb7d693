"""The turn report tells what each event that hit the player's lab changed, figure by
figure: the before-and-after table alone cannot, as it starts after the quarter's events."""

from __future__ import annotations

import re
from pathlib import Path

from game.engine.game import Game
from game.engine.happenings import Changed
from game.engine.rulebook import Rulebook
from game.scenario.loader import load_scenario
from game.tui.report import report_lines
from game.tui.screens.event import EventScreen
from game.tui.screens.report import ReportScreen
from tests.tui.helpers import SIZE, app_for

# A heat wave cuts the player's grid power at the start of turn 2, and a bill asks for a
# choice at the start of turn 3 that costs $500M.
HOT = """\
extends: base
meta: {id: hot, name: Hot}
events:
  - id: heat_wave
    title: Heat wave
    who: player
    earliest: 2
    latest: 2
    effects: [{add: {me.power.grid: -64}}]
  - id: the_bill
    title: The bill
    who: player
    earliest: 3
    latest: 3
    choices:
      - label: Pay it
        effects: [{add: {me.cash: -500}}]
      - label: Refuse
"""


def hot_game(tmp_path: Path) -> Game:
    path = tmp_path / "hot.yaml"
    path.write_text(HOT, encoding="utf-8")
    return Game(Rulebook(load_scenario(path)), "us", 1, difficulty="normal")


def test_the_engine_says_what_an_event_and_a_choice_changed(tmp_path: Path) -> None:
    game = hot_game(tmp_path)
    for event_id, _ in game.pending:
        game.choose(event_id, 0)
    out = game.end_turn()
    [wave] = [h for h in out if isinstance(h, Changed) and h.event == "heat_wave"]
    assert (wave.turn, wave.lab, wave.label) == (2, game.player.id, None)
    [(name, before, after)] = wave.changes
    assert (name, before - after) == ("Power (MW)", 64)
    game.end_turn()
    cash = game.player.cash
    changes = game.choose("the_bill", 0)
    [bill] = [h for h in changes if isinstance(h, Changed)]
    assert bill.label == "Pay it"
    assert bill.changes == (("Cash", cash, cash - 500),)


async def test_the_report_lists_each_event_on_the_players_lab(tmp_path: Path) -> None:
    game = hot_game(tmp_path)
    app = app_for(game)
    reports: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while len(reports) < 3:
            screen = app.screen
            if isinstance(screen, EventScreen):
                await pilot.press("1")
            elif isinstance(screen, ReportScreen):
                lines = report_lines(screen.game, screen.report)
                reports.append("\n".join(line.plain for line in lines))
                await pilot.press("enter")
            else:
                await pilot.press("e")
            await pilot.pause()
    first, second, third = reports
    # The heat wave hit as 2025 Q2 opened, after the first quarter's orders ran.
    assert "Events on your lab" in first
    assert "! Heat wave (at the start of 2025 Q2):" in first
    assert re.search(r"\n  Power \(MW\) +[\d,]+ -> [\d,]+ +▼ -64\n", first), first
    # The second quarter's report starts after the heat wave: it says what the wave did.
    assert "! Heat wave (at the start of this quarter):" in second
    assert "The bill" not in second.split("News for")[0]
    # The bill came as the third quarter opened; the player paid it before giving orders.
    assert "! The bill, you chose 'Pay it' (at the start of this quarter):" in third
    assert "▼ -500M" in third
