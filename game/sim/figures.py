"""The author's report's figures: one scenario's run of games, summed up for its author.

`figures` turns the records of a run (one list per setup: side, policy and
difficulty in the player's seat) and the run's `Counts` into `Figures`:
plain numbers and names, in scenario order, that the text report
(`game.sim.authors`) and the web page (`game.sim.page`) both draw. Nothing
here depends on how the games were spread over processes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.engine.rules import score_weights
from game.engine.state import LAB_OUT, Ending
from game.scenario.models import Scenario
from game.scenario.placeholders import for_authors
from game.sim.aggregate import scenario_labs
from game.sim.counts import CAPABILITY_STEP, SCORE_STEP, WORLD, Counts
from game.sim.runner import GameResult, Setup


@dataclass(frozen=True, slots=True)
class Spread:
    """The least, middle and greatest value of a figure over games, and how many games."""

    lo: float
    median: float
    hi: float
    games: int


@dataclass(frozen=True, slots=True)
class Seat:
    """The player's seat in one setup: who played it, and how often it won."""

    faction: str
    policy: str
    difficulty: str | None
    games: int
    wins: int


@dataclass(frozen=True, slots=True)
class LabFigures:
    """One lab over every game of the run."""

    id: str
    name: str
    short: str
    faction: str
    seat_policies: tuple[str, ...]  # the policies that played it in the player's seat
    seat_games: int  # games in which it was the player's seat
    policies: tuple[str, ...]  # the policies that played it as a computer lab
    wins: int
    outs: dict[str, int]  # each way of falling out (`LAB_OUT`) -> games, zeros included
    capability: float  # mean final capability
    score: Spread | None  # the final score, where a score judges the scenario's end
    curve: tuple[Spread | None, ...]  # capability after each turn (0: the start); None: no game


@dataclass(frozen=True, slots=True)
class EventFigures:
    """One event over every game of the run."""

    id: str
    title: str
    games: int  # games it fired in at least once
    firings: int  # times it fired, all games together
    turns: dict[int, int]  # turn -> firings, for the turns it fired in
    hits: dict[str, int]  # lab id (WORLD for the world) -> firings, most first
    # Each choice's side (a world event's `choices_for`; "" for the event's own choices),
    # its label and the times it was taken.
    choices: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True, slots=True)
class Figures:
    """A scenario's run of games as its author's report shows it."""

    scenario: str  # id
    name: str
    seed: int
    games: int  # every game of the run
    turns: int  # the scenario's length in turns
    seats: tuple[Seat, ...]
    labs: tuple[LabFigures, ...]
    sides: dict[str, int]  # winning side -> games, every side; WORLD: games nobody won
    policies: dict[str, tuple[int, int]]  # policy -> (lab-games it played, lab-games it won)
    endings: dict[str, int]  # every `Ending` -> games, zeros included
    events: tuple[EventFigures, ...]
    scored: bool  # whether a score judges the scenario's end

    @property
    def never(self) -> list[str]:
        """The ids of the events that fired in no game."""
        return [e.id for e in self.events if e.games == 0]

    def lab(self, lab_id: str) -> LabFigures | None:
        return next((lab for lab in self.labs if lab.id == lab_id), None)

    def event(self, event_id: str) -> EventFigures | None:
        return next((e for e in self.events if e.id == event_id), None)


def lab_policies(book: Rulebook, setup: Setup) -> dict[str, str]:
    """The policy that plays each lab in a setup's games, as a game of it sets them."""
    game = Game(
        book, setup.faction, setup.seed, player_policy=setup.policy, difficulty=setup.difficulty
    )
    return {lab_id: policy.name for lab_id, policy in game.policies.items()}


def figures(
    book: Rulebook,
    setups: Sequence[Setup],
    records: Sequence[Sequence[GameResult]],
    counts: Counts,
) -> Figures:
    """The figures of a run: `records` holds each setup's games, `counts` all of them."""
    sc = book.scenario
    games = [r for rs in records for r in rs]
    if not games:
        raise ValueError("no games to sum up")
    policies = [lab_policies(book, s) for s in setups]
    return Figures(
        scenario=sc.meta.id,
        name=sc.meta.name,
        seed=setups[0].seed,
        games=len(games),
        turns=sc.turns,
        seats=tuple(
            Seat(s.faction, s.policy, s.difficulty, len(rs), sum(r.player_won for r in rs))
            for s, rs in zip(setups, records, strict=True)
        ),
        labs=_labs(sc, setups, records, policies, counts),
        sides=_sides(sc, games),
        policies=_policies(records, policies),
        endings={str(kind): 0 for kind in Ending} | dict(Counter(r.kind for r in games)),
        events=_events(sc, games, counts),
        scored=score_weights(book) is not None,
    )


