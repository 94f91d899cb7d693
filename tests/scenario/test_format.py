"""What the format says since issue 11: chip groups, `who` lists, a lab's name in event
text, numbers relative to the inherited ones and glossary entries merged by term."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import jsonschema
import pytest
import yaml

from game.scenario.errors import Problem, ScenarioError
from game.scenario.lint import lint_file
from game.scenario.loader import load_scenario
from game.scenario.schema import scenario_schema

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
CHILD_HEAD = "extends: mini\nmeta: {id: child, name: Child}\n"  # lines 1-2 of every child file
GLOSSARY = """\
glossary:
  - {term: H100, text: A fast chip.}
  - {term: Export controls, text: Rules on who may buy what.}
  - {term: FLOP, text: One operation.}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def child(folder: Path, body: str, parent_extra: str = "") -> Path:
    """A scenario extending mini.yaml (plus `parent_extra`): its own lines start at line 3."""
    write(folder, "mini.yaml", MINI.read_text(encoding="utf-8") + parent_extra)
    return write(folder, "child.yaml", CHILD_HEAD + dedent(body))


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def only(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def at(p: Problem) -> tuple[int, int, str]:
    return p.line, p.col, p.code


# --- chip groups ------------------------------------------------------------------


def test_an_effect_may_name_a_chip_group(tmp_path: Path) -> None:
    body = """\
    chip_groups:
      nvidia: [h100, h20]
    events:
      - id: ban
        title: Every NVIDIA chip banned
        who: world
        effects:
          - export: {chip: nvidia, faction: china, allow: false}
          - price: {chip: nvidia, multiply: 1.1}
          - supply: {chip: nvidia, faction: china, multiply: 0}
    """
    s = load_scenario(child(tmp_path, body))
    assert s.chip_groups == {"nvidia": ["h100", "h20"]}
    assert s.chips_named("nvidia") == ("h100", "h20") and s.chips_named("h20") == ("h20",)


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            "chip_groups: {nvidia: [h100, h2O]}\n",
            (3, 30, "E110"),
            "chip_groups.nvidia[1]: unknown chip 'h2O' (did you mean 'h20'?)",
        ),
        (
            "chip_groups: {h20: [h100]}\n",
            (3, 15, "E114"),
            "chip_groups: chip group 'h20' has the id of a chip: an effect could not tell "
            "them apart",
        ),
        (
            "chip_groups: {nvidia: []}\n",
            (3, 23, "E103"),
            "chip_groups.nvidia: needs at least 1 item",
        ),
        (
            "chip_groups: {nvidia: [h100]}\nevents:\n  - id: ban\n    title: Ban\n"
            "    effects: [{export: {chip: nvidai, faction: china, allow: false}}]\n",
            (7, 31, "E110"),
            "events[id=ban].effects[0].export.chip: unknown chip or chip group 'nvidai' "
            "(did you mean 'nvidia'?)",
        ),
    ],
)
def test_chip_group_errors(
    tmp_path: Path, body: str, where: tuple[int, int, str], message: str
) -> None:
    p = only(child(tmp_path, body))
    assert (p.line, p.col, p.code, p.message) == (*where, message)


# --- who as a list ------------------------------------------------------------------


def test_who_may_be_a_list(tmp_path: Path) -> None:
    body = "events:\n  - {id: squeeze, title: Squeeze, who: [china, hive]}\n"
    s = load_scenario(child(tmp_path, body))
    assert s.events[-1].who == ("china", "hive")
    assert lint_file(tmp_path / "child.yaml")[1] == []


@pytest.mark.parametrize(
    ("who", "where", "message"),
    [
        (
            "[china, hvie]",
            (4, 48, "E110"),
            "events[id=squeeze].who[1]: unknown who 'hvie' (did you mean 'hive'?); use player, "
            "ai, all, us, china or a lab id",
        ),
        (
            "[china, world]",
            (4, 48, "E103"),
            "events[id=squeeze].who[1]: world cannot be in a who list: a world event hits no "
            "lab; use who: world",
        ),
        ("[]", (4, 40, "E103"), "events[id=squeeze].who: needs at least 1 item"),
    ],
)
def test_who_list_errors(
    tmp_path: Path, who: str, where: tuple[int, int, str], message: str
) -> None:
    body = f"events:\n  - {{id: squeeze, title: Squeeze, who: {who}}}\n"
    p = only(child(tmp_path, body))
    assert (p.line, p.col, p.code, p.message) == (*where, message)


def test_a_hand_over_reads_who_lists(tmp_path: Path) -> None:
    body = """\
    events:
      - {id: first, title: First, who: [china], then: [{event: second}]}
      - {id: second, title: Second, who: [us, hive], chained: true}
    """
    p = only(child(tmp_path, body))
    assert p.code == "E113"
    assert p.message.endswith(
        "'first' (who: [china]) chains to 'second' (who: [us, hive]), which never happens to "
        "the same lab: a chained event happens to the lab its chain came from"
    )
    ok = body.replace("who: [us, hive]", "who: [us, dragon]")
    load_scenario(write(tmp_path, "child.yaml", CHILD_HEAD + dedent(ok)))


