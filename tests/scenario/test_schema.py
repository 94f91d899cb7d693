"""The JSON Schema of scenario files (game/scenario/schema.py).

It is the one the models give today (the shipped copy included), every field
has a description and an example that is valid, and it agrees with
validation on the files authors write: whole files, files that extend
another, dates as text, one number for both sides, an event's title.
tests/editor checks the same in a real editor's language server.
"""

from __future__ import annotations

import copy
import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from game.paths import scenarios_dir
from game.scenario import models
from game.scenario.errors import ScenarioError
from game.scenario.loader import load_scenario
from game.scenario.schema import scenario_schema, shipped_schema_path

ASSET = Path(__file__).resolve().parents[2] / "assets" / "scenario.schema.json"
MINI = Path(__file__).parent / "data" / "mini.yaml"
SHIPPED = sorted(scenarios_dir().glob("*.yaml"))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return scenario_schema()


class _Yaml12(yaml.SafeLoader):
    """YAML as editors read it (1.2): `1.0e20` is a number, not text as in YAML 1.1."""


_Yaml12.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def errors(schema: dict[str, Any], text: str) -> list[str]:
    """What the schema says about a file's text: one line per error, where and what."""
    validator = jsonschema.Draft202012Validator(schema)
    found = validator.iter_errors(yaml.load(textwrap.dedent(text), Loader=_Yaml12))
    return sorted(f"{e.json_path}: {e.message}" for e in found)


def test_the_shipped_schema_matches_the_models() -> None:
    shipped = json.loads(ASSET.read_text(encoding="utf-8"))
    assert shipped == scenario_schema(), (
        "assets/scenario.schema.json is stale: run "
        "'airace scenario schema > assets/scenario.schema.json'"
    )
    assert shipped_schema_path().resolve() == ASSET.resolve()


def test_the_schema_is_a_valid_2020_12_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)


# --- descriptions and examples ---------------------------------------------------


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, definition in schema["$defs"].items():
        for key, prop in definition.get("properties", {}).items():
            yield f"{name}.{key}", prop


def test_every_field_has_a_description_and_an_example(schema: dict[str, Any]) -> None:
    bare = [
        where
        for where, prop in _properties(schema)
        if not prop.get("description") or not prop.get("examples")
    ]
    assert bare == []


def _fields() -> Iterator[tuple[str, Any, Any]]:
    for model in vars(models).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            for name, field in model.model_fields.items():
                yield f"{model.__name__}.{name}", field, field.examples or []


def test_every_example_is_valid_for_its_field() -> None:
    invalid = []
    for where, field, examples in _fields():
        annotation = (
            Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
        )
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        for example in examples:
            try:
                adapter.validate_python(example)
            except ValidationError as e:
                invalid.append(f"{where}: {example!r}: {e.errors()[0]['msg']}")
    assert invalid == []


def test_every_example_is_valid_in_the_schema(schema: dict[str, Any]) -> None:
    invalid = []
    for where, prop in _properties(schema):
        # Each property's schema, with the definitions its references name.
        check = jsonschema.Draft202012Validator(prop | {"$defs": schema["$defs"]})
        invalid += [f"{where}: {x!r}" for x in prop["examples"] if not check.is_valid(x)]
    assert invalid == []


def test_bounds_come_from_the_models(schema: dict[str, Any]) -> None:
    chip = schema["$defs"]["Chip"]["properties"]
    assert (chip["price"]["minimum"], chip["price"]["maximum"]) == (1, 1e7)
    assert chip["lead_quarters"]["maximum"] == 12
    event = schema["$defs"]["Event"]["properties"]
    number = event["chance"]["anyOf"][0]  # or an expression
    assert (number["minimum"], number["maximum"]) == (0, 1)
    assert schema["$defs"]["Event"]["properties"]["choices"]["maxItems"] == 9


# --- agreement with validation ---------------------------------------------------


@pytest.mark.parametrize("path", [*SHIPPED, MINI], ids=lambda p: p.name)
def test_every_shipped_scenario_is_valid(schema: dict[str, Any], path: Path) -> None:
    load_scenario(path)  # valid for the game, so must be for the editor
    assert errors(schema, path.read_text(encoding="utf-8")) == []


def test_a_loaded_scenario_written_out_is_valid(schema: dict[str, Any]) -> None:
    # Dates as mappings and every per-side value as a map, as a save holds them.
    data = load_scenario("base").model_dump(mode="json", by_alias=True, exclude_none=True)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []


