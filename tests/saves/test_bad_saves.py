"""Bad saves: each kind gets one clear sentence and exit 1, no traceback, no file changed."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import game.files
from game.cli import main
from game.saves import codec, model
from game.saves.codec import data_hash, load_game
from game.saves.errors import SaveError, SaveProblem
from tests.saves.helpers import person_game, rewrite, write


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a good save: three quarters of the base scenario, with choices."""
    game = person_game("base", "us", seed=4, turns=3)
    assert any(r.choices for r in game.records)
    return write(game, tmp_path_factory.mktemp("good") / "good.json").read_bytes()


Breakage = Callable[[Path, bytes], None]


def _edit(change: Callable[[dict[str, Any]], object]) -> Breakage:
    def breaks(path: Path, good: bytes) -> None:
        doc = json.loads(good)
        change(doc)
        rewrite(path, doc)

    return breaks


def _scenario(change: Callable[[dict[str, Any]], object]) -> Breakage:
    """An edit to the embedded scenario, with its hash updated to match."""

    def edit(doc: dict[str, Any]) -> None:
        change(doc["scenario"])
        doc["scenario_hash"] = data_hash(doc["scenario"])

    return _edit(edit)


def _orders(doc: dict[str, Any], turn: int = 1) -> dict[str, Any]:
    orders: dict[str, Any] = doc["turns"][turn - 1]["orders"]["prometheus"]
    return orders


def _more_research(doc: dict[str, Any]) -> None:
    _orders(doc, 2)["research"] = _orders(doc, 2).get("research", 0) + 1


def _bad_price(scenario: dict[str, Any]) -> None:
    scenario["chips"]["h100"]["price"] = -5


def _bad_when(scenario: dict[str, Any]) -> None:
    scenario["events"][0]["when"] = "me.cassh > 1"


