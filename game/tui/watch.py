"""A scenario file the game follows while it is played (`airace play --watch`).

The file is looked at when the game asks (a turn ends, the dashboard comes
back to the front), never by a thread polling it: a look is one `stat`, and
the file is read and hashed only when that changed, so saving a file
unchanged (or touching it) does not reload the game.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.scenario.models import Scenario

CHUNK = 1 << 16
PATH_WIDTH = 60  # a path in a message is cut in the middle past this


class ScenarioWatch:
    """A scenario file, and what it held when it was last looked at."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = _shown(path)  # how messages name the file
        self._stamp = _stamp(path)
        self._digest = _digest(path)

    def changed(self) -> bool:
        """Whether the file holds something else than at the last look.

        A change is reported once: the next look compares with what the file
        holds now, whether or not that is a valid scenario.
        """
        stamp = _stamp(self.path)
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        digest = _digest(self.path)
        if digest == self._digest:
            return False
        self._digest = digest
        return True

    def load(self) -> Scenario:
        """The scenario the file holds now; `ScenarioError` with every problem if it is not one."""
        from game.scenario.loader import load_scenario

        return load_scenario(self.path)


def _shown(path: Path) -> str:
    """A path as the player would write it: relative to the working directory when inside it."""
    from game.scenario.yamlpos import cut

    try:
        shown = str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):
        shown = str(path)
    return cut(shown, PATH_WIDTH, middle=True)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """When the file was last written, its size and its inode; None if it cannot be seen."""
    try:
        s = path.stat()
    except (OSError, ValueError):
        return None
    return (s.st_mtime_ns, s.st_size, s.st_ino)


def _digest(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes; None for anything else or an unreadable file."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        sha = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                sha.update(chunk)
    except (OSError, ValueError):
        return None
    return sha.hexdigest()
