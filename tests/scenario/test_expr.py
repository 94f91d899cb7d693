"""The scenario expression language: evaluation, safety and error reports."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.scenario.expr import (
    EXPR_FUNCTIONS,
    EXPR_NUMBER,
    Compiled,
    ExprContext,
    ExprError,
    ExprProblem,
    Target,
    compile_expr,
    compile_value,
    parse_target,
    valid_names,
)

CTX = ExprContext(
    lab_ids=("openai", "xai", "deepseek", "moonshot-ai"),
    chip_ids=("h100", "h20", "ascend-910b"),
    power_ids=("grid", "gas"),
)
WORLD_CTX = ExprContext(CTX.lab_ids, CTX.chip_ids, CTX.power_ids, has_me=False)


def lab(**changes: Any) -> SimpleNamespace:
    """A stand-in for the engine's LabState with the attributes expressions read."""
    values: dict[str, Any] = {
        "cash": 100.0,
        "gpus_total": 1000,
        "efficiency": 2.5,
        "capability": 10.0,
        "rank": 1,
        "concern": 20.0,
        "backing": 50.0,
        "faction": "us",
        "is_player": True,
        "alive": True,
        "gpus": {"h100": 1000},
        "power": {"grid": 50.0},
        "flags": {"open_weights"},
    }
    values.update(changes)
    return SimpleNamespace(**values)


ME = lab()
XAI = lab(capability=12.0, cash=0.0, is_player=False, flags=set())
DEEPSEEK = lab(faction="china", capability=9.0, efficiency=6.0, gpus={"h20": 50}, flags=set())
MOONSHOT = lab(faction="china", capability=7.0, gpus={"ascend-910b": 30}, flags=set())
LABS = {
    "openai": ME,
    "us": ME,
    "xai": XAI,
    "deepseek": DEEPSEEK,
    "china": DEEPSEEK,
    "moonshot-ai": MOONSHOT,
}
WORLD = SimpleNamespace(demand=500.0, demand_growth=0.1, frontier=12.0, best_cost=1.0, turns=20)
FLAGS = {"stargate"}


def run(text: str | float, ctx: ExprContext = CTX, me: Any = ME) -> Any:
    """Compile and evaluate in turn 4 (2025 Q4)."""
    return compile_expr(text, ctx).fn(me, LABS, WORLD, FLAGS, 4, 2025, 4)


def problems(text: str, ctx: ExprContext = CTX) -> list[ExprProblem]:
    with pytest.raises(ExprError) as info:
        compile_expr(text, ctx)
    return info.value.problems


def only(text: str, ctx: ExprContext = CTX) -> ExprProblem:
    found = problems(text, ctx)
    assert len(found) == 1, found
    return found[0]


# --- evaluation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("turn >= 4 and me.efficiency > 2 and not flags.stargate", False),
        ("turn >= 4 and me.efficiency > 2 and flags.stargate", True),
        ("-0.1 * me.cash", -10.0),
        ("me.gpus", 1000),
        ("me.gpus.h100 + me.gpus.h20", 1000),
        ("me.power.grid + me.power.gas", 50.0),
        ("me.flags.open_weights and not me.flags.stargate", True),
        ("us.capability < rival.xai.capability", True),
        ("china.efficiency", 6.0),
        ("china.faction == 'china' and me.faction != \"china\"", True),
        ("rival.deepseek.gpus.h20", 50),
        ("rival.moonshot-ai.gpus.ascend-910b", 30),
        ("rival.moonshot-ai.capability-rival.xai.capability", -5.0),
        ("world.demand * (1 + world.demand_growth)", 550.0),
        ("year * 10 + quarter + turn", 20258),
        ("me.is_player and me.alive", True),
        ("true", True),
        ("false or True", True),
        ("min(me.cash, 50, 70)", 50),
        ("max(1, 2)", 2),
        ("abs(-3)", 3.0),
        ("log10(1000)", 3.0),
        ("sqrt(16)", 4.0),
        ("clamp(me.concern * 10, 0, 100)", 100),
        ("7 % 4", 3.0),
        ("+me.rank", 1),
        ("  me.cash\n  > 3\n", True),
        ("'a.b-c' == 'a.b-c'", True),
    ],
)
def test_evaluates(text: str, expected: Any) -> None:
    assert run(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("me.cash / 0", 0.0),
        ("me.cash / rival.xai.cash", 0.0),
        ("5 % 0", 0.0),
        ("log10(0)", 0.0),
        ("log10(-5)", 0.0),
        ("sqrt(-4)", 0.0),
        ("1 / (turn - 4)", 0.0),
    ],
)
def test_safe_arithmetic(text: str, expected: float) -> None:
    assert run(text) == expected


