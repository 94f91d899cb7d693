"""A scenario file and everything it extends, read into one located tree.

`resolve` reads a file with the positions of its parts (yamlpos.py), finds
the scenario its `extends` names (find.py), reads that one the same way and
merges the child onto it (merge.py). A parent that cannot be found or read,
a cycle and a chain more than MAX_EXTENDS deep are E130 problems at the
`extends` line.

It does not validate the merged tree against the models (wording.py) nor
check what its parts refer to (checks.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.scenario.errors import Problem, ScenarioError
from game.scenario.find import (
    NotFound,
    awaited,
    display_path,
    identity,
    locate,
    not_regular_file,
    peek_id,
)
from game.scenario.merge import merge_scenarios, stray_relatives, unmatched_removals
from game.scenario.wording import NAME_WIDTH, PATH_WIDTH
from game.scenario.yamlpos import LMap, Pos, cut, read_located

MAX_EXTENDS = 16


def resolve(
    path: Path, chain: tuple[Path, ...], problems: list[Problem]
) -> tuple[Any, Pos, bool] | None:
    """Read a file and merge everything it extends; None if it cannot be built at all.

    `chain` holds the files already being read that extend this one (() for
    the file being loaded), to tell a cycle; every problem goes to `problems`.
    The result is the tree, the file's own start and whether it extends another.
    """
    try:
        doc = read_located(path, display_path(path))
    except ScenarioError as e:
        problems += e.problems
        return None
    tree = doc.value
    if not isinstance(tree, LMap) or "extends" not in tree:
        if isinstance(tree, LMap):
            problems += unmatched_removals(tree.get("events"), tree.get("glossary"))
            stray_relatives(tree, "this scenario extends no other", problems)
        return tree, doc.pos, False
    parent = _parent(path, tree, chain, problems)
    if parent is None:
        return None
    merged, merge_problems = merge_scenarios(parent, tree)
    problems += merge_problems
    return merged, doc.pos, True


def _parent(
    path: Path, tree: LMap, chain: tuple[Path, ...], problems: list[Problem]
) -> LMap | None:
    """The merged tree of the scenario `tree` extends, or None after reporting why not."""
    name, pos = tree["extends"], tree.val_pos["extends"]

    def fail(message: str) -> None:
        problems.append(Problem(pos.path, pos.line, pos.col, "E130", message))

    if not isinstance(name, str) or not name.strip():
        fail("extends must be a scenario id or a path to a scenario file")
        return None
    try:
        parent_path = locate(name, path.parent)
    except NotFound as e:
        fail(f"extends: {e}")
        return None
    # Reported here, at the extends line, rather than at the start of a file
    # that is not one (reading a pipe such as /dev/stdin would also block).
    why = not_regular_file(parent_path)
    if why is not None:
        fail(f"extends: cannot read '{cut(name, PATH_WIDTH, middle=True)}': {why}")
        return None
    here = (*chain, identity(path))
    target = identity(parent_path)
    if target in here:
        loop = [*here[here.index(target) :], target]
        fail("extends cycle: " + " -> ".join(cut(peek_id(p) or p.stem, NAME_WIDTH) for p in loop))
        return None
    if len(here) > MAX_EXTENDS:
        fail(f"extends goes more than {MAX_EXTENDS} scenarios deep")
        return None
    resolved = resolve(parent_path, here, problems)
    if resolved is None:
        return None
    if not isinstance(resolved[0], LMap):
        fail(f"the scenario '{name}' extends is empty or not a mapping")
        return None
    return resolved[0]


def sources(path: Path) -> list[Path]:
    """The files a scenario is built from: `path`, the file it extends, that one's, and on.

    Follows `extends` as `resolve` does, without merging or reporting
    anything: the chain stops at the first file that cannot be read or
    found, at a cycle and past MAX_EXTENDS. A parent not found is listed as
    the file it would be (a path, or a sibling by stem), so that creating it
    is noticed. For `play --watch`, which reloads the scenario when any of
    them changes.
    """
    files = [path]
    seen = {identity(path)}
    while len(files) <= MAX_EXTENDS:
        try:
            tree = read_located(files[-1], display_path(files[-1])).value
        except ScenarioError:
            break
        name = tree.get("extends") if isinstance(tree, LMap) else None
        if not isinstance(name, str) or not name.strip():
            break
        try:
            parent = locate(name, files[-1].parent)
        except NotFound:
            files.append(awaited(name, files[-1].parent))
            break
        if not_regular_file(parent) is not None or identity(parent) in seen:
            break
        seen.add(identity(parent))
        files.append(parent)
    return files
