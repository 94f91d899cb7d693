"""The author's report laid out: sections of tables and charts, before any drawing.

`sections(figures, other)` decides what the report says and in what order;
the text report (`game.sim.authors`) and the web page (`game.sim.page`) only
draw it, so the two always say the same. With `other` (another scenario's
run on the same setups and seeds), every row has a line for each run, one
under the other, so each figure has its counterpart beside it.

Cells are plain values: text (a scenario's own text is made plain by the
renderers, never trusted as markup), a `Share` drawn as a percentage and a
bar, or `Turns`, the turns an event fired in, drawn as a histogram.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from game.sim.counts import WORLD
from game.sim.figures import EventFigures, Figures, LabFigures, Seat, Spread

WAYS_OUT = {"bankruptcy": "Bankrupt", "shutdown": "Shut down", "takeover": "Taken over"}
MISSING = "not in this scenario"


@dataclass(frozen=True, slots=True)
class Share:
    """`part` of `whole`: a percentage with a bar."""

    part: int
    whole: int

    @property
    def fraction(self) -> float:
        return self.part / self.whole if self.whole else 0.0


@dataclass(frozen=True, slots=True)
class Turns:
    """How often an event fired in each turn, 1 to `len(counts)`."""

    counts: tuple[int, ...]
    note: str  # the span and the busiest turn, in words


Cell = str | Share | Turns


@dataclass(frozen=True, slots=True)
class Heading:
    """A row of its own across a table: an event's id and title, say."""

    text: str
    anchor: str = ""  # an id a page can link to


Row = list[Cell] | Heading


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: list[Row]
    right: tuple[int, ...] = ()  # columns of numbers, aligned right


@dataclass(frozen=True, slots=True)
class Curve:
    """One lab's capability by turn in one run (None: not in that run)."""

    run: str
    spreads: tuple[Spread | None, ...] | None

    @property
    def last(self) -> tuple[int, Spread] | None:
        """The last turn any game reached, and the figures there."""
        if not self.spreads:
            return None
        for turn in range(len(self.spreads) - 1, -1, -1):
            spread = self.spreads[turn]
            if spread is not None:
                return turn, spread
        return None


@dataclass(frozen=True, slots=True)
class Curves:
    """Every lab's capability curves, drawn on one scale from `lo` to `hi`."""

    labs: list[tuple[str, list[Curve]]]  # (lab name, a curve for each run)
    lo: float
    hi: float


@dataclass(frozen=True, slots=True)
class Listing:
    """A sentence, and a list of items under it."""

    intro: str
    items: list[str] = field(default_factory=list)


Block = Table | Curves | Listing


@dataclass(frozen=True, slots=True)
class Section:
    id: str  # a page's anchor for it
    title: str
    notes: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Run:
    """One run's figures and the name its lines carry when two runs are shown."""

    figures: Figures
    label: str


def runs(figures: Figures, other: Figures | None) -> list[Run]:
    """The runs to show, each labelled by its scenario id (or 'this' and 'compared')."""
    if other is None:
        return [Run(figures, figures.scenario)]
    if other.scenario == figures.scenario:
        return [Run(figures, "this"), Run(other, "compared")]
    return [Run(figures, figures.scenario), Run(other, other.scenario)]


def heading(figures: Figures, other: Figures | None) -> tuple[str, list[str]]:
    """The report's title and the lines that say what was played."""
    title = f"Author's report: {figures.name} ({figures.scenario})"
    lines = [_played(figures)]
    if other is not None:
        lines.append(
            f"Compared with {other.name} ({other.scenario}): the same setups and seeds, "
            "each figure with its counterpart under it."
        )
    return title, lines


def _played(f: Figures) -> str:
    if len(f.seats) == 1:
        s = f.seats[0]
        difficulty = f", difficulty {s.difficulty}" if s.difficulty else ""
        return (
            f"{f.games:,} games from seed {f.seed}: the player's seat is {s.faction}, "
            f"played by '{s.policy}'{difficulty}."
        )
    per = f.seats[0].games
    return f"{f.games:,} games from seed {f.seed}: {per:,} for each of {len(f.seats)} setups."


