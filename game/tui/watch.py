"""A scenario file the game follows while it is played (`airace play --watch`).

The file is followed with every file it is built from: the one it
`extends`, that one's, and on, so editing a local parent scenario reloads
the game too. The files are looked at when the game asks (a turn ends, the
dashboard comes back to the front), never by a thread polling them: a look
is one `stat` a file, and a file is read and hashed only when that changed,
so saving a file unchanged (or touching it) does not reload the game.
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
    """A scenario file and the files it extends, and what they held when last looked at."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = _shown(path)  # how messages name the file
        self._seen: dict[Path, tuple[tuple[int, int, int] | None, str | None]] = {}
        self._follow()

    @property
    def files(self) -> list[Path]:
        """The files followed: the scenario's own first, then each one it extends."""
        return list(self._seen)

    def changed(self) -> bool:
        """Whether any of the files holds something else than at the last look.

        A change is reported once: the next look compares with what the files
        hold now, whether or not that is a valid scenario. After a change the
        chain is followed again, since an `extends` line may have changed.
        """
        changed = False
        for path, (stamp, digest) in self._seen.items():
            now = _stamp(path)
            if now == stamp:
                continue
            new = _digest(path)
            self._seen[path] = (now, new)
            changed = changed or new != digest
        if changed:
            self._follow()
        return changed

    def _follow(self) -> None:
        """Look again at which files the scenario is built from, keeping what is known of them."""
        from game.scenario.extends import sources

        old = self._seen
        self._seen = {p: old.get(p) or (_stamp(p), _digest(p)) for p in sources(self.path)}

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
