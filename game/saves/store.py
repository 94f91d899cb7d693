"""The saves folder: autosaves, named saves and finished games, and the list of them.

```
saves/                      in the user's data folder (game.paths.user_data_dir)
  autosave-<game id>.json   the latest turn of each of the last ten unfinished games
  <name>.json               saves the player named
  finished/                 every finished game (<scenario>-<side>-<game id>.json), kept
                            for replays and the records table
```

Each game has one autosave, rewritten after every turn and choice; the
autosaves of the last `AUTOSAVES_KEPT` games are kept and older ones
removed. A game that ends moves from its autosave to `finished/`. A game
played on from any save but its own autosave is a new game
(`play_on`), so it never overwrites the one it came from. Every write is atomic
(`game.files.write_atomically`): a kill at any moment leaves the previous
save whole. Reading never writes.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.engine.game import Branch, Game
from game.files import sweep_temporary, write_atomically
from game.fmt import date
from game.paths import user_data_dir
from game.saves.codec import encode, read_header, to_save
from game.saves.errors import SaveError, SaveProblem
from game.saves.model import Header, Result, Save

AUTOSAVES_KEPT = 10  # unfinished games whose autosaves are kept
AUTOSAVE_PREFIX = "autosave-"
FINISHED = "finished"
SUFFIX = ".json"
NAME_LENGTH = 60  # a named save's file name is cut to this


def saves_dir() -> Path:
    """The saves folder: `saves` in the user's data folder (AIRACE_HOME or --data-dir, if set)."""
    return user_data_dir() / "saves"


# --- writing ----------------------------------------------------------------------


def autosave(game: Game, folder: Path | None = None) -> Path:
    """Save `game` after a turn: its autosave, or `finished/` once it is over. Returns the path.

    The autosaves of the last `AUTOSAVES_KEPT` games stay; older ones go.
    """
    folder = folder or saves_dir()
    save = to_save(game)
    own = folder / f"{AUTOSAVE_PREFIX}{save.id}{SUFFIX}"
    if game.over:  # one file per game, so saving a finished game again changes nothing
        name = f"{_slug(game.scenario.meta.id)}-{game.faction}-{save.id}{SUFFIX}"
        path = _write(folder / FINISHED / name, encode(save))
        _remove(own)
    else:
        path = _write(own, encode(save))
        _rotate(folder, keep=path)
    sweep_temporary(path.parent)
    return path


def has_autosave(game: Game, folder: Path | None = None) -> bool:
    """Whether `game` has an autosave to Continue from."""
    return (
        bool(game.id)
        and (folder or saves_dir()).joinpath(f"{AUTOSAVE_PREFIX}{game.id}{SUFFIX}").is_file()
    )


def save_as(game: Game, name: str, folder: Path | None = None) -> Path:
    """Save `game` under a name the player gave (`<name>.json`, replacing one of that name)."""
    folder = folder or saves_dir()
    path = _write(named_path(name, folder), encode(to_save(game, name=name.strip())))
    sweep_temporary(folder)
    return path


def named_path(name: str, folder: Path | None = None) -> Path:
    """The file `save_as` writes for `name` (it may exist already: ask before replacing it).

    SaveError if the name cannot name a save.
    """
    slug = _slug(name)
    if not slug:
        raise SaveError(
            "a save's name needs a letter or a digit (letters, digits, - and _ make the "
            "file's name)",
            SaveProblem.BAD_NAME,
        )
    if slug.startswith(AUTOSAVE_PREFIX.rstrip("-")):
        raise SaveError(
            "names starting with 'autosave' are kept for autosaves", SaveProblem.BAD_NAME
        )
    return (folder or saves_dir()) / f"{slug}{SUFFIX}"


def _write(path: Path, data: bytes) -> Path:
    try:
        return write_atomically(path, data)
    except OSError as e:
        raise SaveError(
            f"the game could not be saved in {path.parent}: {e.strerror or e}",
            SaveProblem.UNWRITABLE,
        ) from None


def _slug(name: str) -> str:
    """A name as a file name: letters (any script), digits, - and _ in lower case; the
    rest become -."""
    slug = re.sub(r"[^\w-]+", "-", name.strip().lower()).strip("-_")
    return slug[:NAME_LENGTH].rstrip("-")


def _rotate(folder: Path, keep: Path) -> None:
    """Remove all but the newest `AUTOSAVES_KEPT` autosaves (never `keep`, just written)."""
    found = []
    for path in folder.glob(f"{AUTOSAVE_PREFIX}*{SUFFIX}"):
        try:
            found.append((path.stat().st_mtime_ns, path.name, path))
        except OSError:
            continue  # gone already
    found.sort(reverse=True)
    others = [path for _, _, path in found if path != keep]
    for path in others[AUTOSAVES_KEPT - 1 :]:
        _remove(path)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # gone already, or not ours to remove: an extra file harms nothing


