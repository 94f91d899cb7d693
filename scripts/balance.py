"""Measure the balance of every shipped scenario and write scenarios/BALANCE.md.

Two measurements, per scenario, playable side and difficulty:

1. The shipped policies: each built-in policy in the player's seat plays N
   games (2,000 by default) with `airace simulate`'s runner. The bounds the
   balance issue set (checked at normal):
   - with the best policy in the seat, each playable side wins 25-75%;
   - no policy wins more than 90% anywhere (no dominant strategy);
   - every event fires in at least 1% of games unless marked `rare`;
   - games end by every victory and loss kind somewhere in the set;
   - in base, a well-played lab's cost per token falls at least 500x.
2. The fixed-recipe search (issue 9, `game.sim.search`): the best fixed
   recipe found, re-tested on fresh seeds, the trivial players, whether one
   recipe wins everywhere and how much China's and the US's best recipes
   research. Issue 9's bounds:
   - the best fixed recipe wins 35-70% in every cell at normal, at most 50% on hard;
   - doing nothing and each all-in player win at most 2% in every cell;
   - each side's best shipped policy wins 20-60% in every cell (normal and hard);
   - following the advisor's plan every quarter (the side's own lab's policy,
     which the dashboard's `a` key asks) wins at least 50% on easy and 25-50%
     at normal;
   - no universal recipe at normal: each cell's best recipe wins at least 15
     points less than the local best in at least half of the other normal
     cells (hard cells are compared among themselves and reported, but a
     hard cell's best is too low for a 15-point gap to mean much);
   - China's best recipes spend a clearly larger share (10 points) on research
     than the US's (of what they spent in their re-test games).
3. Two players (issue 12, `game.sim.seats`): both main labs are seats, each
   played by the same shipped policy, at normal. The bound holds for the
   strategist, the one policy that plays each side as that side should be
   played ("equal skill": a scaler is a strong US player but a weak Chinese
   one, cut off from the chips it buys); the fixed policies are reported
   beside it. Of the games one of the two seats won, neither side wins more
   than 65% (a scenario's `factions.<side>.handicap` evens a lopsided
   face-off).

    python scripts/balance.py [--games 2000] [--jobs 2] [--seed 1] [--out scenarios/BALANCE.md]
    python scripts/balance.py --games 200 --search-settings 60 --search-games 40 \\
        --retest-games 400 --scenarios base,chip-war --difficulties normal   # a quick look

Progress goes to stderr; the report to `--out`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

try:  # the installed game (compiled engine, if it was built), else this checkout
    import game  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine.game import Game  # noqa: E402
from game.engine.policies import POLICIES  # noqa: E402
from game.engine.rulebook import Rulebook  # noqa: E402
from game.engine.state import Ending  # noqa: E402
from game.scenario.loader import list_scenarios, load_scenario  # noqa: E402
from game.scenario.models import Scenario  # noqa: E402
from game.sim.recipes import TRIVIAL  # noqa: E402
from game.sim.runner import GameResult, Setup, run_games  # noqa: E402
from game.sim.search import Budget, Cell, SearchResult, search  # noqa: E402
from game.sim.seats import CHINA, NOBODY, RIVAL, US, Match, seat_wins  # noqa: E402

KINDS = tuple(str(kind) for kind in Ending)  # every way a game can end
FACE_OFF = 0.65  # the most of the seats' wins one side may take with equal skill
EQUAL_SKILL = "strategist"  # the policy that plays each side as it should be played
NORMAL = "normal"
EASY = "easy"


@dataclass
class Shipped:
    """The shipped policies' win rates and what their games showed."""

    rates: dict[Cell, dict[str, float]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)  # by scenario id
    kinds: Counter[str] = field(default_factory=Counter)
    ok: bool = True
    # The advisor's policy by (scenario id, side): the side's own lab's policy,
    # which `Game.suggested_orders` (the dashboard's `a` key) asks.
    advisor: dict[tuple[str, str], str] = field(default_factory=dict)


