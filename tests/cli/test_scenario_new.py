"""`airace scenario new`: a commented scenario file that validates and plays as written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from game.cli import main
from game.scenario.loader import load_scenario, shipped_ids
from game.scenario.schema import schema_reference, shipped_schema_path
from game.scenario.template import examples, title_of
from tests.cli.helpers import airace

SCHEMA_LINE = "# yaml-language-server: $schema="


def schema_of(path: Path) -> Path:
    """The file a scenario's editor line points at, resolved as the language server does."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(SCHEMA_LINE)
    return (path.parent / first[len(SCHEMA_LINE) :]).resolve()


def test_new_then_validate_and_simulate(tmp_path: Path) -> None:
    made = airace("scenario", "new", "my-scenario", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout == "wrote my-scenario.yaml, a scenario that extends base\n"
    path = tmp_path / "my-scenario.yaml"
    assert schema_of(path) == shipped_schema_path().resolve()
    checked = airace("scenario", "validate", "my-scenario.yaml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "ok: my-scenario.yaml (My scenario)\n"
    played = airace(
        "simulate", "--scenario", "my-scenario.yaml", "--games", "10", "--json", cwd=tmp_path
    )
    assert played.returncode == 0, played.stderr
    results = json.loads(played.stdout)["results"]
    assert results["games"] == 10
    assert "bridge_loan" in results["events"]  # its own event is in the deck


@pytest.mark.parametrize("parent", sorted(shipped_ids()))
def test_every_commented_block_is_valid_once_uncommented(tmp_path: Path, parent: str) -> None:
    assert main(["scenario", "new", "mine", "--extends", parent, "--dir", str(tmp_path)]) == 0
    path = tmp_path / "mine.yaml"
    written = load_scenario(path)
    assert written.meta.id == "mine" and written.meta.name == "Mine"
    text = path.read_text(encoding="utf-8")
    for block in examples(load_scenario(parent)):
        commented = "\n".join(f"# {line}" for line in block.yaml.split("\n"))
        assert commented in text
        text = text.replace(commented, block.yaml)
    path.write_text(text, encoding="utf-8")
    load_scenario(path)


def test_the_schema_line_is_right_wherever_the_file_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / "a" / "b"
    assert main(["scenario", "new", "deep", "--dir", str(deep)]) == 0  # folders are made
    assert schema_of(deep / "deep.yaml") == shipped_schema_path().resolve()
    # A space would end the reference on that line: a file URI says it whole.
    spaced = tmp_path / "my assets" / "scenario.schema.json"
    monkeypatch.setattr("game.scenario.schema.shipped_schema_path", lambda: spaced)
    assert schema_reference(tmp_path / "scenarios") == spaced.as_uri()


def test_a_file_of_the_authors_is_extended_by_its_path(tmp_path: Path) -> None:
    # Quoted in the file: a path may hold what YAML would read otherwise.
    parent_dir, child_dir = tmp_path / "mine: #1", tmp_path / "theirs"
    assert main(["scenario", "new", "parent", "--dir", str(parent_dir)]) == 0
    parent = str(parent_dir / "parent.yaml")
    assert main(["scenario", "new", "child", "--extends", parent, "--dir", str(child_dir)]) == 0
    text = (child_dir / "child.yaml").read_text(encoding="utf-8")
    assert '\nextends: "../mine: #1/parent.yaml"\n' in text
    assert load_scenario(child_dir / "child.yaml").meta.id == "child"


def test_an_existing_file_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("mine\n", encoding="utf-8")
    assert main(["scenario", "new", "mine", "--dir", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error == (
        f"airace: error: {path} already exists: choose another name, or another folder with --dir\n"
    )
    assert path.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["My Scenario"],
            "'My Scenario' cannot be a scenario id: use at most 40 lowercase letters, digits, "
            "'-' and '_', starting with a letter",
        ),
        (["base"], "a scenario cannot extend itself: name it other than 'base'"),
        (["mine", "--extends", "nowhere"], "unknown scenario 'nowhere'"),
    ],
)
def test_bad_names_are_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["scenario", "new", *args, "--dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"airace: error: {message}") and error.count("\n") == 1
    assert os.listdir(tmp_path) == []


def test_a_trailing_yaml_is_the_file_not_the_id(tmp_path: Path) -> None:
    assert main(["scenario", "new", "chip-war-2.yaml", "--dir", str(tmp_path)]) == 0
    assert load_scenario(tmp_path / "chip-war-2.yaml").meta.name == title_of("chip-war-2")
    assert title_of("chip-war-2") == "Chip war 2"


def test_a_folder_that_cannot_be_made_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    assert main(["scenario", "new", "mine", "--dir", str(tmp_path / "taken")]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"airace: error: cannot make the folder {tmp_path / 'taken'}: ")
    assert error.count("\n") == 1