def sections(figures: Figures, other: Figures | None = None) -> list[Section]:
    """The report's sections, in order."""
    both = runs(figures, other)
    return [
        _seats(both),
        _labs_won(both),
        _sides(both),
        _policies(both),
        _endings(both),
        _labs(both),
        _curves(both),
        _events(both),
        _never(both),
    ]


def _paired(
    both: list[Run],
    header: Sequence[str],
    keys: Sequence[str],
    label: Callable[[str], str],
    cells: Callable[[Figures, str], list[Cell] | None],
    right: Sequence[int] = (),
) -> Table:
    """A table with a row for each key and run: the runs' rows under one another.

    `cells(figures, key)` gives a run's cells for a key (None: the key is not
    in that run). With one run the run column is left out.
    """
    many = len(both) > 1
    rows: list[Row] = []
    width = len(header) - 1
    for key in keys:
        for n, run in enumerate(both):
            got = cells(run.figures, key)
            row: list[Cell] = got if got is not None else [*["-"] * (width - 1), MISSING]
            first = label(key) if n == 0 else ""
            rows.append([first, run.label, *row] if many else [first, *row])
    shift = 1 if many else 0
    head = (header[0], "Run", *header[1:]) if many else tuple(header)
    return Table(head, rows, tuple(c + shift for c in right))


def _keys(both: list[Run], of: Callable[[Figures], Sequence[str]]) -> list[str]:
    """Keys of the first run in its order, then those of the other that the first lacks."""
    keys = list(of(both[0].figures))
    for run in both[1:]:
        keys += [k for k in of(run.figures) if k not in keys]
    return keys


def _lab_name(both: list[Run]) -> Callable[[str], str]:
    def name(lab_id: str) -> str:
        for run in both:
            lab = run.figures.lab(lab_id)
            if lab is not None:
                return lab.name
        return lab_id

    return name


def _lab_ids(f: Figures) -> list[str]:
    return [lab.id for lab in f.labs]


# --- win rates ------------------------------------------------------------------------

SEAT_PARTS = ("Side", "Policy", "Difficulty")


def _seat_parts(s: Seat) -> tuple[str, str, str]:
    return s.faction, s.policy, s.difficulty or "none"


def _seats(both: list[Run]) -> Section:
    def cells(f: Figures, key: str) -> list[Cell] | None:
        seat = next((s for s in f.seats if "/".join(_seat_parts(s)) == key), None)
        if seat is None:
            return None
        return [f"{seat.games:,}", f"{seat.wins:,}", Share(seat.wins, seat.games)]

    keys = _keys(both, lambda f: ["/".join(_seat_parts(s)) for s in f.seats])
    header = ["Side/policy/difficulty", "Games", "Wins", "Win %"]
    section = Section(
        "seats",
        "Win rates: the player's seat",
        ["How often the player's seat won, for each side, policy and difficulty played."],
        [_paired(both, header, keys, str, cells, right=(1, 2))],
    )
    for part, name in enumerate(SEAT_PARTS):
        values = _keys(both, lambda f, p=part: _distinct(f, p))  # type: ignore[misc]
        if len(values) > 1:
            section.blocks.append(_margin(both, name, part, values))
    return section


def _distinct(f: Figures, part: int) -> list[str]:
    return list(dict.fromkeys(_seat_parts(s)[part] for s in f.seats))


def _margin(both: list[Run], name: str, part: int, values: list[str]) -> Table:
    """The player's seat's win rate for each value of one part of the setups."""

    def cells(f: Figures, value: str) -> list[Cell] | None:
        seats = [s for s in f.seats if _seat_parts(s)[part] == value]
        if not seats:
            return None
        games = sum(s.games for s in seats)
        wins = sum(s.wins for s in seats)
        return [f"{games:,}", f"{wins:,}", Share(wins, games)]

    header = [f"By {name.lower()}", "Games", "Wins", "Win %"]
    return _paired(both, header, values, str, cells, right=(1, 2))


def _played_by(lab: LabFigures) -> str:
    """Who played a lab: as the player's seat (in how many games), and as a computer lab."""

    played = []
    if lab.seat_games:
        played.append(f"player: {', '.join(lab.seat_policies)} ({lab.seat_games:,} games)")
    if lab.policies:
        computer = ", ".join(lab.policies)
        played.append(f"computer: {computer}" if lab.seat_games else computer)
    return "; ".join(played)


