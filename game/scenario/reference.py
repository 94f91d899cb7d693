"""The scenario reference, scenarios/REFERENCE.md, written from the code it describes.

Every key of a scenario file comes from the models (models.py) through the
JSON Schema authors' editors read (schema.py): its value and range, its
default, its description and its examples. The names expressions may read
come from fields.py, the functions from expr.py, the lint warnings from
errors.py, each linked to its explanation in GUIDE.md. So the reference
cannot say what the code does not do; a test fails when the file is stale. Write it again with:

    python -m game.scenario.reference
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from game.paths import scenarios_dir
from game.scenario import models
from game.scenario.errors import WARNINGS
from game.scenario.expr import FUNCTIONS, ExprContext, compile_expr, compile_value
from game.scenario.fields import (
    GLOBAL_MEANINGS,
    LAB_FIELDS,
    LAB_KEYED,
    LAB_MAPS,
    LAB_WRITE,
    LAB_WRITE_NOTES,
    SCOPES,
    WORLD_FIELDS,
    WORLD_WRITE,
)
from game.scenario.models import ID_LENGTH, ID_PATTERN
from game.scenario.schema import scenario_schema

REFERENCE_FILE = "REFERENCE.md"
GUIDE_FILE = "GUIDE.md"
COMMAND = "python -m game.scenario.reference"


@dataclass(frozen=True)
class Section:
    """One part of the reference: a model's keys, under a heading."""

    model: str  # the model's name, as the schema's definitions name it
    heading: str
    # What one of them is called where a key takes one, the link in brackets:
    # "a [chip]" becomes "a [chip](#chips)".
    noun: str
    level: int = 2


# The models in the order the reference tells them; every model a scenario file
# can hold must be here (the reference refuses to leave one out).
SECTIONS: tuple[Section, ...] = (
    Section("Scenario", "The file", "a [scenario]"),
    Section("Meta", "meta", "the scenario's [id and name]"),
    Section("FactionSpec", "Sides", "a [side]"),
    Section("Lab", "Labs", "a [lab]"),
    Section("Chip", "Chips", "a [chip]"),
    Section("PowerSource", "Power sources", "a [power source]"),
    Section("World", "World", "the [world's keys]"),
    Section("Rules", "Rules", "the [rules' numbers]"),
    Section("CapabilityRules", "rules.capability", "[capability's numbers]", 3),
    Section("ResearchRules", "rules.research", "[research's numbers]", 3),
    Section("MarketRules", "rules.market", "[the market's numbers]", 3),
    Section("ConcernRules", "rules.concern", "[concern's numbers]", 3),
    Section("BackingRules", "rules.backing", "[backing's numbers]", 3),
    Section("Difficulty", "Difficulties", "a [difficulty]"),
    Section("Event", "Events", "an [event]"),
    Section("Choice", "Choices", "a [choice]"),
    Section("Then", "then: what follows", "a [follow-up]"),
    Section("Effect", "Effects", "an [effect]"),
    Section("ExportChange", "export", "an [export change]", 3),
    Section("ChipChange", "price and supply", "a [price or supply change]", 3),
    Section("DemandChange", "demand", "a [demand change]", 3),
    Section("LeadChange", "power_lead", "a [lead time change]", 3),
    Section("TurningPoint", "turning_point", "a [turning point]", 3),
    Section("FrontierAtEnd", "frontier_at_end", "a [frontier at the end]", 3),
    Section("Score", "score", "a [score]", 3),
    Section("ScoreWeights", "score weights", "the [weights]", 3),
    Section("Condition", "condition", "a [victory condition]", 3),
    Section("Lint", "lint", "[lint settings]"),
    Section("GlossaryEntry", "Glossary", "a [glossary entry]"),
    Section("Date", "Dates", "a [date]"),
)
_BY_MODEL = {s.model: s for s in SECTIONS}
# The victory kinds come under one heading of their own, before the first of them.
_VICTORY_KINDS = ("TurningPoint", "FrontierAtEnd", "Score")
_VICTORY_HEADING = "Victory conditions"
# Examples longer than this are left to the sections of the models they hold.
_EXAMPLE_WIDTH = 80
# Text values that are expressions rather than plain text: model.field.
_EXPRESSIONS = frozenset({"Event.when", "Effect.add", "Effect.set", "Effect.multiply"})
# Expressions that show how names and functions combine; each is checked against
# the base scenario when the reference is written, so each one compiles.
EXPRESSION_EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("when", "me.idle_gpus > 20000", "the lab has over 20,000 GPUs without power"),
    ("when", "china.efficiency > 1.2", "China's main lab is past 1.2 efficiency"),
    ("when", "me.is_player or me.rank <= 2", "the player's lab, or a computer's in the top two"),
    ("when", "me.faction == 'china' and not flags.stargate", "a Chinese lab, before Stargate"),
    ("when", "turn >= 8 and me.flags.grid_strain_1", "from turn 8, if the lab chose turbines"),
    ("when", "rival.xai.capability > me.capability + 5", "Colossus AI leads the lab by 5"),
    ("value", "-0.1 * me.cash", "a tenth of the lab's cash (in add: a loss)"),
    ("value", "clamp(me.revenue * 2, 1000, 8000)", "two quarters' revenue, $1B to $8B"),
)


