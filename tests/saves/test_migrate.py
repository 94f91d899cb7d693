"""The migration framework: an older save format is brought up a version at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from game.saves import migrate, model
from game.saves.codec import load_game
from game.saves.errors import SaveError, SaveProblem
from tests.saves.helpers import document, person_game, rewrite, write


def test_there_is_no_migration_yet_and_version_1_is_the_oldest_read() -> None:
    assert model.VERSION == 1 and migrate.MIGRATIONS == {}
    assert migrate.oldest() == 1


def test_an_older_save_goes_through_each_migration_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend the format is at version 3: version 1 renamed 'seed' to 'game_seed' and
    # version 2 moved it back; a version-1 save must pass through both steps.
    game = person_game("base", "us", seed=6, turns=2)
    path = write(game, tmp_path / "old.json")
    steps: list[int] = []

    def one_to_two(doc: dict[str, Any]) -> dict[str, Any]:
        steps.append(1)
        doc["game_seed"] = doc.pop("seed")
        return doc

    def two_to_three(doc: dict[str, Any]) -> dict[str, Any]:
        steps.append(2)
        doc["seed"] = doc.pop("game_seed")
        return doc

    monkeypatch.setattr(model, "VERSION", 3)
    monkeypatch.setattr(migrate, "MIGRATIONS", {1: one_to_two, 2: two_to_three})
    assert migrate.oldest() == 1
    save, loaded = load_game(path)
    assert steps == [1, 2]
    assert save.version == 3 and save.seed == 6
    assert loaded.state.digest() == game.state.digest()
    assert document(path)["version"] == 1  # reading never rewrites the file


def test_a_version_no_migration_reaches_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(person_game("base", "us", seed=6, turns=1), tmp_path / "old.json")
    monkeypatch.setattr(model, "VERSION", 3)
    monkeypatch.setattr(migrate, "MIGRATIONS", {2: lambda doc: doc})
    with pytest.raises(SaveError, match=r"format version 1, older than any .* \(2 to 3\)") as e:
        load_game(path)
    assert e.value.problem is SaveProblem.OLDER
    doc = document(path)
    doc["version"] = 4
    with pytest.raises(SaveError, match="format version 4, newer than this airace reads"):
        load_game(rewrite(path, doc))
