"""The names a scenario expression or effect target may use, checked in context.

`fields.py` lists every field and what it means; this module knows how a
dotted name is built from them (`turn`, `me.cash`, `us.gpus.h100`,
`rival.xai.flags.deal`, `world.demand`), which of those exist in one
scenario (its labs, chips, power sources and sides: `ExprContext`), and
which an effect may write (`parse_target`). A wrong name becomes an
`ExprProblem` with a stable code, its column and a did-you-mean.

It parses and compiles no expression: expr.py does, and asks this module
about every name it meets. The problem and error types the two share live
here, in the lower of them.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from game.scenario.fields import (
    FACTION_SCOPES,
    GLOBALS,
    LAB_MAPS,
    LAB_READ,
    LAB_WRITE,
    WORLD_READ,
    WORLD_WRITE,
)

# Stable error codes; tests and docs name them.
E_UNKNOWN = "E120"
E_SYNTAX = "E121"
E_NOT_ALLOWED = "E122"
E_ARGS = "E123"
E_READ_ONLY = "E124"

# Lab scope roots besides `rival.<lab>`.
_LAB_ROOTS: tuple[str, ...] = ("me", *FACTION_SCOPES)


@dataclass(frozen=True, slots=True)
class ExprContext:
    """What the names in one expression may refer to."""

    lab_ids: tuple[str, ...]  # every lab id in the scenario
    chip_ids: tuple[str, ...]
    power_ids: tuple[str, ...]
    has_me: bool = True  # False for `who: world` events
    sides: tuple[str, ...] = FACTION_SCOPES  # the factions the scenario has, for `us.cash`


@dataclass(frozen=True, slots=True)
class ExprProblem:
    """One problem in an expression or target, with a stable code."""

    code: str
    message: str
    col: int  # 0-based column in the expression text where the problem starts


class ExprError(Exception):
    """An expression or target did not compile; `problems` lists every problem found."""

    problems: list[ExprProblem]

    def __init__(self, problems: list[ExprProblem]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "; ".join(f"{p.code} col {p.col}: {p.message}" for p in self.problems)


@dataclass(frozen=True, slots=True)
class Target:
    """Where an effect writes.

    For example `me.cash`, `us.backing`, `rival.xai.efficiency`, `me.gpus.h100`,
    `me.power.gas` or `world.demand`.
    """

    scope: str  # 'me', 'lab' or 'world'
    lab: str | None  # for scope 'lab': the lab id or 'us'/'china'
    # Attribute on the object: a LAB_WRITE / WORLD_WRITE value, or 'gpus' / 'power' for maps.
    attr: str
    key: str | None  # sub-key for maps: chip id or power source id


# --- names -------------------------------------------------------------------------


def valid_names(ctx: ExprContext) -> list[str]:
    """Every dotted name an expression may read in `ctx`, sorted (flags as `<name>`)."""
    return list(read_names(ctx))


@functools.lru_cache(maxsize=64)
def read_names(ctx: ExprContext) -> tuple[str, ...]:
    """`valid_names`, remembered for each context, for the translator's did-you-means."""
    names: list[str] = list(GLOBALS)
    prefixes = [*(["me"] if ctx.has_me else []), *FACTION_SCOPES]
    prefixes += [f"rival.{lab}" for lab in ctx.lab_ids]
    for p in prefixes:
        names += [f"{p}.{f}" for f in LAB_READ]
        names += [f"{p}.gpus.{c}" for c in ctx.chip_ids]
        names += [f"{p}.power.{s}" for s in ctx.power_ids]
        names.append(f"{p}.flags.<name>")
    names += [f"world.{f}" for f in WORLD_READ]
    names.append("flags.<name>")
    return tuple(sorted(names))