# --- text -------------------------------------------------------------------------


def slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (without the '-1' of a repeated one)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: `<id>` outside code would be taken for HTML."""
    parts = text.replace("|", "\\|").replace("\n", " ").split("`")
    return "`".join(p if i % 2 else p.replace("<", "&lt;") for i, p in enumerate(parts))


def number(x: float) -> str:
    """A bound or figure as people read it: 10,000,000; 0.001; 10^12."""
    if x != 0 and abs(x) >= 1e9:
        power = math.log10(abs(x))
        if power.is_integer():
            return f"{'-' if x < 0 else ''}10^{int(power)}"
    if float(x).is_integer():
        return f"{int(x):,}"
    return repr(float(x))


_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-<>/]*")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def flow(value: Any) -> str:
    """`value` as YAML on one line, the way the shipped scenarios write it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        if "e" in text:  # 1e+20 -> 1.0e20, as base.yaml writes it
            mantissa, exponent = text.split("e")
            return f"{float(mantissa)}e{int(exponent)}"
        return text
    if isinstance(value, str):
        if _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS:
            return value
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, BaseModel):
        return flow(value.model_dump(mode="json", by_alias=True))
    raise TypeError(f"no YAML for {value!r}")


# --- values, from the JSON Schema ---------------------------------------------------


class _Values:
    """Words for the value a key takes, from its JSON Schema."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs

    def link(self, ref: str) -> str:
        name = ref.rsplit("/", 1)[-1]
        section = _BY_MODEL.get(name)
        if section is None:
            raise KeyError(f"the reference has no section for the model {name}: add it to SECTIONS")
        return section.noun.replace("]", f"](#{slug(section.heading)})")

    def of(self, schema: dict[str, Any], expression: bool = False) -> str:
        if "$ref" in schema:
            return self.link(schema["$ref"])
        if "const" in schema:
            return f"`{flow(schema['const'])}`"
        if "enum" in schema:
            return "one of " + ", ".join(f"`{flow(v)}`" for v in schema["enum"])
        if "discriminator" in schema:  # the victory kinds
            return f"a [victory condition](#{slug(_VICTORY_HEADING)})"
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self.either(schema[key], expression)
        kind = schema.get("type")
        if kind == "boolean":
            return "`true` or `false`"
        if kind in ("integer", "number"):
            return ("a whole number" if kind == "integer" else "a number") + _range(schema)
        if kind == "string":
            return self.text(schema, expression)
        if kind == "array":
            return "a list, each " + self.of(schema["items"], expression) + _count(schema, "Items")
        if kind == "object":
            return self.mapping(schema, expression)
        raise ValueError(f"no words for the schema {schema}")

    def either(self, options: list[dict[str, Any]], expression: bool) -> str:
        options = [o for o in options if o.get("type") != "null"]
        if len(options) == 2 and _sides(options[1]) is not None:
            # PerSide: one value for both sides, or a map by side.
            return f"{self.of(options[0], expression)}: one for both sides, or one per side"
        return " or ".join(self.of(o, expression) for o in options)

    def text(self, schema: dict[str, Any], expression: bool) -> str:
        if schema.get("pattern") == ID_PATTERN:
            return "an [id](#ids)"
        if expression:
            return "an [expression](#expressions)"
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        if high is None:
            return "text"
        if low:
            return f"text, {number(low)} to {number(high)} characters"
        return f"text, up to {number(high)} characters"

    def mapping(self, schema: dict[str, Any], expression: bool) -> str:
        sides = _sides(schema)
        if sides is not None:
            return "a map by side (`us`, `china`), each " + self.of(sides, expression)
        pattern = schema.get("patternProperties", {})
        if pattern:
            (values,) = pattern.values()
            keys = "each key an [id](#ids) and each value "
            return "a map, " + keys + self.of(values, expression) + _count(schema, "Properties")
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            # The only maps of expressions are an effect's: targets to values.
            keys = "each key a [target](#lab-fields) and " if expression else ""
            value = self.of(values, expression) + _count(schema, "Properties")
            return f"a map, {keys}each value {value}"
        raise ValueError(f"no words for the mapping {schema}")


def _sides(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The value schema of a map keyed by side, if `schema` is one."""
    props = schema.get("properties")
    if schema.get("type") == "object" and isinstance(props, dict) and set(props) == {"us", "china"}:
        return dict(props["us"])
    return None


