"""The save file: one JSON document, described by pydantic models (and so by a JSON Schema).

A save is a game's records with everything needed to replay them anywhere:
the scenario itself (whole, as data, so the game replays after its YAML file
is edited or deleted) and its hash, the seed, the difficulty, the seats
people play, and for every turn every lab's orders (computer labs' too, so a
later change to a policy does not break an old game), the choices made and
the digest of the state after it. `progress` and `result` repeat what a
replay would find, so a list of saves reads without replaying any; loading
replays and checks them.

The format has a name and a version. A change that an older airace could
not read raises `VERSION` and adds a migration from the version before
(`game.saves.migrate`), so older saves keep loading.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from game.engine.orders import Orders
from game.engine.state import FIGURES
from game.scenario.models import Faction, Id

FORMAT = "airace-save"
VERSION = 1
SCHEMA_ID = "urn:airace:save"
# A game has at most 40 turns, and a save holds the turn in progress too.
MAX_TURNS = 41
MAX_SEED = 2**63 - 1

Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Text = Annotated[str, Field(max_length=2000)]
# A game's id names its files: letters, digits, - and _ only, never a path.
GameId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class Model(BaseModel):
    """Base for every part of a save: unknown keys are damage, and nothing changes once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SavedChoice(Model):
    """An answer to an event that asked a seat (the player's unless `lab` names another)."""

    event: Id = Field(description="The event's id.")
    choice: int = Field(ge=0, le=100, description="The choice taken, counted from 0.")
    drawn: bool = Field(
        default=False,
        description="A computer seat picked it with a roll of the game's generator, "
        "which a replay draws again.",
    )
    lab: Id | None = Field(
        default=None,
        description="The seat that answered, when it is not the player's (a game of several "
        "seats); none for the player's seat.",
    )


class SavedTurn(Model):
    """One turn: the choices made, every lab's orders, and the state after it."""

    turn: int = Field(ge=1, le=MAX_TURNS, description="The turn, from 1.")
    choices: list[SavedChoice] = Field(default_factory=list, max_length=200)
    orders: dict[Id, Orders] = Field(
        default_factory=dict,
        description="Every lab's orders, by lab id; none for the turn in progress.",
    )
    digest: Digest | Literal[""] = Field(
        default="", description="SHA-256 of the game's state after the turn."
    )
    figures: dict[Id, list[float]] = Field(
        default_factory=dict,
        description=f"Every lab's figures after the turn ({', '.join(FIGURES)}), "
        "which say what differs when a replay does not reach the digest.",
    )

    @model_validator(mode="after")
    def _played_turns_have_a_digest(self) -> SavedTurn:
        if bool(self.orders) != bool(self.digest):
            raise ValueError(
                "a played turn has both orders and a digest, the turn in progress neither"
            )
        return self


class BranchOrigin(Model):
    """Where a branched game came from."""

    game: GameId = Field(description="The id of the game it branched from.")
    save: str = Field(max_length=300, description="The name of that game's save file.")
    turn: int = Field(ge=1, le=MAX_TURNS, description="The first turn this game played itself.")


class Progress(Model):
    """How far the game has gone: the turn it stands at."""

    turn: int = Field(ge=1, le=MAX_TURNS)
    year: int = Field(ge=1900, le=2200)
    quarter: int = Field(ge=1, le=4)
    over: bool


class Result(Model):
    """How a finished game ended, for the player."""

    kind: str = Field(max_length=40, description="turning_point, frontier_at_end, score, ...")
    winner: str | None = Field(max_length=40, description="The winning lab's id, if any.")
    winner_name: Text = ""
    player_won: bool
    text: Text = Field(description="The ending in one sentence.")
    capability: float = Field(description="The player's lab's capability at the end.")
    rank: int = Field(ge=1, description="The player's lab's rank at the end.")


class Save(Model):
    """A saved game of AI Race."""

    format: Literal["airace-save"] = Field(description="Always 'airace-save'.")
    version: int = Field(ge=1, description="The save format's version.")
    id: GameId = Field(description="The game's id: its saves share it.")
    name: Text = Field(default="", description="The name the player gave the save, if any.")
    game_version: str = Field(max_length=40, description="The airace that wrote it.")
    rules_version: int = Field(description="The rules it was played under.")
    saved_at: datetime.datetime = Field(description="When it was written (UTC).")
    scenario: dict[str, Any] = Field(
        description="The whole scenario, resolved (it extends nothing)."
    )
    scenario_hash: Digest = Field(
        description="SHA-256 of the scenario as JSON with sorted keys and no spaces."
    )
    seed: int = Field(ge=-MAX_SEED, le=MAX_SEED)
    faction: Faction = Field(description="The side whose main lab is the player's.")
    difficulty: Id | None = None
    seats: list[Id] = Field(
        max_length=8,
        description="The labs people play, the player's (the main lab of `faction`) first; "
        "empty when computers played every seat.",
    )
    policies: dict[Id, str] = Field(
        default_factory=dict,
        description="The computer policy in each seat, to play on after the records "
        "(replays never ask them).",
    )
    branch: BranchOrigin | None = Field(
        default=None, description="For a branch: the game and turn it was taken over from."
    )
    progress: Progress
    result: Result | None = Field(default=None, description="The ending, once the game is over.")
    turns: list[SavedTurn] = Field(min_length=1, max_length=MAX_TURNS)


class Header(BaseModel):
    """The part of a save a list of saves reads: everything but the scenario and the turns."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    format: Literal["airace-save"]
    version: int
    id: GameId
    name: Text = ""
    saved_at: datetime.datetime
    scenario: dict[str, Any]
    seed: int
    faction: Faction
    difficulty: Id | None = None
    seats: list[Id]
    branch: BranchOrigin | None = None
    progress: Progress
    result: Result | None = None


def save_schema() -> dict[str, Any]:
    """The JSON Schema of a save file, the scenario's schema included (it describes `scenario`)."""
    from game.scenario.models import Scenario

    schema = Save.model_json_schema()
    scenario = Scenario.model_json_schema(by_alias=True)
    defs = schema.setdefault("$defs", {})
    clash = set(defs) & (set(scenario.get("$defs", {})) | {"Scenario"})
    assert not clash, f"the save's and the scenario's schemas both define {clash}"
    defs.update(scenario.pop("$defs", {}))
    defs["Scenario"] = scenario
    described = schema["properties"]["scenario"]
    schema["properties"]["scenario"] = {
        "$ref": "#/$defs/Scenario",
        "description": described["description"],
    }
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "AI Race save",
        "description": "A saved game of AI Race; 'airace replay FILE --verify' checks one.",
    }
    return head | {k: v for k, v in schema.items() if k not in head}


if __name__ == "__main__":
    import json

    print(json.dumps(save_schema(), indent=2))