class Progress:
    """One line on stderr per step, rewritten in place on a terminal."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.last = ""

    def __call__(self, done: int, total: int, what: str) -> None:
        line = f"[{time.perf_counter() - self.start:6.0f} s] {what}: {done:,}/{total:,} games"
        if self.tty:
            sys.stderr.write("\r" + line.ljust(len(self.last)))
            if done == total:
                sys.stderr.write("\n")
        elif done == total:
            sys.stderr.write(line + "\n")
        self.last = line

    def step(self, total: int, what: str) -> Callable[[int], None]:
        """A runner's progress callback (games done) for one step of `total` games."""
        return lambda done: self(done, total, what)


def shipped(
    scenarios: list[Scenario],
    difficulties: list[str],
    games: int,
    jobs: int,
    seed: int,
    progress: Progress,
) -> Shipped:
    """Play every shipped policy in every cell; check the original bounds at normal."""
    out = Shipped()
    if games <= 0:  # not asked for (a look at the search or the two players alone)
        return out
    for scenario in scenarios:
        sid = scenario.meta.id
        book = Rulebook(scenario)
        rare = {e.id for e in scenario.events if e.rare}
        fired: Counter[str] = Counter()
        total = 0
        notes = out.notes.setdefault(sid, [])
        for faction in playable(scenario):
            out.advisor[sid, faction] = scenario.factions[faction].lab.policy  # type: ignore[index]
            for difficulty in difficulties:
                cell = Cell(sid, faction, difficulty)
                rates: dict[str, float] = {}
                for policy in POLICIES:
                    setup = Setup(faction=faction, policy=policy, difficulty=difficulty, seed=seed)
                    step = progress.step(games, f"{cell.key} {policy}")
                    results = run_games(scenario, setup, games, jobs=jobs, progress=step)
                    rates[policy] = sum(r.player_won for r in results) / games
                    if difficulty != NORMAL:
                        continue
                    for r in results:
                        fired.update(r.events)
                        out.kinds[r.kind] += 1
                    total += games
                    if sid == "base" and policy == "balanced" and faction == "us":
                        notes.append(cost_fall(book, faction, results))
                out.rates[cell] = rates
                if difficulty != NORMAL:
                    continue
                best = max(rates, key=lambda p: rates[p])
                if not 0.25 <= rates[best] <= 0.75:
                    out.ok = False
                    notes.append(
                        f"- {faction}: best policy wins {100 * rates[best]:.1f}% (bound 25-75%)"
                    )
                for p, rate in rates.items():
                    if rate > 0.9:
                        out.ok = False
                        notes.append(f"- {faction}/{p} wins {100 * rate:.1f}% (bound: at most 90%)")
        if total:
            quiet = [
                e.id for e in scenario.events if e.id not in rare and fired[e.id] < 0.01 * total
            ]
            if quiet:
                out.ok = False
                notes.append(f"- fire in under 1% of games: {', '.join(quiet)}")
    return out


def playable(scenario: Scenario) -> list[str]:
    return [str(f) for f, spec in scenario.factions.items() if spec.playable]


def cost_fall(book: Rulebook, faction: str, results: list[GameResult]) -> str:
    """How far the player's cost per token fell over the game (median of the games)."""
    start = Game(book, faction, 0).player.cost_per_mtok
    lab = Game(book, faction, 0).player.id
    end = statistics.median(r.cost_per_mtok[lab] for r in results)
    fall = start / end
    return (
        f"- cost per million tokens of the us/balanced seat: ${start:.3f} -> ${end:.5f} "
        f"({fall:,.0f}x over the game; bound 500x)"
    )


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def short(cell_key: str) -> str:
    """A cell key short enough for a table's column head."""
    sid, faction, difficulty = cell_key.split("/")
    words = {"deepseek-surprise": "deepseek", "chip-war": "chipwar"}
    return f"{words.get(sid, sid)} {'US' if faction == 'us' else 'CN'} {difficulty[:1].upper()}"