def _range(schema: dict[str, Any]) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    above = schema.get("exclusiveMinimum")
    if above is not None:
        return f" above {number(above)}" + (f", up to {number(high)}" if high is not None else "")
    if low is not None and high is not None:
        return f" from {number(low)} to {number(high)}"
    if low is not None:
        return f", at least {number(low)}"
    if high is not None:
        return f", up to {number(high)}"
    return ""


def _count(schema: dict[str, Any], what: str) -> str:
    low, high = schema.get(f"min{what}"), schema.get(f"max{what}")
    if low and high:
        return f" ({number(low)} to {number(high)})"
    if high:
        return f" (at most {number(high)})"
    if low:
        return f" (at least {number(low)})"
    return ""


# --- the models' keys ----------------------------------------------------------------


def _model(name: str) -> type[BaseModel]:
    model = getattr(models, name)
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return model


def _default(field: FieldInfo, required_unless_removed: bool) -> str:
    if required_unless_removed:
        return "required (but with `remove: true`)"
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "default: none"
    if isinstance(value, BaseModel):
        return "default: each key's own"
    if value == "":
        return "default: empty"
    return f"default `{flow(value)}`"


def _where(defs: dict[str, Any]) -> dict[str, list[str]]:
    """Where in a file each model is written: 'chips.<id>', 'events[].choices[]'."""
    found: dict[str, list[str]] = {}

    def visit(schema: Any, path: str) -> None:
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            places = found.setdefault(name, [])
            if path not in places:
                places.append(path)
                for key, sub in defs[name].get("properties", {}).items():
                    visit(sub, f"{path}.{key}" if path else key)
            return
        for key in ("anyOf", "oneOf"):
            for sub in schema.get(key, []):
                visit(sub, path)
        if "items" in schema:
            visit(schema["items"], path + "[]")
        for sub in schema.get("patternProperties", {}).values():
            visit(sub, path + ".<id>")
        if _sides(schema) is not None:
            visit(schema["properties"]["us"], path + ".<side>")
        elif isinstance(schema.get("additionalProperties"), dict):
            visit(schema["additionalProperties"], path + ".<key>")

    visit({"$ref": "#/$defs/Scenario"}, "")
    # The simplest place first: `events[].then[]` before `events[].choices[].then[]`.
    return {name: sorted(places, key=lambda p: p.count(".")) for name, places in found.items()}


def _section(section: Section, defs: dict[str, Any], where: list[str]) -> list[str]:
    model = _model(section.model)
    schema = defs[section.model]
    values = _Values(defs)
    lines = [f"{'#' * section.level} {section.heading}", ""]
    if section.model == "Date":
        return lines + _dates()
    if section.model != "Scenario":
        places = " or ".join(f"`{w}`" for w in where)
        lines += [f"Written at {places}.", ""]
        about = schema.get("description")
        if about:
            lines += [_cell(" ".join(about.split())), ""]
    title_unless_removed = schema.get("else", {}).get("required", [])
    lines += ["| key | value | meaning | example |", "|---|---|---|---|"]
    properties = schema["properties"]
    for name, field in model.model_fields.items():
        key = field.alias or name
        prop = properties[key]
        expression = f"{section.model}.{name}" in _EXPRESSIONS
        value = f"{values.of(prop, expression)}; {_default(field, key in title_unless_removed)}"
        shown = [f"`{key}: {flow(e)}`" for e in field.examples or []]
        examples = "<br>".join(_cell(e) for e in shown if len(e) <= _EXAMPLE_WIDTH)
        meaning = " ".join((field.description or "").split())
        lines.append(f"| `{key}` | {_cell(value)} | {_cell(meaning)} | {examples} |")
    return [*lines, ""]


