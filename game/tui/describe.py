"""Scenarios, sides and difficulties in words, read from the scenario's data.

The wording without a terminal (side names, dates, victory) is in `game.describe`.

The scenario's own words go through `plain` (see `game.tui.plain`): they are data.
"""

from __future__ import annotations

from textual.content import Content

from game.describe import end_date, side_name, victory_line
from game.fmt import cash, one_line, plural
from game.scenario.loader import ScenarioInfo
from game.scenario.models import Date, Scenario
from game.tui.plain import plain


def _date(d: Date) -> str:
    return f"{d.year} Q{d.quarter}"


def scenario_content(info: ScenarioInfo, scenario: Scenario) -> Content:
    """A scenario's card: name, length, sides, how to win and its description."""
    sides = ", ".join(side_name(scenario, f) for f in info.playable) or "none"
    return Content("\n").join(
        [
            plain(scenario.meta.name, "bold"),
            Content.assemble(
                ("Length ", "bold"),
                f"{plural(scenario.turns, 'quarter')}, "
                f"{_date(scenario.start)} to {end_date(scenario)}",
            ),
            Content.assemble(("Sides ", "bold"), plain(sides)),
            Content.assemble(("To win ", "bold"), victory_line(scenario)),
            Content(""),
            plain(one_line(scenario.meta.description)),
        ]
    )


def side_content(scenario: Scenario, faction: str) -> Content:
    """What playing one side means: money, chips, power and the lab you start with."""
    spec = scenario.factions[faction]  # type: ignore[index]
    lab = spec.lab
    chips = []
    for chip in scenario.chips.values():
        offer = chip.supply.get(faction, 0)  # type: ignore[call-overload]
        if faction in chip.buyers and offer > 0:
            when = f", from {_date(chip.available_from)}" if chip.available_from else ""
            chips.append(f"{chip.name} (${chip.price:,.0f}{when})")
    power = []
    for src in scenario.power.values():
        lead = src.lead_quarters.get(faction, 0)  # type: ignore[call-overload]
        mwh = src.price_per_mwh.get(faction, 0.0)  # type: ignore[call-overload]
        power.append(f"{src.name}: {plural(lead, 'quarter')} to build, ${mwh:.0f}/MWh")
    gpus = ", ".join(
        f"{n:,} {scenario.chips[c].name}" for c, n in lab.gpus.items() if n and c in scenario.chips
    )
    money = f"{cash(lab.cash)} to start; {spec.backing_label} {lab.backing:.0f}/100"
    if spec.subsidy_share or spec.state_grant:
        money += (
            f"; at full backing the state repays {spec.subsidy_share:.0%} of GPU and power "
            f"spending and grants ${spec.state_grant:,.0f}M a quarter"
        )
    rows = [
        plain(f"{spec.name}: {lab.name}", "bold"),
        plain(one_line(spec.description)),
        Content.assemble(("Money ", "bold"), plain(money)),
        Content.assemble(("Chips ", "bold"), plain(", ".join(chips) or "none on sale")),
        Content.assemble(("Power ", "bold"), plain("; ".join(power))),
        Content.assemble(
            ("Start ", "bold"),
            plain(
                f"{gpus or 'no GPUs'}; {sum(lab.power_mw.values()):,} MW; "
                f"capability {lab.capability:g}"
            ),
        ),
    ]
    return Content("\n").join(rows)
