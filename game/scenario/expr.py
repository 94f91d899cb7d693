"""The scenario expression language: checked once at load, then fast and safe.

Scenario files hold small expressions such as
``turn >= 4 and me.efficiency > 2 and not flags.stargate`` or an effect value
``-0.1 * me.cash``. :func:`compile_expr` parses one with :mod:`ast`, checks
every node against a whitelist and every name through
:mod:`game.scenario.names`, then generates the source of a plain ``lambda``
from the checked tree and evaluates that source once, with no builtins. The
author's text itself is never evaluated.

This module is the parser and translator. What a name means is
:mod:`game.scenario.fields`'s, and whether a name or an effect target exists
in a scenario is :mod:`game.scenario.names`'s; the context, errors and
targets are re-exported here, so callers need this module alone.

The compiled function is called as
``fn(me, labs, world, flags, turn, year, quarter)`` where ``labs`` maps every
lab id and also ``'us'``/``'china'`` to lab objects and ``flags`` is a set of
world flag names.

Evaluation never raises for well-typed values: ``a / b`` and ``a % b`` give
0.0 when ``b`` is 0, ``log10(x)`` and ``sqrt(x)`` give 0.0 when ``x <= 0``,
number literals are floats (so no integer grows too large to become a float),
``**`` is refused (``10**10**10`` would hang the game), and strings may only
be compared, never used in arithmetic.
"""

from __future__ import annotations

import ast
import functools
import io
import math
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from game.scenario.fields import FACTION_SCOPES, LAB_MAPS, LAB_READ, WORLD_READ
from game.scenario.names import (
    E_ARGS,
    E_NOT_ALLOWED,
    E_SYNTAX,
    E_UNKNOWN,
    ExprContext,
    ExprError,
    ExprProblem,
    Target,
    did_you_mean,
    parse_target,
    read_names,
    resolve,
    valid_names,
)

# Callers compile expressions and check targets through this module alone.
__all__ = [
    "EXPR_FUNCTIONS",
    "EXPR_NUMBER",
    "FUNCTIONS",
    "Compiled",
    "ExprContext",
    "ExprError",
    "ExprProblem",
    "Target",
    "compile_expr",
    "compile_value",
    "parse_target",
    "valid_names",
]

# The largest number an expression may write (a FLOP count like 1e26 fits).
EXPR_NUMBER = 1e100
# What `since` gives for a flag never set: longer ago than any game lasts.
NEVER_SET = 1000.0

# Function name -> (fewest, most) arguments, None for no upper bound, and what it
# gives, for authors (the reference shows it).
FUNCTIONS: dict[str, tuple[int, int | None, str]] = {
    "min": (2, None, "the smallest of its arguments"),
    "max": (2, None, "the largest of its arguments"),
    "abs": (1, 1, "the value without its sign"),
    "log10": (1, 1, "the base-10 logarithm; 0 for 0 or less"),
    "clamp": (3, 3, "clamp(x, lo, hi): x held between lo and hi (hi wins if lo > hi)"),
    "sqrt": (1, 1, "the square root; 0 for 0 or less"),
    "since": (
        1,
        1,
        "since(flags.x), since(me.flags.x): quarters since that flag was last set (0: this "
        f"quarter), whether or not it is set now; {NEVER_SET:g} if it never was",
    ),
}
_ARITY: dict[str, tuple[int, int | None]] = {f: (lo, hi) for f, (lo, hi, _) in FUNCTIONS.items()}
EXPR_FUNCTIONS: tuple[str, ...] = tuple(FUNCTIONS)

# The parameters of every compiled function, in order.
_PARAMS = "me, labs, world, flags, turn, year, quarter"

# The value kinds the checker tracks: enough to keep strings out of arithmetic.
_Kind = Literal["num", "bool", "str"]

# Lab fields whose values are not numbers; everything else in LAB_READ is numeric.
_LAB_KINDS: dict[str, _Kind] = {"faction": "str", "is_player": "bool", "alive": "bool"}


@dataclass(frozen=True, slots=True)
class Compiled:
    """A checked expression and its fast function."""

    source: str  # the author's text
    fn: Callable[..., Any]
    # The flags it reads with `since`, whose turns the engine must record.
    since: frozenset[str] = frozenset()


# --- runtime helpers: the only globals a compiled function can see ---------------