def _labs_won(both: list[Run]) -> Section:
    def cells(f: Figures, lab_id: str) -> list[Cell] | None:
        lab = f.lab(lab_id)
        if lab is None:
            return None
        return [lab.faction, f"{lab.wins:,}", Share(lab.wins, f.games), _played_by(lab)]

    keys = _keys(both, _lab_ids)
    header = ["Lab", "Side", "Wins", "Win %", "Played by"]  # the longest text last
    table = _paired(both, header, keys, _lab_name(both), cells, right=(2,))
    return Section("labs-won", "Win rates: every lab", ["Games each lab won."], [table])


def _sides(both: list[Run]) -> Section:
    def cells(f: Figures, side: str) -> list[Cell] | None:
        if side not in f.sides:
            return None
        return [f"{f.sides[side]:,}", Share(f.sides[side], f.games)]

    keys = _keys(both, lambda f: list(f.sides))
    label = lambda side: side or "nobody"  # noqa: E731
    table = _paired(both, ["Winning side", "Games", "Share"], keys, label, cells, right=(1,))
    return Section("sides", "Win rates: by side", [], [table])


def _policies(both: list[Run]) -> Section:
    def cells(f: Figures, policy: str) -> list[Cell] | None:
        if policy not in f.policies:
            return None
        seats, wins = f.policies[policy]
        return [f"{seats:,}", f"{wins:,}", Share(wins, seats)]

    keys = _keys(both, lambda f: list(f.policies))
    header = ["Policy", "Lab-games", "Wins", "Win %"]
    table = _paired(both, header, keys, str, cells, right=(1, 2))
    note = (
        "How often a lab won when a policy played it, the player's seat too "
        "(a lab-game is one lab in one game)."
    )
    return Section("policies", "Win rates: by policy", [note], [table])


# --- endings and labs -----------------------------------------------------------------


def _endings(both: list[Run]) -> Section:
    def cells(f: Figures, kind: str) -> list[Cell] | None:
        if kind not in f.endings:
            return None
        return [f"{f.endings[kind]:,}", Share(f.endings[kind], f.games)]

    keys = _keys(both, lambda f: list(f.endings))
    label = lambda kind: kind.replace("_", " ")  # noqa: E731
    table = _paired(both, ["Ending", "Games", "Share"], keys, label, cells, right=(1,))
    note = "Every way a game can end, those that never happened too."
    return Section("endings", "How games ended", [note], [table])


def _labs(both: list[Run]) -> Section:
    scored = any(run.figures.scored for run in both)

    def cells(f: Figures, lab_id: str) -> list[Cell] | None:
        lab = f.lab(lab_id)
        if lab is None:
            return None
        row: list[Cell] = [f"{lab.capability:.1f}"]
        row += [f"{lab.outs.get(k, 0):,}" for k in WAYS_OUT]
        if scored:
            s = lab.score
            row.append(f"{s.median:.3f} ({s.lo:.3f} to {s.hi:.3f})" if s is not None else "-")
        return row

    header = ["Lab", "Capability", *WAYS_OUT.values()]
    if scored:
        header.append("Score: median (least to most)")
    keys = _keys(both, _lab_ids)
    table = _paired(both, header, keys, _lab_name(both), cells, right=(1, 2, 3, 4))
    note = "Each lab's mean capability at the end, and the games it fell out of by bankruptcy, "
    note += "shutdown or state takeover"
    note += ", and its final score." if scored else "."
    return Section("labs", "Labs at the end", [note], [table])


def _curves(both: list[Run]) -> Section:
    name = _lab_name(both)
    labs = [
        (name(lab_id), [_curve(run, lab_id) for run in both]) for lab_id in _keys(both, _lab_ids)
    ]
    points = [p for _, curves in labs for c in curves for p in c.spreads or () if p is not None]
    note = (
        "Capability of each lab still in the game after each turn (0: the start): "
        "the median, and the least and greatest over games. A game that has ended "
        "leaves the curve, so the last turns may count few games."
    )
    section = Section("capability", "Capability by turn", [note])
    if points:
        lo = min(p.lo for p in points)
        hi = max(p.hi for p in points)
        section.blocks.append(Curves(labs, lo, hi))
    else:
        section.blocks.append(Listing("No turn was played."))
    return section


