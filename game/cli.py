"""The `airace` command line: parses, calls the parts of the game, prints.

Every failure a user can cause ends in one sentence on stderr
(`airace: error: ...`) and a non-zero exit code. A traceback is a bug, so the
top level turns anything unexpected into one sentence too (`airace: internal
error while ...`, saying what was being done) and writes the traceback to a
crash report (see `game.crash`); AIRACE_DEBUG=1 lets it through instead.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from game import __version__
from game.crash import Context, raise_crash

if TYPE_CHECKING:
    from game.engine.game import Game
    from game.saves.duel import Move, Turn
    from game.saves.model import Save
    from game.scenario.models import Scenario
    from game.sim.aggregate import Summary
    from game.sim.counts import Counts
    from game.sim.figures import Figures
    from game.sim.runner import GameResult, Setup
    from game.tui.watch import ScenarioWatch

# The scenario models (pydantic), the engine and the simulator are imported by
# the commands that use them, so a bare `airace` shows its title screen fast.

PROG = "airace"
EXIT_INVALID = 1  # a scenario has problems
EXIT_USAGE = 2  # what argparse uses for bad arguments
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in airace
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells expect after Ctrl-C
DEFAULT_HOST = "127.0.0.1"  # `airace serve`: this computer only
DEFAULT_PORT = 8000
MAX_PORT = 65535
MAX_SEED = 2**31 - 1  # a random seed for `play` is drawn below this
MAX_GAMES = 1_000_000  # every record is kept in memory until the run ends
PROGRESS_MIN_GAMES = 50  # shorter runs end before a bar would help
NAME_WIDTH = 60  # a name or value the user gave is cut to this in messages
PATH_WIDTH = 160  # and a path to this, in the middle


class CliError(Exception):
    """A user error: its message is one sentence, shown as `airace: error: ...`."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{_cut_words(message, NAME_WIDTH)} (see '{self.prog} --help')")


def _cut_words(text: str, width: int) -> str:
    """`text` with every run of characters longer than `width` cut (quotes kept whole)."""
    from game.scenario.yamlpos import cut

    return re.sub(rf"[^\s']{{{width + 1},}}", lambda m: cut(m[0], width, middle=True), text)


def _count(what: str, most: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from 1 to `most`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"the number of {what} must be a whole number, not '{text}'"
            ) from None
        if value < 1:
            raise argparse.ArgumentTypeError(
                f"the number of {what} must be at least 1, not {value}"
            )
        if most is not None and value > most:
            raise argparse.ArgumentTypeError(
                f"the number of {what} must be at most {most:,}, not {value:,}"
            )
        return value

    return parse


def _several(what: str, known: Sequence[str] | None = None) -> Callable[[str], tuple[str, ...]]:
    """An argparse type: one name, several separated by commas, or `all`."""

    def parse(text: str) -> tuple[str, ...]:
        names = tuple(dict.fromkeys(n.strip() for n in text.split(",")))
        if "" in names:
            raise argparse.ArgumentTypeError(f"a {what} name is missing in '{text}'")
        if names == ("all",):
            return names
        for name in names:
            if known is not None and name not in known:
                choose = ", ".join(repr(k) for k in (*known, "all"))
                raise argparse.ArgumentTypeError(f"invalid choice: '{name}' (choose from {choose})")
        return names

    return parse


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the seed must be a whole number, not '{text}'") from None


