"""When airace itself fails: one sentence for the user, the whole story in a crash report.

A traceback is a bug, and a user who meets one should be able to report it.
The shell (the command line, around the simulator and the terminal game)
catches it as a `Crash` that says what was being done: the scenario, the
seed, the turn and the event being applied, when they are known. The user
sees one sentence; the traceback, with what is needed to reproduce the crash,
goes to a file in the user's data folder (`crashes/`), whose path the
sentence gives.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import NoReturn

from game import __version__

# The command line imports this module on every start; the tools a crash
# report needs (platform, tempfile, traceback...) load when one is written.

# The note the engine adds to an exception escaping an event's effects.
_EVENT_NOTE = re.compile(r"while applying event '(?P<id>.*)' to .+", re.DOTALL)
NAME_WIDTH = 60  # names in the sentence are cut to this
ERROR_WIDTH = 200  # and the error's own message to this


@dataclass(frozen=True, slots=True)
class Context:
    """What airace was doing when it failed; any part may be unknown."""

    doing: str = "running"  # what reads after "while": playing, simulating, validating
    scenario: str | None = None  # the scenario id
    path: str | None = None  # the scenario file
    seed: int | None = None  # the game's seed
    turn: int | None = None
    event: str | None = None  # the engine's note: "while applying event 'x' to lab"

    def filled(self, more: Context) -> Context:
        """This context, with what it does not know taken from `more`."""
        return replace(
            self,
            **{
                f.name: getattr(more, f.name)
                for f in fields(self)
                if getattr(self, f.name) is None and f.name != "doing"
            },
        )


class Crash(Exception):
    """A bug, caught with its context; the traceback is text, so a crash pickles between
    processes (the simulator's workers)."""

    def __init__(self, context: Context, error: str, trace: str) -> None:
        super().__init__(context, error, trace)
        self.context = context
        self.error = error  # "TypeName: message"
        self.trace = trace

    def __str__(self) -> str:
        return self.error

    def within(self, context: Context) -> Crash:
        """This crash, told what its context did not know by `context` (an outer one)."""
        self.context = self.context.filled(context)
        self.args = (self.context, self.error, self.trace)
        return self


def event_note(error: BaseException) -> str | None:
    """The engine's note saying which event was being applied, if it added one."""
    for note in getattr(error, "__notes__", None) or []:
        if isinstance(note, str) and _EVENT_NOTE.fullmatch(note):
            return note
    return None


def raise_crash(error: BaseException, context: Context) -> NoReturn:
    """Raise `error` as a Crash in `context`, from it; a Crash goes on, told `context`."""
    if isinstance(error, Crash):
        raise error.within(context)
    raise caught(error, context) from error


def caught(error: BaseException, context: Context) -> Crash:
    """`error` as a Crash in `context` (a Crash already caught keeps its own, more exact one)."""
    if isinstance(error, Crash):
        return error.within(context)
    import traceback

    if context.event is None:
        context = replace(context, event=event_note(error))
    trace = "".join(traceback.format_exception(error))
    return Crash(context, describe(error), trace)


def describe(error: BaseException) -> str:
    """`TypeName: message`, even for an exception whose message cannot be made."""
    try:
        message = str(error)
    except Exception:
        message = "(its message cannot be shown)"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _cut(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def sentence(crash: Crash, report: Path | None, problem: str | None = None) -> str:
    """The one line the user sees: what failed, where, and where the crash report is."""
    c = crash.context
    where = f"while {c.doing}"
    if c.scenario is not None:
        where += f" scenario '{_cut(c.scenario, NAME_WIDTH)}'"
    elif c.path is not None:
        where += f" '{_cut(c.path, NAME_WIDTH * 2)}'"
    details = []
    if c.seed is not None:
        details.append(f"seed {c.seed}")
    if c.turn is not None:
        details.append(f"turn {c.turn}")
    match = _EVENT_NOTE.fullmatch(c.event) if c.event else None
    if match is not None:
        details.append(f"event '{_cut(match['id'], NAME_WIDTH)}'")
    if details:
        where += f" ({', '.join(details)})"
    if report is not None:
        after = f"the crash report is in {report}"
    else:
        after = f"no crash report could be written ({problem}); AIRACE_DEBUG=1 shows the traceback"
    return f"internal error {where}: {_cut(crash.error, ERROR_WIDTH)}; {after}"


def report_text(crash: Crash, argv: Sequence[str]) -> str:
    """The crash report: what ran, where, what it was doing, and the traceback."""
    import platform
    import shlex

    c = crash.context
    rows = [
        ("airace", __version__),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Platform", platform.platform()),
        ("Command line", shlex.join(["airace", *argv])),
        ("Time", datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")),
        ("Doing", c.doing),
        ("Scenario", c.scenario),
        ("Scenario file", c.path),
        ("Seed", c.seed),
        ("Turn", c.turn),
        ("Event", c.event),
        ("Error", crash.error),
    ]
    head = "\n".join(f"{name}: {value}" for name, value in rows if value is not None)
    return f"AI Race crash report\n\n{head}\n\n{crash.trace.rstrip()}\n"


def write_report(crash: Crash, argv: Sequence[str]) -> tuple[Path | None, str | None]:
    """Write the crash report; (its path, None), or (None, why not). Never raises."""
    problem = "unknown"
    try:
        import tempfile

        from game.files import write_atomically

        text = report_text(crash, argv)
        # Microseconds and the process id: two crashes never share a name.
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        name = f"crash-{stamp}-{os.getpid()}.txt"
    except Exception as e:  # a report about a crash must not crash
        return None, _cut(describe(e), ERROR_WIDTH)
    folders: tuple[Callable[[], str | Path], ...] = (_crashes_dir, tempfile.gettempdir)
    for folder in folders:
        try:
            path = Path(folder()) / name
            data = text.encode("utf-8", errors="replace")
            return write_atomically(path, data, mode=0o600), None
        except Exception as e:
            problem = _cut(describe(e), ERROR_WIDTH)
    return None, problem


def _crashes_dir() -> Path:
    from game.paths import user_data_dir

    return user_data_dir() / "crashes"


def report(error: BaseException, context: Context, argv: Sequence[str]) -> str:
    """Catch `error` in `context`, write its crash report, and return the sentence to show."""
    crash = caught(error, context)
    path, problem = write_report(crash, argv)
    return sentence(crash, path, problem)
