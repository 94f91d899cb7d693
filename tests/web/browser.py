"""The game served to a real browser: `airace serve` in a subprocess, its page in Chromium.

`serving` starts the server on a free port with its own data folder and
kills it, and every game it started, however the test ends. `Terminal`
reads the page: textual-serve draws the game with xterm.js on a canvas, so
the text is read from the terminal's own buffer, which an init script
catches as textual.js makes the terminal. Waits are on conditions in the
page, with timeouts; nothing sleeps.

Used by tests/web/test_serve.py and benchmarks/browser_turn.py. Chromium is
Debian's (`/usr/bin/chromium`, or $AIRACE_CHROMIUM), driven by Playwright;
`browser_or_none` says why either is missing.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 60  # for the server to say where it listens
WAIT_MS = 30_000  # for anything the page should show

# Chromium as root in a sandbox with no network: no sandbox of its own, and
# nothing in the background that would try to reach the network.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# textual.js keeps its xterm.js Terminal to itself, in `this.terminal`: a
# setter on Object.prototype catches it as it is assigned (and then gets out
# of the way). The rest reads the screen as text, row by row.
HOOK = """
(() => {
  const found = [];
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "terminal", {
        value, writable: true, configurable: true, enumerable: true,
      });
      if (value && value.buffer && value.rows) found.push(value);
    },
  });
  const rows = () => {
    const t = found[0];
    if (!t) return [];
    const b = t.buffer.active;
    const out = [];
    for (let i = 0; i < t.rows; i++) {
      const line = b.getLine(b.viewportY + i);
      out.push(line ? line.translateToString(true) : "");
    }
    return out;
  };
  window.__airace = {
    found,
    rows,
    text: () => rows().join("\\n"),
    footer: () => rows().filter((r) => r.trim()).slice(-1)[0] || "",
    // The title of the event asking for a choice, if one is: the row under its heading.
    asking: () => {
      const all = rows();
      const at = all.findIndex((r) => r.includes("needs your choice"));
      if (at < 0) return null;
      const left = all[at].indexOf("█");  // the box's left edge; the dashboard shows beside it
      const right = all[at + 1].indexOf("█", left + 1);
      return all[at + 1].slice(left + 1, right < 0 ? undefined : right).trim();
    },
    // The middle of the first cell showing `text`, in the page's pixels.
    cell: (text) => {
      const t = found[0];
      const all = rows();
      const row = all.findIndex((r) => r.includes(text));
      if (!t || row < 0) return null;
      const box = t.element.querySelector(".xterm-screen").getBoundingClientRect();
      const col = all[row].indexOf(text);
      return {
        x: box.left + (col + 0.5) * (box.width / t.cols),
        y: box.top + (row + 0.5) * (box.height / t.rows),
      };
    },
  };
})();
"""


def chromium() -> str | None:
    found = os.environ.get("AIRACE_CHROMIUM") or shutil.which("chromium")
    return found if found and Path(found).exists() else None


def browser_or_none() -> tuple[Any, str] | str:
    """Playwright's `sync_playwright` and Chromium's path, or why they are missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    path = chromium()
    if path is None:
        return "Chromium is not installed (apt-get install chromium), so no browser test"
    return sync_playwright, path


@dataclass
class Server:
    """A running `airace serve`: its process (leading a process group) and its URL."""

    process: subprocess.Popen[bytes]
    url: str
    said: list[str] = field(default_factory=list)  # stdout's lines so far

    def stop(self, timeout: float = 30) -> int:
        """Ctrl+C, as in a terminal; the exit code once it has stopped."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=timeout)
        assert self.process.stdout is not None
        rest = self.process.stdout.read().decode("utf-8", "replace")
        self.said += rest.splitlines()
        return code

    def live_games(self) -> list[int]:
        """The processes still running in the server's process group (Linux: from /proc)."""
        alive = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after it.
            state, _ppid, group = stat.rsplit(")", 1)[1].split()[:3]
            if int(group) == self.process.pid and state != "Z":
                alive.append(int(entry.name))
        return alive