def _dates() -> list[str]:
    return [
        'A date is written `"2025 Q3"`: a year from '
        f"{models.FIRST_YEAR} to {models.LAST_YEAR}, `Q` and the quarter, 1 to 4. Where a key "
        "takes a date or a turn (`earliest`, `latest`), a number is a turn: 1 is the first "
        "quarter played, the scenario's `start`.",
        "",
    ]


# --- expressions --------------------------------------------------------------------


def _expressions() -> list[str]:
    lines = [
        "## Expressions",
        "",
        "What an event's `when` and an effect's values may read. How expressions are "
        f"written, and what they may not do: [GUIDE.md, Expressions]({GUIDE_FILE}#expressions).",
        "",
        "### Names",
        "",
        "| name | means |",
        "|---|---|",
    ]
    for name, meaning in {**GLOBAL_MEANINGS, **SCOPES}.items():
        lines.append(f"| `{name}` | {_cell(meaning)} |")
    lines += [
        "",
        "### Lab fields",
        "",
        "After `me.`, `us.`, `china.` or `rival.<lab id>.`. An effect's `add`, `set` and "
        "`multiply` may change the fields marked so (its targets, such as `me.cash` or "
        "`rival.xai.gpus.h100`).",
        "",
        "| field | means | an effect may change it |",
        "|---|---|---|",
    ]
    for name, (_, meaning) in LAB_FIELDS.items():
        lines.append(f"| `{name}` | {_cell(meaning)} | {_writable(name in LAB_WRITE, name)} |")
    for name, meaning in LAB_KEYED.items():
        writable = name.split(".", 1)[0] in LAB_MAPS
        lines.append(f"| `{name}` | {_cell(meaning)} | {_writable(writable, name)} |")
    lines += [
        "",
        "### World fields",
        "",
        "After `world.`.",
        "",
        "| field | means | an effect may change it |",
        "|---|---|---|",
    ]
    for name, (_, meaning) in WORLD_FIELDS.items():
        lines.append(f"| `{name}` | {_cell(meaning)} | {_writable(name in WORLD_WRITE, name)} |")
    lines += ["", "### Functions", "", "| function | arguments | gives |", "|---|---|---|"]
    for name, (fewest, most, meaning) in FUNCTIONS.items():
        count = str(fewest) if fewest == most else f"{fewest} or more"
        lines.append(f"| `{name}` | {count} | {_cell(meaning)} |")
    lines += ["", "### Examples", "", "| expression | in | true or worth |", "|---|---|---|"]
    for where, text, meaning in EXPRESSION_EXAMPLES:
        shown = "an event's `when`" if where == "when" else "an effect's value"
        lines.append(f"| `{_cell(text)}` | {shown} | {_cell(meaning)} |")
    return [*lines, ""]


def _writable(yes: bool, name: str) -> str:
    if not yes:
        return "no"
    note = LAB_WRITE_NOTES.get(name)
    return f"yes: {note}" if note else "yes"


def check_expression_examples() -> None:
    """Compile every example expression against the base scenario; raise if one fails."""
    from game.scenario.loader import load_scenario

    base = load_scenario(scenarios_dir() / "base.yaml")
    ctx = ExprContext(tuple(base.lab_ids()), tuple(base.chips), tuple(base.power))
    for where, text, _ in EXPRESSION_EXAMPLES:
        if where == "when":
            compile_expr(text, ctx)
        else:
            compile_value(text, ctx)


# --- lint ----------------------------------------------------------------------------