def _div(a: float, b: float) -> float:
    """Division that gives 0.0 instead of failing on a zero divisor."""
    return a / b if b != 0 else 0.0


def _mod(a: float, b: float) -> float:
    """Remainder that gives 0.0 instead of failing on a zero divisor."""
    return a % b if b != 0 else 0.0


def _log10(x: float) -> float:
    """Base-10 logarithm; 0.0 for x <= 0 so a bad input cannot stop the game."""
    return math.log10(x) if x > 0 else 0.0


def _sqrt(x: float) -> float:
    """Square root; 0.0 for x <= 0."""
    return math.sqrt(x) if x > 0 else 0.0


def _since(turn: int, when: int | None) -> float:
    """Quarters since a flag was last set; NEVER_SET if it never was."""
    return NEVER_SET if when is None else float(turn - when)


def _clamp(x: float, lo: float, hi: float) -> float:
    """x limited to [lo, hi]; hi wins if lo > hi."""
    return min(max(x, lo), hi)


_GLOBALS: dict[str, Any] = {
    "__builtins__": {},
    "min": min,
    "max": max,
    "abs": abs,
    "log10": _log10,
    "sqrt": _sqrt,
    "clamp": _clamp,
    "_since": _since,
    "_div": _div,
    "_mod": _mod,
}


# --- expressions -------------------------------------------------------------------

_OP_SYMBOLS: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Invert: "~",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_ARITH = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod)
_COMPARE = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)

# Constructs refused as a whole (their insides are not checked further).
_REFUSED: dict[type, str] = {
    ast.Lambda: "'lambda' is not allowed in expressions",
    ast.IfExp: "'if ... else' is not allowed in expressions; use min, max or clamp",
    ast.ListComp: "comprehensions are not allowed in expressions",
    ast.SetComp: "comprehensions are not allowed in expressions",
    ast.DictComp: "comprehensions are not allowed in expressions",
    ast.GeneratorExp: "comprehensions are not allowed in expressions",
    ast.Subscript: "subscripts like 'x[0]' are not allowed in expressions",
    ast.List: "lists are not allowed in expressions",
    ast.Tuple: "tuples are not allowed in expressions",
    ast.Set: "sets are not allowed in expressions",
    ast.Dict: "dicts are not allowed in expressions",
    ast.NamedExpr: "':=' is not allowed in expressions",
    ast.JoinedStr: "f-strings are not allowed in expressions",
    ast.Starred: "'*' is not allowed in expressions",
    ast.Await: "'await' is not allowed in expressions",
    ast.Yield: "'yield' is not allowed in expressions",
    ast.YieldFrom: "'yield' is not allowed in expressions",
}

# Other languages' operators, which the parser reports as plain "invalid syntax".
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("&&", "use 'and'"),
    ("||", "use 'or'"),
    ("=>", "use '>=' for at least"),
    ("=<", "use '<=' for at most"),
    ("=!", "use '!=' for not equal"),
    ("!", "use 'not'"),
    ("=", "use '==' to compare"),
)


@dataclass(slots=True)
class _Out:
    """A checked, translated node, its kind and whether it is a lab's `faction`."""

    node: ast.expr
    kind: _Kind
    faction: bool = False


def _const(value: Any) -> ast.expr:
    return ast.Constant(value)


def _call(name: str, args: list[ast.expr]) -> ast.expr:
    return ast.Call(ast.Name(name, ast.Load()), args, [])