def _read_line(process: subprocess.Popen[bytes], deadline: float) -> str:
    """One line of the process's stdout, or AssertionError at the deadline or its exit."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    got = b""
    while not got.endswith(b"\n"):
        left = deadline - time.monotonic()
        assert left > 0, f"airace serve said nothing in time (so far: {got!r})"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1)
            if not chunk:
                assert process.stderr is not None
                error = process.stderr.read().decode("utf-8", "replace")
                raise AssertionError(f"airace serve ended: {got!r} {error}")
            got += chunk
    return got.decode("utf-8", "replace").rstrip("\n")


@contextmanager
def serving(home: Path, *args: str) -> Iterator[Server]:
    """`airace serve --port 0 ARGS` with `home` as its data folder, until the block ends.

    The server leads a process group of its own, and the games it starts are
    in it, so the whole group is killed at the end, whatever happened.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("AIRACE_DEBUG", "COLORFGBG")}
    env["AIRACE_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", "0", *args],
        cwd=home,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
        start_new_session=True,
    )
    try:
        first = _read_line(process, time.monotonic() + START_SECONDS)
        match = re.search(r"http://\S+", first)
        assert match, f"no address in {first!r}"
        yield Server(process, match[0], [first])
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


class Terminal:
    """The game's screen in a page: its text, and waits on it."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def text(self) -> str:
        return str(self.page.evaluate("window.__airace.text()"))

    def header(self) -> str:
        return str(self.page.evaluate("window.__airace.rows()[0] || ''"))

    def wait_for(self, condition: str, arg: object = None, timeout: float = WAIT_MS) -> None:
        """Wait until the JavaScript `condition` (a function of `arg`) is true in the page."""
        try:
            self.page.wait_for_function(
                f"(arg) => window.__airace && ({condition})", arg=arg, timeout=timeout
            )
        except Exception as e:
            raise AssertionError(
                f"waited for {condition} ({arg!r}); the page:\n{self.text()}"
            ) from e

    def shows(self, text: str) -> None:
        self.wait_for("window.__airace.text().includes(arg)", text)

    def click(self, text: str) -> None:
        """Click the first cell showing `text`."""
        self.shows(text)
        at = self.page.evaluate("(text) => window.__airace.cell(text)", text)
        self.page.mouse.click(at["x"], at["y"])


def open_game(browser: Any, url: str, size: tuple[int, int] = (1280, 800)) -> Terminal:
    """A new tab on `url` with the terminal caught, once the title screen shows."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.add_init_script(HOOK)
    page.goto(url)
    terminal = Terminal(page)
    terminal.shows("Load game")
    return terminal


def new_game(terminal: Terminal, seed: int) -> None:
    """From the title screen to the dashboard: the default scenario and side, and `seed`.

    Keys go one at a time, each after the screen shows it is ready for it:
    a key that comes while focus is moving would go to the widget it leaves.
    """
    terminal.page.keyboard.press("Enter")  # New game, the first item
    # The lists fill after the screen first shows, moving the seed box down:
    # it is clicked once the last of them, the difficulties, is there.
    terminal.shows("1 Scenario")
    terminal.shows("Hard")
    terminal.click("random")  # the seed box
    terminal.wait_for("!window.__airace.footer().includes('1-3')")  # digits go in the box
    terminal.page.keyboard.type(str(seed))
    terminal.wait_for("!window.__airace.text().includes('random')")
    terminal.page.keyboard.press("Enter")
    terminal.shows("Turn 1 of")


def answer(terminal: Terminal, asked: list[tuple[str, str]]) -> None:
    """Answer with key 1 the events that ask for a choice, as (title, first choice) in order,
    then wait until the dashboard takes `e`.

    The dashboard is ready once its news says the last choice was made: it
    draws that in the same step as it lets `e` end the quarter, while a frame
    drawn between one event and the next could show it idle, but not ready.
    """
    for title, _label in asked:
        terminal.wait_for("window.__airace.asking() === arg", title)
        terminal.page.keyboard.press("1")
    if asked:
        chose = f"You chose '{asked[-1][1]}'"
        terminal.wait_for(
            "window.__airace.asking() === null && window.__airace.text().includes(arg)", chose
        )