def test_w101_reads_who_lists(tmp_path: Path) -> None:
    from tests.scenario.test_lint import SOLO

    path = tmp_path / "solo.yaml"
    path.write_text(SOLO + "events:\n  - {id: lone, title: Lone, who: [ai, china]}\n")
    found = lint_file(path)[1]
    assert [w.code for w in found] == ["W101"]
    assert "who: [ai, china] names no lab in this scenario" in found[0].message
    path.write_text(SOLO + "events:\n  - {id: lone, title: Lone, who: [ai, us]}\n")
    assert lint_file(path)[1] == []


# --- a lab's name in event text ---------------------------------------------------


def test_event_text_may_name_the_lab(tmp_path: Path) -> None:
    body = """\
    events:
      - id: talk
        title: "{lab} in the news"
        text: "{lab_short}, of {side}, writes {{braces}} as it likes."
        effects: [{news: "{lab} speaks"}]
        choices: [{label: "Thank {lab_short}", preview: "{side} is pleased"}]
    """
    load_scenario(child(tmp_path, body))


@pytest.mark.parametrize(
    ("line", "where", "message"),
    [
        (
            "title: 'Hello {labb}'",
            (5, 19),
            "events[id=talk].title: unknown placeholder '{labb}' (did you mean "
            "'{lab}'?): text may say {lab}, {lab_short}, {side}; write {{ and }} for braces",
        ),
        (
            "title: 'A { alone'",
            (5, 15),
            "events[id=talk].title: a lone '{': write {{ for a brace, or a placeholder such as "
            "{lab}",
        ),
        (
            "title: '{lab} and the world'\n    who: world",
            (5, 13),
            "events[id=talk].title: {lab} in a world event, which hits no lab",
        ),
    ],
)
def test_e115_placeholders(tmp_path: Path, line: str, where: tuple[int, int], message: str) -> None:
    body = f"events:\n  - id: talk\n    {line}\n"
    p = only(child(tmp_path, body))
    assert (p.line, p.col, p.code, p.message) == (*where, "E115", message)


@pytest.mark.parametrize("style", [">-", "|", ">"])
def test_e115_in_a_block_of_text_points_at_the_placeholder(tmp_path: Path, style: str) -> None:
    body = (
        "events:\n  - id: talk\n    title: Talk\n"
        f"    text: {style}\n"
        "      A first line of the story,\n"
        "\n"
        "        then one indented, and\n"
        "      {lab_name} brings its team home.\n"
    )
    p = only(child(tmp_path, body))
    assert (p.code, p.line, p.col) == ("E115", 10, 7)
    assert "'{lab_name}'" in p.message


def test_e115_in_choices_and_news(tmp_path: Path) -> None:
    body = """\
    events:
      - id: talk
        title: Talk
        effects: [{news: "{labb} speaks"}]
        choices: [{label: "Thank {lab}", preview: "{sid} is pleased"}]
    """
    problems = problems_of(child(tmp_path, body))
    assert [(p.code, p.message.split(": ")[0]) for p in problems] == [
        ("E115", "events[id=talk].effects[0].news"),
        ("E115", "events[id=talk].choices[0].preview"),
    ]


# --- glossary entries merge by term ---------------------------------------------


def test_a_glossary_entry_is_added_replaced_or_removed_by_term(tmp_path: Path) -> None:
    body = """\
    glossary:
      - {term: export controls, text: Washington's rules.}
      - {term: FLOP, remove: true}
      - {term: HBM, text: Memory stacked beside the chip.}
    """
    s = load_scenario(child(tmp_path, body, GLOSSARY))
    assert [(g.term, g.text) for g in s.glossary] == [
        ("H100", "A fast chip."),
        ("export controls", "Washington's rules."),
        ("HBM", "Memory stacked beside the chip."),
    ]
    # Removal is the merge's business: a loaded entry never says remove.
    assert "remove" not in s.model_dump()["glossary"][0]


def test_e131_remove_an_unknown_glossary_term(tmp_path: Path) -> None:
    p = only(child(tmp_path, "glossary:\n  - {term: TPU, remove: true}\n", GLOSSARY))
    assert at(p) == (4, 5, "E131")
    assert p.message == "cannot remove glossary term 'TPU': the parent scenario has no such term"