class _Translator:
    """Checks a parsed expression and builds the tree the compiled lambda runs."""

    def __init__(self, text: str, ctx: ExprContext, shift: int, renamed: dict[int, str]) -> None:
        self.text = text  # the parsed text (left-stripped, hyphenated ids renamed)
        self.ctx = ctx
        self.shift = shift  # columns stripped from the author's text before parsing
        self.renamed = renamed  # column -> original id, for ids with '-' in them
        self.names = read_names(ctx)
        self.problems: list[ExprProblem] = []
        self.since: set[str] = set()  # flags read with `since`
        self._ascii = text.isascii()

    # Positions: ast gives UTF-8 byte offsets; problems report characters.
    def col(self, byte_col: int) -> int:
        if self._ascii:
            return byte_col
        return len(self.text.encode()[:byte_col].decode(errors="ignore"))

    def start(self, node: ast.expr | ast.keyword) -> int:
        return self.col(node.col_offset)

    def end(self, node: ast.expr | ast.keyword) -> int:
        return self.col(node.end_col_offset or 0)

    def problem(self, code: str, message: str, col: int) -> None:
        self.problems.append(ExprProblem(code, message, col + self.shift))

    def op_col(self, symbol: str, left: ast.expr, right: ast.expr) -> int:
        """Column of an operator between two operands."""
        lo, hi = self.end(left), self.start(right)
        found = self.text.find(symbol.split()[0], lo, hi)
        return found if found >= 0 else lo

    def refuse(self, node: ast.expr, message: str, col: int | None = None) -> _Out:
        self.problem(E_NOT_ALLOWED, message, self.start(node) if col is None else col)
        return _Out(_const(0.0), "num")

    # --- nodes ----------------------------------------------------------------

    def visit(self, node: ast.expr) -> _Out:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is not None:
            out: _Out = method(node)
            return out
        message = _REFUSED.get(type(node), f"'{type(node).__name__}' is not allowed in expressions")
        return self.refuse(node, message)

    def visit_Constant(self, node: ast.Constant) -> _Out:
        value = node.value
        if isinstance(value, bool):
            return _Out(_const(value), "bool")
        if isinstance(value, str):
            return _Out(_const(value), "str")
        if isinstance(value, (int, float)):
            # Floats keep arithmetic from building integers too big for a float;
            # `1e999` parses as infinity, which no rule can work with.
            number = float(value) if abs(value) <= EXPR_NUMBER else math.inf
            if not math.isfinite(number):
                return self.refuse(node, f"numbers in expressions are at most {EXPR_NUMBER:g}")
            return _Out(_const(number), "num")
        if value is None:
            return self.refuse(node, "'None' is not allowed in expressions")
        if isinstance(value, complex):
            return self.refuse(node, "complex numbers are not allowed in expressions")
        if isinstance(value, bytes):
            return self.refuse(node, "byte strings are not allowed in expressions")
        return self.refuse(node, f"'{ast.unparse(node)}' is not allowed in expressions")

    def visit_Name(self, node: ast.Name) -> _Out:
        if node.id in ("true", "false"):
            return _Out(_const(node.id == "true"), "bool")
        return self.name([(node.id, self.start(node))])

    def visit_Attribute(self, node: ast.Attribute) -> _Out:
        segs: list[tuple[str, int]] = []
        base: ast.expr = node
        while isinstance(base, ast.Attribute):
            segs.append((base.attr, self.end(base) - len(base.attr)))
            base = base.value
        if not isinstance(base, ast.Name):
            attr, col = segs[-1]
            self.problem(
                E_NOT_ALLOWED, f"'.{attr}' can only follow a name like 'me' or 'world'", col
            )
            self.visit(base)
            return _Out(_const(0.0), "num")
        segs.append((base.id, self.start(base)))
        segs.reverse()
        return self.name(segs)

    def name(self, segs: list[tuple[str, int]]) -> _Out:
        """Check a dotted name and translate it to an access on the function's arguments."""
        segs = [(self.renamed.get(col, seg), col) for seg, col in segs]
        ref = resolve(segs, self.ctx, LAB_READ, WORLD_READ, self.names, reading=True)
        if isinstance(ref, ExprProblem):
            self.problem(ref.code, ref.message, ref.col)
            return _Out(_const(0.0), "num")
        if ref.scope == "global":
            return _Out(ast.Name(ref.field, ast.Load()), "num")
        if ref.scope == "world":
            return _Out(ast.Attribute(ast.Name("world", ast.Load()), WORLD_READ[ref.field]), "num")
        if ref.scope == "flags":
            flags: ast.expr = ast.Name("flags", ast.Load())
            return _Out(ast.Compare(_const(ref.key), [ast.In()], [flags]), "bool")
        lab: ast.expr = ast.Name("me", ast.Load())
        if ref.scope == "lab":
            lab = ast.Subscript(ast.Name("labs", ast.Load()), _const(ref.lab))
        if ref.field == "flags":
            flags = ast.Attribute(lab, "flags")
            return _Out(ast.Compare(_const(ref.key), [ast.In()], [flags]), "bool")
        if ref.key is not None:
            get = ast.Attribute(ast.Attribute(lab, LAB_MAPS[ref.field]), "get")
            return _Out(ast.Call(get, [_const(ref.key), _const(0)], []), "num")
        kind = _LAB_KINDS.get(ref.field, "num")
        return _Out(ast.Attribute(lab, LAB_READ[ref.field]), kind, ref.field == "faction")

    def visit_BinOp(self, node: ast.BinOp) -> _Out:
        symbol = _OP_SYMBOLS[type(node.op)]
        left, right = self.visit(node.left), self.visit(node.right)
        if not isinstance(node.op, _ARITH):
            col = self.op_col(symbol, node.left, node.right)
            return self.refuse(node, f"'{symbol}' is not allowed in expressions", col)
        for side, out in ((node.left, left), (node.right, right)):
            if out.kind == "str":
                message = f"a string cannot be used with '{symbol}'; strings can only be compared"
                self.refuse(side, message)
        if isinstance(node.op, ast.Div):
            return _Out(_call("_div", [left.node, right.node]), "num")
        if isinstance(node.op, ast.Mod):
            return _Out(_call("_mod", [left.node, right.node]), "num")
        return _Out(ast.BinOp(left.node, node.op, right.node), "num")

    def visit_UnaryOp(self, node: ast.UnaryOp) -> _Out:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Invert):
            return self.refuse(node, "'~' is not allowed in expressions")
        if isinstance(node.op, ast.Not):
            return _Out(ast.UnaryOp(ast.Not(), operand.node), "bool")
        if operand.kind == "str":
            self.refuse(node, "a string cannot be negated; strings can only be compared")
        return _Out(ast.UnaryOp(node.op, operand.node), "num")

    def visit_BoolOp(self, node: ast.BoolOp) -> _Out:
        outs = [self.visit(v) for v in node.values]
        kinds = {o.kind for o in outs}
        # `and`/`or` give one of their operands, so a string operand may be the result.
        kind: _Kind = "str" if "str" in kinds else "bool" if kinds == {"bool"} else "num"
        return _Out(ast.BoolOp(node.op, [o.node for o in outs]), kind)

    def visit_Compare(self, node: ast.Compare) -> _Out:
        operands = [node.left, *node.comparators]
        for op, a, b in zip(node.ops, operands, operands[1:], strict=False):
            if not isinstance(op, _COMPARE):
                symbol = _OP_SYMBOLS[type(op)]
                col = self.op_col(symbol, a, b)
                self.refuse(node, f"'{symbol}' is not allowed in expressions", col)
        outs = [self.visit(o) for o in operands]
        pairs = zip(outs, outs[1:], operands, operands[1:], strict=False)
        for out_a, out_b, a, b in pairs:
            if (out_a.kind == "str") != (out_b.kind == "str"):
                self.refuse(a, "a string can only be compared with another string")
            self.check_faction(out_a, b)
            self.check_faction(out_b, a)
        return _Out(ast.Compare(outs[0].node, node.ops, [o.node for o in outs[1:]]), "bool")

    def check_faction(self, field: _Out, value: ast.expr) -> None:
        """Catch `me.faction == 'usa'`, which would silently never be true."""
        if not field.faction or not isinstance(value, ast.Constant):
            return
        if isinstance(value.value, str) and value.value not in FACTION_SCOPES:
            hint = did_you_mean(value.value, FACTION_SCOPES)
            if not hint:
                hint = "; factions are: " + ", ".join(FACTION_SCOPES)
            self.problem(E_UNKNOWN, f"unknown faction '{value.value}'{hint}", self.start(value))

    def visit_Call(self, node: ast.Call) -> _Out:
        allowed = "functions: " + ", ".join(EXPR_FUNCTIONS)
        if not isinstance(node.func, ast.Name):
            return self.refuse(node, f"only functions can be called; {allowed}")
        name = node.func.id
        if name == "since" and len(node.args) == 1 and not node.keywords:
            return self.since_flag(node.args[0])
        if name not in _ARITY:
            hint = did_you_mean(name, EXPR_FUNCTIONS)
            return self.refuse(node, f"calls to '{name}' are not allowed{hint}; {allowed}")
        ok = True
        if node.keywords:
            ok = False
            kw = node.keywords[0]
            self.refuse(node, f"'{name}' takes no keyword arguments", self.start(kw))
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                ok = False
                self.refuse(arg, f"'*' arguments are not allowed in calls to '{name}'")
        fewest, most = _ARITY[name]
        count = len(node.args)
        if ok and (count < fewest or (most is not None and count > most)):
            message = f"'{name}' takes {_arity_text(fewest, most)}, not {count}"
            self.problem(E_ARGS, message, self.start(node))
        args = [self.visit(a) for a in node.args if not isinstance(a, ast.Starred)]
        for arg, out in zip(node.args, args, strict=False):
            if out.kind == "str":
                self.refuse(arg, f"'{name}' takes numbers, not strings")
        return _Out(_call(name, [a.node for a in args]), "num")

    def since_flag(self, arg: ast.expr) -> _Out:
        """`since(<a flag>)`: the quarters since the flag's holder last had it set."""
        segs: list[tuple[str, int]] = []
        base: ast.expr = arg
        while isinstance(base, ast.Attribute):
            segs.append((base.attr, self.end(base) - len(base.attr)))
            base = base.value
        if not isinstance(base, ast.Name) or not segs:
            return self.refuse(arg, "'since' takes a flag, like 'flags.stargate' or 'me.flags.x'")
        segs.append((base.id, self.start(base)))
        segs.reverse()
        segs = [(self.renamed.get(col, seg), col) for seg, col in segs]
        ref = resolve(segs, self.ctx, LAB_READ, WORLD_READ, self.names, reading=True)
        if isinstance(ref, ExprProblem):
            self.problem(ref.code, ref.message, ref.col)
            return _Out(_const(0.0), "num")
        if ref.field != "flags" or ref.key is None:
            return self.refuse(arg, "'since' takes a flag, like 'flags.stargate' or 'me.flags.x'")
        holder: ast.expr = ast.Name("world" if ref.scope == "flags" else "me", ast.Load())
        if ref.scope == "lab":
            holder = ast.Subscript(ast.Name("labs", ast.Load()), _const(ref.lab))
        get = ast.Attribute(ast.Attribute(holder, "flag_turns"), "get")
        when = ast.Call(get, [_const(ref.key)], [])
        self.since.add(ref.key)
        return _Out(_call("_since", [ast.Name("turn", ast.Load()), when]), "num")


