"""The JSON Schema of scenario files as authors write them (`airace scenario schema`).

It is generated from the models (models.py), for the file an author writes
rather than for the scenario the loader builds from it:

- dates are text ("2025 Q3") and a per-side value may be one number for both
  sides: the models' own hooks (`Date`, `PerSide`) say so;
- a file that extends nothing needs what validation needs, an event's title
  included (`Event`);
- a file that `extends` another may leave out any key it inherits, at any
  depth, since mappings merge by key (merge.py). What such a file replaces
  whole keeps its requirements: `meta`, which is never inherited, each event
  (events merge by id, one whole event at a time) and each item of a list;
- in such a file a number may also be given relative to the inherited one,
  `{multiply: 2}` or `{add: 5}` (merge.py).

Editors that speak the YAML language server read it from a file's first line,
`# yaml-language-server: $schema=<path or URL>`; the shipped copy is
assets/scenario.schema.json, kept in step with this module by a test.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from game.paths import assets_dir
from game.scenario.models import Scenario

SCHEMA_ID = "urn:airace:scenario"
SCHEMA_FILE = "scenario.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Definitions an extending file still writes whole: a date is one value, and
# meta is never inherited.
_WHOLE = frozenset({"Date", "Meta"})
_REF = "#/$defs/"
# Keywords whose values are schemas, one or a list of them, to follow when
# loosening a definition. `items` and `prefixItems` are not among them: a
# list in an extending file replaces the inherited one whole.
_ONE_SCHEMA = ("additionalProperties",)
_SCHEMA_MAPS = ("properties", "patternProperties")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf")
# What an extending file need not write: its parent has it.
_DROPPED = ("required", "minProperties")
_RELATIVE = "RelativeNumber"
_ABOUT = ("title", "description", "examples", "default")
_RELATIVE_SCHEMA = {
    "type": "object",
    "title": "Relative number",
    "description": (
        "A number relative to the inherited one: {multiply: 2} doubles it, {add: -5} takes 5 "
        "from it. Only in a file that extends another, where it inherits a number."
    ),
    "properties": {
        "multiply": {
            "type": "number",
            "description": "Multiply the inherited number by this.",
            "examples": [2, 0.5],
        },
        "add": {
            "type": "number",
            "description": "Add this to the inherited number (negative: take away).",
            "examples": [10, -5],
        },
    },
    "minProperties": 1,
    "maxProperties": 1,
    "additionalProperties": False,
    "examples": [{"multiply": 2}, {"add": -5}],
}


def shipped_schema_path() -> Path:
    """Where the shipped copy of the schema lives (inside the package when installed)."""
    return assets_dir() / SCHEMA_FILE


def schema_reference(folder: Path) -> str:
    """How a file in `folder` names the shipped schema on its editor line.

    A path relative to the folder, as the language server reads one; a file
    URI where no relative path will do (another drive, or a space, which ends
    the reference on that line).
    """
    target = Path(os.path.abspath(shipped_schema_path()))
    try:
        relative = Path(os.path.relpath(target, os.path.abspath(folder))).as_posix()
    except ValueError:
        return target.as_uri()
    return target.as_uri() if any(c.isspace() for c in relative) else relative


class _AuthorSchema(GenerateJsonSchema):
    """Pydantic's schema with what helps an editor more.

    Fields get no generated title (editors would name a type 'Lead Quarters'
    in their messages), and a map keyed by side lists its keys, so editors
    offer `us` and `china` as they do any other key.
    """

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        out = super().dict_schema(schema)
        if "patternProperties" in out and "additionalProperties" not in out:
            # Keys that are ids: one that does not match the pattern is an error, as in
            # validation, rather than a key nothing checks.
            out["additionalProperties"] = False
        keys = out.get("propertyNames", {}).get("enum")
        values = out.get("additionalProperties")
        if not keys or not isinstance(values, dict):
            return out
        listed = {
            k: v for k, v in out.items() if k not in ("propertyNames", "additionalProperties")
        }
        return listed | {"properties": {key: values for key in keys}, "additionalProperties": False}


def scenario_schema(*, for_editors: bool = True) -> dict[str, Any]:
    """The JSON Schema of a scenario file, for editors; without `for_editors`, each value of
    several types keeps them as alternatives (`anyOf`), as the reference words them."""
    whole = Scenario.model_json_schema(by_alias=True, schema_generator=_AuthorSchema)
    defs: dict[str, Any] = whole.pop("$defs")
    defs["Scenario"] = whole
    # An effect has exactly one kind, and beside an add, set or multiply may
    # say for_quarters (models.Effect). Only the written form can say so: a
    # loaded scenario, as a save holds it, writes the others as null.
    defs["Effect"] |= {
        "minProperties": 1,
        "maxProperties": 2,
        "if": {"minProperties": 2},
        # Beside for_quarters, any key but those three is refused by name: editors
        # show this schema's own message at it, where "missing property add" misleads.
        "then": {
            "required": ["for_quarters"],
            "properties": {
                key: {
                    "type": "null",
                    "errorMessage": f"for_quarters goes beside add, set or multiply, not {key}",
                }
                for key in defs["Effect"]["properties"]
                if key not in ("add", "set", "multiply", "for_quarters")
            },
        },
        "else": {"not": {"required": ["for_quarters"]}},
    }
    extending = _loosened("Scenario", defs)
    if for_editors:
        _one_schema_for_many_types(defs)
    defs[_RELATIVE] = _RELATIVE_SCHEMA
    defs[extending]["required"] = ["extends", "meta"]
    defs[extending]["description"] = (
        "A scenario that extends another: it writes only what it changes, so every key is "
        "optional but meta, which is never inherited."
    )
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "AI Race scenario",
        "description": "A scenario file for AI Race; 'airace scenario validate FILE' checks one.",
        # A file with `extends` is checked as a change to its parent, any other as a whole.
        "if": {"required": ["extends"]},
        "then": {"$ref": _REF + extending},
        "else": {"$ref": _REF + "Scenario"},
        "$defs": dict(sorted(defs.items())),
    }


def _one_schema_for_many_types(defs: dict[str, Any]) -> None:
    """A date (text or a year and quarter), a date or a turn, and a `who` (a word or a
    list of words) as one schema with a list of types rather than `anyOf`.

    Each keyword then applies to its own type only (a pattern to text, `minItems` to a
    list), and an editor says what is wrong with the value ("a date is written like
    '2025 Q3'", "too few items") rather than every type it is not.
    """
    date = defs["Date"]
    defs["Date"] = {k: date[k] for k in _ABOUT if k in date} | _merged(date["anyOf"], defs)

    def visit(schema: Any) -> None:
        if isinstance(schema, list):
            for sub in schema:
                visit(sub)
        elif isinstance(schema, dict):
            for sub in schema.values():
                visit(sub)
            alternatives = schema.get("anyOf")
            if isinstance(alternatives, list) and _mergeable(alternatives):
                merged = _merged(alternatives, defs)
                if merged:
                    del schema["anyOf"]
                    schema.update(merged)

    visit(defs)


def _mergeable(alternatives: list[Any]) -> bool:
    """A date among the alternatives, or a word or a list of words."""
    if {"$ref": _REF + "Date"} in alternatives:
        return True
    types = [a.get("type") for a in alternatives if isinstance(a, dict)]
    return sorted(map(str, types)) == ["array", "string"]


def _merged(alternatives: list[Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The alternatives, each of its own single type, as one schema; {} when they cannot be
    (two of one type, or a keyword two of them use)."""
    out: dict[str, Any] = {"type": []}
    for alt in alternatives:
        if alt == {"$ref": _REF + "Date"}:
            alt = {k: v for k, v in defs["Date"].items() if k not in _ABOUT}
        alt = {k: v for k, v in alt.items() if k not in _ABOUT}
        types = alt.pop("type", None)
        types = types if isinstance(types, list) else [types]
        if not all(isinstance(t, str) and t not in out["type"] for t in types):
            return {}
        if any(k in out for k in alt) or "anyOf" in alt or "$ref" in alt:
            return {}
        out["type"] += types
        out |= alt
    return out


def _loosened(name: str, defs: dict[str, Any]) -> str:
    """The name of a copy of definition `name` that requires no key; added to `defs` once."""
    copy = f"Extending{name}"
    if copy not in defs:
        defs[copy] = {}  # taken before it is filled, so a definition that refers to itself ends
        defs[copy] = _loosen(defs[name], defs)
    return copy


def _loosen(schema: Any, defs: dict[str, Any]) -> Any:
    """`schema` with no key required in it or in the mappings it holds, lists excepted."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword in _DROPPED:
            continue
        if keyword == "$ref" and value.startswith(_REF) and value[len(_REF) :] not in _WHOLE:
            out[keyword] = _REF + _loosened(value[len(_REF) :], defs)
        elif keyword in _SCHEMA_MAPS:
            out[keyword] = {key: _loosen(sub, defs) for key, sub in value.items()}
        elif keyword in _ONE_SCHEMA:
            out[keyword] = _loosen(value, defs)
        elif keyword in _SCHEMA_LISTS:
            out[keyword] = [_loosen(sub, defs) for sub in value]
        else:
            out[keyword] = value
    if schema.get("type") in ("number", "integer"):
        # What describes the field stays on it, for editors to show.
        about = {k: out.pop(k) for k in _ABOUT if k in out}
        return about | {"anyOf": [out, {"$ref": _REF + _RELATIVE}]}
    return out