def test_e131_remove_a_glossary_term_without_parent(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8") + "glossary:\n  - {term: TPU, remove: true}\n"
    p = only(write(tmp_path, "alone.yaml", text))
    assert p.code == "E131"
    assert p.message == "cannot remove glossary term 'TPU': this scenario extends no other"


def test_a_glossary_entry_that_stays_needs_its_text(tmp_path: Path) -> None:
    p = only(child(tmp_path, "glossary:\n  - {term: TPU}\n", GLOSSARY))
    assert (p.code, p.message) == ("E101", "glossary[3]: missing required key 'text'")


# --- numbers relative to the inherited ones ---------------------------------------


def test_a_number_relative_to_the_inherited_one(tmp_path: Path) -> None:
    body = """\
    turns: {add: 4}
    chips:
      h100: {price: {multiply: 2}, supply: {multiply: 1.5}}
    power:
      grid: {price_per_mwh: {multiply: 0.5}}
    rivals:
      hive: {cash: {add: -300}}
    """
    s = load_scenario(child(tmp_path, body))
    assert s.turns == 12 and isinstance(s.turns, int)
    assert s.chips["h100"].price == 50000
    assert s.chips["h100"].supply == {"us": 1500, "china": 1500}
    assert s.power["grid"].price_per_mwh == {"us": 30, "china": 30}
    assert s.rivals["hive"].cash == 500


def test_a_relative_number_on_one_side(tmp_path: Path) -> None:
    child(tmp_path, "power:\n  grid: {price_per_mwh: {us: 60, china: 50}}\n")
    text = "extends: child.yaml\nmeta: {id: grand, name: Grand}\n"
    grand = write(
        tmp_path, "grand.yaml", text + "power:\n  grid: {price_per_mwh: {us: {add: 5}}}\n"
    )
    assert load_scenario(grand).power["grid"].price_per_mwh == {"us": 65, "china": 50}


@pytest.mark.parametrize(
    ("body", "where", "path", "why"),
    [
        # A new rival: nothing inherited to scale.
        (
            "rivals:\n  ant: {name: Ant, faction: us, cash: {multiply: 2}}\n",
            (4, 39),
            "rivals.ant.cash",
            "nothing is inherited here",
        ),
        (
            "world: {demand_ceiling: {multiply: 2}}\n",
            (3, 25),
            "world.demand_ceiling",
            "nothing is inherited here",
        ),
        (
            "power:\n  grid: {price_per_mwh: {us: {multiply: 2}}}\n",
            (4, 30),
            "power.grid.price_per_mwh.us",
            "the inherited value is one number: change it whole, as in {multiply: 2}",
        ),
        (
            "rivals: {multiply: 2}\n",
            (3, 9),
            "rivals",
            "the inherited value is a mapping: scale each of its "
            "numbers, as in {us: {multiply: 2}}",
        ),
    ],
)
def test_e132_nothing_inherited_to_scale(
    tmp_path: Path, body: str, where: tuple[int, int], path: str, why: str
) -> None:
    problems = [p for p in problems_of(child(tmp_path, body)) if p.code == "E132"]
    assert len(problems) == 1
    p = problems[0]
    assert (p.line, p.col) == where
    key = "add" if "{add" in body else "multiply"
    said = f"{path}: {{{key}: ...}} gives a number relative to the inherited one, but {why}"
    assert p.message == said


@pytest.mark.parametrize(
    ("written", "guess"),
    [("{multiple: 1.1}", "did you mean {multiply: ...}? "), ("{plus: 5}", "")],
)
def test_a_mistyped_relative_number_is_named(tmp_path: Path, written: str, guess: str) -> None:
    (p,) = problems_of(child(tmp_path, f"chips:\n  h100: {{price: {written}}}\n"))
    assert (p.code, p.line) == ("E102", 4)
    assert p.message == (
        f"chips.h100.price: expected a number, got a mapping ({guess}a number relative "
        "to the inherited one is {multiply: 1.1} or {add: 5})"
    )


def test_e132_in_a_file_that_extends_nothing(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace("turns: 8", "turns: {add: 4}")
    assert "{add: 4}" in text
    p = only(write(tmp_path, "alone.yaml", text))
    assert p.code == "E132" and p.message.endswith("but this scenario extends no other")


def test_an_effect_keeps_its_own_multiply(tmp_path: Path) -> None:
    body = """\
    events:
      - id: glut
        title: Glut
        who: world
        effects:
          - demand: {multiply: 0.5}
    """
    s = load_scenario(child(tmp_path, body))
    assert s.events[-1].effects[0].demand is not None


# --- the schema takes the new forms ----------------------------------------------


def schema_errors(text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(scenario_schema())
    return sorted(
        f"{e.json_path}: {e.message}" for e in validator.iter_errors(yaml.safe_load(text))
    )


HEAD = "extends: base\nmeta: {id: mine, name: Mine}\n"


def test_the_schema_takes_relative_numbers_only_in_an_extending_file() -> None:
    text = HEAD + dedent(
        """\
        turns: {add: 4}
        chips: {h100: {price: {multiply: 2}, supply: {china: {add: 1000}}}}
        power: {gas: {price_per_mwh: {multiply: 1.1}}}
        """
    )
    assert schema_errors(text) == []
    assert schema_errors(HEAD + "turns: {add: 4, multiply: 2}\n") != []
    assert schema_errors(HEAD + "turns: {divide: 2}\n") != []
    whole = MINI.read_text(encoding="utf-8").replace("turns: 8", "turns: {add: 4}")
    assert schema_errors(whole) != []


def test_the_schema_takes_a_glossary_removal_without_text() -> None:
    assert schema_errors(HEAD + "glossary: [{term: FLOP, remove: true}]\n") == []
    assert schema_errors(HEAD + "glossary: [{term: FLOP}]\n") != []