# --- reading ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaveInfo:
    """What the Load screen shows of one save file, read without replaying it."""

    path: Path
    kind: str  # autosave, named or finished
    saved_at: datetime.datetime  # when it was written (UTC); the file's time if unreadable
    problem: str | None = None  # why it cannot be loaded; None when it reads
    game_id: str = ""
    name: str = ""  # the name the player gave, if any
    scenario_id: str = ""
    scenario_name: str = ""
    faction: str = ""
    side: str = ""  # the side as the scenario names it
    difficulty: str | None = None
    seed: int = 0
    turn: int = 0
    date: str = ""  # the quarter the game stands at: '2027 Q3'
    over: bool = False
    result: Result | None = None
    branched: bool = False  # taken over from another game's turn
    people: int = 0  # how many seats people played (0: a simulated game)

    @property
    def outcome(self) -> str:
        """How the game stands, in a few words: 'won: turning point', 'in progress'..."""
        if self.problem is not None:
            return "cannot be read"
        if self.result is None:
            return "in progress"
        said = "won" if self.result.player_won else "lost"
        return f"{said}: {self.result.kind.replace('_', ' ')}"


def list_saves(folder: Path | None = None, *, finished: bool = True) -> list[SaveInfo]:
    """Every save in the folder and (unless `finished` is False) in `finished/`, newest
    first; unreadable ones say why."""
    folder = folder or saves_dir()
    paths = [(p, _kind(p.name)) for p in _json_files(folder)]
    if finished:
        paths += [(p, FINISHED) for p in _json_files(folder / FINISHED)]
    infos = [_info(path, kind) for path, kind in paths]
    return sorted(infos, key=lambda i: (i.saved_at, i.path.name), reverse=True)


def latest_unfinished(folder: Path | None = None) -> SaveInfo | None:
    """The game to Continue: the newest autosave that reads (finished games are not read)."""
    return next(
        (
            i
            for i in list_saves(folder, finished=False)
            if i.problem is None and not i.over and i.kind == "autosave" and i.people
        ),
        None,
    )


def play_on(path: Path, save: Save, game: Game) -> Game:
    """Make `game`, loaded from `save` at `path`, the game to play on.

    Played on from its own autosave, a game goes on as itself. Played on from
    any other save (a named one, a file from elsewhere) it becomes a new game
    that records the save and turn it came from, so its saves never overwrite
    the game it was saved from, nor that game's later turns.
    """
    if path.name != f"{AUTOSAVE_PREFIX}{save.id}{SUFFIX}" or path.parent.name == FINISHED:
        game.branch = Branch(save.id, path.name, game.state.turn)
        game.id = ""  # the next save gives it its own
    return game


def find_save(name: str, folder: Path | None = None) -> Path:
    """A save by its path, or by its name in the saves folder (with or without '.json')."""
    given = Path(name)
    if given.exists():
        return given
    folder = folder or saves_dir()
    for candidate in (folder / name, folder / f"{name}{SUFFIX}", folder / FINISHED / name):
        if candidate.exists():
            return candidate
    raise SaveError(
        f"there is no save '{name}': not a file, nor a save in {folder}", SaveProblem.NOT_FOUND
    )


def _json_files(folder: Path) -> list[Path]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    return [
        Path(e.path)
        for e in entries
        if e.name.endswith(SUFFIX) and not e.name.startswith(".") and e.is_file()
    ]


def _kind(file_name: str) -> str:
    return "autosave" if file_name.startswith(AUTOSAVE_PREFIX) else "named"


def _info(path: Path, kind: str) -> SaveInfo:
    try:
        head = read_header(path)
    except SaveError as e:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        when = datetime.datetime.fromtimestamp(mtime, datetime.UTC)
        return SaveInfo(path, kind, when, problem=str(e))
    return _from_header(path, kind, head)


def _from_header(path: Path, kind: str, head: Header) -> SaveInfo:
    scenario = head.scenario
    meta = _dict(scenario.get("meta"))
    spec = _dict(_dict(scenario.get("factions")).get(head.faction))
    saved_at = head.saved_at
    if saved_at.tzinfo is None:
        saved_at = saved_at.replace(tzinfo=datetime.UTC)
    return SaveInfo(
        path=path,
        kind=kind,
        saved_at=saved_at,
        game_id=head.id,
        name=head.name,
        scenario_id=_text(meta.get("id")),
        scenario_name=_text(meta.get("name")),
        faction=head.faction,
        side=_text(spec.get("name")) or head.faction,
        difficulty=head.difficulty,
        seed=head.seed,
        turn=head.progress.turn,
        date=date(head.progress.year, head.progress.quarter),
        over=head.progress.over,
        result=head.result,
        branched=head.branch is not None,
        people=len(head.seats),
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