def _lint(guide: str) -> list[str]:
    headings = {
        m.group(1): m.group(0)[4:]
        for m in re.finditer(r"^### (W\d{3}): .*$", guide, flags=re.MULTILINE)
    }
    lines = [
        "## Lint warnings",
        "",
        "What `airace scenario lint` warns about, by code; each code's explanation in the "
        f"guide says why, gives an example and how to put it right or silence it "
        f"([Lint]({GUIDE_FILE}#lint)).",
        "",
        "| code | warns about |",
        "|---|---|",
    ]
    for code, about in WARNINGS.items():
        heading = headings.get(code)
        if heading is None:
            raise KeyError(f"{GUIDE_FILE} has no heading '### {code}: ...' to explain {code}")
        lines.append(f"| [{code}]({GUIDE_FILE}#{slug(heading)}) | {_cell(about)} |")
    return [*lines, ""]


# --- the whole reference ----------------------------------------------------------


def _contents(headings: list[tuple[int, str]]) -> list[str]:
    lines = ["## Contents", ""]
    for level, heading in headings:
        lines.append(f"{'  ' * (level - 2)}- [{heading}](#{slug(heading)})")
    return [*lines, ""]


def reference(guide: str | None = None) -> str:
    """The text of scenarios/REFERENCE.md; `guide` is GUIDE.md's text (read if not given)."""
    if guide is None:
        guide = (scenarios_dir() / GUIDE_FILE).read_text(encoding="utf-8")
    check_expression_examples()
    schema = scenario_schema(for_editors=False)
    defs: dict[str, Any] = schema["$defs"]
    where = _where(defs)
    missing = sorted(set(where) - set(_BY_MODEL))
    if missing:
        raise KeyError(f"the reference has no section for {', '.join(missing)}: add to SECTIONS")
    body: list[str] = []
    headings: list[tuple[int, str]] = []
    for section in SECTIONS:
        if section.model == _VICTORY_KINDS[0]:
            body += _victory_heading(defs)
            headings.append((2, _VICTORY_HEADING))
        body += _section(section, defs, where.get(section.model, []))
        headings.append((section.level, section.heading))
    tail = [*_expressions(), *_lint(guide)]
    headings += [(2, "Expressions"), (2, "Lint warnings")]
    lines = [
        "# Scenario reference",
        "",
        f"<!-- Written by `{COMMAND}` from the models: do not edit this file, "
        "edit the descriptions in game/scenario/models.py, game/scenario/fields.py or "
        "game/scenario/expr.py and run it again. -->",
        "",
        "Every key a scenario file may hold, every name an expression may read, every "
        "effect, victory condition and lint warning. The guide, "
        f"[GUIDE.md]({GUIDE_FILE}), tells how they work together and why, and its "
        f"[tutorial]({GUIDE_FILE}#tutorial-your-first-scenario) builds a scenario step by step.",
        "",
        "Each table gives a key, the value it takes with its range and its default (or "
        "*required*), what it means and an example. In a file that `extends` another every "
        "key but `meta` may be left out: it is inherited "
        f"([Extending a scenario]({GUIDE_FILE}#extending-a-scenario)). Where a place is "
        "named, `<id>` stands for any id, `<side>` for `us` or `china` and `[]` for each "
        "item of a list.",
        "",
        *_contents([(2, "Ids"), *headings]),
        "## Ids",
        "",
        "An id (a scenario's, a chip's, an event's...) is lowercase letters, digits, `-` and "
        f"`_`, starting with a letter, at most {ID_LENGTH} characters: `h100`, `grid_strain`, "
        "`chip-war`.",
        "",
        *body,
        *tail,
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _victory_heading(defs: dict[str, Any]) -> list[str]:
    victory = defs["Scenario"]["properties"]["victory"]
    return [
        f"## {_VICTORY_HEADING}",
        "",
        f"Written at `victory[]`. {victory['description']} Each is one of the kinds below, "
        "told by its `kind`. How they decide a game: "
        f"[GUIDE.md, Winning]({GUIDE_FILE}#winning).",
        "",
    ]


def reference_path() -> Path:
    return scenarios_dir() / REFERENCE_FILE


def main(argv: list[str] | None = None) -> int:
    """Write scenarios/REFERENCE.md; with --check, only say whether it is up to date."""
    args = sys.argv[1:] if argv is None else argv
    text = reference()
    path = reference_path()
    if args == ["--check"]:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is stale: run '{COMMAND}'", file=sys.stderr)
            return 1
        return 0
    if args:
        print(f"usage: {COMMAND} [--check]", file=sys.stderr)
        return 2
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