# --- issue 9's bounds ------------------------------------------------------------


def issue9_checks(ship: Shipped, found: SearchResult | None) -> list[tuple[bool, str]]:
    """(holds, line) for every bound issue 9 sets that this run measured."""
    checks: list[tuple[bool, str]] = []
    if ship.rates:
        bad = [
            f"{short(cell.key)} {pct(max(rates.values()))}"
            for cell, rates in ship.rates.items()
            if cell.difficulty != EASY and not 0.2 <= max(rates.values()) <= 0.6
        ]
        checks.append(
            _holds(bad, "each side's best shipped policy wins 20-60% in every cell (normal, hard)")
        )
        for difficulty, low, high in ((EASY, 0.5, 1.0), (NORMAL, 0.25, 0.5)):
            rates = {
                cell: r[ship.advisor[cell.scenario, cell.faction]]
                for cell, r in ship.rates.items()
                if cell.difficulty == difficulty
            }
            if rates:
                bad = [f"{short(c.key)} {pct(v)}" for c, v in rates.items() if not low <= v <= high]
                bound = f"at least {pct(low)}" if high >= 1 else f"{pct(low)}-{pct(high)}"
                checks.append(
                    _holds(bad, f"following the advisor's plan wins {bound} on {difficulty}")
                )
    if found is None:
        return checks
    cells = found.cells
    best = {k: c.best.retest_rate for k, c in cells.items()}
    normal = [k for k, c in cells.items() if c.cell.difficulty == NORMAL]
    if normal:
        bad = [f"{short(k)} {pct(best[k])}" for k in normal if not 0.35 <= best[k] <= 0.7]
        checks.append(_holds(bad, "the best fixed recipe wins 35-70% in every cell at normal"))
    hard = [k for k, c in cells.items() if c.cell.difficulty == "hard"]
    if hard:
        bad = [f"{short(k)} {pct(best[k])}" for k in hard if best[k] > 0.5]
        checks.append(_holds(bad, "the best fixed recipe wins at most 50% in every cell on hard"))
    for name in TRIVIAL:
        trivial = {k: c.trivial[name] for k, c in cells.items()}
        bad = [f"{short(k)} {pct(v)}" for k, v in trivial.items() if v > 0.02]
        checks.append(_holds(bad, f"'{name}' wins at most 2% in every cell"))
    if found.transplant:
        far = found.universal()
        bad = [
            f"{short(k)} ({len(far[k])}/{len(found.peers(k))})"
            for k in normal
            if 2 * len(far[k]) < len(found.peers(k))
        ]
        checks.append(
            _holds(
                bad,
                "no universal recipe at normal (each cell's best wins 15+ points less than the "
                "local best in at least half the other cells)",
            )
        )
    shares = research_shares(found)
    if "us" in shares and "china" in shares:
        us, cn = statistics.mean(shares["us"]), statistics.mean(shares["china"])
        checks.append(
            (
                cn >= us + 0.1,
                "China's best recipes research clearly more than the US's (by 10+ points): "
                f"China {pct(cn)}, US {pct(us)}",
            )
        )
    return checks


def _holds(bad: list[str], bound: str) -> tuple[bool, str]:
    """A check's result and its line: the bound, then yes or the cells that break it."""
    return (not bad, f"{bound}: {'yes' if not bad else 'no, ' + ', '.join(bad)}")


def research_shares(found: SearchResult, planned: bool = False) -> dict[str, list[float]]:
    """Each side's best recipes' research share of what they spent in their re-test games,
    cell by cell (`planned`: the share their split gives research)."""
    out: dict[str, list[float]] = {}
    for c in found.cells.values():
        share = c.best.recipe.shares()[2] if planned else c.best.research_share
        out.setdefault(c.cell.faction, []).append(share)
    return out


# --- two players ---------------------------------------------------------------------


