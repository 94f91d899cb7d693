"""What the author's report counts while games are played: plain counts that add up.

A worker keeps one `Counts` for each chunk of games it plays and sends it back
with the chunk's records; the parent adds the counts up. Every figure is a
whole-number count (capability and score are counted at a fixed step), so
the sum is the same in any order, over any number of processes, and a run of
a million games costs no more memory than one of a thousand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from game.engine.happenings import ChoiceMade, EventFired, Happening
from game.engine.rules import scores
from game.engine.state import GameState
from game.scenario.models import ScoreWeights

# Capability is counted in tenths (the report shows one decimal) and a score
# in thousandths: the median of the counted values is the median to that step.
CAPABILITY_STEP = 10
SCORE_STEP = 1000
WORLD = ""  # the lab id a world event is counted under


@dataclass(slots=True)
class Counts:
    """Counts over many games; `add` one `Counts` to another to sum two runs of games."""

    firings: Counter[tuple[str, int]] = field(default_factory=Counter)  # (event, turn)
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)  # (event, lab or WORLD)
    # (event, lab or WORLD, choice index): a world event's `choices_for` asks each
    # side from its own list, so the index means something only with the lab's side.
    choices: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    outs: Counter[tuple[str, str]] = field(default_factory=Counter)  # (lab, why it fell out)
    # (lab, turn, capability in tenths) -> games; turn 0 is the start, each
    # later turn is counted after it is played, for the labs still in the game.
    capability: Counter[tuple[str, int, int]] = field(default_factory=Counter)
    scores: Counter[tuple[str, int]] = field(default_factory=Counter)  # (lab, final score)

    def add(self, other: Counts) -> None:
        """Add `other`'s counts to these."""
        self.firings.update(other.firings)
        self.hits.update(other.hits)
        self.choices.update(other.choices)
        self.outs.update(other.outs)
        self.capability.update(other.capability)
        self.scores.update(other.scores)

    # The two below run every turn of every game: they count with `dict.get`,
    # which costs a third of what Counter's `+= 1` on a new key does.

    def happened(self, happenings: Iterable[Happening], fired: set[str]) -> None:
        """Count the events fired and the choices taken among `happenings`; note each
        event fired in `fired`."""
        firings, hits, choices = self.firings, self.hits, self.choices
        world: set[str] = set()  # the world events fired among these happenings
        for h in happenings:
            kind = type(h)  # the happenings are final classes: no subclass to miss
            if kind is EventFired:
                assert isinstance(h, EventFired)
                fired.add(h.event)
                hit = (h.event, h.lab or WORLD)
                hits[hit] = hits.get(hit, 0) + 1
                if h.lab is None:
                    world.add(h.event)
                elif h.event in world:
                    # A world event handing its `choices_for` to a lab, right after it
                    # fired: the lab is asked, but the event fired once.
                    continue
                key = (h.event, h.turn)
                firings[key] = firings.get(key, 0) + 1
            elif kind is ChoiceMade:
                assert isinstance(h, ChoiceMade)
                took = (h.event, h.lab or WORLD, h.choice)
                choices[took] = choices.get(took, 0) + 1

    def quarter(self, state: GameState, turn: int) -> None:
        """Count each living lab's capability after `turn` (0: at the start)."""
        capability = self.capability
        for lab in state.labs.values():
            if lab.alive:
                key = (lab.id, turn, round(lab.capability * CAPABILITY_STEP))
                capability[key] = capability.get(key, 0) + 1

    def ended(self, state: GameState, weights: ScoreWeights | None) -> None:
        """Count how each lab ended: why it fell out, and its score when a score judges."""
        labs = list(state.labs.values())
        for lab in labs:
            if not lab.alive:
                self.outs[lab.id, str(lab.out_reason)] += 1
        if weights is not None:
            for lab_id, score in scores(labs, weights).items():
                self.scores[lab_id, round(score * SCORE_STEP)] += 1
