"""Lint rules about flags.

W103 an expression reads a flag nothing sets (a misspelling, the wrong scope,
or only events that never fire set it), W104 the flag of a choice that does
not exist, W107 a flag set and never read, W113 a lab flag in a world event.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from game.scenario.lint.facts import WORLD, Facts, FlagRead, listed, plural, quoted, truth
from game.scenario.lint.finding import Finding
from game.scenario.lint.reach import GAME_FLAGS, Reach, flags_set

_CHOICE_FLAG = re.compile(r"(.+)_(\d{1,6})")


# Suggesting a spelling compares a name with every flag: for a file with
# hundreds of misspelt flags, only the first ones get a suggestion.
SUGGESTIONS = 50


class _Setters:
    """Who sets each flag on whom, counting every event (those that never fire too)."""

    def __init__(self, facts: Facts) -> None:
        self.by_key: dict[tuple[str, str], list[str]] = {}
        self.holders: dict[str, set[str]] = {}
        for i, event in facts.events:
            for holder, name in flags_set(facts, i, event):
                self.by_key.setdefault((holder, name), []).append(event.id)
                self.holders.setdefault(name, set()).add(holder)
        self.world_names = sorted(n for n, hs in self.holders.items() if WORLD in hs)
        self.lab_names = sorted(
            {n for n, hs in self.holders.items() if hs - {WORLD}} | set(GAME_FLAGS)
        )
        self.suggestions_left = SUGGESTIONS


def check(facts: Facts, reach: Reach) -> Iterator[Finding]:
    """Every finding of the flag rules."""
    setters = _Setters(facts)
    for read in facts.reads:
        if read.holders and reach.never(read):
            yield _never_set(facts, reach, setters, read)
    yield from _unread(facts)
    yield from _lab_flags_in_world_events(facts)


def _never_set(facts: Facts, reach: Reach, setters: _Setters, read: FlagRead) -> Finding:
    """W103 or W104 for a flag read that no game ever sets."""
    event = facts.sc.events[read.event]
    head = f"event {quoted(event.id)}: {quoted(read.text)}"
    if read.in_when and truth(facts.whens[read.event], reach.never) is False:
        tail = ", so this event never fires"
    else:
        tail = ", so it is always false there"
    no_choice = _no_such_choice(facts, read.name)
    if no_choice:
        message = f"{head} names {no_choice}{tail}"
        return Finding("W104", read.loc, message, read.event, False, read.offset)
    message = f"{head} is never set{_why_unset(setters, read)}{tail}"
    return Finding("W103", read.loc, message, read.event, False, read.offset)


def _no_such_choice(facts: Facts, name: str) -> str:
    """Which missing choice `<event>_<n>` names, or '' if it names one (or no event)."""
    m = _CHOICE_FLAG.fullmatch(name)
    if m is None or m.group(1) not in facts.by_id:
        return ""
    eid, n = m.group(1), int(m.group(2))
    source = facts.by_id[eid][1]
    count = max([len(source.choices), *map(len, source.choices_for.values())])
    if source.who == "world" and not source.choices_for:
        return f"a choice of {quoted(eid)}, a world event, whose choices set no flags"
    if count == 0:
        return f"choice {n} of {quoted(eid)}, which has no choices"
    if not 1 <= n <= count:
        flags = f"{eid}_1" if count == 1 else f"{eid}_1 to {eid}_{count}"
        return f"choice {n} of {quoted(eid)}, which has {plural(count, 'choice')} ({flags})"
    return ""


def _why_unset(setters: _Setters, read: FlagRead) -> str:
    """What an author most likely meant, as a clause: a dead setter, a scope, a spelling."""
    name = read.name
    here = sorted({eid for h in read.holders for eid in setters.by_key.get((h, name), [])})
    if here:
        verb = "never fires" if len(here) == 1 else "never fire"
        return f": only {listed(here)} set{'s' * (len(here) == 1)} it, and {verb}"
    on_labs = sorted(setters.holders.get(name, set()) - {WORLD})
    if read.world and on_labs:
        return f": it is a lab's flag, not the world's (read it as {quoted('me.flags.' + name)})"
    if not read.world and (WORLD, name) in setters.by_key:
        return f": it is a world flag, not a lab's (read it as {quoted('flags.' + name)})"
    if on_labs:
        which = "that lab" if len(read.holders) == 1 else "those labs"
        return f" on {which}: only {listed(on_labs)} get it"
    if setters.suggestions_left <= 0:
        return ""
    setters.suggestions_left -= 1
    known = setters.world_names if read.world else setters.lab_names
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        prefix = read.text[: len(read.text) - len(name)]
        return f" (did you mean {quoted(prefix + close[0])}?)"
    return ""


def _unread(facts: Facts) -> Iterator[Finding]:
    """W107: a `flag` or `lab_flag` effect whose flag no expression reads."""
    world_reads = {r.name for r in facts.all_reads() if r.world}
    lab_reads = {r.name for r in facts.all_reads() if not r.world}
    for flag in facts.sets:
        name = flag.name
        if name in (world_reads if flag.world else lab_reads):
            continue
        event = facts.sc.events[flag.event]
        kind = "flag" if flag.world else "lab_flag"
        head = f"event {quoted(event.id)}: {kind} {quoted(name)} is set here, but no expression"
        if not name.isidentifier():
            why = " can read it: a flag an expression reads is one word (letters, digits and _)"
        elif flag.world:
            why = f" reads {quoted('flags.' + name)}"
            if name in lab_reads:
                why += (
                    f"; expressions read the lab flag {quoted('me.flags.' + name)}, set by lab_flag"
                )
        else:
            why = f" reads it ({quoted('me.flags.' + name)})"
            if name in world_reads:
                why += f"; expressions read the world flag {quoted('flags.' + name)}, set by flag"
        yield Finding("W107", flag.loc, head + why, flag.event)


def _lab_flags_in_world_events(facts: Facts) -> Iterator[Finding]:
    """W113: `lab_flag` and `clear_lab_flag` do nothing in a world event."""
    for i, event in facts.events:
        if event.who != "world":
            continue
        for at, effect in facts.effects(i, event):
            for key in ("lab_flag", "clear_lab_flag"):
                if getattr(effect, key) is not None:
                    does = "sets" if key == "lab_flag" else "clears"
                    yield Finding(
                        "W113",
                        (*at, key),
                        f"event {quoted(event.id)}: {key} {does} nothing in a world event, "
                        "which happens to no lab (flag and clear_flag are the world's)",
                        i,
                        True,
                    )
