"""The scenario loader: every error kind with its code, message and position; extends."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from game.scenario import find, loader
from game.scenario.errors import CODES, Problem, ScenarioError
from game.scenario.extends import sources
from game.scenario.loader import find_scenario, list_scenarios, load_scenario
from game.scenario.merge import merge_scenarios
from game.scenario.models import Scenario
from game.scenario.yamlpos import LList, LMap, Pos, locate, read_located

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
CHILD_HEAD = "extends: mini\nmeta: {id: child, name: Child}\n"  # lines 1-2 of every child file


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path | str) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def only(path: Path | str) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def child(folder: Path, body: str) -> Path:
    """A scenario extending mini.yaml: its own lines start at line 3."""
    shutil.copy(MINI, folder / "mini.yaml")
    return write(folder, "child.yaml", CHILD_HEAD + dedent(body))


def where(p: Problem) -> tuple[str, int, int]:
    return Path(p.path).name, p.line, p.col


def col_of(path: Path, line: int, needle: str) -> int:
    """1-based column of `needle` on a line of a file, to pin where a problem points."""
    return path.read_text().splitlines()[line - 1].index(needle) + 1


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the shipped scenarios folder a temporary one holding mini.yaml."""
    folder = tmp_path / "shipped"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    monkeypatch.setattr(find, "scenarios_dir", lambda: folder)
    return folder


# --- the fixture itself ---------------------------------------------------------


def test_mini_loads() -> None:
    s = load_scenario(MINI)
    assert isinstance(s, Scenario)
    assert s.meta.id == "mini"
    assert [e.id for e in s.events] == ["boom", "bust", "offer"]


def test_problem_and_error_text() -> None:
    a = Problem("x.yaml", 12, 9, "E100", "unknown key 'nmae'")
    b = Problem("x.yaml", 13, 1, "E101", "missing required key 'name'")
    assert str(a) == "x.yaml:12:9: E100 unknown key 'nmae'"
    error = ScenarioError([a, b])
    assert error.problems == [a, b]
    assert str(error) == f"{a}\n{b}"


# --- reading YAML: E001-E009 ----------------------------------------------------


def test_e001_missing_file(tmp_path: Path) -> None:
    p = only(str(tmp_path / "nope.yaml"))
    assert (p.code, p.line, p.col) == ("E001", 1, 1)
    assert p.message == f"no such file '{tmp_path / 'nope.yaml'}'"
    p = only(tmp_path / "nope.yaml")  # a Path is read as it is
    assert (p.code, p.line, p.col) == ("E001", 1, 1)
    assert p.message == "cannot read the file: No such file or directory"


def test_e001_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    p = only(str(folder))
    assert (p.code, p.line, p.col) == ("E001", 1, 1)
    assert p.message.startswith("cannot read the file: ")


def test_e001_unknown_id_suggests(shipped: Path) -> None:
    p = only("mnii")
    assert (p.path, p.line, p.col, p.code) == ("mnii", 1, 1, "E001")
    assert p.message == "unknown scenario 'mnii' (did you mean 'mini'?); known scenarios: mini"


def test_e002_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * (1 << 20) + "\n")
    p = only(path)
    assert (p.code, p.line, p.col, p.message) == ("E002", 1, 1, "the file is larger than 1 MiB")


def test_e003_syntax(tmp_path: Path) -> None:
    p = only(write(tmp_path, "s.yaml", "a: [1\n"))
    assert (p.code, p.line, p.col) == ("E003", 2, 1)
    assert (
        p.message
        == "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)"
    )


def test_e003_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"a: ok\nb: \xff\n")
    p = only(path)
    assert (p.code, p.line, p.col, p.message) == (
        "E003",
        2,
        4,
        "the file is not valid UTF-8 (byte 0xff)",
    )


def test_e003_control_character(tmp_path: Path) -> None:
    path = tmp_path / "ctl.yaml"
    path.write_bytes(b"a: b\nc: \x01\n")
    p = only(path)
    assert (p.code, p.line, p.col, p.message) == (
        "E003",
        2,
        4,
        "character #x0001 is not allowed in YAML",
    )


def test_e004_deep_nesting_refused_without_recursion(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 100_000 + "\n")
    p = only(path)
    assert (p.code, p.line, p.col) == ("E004", 1, 41)
    assert p.message == "values are nested more than 40 levels deep"


