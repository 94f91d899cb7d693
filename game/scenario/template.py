"""The file `airace scenario new` writes: a scenario that extends another.

It validates and plays as written (one new event of its own), and shows in
comments how to change the rest, with blocks an author uncomments. The
blocks use the parent's own chips, power sources and numbers, so each one
is valid when uncommented (a test uncomments them all).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from game.scenario.find import shipped_ids
from game.scenario.models import Faction, Scenario, is_id


@dataclass(frozen=True)
class Example:
    """A block of the template an author may uncomment: what it does, and its YAML."""

    about: str
    yaml: str


def new_id(name: str) -> str | None:
    """The id of a new scenario asked for by `name` ('chip-war-2.yaml': 'chip-war-2'), if
    it can be one."""
    scenario_id = name.removesuffix(".yaml").removesuffix(".yml")
    return scenario_id if is_id(scenario_id) else None


def extends_reference(parent: Path, parent_id: str, folder: Path) -> str:
    """What a new file in `folder` writes after `extends:` to build on the file `parent`."""
    shipped = shipped_ids().get(parent_id)
    if shipped is not None and shipped.resolve() == parent.resolve():
        return parent_id
    # A file of the author's: the path from the new file's folder, quoted as YAML
    # (JSON's quoting is YAML's) since a path may hold any character.
    try:
        where = Path(os.path.relpath(parent.absolute(), folder.absolute())).as_posix()
    except ValueError:  # another drive
        where = parent.absolute().as_posix()
    return json.dumps(where)


def title_of(scenario_id: str) -> str:
    """A readable name made from an id: 'chip-war-2' -> 'Chip war 2'."""
    words = scenario_id.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else scenario_id


def examples(parent: Scenario) -> list[Example]:
    """The commented blocks, each valid on top of `parent` once uncommented."""
    side: Faction = "us" if "us" in parent.factions else "china"
    return [block(parent, side) for block in _BLOCKS]


def _turns(parent: Scenario, side: Faction) -> Example:
    return Example(
        f"How many quarters a game lasts ({parent.meta.id}: {parent.turns}, from {parent.start}).",
        f"turns: {max(8, parent.turns - 4)}",
    )


def _chip(parent: Scenario, side: Faction) -> Example:
    on_sale = [(cid, c) for cid, c in parent.chips.items() if c.supply.get(side, 0) > 0]
    chip_id, chip = (on_sale or list(parent.chips.items()))[0]
    return Example(
        f"A chip: half as many {chip.name} GPUs on sale to the {side} side each quarter. "
        "One number stands for both sides (supply: 0).",
        f"chips:\n  {chip_id}:\n    supply: {{{side}: {chip.supply.get(side, 0) // 2}}}",
    )


def _power(parent: Scenario, side: Faction) -> Example:
    source_id, source = next(iter(parent.power.items()))
    lead = source.lead_quarters.get(side, 0)
    return Example(
        f"A power source: {source.name} comes online for the {side} side a quarter sooner "
        f"({parent.meta.id}: {lead}).",
        f"power:\n  {source_id}:\n    lead_quarters: {{{side}: {max(0, lead - 1)}}}",
    )


def _lab(parent: Scenario, side: Faction) -> Example:
    lab = parent.factions[side].lab
    return Example(
        f"A side's main lab: {lab.name} starts with a fifth less cash ({parent.meta.id}: "
        f"${lab.cash:,.0f}M). Any key of a lab can change, and rivals' too.",
        f"factions:\n  {side}:\n    lab:\n      cash: {round(lab.cash * 0.8)}",
    )


def _world(parent: Scenario, side: Faction) -> Example:
    growth = parent.world.demand_growth
    return Example(
        f"The world: demand for AI grows faster ({parent.meta.id}: {growth:g} a quarter).",
        f"world:\n  demand_growth: {min(2.0, round(growth * 1.5, 3)):g}",
    )


def _rules(parent: Scenario, side: Faction) -> Example:
    per_gw = parent.rules.concern.per_gw
    return Example(
        f"The rules' numbers: power drawn raises half the concern ({parent.meta.id}: "
        f"{per_gw:g} a GW).",
        f"rules:\n  concern:\n    per_gw: {per_gw / 2:g}",
    )


def _victory(parent: Scenario, side: Faction) -> Example:
    return Example(
        "How a game is won. This list replaces the inherited one whole: here the lab at the "
        "frontier when the last quarter ends wins.",
        "victory:\n  - kind: frontier_at_end",
    )


_BLOCKS = (_turns, _chip, _power, _lab, _world, _rules, _victory)


def _event_id(parent: Scenario) -> str:
    """An id for the template's event that no inherited event has."""
    taken = {e.id for e in parent.events}
    event_id, n = "bridge_loan", 1
    while event_id in taken:
        n += 1
        event_id = f"bridge_loan_{n}"
    return event_id