def test_clamp_with_crossed_bounds_gives_the_upper_one() -> None:
    assert run("clamp(5, 10, 1)") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 < turn < 5", True),
        ("1 < turn < 4", False),
        ("0 <= me.rank <= 1 < 2", True),
        ("3 > turn >= 4", False),
        ("turn == 4 != 5", True),
    ],
)
def test_chained_comparisons(text: str, expected: bool) -> None:
    assert run(text) is expected


def test_numbers_and_bools_become_constants() -> None:
    assert run(True) is True
    assert run(2.5) == 2.5
    assert compile_expr(False, CTX).source == "false"
    assert compile_value(-5, CTX).fn(None, {}, None, set(), 1, 2025, 1) == -5


def test_compiled_keeps_the_authors_text() -> None:
    compiled = compile_value("-0.1 * me.cash", CTX)
    assert isinstance(compiled, Compiled)
    assert compiled.source == "-0.1 * me.cash"
    assert compiled.fn(ME, LABS, WORLD, FLAGS, 1, 2025, 1) == pytest.approx(-10.0)


def test_world_event_reads_labs_by_name_with_no_me() -> None:
    assert run("us.cash + rival.deepseek.cash", WORLD_CTX, me=None) == 200.0


def test_compiled_function_sees_no_builtins() -> None:
    fn = compile_expr("turn", CTX).fn
    assert fn.__globals__["__builtins__"] == {}
    assert "open" not in fn.__globals__


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "col", "words"),
    [
        ("turn = 4", 5, "use '=='"),
        ("me.market_share => 0.25", 16, "use '>=' for at least"),
        ("turn =< 4", 5, "use '<=' for at most"),
        ("me.cash >", 9, "ends too early"),
        ("a && b", 2, "use 'and'"),
        ("(turn", 0, "never closed"),
        ("me.cash 3", 8, "not a valid expression"),
        ("", 0, "empty"),
    ],
)
def test_syntax_errors_are_e121(text: str, col: int, words: str) -> None:
    problem = only(text)
    assert (problem.code, problem.col) == ("E121", col)
    assert words in problem.message


@pytest.mark.parametrize(
    ("text", "col", "message"),
    [
        ("me.cassh > 3", 3, "unknown field 'me.cassh' (did you mean 'me.cash'?)"),
        (
            "rival.xaai.capability",
            6,
            "unknown lab 'xaai' in 'rival.xaai.capability' (did you mean 'rival.xai.capability'?)",
        ),
        ("world.demnd", 6, "unknown field 'world.demnd' (did you mean 'world.demand'?)"),
        ("us.gpus.h10", 8, "unknown chip 'h10' in 'us.gpus.h10' (did you mean 'us.gpus.h100'?)"),
        ("me.cash.foo", 8, "unknown field 'me.cash.foo' ('me.cash' has no fields)"),
        ("1 + zzzz", 4, "unknown name 'zzzz'"),
        ("me", 0, "'me' needs a field, like 'me.cash'"),
        (
            "flags.a.b",
            8,
            "'flags.a.b' is not a flag (a flag name is one word, like 'flags.stargate')",
        ),
        ("me.faction == 'usa'", 14, "unknown faction 'usa' (did you mean 'us'?)"),
    ],
)
def test_unknown_names_are_e120(text: str, col: int, message: str) -> None:
    assert only(text) == ExprProblem("E120", message, col)