def _host(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the host must be an address or a name, not empty")
    return text.strip()


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the port must be a whole number, not '{text}'") from None
    if not 0 <= value <= MAX_PORT:
        raise argparse.ArgumentTypeError(
            f"the port must be from 1 to {MAX_PORT} (or 0 for a free one), not {value}"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; each command's handler is in its `run` default."""
    from game.engine.policies import POLICIES
    from game.scenario.models import FACTIONS

    parser = _Parser(
        prog=PROG,
        description="AI Race: a turn-based strategy game of the 2025 AI race, for the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _data_dir_option(parser)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    scenario = commands.add_parser("scenario", help="list, validate and describe scenarios")
    scenario.set_defaults(run=lambda args, out: _missing_command(scenario))
    sub = scenario.add_subparsers(title="commands", metavar="COMMAND")
    listing = sub.add_parser("list", help="the shipped scenarios")
    listing.set_defaults(run=cmd_scenario_list)
    validate = sub.add_parser("validate", help="check scenario files and report every problem")
    validate.add_argument("scenarios", nargs="+", metavar="PATH_OR_ID")
    validate.set_defaults(run=cmd_scenario_validate)
    lint = sub.add_parser(
        "lint",
        help="warn about what validation cannot catch (events that never fire, ...)",
        description="Warn about what a valid scenario says but cannot mean: events that never "
        "fire, flags set and never read, choices that change nothing, chips no side may buy, "
        "victory conditions that never decide a game. Each warning has a code (W101...); "
        "silence one with `lint: {ignore: [W101]}` on its event or at the top of the file.",
    )
    lint.add_argument("scenarios", nargs="+", metavar="PATH_OR_ID")
    lint.add_argument("--strict", action="store_true", help="exit 1 when there is any warning")
    lint.set_defaults(run=cmd_scenario_lint)
    describe = sub.add_parser(
        "describe",
        help="a scenario in words: sides, labs, chips, power and the event timeline",
        description="Print a scenario as its author would check it: name, dates and turns, "
        "how to win, each side's lab and starting figures, the rivals, the chips and who may "
        "buy them, the power sources, and every event in file order with its window, who it "
        "hits, its chance and its choices.",
    )
    describe.add_argument("scenario", metavar="ID_OR_PATH")
    describe.set_defaults(run=cmd_scenario_describe)
    schema = sub.add_parser("schema", help="the JSON Schema of scenario files, for editors")
    schema.set_defaults(run=cmd_scenario_schema)
    new = sub.add_parser(
        "new",
        help="write a new scenario file that extends another, commented for editing",
        description="Write NAME.yaml: a scenario that extends another, valid and playable as "
        "written, with comments on what to change and a line that points editors at the schema.",
    )
    new.add_argument("name", metavar="NAME", help="the new scenario's id, and its file's name")
    new.add_argument(
        "--extends",
        default="base",
        metavar="ID",
        help="the scenario it builds on: a shipped id or a file (default: base)",
    )
    new.add_argument(
        "--dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the folder to write it in (default: the current one)",
    )
    new.set_defaults(run=cmd_scenario_new)

    sim = commands.add_parser(
        "simulate",
        help="play many games with computers in every seat and report the balance",
        description="Play many games with a policy in the player's seat and report win rates, "
        "final capability and cost, and how often each event fired. With --report, the "
        "author's report: win rates by lab, side, policy and difficulty, every ending, each "
        "event's turns, labs and choices, and capability by turn.",
    )
    sim.add_argument(
        "--scenario",
        default="base",
        metavar="ID_OR_PATH",
        help="scenario id or file (default: base)",
    )
    sim.add_argument(
        "--games",
        type=_count("games", MAX_GAMES),
        default=100,
        metavar="N",
        help="games to play (default: 100)",
    )
    sim.add_argument(
        "--seed",
        type=_seed,
        default=1,
        metavar="S",
        help="the run's seed; game i is seeded from S and i (default: 1)",
    )
    sim.add_argument(
        "--faction",
        type=_several("side", FACTIONS),
        default=None,
        metavar="SIDE",
        help=f"the player's side, {' or '.join(FACTIONS)} (default: us, or the scenario's only "
        "side); with --report, several (us,china) or all",
    )
    sim.add_argument(
        "--policy",
        type=_several("policy", tuple(POLICIES)),
        default=None,
        metavar="POLICY",
        help=f"who plays the player's seat: {', '.join(POLICIES)} (default: its lab's policy "
        "in the scenario); with --report, several or all",
    )
    sim.add_argument(
        "--difficulty",
        type=_several("difficulty"),
        default=None,
        metavar="D",
        help="one of the scenario's difficulties (default: none); with --report, several or all",
    )
    sim.add_argument(
        "--jobs",
        type=_count("jobs"),
        default=1,
        metavar="J",
        help="processes to spread the games over (default: 1)",
    )
    sim.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    sim.add_argument(
        "--report",
        action="store_true",
        help="print the author's report; every side, policy and difficulty given is played, "
        "--games games each, on the same seeds",
    )
    sim.add_argument(
        "--compare",
        default=None,
        metavar="ID_OR_PATH",
        help="play the same games on another scenario (a parent, say) and show its figures "
        "beside each of the report's (implies --report)",
    )
    sim.add_argument(
        "--html",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the report as one self-contained web page with plots (implies --report)",
    )
    sim.add_argument(
        "--save-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="write each game's save to DIR (to replay, verify or tell it later)",
    )
    sim.set_defaults(run=cmd_simulate)

    play = commands.add_parser(
        "play",
        help="start a game in the terminal straight away",
        description="Start a game at once, skipping the title screen "
        "('airace' alone opens the title screen). A scenario file with problems is not "
        "played: every problem is printed as file:line:col: CODE message, as "
        "'airace scenario validate' prints them.",
    )
    play.add_argument(
        "--scenario",
        default="base",
        metavar="ID_OR_PATH",
        help="scenario id or file, such as your own my-scenario.yaml (default: base)",
    )
    play.add_argument(
        "--watch",
        action="store_true",
        help="follow the --scenario file (and those it extends) while you play: once you "
        "have saved a change, the game reloads it when you press e (the next e ends the "
        "quarter) or come back to the dashboard, and plays your orders and choices again "
        "under it as far as they still fit; a file with problems shows them and the game "
        "goes on as it was (needs a file, not a shipped id)",
    )
    play.add_argument(
        "--faction",
        choices=FACTIONS,
        default=None,
        help="your side (default: us, or the scenario's only playable side)",
    )
    play.add_argument(
        "--seed",
        type=_seed,
        default=None,
        metavar="N",
        help="the game's seed: the same seed and choices replay the same game (default: random)",
    )
    play.add_argument(
        "--difficulty",
        default=None,
        metavar="D",
        help="one of the scenario's difficulties (default: normal when it has one)",
    )
    play.add_argument(
        "--two-player",
        action="store_true",
        help="play by file: the US main lab against the Chinese main lab, each played by a "
        "person on their own computer, the other labs computer rivals; you make your move "
        "for the quarter, airace writes it to the --save file (your orders sealed: the file "
        "shows nothing of them) and says whom to send it to, and they run 'airace resume FILE'",
    )
    play.add_argument(
        "--seat",
        choices=FACTIONS,
        default="us",
        help="with --two-player: the side you play; it moves first every quarter (default: us)",
    )
    play.add_argument(
        "--save",
        type=Path,
        default=None,
        metavar="FILE",
        help="with --two-player: the file to write the game to, and to send (a new file)",
    )
    _move_options(play)
    play.set_defaults(run=cmd_play)

    serve = commands.add_parser(
        "serve",
        help="play in a web browser: serve the game, one game per browser tab",
        description="Serve the game to web browsers: open the address it prints, and each "
        "tab plays its own game, from the title screen, with the saves of the data folder "
        "(--data-dir). Ctrl+C stops the server and the games in it; each game is saved "
        "after every quarter. Only this computer can connect unless --host says otherwise: "
        "with --host 0.0.0.0, anyone who can reach the port can play and write saves.",
    )
    serve.add_argument(
        "--host",
        type=_host,
        default=DEFAULT_HOST,
        metavar="HOST",
        help=f"the address to listen on: {DEFAULT_HOST} for this computer only (the default), "
        "0.0.0.0 for every network it is on",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        metavar="PORT",
        help=f"the port to listen on, 1 to {MAX_PORT} (default: {DEFAULT_PORT}); 0 picks a "
        "free one",
    )
    serve.set_defaults(run=cmd_serve)

    resume = commands.add_parser(
        "resume",
        help="go on with a saved game in the terminal",
        description="Load a saved game, replaying it to check it, and go on playing it. "
        "A play-by-file game (airace play --two-player) opens at the seat whose move is due: "
        "when your sealed move has come back answered, the quarter resolves first; then you "
        "make your move, and airace writes the file and says whom to send it to. A file that "
        "is not your move, an old copy or an edited file is refused and left as it was.",
    )
    resume.add_argument(
        "save",
        nargs="?",
        default=None,
        metavar="SAVE",
        help="a save file, or a save's name in the saves folder (default: the latest "
        "unfinished game)",
    )
    _move_options(resume)
    resume.set_defaults(run=cmd_resume)

    replay = commands.add_parser(
        "replay",
        help="watch, verify or tell a saved game",
        description="Replay a saved game: step through it in the terminal, check that it "
        "replays to the states it recorded, or print it as a story in Markdown.",
    )
    replay.add_argument("save", metavar="SAVE", help="a save file, or a save's name")
    how = replay.add_mutually_exclusive_group()
    how.add_argument(
        "--verify",
        action="store_true",
        help="replay it and check every turn; exit 0 if it replays as recorded, 1 if not",
    )
    how.add_argument(
        "--chronicle",
        action="store_true",
        help="print the game as a Markdown story, quarter by quarter",
    )
    replay.set_defaults(run=cmd_replay)
    for command in (sim, play, serve, resume, replay):
        _data_dir_option(command)
    return parser


def _move_options(parser: argparse.ArgumentParser) -> None:
    """A play-by-file move made without the terminal game (scripts, tests, a quick turn)."""
    how = parser.add_argument_group(
        "a play-by-file move without the terminal game",
        "Instead of playing the seat on screen, make its move for the quarter from the "
        "command line: --advisor, or --orders with a --choose for each event waiting.",
    )
    how.add_argument(
        "--orders",
        type=Path,
        default=None,
        metavar="FILE",
        help='the seat\'s orders as JSON, as a save holds them: {"gpus": {"h100": 1000}, '
        '"power": {"grid": 50}, "research": 20, "train_share": 0.6} (every key optional)',
    )
    how.add_argument(
        "--choose",
        action="append",
        default=[],
        metavar="EVENT=N",
        help="answer the event EVENT (its id) with its choice N, counted from 1; once per "
        "event waiting for the seat",
    )
    how.add_argument(
        "--advisor",
        action="store_true",
        help="give the advisor's suggested orders, and answer every event not named by "
        "--choose with its first choice",
    )


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    # Taken before or after the command; SUPPRESS keeps a command's missing
    # one from hiding the one given before it.
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the folder for saves and crash reports (default: $AIRACE_HOME, else the "
        "system's folder for user data)",
    )


def _missing_command(parser: argparse.ArgumentParser) -> int:
    raise CliError(
        f"'{parser.prog}' needs a command: list, validate, lint, describe, schema or new"
    )


# --- scenario ---------------------------------------------------------------------


def _shown(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when inside it."""
    from game.scenario.yamlpos import cut

    try:
        shown = str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):
        shown = str(path)
    return cut(shown, PATH_WIDTH, middle=True)


def _name(text: str) -> str:
    """A name the user gave, as a message shows it: cut when long."""
    from game.scenario.yamlpos import cut

    return cut(text, NAME_WIDTH)


def one_line(text: str, width: int) -> str:
    """`text` on one line of at most `width` characters, cut at a word with '...'."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: max(0, width - 3)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "..."


def cmd_scenario_list(args: argparse.Namespace, out: IO[str]) -> int:
    """Print a table of the shipped scenarios."""
    from game.scenario.loader import list_scenarios
    from game.sim.report import table

    infos = list_scenarios()
    if not infos:
        raise CliError("no valid scenarios are installed; 'airace scenario validate' says why", 1)
    rows = [
        [i.id, i.name, str(i.turns), ", ".join(i.playable) or "-", i.description] for i in infos
    ]
    used = sum(
        max(len(r[c]) for r in [["ID", "Name", "Turns", "Sides"], *rows]) + 2 for c in range(4)
    )
    width = max(30, shutil.get_terminal_size((100, 24)).columns - used - 1)
    for row in rows:
        row[4] = one_line(row[4], width)
    for line in table(["ID", "Name", "Turns", "Sides", "Description"], rows, right=(2,)):
        print(line, file=out)
    return 0


def cmd_scenario_validate(args: argparse.Namespace, out: IO[str]) -> int:
    """Check every file named; ok lines on stdout, every problem on stderr."""
    from game.scenario.errors import ScenarioError
    from game.scenario.loader import find_scenario, load_scenario

    failed = False
    for name in args.scenarios:
        try:
            path = find_scenario(name)
            scenario = load_scenario(path)
        except ScenarioError as e:
            failed = True
            for problem in e.problems:
                print(problem, file=sys.stderr)
            continue
        except Exception as e:
            raise_crash(e, Context("validating", path=name))
        print(f"ok: {_shown(path)} ({scenario.meta.name})", file=out)
    return EXIT_INVALID if failed else 0


def cmd_scenario_lint(args: argparse.Namespace, out: IO[str]) -> int:
    """Lint every file named: warnings and ok lines on stdout, a file's errors on stderr."""
    from game.fmt import one_line
    from game.scenario.errors import ScenarioError
    from game.scenario.lint import lint_file
    from game.scenario.loader import find_scenario

    failed = warned = False
    for name in args.scenarios:
        try:
            path = find_scenario(name)
            scenario, warnings = lint_file(path)
        except ScenarioError as e:
            failed = True
            for problem in e.problems:
                print(problem, file=sys.stderr)
            continue
        except Exception as e:
            raise_crash(e, Context("linting", path=name))
        for warning in warnings:
            print(one_line(str(warning)), file=out)
        if warnings:
            warned = True
        else:
            print(f"ok: {_shown(path)} ({one_line(scenario.meta.name)}): no warnings", file=out)
    return EXIT_INVALID if failed or (warned and args.strict) else 0


def cmd_scenario_describe(args: argparse.Namespace, out: IO[str]) -> int:
    """Print a scenario in words; a file with problems gets its errors, as validate gives them."""
    from game.describe import describe
    from game.scenario.errors import ScenarioError
    from game.scenario.loader import find_scenario, load_scenario

    try:
        path = find_scenario(args.scenario)
        scenario = load_scenario(path)
    except ScenarioError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except Exception as e:
        raise_crash(e, Context("describing", path=args.scenario))
    try:
        text = describe(scenario)
    except Exception as e:
        raise_crash(e, Context("describing", scenario=scenario.meta.id, path=_shown(path)))
    out.write(text)
    return 0


def cmd_scenario_schema(args: argparse.Namespace, out: IO[str]) -> int:
    """Print the scenario JSON Schema."""
    from game.scenario.schema import scenario_schema

    print(json.dumps(scenario_schema(), indent=2), file=out)
    return 0


def cmd_scenario_new(args: argparse.Namespace, out: IO[str]) -> int:
    """Write a new scenario file that extends another; never over an existing file."""
    from game.scenario.schema import schema_reference
    from game.scenario.template import extends_reference, new_id, new_scenario

    scenario_id = new_id(args.name)
    if scenario_id is None:
        raise CliError(
            f"'{_name(args.name)}' cannot be a scenario id: use at most 40 lowercase letters, "
            "digits, '-' and '_', starting with a letter"
        )
    if scenario_id == args.extends:
        raise CliError(f"a scenario cannot extend itself: name it other than '{scenario_id}'")
    parent_path, parent = _load(args.extends)
    folder: Path = args.dir
    path = folder / f"{scenario_id}.yaml"
    extends = extends_reference(parent_path, parent.meta.id, folder)
    text = new_scenario(scenario_id, parent, extends, schema_reference(folder), path.name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the name
        message = f"cannot make the folder {_shown(folder)}: {_reason(e)}"
        raise CliError(message, EXIT_INVALID) from None
    try:
        with open(path, "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise CliError(
            f"{_shown(path)} already exists: choose another name, or another folder with --dir",
            EXIT_INVALID,
        ) from None
    except OSError as e:
        raise CliError(f"cannot write {_shown(path)}: {_reason(e)}", EXIT_INVALID) from None
    print(f"wrote {_shown(path)}, a scenario that extends {parent.meta.id}", file=out)
    return 0


def _reason(error: Exception) -> str:
    """Why a file operation failed, in the system's words."""
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


# --- simulate ---------------------------------------------------------------------


def _level_and_seed(args: argparse.Namespace, scenario: Scenario) -> tuple[str | None, int]:
    """The difficulty asked for (normal when the scenario has it and none was asked),
    checked against the scenario, and the seed asked for or a fresh one."""
    difficulty = args.difficulty
    if difficulty is None and "normal" in scenario.difficulties:
        difficulty = "normal"
    if difficulty is not None and difficulty not in scenario.difficulties:
        known = ", ".join(scenario.difficulties) or "none"
        sid = scenario.meta.id
        raise CliError(f"scenario '{sid}' has no difficulty '{_name(difficulty)}' (known: {known})")
    seed = args.seed if args.seed is not None else secrets.randbelow(MAX_SEED)
    return difficulty, seed


def _load(name: str) -> tuple[Path, Scenario]:
    """Find and load a scenario; CliError when it is unknown or invalid."""
    from game.scenario.errors import ScenarioError
    from game.scenario.loader import find_scenario, load_scenario

    try:
        path = find_scenario(name)
    except ScenarioError as e:
        raise CliError("; ".join(p.message for p in e.problems)) from None
    try:
        return path, load_scenario(path)
    except ScenarioError as e:
        if len(e.problems) == 1:  # a file that cannot be read, say: one line is enough
            raise CliError(str(e.problems[0]), EXIT_INVALID) from None
        for problem in e.problems:
            print(problem, file=sys.stderr)
        n = len(e.problems)
        raise CliError(
            f"{_shown(path)} is not a valid scenario ({n} problem{'s' * (n != 1)} above)",
            EXIT_INVALID,
        ) from None
    except Exception as e:
        raise_crash(e, Context("loading", path=_shown(path)))


def _setups(args: argparse.Namespace, scenario: Scenario) -> list[Setup]:
    """The run's setups from the arguments (every side x policy x difficulty), checked."""
    from game.engine.policies import POLICIES
    from game.scenario.models import FACTIONS
    from game.sim.runner import Setup

    sid = scenario.meta.id
    sides = [f for f in FACTIONS if f in scenario.factions]
    factions = args.faction or ("us" if "us" in sides else sides[0],)
    factions = sides if factions == ("all",) else factions
    for faction in factions:
        if faction not in sides:
            raise CliError(f"scenario '{sid}' has no '{faction}' side (sides: {', '.join(sides)})")
    difficulties: Sequence[str | None] = args.difficulty or (None,)
    if difficulties == ("all",):
        difficulties = list(scenario.difficulties) or [None]
    for difficulty in difficulties:
        if difficulty is not None and difficulty not in scenario.difficulties:
            known = ", ".join(scenario.difficulties) or "none"
            raise CliError(
                f"scenario '{sid}' has no difficulty '{_name(difficulty)}' (known: {known})"
            )
    policies = tuple(POLICIES) if args.policy == ("all",) else args.policy
    save_dir = str(args.save_dir) if args.save_dir is not None else None
    return [
        Setup(faction=f, policy=policy, difficulty=d, seed=args.seed, save_dir=save_dir)
        for f in factions
        # The player's seat has no policy of its own in a game; without one the
        # lab would sit idle, so it plays the way the scenario says its lab plays.
        for policy in policies or (scenario.factions[f].lab.policy,)
        for d in difficulties
    ]


class ProgressBar:
    """A one-line progress bar on a terminal, redrawn in place with a carriage return."""

    WIDTH = 30

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total = total
        self.stream = stream
        self._shown = -1
        self._length = 0

    def __call__(self, done: int) -> None:
        pct = 100 * done // self.total
        if pct == self._shown:
            return  # redraw only when the figure changes
        self._shown = pct
        filled = self.WIDTH * done // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = f"\rsimulating [{bar}] {done:,}/{self.total:,} games ({pct}%)"
        self._length = len(line) - 1  # the carriage return takes no room
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar, so what follows starts on a clean line."""
        if self._length:
            self.stream.write("\r" + " " * self._length + "\r")
            self.stream.flush()
            self._length = 0


def cmd_simulate(args: argparse.Namespace, out: IO[str]) -> int:
    """Play the games, then print the summary, one JSON object, or the author's report."""
    from game.sim.aggregate import aggregate, scenario_events, scenario_labs

    report = args.report or args.compare is not None or args.html is not None
    if args.json and report:
        raise CliError(
            "--json prints the balance summary, not the author's report: leave out --json, "
            "or --report, --compare and --html"
        )
    path, scenario = _load(args.scenario)
    setups = _setups(args, scenario)
    compared = _compared(args) if args.compare is not None else None
    total = args.games * (len(setups) + (len(compared[2]) if compared else 0))
    _check_run(args, report, len(setups), total)
    args.jobs = _capped_jobs(args.jobs)
    if args.save_dir is not None:
        try:
            args.save_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise CliError(
                f"cannot make the folder {_shown(args.save_dir)} for saves: {e.strerror or e}",
                EXIT_INVALID,
            ) from None
    bar = ProgressBar(total, sys.stderr) if _wants_progress(total) else None
    if bar is not None:
        bar(0)  # show the bar at once, not after the first chunk of games
    start = time.perf_counter()
    try:
        played = _play(args, path, scenario, setups, report, bar)
        other = _play(args, *compared, True, bar, len(setups) * args.games) if compared else None
    finally:
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - start
    if report:
        _write_report(args, played, other, seconds, out)
        return 0
    setup, records = setups[0], played.records[0]
    player = scenario.factions[setup.faction].lab_id  # type: ignore[index]
    summary = aggregate(
        records, labs=scenario_labs(scenario), events=scenario_events(scenario), player=player
    )
    if args.json:
        _print_json(args, path, scenario, setup, summary, seconds, out)
    else:
        _print_report(args, scenario, setup, summary, seconds, out)
    return 0


def _check_run(args: argparse.Namespace, report: bool, setups: int, total: int) -> None:
    """Refuse, before any game is played, a run that could not end as asked."""
    if setups > 1 and not report:
        raise CliError(
            "several sides, policies or difficulties are played for the author's report: "
            "add --report"
        )
    if setups > 1 and args.save_dir is not None:
        raise CliError("--save-dir saves the games of one side, policy and difficulty at a time")
    if total > MAX_GAMES:
        raise CliError(
            f"that is {total:,} games in all, more than {MAX_GAMES:,}: ask for fewer games, "
            "sides, policies or difficulties"
        )
    if args.html is not None:
        _check_writable(args.html)


@dataclass(frozen=True, slots=True)
class _Played:
    """One scenario's games: each setup's records, and the report's counts if gathered."""

    scenario: Scenario
    setups: list[Setup]
    records: list[list[GameResult]]
    counts: Counts | None


def _play(
    args: argparse.Namespace,
    path: Path,
    scenario: Scenario,
    setups: list[Setup],
    report: bool,
    bar: ProgressBar | None,
    before: int = 0,
) -> _Played:
    """Play every setup's games of one scenario; `before` games were played already."""
    from game.saves.errors import SaveError
    from game.sim.counts import Counts
    from game.sim.runner import run_setups

    counts = Counts() if report else None
    progress = (lambda done: bar(before + done)) if bar is not None else None
    try:
        records = run_setups(
            scenario, setups, args.games, jobs=args.jobs, progress=progress, counts=counts
        )
    except SaveError as e:
        raise CliError(_said(e), EXIT_INVALID) from None
    except Exception as e:
        # A game's crash names its own seed and turn; the run adds its file.
        here = Context("simulating", scenario=scenario.meta.id, path=_shown(path))
        raise_crash(e, here)
    return _Played(scenario, setups, records, counts)


def _compared(args: argparse.Namespace) -> tuple[Path, Scenario, list[Setup]]:
    """The scenario `--compare` names and its setups; errors say they are about it."""
    try:
        path, scenario = _load(args.compare)
        return path, scenario, _setups(args, scenario)
    except CliError as e:
        raise CliError(f"--compare: {e}", e.code) from None


def _check_writable(path: Path) -> None:
    """Refuse, before any game is played, a report page that could not be written."""
    where = _shown(path)
    if path.is_dir():
        raise CliError(f"cannot write the report to {where}: it is a folder", EXIT_INVALID)
    # A mistyped folder is refused rather than made: the page would land out of sight.
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise CliError(
            f"cannot write the report to {where}: the folder {_shown(folder)} {what}",
            EXIT_INVALID,
        )
    if not os.access(folder, os.W_OK):
        raise CliError(
            f"cannot write the report to {where}: the folder is not writable", EXIT_INVALID
        )


def _write_report(
    args: argparse.Namespace,
    played: _Played,
    other: _Played | None,
    seconds: float,
    out: IO[str],
) -> None:
    """Print the author's report (and write its page with --html)."""
    from game.sim.authors import render

    mine = _figures(played)
    theirs = _figures(other) if other is not None else None
    out.write(render(mine, theirs))
    if args.html is not None:
        from game.files import write_atomically
        from game.sim.page import page

        try:
            write_atomically(args.html, page(mine, theirs).encode("utf-8"))
        except OSError as e:
            raise CliError(
                f"cannot write the report to {_shown(args.html)}: {e.strerror or e}",
                EXIT_INVALID,
            ) from None
        print(f"\nThe report as a web page: {_shown(args.html)}", file=out)
    turns = sum(r.turns for p in (played, other) if p for rs in p.records for r in rs)
    _played_in(turns, seconds, min(args.jobs, mine.games), out)


def _figures(played: _Played) -> Figures:
    from game.engine.rulebook import Rulebook
    from game.sim.figures import figures

    assert played.counts is not None  # a report's games are counted
    try:
        return figures(Rulebook(played.scenario), played.setups, played.records, played.counts)
    except Exception as e:
        raise_crash(e, Context("writing the report", scenario=played.scenario.meta.id))


def _print_json(
    args: argparse.Namespace,
    path: Path,
    scenario: Scenario,
    setup: Setup,
    summary: Summary,
    seconds: float,
    out: IO[str],
) -> None:
    """One JSON object; only `timing` (and the path) may differ between equal runs."""
    from game.sim.aggregate import rounded

    doc = {
        "scenario": {"id": scenario.meta.id, "name": scenario.meta.name, "path": _shown(path)},
        "args": {
            "scenario": args.scenario,
            "games": args.games,
            "seed": args.seed,
            "faction": setup.faction,
            "policy": setup.policy,
            "difficulty": setup.difficulty,
            "jobs": args.jobs,
        },
        "results": summary.to_dict(),
        "timing": {
            "seconds": seconds,
            "turns": summary.turns,
            "turns_per_second": _rate(summary.turns, seconds),
        },
    }
    print(json.dumps(rounded(doc), indent=2, sort_keys=True), file=out)


def _print_report(
    args: argparse.Namespace,
    scenario: Scenario,
    setup: Setup,
    summary: Summary,
    seconds: float,
    out: IO[str],
) -> None:
    """The summary as tables, headed by what was run and followed by how fast."""
    from game.scenario.placeholders import for_authors
    from game.sim.aggregate import scenario_labs
    from game.sim.report import render

    names = {lab_id: _lab_name(scenario, lab_id) for lab_id in scenario_labs(scenario)}
    titles = {e.id: for_authors(e.title) for e in scenario.events if not e.remove}
    difficulty = f", difficulty {setup.difficulty}" if setup.difficulty else ""
    heading = (
        f"{scenario.meta.name} ({scenario.meta.id}): {args.games:,} games from seed {args.seed}, "
        f"player's seat {setup.faction} played by '{setup.policy}'{difficulty}"
    )
    out.write(render(summary, heading=heading, names=names, titles=titles))
    _played_in(summary.turns, seconds, min(args.jobs, args.games), out)


def _played_in(turns: int, seconds: float, jobs: int, out: IO[str]) -> None:
    """The closing line of a simulation: how long it took, and how fast."""
    print(
        f"\nPlayed in {seconds:.1f} s: {_rate(turns, seconds):,.0f} turns a second "
        f"on {jobs} process{'es' * (jobs != 1)}.",
        file=out,
    )


def _capped_jobs(jobs: int) -> int:
    """`jobs`, or the processors this machine lets airace use if fewer (with a note)."""
    from game.sim.runner import usable_cpus

    cores = usable_cpus()
    if jobs <= cores:
        return jobs
    print(
        f"{PROG}: note: --jobs {jobs:,} is more than the {cores} processor"
        f"{'s' * (cores != 1)} airace can use here; using {cores}",
        file=sys.stderr,
    )
    return cores


def _rate(turns: int, seconds: float) -> float:
    return turns / seconds if seconds > 0 else 0.0


def _wants_progress(games: int) -> bool:
    return games > PROGRESS_MIN_GAMES and sys.stderr.isatty()


def _lab_name(scenario: Scenario, lab_id: str) -> str:
    for spec in scenario.factions.values():
        if spec.lab_id == lab_id:
            return spec.lab.name
    return scenario.rivals[lab_id].name


# --- play -----------------------------------------------------------------------


def cmd_play(args: argparse.Namespace, out: IO[str]) -> int:
    """Check the arguments, build the game, then hand the terminal to the game."""
    from game.scenario.models import FACTIONS

    if args.two_player:
        return _play_by_file(args, out)
    if args.save is not None or _headless(args):
        raise CliError(
            "--save, --orders, --choose and --advisor make a play-by-file move: add --two-player"
        )
    watch = _watch(args.scenario) if args.watch else None
    path, scenario = _load(args.scenario)
    sid = scenario.meta.id
    playable = [f for f in FACTIONS if f in scenario.factions and scenario.factions[f].playable]
    if not playable:
        raise CliError(f"scenario '{sid}' has no side a person can play")
    faction = args.faction or ("us" if "us" in playable else playable[0])
    if faction not in playable:
        raise CliError(
            f"scenario '{sid}' cannot be played as '{faction}' (sides: {', '.join(playable)})"
        )
    difficulty, seed = _level_and_seed(args, scenario)

    from game.engine.game import Game, GameError
    from game.engine.rulebook import Rulebook

    try:
        game = Game(Rulebook(scenario), faction, seed, difficulty=difficulty)
    except GameError as e:
        raise CliError(str(e)) from None
    except Exception as e:
        raise_crash(e, Context("starting", scenario=sid, path=_shown(path), seed=seed))
    from game.tui.app import AIRaceApp

    return _run_app(AIRaceApp(game, watch=watch))


def _headless(args: argparse.Namespace) -> bool:
    """Whether the command line makes the move itself (`_move_options`)."""
    return bool(args.orders is not None or args.choose or args.advisor)


def _play_by_file(args: argparse.Namespace, out: IO[str]) -> int:
    """`play --two-player`: start a game by file and make the first move in it."""
    if args.watch or args.faction is not None:
        raise CliError(
            f"--{'watch' if args.watch else 'faction'} does not go with --two-player "
            "(--seat says which side you play)"
        )
    if args.save is None:
        raise CliError("--two-player needs --save FILE: the file you send the other player")
    target: Path = args.save
    if target.exists() or target.is_symlink():
        raise CliError(
            f"{_shown(target)} exists already: give --save a new file ('airace resume "
            f"{_shown(target)}' goes on with a game in it)",
            EXIT_INVALID,
        )
    if not target.parent.is_dir():
        raise CliError(f"{_shown(target)}: there is no folder {_shown(target.parent)}", 1)
    path, scenario = _load(args.scenario)
    sid = scenario.meta.id
    sides = [f for f in ("us", "china") if f in scenario.factions]
    if len(sides) < 2 or not all(scenario.factions[f].playable for f in sides):
        raise CliError(f"scenario '{sid}' has no two sides people can play against each other")
    difficulty, seed = _level_and_seed(args, scenario)

    from game.engine.game import Game, GameError
    from game.engine.rulebook import Rulebook
    from game.saves.duel import new_game

    labs = tuple(scenario.factions[f].lab_id for f in sides)
    try:
        game = Game(Rulebook(scenario), "us", seed, difficulty=difficulty, humans=labs)
        turn = new_game(target, game, scenario.factions[args.seat].lab_id)
    except GameError as e:
        raise CliError(str(e)) from None
    except Exception as e:
        raise_crash(e, Context("starting", scenario=sid, path=_shown(path), seed=seed))
    return _move_and_send(turn, args, out)


def _resume_by_file(path: Path, data: bytes, args: argparse.Namespace, out: IO[str]) -> int:
    """`resume FILE` on a play-by-file game: check it, resolve the quarter if due, move."""
    from game.saves.duel import open_duel
    from game.saves.errors import SaveError

    try:
        turn = open_duel(path, data)
    except SaveError as e:
        raise CliError(f"{_shown(path)}: {_said(e)}", EXIT_INVALID) from None
    except Exception as e:
        raise_crash(e, Context("opening the play-by-file game", path=_shown(path)))
    game = turn.game
    if game.over:
        return _ended(turn, out)
    if turn.resolved:
        from game.fmt import date

        before = game.history[-2] if len(game.history) > 1 else game.state
        print(
            f"The quarter {date(before.year, before.quarter)} is resolved; you play "
            f"{date(game.state.year, game.state.quarter)} now.",
            file=out,
        )
    return _move_and_send(turn, args, out)


def _ended(turn: Turn, out: IO[str]) -> int:
    """A play-by-file game is over: say so, and write the ending if this seat resolved it."""
    from game.saves.duel import other_seat, seat_name, write_ending
    from game.saves.errors import SaveError
    from game.saves.store import autosave

    game = turn.game
    outcome = game.state.outcome
    try:
        if turn.resolved:
            write_ending(turn)
        autosave(game)  # the finished game, for replays and the records table
    except SaveError as e:
        raise CliError(f"{_shown(turn.path)}: {_said(e)}", EXIT_INVALID) from None
    print(f"The game is over: {outcome.text if outcome else ''}", file=out)
    if turn.resolved:
        other = other_seat(game, turn.seat)
        print(
            f"Send {_shown(turn.path)} to the player of {seat_name(game, other)}: they run "
            f"'airace resume {_shown(turn.path)}' to see the ending.",
            file=out,
        )
    return 0


def _move_and_send(turn: Turn, args: argparse.Namespace, out: IO[str]) -> int:
    """The seat's move, from the command line or the terminal game, written and sent on."""
    from game.engine.game import GameError
    from game.engine.orders import OrderError
    from game.saves.duel import other_seat, seat_name, write_move
    from game.saves.errors import SaveError

    game = turn.game
    try:
        move = _headless_move(turn, args) if _headless(args) else _screen_move(turn)
    except (GameError, OrderError) as e:
        raise CliError(
            f"{seat_name(game, turn.seat)}'s move cannot be made: {_said(e)}", 1
        ) from None
    if move is None:
        print(f"You left without moving: {_shown(turn.path)} is as it was.", file=out)
        return 0
    try:
        write_move(turn, move)
    except SaveError as e:
        raise CliError(f"{_shown(turn.path)}: {_said(e)}", EXIT_INVALID) from None
    other = other_seat(game, turn.seat)
    print(
        f"Send {_shown(turn.path)} to the player of {seat_name(game, other)}: they run "
        f"'airace resume {_shown(turn.path)}'.",
        file=out,
    )
    return 0


def _headless_move(turn: Turn, args: argparse.Namespace) -> Move:
    """The move the command line gives: --orders or --advisor, and --choose."""
    from pydantic import ValidationError

    from game.engine.orders import Orders
    from game.saves.duel import Move, MoveChoice, take_move

    game, seat = turn.game, turn.seat
    chosen = dict(_choice(text) for text in args.choose)
    if args.orders is not None and args.advisor:
        raise CliError("--orders and --advisor do not go together: give one")
    if args.advisor:
        choices = []
        while game.pending_for(seat):
            event = game.pending_for(seat)[0]
            index = chosen.pop(event, 0)
            game.choose(event, index, seat=seat)
            choices.append(MoveChoice(event=event, choice=index))
        if chosen:
            raise CliError(f"no event '{_name(next(iter(chosen)))}' is waiting for a choice", 1)
        orders = game.suggested_orders(seat=seat)
        game.submit(orders, seat=seat)
        return Move(choices=choices, orders=orders)
    from game.files import NotAFile, TooLarge, read_limited

    try:
        orders = Orders.model_validate_json(read_limited(args.orders, 1024 * 1024))
    except (OSError, NotAFile, TooLarge):
        raise CliError(f"{_shown(args.orders)}: it cannot be read as a file of orders", 1) from None
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "the orders"
        raise CliError(
            f"{_shown(args.orders)} holds no orders: {where}: {str(first['msg']).lower()}", 1
        ) from None
    move = Move(choices=[MoveChoice(event=e, choice=i) for e, i in chosen.items()], orders=orders)
    take_move(game, seat, move)
    return move


def _choice(text: str) -> tuple[str, int]:
    """`--choose EVENT=N` as (event id, index from 0)."""
    event, sep, number = text.partition("=")
    if not sep or not event.strip() or not number.strip().isdigit() or int(number) < 1:
        raise CliError(f"--choose takes EVENT=N, N a choice from 1, not '{_name(text)}'")
    return event.strip(), int(number) - 1


def _screen_move(turn: Turn) -> Move | None:
    """The seat's move made in the terminal game; None if the player left without one."""
    game, seat = turn.game, turn.seat
    if not _interactive():
        raise CliError(
            "the game needs a terminal: run airace in a terminal window, or make the move "
            "with --advisor, or --orders and --choose"
        )
    from game.saves.duel import Move, MoveChoice
    from game.tui.duel import MoveApp

    app = MoveApp(game, seat)
    _run_app(app)
    if app.orders is None:
        return None
    record = game.records[-1]
    # The player's choices are recorded without a seat, every other seat's with its own.
    mine = None if seat == game.state.player else seat
    choices = [
        MoveChoice(event=e, choice=i)
        for k, (e, i) in enumerate(record.choices)
        if record.seat_of.get(k) == mine
    ]
    return Move(choices=choices, orders=app.orders)


def _watch(name: str) -> ScenarioWatch:
    """The scenario file `play --watch` follows, looked at before it is loaded.

    A shipped scenario is refused: its file is the game's own, not one to edit.
    """
    from game.tui.watch import ScenarioWatch

    path = Path(name)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):
        is_file = False
    looks = "/" in name or os.sep in name or name.endswith((".yaml", ".yml"))
    if not is_file and not looks:
        _load(name)  # an unknown id is said as such
        raise CliError(
            f"--watch follows a scenario file you edit, and '{_name(name)}' is a shipped "
            "scenario: give your own file, as in --scenario my-scenario.yaml ('airace "
            "scenario new NAME' writes one that extends it)"
        )
    return ScenarioWatch(path)


def cmd_title(args: argparse.Namespace, out: IO[str]) -> int:
    """`airace` alone: the title screen in a terminal, the commands otherwise."""
    if not _interactive():
        build_parser().print_help(out)
        return 0
    from game.tui.app import AIRaceApp

    return _run_app(AIRaceApp())


def _interactive() -> bool:
    # A driver named in the environment draws the game without a terminal:
    # `airace serve` runs each tab's game with Textual's web driver, over pipes.
    return bool(os.environ.get("TEXTUAL_DRIVER")) or (sys.stdin.isatty() and sys.stdout.isatty())


def _run_app(app: Any) -> int:
    if not _interactive():
        raise CliError("the game needs a terminal: run airace in a terminal window, not a pipe")
    app.run()
    # Textual ends the app on an unhandled exception; the app keeps it (and
    # the game on screen) for this shell to report like any other bug.
    if app.crashed is not None:
        error, game = app.crashed
        raise_crash(error, _playing(game))
    code = app.return_code
    return code if isinstance(code, int) else 0


def _playing(game: Game | None) -> Context:
    """What the terminal game was doing: playing a game, or showing its menus."""
    if game is None:
        return Context("showing the menus")
    return Context(
        "playing", scenario=game.book.scenario.meta.id, seed=game.seed, turn=game.state.turn
    )


# --- serve ----------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace, out: IO[str]) -> int:
    """Serve the game to web browsers until Ctrl+C; say where, and who can reach it."""
    from game.paths import user_data_dir
    from game.saves.store import saves_dir
    from game.web import server as web

    try:
        sock = web.bind(args.host, args.port)
    except web.BindError as e:
        raise CliError(str(e), EXIT_INVALID) from None
    port = sock.getsockname()[1]
    # Every tab's game is a process of its own that inherits this environment:
    # the same data folder, whatever it was given as; and no terminal colours,
    # since a browser's page is not this terminal.
    os.environ["AIRACE_HOME"] = str(user_data_dir().absolute())
    os.environ.pop("COLORFGBG", None)
    loopback = web.is_loopback(args.host)
    server = web.GameServer(web.game_command(), loopback=loopback, background=web.background())
    saves = saves_dir().absolute()
    url = web.url_of(args.host, port)

    def say_where() -> None:  # once Ctrl+C stops the server cleanly
        print(f"Open {url} in a web browser to play: each tab plays its own game.", file=out)
        if not loopback:
            what = "every address of this computer" if web.is_wildcard(args.host) else args.host
            print(
                f"{PROG}: warning: listening on {what}: anyone who can reach port {port} can "
                f"play and write saves in {saves}",
                file=sys.stderr,
            )
        print(f"Saves go to {saves}. Press Ctrl+C to stop.", file=out, flush=True)

    try:
        server.serve_on(sock, ready=say_where)
    finally:
        sock.close()
    if out.isatty():
        print(file=out)  # a line of its own, after the terminal's ^C
    print("Stopped.", file=out)
    return 0


# --- saves ----------------------------------------------------------------------


def _save_path(name: str) -> Path:
    """A save named on the command line: a file, or a save's name in the saves folder."""
    from game.saves.errors import SaveError
    from game.saves.store import find_save

    try:
        return find_save(name)
    except SaveError as e:
        raise CliError(_said(e), EXIT_INVALID) from None


def _read_save_bytes(path: Path) -> bytes:
    """A save's bytes (a play-by-file game's too), refused in one sentence if unreadable."""
    from game.files import NotAFile, TooLarge, read_limited
    from game.saves.codec import MAX_BYTES

    try:
        return read_limited(path, MAX_BYTES)
    except TooLarge:
        raise CliError(f"{_shown(path)}: the file is larger than any save", EXIT_INVALID) from None
    except NotAFile:
        raise CliError(f"{_shown(path)}: it is not a file", EXIT_INVALID) from None
    except OSError as e:
        raise CliError(
            f"{_shown(path)}: it cannot be read ({e.strerror or e})", EXIT_INVALID
        ) from None


def _load_save(path: Path) -> tuple[Save, Game]:
    """Read a save (or a play-by-file game's) and replay its game; one sentence if either fails."""
    from game.saves.codec import load_game
    from game.saves.duel import duel_save, is_duel, read_duel
    from game.saves.errors import SaveError

    try:
        if path.is_file():
            data = _read_save_bytes(path)
            if is_duel(data):
                return duel_save(read_duel(data))
        return load_game(path)
    except SaveError as e:
        raise CliError(f"{_shown(path)}: {_said(e)}", EXIT_INVALID) from None
    except Exception as e:
        raise_crash(e, Context("loading the save", path=_shown(path)))


def _said(error: Exception) -> str:
    """An error's message as one line of plain text (a save's names are anyone's words)."""
    from game.fmt import one_line

    return one_line(str(error))


def cmd_resume(args: argparse.Namespace, out: IO[str]) -> int:
    """Load a save (the latest unfinished game by default) and go on playing it."""
    from game.saves.store import latest_unfinished, saves_dir

    if args.save is None:
        latest = latest_unfinished()
        if latest is None:
            raise CliError(
                f"there is no unfinished game to resume in {_shown(saves_dir())}; "
                "'airace play' starts one",
                EXIT_INVALID,
            )
        path = latest.path
    else:
        path = _save_path(args.save)
    data = _read_save_bytes(path)
    from game.saves.duel import is_duel

    if is_duel(data):
        return _resume_by_file(path, data, args, out)
    if _headless(args):
        raise CliError(
            "--orders, --choose and --advisor make a move in a play-by-file game, and "
            f"{_shown(path)} is a save of a game played on one computer",
            EXIT_INVALID,
        )
    save, game = _load_save(path)
    if game.over:
        raise CliError(
            f"{_shown(path)}: that game is over; 'airace replay' shows it turn by turn",
            EXIT_INVALID,
        )
    if not game.seats:
        raise CliError(
            f"{_shown(path)}: computers played every seat of that game; 'airace replay' shows it",
            EXIT_INVALID,
        )
    from game.saves.store import play_on
    from game.tui.app import AIRaceApp

    # A game of several seats plays on in hot-seat: its people at this terminal.
    return _run_app(AIRaceApp(play_on(path, save, game), hotseat=len(game.seats) > 1))


def cmd_replay(args: argparse.Namespace, out: IO[str]) -> int:
    """Verify a save, tell it as a story, or open it in the replay viewer."""
    path = _save_path(args.save)
    save, game = _load_save(path)
    if args.verify:
        played = sum(1 for t in save.turns if t.digest)
        state = "over" if game.over else f"at turn {game.state.turn}"
        print(
            f"ok: {_shown(path)} replays to the recorded state after each of its "
            f"{played} turns (the game is {state})",
            file=out,
        )
        return 0
    if args.chronicle:
        from game.saves.chronicle import chronicle

        out.write(chronicle(save, game))
        return 0
    return open_replay_viewer(save, game, path)


def open_replay_viewer(save: Save, game: Game, path: Path) -> int:
    """Show a loaded, verified save in the terminal's replay viewer; return the exit code."""
    from game.tui.app import AIRaceApp

    return _run_app(AIRaceApp(replay=(game, path)))


# --- entry point ------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run `airace` with `argv` (default: the process's arguments); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv:
            args = build_parser().parse_args(argv)
            run = getattr(args, "run", None) or cmd_title
            if getattr(args, "data_dir", None) is not None:
                # Everything that finds the user's folder (saves, crash
                # reports, the simulator's workers) reads it from here.
                os.environ["AIRACE_HOME"] = os.path.abspath(args.data_dir)
        else:  # `airace` alone: straight to the title screen, before any heavy import
            args, run = argparse.Namespace(), cmd_title
        code: int = run(args, sys.stdout)
        sys.stdout.flush()  # a closed pipe must fail here, inside the guard
        return code
    except CliError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return e.code
    except SystemExit as e:  # --help and --version end the parse early
        return e.code if isinstance(e.code, int) else 0
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`airace scenario schema | head`): stop quietly,
        # and point stdout at nothing so the exit-time flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_INVALID
    except Exception as e:  # the last resort: a bug must not show as a traceback
        if os.environ.get("AIRACE_DEBUG"):
            raise
        return _internal_error(e, argv)


def _internal_error(error: Exception, argv: list[str]) -> int:
    """Say in one sentence what failed, write the crash report, and exit with EXIT_INTERNAL."""
    from game.crash import report

    # Commands that know what they were doing raise a Crash that says so;
    # anything else is placed by the command line alone.
    words = [a for a in argv[:2] if not a.startswith("-")]
    here = Context(f"running '{' '.join([PROG, *(_name(w) for w in words)])}'")
    try:
        message = report(error, here, argv)
    except Exception:  # the last of last resorts: the report itself failed
        message = f"internal error: {type(error).__name__}"
    print(f"{PROG}: {message}", file=sys.stderr)
    return EXIT_INTERNAL