def _curve(run: Run, lab_id: str) -> Curve:
    lab = run.figures.lab(lab_id)
    return Curve(run.label, lab.curve if lab is not None else None)


# --- events -----------------------------------------------------------------------------


def _events(both: list[Run]) -> Section:
    titles = {e.id: e.title for run in reversed(both) for e in run.figures.events}
    rows: list[Row] = []
    for event_id in _keys(both, lambda f: [e.id for e in f.events]):
        rows.append(Heading(f"{event_id}: {titles[event_id]}", f"event-{event_id}"))
        rows += _event_rows(both, event_id)
    note = (
        "For each event: the games it fired in and the times a game it fired, the turns it "
        "fired in (a mark for each turn), the labs it hit, and the choices taken (for a world "
        "event's choices for each side, each side's own, with its share of that side's)."
    )
    # No header: each row says what it holds.
    return Section("events", "Events", [note], [Table((), rows)])


def _event_rows(both: list[Run], event_id: str) -> list[Row]:
    many = len(both) > 1
    evs = [run.figures.event(event_id) for run in both]
    rows: list[Row] = []

    def add(what: str, make: Callable[[Figures, EventFigures], list[Cell]]) -> None:
        for n, (run, ev) in enumerate(zip(both, evs, strict=True)):
            cells = make(run.figures, ev) if ev is not None else [MISSING]
            first = what if n == 0 else ""
            rows.append([first, run.label, *cells] if many else [first, *cells])

    add("fired", _fired)
    add("turns", lambda f, ev: [_turns(f, ev)])
    add("hit", lambda f, ev: [_hits(f, ev)])
    # Each choice once, in the order of the run that has most: "choice 2" of the event's
    # own, "us choice 1" of a world event's choices for one side.
    kinds = max(([(c[0], i) for i, c in enumerate(ev.choices)] for ev in evs if ev), key=len)
    for side, i in kinds:
        n = sum(1 for c in kinds[:i] if c[0] == side) + 1
        what = f"{side} choice {n}" if side else f"choice {n}"
        add(what, lambda f, ev, i=i: _choice(ev, i))  # type: ignore[misc]
    return rows


def _fired(f: Figures, ev: EventFigures) -> list[Cell]:
    return [
        f"{ev.games:,} of {f.games:,} games",
        Share(ev.games, f.games),
        f"{ev.firings / f.games:.2f} a game",
    ]


def _turns(f: Figures, ev: EventFigures) -> Turns:
    counts = tuple(ev.turns.get(t, 0) for t in range(1, f.turns + 1))
    if not ev.turns:
        return Turns(counts, "never")
    first, last = min(ev.turns), max(ev.turns)
    peak = max(ev.turns, key=lambda t: (ev.turns[t], -t))
    if first == last:
        return Turns(counts, f"turn {first}")
    return Turns(counts, f"turns {first}-{last}, most in {peak}")


def _hits(f: Figures, ev: EventFigures) -> str:
    if not ev.hits:
        return "-"
    names = {lab.id: lab.short for lab in f.labs} | {WORLD: "the world"}
    return ", ".join(f"{names.get(lab, lab)} {n:,}" for lab, n in ev.hits.items())


def _choice(ev: EventFigures, i: int) -> list[Cell]:
    if i >= len(ev.choices):
        return ["-"]
    side, label, n = ev.choices[i]
    taken = sum(k for s, _, k in ev.choices if s == side)  # each side's share of its own
    return [f"{n:,} times", Share(n, taken), label]


def _never(both: list[Run]) -> Section:
    section = Section("never", "Events that never fired")
    for run in both:
        f = run.figures
        never = [e for e in f.events if e.games == 0]
        where = f" ({run.label})" if len(both) > 1 else ""
        if not never:
            every = f"Every event fired in at least one of the {f.games:,} games{where}."
            section.blocks.append(Listing(every))
            continue
        items = [f"{e.id}: {e.title}" for e in never]
        section.blocks.append(Listing(f"In none of the {f.games:,} games{where}:", items))
    return section