def _arity_text(fewest: int, most: int | None) -> str:
    if most is None:
        return f"at least {fewest} arguments"
    return f"{fewest} argument{'s' if fewest != 1 else ''}"


def _scan(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """String literal spans and comment columns, or nothing if the text does not tokenize."""
    strings: list[tuple[int, int]] = []
    comments: list[int] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.STRING:
                strings.append((tok.start[1], tok.end[1]))
            elif tok.type == tokenize.COMMENT:
                comments.append(tok.start[1])
    except (tokenize.TokenError, SyntaxError):
        return [], []
    return strings, comments


def _rename_hyphenated(
    text: str, ctx: ExprContext, strings: list[tuple[int, int]]
) -> tuple[str, dict[int, str]]:
    """Make ids like `deep-seek` parse as one name (`rival.deep-seek.cash`).

    Each such id after a dot becomes `deep_seek`: the same length, so columns
    stay true. The original id is kept by column, so a real `deep_seek` cannot
    be confused with it.
    """
    ids = sorted({i for i in (*ctx.lab_ids, *ctx.chip_ids, *ctx.power_ids) if "-" in i}, key=len)
    if not ids:
        return text, {}
    pattern = re.compile(r"(?<=\.)(" + "|".join(map(re.escape, reversed(ids))) + r")(?![\w-])")
    renamed: dict[int, str] = {}
    chars = list(text)
    for m in pattern.finditer(text):
        if any(lo <= m.start() < hi for lo, hi in strings):
            continue
        renamed[m.start()] = m.group(1)
        chars[m.start() : m.end()] = m.group(1).replace("-", "_")
    return "".join(chars), renamed


def _syntax_problem(err: SyntaxError, text: str, shift: int) -> ExprProblem:
    """The parser's complaint in plain words, at the column where it happened."""
    msg = re.sub(r"\s*\(detected at line \d+\)|\s*\(<unknown>, line \d+\)", "", err.msg)
    offset = err.offset or 0
    if offset <= 0 or offset > len(text):
        # The parser reached the end of the text still wanting more.
        return ExprProblem(E_SYNTAX, "the expression ends too early", len(text) + shift)
    col = offset - 1
    if msg.startswith("invalid syntax"):
        msg = "this is not a valid expression here"
        for symbol, hint in _SYNTAX_HINTS:
            # The parser may stop on the second character of a two-character operator.
            starts = (c for c in (col, col - 1) if c >= 0 and text.startswith(symbol, c))
            start = next(starts, None)
            if start is not None:
                msg, col = f"{msg}; {hint}", start
                break
    return ExprProblem(E_SYNTAX, msg, col + shift)


def _lambda(body: str, filename: str) -> Callable[..., Any]:
    """Evaluate generated lambda source once, with no builtins, only the helpers."""
    code = compile(f"lambda {_PARAMS}: {body}", filename, "eval")
    fn: Callable[..., Any] = eval(code, dict(_GLOBALS))
    return fn


def compile_expr(text: str | bool | int | float, ctx: ExprContext) -> Compiled:
    """Check an expression and compile it to `fn(me, labs, world, flags, turn, year, quarter)`.

    Raises ExprError listing every problem in the expression.
    """
    return _compile(text, ctx, want_number=False)


def compile_value(value: float | str, ctx: ExprContext) -> Compiled:
    """Compile an effect value: a number, or an expression that gives a number."""
    return _compile(value, ctx, want_number=True)


def _compile(text: str | bool | int | float, ctx: ExprContext, *, want_number: bool) -> Compiled:
    # The loader checks every expression and the rulebook compiles the same
    # ones again: remember them, so each is compiled once per process.
    return _compile_cached(type(text).__name__, text, ctx, want_number)


@functools.lru_cache(maxsize=8192)
def _compile_cached(
    kind: str, text: str | bool | int | float, ctx: ExprContext, want_number: bool
) -> Compiled:
    if isinstance(text, bool):
        return Compiled("true" if text else "false", _lambda(repr(text), "<expr>"))
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not math.isfinite(text):
            raise ExprError([ExprProblem(E_NOT_ALLOWED, f"'{text}' is not a usable number", 0)])
        return Compiled(repr(text), _lambda(repr(text), "<expr>"))
    try:
        body, since = _parse(text, ctx, want_number=want_number)
        # The source is generated from the checked tree, never taken from the author.
        return Compiled(text, _lambda(ast.unparse(body), f"<expr {text!r}>"), since)
    except (RecursionError, MemoryError):
        # Thousands of nested or chained terms exhaust the checker's or Python's stack.
        message = "this expression is too long or too deeply nested"
        raise ExprError([ExprProblem(E_NOT_ALLOWED, message, 0)]) from None


def _parse(text: str, ctx: ExprContext, *, want_number: bool) -> tuple[ast.expr, frozenset[str]]:
    """Parse and check `text`; return the tree the compiled lambda evaluates and the flags
    it reads with `since`."""
    # Line breaks (from YAML block strings) become spaces so the text parses as
    # one line and every column stays an offset into the author's text.
    flat = text.replace("\r", " ").replace("\n", " ")
    stripped = flat.lstrip()
    shift = len(flat) - len(stripped)  # a leading space is an "unexpected indent" to Python
    if not stripped.strip():
        raise ExprError([ExprProblem(E_SYNTAX, "the expression is empty", 0)])
    strings, comments = _scan(stripped)
    if comments:
        message = "comments ('#') are not allowed in expressions"
        raise ExprError([ExprProblem(E_NOT_ALLOWED, message, comments[0] + shift)])
    renamed_text, renamed = _rename_hyphenated(stripped, ctx, strings)
    try:
        tree = ast.parse(renamed_text, mode="eval")
    except SyntaxError as err:
        raise ExprError([_syntax_problem(err, stripped, shift)]) from None
    translator = _Translator(renamed_text, ctx, shift, renamed)
    out = translator.visit(tree.body)
    if want_number and out.kind == "str" and not translator.problems:
        translator.problem(E_NOT_ALLOWED, "an effect value must be a number, not a string", 0)
    if translator.problems:
        raise ExprError(sorted(translator.problems, key=lambda p: p.col))
    return out.node, frozenset(translator.since)
