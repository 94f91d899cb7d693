"""A game to a save and back: writing the document, reading a file safely, replaying it.

Reading takes nothing on trust. A file is refused by its size before a byte
is read, then must be UTF-8 JSON of the save format (migrated when older),
then must validate; its scenario must match its hash and validate as any
scenario file would; and loading is replaying: every turn's orders and
choices again, each turn's digest checked (`Game.from_records`). Every
failure is a `SaveError` with one sentence; nothing is written while reading.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from game import __version__
from game.engine.game import Branch, Desync, Game, GameError, TurnRecord
from game.engine.orders import Orders, OrderSet
from game.engine.policies import POLICIES
from game.engine.rulebook import Rulebook
from game.engine.rules import RULES_VERSION
from game.files import NotAFile, TooLarge, read_limited
from game.saves import model
from game.saves.errors import SaveError, SaveProblem
from game.saves.migrate import migrate
from game.saves.model import (
    FORMAT,
    BranchOrigin,
    Header,
    Progress,
    Result,
    Save,
    SavedChoice,
    SavedTurn,
)
from game.scenario.errors import ScenarioError
from game.scenario.loader import scenario_from_data
from game.scenario.models import Scenario

# A 40-turn game saves in about 100 kB; anything past this is not a save,
# and is refused before it is read.
MAX_BYTES = 16 * 1024 * 1024


# --- a game to a save -------------------------------------------------------------


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the plain data a save embeds: whole, every default written out."""
    data = scenario.model_dump(mode="json", by_alias=True)
    data["extends"] = None  # resolved already: what it extended is merged in
    return data


