"""Where a scenario is: a file, a sibling file's stem, or a shipped scenario's id.

`find_scenario` turns what a player types, or what an `extends` line names,
into a file; `shipped_ids` is the catalogue of the scenarios that ship with
the game (scenarios/). Also how a file is named in messages and told apart
from another (`display_path`, `identity`).

It reads no more of a file than its `meta.id`: following `extends` is
extends.py's job, validating and checking the scenario wording.py's and
checks.py's.
"""

from __future__ import annotations

import os
from pathlib import Path

from game.paths import scenarios_dir
from game.scenario.errors import Problem, ScenarioError
from game.scenario.wording import NAME_WIDTH, PATH_WIDTH, suggest
from game.scenario.yamlpos import LMap, cut, not_regular, read_located


class NotFound(Exception):
    """A scenario name that is neither a file nor a known id."""


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # permission problems, NUL bytes in the name
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _looks_like_path(name: str) -> bool:
    return "/" in name or os.sep in name or name.endswith((".yaml", ".yml"))


def shipped_ids() -> dict[str, Path]:
    """Each shipped scenario's id (its meta.id, else its file stem) -> its file."""
    ids: dict[str, Path] = {}
    folder = scenarios_dir()
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        ids.setdefault(peek_id(path) or path.stem, path)
    return ids


def peek_id(path: Path) -> str | None:
    """A scenario file's `meta.id`, read without validating it; None if it has none."""
    try:
        tree = read_located(path).value
    except ScenarioError:
        return None
    meta = tree.get("meta") if isinstance(tree, LMap) else None
    value = meta.get("id") if isinstance(meta, LMap) else None
    return value if isinstance(value, str) else None


def locate(name: str, relative_to: Path | None) -> Path:
    """A file path (relative to `relative_to` if given) or a scenario id; raises NotFound."""
    candidate = Path(name)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if _is_file(candidate) or (_looks_like_path(name) and _exists(candidate)):
        return candidate  # a folder or unreadable file is reported when it is read
    if _looks_like_path(name):
        raise NotFound(f"no such file '{cut(name, PATH_WIDTH, middle=True)}'")
    # A custom scenario may extend a sibling by its stem, like shipped ones do by id.
    if relative_to is not None and _is_file(relative_to / f"{name}.yaml"):
        return relative_to / f"{name}.yaml"
    ids = shipped_ids()
    if name in ids:
        return ids[name]
    if _exists(candidate):
        return candidate  # a folder or a pipe named like an id: reading says what it is
    known = ", ".join(sorted(ids)) or "none"
    raise NotFound(
        f"unknown scenario '{cut(name, NAME_WIDTH)}'{suggest(name, ids)}; known scenarios: {known}"
    )


def awaited(name: str, relative_to: Path) -> Path:
    """The file `extends: name` would find once it exists: the path, or a sibling by stem."""
    candidate = Path(name)
    if _looks_like_path(name):
        return candidate if candidate.is_absolute() else relative_to / candidate
    return relative_to / f"{name}.yaml"


def find_scenario(name_or_path: str, *, relative_to: Path | None = None) -> Path:
    """The file of a scenario given as a path or as a shipped scenario id."""
    try:
        return locate(name_or_path, relative_to)
    except NotFound as e:
        if _looks_like_path(name_or_path):
            shown = cut(name_or_path, PATH_WIDTH, middle=True)
        else:
            shown = cut(name_or_path, NAME_WIDTH)
        raise ScenarioError([Problem(shown, 1, 1, "E001", str(e))]) from None


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    try:
        shown = str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):
        shown = str(path)
    return cut(shown, PATH_WIDTH, middle=True)


def not_regular_file(path: Path) -> str | None:
    """Why `path` cannot be read as a scenario file (a pipe, a device, a folder), if it cannot."""
    try:
        return not_regular(path.stat().st_mode)
    except (OSError, ValueError):
        return None  # reported when the file is read, with the system's reason


def identity(path: Path) -> Path:
    """The file `path` names, so that two ways of naming one file compare equal."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # symlink loops
        return path.absolute()