def _comment(text: str, width: int = 76) -> list[str]:
    """Prose as comment lines of at most `width` characters."""
    lines: list[str] = []
    line = "#"
    for word in text.split():
        if len(line) + 1 + len(word) > width and line != "#":
            lines.append(line)
            line = "#"
        line += " " + word
    return [*lines, line]


def new_scenario(
    scenario_id: str, parent: Scenario, extends: str, schema: str, file_name: str
) -> str:
    """The text of a new scenario `scenario_id` that extends `parent`.

    `extends` is what its `extends:` line says (an id, or a quoted path from
    the new file's folder), `schema` where its editor line finds the JSON
    Schema, and `file_name` the new file's name, for the commands in its
    comments.
    """
    name = title_of(scenario_id)
    parent_name = parent.meta.id
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# {name}: an AI Race scenario built on {parent_name}.",
        "#",
        "# It validates and plays as it is; change what you like, then, in this folder:",
        f"#   airace scenario validate {file_name}   every problem, as file:line:column",
        f"#   airace simulate --scenario {file_name} --games 200 --seed 1",
        f"#   airace play --scenario {file_name}",
        *_comment(
            "The first line lets an editor with the YAML language server (VS Code's YAML "
            "extension, for one) complete and check keys as you type. Beside the shipped "
            "scenarios, GUIDE.md is the authors' guide, with a tutorial, and REFERENCE.md "
            "lists every key."
        ),
        "",
        *_comment(
            f"Everything this file leaves out comes from {parent_name}: maps merge key by "
            "key, events by id, glossary entries by term, and victory is replaced whole."
        ),
        f"extends: {extends}",
        "",
        "# Never inherited: this scenario's own id and name.",
        "meta:",
        f"  id: {scenario_id}",
        f"  name: {name}",
        "  description: >-",
        "    One paragraph players read when they choose a scenario: where the race",
        "    starts, what makes it hard, and which sides can win.",
        "",
        "# To change more, remove the '# ' before a block.",
    ]
    for example in examples(parent):
        lines += ["", *_comment(example.about), *(f"# {line}" for line in example.yaml.split("\n"))]
    lines += [
        "",
        *_comment(
            f"Events: a new id adds an event, an id {parent_name} has replaces its event, and "
            "{id: <its id>, remove: true} drops one. REFERENCE.md lists every key."
        ),
        "events:",
        f"  - id: {_event_id(parent)}",
        "    title: A bridge loan",
        "    text: >-",
        "      An investor offers your lab a bridge loan on hard terms, if you want it.",
        "    who: player              # player, ai, all, world, us, china, or a lab id",
        '    when: "me.cash < 8000"   # an expression; leave it out to fire whenever',
        '    earliest: 2              # a turn, or a date such as "2025 Q3"',
        "    chance: 0.5              # each quarter, once `when` holds",
        "    once: true               # at most once a game for each lab",
        "    choices:",
        "      - label: Take the loan",
        '        preview: "+$2,000M now; backing -5."',
        "        effects:",
        "          - add: {me.cash: 2000, me.backing: -5}",
        "      - label: Decline",
        '        preview: "Nothing changes."',
    ]
    return "\n".join(lines) + "\n"
