"""Scenario problems: what is wrong, where, and under which stable code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Every code a scenario problem can carry, one line each. Tests and the
# guide name these codes, so a code keeps its meaning once shipped.
CODES: dict[str, str] = {
    "E001": "the scenario file cannot be read, or no scenario has that id",
    "E002": "the file is larger than 1 MiB or holds more than 200,000 values",
    "E003": "the file is not valid YAML (or not valid UTF-8)",
    "E004": "values are nested deeper than 40 levels",
    "E005": "aliases expand to more than 200,000 values, or an alias refers to itself",
    "E006": "a key appears twice in the same mapping",
    "E007": "a key is not text (a number, true/false, null or a collection)",
    "E008": "a value YAML cannot safely turn into data (unsupported tag, number too long)",
    "E009": "yes, no, on or off for true or false, which editors (YAML 1.2) read as text",
    "E100": "unknown key",
    "E101": "missing required key",
    "E102": "wrong type of value",
    "E103": "bad value: out of range, not one of the allowed values, or otherwise invalid",
    "E110": "unknown reference: a chip, power source, event, lab or rival id that does not exist",
    "E111": "two events have the same id",
    "E112": "a lab id clashes with another lab or with a reserved word",
    "E113": "event chains: a loop, a chain too deep without delay, or a hand-over never possible",
    "E114": "a chip group's id is also a chip's id",
    "E115": "event text: an unknown {placeholder}, a lone brace, or a lab's placeholder in a "
    "world event",
    "E116": "event keys that do not go together: at: random without earliest and latest "
    "or on a chained event, choices_for on an event that is not who: world or beside choices",
    "E120": "expression: unknown name, field, lab, chip, power source or faction",
    "E121": "expression: syntax error, or an empty expression",
    "E122": "expression: something the expression language does not allow",
    "E123": "expression: a function called with the wrong number of arguments",
    "E124": "expression: an effect target that cannot be changed",
    "E130": "extends: the parent scenario cannot be found, or extends forms a cycle",
    "E131": "an event or glossary entry is marked remove: true but nothing inherited has "
    "that id or term",
    "E132": "a relative number ({multiply: 2}, {add: 5}) with no inherited number to change",
}


# Every code a lint warning can carry (`airace scenario lint`): what a valid
# scenario says that it cannot mean. Like the error codes, a code keeps its
# meaning once shipped; scenario files name them in `lint: {ignore: [...]}`.
WarningCode = Literal[
    "W101",
    "W102",
    "W103",
    "W104",
    "W105",
    "W106",
    "W107",
    "W108",
    "W109",
    "W110",
    "W111",
    "W112",
    "W113",
]
WARNINGS: dict[WarningCode, str] = {
    "W101": "an event's who names no lab in this scenario, so it never fires",
    "W102": "an event never fires by its own settings: window outside the scenario's turns, "
    "earliest after latest, chance 0 or a when that is always false",
    "W103": "an expression reads a flag that nothing ever sets",
    "W104": "an expression reads the flag of a choice that does not exist",
    "W105": "a chained event that no event that can fire leads to, in time",
    "W106": "a then loop through a once: true event, which comes round at most once",
    "W107": "a flag is set but no expression ever reads it",
    "W108": "two choices of an event have the same effects and then",
    "W109": "a chip that no side may ever buy",
    "W110": "a victory condition that can never decide a game",
    "W111": "an effect on the world or another lab in an event that may hit several labs: "
    "it applies once per lab hit",
    "W112": "earliest or latest on a chained event, where they have no effect",
    "W113": "a lab flag set or cleared in a world event, which has no lab",
}


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario file; line and col are 1-based."""

    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


class ScenarioError(Exception):
    """A scenario could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