@functools.lru_cache(maxsize=64)
def _write_names(ctx: ExprContext) -> tuple[str, ...]:
    """Every dotted name an effect may write in `ctx`, sorted."""
    names: list[str] = []
    prefixes = [*(["me"] if ctx.has_me else []), *FACTION_SCOPES]
    prefixes += [f"rival.{lab}" for lab in ctx.lab_ids]
    for p in prefixes:
        names += [f"{p}.{f}" for f in LAB_WRITE]
        names += [f"{p}.gpus.{c}" for c in ctx.chip_ids]
        names += [f"{p}.power.{s}" for s in ctx.power_ids]
    names += [f"world.{f}" for f in WORLD_WRITE]
    return tuple(sorted(names))


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """` (did you mean 'x'?)` for the closest candidate, or ''."""
    real = [c for c in candidates if "<" not in c]
    close = difflib.get_close_matches(word, real, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _in_scope(names: Sequence[str], prefix: str) -> list[str]:
    return [n for n in names if n.startswith(prefix + ".")]


@dataclass(frozen=True, slots=True)
class Ref:
    """A checked dotted name."""

    scope: str  # 'global', 'me', 'lab', 'world' or 'flags'
    lab: str | None  # for scope 'lab'
    field: str  # YAML field name: 'cash', 'gpus' (total or map), 'flags', 'demand', 'turn'
    key: str | None  # chip id, power source id or flag name


def resolve(
    segs: Sequence[tuple[str, int]],
    ctx: ExprContext,
    lab_fields: Collection[str],
    world_fields: Collection[str],
    names: Sequence[str],
    *,
    reading: bool,
) -> Ref | ExprProblem:
    """Check a dotted name given as (segment, column) pairs."""
    for seg, col in segs:
        if seg.startswith("__"):
            return ExprProblem(E_NOT_ALLOWED, f"'{seg}' is not allowed in expressions", col)
    full = ".".join(s for s, _ in segs)
    root, root_col = segs[0]
    rest = segs[1:]

    if root in GLOBALS and reading:
        if rest:
            return _unknown(full, rest[0][1], f" ('{root}' has no fields)")
        return Ref("global", None, root, None)

    if root == "world":
        if not rest:
            return _needs("world", "world.demand", root_col)
        field, col = rest[0]
        if field not in world_fields:
            return _unknown(full, col, did_you_mean(full, _in_scope(names, "world")))
        if len(rest) > 1:
            return _unknown(full, rest[1][1], f" ('world.{field}' has no fields)")
        return Ref("world", None, field, None)

    if root == "flags" and reading:
        problem = _check_flag("flags", full, rest, root_col)
        return problem or Ref("flags", None, "flags", rest[0][0])

    if root == "me" and not ctx.has_me:
        return ExprProblem(
            E_UNKNOWN,
            f"'{full}' cannot be used here: a world event has no 'me' "
            "(name the lab, like 'us.cash' or 'rival.<lab>.cash')",
            root_col,
        )

    if root in FACTION_SCOPES and root not in ctx.sides:
        return ExprProblem(
            E_UNKNOWN, f"'{full}' cannot be used: this scenario has no {root} side", root_col
        )
    if root in _LAB_ROOTS:
        scope, lab, prefix = ("me", None, "me") if root == "me" else ("lab", root, root)
    elif root == "rival":
        if not rest:
            lab = ctx.lab_ids[0] if ctx.lab_ids else "<lab>"
            return _needs("rival", f"rival.{lab}.cash", root_col)
        lab, col = rest[0]
        if lab not in ctx.lab_ids:
            hint = did_you_mean(full, _in_scope(names, "rival"))
            if not hint:
                hint = "; labs are: " + ", ".join(ctx.lab_ids)
            return ExprProblem(E_UNKNOWN, f"unknown lab '{lab}' in '{full}'{hint}", col)
        scope, prefix, rest = "lab", f"rival.{lab}", rest[1:]
    else:
        return ExprProblem(E_UNKNOWN, f"unknown name '{full}'{did_you_mean(full, names)}", root_col)
    return _resolve_lab(scope, lab, prefix, rest, ctx, lab_fields, names, reading, root_col)


def _resolve_lab(
    scope: str,
    lab: str | None,
    prefix: str,
    rest: Sequence[tuple[str, int]],
    ctx: ExprContext,
    lab_fields: Collection[str],
    names: Sequence[str],
    reading: bool,
    root_col: int,
) -> Ref | ExprProblem:
    """Check the part of a lab name after its scope (`cash`, `gpus.h100`, `flags.x`)."""
    full = ".".join([prefix, *(s for s, _ in rest)])
    if not rest:
        return _needs(prefix, f"{prefix}.cash", root_col)
    field, col = rest[0]
    maps = {"gpus": ("chip", ctx.chip_ids), "power": ("power source", ctx.power_ids)}
    if len(rest) >= 2 and field in LAB_MAPS:
        what, ids = maps[field]
        key, key_col = rest[1]
        if key not in ids:
            hint = did_you_mean(full, _in_scope(names, f"{prefix}.{field}"))
            if not hint:
                hint = f"; {what}s are: " + ", ".join(ids)
            return ExprProblem(E_UNKNOWN, f"unknown {what} '{key}' in '{full}'{hint}", key_col)
        if len(rest) > 2:
            return _unknown(full, rest[2][1], f" ('{prefix}.{field}.{key}' has no fields)")
        return Ref(scope, lab, field, key)
    if field == "flags" and reading:
        problem = _check_flag(f"{prefix}.flags", full, rest[1:], col)
        return problem or Ref(scope, lab, "flags", rest[1][0])
    if field not in lab_fields:
        return _unknown(full, col, did_you_mean(full, _in_scope(names, prefix)))
    if len(rest) > 1:
        return _unknown(full, rest[1][1], f" ('{prefix}.{field}' has no fields)")
    return Ref(scope, lab, field, None)


def _check_flag(
    flags: str, full: str, after: Sequence[tuple[str, int]], col: int
) -> ExprProblem | None:
    """A flag is `<flags>.<name>`, one name after the flags scope."""
    if not after:
        return ExprProblem(E_UNKNOWN, f"'{flags}' needs a flag name, like '{flags}.stargate'", col)
    if len(after) > 1:
        message = f"'{full}' is not a flag (a flag name is one word, like '{flags}.stargate')"
        return ExprProblem(E_UNKNOWN, message, after[1][1])
    return None


def _unknown(full: str, col: int, hint: str) -> ExprProblem:
    return ExprProblem(E_UNKNOWN, f"unknown field '{full}'{hint}", col)


def _needs(name: str, example: str, col: int) -> ExprProblem:
    return ExprProblem(E_UNKNOWN, f"'{name}' needs a field, like '{example}'", col)


# --- targets -----------------------------------------------------------------------


def parse_target(target: str, ctx: ExprContext) -> Target:
    """Check where an effect writes, e.g. `me.cash` or `rival.xai.efficiency`."""
    segs: list[tuple[str, int]] = []
    col = 0
    for seg in target.split("."):
        segs.append((seg, col))
        col += len(seg) + 1
    if any(not seg for seg, _ in segs):
        raise ExprError(
            [ExprProblem(E_SYNTAX, f"'{target}' is not a field name like 'me.cash'", 0)]
        )
    names = _write_names(ctx)
    ref = resolve(
        segs,
        ctx,
        {*LAB_READ, *LAB_WRITE},
        {*WORLD_READ, *WORLD_WRITE},
        names,
        reading=False,
    )
    if isinstance(ref, ExprProblem):
        raise ExprError([ref])
    if ref.scope == "world":
        if ref.field not in WORLD_WRITE:
            can = ", ".join(WORLD_WRITE)
            raise ExprError([_read_only(target, can, segs[1][1])])
        return Target("world", None, WORLD_WRITE[ref.field], None)
    if ref.key is not None:
        return Target(ref.scope, ref.lab, LAB_MAPS[ref.field], ref.key)
    if ref.field not in LAB_WRITE:
        can = ", ".join([*LAB_WRITE, "gpus.<chip>", "power.<source>"])
        raise ExprError([_read_only(target, can, segs[-1][1])])
    return Target(ref.scope, ref.lab, LAB_WRITE[ref.field], None)


def _read_only(target: str, can: str, col: int) -> ExprProblem:
    return ExprProblem(
        E_READ_ONLY, f"'{target}' cannot be changed by an effect; these can: {can}", col
    )