@dataclass
class Duels:
    """Equal-skill two-seat games: who won, by scenario and policy."""

    wins: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    games: int = 0


def duels(scenarios: list[Scenario], games: int, jobs: int, seed: int) -> Duels:
    """Play each shipped policy in both main seats of every two-sided scenario, at normal."""
    two = [s for s in scenarios if len(playable(s)) == 2 and NORMAL in s.difficulties]
    matches = [Match(s.meta.id, NORMAL, p, p) for s in two for p in POLICIES]
    counts = seat_wins(two, matches, games, seed, jobs)
    out = Duels(games=games)
    for m, c in zip(matches, counts, strict=True):
        out.wins[m.scenario, m.us] = c
    return out


def face_off(c: Counter[str]) -> float:
    """The US seat's share of the games one of the two seats won (0.5 when neither won)."""
    seats = c[US] + c[CHINA]
    return c[US] / seats if seats else 0.5


def duel_checks(d: Duels) -> list[tuple[bool, str]]:
    if not d.wins:
        return []
    bad = [
        f"{sid} {policy} US {pct(face_off(c))}"
        for (sid, policy), c in d.wins.items()
        if policy == EQUAL_SKILL and not 1 - FACE_OFF <= face_off(c) <= FACE_OFF
    ]
    return [
        _holds(
            bad,
            f"two players of equal skill ({EQUAL_SKILL} in both seats): neither side takes "
            f"more than {pct(FACE_OFF)} of the games a seat won, in every scenario",
        )
    ]


