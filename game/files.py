"""Files written whole or not at all, and files read only up to a size.

A save or a crash report is never left half written: the bytes go to a
temporary file in the same folder, are flushed to the disk, and the file is
renamed over the old one in one step (`os.replace` is atomic on one file
system); the folder is then flushed too, so the rename itself survives a
power cut. A kill at any moment leaves either the old file or the new one,
and at worst a stray temporary file, which the folder's readers ignore.
"""

from __future__ import annotations

import os
import secrets
import stat
import time
from pathlib import Path

TEMP_SUFFIX = ".tmp"  # temporary files start with a dot and end so
STALE_SECONDS = 3600  # a temporary file this old was left by a killed writer


class TooLarge(Exception):
    """A file larger than its reader accepts; `size` is what it holds, in bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size:,} bytes")
        self.size = size


class NotAFile(Exception):
    """A path that names a folder, a pipe or a device rather than a regular file."""


def write_atomically(path: Path, data: bytes, *, mode: int = 0o666) -> Path:
    """Write `data` to `path` whole or not at all (see the module's note); return `path`.

    The file gets `mode` less the process's umask, as a file opened for writing would.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp = _create_temporary(folder, path.name, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    _sync_folder(folder)
    return path


def _create_temporary(folder: Path, name: str, mode: int) -> tuple[int, str]:
    """A new temporary file beside `name`, open for writing: (its descriptor, its path)."""
    # Not tempfile.mkstemp: its files are private (0600) whatever the umask says.
    while True:
        temp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(temp, flags, mode), temp
        except FileExistsError:
            continue


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to the disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are durable enough
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_limited(path: Path, most: int) -> bytes:
    """The bytes of a regular file of at most `most` bytes; TooLarge before reading a larger one.

    OSError when it cannot be read; NotAFile for a folder, a pipe or a device
    (reading a pipe could block for ever).
    """
    info = os.stat(path)  # before opening: opening a pipe blocks until someone writes
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(str(path))
    if info.st_size > most:
        raise TooLarge(info.st_size)
    with open(path, "rb") as f:
        data = f.read(most + 1)  # the file may have grown since
    if len(data) > most:
        raise TooLarge(len(data))
    return data


def sweep_temporary(folder: Path, older_than: float = STALE_SECONDS) -> None:
    """Remove temporary files a killed writer left in `folder` (those older than an hour)."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > older_than:
                os.unlink(entry.path)
        except OSError:
            pass  # another process took it, or it cannot be removed: leave it
