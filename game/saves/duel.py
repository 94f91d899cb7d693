"""Play by file: two people play a two-seat game by sending one file back and forth.

The file (`airace-duel`) carries the game's save (every quarter resolved so
far, the quarter in progress with nothing decided yet) and, for the quarter
in progress, at most two moves. A move is one seat's whole quarter: its
answers to its events and its orders (`Move`). Each quarter goes:

1. The first seat moves. Its move is *sealed*: the file holds only
   SHA-256(salt + move) (`Sealed`), and the move itself and its 32-byte
   random salt stay in that seat's own data folder (`duels/`, `Kept`). The
   file is sent to the second seat, who can read nothing of the move.
2. The second seat moves, on the quarter as it opened (nothing of the first
   seat's choices applied), and its move goes into the file in the clear
   (`Revealed`): the first seat is bound by its hash already, so seeing it
   can change nothing. The file goes back.
3. The first seat's airace takes the move from its data folder, checks it
   against the hash, and resolves the quarter (`settle`): both seats' choices
   in seat order (the player's, the main US lab, first), then both orders at
   once. Then that seat makes its move for the next quarter (step 1).

A choice is applied when the quarter resolves, not when made, so neither
seat's screen could show the other what it chose. When one seat's choices
leave the other's unanswerable or its orders unaffordable, the rules of
`settle` decide, the same way in every process.

Each seat's data folder keeps, for every game, the number of the last move
it wrote and hashes of what it wrote (`Kept`). A file is refused, with one
sentence and nothing written, when its digest does not match its content
(edited), when it is not this seat's move (the same seat playing twice), when
its move number is not the next one this seat awaits (an old copy), when the
quarters this seat has seen played or its own sealed move differ from what
it wrote, and when the quarter it resolved was not played with this seat's move.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from game.engine.game import Game, GameError, TurnRecord
from game.engine.orders import OrderError, Orders
from game.files import write_atomically
from game.paths import user_data_dir
from game.saves.codec import data_hash, encode, parse_document, parse_save, restore, to_save
from game.saves.errors import SaveError, SaveProblem
from game.saves.model import Digest, GameId, Model, Save
from game.scenario.models import Id

FORMAT = "airace-duel"
KEPT_FORMAT = "airace-duel-seat"
VERSION = 1
SALT_BYTES = 32
MAX_MOVES = 100  # two a quarter, 40 quarters at most, and the last file


class MoveChoice(Model):
    """An answer to one of the seat's events."""

    event: Id
    choice: int = Field(ge=0, le=100, description="The choice taken, counted from 0.")


class Move(Model):
    """One seat's quarter: its answers to its events, then its orders."""

    choices: list[MoveChoice] = Field(default_factory=list, max_length=200)
    orders: Orders


class Sealed(Model):
    """The first seat's move, as the file holds it: only a commitment to it."""

    lab: Id
    commitment: Digest = Field(description="SHA-256 of the salt and the move (`commit`).")


class Revealed(Model):
    """The second seat's move, in the clear: the first is sealed and bound already."""

    lab: Id
    move: Move


class Duel(Model):
    """The file two seats send each other."""

    format: Literal["airace-duel"]
    version: int = Field(ge=1)
    game: GameId
    first: Id = Field(description="The seat that moves first every quarter (and seals its move).")
    second: Id
    move: int = Field(ge=1, le=MAX_MOVES, description="The moves made so far; this file's number.")
    due: Id | None = Field(description="The seat whose move is due; none once the game is over.")
    sealed: Sealed | None = None
    revealed: Revealed | None = None
    save: dict[str, Any] = Field(description="The game's save: the quarters resolved so far.")
    digest: Digest = Field(description="SHA-256 of everything above, as JSON with sorted keys.")


class Kept(Model):
    """What one seat keeps of a game in its own data folder, never sent."""

    format: Literal["airace-duel-seat"]
    game: GameId
    lab: Id
    sent: int = Field(ge=1, le=MAX_MOVES, description="The number of the last move it wrote.")
    save: Digest = Field(description="The hash of the save in the file it wrote.")
    resolved: int = Field(ge=0, description="The quarters resolved in that save.")
    turns: Digest = Field(description="The hash of those quarters' records.")
    salt: str | None = Field(default=None, description="Its sealed move's salt (hex).")
    move: Move | None = Field(default=None, description="Its move in the file it wrote.")


@dataclass(slots=True)
class Turn:
    """A file opened for the seat whose move is due: the game to move in, and what came of it."""

    path: Path
    duel: Duel | None  # None: a new game, not written yet
    game: Game  # at the quarter to move in (after the quarter just resolved, if one was)
    seat: str  # the seat whose move it is (in a finished game, the seat that opened it)
    resolved: bool = False  # this opening resolved a quarter (the first seat's step 3)
    base: dict[str, Any] | None = None  # the save the move is made on, as the file will hold it