def test_world_event_refuses_me() -> None:
    problem = only("turn > 2 and me.cash > 3", WORLD_CTX)
    assert (problem.code, problem.col) == ("E120", 13)
    assert "world event has no 'me'" in problem.message
    assert "me.cash" not in valid_names(WORLD_CTX)


@pytest.mark.parametrize(
    ("text", "col", "words"),
    [
        ("2 ** 3", 2, "'**' is not allowed in expressions"),
        ("10**10**10", 2, "'**' is not allowed"),
        ("__import__('os')", 0, "calls to '__import__' are not allowed"),
        (
            "open('/etc/passwd')",
            0,
            "calls to 'open' are not allowed; functions: min, max, abs, log10, clamp, sqrt",
        ),
        ("me.__class__", 3, "'__class__' is not allowed"),
        ("[x for x in flags]", 0, "comprehensions are not allowed"),
        ("lambda: 1", 0, "'lambda' is not allowed"),
        ("me.gpus['h100']", 0, "subscripts"),
        ("turn // 2", 5, "'//' is not allowed"),
        ("turn & 1", 5, "'&' is not allowed"),
        ("turn in flags", 5, "'in' is not allowed"),
        ("turn is 4", 5, "'is' is not allowed"),
        ("me.cash()", 0, "only functions can be called"),
        ("max(1, 2, key=3)", 10, "no keyword arguments"),
        ("max(*me.gpus)", 4, "'*' arguments are not allowed"),
        ("'x' * turn", 0, "a string cannot be used with '*'"),
        ("me.faction > 3", 0, "a string can only be compared with another string"),
        ("None", 0, "'None' is not allowed"),
        ("turn if flags.stargate else 0", 0, "'if ... else' is not allowed"),
        ("turn  # a comment", 6, "comments"),
    ],
)
def test_forbidden_constructs_are_e122(text: str, col: int, words: str) -> None:
    found = problems(text)
    assert found[0].code == "E122"
    assert found[0].col == col
    assert words in found[0].message


def test_attribute_of_a_non_name_is_refused() -> None:
    found = problems("().__class__")
    assert [p.code for p in found] == ["E122", "E122"]
    assert {p.col for p in found} == {0, 3}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("min(1)", "'min' takes at least 2 arguments, not 1"),
        ("max()", "'max' takes at least 2 arguments, not 0"),
        ("abs(1, 2)", "'abs' takes 1 argument, not 2"),
        ("clamp(1, 2)", "'clamp' takes 3 arguments, not 2"),
    ],
)
def test_wrong_argument_counts_are_e123(text: str, words: str) -> None:
    assert only(text) == ExprProblem("E123", words, 0)


def test_every_problem_is_reported_in_column_order() -> None:
    found = problems("me.cassh + world.demnd ** 2 + min(1)")
    assert [(p.code, p.col) for p in found] == [
        ("E120", 3),
        ("E120", 17),
        ("E122", 23),
        ("E123", 30),
    ]


def test_columns_count_characters_not_bytes() -> None:
    assert only("'é' == 'é' and me.cassh").col == 18


def test_error_text_names_code_and_column() -> None:
    with pytest.raises(ExprError, match=r"E120 col 3: unknown field 'me.cassh'"):
        compile_expr("me.cassh", CTX)


def test_deeply_nested_expression_is_refused_not_crashed() -> None:
    assert only("1+" * 5000 + "1").code == "E122"


def test_effect_value_must_be_a_number() -> None:
    with pytest.raises(ExprError) as info:
        compile_value("me.faction", CTX)
    assert info.value.problems[0].code == "E122"


