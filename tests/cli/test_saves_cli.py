"""`airace resume`, `airace replay` and `airace simulate --save-dir`, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.saves.store import autosave
from tests.cli.helpers import airace
from tests.saves.helpers import document, person_game, rewrite, simulated_game, write


def one_error(err: str, start: str = "airace: error: ") -> str:
    assert err.count("\n") == 1 and err.startswith(start), err
    assert "Traceback" not in err
    return err


def test_simulate_writes_a_save_per_game_that_verifies_and_tells_its_story(
    tmp_path: Path,
) -> None:
    args = ["simulate", "--scenario", "deepseek-surprise", "--games", "3", "--seed", "5"]
    saved = airace(*args, "--json", "--save-dir", "out/saves", cwd=tmp_path)
    assert saved.returncode == 0, saved.stderr
    plain = airace(*args, "--json", cwd=tmp_path)
    # Saving changes nothing in the games.
    assert json.loads(saved.stdout)["results"] == json.loads(plain.stdout)["results"]
    files = sorted((tmp_path / "out" / "saves").iterdir())
    assert [f.name for f in files] == [
        f"deepseek-surprise-us-{5 * 1_000_003 + i}.json" for i in range(3)
    ]
    verified = airace("replay", str(files[0]), "--verify", cwd=tmp_path)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(f"ok: {files[0].relative_to(tmp_path)} replays to ")
    assert "(the game is over)" in verified.stdout
    told = airace("replay", str(files[1]), "--chronicle", cwd=tmp_path)
    assert told.returncode == 0, told.stderr
    assert told.stdout.startswith("# AI Race: DeepSeek")
    assert "## 2025 Q1 (turn 1)" in told.stdout and "## The end" in told.stdout


def test_verify_reports_a_desync_at_its_turn(tmp_path: Path) -> None:
    path = write(person_game("base", "china", seed=3, turns=4), tmp_path / "game.json")
    doc = document(path)
    doc["turns"][2]["orders"]["tianhe"]["train_share"] = 0.123
    rewrite(path, doc)
    result = airace("replay", "game.json", "--verify", cwd=tmp_path)
    assert result.returncode == 1
    one_error(result.stderr, "airace: error: game.json: desync at turn 3: ")


def test_resume_loads_the_latest_game_from_the_data_dir_then_needs_a_terminal(
    tmp_path: Path,
) -> None:
    autosave(person_game(turns=2), tmp_path / "data" / "saves")
    for args in (["--data-dir", "data", "resume"], ["resume", "--data-dir", "data"]):
        result = airace(*args, cwd=tmp_path, env={"AIRACE_HOME": str(tmp_path / "elsewhere")})
        assert result.returncode == 2
        one_error(result.stderr, "airace: error: the game needs a terminal")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["resume"], 1, "there is no unfinished game to resume in "),
        (["resume", "nowhere"], 1, "there is no save 'nowhere': not a file, nor a save in "),
        (["resume", "finished.json"], 1, "finished.json: that game is over; 'airace replay'"),
        (["resume", "simulated.json"], 1, "simulated.json: that game is over"),
        (["resume", "broken.json"], 1, "broken.json: the save is cut short after"),
        # Neither a save nor a play-by-file game: said so, nothing opened.
        (["resume", "other.json"], 1, "other.json: it is not an AI Race save: it is JSON, but"),
        (["resume", "notes.txt"], 1, "notes.txt: it is not a save: it is not JSON"),
        (["resume", "duel.json"], 1, "duel.json: it is a play-by-file game of format version"),
        (["resume", "a.json", "b.json"], 2, "unrecognized arguments: b.json"),
        (["replay"], 2, "the following arguments are required: SAVE"),
        (["replay", "x", "--verify", "--chronicle"], 2, "not allowed with argument"),
        (["resume", "in-progress"], 2, "the game needs a terminal"),
    ],
)
def test_resume_and_replay_argument_errors(
    args: list[str],
    code: int,
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AIRACE_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    write(person_game(turns=99), tmp_path / "finished.json")
    write(simulated_game(seed=1), tmp_path / "simulated.json")
    (tmp_path / "broken.json").write_bytes(b'{"format": "airace-save", "vers')
    (tmp_path / "other.json").write_bytes(b'{"hello": 1}')
    (tmp_path / "notes.txt").write_bytes(b"hello")
    (tmp_path / "duel.json").write_bytes(b'{"format": "airace-duel", "move": 1}')
    if "in-progress" in args:  # a save found by its name in the saves folder
        write(person_game(turns=2), tmp_path / "home" / "saves" / "in-progress.json")
    assert main(args) == code
    err = one_error(capsys.readouterr().err)
    assert words in err, err