def duel_table(scenarios: list[Scenario], d: Duels) -> list[str]:
    if not d.wins:
        return []
    lines = [
        "## Two players",
        "",
        f"Both main labs are seats, each played by the same shipped policy, {d.games:,} games "
        "a row at normal; the other labs stay computer rivals. 'US share' is the US seat's "
        f"share of the games one of the two seats won; the bound is on the {EQUAL_SKILL} rows "
        "(equal skill), the fixed policies play one side better than the other.",
        "",
        "| scenario | policy | US seat | China seat | a rival | nobody | US share |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in scenarios:
        for policy in POLICIES:
            c = d.wins.get((s.meta.id, policy))
            if c is None:
                continue
            n = sum(c.values())
            lines.append(
                f"| {s.meta.id} | {policy} | {pct(c[US] / n)} | {pct(c[CHINA] / n)} | "
                f"{pct(c[RIVAL] / n)} | {pct(c[NOBODY] / n)} | {pct(face_off(c))} |"
            )
    handicaps = [
        f"{s.meta.id}: {side} x{spec.handicap:g}"
        for s in scenarios
        for side, spec in s.factions.items()
        if spec.handicap != 1.0
    ]
    lines += ["", f"- handicaps: {', '.join(handicaps) if handicaps else 'none'}", ""]
    return lines


# --- the report --------------------------------------------------------------------


def report(
    scenarios: list[Scenario],
    difficulties: list[str],
    ship: Shipped,
    found: SearchResult | None,
) -> list[str]:
    lines: list[str] = []
    for scenario in scenarios:
        sid = scenario.meta.id
        lines += [f"## {scenario.meta.name} (`{sid}`)", ""]
        lines += ["Shipped policies in the player's seat:", ""]
        lines += [
            "| side | difficulty | " + " | ".join(POLICIES) + " | best |",
            "|---" * (len(POLICIES) + 3) + "|",
        ]
        for faction in playable(scenario):
            for difficulty in difficulties:
                rates = ship.rates.get(Cell(sid, faction, difficulty))
                if rates is None:
                    continue
                best = max(rates, key=lambda p: rates[p])
                cells = " | ".join(pct(rates[p]) for p in POLICIES)
                lines.append(f"| {faction} | {difficulty} | {cells} | {best} |")
        lines += ["", *ship.notes.get(sid, [])]
        if found is not None:
            lines += ["", *recipe_table(found, sid)]
        lines.append("")
    if found is not None:
        lines += universality(found)
        lines += research_table(found)
    if ship.kinds:
        lines += ["## Every way a game ends (shipped policies, normal)", ""]
        # A condition ending needs a scenario that sets a `kind: condition` victory.
        possible = [
            k
            for k in KINDS
            if k != Ending.CONDITION
            or any(v.kind == "condition" for s in scenarios for v in s.victory)
        ]
        lines += [
            f"- {k}: {ship.kinds[k]:,} games"
            + ("" if k in possible else " (no scenario here has a condition victory)")
            for k in KINDS
        ]
        missing = [k for k in possible if ship.kinds[k] == 0]
        if missing:
            lines.append(f"- never seen: {', '.join(missing)}")
    return lines


def recipe_table(found: SearchResult, sid: str) -> list[str]:
    cells = [c for c in found.cells.values() if c.cell.scenario == sid]
    if not cells:
        return []
    b = found.budget
    lines = [
        f"Fixed recipes: the best of {cells[0].tried} tried ({b.games} games each), "
        f"re-tested on {b.retest:,} fresh games (or another cell's best, where it did better "
        "here), and the trivial players on those games:",
        "",
        "| side | difficulty | best recipe | in the search | " + " | ".join(TRIVIAL) + " |",
        "|---" * (len(TRIVIAL) + 4) + "|",
    ]
    for c in cells:
        trivial = " | ".join(pct(c.trivial[n]) for n in TRIVIAL)
        origin = (
            f"found in {short(c.best.found_in)}" if c.best.found_in else pct(c.best.search_rate)
        )
        lines.append(
            f"| {c.cell.faction} | {c.cell.difficulty} | **{pct(c.best.retest_rate)}** | "
            f"{origin} | {trivial} |"
        )
    lines.append("")
    for c in cells:
        lines.append(
            f"- {c.cell.faction}/{c.cell.difficulty}: {c.best.recipe.describe()} "
            f"(spent {pct(c.best.research_share)} on research in its games)"
        )
    return lines


def universality(found: SearchResult) -> list[str]:
    if not found.transplant:
        return []
    far = found.universal()
    lines = [
        "## One recipe everywhere?",
        "",
        "Each row's best recipe played in every column's cell of the same difficulty "
        f"({found.budget.transplant:,} games each); the diagonal is its re-test. "
        "`far` counts the other cells where it wins 15+ points less than their own best. "
        "The bound is at normal; hard is shown for comparison.",
        "",
    ]
    levels = dict.fromkeys(c.cell.difficulty for c in found.cells.values())
    for level in levels:
        keys = [k for k, c in found.cells.items() if c.cell.difficulty == level]
        if len(keys) < 2:
            continue
        lines += [
            "| best recipe of | " + " | ".join(short(k) for k in keys) + " | far |",
            "|---" * (len(keys) + 2) + "|",
        ]
        for home in keys:
            row = [
                pct(found.cells[home].best.retest_rate)
                if there == home
                else pct(found.transplant[(home, there)])
                for there in keys
            ]
            lines.append(
                f"| {short(home)} | " + " | ".join(row) + f" | {len(far[home])}/{len(keys) - 1} |"
            )
        lines.append("")
    return lines


def research_table(found: SearchResult) -> list[str]:
    spent = research_shares(found)
    planned = research_shares(found, planned=True)
    lines = [
        "## Research share of the best recipes",
        "",
        "Share of the best recipe's spending (GPUs, power, research) that went to research "
        "in its re-test games, over the cells of each side; and the share its split plans.",
        "",
        "| side | cells | mean | min | max | planned (mean) |",
        "|---|---|---|---|---|---|",
    ]
    for side, xs in spent.items():
        lines.append(
            f"| {side} | {len(xs)} | {pct(statistics.mean(xs))} | {pct(min(xs))} | "
            f"{pct(max(xs))} | {pct(statistics.mean(planned[side]))} |"
        )
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=2000, help="games per shipped policy")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenarios", default="", help="comma-separated ids (default: all)")
    parser.add_argument("--difficulties", default="easy,normal,hard")
    parser.add_argument("--search-settings", type=int, default=160, help="recipes per cell")
    parser.add_argument("--search-games", type=int, default=80, help="games per recipe")
    parser.add_argument("--finalists", type=int, default=3, help="best recipes re-tested")
    parser.add_argument("--retest-games", type=int, default=1000)
    parser.add_argument("--transplant-games", type=int, default=300)
    parser.add_argument(
        "--duel-games", type=int, default=400, help="two-seat games per scenario and policy"
    )
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "scenarios" / "BALANCE.md"
    )
    args = parser.parse_args()
    wanted = [s for s in args.scenarios.split(",") if s]
    infos = [i for i in list_scenarios() if not wanted or i.id in wanted]
    unknown = set(wanted) - {i.id for i in infos}
    if unknown:
        parser.error(f"unknown scenario: {', '.join(sorted(unknown))}")
    scenarios = [load_scenario(i.path) for i in infos]
    difficulties = [d for d in args.difficulties.split(",") if d]

    progress = Progress()
    start = time.perf_counter()
    ship = shipped(scenarios, difficulties, args.games, args.jobs, args.seed, progress)
    ship_seconds = time.perf_counter() - start
    found: SearchResult | None = None
    if args.search_settings > 0:
        cells = [
            Cell(s.meta.id, f, d)
            for s in scenarios
            for f in playable(s)
            for d in difficulties
            if d in s.difficulties and d != EASY  # easy is for the advisor, not the recipes
        ]
        budget = Budget(
            settings=args.search_settings,
            games=args.search_games,
            finalists=args.finalists,
            retest=args.retest_games,
            transplant=args.transplant_games,
            seed=args.seed,
        )
        found = search(scenarios, cells, budget, jobs=args.jobs, progress=progress)
    two = Duels()
    if args.duel_games > 0:
        step = progress.step(1, "two players")
        step(0)
        two = duels(scenarios, args.duel_games, args.jobs, args.seed)
        step(1)
    seconds = time.perf_counter() - start
    checks = issue9_checks(ship, found) + duel_checks(two)
    issue_ok = all(ok for ok, _ in checks)

    engine = "compiled" if _compiled() else "plain Python"
    command = " ".join(["python scripts/balance.py", *sys.argv[1:]])
    head = [
        "# Balance",
        "",
        f"Player's win rate by side, difficulty and policy in the player's seat, "
        f"{args.games:,} games each (seed {args.seed}), and the best fixed recipe a search "
        f"found (issue 9). Written by `{command}` in {seconds / 60:.0f} min "
        f"({ship_seconds / 60:.0f} for the shipped policies; {engine} engine, "
        f"{args.jobs} jobs); do not edit by hand.",
        "",
        f"All bounds hold: {'yes' if ship.ok and issue_ok else 'no'}.",
        "",
        f"- the shipped policies' bounds (at normal): {'pass' if ship.ok else 'fail'}",
        *[f"- {'pass' if ok else 'FAIL'}: {line}" for ok, line in checks],
        "",
    ]
    lines = report(scenarios, difficulties, ship, found) + duel_table(scenarios, two)
    args.out.write_text("\n".join(head + lines) + "\n", encoding="utf-8")
    for ok, line in checks:
        print(f"{'pass' if ok else 'FAIL'}: {line}")
    print(
        f"wrote {args.out} in {seconds:.0f} s; all bounds hold: "
        f"{'yes' if ship.ok and issue_ok else 'no'}"
    )


def _compiled() -> bool:
    """Whether the engine running here was compiled (a compiled module is not a .py file)."""
    import game.engine.rules as rules

    return not str(rules.__file__).endswith(".py")


if __name__ == "__main__":
    main()
