"""The semantic checks of a scenario: what the models cannot see on their own.

Chips and power sources the labs start with, the rivals a difficulty names,
lab ids that clash with each other or with a reserved word, duplicate event
ids, each event's `who`, its expressions and effect targets (compiled by
expr.py) and the events its `then` names; then, in a scenario with no other
problem, its `then` chains (chains.py). They are read from the located tree
itself, so they run even where validation failed, and each problem is placed
at its line and column.

It words no pydantic error (wording.py) and warns about nothing a valid
scenario may say (lint/, the W1xx warnings).
"""

from __future__ import annotations

import re
from typing import Any

from game.scenario.chains import E_CHAIN, check_chains
from game.scenario.errors import Problem
from game.scenario.expr import ExprContext, ExprError, compile_expr, compile_value, parse_target
from game.scenario.models import FACTIONS, Scenario
from game.scenario.placeholders import PLACEHOLDERS, misplaced, used
from game.scenario.wording import NAME_WIDTH, KeyPaths, suggest
from game.scenario.yamlpos import LList, LMap, Pos, cut, walk

WHO_WORDS: tuple[str, ...] = ("player", "ai", "all", "world", *FACTIONS)
# Words a lab id may not be: they already mean something in `who` or in expressions.
RESERVED_LAB_IDS: tuple[str, ...] = (*WHO_WORDS, "rival", "me")


def check(tree: Any, root: Pos, scenario: Scenario | None, found: list[Problem]) -> list[Problem]:
    """The semantic problems of a scenario, whether or not it validated.

    References, ids and expressions are read from the file itself, so they are
    checked even where the file has other problems (a misspelt name in an
    event whose chance is not a number is reported in the same run). Chains
    are followed only in a scenario that validated with no other problem:
    they need every reference known.
    """
    if not isinstance(tree, LMap):
        return []
    checker = _Checker(tree, root)
    problems = checker.run()
    if scenario is not None and not problems and not found:
        for problem in check_chains(scenario):
            checker.add(problem.loc, E_CHAIN, problem.message)
    return checker.problems


def _items(value: Any) -> list[tuple[int, LMap]]:
    """The mappings in a list read from the file, by index (anything else is skipped)."""
    return (
        [(i, v) for i, v in enumerate(value) if isinstance(v, LMap)]
        if isinstance(value, LList)
        else []
    )


def _submaps(value: Any) -> list[tuple[str, LMap]]:
    """The mappings in a mapping read from the file, by key (anything else is skipped)."""
    return (
        [(k, v) for k, v in value.items() if isinstance(v, LMap)] if isinstance(value, LMap) else []
    )


def _text(node: Any, key: str) -> str | None:
    value = node.get(key) if isinstance(node, LMap) else None
    return value if isinstance(value, str) else None