def test_forty_levels_are_allowed(tmp_path: Path) -> None:
    value = read_located(write(tmp_path, "forty.yaml", "[" * 40 + "x" + "]" * 40 + "\n")).value
    for _ in range(40):
        (value,) = value
    assert value == "x"


def test_e004_deep_block_nesting(tmp_path: Path) -> None:
    text = "a:\n" + "".join(" " * i + "- \n" for i in range(1, 60))
    p = only(write(tmp_path, "deep.yaml", text))
    assert (p.code, p.line, p.col) == ("E004", 41, 41)


BOMB = """\
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


def test_e005_alias_bomb(tmp_path: Path) -> None:
    p = only(write(tmp_path, "bomb.yaml", BOMB))
    assert p.code == "E005"
    assert p.message == "aliases expand to more than 200,000 values"
    assert (p.line, p.col) == (6, 4)  # the first value that expands too far: &f


def test_e004_alias_chain_deeper_than_the_file(tmp_path: Path) -> None:
    text = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 5000))
    p = only(write(tmp_path, "chain.yaml", text))
    # a39 would hold 40 lists inside the root; the problem is placed at the anchor it
    # repeats (&a38), as an alias has no position of its own.
    assert (p.code, p.line, p.col) == ("E004", 39, 6)
    assert p.message == "values are nested more than 40 levels deep"


def test_e005_recursive_alias(tmp_path: Path) -> None:
    p = only(write(tmp_path, "rec.yaml", "a: &x\n  b: *x\n"))
    assert (p.code, p.line, p.col) == ("E005", 1, 4)  # an alias is placed at its anchor
    assert p.message == "an alias refers to a value that contains it"


def test_e006_duplicate_key_at_second(tmp_path: Path) -> None:
    p = only(write(tmp_path, "dup.yaml", "a: 1\nb:\n  c: 2\n  c: 3\n"))
    assert (p.code, p.line, p.col) == ("E006", 4, 3)
    assert p.message == "duplicate key 'c' (first at line 3)"


def test_e007_non_text_keys(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, "keys.yaml", "a: 1\n2: x\non: y\n[k]: z\n"))
    assert [(p.code, p.line, p.col) for p in problems] == [
        ("E007", 2, 1),
        ("E007", 3, 1),
        ("E007", 4, 1),
    ]
    assert problems[0].message == "key '2' is read as a number, not text; put it in quotes"
    assert problems[1].message == "key 'on' is read as true/false, not text; put it in quotes"
    assert problems[2].message == "a key must be text, not a list or a mapping"


def test_e009_old_yaml_true_and_false_words(tmp_path: Path) -> None:
    text = "a: yes\nb: Off\nc: [on, true, False]\nd: 'yes'\n"
    problems = problems_of(write(tmp_path, "words.yaml", text))
    assert [(p.code, p.line, p.col, p.message) for p in problems] == [
        ("E009", 1, 4, "'yes' is true in old YAML but text to editors (YAML 1.2): write true"),
        ("E009", 2, 4, "'Off' is false in old YAML but text to editors (YAML 1.2): write false"),
        ("E009", 3, 5, "'on' is true in old YAML but text to editors (YAML 1.2): write true"),
    ]


def test_e008_python_tag_refused_cleanly(tmp_path: Path) -> None:
    p = only(write(tmp_path, "tag.yaml", "a: 1\nb: !!python/object/apply:os.system [echo hi]\n"))
    assert (p.code, p.line, p.col) == ("E008", 2, 4)
    assert p.message == "unsupported YAML tag '!!python/object/apply:os.system'"


def test_e008_values_that_do_not_fit_their_tag(tmp_path: Path) -> None:
    text = "a: !!bool maybe\nb: !!float ''\nc: " + "9" * 5000 + "\n"
    problems = problems_of(write(tmp_path, "tags.yaml", text))
    assert [(p.code, p.line, p.col, p.message) for p in problems] == [
        ("E008", 1, 4, "cannot read 'maybe' as true/false"),
        ("E008", 2, 4, "cannot read '' as a number"),
        ("E008", 3, 4, "cannot read '99999999999999999999...' as a number"),
    ]


def test_yaml_merge_keys_are_supported(tmp_path: Path) -> None:
    doc = read_located(write(tmp_path, "m.yaml", "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n"))
    c = doc.value["c"]
    assert c == {"y": 3, "x": 1}
    assert c.val_pos["y"].line == 4 and c.val_pos["x"].line == 1


# --- positions --------------------------------------------------------------------


def test_positions_and_styles(tmp_path: Path) -> None:
    path = write(
        tmp_path, "p.yaml", "a:\n  b: plain text\n  c: 'quoted'\n  d: |\n    block\nl: [x, 'y']\n"
    )
    tree = read_located(path).value
    name = str(path)
    assert tree["a"].val_pos["b"] == Pos(name, 2, 6, "plain", True)
    assert tree["a"].key_pos["c"] == Pos(name, 3, 3, "plain", True)
    assert tree["a"].val_pos["c"].style == "quoted"
    assert tree["a"].val_pos["d"].style == "block"
    assert tree["l"].item_pos[1] == Pos(name, 6, 8, "quoted", True)
    assert tree["a"].val_pos["b"].at(6).col == 12  # 'text'
    assert tree["a"].val_pos["c"].at(0).col == 7  # after the quote
    block = tree["a"].val_pos["d"].at(3)  # block: line by line, as written
    assert (block.line, block.col) == (5, 8)


def test_locate_skips_union_members_and_finds_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "l.yaml",
        "victory:\n  - kind: turning_point\n    threshold: x\nchips:\n  H1: {}\n",
    )
    tree = read_located(path).value

    def at(loc: tuple[str | int, ...], at_key: bool = False) -> tuple[int, int]:
        pos = locate(tree, loc, at_key=at_key)
        return pos.line, pos.col

    assert at(("victory", 0, "turning_point", "threshold")) == (3, 16)
    assert at(("chips", "H1", "[key]")) == (5, 3)
    assert at(("chips", "H1"), at_key=True) == (5, 3)
    assert at(("chips", "H1", "function-after[x]", "missing")) == (5, 7)


# --- validation: E100-E103 --------------------------------------------------------


def test_e100_unknown_key_with_suggestion(tmp_path: Path) -> None:
    p = only(child(tmp_path, "world:\n  demnad: 3\n"))
    assert (where(p), p.code) == (("child.yaml", 4, 3), "E100")
    assert p.message == "world: unknown key 'demnad' (did you mean 'demand'?)"


def test_e100_suggests_aliases_and_union_members(tmp_path: Path) -> None:
    body = """\
    chips:
      h100:
        clas: frontier
    victory:
      - kind: turning_point
        threshhold: 5
    """
    problems = problems_of(child(tmp_path, body))
    assert [(where(p), p.code, p.message) for p in problems] == [
        (("child.yaml", 5, 5), "E100", "chips.h100: unknown key 'clas' (did you mean 'class'?)"),
        (("child.yaml", 7, 5), "E101", "victory[0]: missing required key 'threshold'"),
        (
            ("child.yaml", 8, 5),
            "E100",
            "victory[0]: unknown key 'threshhold' (did you mean 'threshold'?)",
        ),
    ]


def test_e101_missing_key(tmp_path: Path) -> None:
    p = only(child(tmp_path, "rivals:\n  newco:\n    name: New Co\n"))
    assert (where(p), p.code) == (("child.yaml", 5, 5), "E101")
    assert p.message == "rivals.newco: missing required key 'cash'"


def test_e101_extending_scenario_needs_own_meta(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "mini.yaml")
    p = only(write(tmp_path, "c.yaml", "extends: mini\nturns: 9\n"))
    assert (where(p), p.code) == (("c.yaml", 1, 1), "E101")
    assert (
        p.message
        == "missing required key 'meta' (a scenario that extends another needs its own meta)"
    )


def test_e102_wrong_type(tmp_path: Path) -> None:
    p = only(child(tmp_path, "turns: many\n"))
    assert (where(p), p.code, p.message) == (
        ("child.yaml", 3, 8),
        "E102",
        "turns: expected a whole number, got 'many'",
    )


def test_e102_union_gives_one_problem(tmp_path: Path) -> None:
    body = "chips:\n  h100:\n    name: 5\n    price: abc\n"
    problems = problems_of(child(tmp_path, body))
    assert [(where(p), p.code, p.message) for p in problems] == [
        (
            ("child.yaml", 5, 11),
            "E102",
            "chips.h100.name: expected text, got 5 (put it in quotes to make it text)",
        ),
        (("child.yaml", 6, 12), "E102", "chips.h100.price: expected a number, got 'abc'"),
    ]


def test_e103_bad_values(tmp_path: Path) -> None:
    body = (
        "chips:\n  h100:\n    price: -5\n    class: frontir\ndifficulties:\n  Easy: {name: Easy}\n"
    )
    problems = problems_of(child(tmp_path, body))
    assert [(where(p), p.code, p.message) for p in problems] == [
        (("child.yaml", 5, 12), "E103", "chips.h100.price: must be at least 1"),
        (
            ("child.yaml", 6, 12),
            "E103",
            "chips.h100.class: must be one of 'frontier', 'compliant', 'domestic' or 'smuggled', "
            "got 'frontir' (did you mean 'frontier'?)",
        ),
        (
            ("child.yaml", 8, 3),
            "E103",
            "difficulties: key 'Easy' is not a valid id: "
            "use lowercase letters, digits, '-' and '_', starting with a letter",
        ),
    ]


def test_e103_custom_validator_message(tmp_path: Path) -> None:
    p = only(child(tmp_path, "start: 2025 Q5\n"))
    assert (where(p), p.code, p.message) == (
        ("child.yaml", 3, 8),
        "E103",
        "start: '2025 Q5' is not a date like '2025 Q3'",
    )


# --- semantic checks: E110-E112, expressions ------------------------------------


def test_e110_unknown_chip_with_suggestion(tmp_path: Path) -> None:
    p = only(child(tmp_path, "rivals:\n  hive:\n    gpus: {h10: 5}\n"))
    assert (where(p), p.code) == (("child.yaml", 5, 12), "E110")
    assert p.message == "rivals.hive.gpus: unknown chip 'h10' (did you mean 'h100'?)"


def test_e110_other_references(tmp_path: Path) -> None:
    body = """\
    difficulties:
      easy: {name: Easy, rival_policies: {hiev: scaler}}
    events:
      - id: new
        title: New
        who: plyer
        then: [{event: bost}]
        effects:
          - price: {chip: h2O, multiply: 2}
          - power_lead: {source: gird, faction: us, add: 1}
    """
    problems = problems_of(child(tmp_path, body))
    assert [(where(p), p.code, p.message) for p in problems] == [
        (
            ("child.yaml", 4, 39),
            "E110",
            "difficulties.easy.rival_policies: unknown rival 'hiev' (did you mean 'hive'?)",
        ),
        (
            ("child.yaml", 8, 10),
            "E110",
            "events[id=new].who: unknown who 'plyer' (did you mean 'player'?); "
            "use player, ai, all, world, us, china or a lab id",
        ),
        (
            ("child.yaml", 9, 20),
            "E110",
            "events[id=new].then[0].event: unknown event 'bost' (did you mean 'bust'?)",
        ),
        (
            ("child.yaml", 11, 23),
            "E110",
            "events[id=new].effects[0].price.chip: unknown chip 'h2O' (did you mean 'h20'?)",
        ),
        (
            ("child.yaml", 12, 30),
            "E110",
            "events[id=new].effects[1].power_lead.source: "
            "unknown power source 'gird' (did you mean 'grid'?)",
        ),
    ]


def test_e111_duplicate_event_id(tmp_path: Path) -> None:
    text = MINI.read_text().replace(
        "difficulties:", "  - id: boom\n    title: Again\ndifficulties:"
    )
    path = write(tmp_path, "dup.yaml", text)
    line = text.splitlines().index("  - id: boom", 70) + 1
    p = only(path)
    assert (where(p), p.code) == (("dup.yaml", line, 9), "E111")
    assert p.message == f"events[3].id: duplicate event id 'boom' (first at {path}:63)"


def test_e111_duplicate_in_extending_scenario(tmp_path: Path) -> None:
    body = "events:\n  - {id: twin, title: A}\n  - {id: twin, title: B}\n"
    p = only(child(tmp_path, body))
    assert (where(p), p.code, p.message) == (
        ("child.yaml", 5, 10),
        "E111",
        "duplicate event id 'twin' (first at line 4)",
    )


def test_e112_lab_id_clash(tmp_path: Path) -> None:
    p = only(child(tmp_path, "factions:\n  us:\n    lab_id: hive\n"))
    assert (where(p), p.code, p.message) == (
        ("child.yaml", 5, 13),
        "E112",
        "factions.us.lab_id: lab id 'hive' is also a rival's id",
    )


def test_e120_unknown_name_column_in_plain_scalar(tmp_path: Path) -> None:
    path = child(
        tmp_path, "events:\n  - id: boom\n    title: Boom\n    when: turn >= 2 and me.cassh > 100\n"
    )
    p = only(path)
    assert (where(p), p.code) == (("child.yaml", 6, col_of(path, 6, "cassh")), "E120")
    assert p.message == "events[id=boom].when: unknown field 'me.cassh' (did you mean 'me.cash'?)"


def test_e120_column_in_quoted_value_and_target_key(tmp_path: Path) -> None:
    body = """\
    events:
      - id: boom
        title: Boom
        effects:
          - add: {me.cassh: "0.5 * rival.hiev.cash"}
    """
    path = child(tmp_path, body)
    problems = problems_of(path)
    assert [(where(p), p.code, p.message) for p in problems] == [
        (
            ("child.yaml", 7, col_of(path, 7, "cassh")),
            "E120",
            "events[id=boom].effects[0].add.me.cassh: "
            "unknown field 'me.cassh' (did you mean 'me.cash'?)",
        ),
        (
            ("child.yaml", 7, col_of(path, 7, "hiev")),
            "E120",
            "events[id=boom].effects[0].add.me.cassh: unknown lab 'hiev' in 'rival.hiev.cash' "
            "(did you mean 'rival.hive.cash'?)",
        ),
    ]


def test_e120_world_event_has_no_me(tmp_path: Path) -> None:
    path = child(tmp_path, "events:\n  - {id: w, title: W, who: world, when: me.cash > 1}\n")
    p = only(path)
    assert (where(p), p.code) == (("child.yaml", 4, col_of(path, 4, "me.cash")), "E120")
    assert p.message.startswith(
        "events[id=w].when: 'me.cash' cannot be used here: a world event has no 'me'"
    )


def test_e121_syntax_error_column(tmp_path: Path) -> None:
    path = child(tmp_path, "events:\n  - id: boom\n    title: Boom\n    when: turn >= >= 2\n")
    p = only(path)
    assert (where(p), p.code) == (("child.yaml", 6, col_of(path, 6, ">= 2")), "E121")
    assert p.message == "events[id=boom].when: this is not a valid expression here"


def test_e124_read_only_target(tmp_path: Path) -> None:
    path = child(
        tmp_path, "events:\n  - id: boom\n    title: Boom\n    effects: [{set: {me.rank: 1}}]\n"
    )
    p = only(path)
    assert (where(p), p.code) == (("child.yaml", 6, col_of(path, 6, "rank")), "E124")
    assert p.message.startswith(
        "events[id=boom].effects[0].set.me.rank: 'me.rank' cannot be changed by an effect"
    )


def test_expression_too_deep_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = child(tmp_path, "events:\n  - {id: boom, title: Boom, when: '" + "-" * 100_000 + "1'}\n")
    p = only(path)
    assert (where(p)[:2], p.code) == (("child.yaml", 4), "E122")


# --- extends: E130, E131 and the merge ----------------------------------------


def test_e130_missing_parent(shipped: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", "meta: {id: c, name: C}\nextends: mnii\n")
    p = only(path)
    assert (where(p), p.code) == (("c.yaml", 2, 10), "E130")
    assert (
        p.message
        == "extends: unknown scenario 'mnii' (did you mean 'mini'?); known scenarios: mini"
    )


def test_e130_missing_parent_file(tmp_path: Path) -> None:
    p = only(write(tmp_path, "c.yaml", "extends: ../nowhere.yaml\nmeta: {id: c, name: C}\n"))
    assert (where(p), p.code, p.message) == (
        ("c.yaml", 1, 10),
        "E130",
        "extends: no such file '../nowhere.yaml'",
    )


def test_e130_cycle(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: b.yaml\nmeta: {id: a, name: A}\n")
    write(tmp_path, "b.yaml", "meta: {id: b, name: B}\nextends: a.yaml\n")
    p = only(tmp_path / "a.yaml")
    assert (where(p), p.code, p.message) == (
        ("b.yaml", 2, 10),
        "E130",
        "extends cycle: a -> b -> a",
    )


def test_e130_self_cycle(tmp_path: Path) -> None:
    p = only(write(tmp_path, "a.yaml", "extends: a.yaml\nmeta: {id: a, name: A}\n"))
    assert (where(p), p.code, p.message) == (("a.yaml", 1, 10), "E130", "extends cycle: a -> a")


def test_e131_remove_unknown_event(tmp_path: Path) -> None:
    p = only(child(tmp_path, "events:\n  - {id: nope, remove: true}\n"))
    assert (where(p), p.code) == (("child.yaml", 4, 5), "E131")
    assert p.message == "cannot remove event 'nope': the parent scenario has no such event"


def test_e131_remove_without_parent(tmp_path: Path) -> None:
    text = MINI.read_text().replace("difficulties:", "  - {id: gone, remove: true}\ndifficulties:")
    p = only(write(tmp_path, "r.yaml", text))
    assert (where(p)[1:], p.code) == ((81, 5), "E131")
    assert p.message == "cannot remove event 'gone': this scenario extends no other"


def test_several_errors_all_reported(tmp_path: Path) -> None:
    body = """\
    turns: many
    world: {demnad: 3}
    events:
      - {id: nope, remove: true}
    """
    problems = problems_of(child(tmp_path, body))
    assert [(p.line, p.code) for p in problems] == [(3, "E102"), (4, "E100"), (6, "E131")]


def test_several_semantic_errors_all_reported(tmp_path: Path) -> None:
    body = """\
    rivals:
      hive: {gpus: {h10: 1}, power_mw: {gird: 1}}
    events:
      - {id: boom, title: Boom, when: me.cassh > 1}
      - {id: nope, remove: true}
    """
    problems = problems_of(child(tmp_path, body))
    assert [(p.line, p.code) for p in problems] == [
        (4, "E110"),
        (4, "E110"),
        (6, "E120"),
        (7, "E131"),
    ]


def test_extends_merges_maps_events_and_lists(tmp_path: Path) -> None:
    body = """\
    turns: 12
    chips:
      h100: {price: 30000}
      b200: {name: B200, class: frontier, price: 40000, train_pflops: 2.2, serve_pflops: 2.5,
             kw: 1.8, supply: 500, buyers: [us]}
    victory:
      - {kind: turning_point, threshold: 50}
    events:
      - {id: bust, title: Bust twice, who: world}
      - {id: boom, remove: true}
      - {id: fresh, title: Fresh}
    """
    s = load_scenario(child(tmp_path, body))
    assert s.meta.id == "child" and s.meta.description == ""
    assert s.extends is None
    assert s.turns == 12 and s.start.year == 2025
    assert s.chips["h100"].price == 30000 and s.chips["h100"].name == "H100"
    assert list(s.chips) == ["h100", "h20", "b200"]
    assert [v.kind for v in s.victory] == ["turning_point"]
    assert [e.id for e in s.events] == ["bust", "offer", "fresh"]
    assert s.events[0].title == "Bust twice" and s.events[0].effects == []


def test_merge_keeps_positions_of_the_supplying_file(tmp_path: Path) -> None:
    parent = read_located(
        write(
            tmp_path, "p.yaml", "a: {x: 1, y: 2}\nl: [1, 2]\nevents:\n  - {id: e1}\n  - {id: e2}\n"
        )
    )
    kid = read_located(
        write(tmp_path, "c.yaml", "extends: p\na: {y: 3}\nl: [9]\nevents:\n  - {id: e1, t: 1}\n")
    )
    merged, problems = merge_scenarios(parent.value, kid.value)
    assert problems == []
    assert "extends" not in merged
    assert merged["a"] == {"x": 1, "y": 3}
    assert merged["a"].val_pos["x"].path.endswith("p.yaml")
    assert merged["a"].val_pos["y"].path.endswith("c.yaml")
    assert merged["l"] == [9] and isinstance(merged["l"], LList)
    assert merged["events"] == [{"id": "e1", "t": 1}, {"id": "e2"}]
    assert [p.path[-6:] for p in merged["events"].item_pos] == ["c.yaml", "p.yaml"]
    assert isinstance(merged, LMap)


def test_extends_chain_removes_grandparent_event(tmp_path: Path) -> None:
    child(tmp_path, "turns: 10\n")
    write(
        tmp_path,
        "grandchild.yaml",
        "extends: child.yaml\nmeta: {id: gc, name: GC}\nevents:\n  - {id: boom, remove: true}\n",
    )
    s = load_scenario(tmp_path / "grandchild.yaml")
    assert s.turns == 10 and s.meta.id == "gc"
    assert [e.id for e in s.events] == ["bust", "offer"]


# --- finding and listing -----------------------------------------------------------


def test_find_by_id_path_and_sibling(shipped: Path, tmp_path: Path) -> None:
    assert find_scenario("mini") == shipped / "mini.yaml"
    assert find_scenario(str(MINI)) == MINI
    assert find_scenario("mini", relative_to=DATA) == DATA / "mini.yaml"
    assert find_scenario("mini.yaml", relative_to=DATA) == DATA / "mini.yaml"


def test_list_scenarios(shipped: Path) -> None:
    write(shipped, "broken.yaml", "meta: {id: broken}\n")
    (info,) = list_scenarios()
    assert (info.id, info.name, info.turns, info.playable) == ("mini", "Mini", 8, ("us", "china"))
    assert info.path == shipped / "mini.yaml"
    assert info.description.startswith("The smallest")


def test_every_code_is_documented() -> None:
    folder = Path(loader.__file__).parent
    used = {code for p in folder.glob("*.py") for code in re.findall(r'"(E\d{3})"', p.read_text())}
    assert used and used <= set(CODES), used - set(CODES)


# --- nothing but ScenarioError escapes -------------------------------------------


def _mutate(text: str, rng: random.Random) -> str:
    # Fragments that break YAML structure or poke at the loader's limits.
    pieces = (
        ": |- |[|]|{|}|&a |*a|!!str |\n|  |'|\"|#|<<: |~|!!python/name:os.system|1e999|-1|"
        "extends: mini|remove: true|me.|((|\t|!!bool |!!float |!!int "
    ).split("|")
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(chars))
        action = rng.random()
        if action < 0.4:
            chars.insert(i, rng.choice(pieces))
        elif action < 0.7:
            del chars[i : i + rng.randint(1, 20)]
        else:
            j = rng.randrange(len(chars))
            chars[i:i] = chars[j : j + rng.randint(1, 40)]
    return "".join(chars)


def test_fuzz_only_scenario_errors(tmp_path: Path) -> None:
    rng = random.Random(20250101)
    shutil.copy(MINI, tmp_path / "mini.yaml")
    text = MINI.read_text()
    inputs = [bytes(rng.randrange(256) for _ in range(rng.randint(0, 200))) for _ in range(150)]
    inputs += [_mutate(text, rng).encode("utf-8", "replace") for _ in range(250)]
    outcomes = {"ok": 0, "error": 0}
    for n, data in enumerate(inputs):
        path = tmp_path / f"f{n}.yaml"
        path.write_bytes(data)
        try:
            load_scenario(path)
            outcomes["ok"] += 1
        except ScenarioError as e:
            assert e.problems and all(
                isinstance(p, Problem) and p.line >= 1 and p.col >= 1 for p in e.problems
            )
            outcomes["error"] += 1
    assert outcomes["error"] > 0


def test_expression_errors_are_reported_with_schema_errors_in_one_run(tmp_path: Path) -> None:
    """A file with a schema error still gets its well-formed events' expressions checked."""
    text = (Path(__file__).parent / "data" / "mini.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "both.yaml"
    typo = '  - id: typo\n    title: Typo\n    when: "me.cassh > 1"\n'
    bad.write_text(
        text.replace("turns: 8", "turns: 3").replace("events:\n", "events:\n" + typo, 1),
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(bad))
    codes = {p.code for p in caught.value.problems}
    assert "E103" in codes  # turns below the minimum
    assert "E120" in codes  # the misspelt field in the event's expression
    found = next(p for p in caught.value.problems if p.code == "E120")
    assert "did you mean 'me.cash'" in found.message


def test_a_type_error_and_a_missing_title_in_one_event_come_in_one_run(tmp_path: Path) -> None:
    body = """\
    events:
      - id: mine
        rare: often
        when: me.cassh > 1
    """
    problems = problems_of(child(tmp_path, body))
    assert [(where(p), p.code, p.message) for p in problems] == [
        (("child.yaml", 4, 5), "E101", "events[id=mine]: missing required key 'title'"),
        (
            ("child.yaml", 5, 11),
            "E102",
            "events[id=mine].rare: expected true or false, got 'often'",
        ),
        (
            ("child.yaml", 6, 14),
            "E120",
            "events[id=mine].when: unknown field 'me.cassh' (did you mean 'me.cash'?)",
        ),
    ]


def test_an_empty_title_is_named(tmp_path: Path) -> None:
    p = only(child(tmp_path, "events:\n  - {id: mine, title: ''}\n"))
    assert (where(p), p.code, p.message) == (
        ("child.yaml", 4, 23),
        "E103",
        "events[id=mine].title: must not be empty",
    )


def test_references_are_checked_whatever_else_is_wrong(tmp_path: Path) -> None:
    # A wrong value anywhere used to hide every reference and id problem
    # until it was fixed; now they come in the same run.
    body = """\
    turns: 3
    rivals:
      newlab: {name: New, faction: us, cash: 1, gpus: {h1000: 5}}
    factions:
      us: {lab_id: hive}
    difficulties:
      easy: {name: Easy, rival_policies: {nobody: scaler}}
    """
    problems = problems_of(child(tmp_path, body))
    assert [(p.line, p.code, p.message) for p in problems] == [
        (3, "E103", "turns: must be at least 8"),
        (5, "E110", "rivals.newlab.gpus: unknown chip 'h1000' (did you mean 'h100'?)"),
        (7, "E112", "factions.us.lab_id: lab id 'hive' is also a rival's id"),
        (9, "E110", "difficulties.easy.rival_policies: unknown rival 'nobody'"),
    ]


def test_an_authors_event_is_named_by_its_id_not_its_merged_index(tmp_path: Path) -> None:
    # mini has three events: the child's first is the fourth of the merged list.
    body = """\
    events:
      - {id: boom, title: Boom, chance: 2}
      - {id: first, title: First, who: plyer}
      - {id: second, title: Second, then: [{event: nowhere}]}
      - {title: No id}
    """
    problems = problems_of(child(tmp_path, body))
    assert [(where(p), p.message.split(":")[0]) for p in problems] == [
        (("child.yaml", 4, 37), "events[id=boom].chance"),
        (("child.yaml", 5, 36), "events[id=first].who"),
        (("child.yaml", 6, 48), "events[id=second].then[0].event"),
        (("child.yaml", 7, 5), "events[5]"),  # no id to name it by: its place, and its line
    ]


def test_a_scenario_given_as_data_is_checked_as_a_file_would_be() -> None:
    # A save embeds its scenario as data: the same checks, placed by key path.
    from game.scenario.loader import scenario_from_data

    data = load_scenario("base").model_dump(mode="json", by_alias=True)
    assert scenario_from_data(data, "save") == load_scenario("base")
    data["events"][0]["when"] = "me.cassh > 1"
    data["chips"]["h100"]["nmae"] = "typo"
    with pytest.raises(ScenarioError) as e:
        scenario_from_data(data, "save")
    assert [str(p) for p in e.value.problems] == [
        "save:1:1: E100 chips.h100: unknown key 'nmae' (did you mean 'name'?)",
        "save:1:1: E120 events[id=deepseek_surprise].when: unknown field 'me.cassh' "
        "(did you mean 'me.cash'?)",
    ]
    data["extends"] = "base"
    with pytest.raises(ScenarioError, match="E130 extends: a scenario given whole"):
        scenario_from_data(data, "save")


def test_rival_policies_against_a_side_name_known_rivals(tmp_path: Path) -> None:
    body = """\
    difficulties:
      easy: {name: Easy, rival_policies_against: {china: {hiev: scaler}}}
    """
    p = only(child(tmp_path, body))
    assert (where(p), p.code) == (("child.yaml", 4, 55), "E110")
    assert p.message == (
        "difficulties.easy.rival_policies_against.china: unknown rival 'hiev' "
        "(did you mean 'hive'?)"
    )


def test_a_shipped_level_that_plays_differently_from_its_parents_says_so() -> None:
    # The new-game screen shows a level's description: one inherited from the
    # scenario extended must not describe rivals or money this level changed.
    for info in list_scenarios():
        chain = sources(info.path)  # the file, then the one it extends, and on
        if len(chain) < 2:
            continue
        sc, parent = load_scenario(info.path), load_scenario(chain[1])
        for key, level in sc.difficulties.items():
            theirs = parent.difficulties.get(key)
            if theirs is None:
                continue
            same = level.model_dump(exclude={"description"}) == theirs.model_dump(
                exclude={"description"}
            )
            assert same or level.description != theirs.description, (sc.meta.id, key)