def _labs(
    sc: Scenario,
    setups: Sequence[Setup],
    records: Sequence[Sequence[GameResult]],
    policies: Sequence[Mapping[str, str]],
    counts: Counts,
) -> tuple[LabFigures, ...]:
    games = [r for rs in records for r in rs]
    wins = Counter(r.winner for r in games)
    specs = {spec.lab_id: spec.lab for spec in sc.factions.values()} | dict(sc.rivals)
    seats = [sc.factions[s.faction].lab_id for s in setups]  # type: ignore[index]
    scores: dict[str, Counter[int]] = {}
    curve: dict[str, dict[int, Counter[int]]] = {}
    for (lab_id, turn, value), n in counts.capability.items():
        curve.setdefault(lab_id, {}).setdefault(turn, Counter())[value] += n
    for (lab_id, value), n in counts.scores.items():
        scores.setdefault(lab_id, Counter())[value] += n
    out = []
    for lab_id, faction in scenario_labs(sc).items():
        mine = [n for n, seat in enumerate(seats) if seat == lab_id]
        computer = [n for n, seat in enumerate(seats) if seat != lab_id]
        turns = curve.get(lab_id, {})
        spec = specs[lab_id]
        out.append(
            LabFigures(
                id=lab_id,
                name=spec.name,
                short=spec.short or spec.name[:12],
                faction=faction,
                seat_policies=tuple(sorted({policies[n][lab_id] for n in mine})),
                seat_games=sum(len(records[n]) for n in mine),
                policies=tuple(sorted({policies[n][lab_id] for n in computer})),
                wins=wins[lab_id],
                outs={str(why): counts.outs[lab_id, why] for why in LAB_OUT},
                # fsum is exactly rounded, so the mean cannot depend on summation order.
                capability=math.fsum(r.capability[lab_id] for r in games) / len(games),
                score=_spread(scores[lab_id], SCORE_STEP) if lab_id in scores else None,
                curve=tuple(
                    _spread(turns[t], CAPABILITY_STEP) if t in turns else None
                    for t in range(max(turns, default=-1) + 1)
                ),
            )
        )
    return tuple(out)


def _spread(values: Mapping[int, int], step: int) -> Spread:
    """Min, median and max of values counted at `1 / step`."""
    keys = sorted(values)
    n = sum(values.values())
    return Spread(keys[0] / step, _median(keys, values, n) / step, keys[-1] / step, n)


def _median(keys: list[int], values: Mapping[int, int], n: int) -> float:
    """The median of `n` values given as counts by sorted `keys` (the mean of the middle two)."""
    middle = [(n - 1) // 2, n // 2]
    found: list[int] = []
    seen = 0
    for k in keys:
        seen += values[k]
        while len(found) < 2 and seen > middle[len(found)]:
            found.append(k)
    return (found[0] + found[1]) / 2


def _sides(sc: Scenario, games: Sequence[GameResult]) -> dict[str, int]:
    won = Counter(r.winner_faction or WORLD for r in games)
    sides = sorted(set(scenario_labs(sc).values()) - {""})
    return {side: won[side] for side in sides} | {WORLD: won[WORLD]}


def _policies(
    records: Sequence[Sequence[GameResult]], policies: Sequence[Mapping[str, str]]
) -> dict[str, tuple[int, int]]:
    played: Counter[str] = Counter()
    won: Counter[str] = Counter()
    for rs, by_lab in zip(records, policies, strict=True):
        for policy in by_lab.values():
            played[policy] += len(rs)
        for r in rs:
            if r.winner is not None:
                won[by_lab[r.winner]] += 1
    return {p: (played[p], won[p]) for p in sorted(played)}


def _events(sc: Scenario, games: Sequence[GameResult], counts: Counts) -> tuple[EventFigures, ...]:
    fired = Counter(e for r in games for e in r.events)
    turns: dict[str, dict[int, int]] = {}
    for (event, turn), n in sorted(counts.firings.items()):
        turns.setdefault(event, {})[turn] = n
    hits: dict[str, Counter[str]] = {}
    for (event, lab), n in counts.hits.items():
        hits.setdefault(event, Counter())[lab] += n
    labs = scenario_labs(sc)
    order = {lab: i for i, lab in enumerate([WORLD, *labs])}
    taken: Counter[tuple[str, str, int]] = Counter()  # (event, side or "", choice index)
    by_side = {ev.id for ev in sc.events if ev.choices_for}
    for (event, lab, index), n in counts.choices.items():
        taken[event, labs.get(lab, "") if event in by_side else "", index] += n
    return tuple(
        EventFigures(
            id=ev.id,
            title=for_authors(ev.title),
            games=fired[ev.id],
            firings=sum(turns.get(ev.id, {}).values()),
            turns=turns.get(ev.id, {}),
            hits=dict(
                sorted(hits.get(ev.id, Counter()).items(), key=lambda h: (-h[1], order[h[0]]))
            ),
            choices=(
                *(
                    ("", for_authors(c.label), taken[ev.id, "", i])
                    for i, c in enumerate(ev.choices)
                ),
                *(
                    (str(side), for_authors(c.label), taken[ev.id, str(side), i])
                    for side, choices in ev.choices_for.items()
                    for i, c in enumerate(choices)
                ),
            ),
        )
        for ev in sc.events
        if not ev.remove
    )