def seat_name(game: Game, lab: str) -> str:
    """A seat in words: its lab and side, 'Prometheus AI (United States)'."""
    state = game.state.labs[lab]
    side = game.scenario.factions[state.faction].name  # type: ignore[index]
    return f"{state.name} ({side})"


def other_seat(game: Game, lab: str) -> str:
    """The seat that is not `lab` in a two-seat game."""
    return next(s for s in game.humans if s != lab)


# --- sealing ----------------------------------------------------------------------


def move_data(game_id: str, turn: int, lab: str, move: Move) -> dict[str, Any]:
    """What a commitment binds: the move, with the game, quarter and seat it is for."""
    return {"game": game_id, "turn": turn, "lab": lab, "move": move.model_dump(mode="json")}


def commit(salt: str, data: Mapping[str, Any]) -> str:
    """SHA-256 of the salt's bytes followed by the data as canonical JSON."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(bytes.fromhex(salt) + text.encode("utf-8")).hexdigest()


# --- the moves ----------------------------------------------------------------------


def take_move(game: Game, seat: str, move: Move) -> None:
    """Make `move` for `seat` in `game` (choices, then orders), as its seat sees it.

    Every choice must answer an event waiting for the seat and every event
    must be answered; GameError or OrderError says why not. The game's turn
    is not ended: the move is checked here, and played when the quarter resolves.
    """
    for c in move.choices:
        game.choose(c.event, c.choice, seat=seat)
    left = game.pending_for(seat)
    if left:
        titles = ", ".join(repr(game.book.event[e].title) for e in left)
        raise GameError(f"the move answers no choice for {titles}")
    game.submit(move.orders, seat=seat)


def settle(game: Game, moves: Mapping[str, Move]) -> None:
    """Resolve the quarter with every seat's move; the same in every process.

    The choices go first, in seat order (the player's seat first); a choice
    whose event no longer waits is dropped, and an event still waiting after
    them all (one the other seat's choice brought) takes its first choice.
    Then the orders: orders that can no longer stand (a choice of the other
    seat made them unaffordable) give way to the lab's training share alone.
    """
    for seat in game.seats:
        for c in moves[seat].choices:
            if c.event in game.pending_for(seat):
                game.choose(c.event, c.choice, seat=seat)
    for seat in game.seats:
        while game.pending_for(seat):
            game.choose(game.pending_for(seat)[0], 0, seat=seat)
    for seat in game.seats:
        try:
            game.submit(moves[seat].orders, seat=seat)
        except OrderError:
            game.submit(Orders(train_share=game.state.labs[seat].train_share), seat=seat)
    game.end_turn()


def _played_move(game: Game, record: TurnRecord, seat: str) -> Move:
    """The move `seat` is recorded to have made in a resolved quarter."""
    player = seat == game.state.player
    choices = [
        MoveChoice(event=event, choice=index)
        for k, (event, index) in enumerate(record.choices)
        if record.seat_of.get(k) == (None if player else seat)
    ]
    orders = record.orders[seat]
    return Move(choices=choices, orders=Orders.model_validate(orders, from_attributes=True))


# --- the files ------------------------------------------------------------------------


def duels_dir() -> Path:
    """Where a seat keeps its moves: `duels` in the user's data folder."""
    return user_data_dir() / "duels"


def _kept_path(game_id: str, lab: str, folder: Path | None) -> Path:
    return (folder or duels_dir()) / f"{game_id}-{lab}.json"


def _read_kept(game_id: str, lab: str, folder: Path | None) -> Kept | None:
    path = _kept_path(game_id, lab, folder)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise SaveError(
            f"this seat's record of the game cannot be read ({e.strerror or e})",
            SaveProblem.UNREADABLE,
        ) from None
    try:
        return Kept.model_validate_json(data)
    except ValidationError:
        raise SaveError(
            f"this seat's record of the game, {path}, is damaged", SaveProblem.DAMAGED
        ) from None


def is_duel(data: bytes) -> bool:
    """Whether a file's bytes look like a play-by-file game (not a save)."""
    head = data[:200]
    return b'"format":"airace-duel"' in head or b'"format": "airace-duel"' in head


def read_duel(data: bytes) -> Duel:
    """A play-by-file game's bytes, checked against their digest."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _edited() from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SaveError("it is not a play-by-file game", SaveProblem.NOT_A_SAVE)
    if doc.get("version") != VERSION:
        raise SaveError(
            f"it is a play-by-file game of format version {doc.get('version')!r}, and this "
            f"airace reads version {VERSION}",
            SaveProblem.NEWER,
        )
    body = {k: v for k, v in doc.items() if k != "digest"}
    if doc.get("digest") != data_hash(body):
        raise _edited()
    try:
        return Duel.model_validate(doc)
    except ValidationError:
        raise _edited() from None


def _edited() -> SaveError:
    return SaveError(
        "the file was changed or cut short after it was written (it does not match its "
        "digest): ask for it again as it was sent",
        SaveProblem.TAMPERED,
    )


def duel_save(duel: Duel) -> tuple[Save, Game]:
    """The save a play-by-file file holds and its game, replayed and checked like any save."""
    data = json.dumps(duel.save, separators=(",", ":"), allow_nan=False).encode("utf-8")
    save = parse_save(data)
    return save, restore(save)


def save_document(game: Game) -> dict[str, Any]:
    """`game`'s save as the plain data a play-by-file file holds."""
    return parse_document(encode(to_save(game)))


def _resolved(save: Mapping[str, Any]) -> int:
    return sum(1 for t in save.get("turns", []) if t.get("digest"))


# --- opening a file -------------------------------------------------------------------


def new_game(path: Path, game: Game, seat: str) -> Turn:
    """A new play-by-file game that `seat` (one of `game`'s two seats) starts at `path`."""
    if len(game.humans) != 2:
        raise GameError("a play-by-file game has two seats")
    if seat not in game.humans:
        raise GameError(f"'{seat}' is not a seat of the game")
    return Turn(path, None, game, seat, base=save_document(game))


def open_duel(path: Path, data: bytes, folder: Path | None = None) -> Turn:
    """Open a play-by-file file for the seat whose move is due, checking everything first.

    When that seat moved first this quarter and the second seat has moved
    too, the quarter is resolved here (with the move kept in `folder`). Raises
    SaveError (one sentence) when the file may not be played here; writes nothing.
    """
    duel = read_duel(data)
    _, game = duel_save(duel)
    game.id = duel.game
    if duel.save.get("id") != duel.game or set(game.humans) != {duel.first, duel.second}:
        raise _edited()
    kept = {lab: _read_kept(duel.game, lab, folder) for lab in game.humans}
    if duel.due is None:
        return _ending(path, duel, game, kept)
    due = duel.due
    if due not in game.humans or game.over:
        raise _edited()
    mine = kept[due]
    if mine is None:
        other = kept[other_seat(game, due)]
        if other is not None:
            raise SaveError(
                f"it is {seat_name(game, due)}'s move, and this data folder plays "
                f"{seat_name(game, other.lab)}'s seat: send the file to the player of "
                f"{seat_name(game, due)}",
                SaveProblem.OUT_OF_TURN,
            )
        if due == duel.first or duel.move != 1:
            raise SaveError(
                f"it is {seat_name(game, due)}'s move, and this data folder holds none of "
                "that seat's moves in this game: open it with the data folder that seat "
                "played with",
                SaveProblem.OUT_OF_TURN,
            )
    else:
        _check_next(game, duel, mine)
    turn = Turn(path, duel, game, due, base=duel.save)
    if due == duel.second:
        if duel.sealed is None or duel.sealed.lab != duel.first or duel.revealed is not None:
            raise _edited()
        if mine is not None:
            _check_resolved(game, duel, mine)
        return turn
    # The first seat: the second has answered its sealed move; resolve the quarter.
    assert mine is not None
    if duel.sealed is None or duel.revealed is None or duel.revealed.lab != duel.second:
        raise _edited()
    if mine.salt is None or mine.move is None or mine.save != data_hash(duel.save):
        raise _changed()
    sealed = commit(mine.salt, move_data(duel.game, game.state.turn, due, mine.move))
    if duel.sealed != Sealed(lab=due, commitment=sealed):
        raise _changed()
    try:
        settle(game, {due: mine.move, duel.second: duel.revealed.move})
    except GameError:
        raise _edited() from None
    game.opening = list(game.happened[game.state.turn - 1]) if not game.over else []
    turn.resolved = True
    turn.base = save_document(game)
    return turn


def _ending(path: Path, duel: Duel, game: Game, kept: Mapping[str, Kept | None]) -> Turn:
    """A finished game: checked by the second seat, shown to anyone."""
    if not game.over:
        raise _edited()
    second = kept[duel.second]
    if second is not None:
        _check_next(game, duel, second)
        _check_resolved(game, duel, second)
        return Turn(path, duel, game, duel.second)
    first = kept[duel.first]
    if first is not None and first.sent != duel.move:
        _check_next(game, duel, first)
    return Turn(path, duel, game, duel.first)


def _check_next(game: Game, duel: Duel, mine: Kept) -> None:
    """The file must be the one that follows the last this seat wrote."""
    if duel.move <= mine.sent:
        raise SaveError(
            f"this is an old copy of the game (move {duel.move}): "
            f"{seat_name(game, mine.lab)} has written move {mine.sent} already",
            SaveProblem.OUT_OF_TURN,
        )
    if duel.move != mine.sent + 1:
        raise SaveError(
            f"this file holds move {duel.move}, but {seat_name(game, mine.lab)} last wrote "
            f"move {mine.sent}, so move {mine.sent + 1} was due: it is not the answer to it",
            SaveProblem.OUT_OF_TURN,
        )


def _check_resolved(game: Game, duel: Duel, mine: Kept) -> None:
    """The second seat's check: the quarter resolved since was played with its own move."""
    if mine.move is None:
        raise _changed()
    records = game.records
    n = mine.resolved
    if _resolved(duel.save) != n + 1 or _turns_hash(duel.save, n) != mine.turns:
        raise _changed()
    before = Game.from_records(
        game.book,
        game.faction,
        game.seed,
        [*records[:n], TurnRecord(n + 1)],
        difficulty=game.difficulty,
        seats=game.humans,
    )
    first = other_seat(game, mine.lab)
    try:
        settle(before, {first: _played_move(game, records[n], first), mine.lab: mine.move})
    except (GameError, KeyError):
        raise _changed() from None
    if before.records[n].digest != records[n].digest:
        raise _changed()


def _turns_hash(save: Mapping[str, Any], n: int) -> str:
    return data_hash(list(save.get("turns", []))[:n])


def _changed() -> SaveError:
    return SaveError(
        "the file does not hold the game this seat sent: its quarters or its moves were "
        "changed since",
        SaveProblem.TAMPERED,
    )


# --- writing a move ---------------------------------------------------------------------


def write_move(turn: Turn, move: Move, folder: Path | None = None) -> Duel:
    """Write the seat's `move` (already checked by `take_move`) to the file, and keep it.

    The seat's own record goes to `folder` first: a file is never sent
    without the move that answers it kept.
    """
    game = turn.game
    seat = turn.seat
    base = turn.base if turn.base is not None else save_document(game)
    duel = turn.duel
    number = duel.move + 1 if duel is not None else 1
    game_id = duel.game if duel is not None else str(base["id"])
    first = duel.first if duel is not None else seat
    second = duel.second if duel is not None else other_seat(game, seat)
    quarter = int(base["progress"]["turn"])
    if seat == first:
        salt = secrets.token_hex(SALT_BYTES)
        sealed: Sealed | None = Sealed(
            lab=seat, commitment=commit(salt, move_data(game_id, quarter, seat, move))
        )
        revealed = None
        due = second
    else:
        assert duel is not None
        salt, sealed, revealed, due = None, duel.sealed, Revealed(lab=seat, move=move), first
    kept = Kept(
        format=KEPT_FORMAT,
        game=game_id,
        lab=seat,
        sent=number,
        save=data_hash(base),
        resolved=_resolved(base),
        turns=_turns_hash(base, _resolved(base)),
        salt=salt,
        move=move,
    )
    return _write(
        turn.path, game_id, first, second, number, due, sealed, revealed, base, kept, folder
    )


def write_ending(turn: Turn, folder: Path | None = None) -> Duel:
    """Write the finished game (the first seat resolved its last quarter) for the other seat."""
    duel = turn.duel
    assert duel is not None and turn.game.over
    base = save_document(turn.game)
    kept = Kept(
        format=KEPT_FORMAT,
        game=duel.game,
        lab=turn.seat,
        sent=duel.move + 1,
        save=data_hash(base),
        resolved=_resolved(base),
        turns=_turns_hash(base, _resolved(base)),
    )
    return _write(
        turn.path,
        duel.game,
        duel.first,
        duel.second,
        duel.move + 1,
        None,
        None,
        None,
        base,
        kept,
        folder,
    )


def _write(
    path: Path,
    game_id: str,
    first: str,
    second: str,
    number: int,
    due: str | None,
    sealed: Sealed | None,
    revealed: Revealed | None,
    base: dict[str, Any],
    kept: Kept,
    folder: Path | None,
) -> Duel:
    body: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "game": game_id,
        "first": first,
        "second": second,
        "move": number,
        "due": due,
        "sealed": None if sealed is None else sealed.model_dump(mode="json"),
        "revealed": None if revealed is None else revealed.model_dump(mode="json"),
        "save": base,
    }
    doc = {**body, "digest": data_hash(body)}
    own = _kept_path(game_id, kept.lab, folder)
    try:
        write_atomically(own, kept.model_dump_json(exclude_defaults=True).encode("utf-8"))
        write_atomically(path, json.dumps(doc, separators=(",", ":")).encode("utf-8"))
    except OSError as e:
        raise SaveError(
            f"the move could not be written ({e.strerror or e})", SaveProblem.UNWRITABLE
        ) from None
    return Duel.model_validate(doc)
