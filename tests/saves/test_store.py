"""The saves folder: autosaves that rotate, named saves, finished games, the list, the records."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

import pytest

from game.saves import store
from game.saves.codec import branch_game, load_game
from game.saves.errors import SaveError, SaveProblem
from game.saves.model import Result
from game.saves.records import records_table
from game.saves.store import (
    SaveInfo,
    autosave,
    find_save,
    latest_unfinished,
    list_saves,
    save_as,
    saves_dir,
)
from tests.saves.helpers import answer, person_game, simulated_game


def test_saves_live_in_the_users_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRACE_HOME", str(tmp_path))
    assert saves_dir() == tmp_path / "saves"
    game = person_game(turns=1)
    path = autosave(game)
    assert path.parent == tmp_path / "saves" and path.name == f"autosave-{game.id}.json"


def test_a_game_keeps_one_autosave_rewritten_each_turn(tmp_path: Path) -> None:
    game = person_game(turns=1)
    first = autosave(game, tmp_path)
    answer(game, 0)
    game.end_turn()
    again = autosave(game, tmp_path)
    assert again == first and [p.name for p in tmp_path.iterdir()] == [first.name]
    save, loaded = load_game(again)
    assert save.progress.turn == 3 and loaded.state.digest() == game.state.digest()


def test_the_autosaves_of_the_last_few_games_rotate(tmp_path: Path) -> None:
    games = [person_game(seed=seed, turns=1) for seed in range(store.AUTOSAVES_KEPT + 2)]
    paths = []
    for game in games:
        paths.append(autosave(game, tmp_path))
        time.sleep(0.01)  # distinct times, as turns minutes apart would have
    kept = sorted(p.name for p in tmp_path.glob("autosave-*.json"))
    assert kept == sorted(p.name for p in paths[-store.AUTOSAVES_KEPT :])
    # The oldest game played on takes a slot back, and pushes out the next oldest.
    assert autosave(games[0], tmp_path).exists()
    assert not paths[2].exists() and paths[3].exists() and paths[4].exists()


def test_a_finished_game_moves_from_its_autosave_to_finished(tmp_path: Path) -> None:
    game = person_game(turns=2)
    own = autosave(game, tmp_path)
    while not game.over:
        answer(game, 0)
        game.end_turn()
    done = autosave(game, tmp_path)
    assert not own.exists()
    assert done.parent == tmp_path / "finished" and game.id in done.name
    assert done.name == f"base-us-{game.id}.json"
    assert autosave(game, tmp_path) == done and len(list(done.parent.iterdir())) == 1
    for _ in range(store.AUTOSAVES_KEPT + 1):  # rotation never touches finished games
        autosave(person_game(turns=1), tmp_path)
    assert done.exists()


def test_named_saves(tmp_path: Path) -> None:
    game = person_game(turns=2)
    path = save_as(game, "  Before the Stargate vote!  ", tmp_path)
    assert path.name == "before-the-stargate-vote.json"
    save, _ = load_game(path)
    assert save.name == "Before the Stargate vote!"
    assert find_save("before-the-stargate-vote", tmp_path) == path
    assert find_save("before-the-stargate-vote.json", tmp_path) == path
    for bad in ("", "  !!! ", "autosave-mine"):
        with pytest.raises(SaveError) as e:
            save_as(game, bad, tmp_path)
        assert e.value.problem is SaveProblem.BAD_NAME


def test_a_save_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SaveError, match="the game could not be saved in") as e:
        autosave(person_game(turns=1), blocker)
    assert e.value.problem is SaveProblem.UNWRITABLE


def test_the_list_shows_what_the_load_screen_needs_newest_first(tmp_path: Path) -> None:
    playing = person_game("stargate", "china", seed=3, turns=4)
    autosave(playing, tmp_path)
    time.sleep(0.01)
    named = save_as(person_game("chip-war", "us", seed=2, turns=1), "mine", tmp_path)
    (tmp_path / "broken.json").write_text("{")
    (tmp_path / ".autosave-x.json.1234.tmp").write_text("half a save")  # a writer killed
    infos = list_saves(tmp_path)
    # Newest first; a file that cannot be read goes by the file's own time.
    names = ["broken.json", "mine.json", f"autosave-{playing.id}.json"]
    assert [i.path.name for i in infos] == names
    broken = infos[0]
    assert broken.problem is not None and "cut short" in broken.problem
    assert broken.outcome == "cannot be read"
    auto = infos[2]
    assert (auto.kind, auto.scenario_id, auto.faction, auto.side) == (
        "autosave",
        "stargate",
        "china",
        "China",
    )
    assert (auto.turn, auto.date, auto.over, auto.outcome) == (5, "2026 Q1", False, "in progress")
    assert auto.saved_at.tzinfo is not None and auto.people == 1
    assert infos[1].kind == "named" and infos[1].name == "mine" and named.exists()
    # Continue plays on from a game's own autosave, not from a save the player named.
    assert latest_unfinished(tmp_path) == infos[2]


def test_continue_skips_finished_games_and_is_none_without_a_game(tmp_path: Path) -> None:
    assert latest_unfinished(tmp_path) is None
    assert list_saves(tmp_path / "nowhere") == []
    game = person_game(turns=99)
    assert game.over
    autosave(game, tmp_path)
    assert latest_unfinished(tmp_path) is None
    assert list_saves(tmp_path)[0].outcome.startswith(("won: ", "lost: "))


def test_a_branch_records_where_it_came_from_and_plays_on(tmp_path: Path) -> None:
    game = person_game(turns=5)
    path = autosave(game, tmp_path)
    _, loaded = load_game(path)
    new = branch_game(loaded, 3, save_name=path.name)
    assert new.state.turn == 3 and new.records[-1].choices == []
    assert new.history[1].digest() == game.history[1].digest()  # turn 2 played as it was
    answer(new, 0)
    new.end_turn()
    save, again = load_game(autosave(new, tmp_path))
    assert save.branch is not None
    assert (save.branch.game, save.branch.save, save.branch.turn) == (game.id, path.name, 3)
    assert again.branch == new.branch and save.id != game.id
    info = next(i for i in list_saves(tmp_path) if i.game_id == new.id)
    assert info.branched


def test_stale_temporary_files_are_swept(tmp_path: Path) -> None:
    stale = tmp_path / ".mine.json.abcd.tmp"
    fresh = tmp_path / ".mine.json.ef01.tmp"
    for p in (stale, fresh):
        p.write_text("half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    save_as(person_game(turns=1), "mine", tmp_path)
    assert not stale.exists() and fresh.exists()


# --- the records table ------------------------------------------------------------


def info(
    game_id: str,
    *,
    won: bool,
    turn: int,
    capability: float = 100.0,
    scenario: str = "base",
    faction: str = "us",
    difficulty: str | None = "normal",
    minute: int = 0,
    **kw: object,
) -> SaveInfo:
    result = Result(
        kind="turning_point" if won else "bankruptcy",
        winner="x",
        player_won=won,
        text="...",
        capability=capability,
        rank=1 if won else 3,
    )
    fields: dict[str, object] = {
        "path": Path(f"{game_id}.json"),
        "kind": "finished",
        "saved_at": datetime.datetime(2026, 1, 1, 12, minute, tzinfo=datetime.UTC),
        "game_id": game_id,
        "scenario_id": scenario,
        "scenario_name": scenario.title(),
        "faction": faction,
        "side": {"us": "United States", "china": "China"}[faction],
        "difficulty": difficulty,
        "turn": turn,
        "date": f"2029 Q{turn % 4 + 1}",
        "over": True,
        "result": result,
        "people": 1,
    }
    fields.update(kw)
    return SaveInfo(**fields)  # type: ignore[arg-type]


def test_the_records_table_keeps_the_best_result_of_each_scenario_side_and_difficulty() -> None:
    saves = [
        info("a", won=False, turn=20),
        info("b", won=True, turn=19, capability=90),
        info("c", won=True, turn=17, capability=80),  # the earliest win is the best
        info("c", won=True, turn=17, capability=80, kind="named"),  # the same game again
        info("d", won=True, turn=17, capability=80, minute=5),  # as good, but later
        info("e", won=False, turn=9, faction="china"),
        info("f", won=False, turn=12, faction="china", capability=50),  # lasted longer
        info("g", won=True, turn=5, difficulty="hard"),
        info("h", won=True, turn=2, branched=True),  # a branch sets no record
        info("i", won=True, turn=2, people=0),  # nor a game computers played
        info("n", won=True, turn=2, people=2),  # nor one two people played (hot-seat)
        info("j", won=True, turn=2, over=False, result=None),  # nor one in progress
        info("k", won=True, turn=2, problem="cut short"),  # nor one that cannot be read
        info("m", won=True, turn=12, scenario="anthology"),
    ]
    rows = records_table(saves)
    assert [(r.scenario_id, r.faction, r.difficulty) for r in rows] == [
        ("anthology", "us", "normal"),
        ("base", "us", "hard"),
        ("base", "us", "normal"),
        ("base", "china", "normal"),
    ]
    base = rows[2]
    assert (base.played, base.won, base.best.game_id) == (4, 3, "c")
    assert base.best_text == "won in 2029 Q2 (turn 17), turning point"
    assert rows[3].best.game_id == "f" and rows[3].best_text.startswith("lost in ")


def test_the_records_table_reads_the_saves_folder(tmp_path: Path) -> None:
    won_or_lost = person_game(turns=99)
    autosave(won_or_lost, tmp_path)
    autosave(simulated_game(seed=2), tmp_path)  # computers only: no record
    rows = records_table(list_saves(tmp_path))
    assert len(rows) == 1 and rows[0].best.game_id == won_or_lost.id


def test_playing_on_from_a_named_save_is_a_new_game_that_leaves_the_old_ones_alone(
    tmp_path: Path,
) -> None:
    from game.saves.codec import read_save
    from game.saves.store import play_on

    def open_to_play(path: Path):  # type: ignore[no-untyped-def]
        return play_on(path, *load_game(path))

    game = person_game("deepseek-surprise", "us", seed=4, turns=2)
    early = save_as(game, "early", tmp_path)
    for _ in range(3):
        answer(game, 1)
        game.submit(game.suggested_orders())
        game.end_turn()
    later = autosave(game, tmp_path)
    before = later.read_bytes()
    # From the named save: a new game, recording where it came from.
    again = open_to_play(early)
    assert again.id == "" and again.branch is not None
    assert (again.branch.game, again.branch.save, again.branch.turn) == (game.id, "early.json", 3)
    answer(again, 1)
    again.end_turn()
    mine = autosave(again, tmp_path)
    assert mine != later and later.read_bytes() == before
    assert read_save(mine).branch is not None
    # From its own autosave, the game goes on as itself.
    assert open_to_play(later).id == game.id


def test_ids_that_would_name_files_elsewhere_are_refused(tmp_path: Path) -> None:
    from game.saves.codec import read_save

    path = autosave(person_game(turns=1), tmp_path)
    text = path.read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    saved_id = read_save(path).id
    bad.write_text(text.replace(f'"id":"{saved_id}"', '"id":"x/../../victim"'), encoding="utf-8")
    with pytest.raises(SaveError, match="the save is damaged: id"):
        read_save(bad)


def test_a_save_an_editor_gave_a_byte_order_mark_still_reads(tmp_path: Path) -> None:
    from game.saves.codec import read_save

    path = autosave(person_game(turns=1), tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_save(path).progress.turn == 2


def test_unicode_names_make_files_and_the_same_name_is_the_same_file(tmp_path: Path) -> None:
    from game.saves.store import named_path

    assert named_path("战略 A", tmp_path).name == "战略-a.json"
    assert named_path("Café", tmp_path) == named_path("café", tmp_path)
    with pytest.raises(SaveError):
        named_path("!!!", tmp_path)
