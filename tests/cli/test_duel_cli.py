"""Play by file (issue 12): two processes, each seat with its own data folder, pass one file.

The United States' seat starts the game and moves first every quarter; its
move travels sealed. Each `airace` below is a separate process, as on two
computers; the file is refused when played out of turn, as an old copy, or
edited, and the finished game verifies like any save.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.saves.codec import data_hash
from game.scenario.loader import load_scenario
from tests.cli.helpers import airace

SCENARIO = Path(__file__).parent / "data" / "short-duel.yaml"
SEATS = ("prometheus", "tianhe")  # the base scenario's US and Chinese main labs
SEED = 5
# Orders no advisor would give, so the test can look for them in the file.
Run = subprocess.CompletedProcess[str]
US_ORDERS = {"gpus": {"h100": 4321}, "research": 123.456, "train_share": 0.4321}


def one_error(result: Run, code: int = 1) -> str:
    """The run failed with exit code `code` and one sentence on stderr, no traceback."""
    assert result.returncode == code, (result.stdout, result.stderr)
    err = result.stderr
    assert err.count("\n") == 1 and err.startswith("airace: error: "), err
    assert "Traceback" not in err
    return err


def files(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its bytes: to see that nothing changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Table:
    """Two players' folders in one test folder: `us/` and `cn/` are each seat's data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copy(SCENARIO, root / "short-duel.yaml")

    def us(self, *args: str) -> Run:
        return airace(*args, "--data-dir", "us", cwd=self.root)

    def china(self, *args: str) -> Run:
        # The other seat finds its folder through the environment, as a player may set it.
        return airace(*args, cwd=self.root, env={"AIRACE_HOME": str(self.root / "cn")})

    def new(self, save: str, *args: str) -> Run:
        """The US seat starts a game by file of the short scenario, saved to `save`."""
        return self.us(
            "play", "--two-player", "--save", save, "--scenario", "short-duel.yaml", *args
        )

    def start(self) -> None:
        (self.root / "orders.json").write_text(json.dumps(US_ORDERS), encoding="utf-8")
        chosen = [f"--choose={event}=1" for event in first_events(SEATS[0])]
        started = self.new(
            "duel.json", "--seat", "us", "--seed", str(SEED), "--orders", "orders.json", *chosen
        )
        assert started.returncode == 0, started.stderr
        assert started.stdout == (
            "Send duel.json to the player of Tianhe Intelligence (China): they run "
            "'airace resume duel.json'.\n"
        )

    def snapshot(self) -> dict[str, str]:
        return files(self.root)


def first_events(seat: str) -> list[str]:
    """The events waiting for `seat` in the game's first quarter."""
    game = Game(Rulebook(load_scenario(SCENARIO)), "us", SEED, difficulty="normal", humans=SEATS)
    return game.pending_for(seat)


def test_a_game_by_file_between_two_processes_plays_to_the_end(tmp_path: Path) -> None:
    table = Table(tmp_path)
    table.start()
    duel = tmp_path / "duel.json"
    sent = duel.read_bytes()

    # In transit: the United States' move is a commitment and nothing more.
    doc = json.loads(sent)
    assert doc["due"] == "tianhe" and doc["revealed"] is None
    assert set(doc["sealed"]) == {"lab", "commitment"}
    assert [t.get("choices", []) for t in doc["save"]["turns"]] == [[]]
    assert all("orders" not in t for t in doc["save"]["turns"])
    for readable in (b'"h100":4321', b"4321,", b"123.456", b"0.4321"):
        assert readable not in sent
    kept = json.loads(next((tmp_path / "us" / "duels").iterdir()).read_bytes())
    assert kept["move"]["orders"]["research"] == 123.456  # kept at home, to reveal later

    # The United States plays twice: refused, and nothing is touched.
    before = table.snapshot()
    err = one_error(table.us("resume", "duel.json", "--advisor"))
    assert "it is Tianhe Intelligence (China)'s move" in err
    assert table.snapshot() == before

    quarters = 0
    old = tmp_path / "old.json"
    while True:
        china = table.china("resume", "duel.json", "--advisor")
        assert china.returncode == 0, china.stderr
        if "The game is over" in china.stdout:
            break
        if quarters == 1:
            shutil.copy(duel, old)  # China's move of the second quarter, kept aside
        us = table.us("resume", "duel.json", "--advisor")
        assert us.returncode == 0, us.stderr
        quarters += 1
        assert quarters <= 8
    assert quarters == 8
    assert "they run 'airace resume duel.json' to see the ending" in us.stdout

    # The whole game: the United States' orders of the first quarter as given.
    final = json.loads(duel.read_bytes())
    assert final["due"] is None
    assert final["save"]["turns"][0]["orders"]["prometheus"]["research"] == 123.456
    verified = airace("replay", "duel.json", "--verify", cwd=tmp_path)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("ok: duel.json replays to the recorded state after each")
    assert "(the game is over)" in verified.stdout
    for seat in ("us", "cn"):  # each seat keeps the finished game with its saves
        assert len(list((tmp_path / seat / "saves" / "finished").iterdir())) == 1

    # An old copy played again, by either seat: refused, nothing touched.
    before = table.snapshot()
    assert "old copy" in one_error(table.us("resume", "old.json", "--advisor"))
    assert table.snapshot() == before


