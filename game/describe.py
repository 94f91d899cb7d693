"""A scenario in words, for its author (`airace scenario describe`) and the game's screens.

Nothing here knows a terminal. The scenario's own words are data: each
reaches the text through `one_line`, which takes out control characters.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from game.fmt import cash, one_line, plural
from game.scenario.models import FACTIONS, Date, Event, FactionSpec, Lab, Scenario, who_words
from game.scenario.placeholders import for_authors

SIDE_NAMES = {"us": "United States", "china": "China"}
INDENT = "  "
WIDTH = 88  # the description is wrapped to this


def side_name(scenario: Scenario, faction: str) -> str:
    """A side's name as the scenario writes it ('United States'), or the game's own."""
    spec = scenario.factions.get(faction)  # type: ignore[call-overload]
    return spec.name if spec is not None else SIDE_NAMES.get(faction, faction)


def turn_date(scenario: Scenario, turn: int) -> str:
    """The quarter of turn `turn` (1: the first quarter played)."""
    q = scenario.start.quarter - 1 + turn - 1
    return f"{scenario.start.year + q // 4} Q{q % 4 + 1}"


def end_date(scenario: Scenario) -> str:
    return turn_date(scenario, scenario.turns)


def victory_line(scenario: Scenario) -> str:
    parts = []
    for v in scenario.victory:
        if v.kind == "turning_point":
            parts.append(f"first to capability {v.threshold:g} wins")
        elif v.kind == "frontier_at_end":
            parts.append(f"{'else ' if parts else ''}the frontier at the end wins")
        elif v.kind == "condition":
            if v.text.strip():
                parts.append(f"the first lab that {one_line(v.text).strip().rstrip('.')} wins")
            else:
                parts.append(f"the first lab for which {one_line(v.when)} wins")
        else:
            parts.append("best score at the end wins (capability, share, cheap tokens, emissions)")
    return _capital("; ".join(parts)) + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(scenario: Scenario) -> str:
    """The whole scenario as plain text: what it is, who plays, what they have, what happens."""
    sections = [
        _heading(scenario),
        _sides(scenario),
        _rivals(scenario),
        _chips(scenario),
        _power(scenario),
        _events(scenario),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


def _heading(scenario: Scenario) -> list[str]:
    meta = scenario.meta
    lines = [f"{one_line(meta.name)} ({meta.id})"]
    if scenario.extends:
        lines.append(f"Extends: {one_line(scenario.extends)}")
    if meta.author:
        lines.append(f"Author: {one_line(meta.author)}")
    lines += [
        f"Length: {plural(scenario.turns, 'quarter')}, {scenario.start} to {end_date(scenario)}",
        f"To win: {victory_line(scenario)}",
    ]
    if scenario.difficulties:
        names = ", ".join(one_line(d.name) for d in scenario.difficulties.values())
        lines.append(f"Difficulties: {names}")
    if meta.description:
        lines += ["", *textwrap.wrap(one_line(meta.description), WIDTH)]
    return lines


def _sides(scenario: Scenario) -> list[str]:
    lines = ["Sides"]
    for faction in FACTIONS:
        spec = scenario.factions.get(faction)  # type: ignore[call-overload]
        if spec is not None:
            lines += _side(scenario, faction, spec)
    return lines


def _side(scenario: Scenario, faction: str, spec: FactionSpec) -> list[str]:
    played = "playable" if spec.playable else "computers only"
    lab = spec.lab
    lines = [
        f"{INDENT}{one_line(spec.name)} ({faction}, {played}): "
        f"{one_line(lab.name)} ({spec.lab_id}), policy {lab.policy}",
        f"{INDENT * 2}{_figures(scenario, lab)}",
        f"{INDENT * 2}{_capital(one_line(spec.backing_label))} {lab.backing:g}/100, "
        f"concern {lab.concern:g}/100",
    ]
    if spec.subsidy_share or spec.state_grant:
        lines.append(
            f"{INDENT * 2}At full backing the state repays {spec.subsidy_share:.0%} of GPU and "
            f"power spending and grants ${spec.state_grant:,.0f}M a quarter"
        )
    return lines


def _figures(scenario: Scenario, lab: Lab) -> str:
    """A lab's starting money, chips, power and capability on one line."""
    gpus = ", ".join(
        f"{n:,} {one_line(scenario.chips[c].name) if c in scenario.chips else c}"
        for c, n in lab.gpus.items()
        if n
    )
    return (
        f"{cash(lab.cash)}; {gpus or 'no GPUs'}; {sum(lab.power_mw.values()):,} MW; "
        f"capability {lab.capability:g}; efficiency {lab.efficiency:g}"
    )


def _rivals(scenario: Scenario) -> list[str]:
    lines = ["Rivals"]
    for lab_id, lab in scenario.rivals.items():
        side = side_name(scenario, lab.faction) if lab.faction else "no side"
        lines += [
            f"{INDENT}{one_line(lab.name)} ({lab_id}): {one_line(side)}, policy {lab.policy}",
            f"{INDENT * 2}{_figures(scenario, lab)}",
        ]
    if not scenario.rivals:
        lines.append(f"{INDENT}none")
    return lines


