"""Combine the records of many games into a balance summary.

The summary depends only on the records and their order, never on how or
where the games were played; `Summary.to_dict` rounds its floats so the same
run gives the same JSON on every machine.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.scenario.models import FACTIONS, Scenario
from game.sim.runner import GameResult

# Floats are compared and printed at this many significant digits: `log`,
# `exp` and `pow` may differ in the last bit between platforms.
DIGITS = 6


@dataclass(frozen=True, slots=True)
class LabSummary:
    """One lab over a run: how often it won and where it ended on average."""

    id: str
    faction: str
    wins: int
    win_rate: float
    mean_capability: float
    mean_cost_per_mtok: float


@dataclass(frozen=True, slots=True)
class Summary:
    """A run of games, summed up; labs and events in scenario order."""

    games: int
    turns: int  # turns played in all games
    min_turns: int
    max_turns: int
    player: str  # the player's lab id
    player_wins: int
    labs: tuple[LabSummary, ...]
    wins_by_faction: dict[str, int]
    wins_by_kind: dict[str, int]
    no_winner: int  # games no lab survived
    events: dict[str, int]  # event id -> games it fired in

    @property
    def mean_turns(self) -> float:
        return self.turns / self.games

    @property
    def player_win_rate(self) -> float:
        return self.player_wins / self.games

    @property
    def player_lab(self) -> LabSummary:
        """The player's seat."""
        return self.lab(self.player)

    def lab(self, lab_id: str) -> LabSummary:
        for lab in self.labs:
            if lab.id == lab_id:
                return lab
        raise KeyError(lab_id)

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain JSON-ready data, floats rounded to `DIGITS` significant digits."""
        player = self.player_lab
        return rounded(
            {
                "games": self.games,
                "turns": {
                    "total": self.turns,
                    "mean": self.mean_turns,
                    "min": self.min_turns,
                    "max": self.max_turns,
                },
                "player": {
                    "lab": player.id,
                    "faction": player.faction,
                    "wins": self.player_wins,
                    "win_rate": self.player_win_rate,
                    "mean_capability": player.mean_capability,
                    "mean_cost_per_mtok": player.mean_cost_per_mtok,
                },
                "wins": {
                    "by_lab": {lab.id: lab.wins for lab in self.labs},
                    "by_faction": dict(self.wins_by_faction),
                    "by_kind": dict(self.wins_by_kind),
                    "no_winner": self.no_winner,
                },
                "labs": {lab.id: _lab_dict(lab) for lab in self.labs},
                "events": dict(self.events),
            }
        )


def _lab_dict(lab: LabSummary) -> dict[str, Any]:
    return {
        "faction": lab.faction,
        "wins": lab.wins,
        "win_rate": lab.win_rate,
        "mean_capability": lab.mean_capability,
        "mean_cost_per_mtok": lab.mean_cost_per_mtok,
    }


def rounded(value: Any, digits: int = DIGITS) -> Any:
    """`value` with every float rounded to `digits` significant digits (non-finite: None)."""
    if isinstance(value, float):
        # JSON has no NaN or infinity; None says "no figure" honestly.
        return float(f"{value:.{digits}g}") if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v, digits) for v in value]
    return value


def scenario_labs(scenario: Scenario) -> dict[str, str]:
    """Every lab of a scenario (main labs, then rivals) -> its faction."""
    labs: dict[str, str] = {
        scenario.factions[f].lab_id: f  # f is a faction: checked by `in`
        for f in FACTIONS
        if f in scenario.factions
    }
    for rid, rival in scenario.rivals.items():
        labs[rid] = rival.faction or ""
    return labs


def scenario_events(scenario: Scenario) -> list[str]:
    """The ids of the events a game of this scenario can fire, in file order."""
    return [e.id for e in scenario.events if not e.remove]


def aggregate(
    records: Sequence[GameResult],
    *,
    labs: Mapping[str, str],
    events: Sequence[str],
    player: str,
) -> Summary:
    """Sum up `records`: `labs` maps every lab id to its faction, `events` lists every event id."""
    if not records:
        raise ValueError("no games to sum up")
    n = len(records)
    wins = Counter(r.winner for r in records if r.winner is not None)
    by_faction = Counter(r.winner_faction for r in records if r.winner_faction is not None)
    fired = Counter(e for r in records for e in r.events)
    lab_rows = tuple(
        LabSummary(
            id=lab_id,
            faction=faction,
            wins=wins[lab_id],
            win_rate=wins[lab_id] / n,
            # fsum is exactly rounded, so the mean cannot depend on summation order.
            mean_capability=math.fsum(r.capability[lab_id] for r in records) / n,
            mean_cost_per_mtok=math.fsum(r.cost_per_mtok[lab_id] for r in records) / n,
        )
        for lab_id, faction in labs.items()
    )
    factions = sorted(set(labs.values()) | set(by_faction))
    # Every event of the scenario is listed, those that never fired too (they
    # are what an author most needs to see); anything else that fired follows.
    event_counts = {e: fired[e] for e in events}
    event_counts.update({e: fired[e] for e in sorted(fired) if e not in event_counts})
    turns = [r.turns for r in records]
    return Summary(
        games=n,
        turns=sum(turns),
        min_turns=min(turns),
        max_turns=max(turns),
        player=player,
        player_wins=sum(1 for r in records if r.player_won),
        labs=lab_rows,
        wins_by_faction={f: by_faction[f] for f in factions},
        wins_by_kind=dict(sorted(Counter(r.kind for r in records).items())),
        no_winner=sum(1 for r in records if r.winner is None),
        events=event_counts,
    )