CASES: dict[str, tuple[Breakage, SaveProblem, str]] = {
    "truncated": (
        lambda p, g: p.write_bytes(g[: len(g) // 2]),
        SaveProblem.TRUNCATED,
        "the save is cut short after",
    ),
    "empty": (lambda p, g: p.write_bytes(b""), SaveProblem.TRUNCATED, "the file is empty"),
    "not JSON": (
        lambda p, g: p.write_bytes(b"turn 1: bought GPUs\n"),
        SaveProblem.NOT_JSON,
        "it is not a save: it is not JSON (line 1, column 1",
    ),
    "not text": (
        lambda p, g: p.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe"),
        SaveProblem.NOT_TEXT,
        "not UTF-8 text",
    ),
    "nested too deep": (
        lambda p, g: p.write_bytes(b"[" * 100_000 + b"]" * 100_000),
        SaveProblem.NOT_JSON,
        "nests too deeply",
    ),
    "another program's JSON": (
        lambda p, g: p.write_text('{"name": "left-pad", "version": "1.3.0"}'),
        SaveProblem.NOT_A_SAVE,
        "it is not an AI Race save",
    ),
    "a JSON list": (
        lambda p, g: p.write_text("[1, 2, 3]"),
        SaveProblem.NOT_A_SAVE,
        "not an AI Race",
    ),
    "newer format": (
        _edit(lambda d: d.update(version=model.VERSION + 1)),
        SaveProblem.NEWER,
        f"format version {model.VERSION + 1}, newer than this airace reads",
    ),
    "older format": (
        _edit(lambda d: d.update(version=0)),
        SaveProblem.OLDER,
        "format version 0, older than any this airace reads",
    ),
    "no version": (_edit(lambda d: d.pop("version")), SaveProblem.DAMAGED, "no format version"),
    "unknown rules": (
        _edit(lambda d: d.update(rules_version=99)),
        SaveProblem.OTHER_RULES,
        "played under rules version 99",
    ),
    "a part missing": (
        _edit(lambda d: d.pop("seed")),
        SaveProblem.DAMAGED,
        "the save is damaged: seed: field required",
    ),
    "orders out of range": (
        _edit(lambda d: _orders(d).update(research=-1)),
        SaveProblem.DAMAGED,
        "turns[0].orders.prometheus.research: input should be greater than or equal to 0",
    ),
    "tampered orders": (
        _edit(_more_research),
        SaveProblem.DESYNC,
        "desync at turn 2: Prometheus AI's cash ($M) is",
    ),
    "orders that cannot stand": (
        _edit(lambda d: _orders(d).update(gpus={"h100": 10**8})),
        SaveProblem.DESYNC,
        "desync at turn 1: Prometheus AI's recorded orders cannot stand: ",
    ),
    "a tampered digest": (
        _edit(lambda d: d["turns"][1].update(digest="0" * 64)),
        SaveProblem.DESYNC,
        "desync at turn 2: every lab's figures agree",
    ),
    "a header that lies": (
        _edit(lambda d: d["progress"].update(turn=9)),
        SaveProblem.DAMAGED,
        "it says the game stands at turn 9, but its turns play to turn 4",
    ),
    "an ending that lies": (
        _edit(
            lambda d: d.update(
                result={
                    "kind": "score",
                    "winner": "prometheus",
                    "player_won": True,
                    "text": "I won.",
                    "capability": 999,
                    "rank": 1,
                }
            )
        ),
        SaveProblem.DAMAGED,
        "the ending it states is not the one its turns play to",
    ),
    "scenario edited by hand": (
        _edit(lambda d: _bad_price(d["scenario"])),
        SaveProblem.SCENARIO_CHANGED,
        "the scenario in the save does not match its hash",
    ),
    "scenario no longer valid": (
        _scenario(_bad_price),
        SaveProblem.SCENARIO_INVALID,
        "the scenario in the save no longer validates: E103 chips.h100.price: must be at least 1",
    ),
    "scenario expression no longer valid": (
        _scenario(_bad_when),
        SaveProblem.SCENARIO_INVALID,
        "E120 events[id=deepseek_surprise].when: unknown field 'me.cassh' "
        "(did you mean 'me.cash'?)",
    ),
    "the player's seat not first": (
        _edit(lambda d: d.update(seats=["tianhe", "prometheus"])),
        SaveProblem.DAMAGED,
        "the save's game cannot be set up: the seats tianhe, prometheus cannot be played",
    ),
    "a folder": (
        lambda p, g: p.mkdir(),
        SaveProblem.UNREADABLE,
        "it is not a file",
    ),
}


def listing(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under `folder` with its size, time and contents: to see that nothing changed."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            info = path.stat()
            out[str(path)] = (info.st_size, info.st_mtime_ns, path.read_bytes())
    return out


@pytest.mark.parametrize("kind", list(CASES))
def test_each_bad_save_is_one_sentence_and_changes_nothing(
    kind: str, good: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    breakage, problem, words = CASES[kind]
    path = tmp_path / "bad.json"
    breakage(path, good)
    before = listing(tmp_path)
    with pytest.raises(SaveError) as caught:
        load_game(path)
    assert caught.value.problem is problem
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)
    code = main(["replay", str(path), "--verify"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"airace: error: {path}: "), err
    assert "Traceback" not in err
    assert listing(tmp_path) == before


def test_a_100_mb_file_is_refused_by_its_size_before_a_byte_is_read(
    good: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.write(good[:100])
        f.truncate(100 * 1024 * 1024)  # sparse: no need to write 100 MB

    def no_reading(*_: object, **__: object) -> None:
        raise AssertionError("a file that is too large must not be opened")

    monkeypatch.setattr(game.files, "open", no_reading, raising=False)
    with pytest.raises(SaveError, match=r"the file holds 100\.0 MB, more than any save") as caught:
        load_game(path)
    assert caught.value.problem is SaveProblem.TOO_LARGE


def test_a_save_that_grows_while_it_is_read_is_still_held_to_the_size(
    good: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "grows.json"
    path.write_bytes(good)
    monkeypatch.setattr(codec, "MAX_BYTES", len(good) - 1)
    with pytest.raises(SaveError) as caught:
        load_game(path)
    assert caught.value.problem is SaveProblem.TOO_LARGE


def test_a_missing_save_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(tmp_path / "gone.json"), "--verify"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("airace: error: there is no save ") and err.count("\n") == 1


def test_text_from_a_save_reaches_the_terminal_as_plain_text(
    good: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A chip id with a terminal escape, Rich markup and a new line, in a save's orders.
    path = tmp_path / "hostile.json"
    doc = json.loads(good)
    _orders(doc)["gpus"] = {"h\x1b]0;owned\x07 [bold red]100[/]\nnext": 5}
    rewrite(path, doc)
    assert main(["replay", str(path), "--verify"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "there is no chip called 'h]0;owned [bold red]100[/] next'" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "cut", [b'{"turns": [1, -', b'{"cash": 1.5e', b'{"over": tr', b'{"name": "Prom', b'{"a": [1, 2']
)
def test_a_save_cut_inside_a_number_or_word_is_cut_short_not_broken(cut: bytes) -> None:
    """Found when a half-written save ended on '-': it was called 'not JSON'."""
    from game.saves.codec import parse_document

    with pytest.raises(SaveError) as caught:
        parse_document(cut)
    assert caught.value.problem is SaveProblem.TRUNCATED


def test_json_broken_in_the_middle_is_not_called_cut_short() -> None:
    from game.saves.codec import parse_document

    with pytest.raises(SaveError) as caught:
        parse_document(b'{"cash": x, "turns": []}')
    assert caught.value.problem is SaveProblem.NOT_JSON