def _chips(scenario: Scenario) -> list[str]:
    lines = ["Chips"]
    for chip_id, chip in scenario.chips.items():
        when = f"from {chip.available_from}" if chip.available_from else "from the start"
        buyers = _sides_named(scenario, chip.buyers) or "no one"
        supply = _per_side(scenario, chip.supply, lambda n: f"{n:,}")
        lines += [
            f"{INDENT}{one_line(chip.name)} ({chip_id}): {chip.class_}, {when}, "
            f"${chip.price:,.0f} a GPU",
            f"{INDENT * 2}Buyers at the start: {buyers}; supply a quarter: {supply}",
        ]
    return lines


def _power(scenario: Scenario) -> list[str]:
    lines = ["Power"]
    for src_id, src in scenario.power.items():
        lead = _per_side(scenario, src.lead_quarters, lambda n: plural(n, "quarter"))
        price = _per_side(scenario, src.price_per_mwh, lambda p: f"${p:,.0f}/MWh")
        most = ""
        if src.max_mw_per_quarter is not None:
            most = "; at most " + _per_side(scenario, src.max_mw_per_quarter, lambda n: f"{n:,} MW")
            most += " a quarter"
        lines += [
            f"{INDENT}{one_line(src.name)} ({src_id}): ${src.capex_per_mw:,.0f}M a MW to build",
            f"{INDENT * 2}Lead time {lead}; price {price}{most}",
        ]
    return lines


def _events(scenario: Scenario) -> list[str]:
    events = [ev for ev in scenario.events if not ev.remove]
    lines = [f"Events ({len(events)}, in file order)"]
    for ev in events:
        lines += _event(scenario, ev)
    if not events:
        lines.append(f"{INDENT}none")
    return lines


def _event(scenario: Scenario, ev: Event) -> list[str]:
    hit = " or ".join(_who(scenario, w) for w in who_words(ev.who))
    facts = [_window(scenario, ev), f"hits {hit}"]
    if ev.at == "random":  # due once, at a quarter drawn when the window opens
        window = _window(scenario, ev, "between", "and")
        facts[0] = (
            f"once, at a random quarter {window}" if "and" in window else f"once, in {window}"
        )
    if isinstance(ev.chance, str):
        facts.append(f"chance {one_line(ev.chance)}" + ("" if ev.chained else " a quarter"))
    elif ev.chance < 1:
        facts.append(f"chance {ev.chance:.0%}" + ("" if ev.chained else " a quarter"))
    if ev.once and ev.at != "random":
        facts.append("once")
    if ev.rare:
        facts.append("rare")
    lines = [f"{INDENT}{ev.id}: {_said(ev.title)}", f"{INDENT * 2}{', '.join(facts)}"]
    if isinstance(ev.when, str):
        lines.append(f"{INDENT * 2}When: {one_line(ev.when)}")
    elif ev.when is False:
        lines.append(f"{INDENT * 2}When: never (when: false)")
    for n, choice in enumerate(ev.choices, 1):
        lines.append(f"{INDENT * 2}Choice {n}: {_said(choice.label)}")
    for side, choices in ev.choices_for.items():
        name = one_line(side_name(scenario, str(side)))
        for n, choice in enumerate(choices, 1):
            lines.append(f"{INDENT * 2}{name} choice {n}: {_said(choice.label)}")
    then = ", ".join(
        t.event + (f" after {plural(t.delay, 'quarter')}" if t.delay else "") for t in ev.then
    )
    if then:
        lines.append(f"{INDENT * 2}Then: {then}")
    return lines


def _said(text: str) -> str:
    """Event text as one line, its placeholders shown as `<lab>`, `<side>`."""
    return one_line(for_authors(text))


def _window(scenario: Scenario, ev: Event, start: str = "", to: str = "to") -> str:
    """When an event may fire: 'chained', 'any quarter', '2025 Q2 to 2025 Q4'..."""
    if ev.chained:
        return "chained"
    first = _quarter(scenario, ev.earliest)
    last = _quarter(scenario, ev.latest)
    if first and last:
        return first if first == last else f"{start} {first} {to} {last}".lstrip()
    if first:
        return f"from {first}"
    if last:
        return f"until {last}"
    return "any quarter"


def _quarter(scenario: Scenario, when: int | Date | None) -> str:
    if when is None:
        return ""
    if isinstance(when, Date):
        return str(when)
    return turn_date(scenario, when)


def _who(scenario: Scenario, who: str) -> str:
    """An event's `who` in words: 'the player's lab', 'every China lab', a lab's name."""
    if who == "player":
        return "the player's lab"
    if who == "ai":
        return "every computer-played lab"
    if who == "all":
        return "every lab"
    if who == "world":
        return "the world"
    if who in FACTIONS:
        return f"every {one_line(side_name(scenario, who))} lab"
    for spec in scenario.factions.values():
        if spec.lab_id == who:
            return f"{one_line(spec.lab.name)} ({who})"
    rival = scenario.rivals.get(who)
    return f"{one_line(rival.name)} ({who})" if rival is not None else one_line(who)


def _sides_named(scenario: Scenario, factions: Iterable[str]) -> str:
    return ", ".join(one_line(side_name(scenario, f)) for f in factions)


def _per_side(scenario: Scenario, values: Mapping[Any, Any], show: Callable[[Any], str]) -> str:
    """A per-side figure: one value when every side has the same, else each side's."""
    shown = {f: show(v) for f, v in values.items()}
    if len(set(shown.values())) == 1 and len(shown) == len(FACTIONS):
        return next(iter(shown.values()))
    return ", ".join(f"{one_line(side_name(scenario, f))} {s}" for f, s in shown.items())
