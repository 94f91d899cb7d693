"""What lint reads off a valid scenario: the labs each `who` names, event windows, the
effects of events and choices, and every flag an expression reads or an effect sets.

Everything here mirrors how the engine plays a scenario (game/engine/events.py):
lint must call an event dead only when the engine would never fire it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from game.scenario.models import FACTIONS, Condition, Effect, Event, Scenario
from game.scenario.yamlpos import cut

Loc = tuple[str | int, ...]

WORLD = "(world)"  # the holder of world flags, beside lab ids
NAME_WIDTH = 60  # an author's name is cut to this in messages


def quoted(name: str) -> str:
    """A name as a message quotes it: on one line, cut when long."""
    return f"'{cut(' '.join(name.split()), NAME_WIDTH)}'"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def listed(ids: list[str]) -> str:
    """Names quoted and listed: 'a', 'b' and 'c' (at most three, then how many more)."""
    shown = [quoted(x) for x in ids[:3]]
    if len(ids) > 3:
        shown.append(f"{len(ids) - 3} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


@dataclass(frozen=True, slots=True)
class FlagRead:
    """A flag an expression reads: `flags.x`, `me.flags.x`, `us.flags.x`, `rival.l.flags.x`."""

    event: int  # index in scenario.events
    loc: Loc  # the expression's place in the file
    offset: int  # characters into the expression where the name starts
    text: str  # the name as a message shows it, like 'me.flags.x'
    world: bool  # a world flag (`flags.x`) rather than a lab's
    holders: frozenset[str]  # the labs (or WORLD) whose flag it reads
    name: str
    in_when: bool  # read by the event's `when`, not by an effect value


@dataclass(frozen=True, slots=True)
class FlagSet:
    """A `flag:` or `lab_flag:` effect."""

    event: int
    loc: Loc  # the effect's value
    world: bool
    name: str


@dataclass(slots=True)
class Parsed:
    """An expression parsed for lint: its tree (None if unparsable) and its flag reads by node."""

    tree: ast.expr | bool | None
    reads: dict[int, FlagRead] = field(default_factory=dict)


class Facts:
    """A valid scenario as lint reads it."""

    def __init__(self, scenario: Scenario) -> None:
        self.sc = scenario
        self.turns = scenario.turns
        self.events: list[tuple[int, Event]] = [
            (i, e) for i, e in enumerate(scenario.events) if not e.remove
        ]
        self.by_id: dict[str, tuple[int, Event]] = {e.id: (i, e) for i, e in self.events}
        self.main: dict[str, str] = {str(f): spec.lab_id for f, spec in scenario.factions.items()}
        self.faction: dict[str, str] = {lab: f for f, lab in self.main.items()}
        self.faction.update({rid: str(lab.faction) for rid, lab in scenario.rivals.items()})
        self.labs: tuple[str, ...] = tuple(scenario.lab_ids())
        self._hyphenated = sorted((i for i in self._ids() if "-" in i), key=len, reverse=True)
        self.whens: dict[int, Parsed] = {}
        self.reads: list[FlagRead] = []
        self.sets: list[FlagSet] = []
        self._named: dict[str, frozenset[str]] = {}
        for i, e in self.events:
            self._read_event(i, e)
        self.sets_of: dict[int, list[FlagSet]] = {}  # by event
        for flag in self.sets:
            self.sets_of.setdefault(flag.event, []).append(flag)
        # A victory condition's when, by its index in victory: read apart, its
        # flags are not among `reads` (the flag rules are about events).
        self.victory_whens: dict[int, Parsed] = {
            k: self._parse(-1, ("victory", k, "when"), v.when, frozenset(self.labs), True, False)
            for k, v in enumerate(scenario.victory)
            if isinstance(v, Condition)
        }

    def all_reads(self) -> Iterator[FlagRead]:
        """Every flag read, by events and by victory conditions."""
        yield from self.reads
        for parsed in self.victory_whens.values():
            yield from parsed.reads.values()

    # --- labs and turns ----------------------------------------------------------

    def named(self, who: str | tuple[str, ...]) -> frozenset[str]:
        """The labs `who` (one word, or a list: any of them) may name in some game
        (empty for `world`).

        Any side's main lab may be the player's (the simulator seats a policy
        there); it is a computer's when there is another side to play.
        """
        if not isinstance(who, str):
            return frozenset().union(*(self.named(w) for w in who))
        if who not in self._named:
            self._named[who] = self._labs_named(who)
        return self._named[who]

    def _labs_named(self, who: str) -> frozenset[str]:
        if who == "world":
            return frozenset()
        if who == "all":
            return frozenset(self.labs)
        if who == "player":
            return frozenset(self.main.values())
        if who == "ai":
            mains = set(self.main.values()) if len(self.main) > 1 else set()
            return frozenset(
                lab for lab in self.labs if lab not in self.main.values() or lab in mains
            )
        if who in FACTIONS:
            return frozenset(lab for lab in self.labs if self.faction[lab] == who)
        return frozenset({who}) if who in self.faction else frozenset()

    def window(self, event: Event) -> tuple[int, int]:
        """The turns an event may trigger by itself in (first, last), as the rulebook reads them."""
        first = 1 if event.earliest is None else self.sc.turn_of(event.earliest)
        last = 10_000 if event.latest is None else self.sc.turn_of(event.latest)
        return first, last

    def turn_text(self, turn: int) -> str:
        """A turn as a message names it: 'turn 7, 2026 Q3'."""
        index = self.sc.start.index() + turn - 1
        year, quarter = divmod(index, 4)
        return f"turn {turn}, {year} Q{quarter + 1}" if 1 <= year <= 9999 else f"turn {turn}"

    # --- effects -----------------------------------------------------------------

    @staticmethod
    def effects(i: int, event: Event) -> Iterator[tuple[Loc, Effect]]:
        """Each effect of an event and of its choices, with where it is written."""
        for j, effect in enumerate(event.effects):
            yield ("events", i, "effects", j), effect
        for k, choice in enumerate(event.choices):
            for j, effect in enumerate(choice.effects):
                yield ("events", i, "choices", k, "effects", j), effect
        for side, choices in event.choices_for.items():
            for k, choice in enumerate(choices):
                for j, effect in enumerate(choice.effects):
                    yield ("events", i, "choices_for", side, k, "effects", j), effect

    @staticmethod
    def thens(i: int, event: Event) -> Iterator[tuple[Loc, str, int]]:
        """Each `then` of an event and of its choices: (where, next event, delay)."""
        for j, then in enumerate(event.then):
            yield ("events", i, "then", j, "event"), then.event, then.delay
        for k, choice in enumerate(event.choices):
            for j, then in enumerate(choice.then):
                yield ("events", i, "choices", k, "then", j, "event"), then.event, then.delay
        for side, choices in event.choices_for.items():
            for k, choice in enumerate(choices):
                for j, then in enumerate(choice.then):
                    at = ("events", i, "choices_for", side, k, "then", j, "event")
                    yield at, then.event, then.delay

    # --- expressions -------------------------------------------------------------

    def _ids(self) -> Iterator[str]:
        yield from self.labs
        yield from self.sc.chips
        yield from self.sc.power

    def _read_event(self, i: int, event: Event) -> None:
        holders = self.named(event.who)
        when = event.when
        if isinstance(when, str):
            self.whens[i] = self._parse(i, ("events", i, "when"), when, holders, True)
        else:
            self.whens[i] = Parsed(bool(when))
        if isinstance(event.chance, str):
            self._parse(i, ("events", i, "chance"), event.chance, holders, False)
        for at, effect in self.effects(i, event):
            for kind in ("add", "set", "multiply"):
                for target, value in (getattr(effect, kind) or {}).items():
                    if isinstance(value, str):
                        self._parse(i, (*at, kind, target), value, holders, False)
            if effect.flag is not None:
                self.sets.append(FlagSet(i, (*at, "flag"), True, effect.flag))
            if effect.lab_flag is not None and event.who != "world":
                self.sets.append(FlagSet(i, (*at, "lab_flag"), False, effect.lab_flag))

    def _parse(
        self, i: int, loc: Loc, text: str, me: frozenset[str], in_when: bool, keep: bool = True
    ) -> Parsed:
        """Find the flags an expression reads, with their columns in the author's text
        (kept in `reads` unless `keep` is false)."""
        # As the compiler does: one line, leading space counted, hyphenated ids renamed
        # to names of the same length so that columns stay true.
        flat = text.replace("\r", " ").replace("\n", " ")
        stripped = flat.lstrip()
        shift = len(flat) - len(stripped)
        renamed: dict[int, str] = {}
        if self._hyphenated:
            pattern = re.compile(
                r"(?<=\.)(" + "|".join(map(re.escape, self._hyphenated)) + r")(?![\w-])"
            )
            chars = list(stripped)
            for m in pattern.finditer(stripped):
                renamed[m.start()] = m.group(1)
                chars[m.start() : m.end()] = m.group(1).replace("-", "_")
            stripped = "".join(chars)
        try:
            tree = ast.parse(stripped, mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return Parsed(None)  # the loader compiled it, so this does not happen
        parsed = Parsed(tree)
        data = stripped.encode()
        ascii_only = stripped.isascii()

        def col(byte_col: int) -> int:
            if ascii_only:
                return byte_col
            return len(data[:byte_col].decode(errors="ignore"))

        for node in ast.walk(tree):
            read = self._flag_read(node, col, renamed, me)
            if read is None:
                continue
            scope, world, holders, name, start = read
            flag = FlagRead(i, loc, start + shift, f"{scope}.{name}", world, holders, name, in_when)
            parsed.reads[id(node)] = flag
            if keep:
                self.reads.append(flag)
        return parsed

    def _flag_read(
        self,
        node: ast.AST,
        col: Callable[[int], int],
        renamed: dict[int, str],
        me: frozenset[str],
    ) -> tuple[str, bool, frozenset[str], str, int] | None:
        """(scope as written, world?, holders, flag name, column) if `node` reads a flag."""
        if not isinstance(node, ast.Attribute):
            return None
        segs: list[tuple[str, int]] = []
        base: ast.expr = node
        while isinstance(base, ast.Attribute):
            end = col(base.end_col_offset or 0)
            segs.append((base.attr, end - len(base.attr)))
            base = base.value
        if not isinstance(base, ast.Name):
            return None
        start = col(base.col_offset)
        segs.append((base.id, start))
        names = [renamed.get(c, s) for s, c in reversed(segs)]
        if names[:1] == ["flags"] and len(names) == 2:
            return "flags", True, frozenset({WORLD}), names[1], start
        if len(names) == 3 and names[1] == "flags" and names[0] in ("me", *FACTIONS):
            root = names[0]
            if root == "me":
                holders = me
            else:
                holders = frozenset({self.main[root]}) if root in self.main else frozenset()
            return f"{root}.flags", False, holders, names[2], start
        if len(names) == 4 and names[0] == "rival" and names[2] == "flags":
            return f"rival.{names[1]}.flags", False, frozenset({names[1]}), names[3], start
        return None


def truth(parsed: Parsed, never: Callable[[FlagRead], bool]) -> bool | None:
    """Whether an expression is always true, always false, or either (None).

    Only what can be told without playing counts: a flag read that `never`
    holds is false, `and`, `or` and `not` combine what is known, and anything
    else may be either.
    """
    try:
        return _truth(parsed.tree, parsed, never)
    except RecursionError:  # `not not ... x` nested past the stack: not worth knowing
        return None


def _truth(
    node: ast.expr | bool | None, parsed: Parsed, never: Callable[[FlagRead], bool]
) -> bool | None:
    if isinstance(node, bool) or node is None:
        return node
    if id(node) in parsed.reads:
        return False if never(parsed.reads[id(node)]) else None
    if isinstance(node, ast.Name) and node.id in ("true", "false"):
        return node.id == "true"
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return bool(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _truth(node.operand, parsed, never)
        return None if inner is None else not inner
    if isinstance(node, ast.BoolOp):
        values = [_truth(v, parsed, never) for v in node.values]
        decides = isinstance(node.op, ast.Or)  # True decides an `or`, False an `and`
        if decides in values:
            return decides
        return None if None in values else not decides
    return None