class _Checker:
    """References, ids and expressions, read from a (merged) located tree.

    Only what is text where text belongs is checked here; a value of the wrong
    type is validation's to report.
    """

    def __init__(self, tree: LMap, root: Pos) -> None:
        self.tree = tree
        self.root = root
        self.names = KeyPaths(tree)
        self.problems: list[Problem] = []
        factions = tree.get("factions")
        sides = [f for f in FACTIONS if isinstance(factions, LMap) and f in factions]
        # A file without a readable side may have either: allow both.
        self.sides = tuple(sides) or FACTIONS
        self.chips = self.keys("chips")
        self.groups = self.keys("chip_groups")
        self.powers = self.keys("power")
        self.main_labs = [(f, _text(spec, "lab_id")) for f, spec in _submaps(factions)]
        lab_ids = [lab for f in FACTIONS for g, lab in self.main_labs if g == f and lab]
        self.labs = lab_ids + self.keys("rivals")
        # Every id written, so a `then` that names an event with problems of its
        # own is not reported as unknown as well.
        self.event_ids = [eid for _, e in _items(tree.get("events")) if (eid := _text(e, "id"))]

    def keys(self, name: str) -> list[str]:
        value = self.tree.get(name)
        return list(value) if isinstance(value, LMap) else []

    def run(self) -> list[Problem]:
        """Every semantic problem, in the order the checks meet them."""
        self.check_chip_groups()
        self.check_labs()
        self.check_difficulties()
        self.check_events()
        self.check_victory()
        return self.problems

    def add(
        self, loc: tuple[str | int, ...], code: str, message: str, *, at_key: bool = False
    ) -> None:
        pos, _ = walk(self.tree, loc, at_key=at_key, root=self.root)
        where = loc[:-1] if at_key else loc
        self.problems.append(
            Problem(pos.path, pos.line, pos.col, code, f"{self.names.prefix(where)}{message}")
        )

    def ref(
        self,
        loc: tuple[str | int, ...],
        value: str,
        known: list[str],
        what: str,
        *,
        at_key: bool = False,
    ) -> None:
        """Report `value` unless it is one of `known`."""
        if value not in known:
            self.add(
                loc,
                "E110",
                f"unknown {what} '{cut(value, NAME_WIDTH)}'{suggest(value, known)}",
                at_key=at_key,
            )

    def check_chip_groups(self) -> None:
        """Each group names known chips, and is not named like a chip."""
        for gid, chips in _pairs(self.tree.get("chip_groups")):
            if gid in self.chips:
                message = (
                    f"chip group '{gid}' has the id of a chip: an effect could not tell them apart"
                )
                self.add(("chip_groups", gid), "E114", message, at_key=True)
            if isinstance(chips, LList):
                for k, chip in enumerate(chips):
                    if isinstance(chip, str):
                        self.ref(("chip_groups", gid, k), chip, self.chips, "chip")

    def check_labs(self) -> None:
        """Chips and power sources the labs start with; lab ids that clash."""
        labs: list[tuple[tuple[str | int, ...], LMap]] = [
            (("factions", f, "lab"), lab)
            for f, spec in _submaps(self.tree.get("factions"))
            if isinstance(lab := spec.get("lab"), LMap)
        ]
        labs += [(("rivals", rid), lab) for rid, lab in _submaps(self.tree.get("rivals"))]
        for at, lab in labs:
            for chip, _ in _pairs(lab.get("gpus")):
                self.ref((*at, "gpus", chip), chip, self.chips, "chip", at_key=True)
            for source, _ in _pairs(lab.get("power_mw")):
                self.ref(
                    (*at, "power_mw", source), source, self.powers, "power source", at_key=True
                )
        for rid in self.keys("rivals"):
            if rid in RESERVED_LAB_IDS:
                message = f"'{rid}' cannot be a lab id: it is a reserved word"
                self.add(("rivals", rid), "E112", message, at_key=True)
        self.check_faction_lab_ids()

    def check_faction_lab_ids(self) -> None:
        seen: dict[str, str] = {}
        rivals = self.keys("rivals")
        for f, lab_id in self.main_labs:
            if lab_id is None:
                continue
            loc: tuple[str | int, ...] = ("factions", f, "lab_id")
            if lab_id in RESERVED_LAB_IDS:
                self.add(loc, "E112", f"'{lab_id}' cannot be a lab id: it is a reserved word")
            elif lab_id in rivals:
                self.add(loc, "E112", f"lab id '{lab_id}' is also a rival's id")
            elif lab_id in seen:
                self.add(loc, "E112", f"lab id '{lab_id}' is also the {seen[lab_id]} lab's id")
            seen[lab_id] = f

    def check_difficulties(self) -> None:
        # A side's own lab is a computer rival when the other side is played.
        rivals = [*self.keys("rivals"), *(lab for _, lab in self.main_labs if lab)]
        for did, difficulty in _submaps(self.tree.get("difficulties")):
            for rid, _ in _pairs(difficulty.get("rival_policies")):
                loc = ("difficulties", did, "rival_policies", rid)
                self.ref(loc, rid, rivals, "rival", at_key=True)
            for side, policies in _submaps(difficulty.get("rival_policies_against")):
                for rid, _ in _pairs(policies):
                    here = ("difficulties", did, "rival_policies_against", side, rid)
                    self.ref(here, rid, rivals, "rival", at_key=True)

    def check_victory(self) -> None:
        """The expressions of victory conditions (`kind: condition`), about a lab: `me`."""
        ctx = ExprContext(tuple(self.labs), tuple(self.chips), tuple(self.powers), True, self.sides)
        for k, v in _items(self.tree.get("victory")):
            when = _text(v, "when")
            if v.get("kind") == "condition" and when is not None:
                self.expr(("victory", k, "when"), when, ctx)

    def check_events(self) -> None:
        """Ids, `who`, expressions, targets and references of events (by index in the list)."""
        first: dict[str, int] = {}
        who_known = [*WHO_WORDS, *self.labs]
        for i, event in _items(self.tree.get("events")):
            loc: tuple[str | int, ...] = ("events", i)
            event_id = _text(event, "id")
            if event_id is not None and event_id in first:
                line = walk(self.tree, ("events", first[event_id], "id"), root=self.root)[0]
                self.add(
                    (*loc, "id"),
                    "E111",
                    f"duplicate event id '{event_id}' (first at {line.path}:{line.line})",
                )
            if event_id is not None:
                first.setdefault(event_id, i)
            who = event.get("who", "player")
            if isinstance(who, str) and who not in who_known:
                self.add(
                    (*loc, "who"),
                    "E110",
                    f"unknown who '{cut(who, NAME_WIDTH)}'{suggest(who, who_known)}; "
                    "use player, ai, all, world, us, china or a lab id",
                )
            if isinstance(who, LList):
                self.check_who_list((*loc, "who"), who, who_known)
            self.check_keys(loc, event)
            ctx = ExprContext(
                tuple(self.labs), tuple(self.chips), tuple(self.powers), who != "world", self.sides
            )
            when = _text(event, "when")
            if when is not None:
                self.expr((*loc, "when"), when, ctx)
            chance = _text(event, "chance")
            if chance is not None:
                self.expr((*loc, "chance"), chance, ctx, value=True)
            self.check_then((*loc, "then"), event.get("then"))
            self.check_effects((*loc, "effects"), event.get("effects"), ctx)
            self.check_texts(loc, event, who == "world")
            for k, choice in _items(event.get("choices")):
                self.check_then((*loc, "choices", k, "then"), choice.get("then"))
                self.check_effects((*loc, "choices", k, "effects"), choice.get("effects"), ctx)
            lab_ctx = ExprContext(
                tuple(self.labs), tuple(self.chips), tuple(self.powers), True, self.sides
            )
            for side, choices in _pairs(event.get("choices_for")):
                at = (*loc, "choices_for", side)
                if side in FACTIONS and side not in self.sides:
                    self.add(at, "E110", f"this scenario has no {side} side", at_key=True)
                for k, choice in _items(choices):
                    self.check_then((*at, k, "then"), choice.get("then"))
                    self.check_effects((*at, k, "effects"), choice.get("effects"), lab_ctx)

    def check_keys(self, loc: tuple[str | int, ...], event: LMap) -> None:
        """Keys of an event that do not go together (E116)."""
        if event.get("at") == "random":
            missing = [k for k in ("earliest", "latest") if event.get(k) is None]
            if missing:
                self.add(
                    (*loc, "at"),
                    "E116",
                    f"'random' needs both earliest and latest, the window the quarter is drawn "
                    f"from (no {' or '.join(missing)})",
                )
            if event.get("chained") is True:
                self.add(
                    (*loc, "at"),
                    "E116",
                    "'random' cannot go on a chained event, which comes only through a then",
                )

        given = event.get("choices_for")
        if isinstance(given, LMap) and len(given) > 0:
            if event.get("who", "player") != "world":
                self.add(
                    (*loc, "choices_for"),
                    "E116",
                    "choices_for goes on a who: world event, which hands each side its own "
                    "choices; an event that hits a lab has choices",
                    at_key=True,
                )
            if event.get("choices"):
                self.add(
                    (*loc, "choices_for"),
                    "E116",
                    "an event has choices or choices_for, not both",
                    at_key=True,
                )

    def check_who_list(self, loc: tuple[str | int, ...], who: LList, known: list[str]) -> None:
        """Each word of a `who` list: known, and not world (a world event hits no lab)."""
        in_list = [w for w in known if w != "world"]
        for k, word in enumerate(who):
            if word == "world":
                message = "world cannot be in a who list: a world event hits no lab; use who: world"
                self.add((*loc, k), "E103", message)
            elif isinstance(word, str) and word not in in_list:
                self.add(
                    (*loc, k),
                    "E110",
                    f"unknown who '{cut(word, NAME_WIDTH)}'{suggest(word, in_list)}; "
                    "use player, ai, all, us, china or a lab id",
                )

    def check_texts(self, loc: tuple[str | int, ...], event: LMap, world: bool) -> None:
        """The placeholders in an event's title, text, choices and news."""
        texts: list[tuple[tuple[str | int, ...], Any]] = [
            ((*loc, "title"), event.get("title")),
            ((*loc, "text"), event.get("text")),
        ]
        effects = [((*loc, "effects"), event.get("effects"))]
        for k, choice in _items(event.get("choices")):
            at = (*loc, "choices", k)
            texts += [
                ((*at, "label"), choice.get("label")),
                ((*at, "preview"), choice.get("preview")),
            ]
            effects.append(((*at, "effects"), choice.get("effects")))
        for at, listed in effects:
            texts += [((*at, j, "news"), e.get("news")) for j, e in _items(listed)]
        for at, text in texts:
            if isinstance(text, str):
                self.placeholders(at, text, world)

    def placeholders(self, loc: tuple[str | int, ...], text: str, world: bool) -> None:
        pos, _ = walk(self.tree, loc, root=self.root)
        prefix = self.names.prefix(loc)

        def add(offset: int, message: str) -> None:
            at = pos.at(offset)
            self.problems.append(Problem(at.path, at.line, at.col, "E115", prefix + message))

        for bad in misplaced(text):
            if bad.name is None:
                add(bad.offset, "a lone '{': write {{ for a brace, or a placeholder such as {lab}")
            else:
                name = cut(bad.name, NAME_WIDTH)
                known = [f"{{{p}}}" for p in PLACEHOLDERS]
                add(
                    bad.offset,
                    f"unknown placeholder '{{{name}}}'{suggest(f'{{{bad.name}}}', known)}: "
                    f"text may say {', '.join(known)}; write {{{{ and }}}} for braces",
                )
        if world:
            for offset, name in used(text):
                add(offset, f"{{{name}}} in a world event, which hits no lab")

    def check_then(self, loc: tuple[str | int, ...], thens: Any) -> None:
        for j, then in _items(thens):
            target = _text(then, "event")
            if target is not None:
                self.ref((*loc, j, "event"), target, self.event_ids, "event")

    def check_effects(self, loc: tuple[str | int, ...], effects: Any, ctx: ExprContext) -> None:
        for j, effect in _items(effects):
            at = (*loc, j)
            for kind in ("add", "set", "multiply"):
                for target, value in _pairs(effect.get(kind)):
                    self.target((*at, kind, target), target, ctx)
                    if isinstance(value, str):
                        self.expr((*at, kind, target), value, ctx, value=True)
            for kind in ("export", "price", "supply"):
                chip = _text(effect.get(kind), "chip")
                if chip is not None:
                    known = [*self.chips, *self.groups]
                    what = "chip or chip group" if self.groups else "chip"
                    self.ref((*at, kind, "chip"), chip, known, what)
            source = _text(effect.get("power_lead"), "source")
            if source is not None:
                self.ref((*at, "power_lead", "source"), source, self.powers, "power source")

    def expr(
        self, loc: tuple[str | int, ...], text: str, ctx: ExprContext, *, value: bool = False
    ) -> None:
        """Compile an expression; report its problems at their columns in the file."""
        try:
            if value:
                compile_value(text, ctx)
            else:
                compile_expr(text, ctx)
        except ExprError as e:
            self.expr_problems(loc, e, at_key=False)
        except (MemoryError, RecursionError):
            # CPython's parser gives up on very deep nesting this way; it is
            # the author's expression that is at fault, not the program.
            pos, _ = walk(self.tree, loc, root=self.root)
            message = f"{self.names.prefix(loc)}this expression is too long or too deeply nested"
            self.problems.append(Problem(pos.path, pos.line, pos.col, "E122", message))

    def target(self, loc: tuple[str | int, ...], text: str, ctx: ExprContext) -> None:
        try:
            parse_target(text, ctx)
        except ExprError as e:
            self.expr_problems(loc, e, at_key=True)

    def expr_problems(self, loc: tuple[str | int, ...], error: ExprError, *, at_key: bool) -> None:
        pos, _ = walk(self.tree, loc, at_key=at_key, root=self.root)
        prefix = self.names.prefix(loc)
        for p in error.problems:
            at = pos.at(p.col)
            message = _QUOTED.sub(lambda m: f"'{cut(m[1])}'", p.message)
            self.problems.append(Problem(at.path, at.line, at.col, p.code, f"{prefix}{message}"))


def _pairs(value: Any) -> list[tuple[str, Any]]:
    """The keys and values of a mapping read from the file ([] for anything else)."""
    return list(value.items()) if isinstance(value, LMap) else []


# A name or expression quoted in a message, long enough to be cut.
_QUOTED = re.compile(r"'([^']{61,})'")
