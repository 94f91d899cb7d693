"""The records table: the best result by scenario, side and difficulty, as roguelikes keep.

Built from the finished games in the saves folder (`store.list_saves`), as a
pure function of what they say. A win beats a loss; between wins the
earlier is better, between losses the later (the longer the lab lasted);
then the higher capability at the end. Games played by computers only,
games of two players (hot-seat: no one player's result), and branches taken
over from another game's turn, set no records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.saves.store import SaveInfo

SIDE_ORDER = ("us", "china")


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One line of the records table."""

    scenario_id: str
    scenario_name: str
    faction: str
    side: str  # the side as the scenario names it
    difficulty: str | None
    played: int  # finished games
    won: int
    best: SaveInfo  # the best of them (its path opens it as a replay)

    @property
    def best_text(self) -> str:
        """The best result in words: 'won in 2029 Q3 (turn 19), turning point'."""
        result = self.best.result
        assert result is not None  # rows are made of finished games only
        how = result.kind.replace("_", " ")
        said = "won" if result.player_won else "lost"
        return f"{said} in {self.best.date} (turn {self.best.turn}), {how}"


def records_table(saves: Iterable[SaveInfo]) -> list[RecordRow]:
    """The records table of these saves: one row per scenario, side and difficulty played."""
    games: dict[str, SaveInfo] = {}
    for info in saves:  # a game saved twice (a named save and its finish) counts once
        if _counts(info) and info.game_id not in games:
            games[info.game_id] = info
    cells: dict[tuple[str, str, str], list[SaveInfo]] = {}
    for info in games.values():
        cells.setdefault((info.scenario_id, info.faction, info.difficulty or ""), []).append(info)
    rows = []
    for (_, faction, difficulty), infos in cells.items():
        best = max(infos, key=_merit)
        rows.append(
            RecordRow(
                scenario_id=best.scenario_id,
                scenario_name=best.scenario_name,
                faction=faction,
                side=best.side,
                difficulty=difficulty or None,
                played=len(infos),
                won=sum(1 for i in infos if i.result is not None and i.result.player_won),
                best=best,
            )
        )
    return sorted(rows, key=_place)


def _counts(info: SaveInfo) -> bool:
    return (
        info.problem is None
        and info.over
        and info.result is not None
        and info.people == 1
        and not info.branched
    )


def _merit(info: SaveInfo) -> tuple[bool, int, float, float]:
    result = info.result
    assert result is not None
    # Sooner is better for a win, later for a loss; then the higher capability,
    # then the game that got there first.
    turn = -info.turn if result.player_won else info.turn
    return (result.player_won, turn, result.capability, -info.saved_at.timestamp())


def _place(row: RecordRow) -> tuple[str, int, str]:
    side = SIDE_ORDER.index(row.faction) if row.faction in SIDE_ORDER else len(SIDE_ORDER)
    return (row.scenario_id, side, row.difficulty or "")
