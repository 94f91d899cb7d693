"""What can be wrong with a save, each kind with a stable name tests and docs can use."""

from __future__ import annotations

from enum import StrEnum


class SaveProblem(StrEnum):
    """The kinds of bad save, one line each."""

    UNREADABLE = "unreadable"  # missing, a folder, no permission
    TOO_LARGE = "too_large"  # larger than any save (refused before reading)
    NOT_TEXT = "not_text"  # not UTF-8 text
    NOT_JSON = "not_json"  # text, but not JSON
    TRUNCATED = "truncated"  # JSON that stops short: a save not written whole
    NOT_A_SAVE = "not_a_save"  # JSON from another program
    NEWER = "newer"  # a save format newer than this airace reads
    OLDER = "older"  # a save format older than any migration reaches
    DAMAGED = "damaged"  # the right format with wrong or missing parts
    OTHER_RULES = "other_rules"  # played under rules this airace does not play
    SCENARIO_CHANGED = "scenario_changed"  # the embedded scenario does not match its hash
    SCENARIO_INVALID = "scenario_invalid"  # the embedded scenario no longer validates
    DESYNC = "desync"  # the records do not replay to the digests they hold
    NOT_FOUND = "not_found"  # no save by that name
    BAD_NAME = "bad_name"  # a name a save cannot take
    UNWRITABLE = "unwritable"  # the save could not be written (no room, no permission)
    OUT_OF_TURN = "out_of_turn"  # a play-by-file game opened by a seat whose move it is not
    TAMPERED = "tampered"  # a play-by-file game changed after a seat wrote it


class SaveError(Exception):
    """A save that cannot be read, written or replayed: one sentence and its kind."""

    def __init__(self, message: str, problem: SaveProblem) -> None:
        super().__init__(message)
        self.problem = problem

    def __reduce__(self) -> tuple[type[SaveError], tuple[str, SaveProblem]]:
        # Whole across processes (the simulator's workers write saves).
        return (SaveError, (str(self), self.problem))
