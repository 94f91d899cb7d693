"""`airace serve`: the game in a web browser, one game per tab.

textual-serve does the work: its page draws a terminal with xterm.js, and
each websocket that page opens starts a process running a command (here the
game's title screen, `python -P -m game`, with Textual's web driver) and
pipes the keys and the screen between the two. This module chooses that command
and guards the door:

- The socket is bound before anything else, so an address in use or not of
  this computer is one sentence (`BindError`) and the URL printed is one that
  answers.
- A page of some other site cannot open a game: the websocket only accepts
  the page this server served (its `Origin` must be the server's own), and a
  server on the loopback address answers only to loopback names, so a
  hostile name that resolves to 127.0.0.1 (DNS rebinding) gets nothing.
- Ctrl+C (or SIGTERM) ends every tab's session: textual-serve closes its
  websocket and asks its game to quit; the server waits for the games (up to
  SHUTDOWN_SECONDS), then returns.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.server import Server, to_int

from game.tui.themes import THEMES, theme_for

TITLE = "AI Race"
TEMPLATES = Path(__file__).parent
LOOPBACK_NAMES = ("localhost", "localhost.")
# How long the games get to quit when the server stops, before it stops anyway.
SHUTDOWN_SECONDS = 5.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BindError(Exception):
    """The server cannot listen where it was asked to: one sentence saying why."""


def game_command() -> str:
    """The shell command each tab's game runs: this Python, this game, its title screen.

    `-P` keeps the working folder off the module path, so a folder named `game`
    where the server was started cannot stand in for the game; `exec` makes
    the game the process textual-serve started, so stopping it reaches the game.
    """
    if os.name == "nt":  # cmd.exe: no exec, and its own quoting
        return subprocess.list2cmdline([sys.executable, "-P", "-m", "game"])
    return f"exec {shlex.quote(sys.executable)} -P -m game"


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) is this computer only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """Whether `host` means every address of this computer (0.0.0.0, ::)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on `host` and `port` (0: a free port), or a `BindError`."""
    where = f"{host} port {port}"
    try:
        found = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (OSError, UnicodeError):  # socket.gaierror is an OSError
        raise BindError(
            f"cannot serve on {host}: it is neither an address nor a host name this computer knows"
        ) from None
    family, kind, proto, _name, address = found[0]
    sock = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":  # a port the last server left in TIME_WAIT is free to reuse
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise BindError(
                f"port {port} is in use on {host}: stop what uses it, or choose another with --port"
            ) from None
        if e.errno == errno.EACCES:
            raise BindError(
                f"not allowed to serve on {where} (ports below 1024 need an administrator): "
                "choose another with --port"
            ) from None
        if e.errno == errno.EADDRNOTAVAIL:
            raise BindError(
                f"cannot serve on {host}: it is not an address of this computer"
            ) from None
        raise BindError(f"cannot serve on {where}: {(e.strerror or str(e)).lower()}") from None
    return sock


def url_of(host: str, port: int) -> str:
    """The address to open in a browser for a server on `host` and `port`."""
    if is_wildcard(host):
        host = "localhost"  # every address answers; this one always works here
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"


class GameServer(Server):
    """textual-serve's server, serving the game from its own page, behind a guard."""

    def __init__(self, command: str, *, loopback: bool, background: str) -> None:
        super().__init__(command, title=TITLE, templates_path=TEMPLATES)
        self.loopback = loopback
        self.background = background
        self.games: set[asyncio.Task[Any]] = set()
        self.ready: Callable[[], None] = lambda: None

    def initialize_logging(self) -> None:
        """Only textual-serve's warnings and errors, one line each: no access log."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("airace serve: %(message)s"))
        logger = logging.getLogger("textual-serve")
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a request under another site's name, and a websocket from another page."""
        host = request.host
        name = host if host.endswith("]") else host.rsplit(":", 1)[0]
        if self.loopback and not is_loopback(name):
            raise web.HTTPForbidden(text=f"This server answers to localhost only, not {host}.\n")
        if request.path != "/ws":
            return await handler(request)
        origin = request.headers.get("Origin", "")
        if origin.split("://", 1)[-1] != host:
            raise web.HTTPForbidden(text="A game opens only from this server's own page.\n")
        # A tab's game lasts as long as this handler: noted, so stopping can end it.
        task = asyncio.current_task()
        assert task is not None
        self.games.add(task)
        try:
            return await handler(request)
        finally:
            self.games.discard(task)

    async def on_startup(self, app: web.Application) -> None:
        """Ready, and Ctrl+C stops it cleanly from now on: time to say where to go."""
        self.ready()

    async def on_shutdown(self, app: web.Application) -> None:
        """End every tab's game: textual-serve then closes its websocket and asks the game
        to quit, and the server waits for them (up to SHUTDOWN_SECONDS)."""
        for task in list(self.games):
            task.cancel()

    @aiohttp_jinja2.template("index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        return {
            "title": TITLE,
            "font_size": max(6, min(48, to_int(request.query.get("fontsize", "16"), 16))),
            "background": self.background,
        }

    def serve_on(self, sock: socket.socket, ready: Callable[[], None]) -> None:
        """Serve on a bound socket until SIGINT or SIGTERM; the games end first.

        `ready` is called once Ctrl+C stops the server cleanly, before the first
        request is answered (requests wait on the socket until then).
        """
        self.ready = ready
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self.request_exit)
            except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C is KeyboardInterrupt
                pass
        try:
            web.run_app(
                self._make_app(),
                sock=sock,
                handle_signals=False,
                loop=loop,
                print=None,
                access_log=None,
                shutdown_timeout=SHUTDOWN_SECONDS,
            )
        except (GracefulExit, KeyboardInterrupt):
            pass


def background() -> str:
    """The page's colour behind the terminal: the game's theme's background."""
    name = theme_for(os.environ)
    return next(t.background for t in THEMES if t.name == name) or "#000000"