def test_an_old_copy_played_again_is_refused(tmp_path: Path) -> None:
    table = Table(tmp_path)
    table.start()
    shutil.copy(tmp_path / "duel.json", tmp_path / "first.json")
    assert table.china("resume", "duel.json", "--advisor").returncode == 0
    before = table.snapshot()
    err = one_error(table.china("resume", "first.json", "--advisor"))
    assert "this is an old copy of the game (move 1)" in err
    assert table.snapshot() == before


def edit_a_byte(data: bytes, after: bytes) -> bytes:
    """`data` with the first digit after `after` changed."""
    at = data.index(after) + len(after)
    while not data[at : at + 1].isdigit():
        at += 1
    digit = b"7" if data[at : at + 1] != b"7" else b"3"
    return data[:at] + digit + data[at + 1 :]


def redigest(doc: dict[str, object]) -> bytes:
    """A document with its digest made again: an edit by someone who knows the format."""
    body = {k: v for k, v in doc.items() if k != "digest"}
    return json.dumps({**body, "digest": data_hash(body)}).encode("utf-8")


@pytest.mark.parametrize("where", [b'"commitment":"', b'"turns":[{"turn":', b'"seed":'])
def test_an_edited_file_is_refused(tmp_path: Path, where: bytes) -> None:
    table = Table(tmp_path)
    table.start()
    duel = tmp_path / "duel.json"
    duel.write_bytes(edit_a_byte(duel.read_bytes(), where))
    before = table.snapshot()
    err = one_error(table.china("resume", "duel.json", "--advisor"))
    assert "the file was changed or cut short after it was written" in err
    assert table.snapshot() == before


def test_a_sealed_move_or_a_past_quarter_changed_with_a_new_digest_is_refused(
    tmp_path: Path,
) -> None:
    table = Table(tmp_path)
    table.start()
    duel = tmp_path / "duel.json"
    assert table.china("resume", "duel.json", "--advisor").returncode == 0
    answered = json.loads(duel.read_bytes())

    # China swaps the United States' sealed move for another commitment.
    doc = json.loads(json.dumps(answered))
    doc["sealed"]["commitment"] = "0" * 64
    duel.write_bytes(redigest(doc))
    before = table.snapshot()
    assert "does not hold the game this seat sent" in one_error(
        table.us("resume", "duel.json", "--advisor")
    )
    assert table.snapshot() == before

    # A quarter later, China rewrites the first quarter's records.
    duel.write_bytes(redigest(answered))
    assert table.us("resume", "duel.json", "--advisor").returncode == 0
    assert table.china("resume", "duel.json", "--advisor").returncode == 0
    doc = json.loads(duel.read_bytes())
    doc["save"]["turns"][0]["orders"]["prometheus"]["research"] = 0.0
    duel.write_bytes(redigest(doc))
    before = table.snapshot()
    one_error(table.us("resume", "duel.json", "--advisor"))
    assert table.snapshot() == before


def test_bad_play_by_file_input_is_one_sentence(tmp_path: Path) -> None:
    table = Table(tmp_path)
    err = one_error(
        table.us("play", "--two-player", "--scenario", "short-duel.yaml", "--advisor"), code=2
    )
    assert "needs --save FILE" in err
    (tmp_path / "taken.json").write_text("{}", encoding="utf-8")
    err = one_error(table.new("taken.json"))
    assert "exists already" in err
    (tmp_path / "bad-orders.json").write_text('{"gpus": {"h100": -5}}', encoding="utf-8")
    err = one_error(table.new("d.json", "--orders", "bad-orders.json"))
    assert "holds no orders" in err and not (tmp_path / "d.json").exists()
    err = one_error(table.new("d.json", "--orders", "orders-missing.json"))
    assert not (tmp_path / "d.json").exists()
    (tmp_path / "none.json").write_text("{}", encoding="utf-8")
    err = one_error(table.new("d.json", "--seed", str(SEED), "--orders", "none.json"))
    assert "answers no choice for" in err and not (tmp_path / "d.json").exists()
    err = one_error(table.new("no/such/d.json"))
    assert "there is no folder" in err and not (tmp_path / "no").exists()
    (tmp_path / "cut.json").write_bytes(b'{"format":"airace-duel","version":1,"game":"ab')
    assert "cut short" in one_error(table.china("resume", "cut.json", "--advisor"))
    # Without --two-player, the move options are refused.
    err = one_error(table.us("play", "--advisor"), code=2)
    assert "add --two-player" in err
