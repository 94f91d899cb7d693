"""Older save formats, brought up to the current one a version at a time.

`MIGRATIONS[v]` turns a save document of format version `v` into one of
version `v + 1`; a save of version 1 under format 3 goes through two. Each
migration works on the plain JSON document, before it is validated, and
gets a test with a save of its version. There are none yet: version 1 is
the first format.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.saves import model
from game.saves.errors import SaveError, SaveProblem

Document = dict[str, Any]
MIGRATIONS: dict[int, Callable[[Document], Document]] = {}


def oldest() -> int:
    """The oldest format version a chain of migrations brings up to the current one."""
    version = model.VERSION
    while version - 1 in MIGRATIONS:
        version -= 1
    return version


def migrate(doc: Document, version: int) -> Document:
    """`doc`, of format `version`, as a document of the current format version."""
    first = oldest()
    if version < first:
        reads = f"{first} to {model.VERSION}" if first < model.VERSION else str(first)
        raise SaveError(
            f"the save is in format version {version}, older than any this airace reads ({reads})",
            SaveProblem.OLDER,
        )
    while version < model.VERSION:
        doc = MIGRATIONS[version](doc)
        version += 1
        doc["version"] = version
    return doc