def test_a_misspelt_key_is_an_error(schema: dict[str, Any]) -> None:
    text = MINI.read_text(encoding="utf-8").replace("  demand:", "  demnd:", 1)
    assert any("'demnd' was unexpected" in e for e in errors(schema, text))


def test_an_extending_file_needs_only_meta(schema: dict[str, Any]) -> None:
    head = "extends: base\nmeta: {id: mine, name: Mine}\n"
    assert errors(schema, head) == []
    changes = """\
        start: "2026 Q1"
        factions: {china: {lab: {cash: 7000}}}
        chips:
          h20: {supply: 0}
          ascend: {supply: {china: 40000}}
        power:
          gas: {max_mw_per_quarter: 100, lead_quarters: {us: 2}}
        rivals: {deepseek: {cash: 1}}
        world: {demand_growth: 0.2}
        difficulties: {hard: {player_cash: 0.5}}
        events:
          - {id: h20_resumes, remove: true}
        """
    assert errors(schema, head + textwrap.dedent(changes)) == []
    # What an extending file writes whole still needs all its keys.
    assert errors(schema, "extends: base\n") == ["$: 'meta' is a required property"]
    lists = head + "victory: [{threshold: 90}]\nevents: [{id: new}]\n"
    assert [e.split(": ")[0] for e in errors(schema, lists)] == ["$.events[0]", "$.victory[0]"]


def test_a_whole_file_needs_what_validation_needs(schema: dict[str, Any]) -> None:
    found = errors(schema, "meta: {id: mine, name: Mine}\nturns: 24\n")
    assert found == [
        f"$: '{key}' is a required property"
        for key in ("chips", "factions", "power", "start", "victory", "world")
    ]


@pytest.mark.parametrize(
    ("event", "valid"),
    [
        ("{id: new, title: New}", True),
        ("{id: new}", False),
        ("{id: new, title: ''}", False),
        ("{id: gone, remove: true}", True),
        ("{id: new, remove: false}", False),
    ],
)
def test_an_event_needs_a_title_unless_it_is_removed(
    schema: dict[str, Any], tmp_path: Path, event: str, valid: bool
) -> None:
    text = f"extends: base\nmeta: {{id: mine, name: Mine}}\nevents: [{event}]\n"
    assert (errors(schema, text) == []) is valid
    path = tmp_path / "mine.yaml"
    path.write_text(text.replace("id: gone", "id: h20_resumes"), encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError:
        assert not valid
    else:
        assert valid


@pytest.mark.parametrize(
    "date",
    [
        "1989 Q4",
        "1990 Q1",
        "2025 Q3",
        " 2025q4 ",
        "2025Q1",
        "2200 Q4",
        "2201 Q1",
        "2025 Q5",
        "2025 Q0",
        "25 Q1",
        "2025-Q1",
        "Q1 2025",
        "20250 Q1",
    ],
)
def test_a_date_as_text_is_valid_where_validation_takes_it(
    schema: dict[str, Any], date: str
) -> None:
    try:
        models.Date.model_validate(date)
    except ValidationError:
        valid = False
    else:
        valid = True
    whole = copy.deepcopy(schema) | {"$ref": "#/$defs/Date"}
    for keyword in ("if", "then", "else"):
        del whole[keyword]
    assert jsonschema.Draft202012Validator(whole).is_valid(date) is valid


def test_a_number_stands_for_both_sides(schema: dict[str, Any]) -> None:
    supply = schema["$defs"]["Chip"]["properties"]["supply"]
    check = jsonschema.Draft202012Validator(supply)
    assert check.is_valid(0) and check.is_valid({"us": 5}) and check.is_valid({})
    assert not check.is_valid(-1) and not check.is_valid({"eu": 5}) and not check.is_valid(0.5)


@pytest.mark.parametrize(
    ("effect", "accepted"),
    [
        ("{add: {me.cash: 5}}", True),
        ("{add: {me.cash: 5}, for_quarters: 2}", True),
        ("{multiply: {world.demand: 2}, for_quarters: 4}", True),
        ("{news: Hello, for_quarters: 2}", False),
        ("{for_quarters: 2}", False),
        ("{add: {me.cash: 5}, set: {me.cash: 1}}", False),
    ],
)
def test_an_effect_has_one_kind_and_may_wear_off(
    schema: dict[str, Any], effect: str, accepted: bool
) -> None:
    # The editor says what the validator says: one kind, and for_quarters only
    # beside an add, set or multiply.
    event = f"{{id: e, title: E, effects: [{effect}]}}"
    text = f"extends: base\nmeta: {{id: mine, name: Mine}}\nevents: [{event}]\n"
    assert (errors(schema, text) == []) is accepted