def data_hash(data: Any) -> str:
    """SHA-256 of data as JSON with sorted keys and no spaces."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_save(game: Game, *, name: str = "", now: datetime.datetime | None = None) -> Save:
    """The save of `game` as it stands; a game saved the first time gets its id here."""
    if not game.id:
        game.id = secrets.token_hex(8)
    data = scenario_data(game.scenario)
    state = game.state
    branch = game.branch
    return Save(
        format=FORMAT,
        version=model.VERSION,
        id=game.id,
        name=name,
        game_version=__version__,
        rules_version=RULES_VERSION,
        saved_at=now or datetime.datetime.now(datetime.UTC),
        scenario=data,
        scenario_hash=data_hash(data),
        seed=game.seed,
        faction=game.faction,
        difficulty=game.difficulty,
        seats=list(game.seats),
        policies={lab: policy.name for lab, policy in game.policies.items()},
        branch=None
        if branch is None
        else BranchOrigin(game=branch.game, save=branch.save, turn=branch.turn),
        progress=Progress(turn=state.turn, year=state.year, quarter=state.quarter, over=game.over),
        result=_result(game),
        # A finished game keeps an empty record after its last turn: nothing to save.
        turns=[_turn(r) for r in game.records if not (game.over and r is game.records[-1])],
    )


def _turn(record: TurnRecord) -> SavedTurn:
    return SavedTurn(
        turn=record.turn,
        choices=[
            SavedChoice(
                event=event, choice=index, drawn=k in record.drawn, lab=record.seat_of.get(k)
            )
            for k, (event, index) in enumerate(record.choices)
        ],
        orders={lab: _orders(o) for lab, o in record.orders.items()},
        digest=record.digest,
        figures={lab: list(values) for lab, values in record.figures.items()},
    )


def _orders(o: OrderSet) -> Orders:
    # Zero counts buy nothing: left out, the save is a third smaller.
    return Orders(
        gpus={chip: n for chip, n in o.gpus.items() if n},
        power={src: mw for src, mw in o.power.items() if mw},
        research=o.research,
        train_share=o.train_share,
    )


def _result(game: Game) -> Result | None:
    outcome = game.state.outcome
    if outcome is None:
        return None
    winner = game.state.labs.get(outcome.winner) if outcome.winner else None
    return Result(
        kind=outcome.kind,
        winner=outcome.winner,
        winner_name=winner.name if winner is not None else "",
        player_won=outcome.player_won,
        text=outcome.text,
        capability=game.player.capability,
        rank=game.player.rank,
    )


def encode(save: Save) -> bytes:
    """The save as the bytes of its file: compact JSON in UTF-8, defaults left out."""
    return save.model_dump_json(exclude_defaults=True).encode("utf-8")


# --- a file to a save -------------------------------------------------------------


def read_document(path: Path) -> dict[str, Any]:
    """The JSON document of a save file, of the current format version (migrated if older)."""
    try:
        data = read_limited(path, MAX_BYTES)
    except TooLarge as e:
        raise SaveError(
            f"the file holds {_size(e.size)}, more than any save ({_size(MAX_BYTES)} at most)",
            SaveProblem.TOO_LARGE,
        ) from None
    except NotAFile:
        raise SaveError(
            "it is not a file (a folder, a pipe or a device)", SaveProblem.UNREADABLE
        ) from None
    except FileNotFoundError:
        raise SaveError("there is no such file", SaveProblem.NOT_FOUND) from None
    except OSError as e:
        raise SaveError(f"it cannot be read ({e.strerror or e})", SaveProblem.UNREADABLE) from None
    return parse_document(data)


def parse_document(data: bytes) -> dict[str, Any]:
    """Bytes as a save's JSON document of the current format version; SaveError if they are not."""
    try:
        text = data.decode("utf-8-sig")  # an editor may have added a byte-order mark
    except UnicodeDecodeError as e:
        raise SaveError(
            f"it is not a save: it is not UTF-8 text (byte {e.start:,} is not)",
            SaveProblem.NOT_TEXT,
        ) from None
    if not text.strip():
        raise SaveError("the file is empty: the save was never written", SaveProblem.TRUNCATED)
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        # Cut short: the error is at the very end, inside a string, or on a
        # number or literal that the cut left half-written ("-", "1.5e", "tr").
        tail = text.rstrip()[e.pos :]
        if not tail.strip(_HALF_TOKEN) or e.msg.startswith("Unterminated string"):
            raise SaveError(
                f"the save is cut short after {len(data):,} bytes: it was not written whole",
                SaveProblem.TRUNCATED,
            ) from None
        raise SaveError(
            f"it is not a save: it is not JSON (line {e.lineno}, column {e.colno}: {e.msg})",
            SaveProblem.NOT_JSON,
        ) from None
    except _NotANumber as e:
        raise SaveError(
            f"it is not a save: it holds {e}, which JSON does not allow", SaveProblem.NOT_JSON
        ) from None
    except (RecursionError, ValueError):  # nested past Python's limit, a number too long
        raise SaveError(
            "it is not a save: its JSON nests too deeply or holds numbers too long to read",
            SaveProblem.NOT_JSON,
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SaveError(
            "it is not an AI Race save: it is JSON, but not in the save format",
            SaveProblem.NOT_A_SAVE,
        )
    version = doc.get("version")
    if type(version) is not int:
        raise SaveError("the save is damaged: it has no format version", SaveProblem.DAMAGED)
    if version > model.VERSION:
        raise SaveError(
            f"the save is in format version {version}, newer than this airace reads "
            f"({model.VERSION}): open it with the newer airace that wrote it",
            SaveProblem.NEWER,
        )
    return migrate(doc, version)


class _NotANumber(Exception):
    """NaN or Infinity in a save: Python's JSON reads them, JSON itself has no such thing."""


_HALF_TOKEN = "0123456789+-.eEtrufalsn"  # what a number or literal cut in half can end with


def _no_constant(name: str) -> float:
    raise _NotANumber(name)


def read_save(path: Path) -> Save:
    """A save file, read, migrated and validated (not yet replayed)."""
    return _validated(read_document(path))


def parse_save(data: bytes) -> Save:
    """A save file's bytes, migrated and validated (not yet replayed)."""
    return _validated(parse_document(data))


def _validated(doc: dict[str, Any]) -> Save:
    try:
        return Save.model_validate(doc)
    except ValidationError as e:
        raise _damaged(e) from None


def read_header(path: Path) -> Header:
    """What a list of saves shows of a file: all but its turns, not replayed."""
    doc = read_document(path)
    try:
        return Header.model_validate(doc)
    except ValidationError as e:
        raise _damaged(e) from None


def _damaged(e: ValidationError) -> SaveError:
    errors = e.errors(include_url=False)
    first = errors[0]
    where = "".join(
        f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"] if p != ""
    ).lstrip(".")
    message = str(first["msg"])
    message = message[:1].lower() + message[1:]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return SaveError(
        f"the save is damaged: {where or 'the document'}: {message}{more}", SaveProblem.DAMAGED
    )


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


# --- a save to a game -------------------------------------------------------------


def restore(save: Save) -> Game:
    """The game a save holds, replayed turn by turn and checked against every digest."""
    if save.rules_version != RULES_VERSION:
        raise SaveError(
            f"the save was played under rules version {save.rules_version}, and this airace "
            f"plays version {RULES_VERSION}: it cannot replay the game",
            SaveProblem.OTHER_RULES,
        )
    if data_hash(save.scenario) != save.scenario_hash:
        raise SaveError(
            "the scenario in the save does not match its hash: the file was changed after "
            "it was written",
            SaveProblem.SCENARIO_CHANGED,
        )
    try:
        scenario = scenario_from_data(save.scenario, "the scenario")
    except ScenarioError as e:
        first = e.problems[0]
        more = f" (and {len(e.problems) - 1} more)" if len(e.problems) > 1 else ""
        raise SaveError(
            f"the scenario in the save no longer validates: {first.code} {first.message}{more}",
            SaveProblem.SCENARIO_INVALID,
        ) from None
    records = [_record(t) for t in save.turns]
    strangers = sorted(set(save.policies) - set(scenario.lab_ids()))
    if strangers:
        raise SaveError(
            f"the save is damaged: it names a policy for '{strangers[0]}', which is not a lab "
            "of its scenario",
            SaveProblem.DAMAGED,
        )
    # A policy this airace no longer has leaves that seat to the lab's own.
    policies = {lab: name for lab, name in save.policies.items() if name in POLICIES}
    try:
        game = Game.from_records(
            Rulebook(scenario),
            save.faction,
            save.seed,
            records,
            difficulty=save.difficulty,
            seats=save.seats,
            policies=policies,
        )
    except Desync as e:
        raise SaveError(str(e), SaveProblem.DESYNC) from None
    except GameError as e:
        raise SaveError(f"the save's game cannot be set up: {e}", SaveProblem.DAMAGED) from None
    got = (game.state.turn, game.over)
    said = (save.progress.turn, save.progress.over)
    if got != said:
        raise SaveError(
            f"the save is damaged: it says the game stands at turn {said[0]}"
            f"{' and is over' if said[1] else ''}, but its turns play to turn {got[0]}"
            f"{' and the end' if got[1] else ''}",
            SaveProblem.DAMAGED,
        )
    if len(save.turns) > len(game.records):  # empty records after the end replay as nothing
        raise SaveError(
            f"the save is damaged: it holds {len(save.turns)} turn records, but its game "
            f"has only {len(game.records)}",
            SaveProblem.DAMAGED,
        )
    if save.result != _result(game):
        raise SaveError(
            "the save is damaged: the ending it states is not the one its turns play to",
            SaveProblem.DAMAGED,
        )
    game.id = save.id
    if save.branch is not None:
        game.branch = Branch(save.branch.game, save.branch.save, save.branch.turn)
    return game


def _record(t: SavedTurn) -> TurnRecord:
    return TurnRecord(
        turn=t.turn,
        choices=[(c.event, c.choice) for c in t.choices],
        drawn=[k for k, c in enumerate(t.choices) if c.drawn],
        seat_of={k: c.lab for k, c in enumerate(t.choices) if c.lab is not None},
        orders=dict(t.orders),
        digest=t.digest,
        figures={lab: tuple(values) for lab, values in t.figures.items()},
    )


def load_game(path: Path) -> tuple[Save, Game]:
    """Read a save file and replay its game; SaveError with one sentence if either fails."""
    save = read_save(path)
    return save, restore(save)


def branch_game(game: Game, turn: int, *, save_name: str = "") -> Game:
    """A new game that takes over `game` at the start of `turn` (its choices not yet made).

    The new game replays `game`'s turns before `turn` and plays on for itself,
    every human seat a person's (the player's too, if a computer played it);
    its saves record where it came from (`save_name`: the file `game` was loaded from, if any).
    """
    last = game.state.turn
    if not 1 <= turn <= last:
        raise GameError(f"turn {turn} is not in the game (turns 1 to {last})")
    kept = [*game.records[: turn - 1], TurnRecord(turn)]
    policies = {lab: p.name for lab, p in game.policies.items() if lab != game.state.player}
    new = Game.from_records(
        game.book,
        game.faction,
        game.seed,
        kept,
        difficulty=game.difficulty,
        seats=game.humans,
        policies=policies,
    )
    if game.id:
        new.branch = Branch(game.id, save_name, turn)
    return new