# --- targets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("me.cash", Target("me", None, "cash", None)),
        ("us.backing", Target("lab", "us", "backing", None)),
        ("china.concern", Target("lab", "china", "concern", None)),
        ("rival.xai.efficiency", Target("lab", "xai", "efficiency", None)),
        ("rival.moonshot-ai.cash", Target("lab", "moonshot-ai", "cash", None)),
        ("me.gpus.h100", Target("me", None, "gpus", "h100")),
        ("me.power.gas", Target("me", None, "power", "gas")),
        ("world.demand", Target("world", None, "demand", None)),
    ],
)
def test_parse_target(text: str, target: Target) -> None:
    assert parse_target(text, CTX) == target


def test_read_only_target_is_e124_and_lists_what_can_change() -> None:
    with pytest.raises(ExprError) as info:
        parse_target("me.rank", CTX)
    (problem,) = info.value.problems
    assert (problem.code, problem.col) == ("E124", 3)
    assert "cannot be changed by an effect" in problem.message
    assert "cash" in problem.message and "gpus.<chip>" in problem.message


@pytest.mark.parametrize(
    ("text", "code", "col"),
    [
        ("world.frontier", "E124", 6),
        ("me.cassh", "E120", 3),
        ("rival.xaai.cash", "E120", 6),
        ("me.gpus.b200", "E120", 8),
        ("turn", "E120", 0),
        ("me..cash", "E121", 0),
    ],
)
def test_bad_targets(text: str, code: str, col: int) -> None:
    with pytest.raises(ExprError) as info:
        parse_target(text, CTX)
    assert [(p.code, p.col) for p in info.value.problems] == [(code, col)]


def test_target_suggests_a_writable_field() -> None:
    with pytest.raises(ExprError, match=r"did you mean 'me.cash'\?"):
        parse_target("me.cassh", CTX)


def test_world_event_target_refuses_me() -> None:
    with pytest.raises(ExprError):
        parse_target("me.cash", WORLD_CTX)
    assert parse_target("us.cash", WORLD_CTX) == Target("lab", "us", "cash", None)


# --- names -----------------------------------------------------------------------------


def test_valid_names() -> None:
    names = valid_names(CTX)
    assert names == sorted(names)
    for name in ("turn", "me.cash", "me.gpus.h100", "us.power.gas", "rival.xai.rank"):
        assert name in names
    assert "world.demand" in names and "flags.<name>" in names
    assert EXPR_FUNCTIONS == ("min", "max", "abs", "log10", "clamp", "sqrt", "since")


# --- property --------------------------------------------------------------------------

_LEAVES = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(min_value=-EXPR_NUMBER, max_value=EXPR_NUMBER).map(repr),
    st.sampled_from(["0", "0.0", "1e100", "turn", "me.cash", "me.gpus.h100", "rival.xai.cash"]),
)


def _grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(inner, st.sampled_from("+-*/%"), inner).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    unary = st.tuples(st.sampled_from(["-", "abs", "log10", "sqrt"]), inner).map(
        lambda t: f"{t[0]}({t[1]})"
    )
    many = st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=4))
    calls = many.map(lambda t: f"{t[0]}({', '.join(t[1])})")
    clamp = st.tuples(inner, inner, inner).map(lambda t: f"clamp({', '.join(t)})")
    return st.one_of(binary, unary, calls, clamp)


@settings(max_examples=300, deadline=None)
@given(
    text=st.recursive(_LEAVES, _grow, max_leaves=25),
    cash=st.floats(allow_nan=False),
    gpus=st.integers(0, 10**7),
)
def test_arithmetic_never_raises_once_compiled(text: str, cash: float, gpus: int) -> None:
    me = lab(cash=cash, gpus={"h100": gpus})
    result = compile_expr(text, CTX).fn(me, LABS, WORLD, FLAGS, 4, 2025, 4)
    assert isinstance(result, (int, float))
