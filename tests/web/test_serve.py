"""`airace serve`: the game in a real browser, one game per tab, and a server that says no.

The browser test drives Debian's Chromium with Playwright (see
tests/web/browser.py) and is skipped, saying why, where either is missing.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from game.cli import main
from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.scenario.loader import load_scenario
from game.web import server as web
from tests.web.browser import FLAGS, answer, browser_or_none, new_game, open_game, serving

SEED = 7


def asking_first(seed: int) -> list[tuple[str, str]]:
    """The events that ask the player first in the game the browser starts (the default
    scenario and side: base, the US, normal), as the engine alone plays it: each one's
    title and first choice."""
    game = Game(Rulebook(load_scenario("base")), "us", seed, difficulty="normal")
    events = [game.book.event[event] for event, _lab in game.pending]
    return [(event.title, event.choices[0].label) for event in events]


def test_a_turn_in_a_real_browser(own_data_dir: Path) -> None:
    found = browser_or_none()
    if isinstance(found, str):
        pytest.skip(found)
    sync_playwright, chromium = found
    with serving(own_data_dir) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        try:
            tab = open_game(browser, server.url)
            problems: list[str] = []
            tab.page.on("pageerror", lambda e: problems.append(str(e)))
            new_game(tab, SEED)
            assert "2025 Q1" in tab.header() and "Turn 1 of 24" in tab.header()
            answer(tab, asking_first(SEED))

            tab.page.keyboard.press("e")
            tab.shows("Report for 2025 Q1 (turn 1)")  # the quarter's report, first
            # The quarter was saved in the server's data folder.
            (save,) = (own_data_dir / "saves").glob("autosave-*.json")
            recorded = json.loads(save.read_text())
            assert (recorded["seed"], len(recorded["turns"])) == (SEED, 2)

            # Another tab is another game: at the title screen, which offers to go on
            # with the game the first tab is playing, from its save.
            other = open_game(browser, server.url)
            other.shows("Continue")
            tab.page.bring_to_front()
            tab.page.keyboard.press("Escape")  # the report closes on the new quarter
            tab.wait_for("window.__airace.rows()[0].includes(arg)", "Turn 2 of 24")
            assert "2025 Q2" in tab.header()

            # Ctrl+C: the server stops, and with it every game; the pages say so.
            assert server.stop() == 0
            assert server.said[-1] == "Stopped."
            for page in (tab, other):
                page.wait_for("document.body.classList.contains('-closed')")
            assert server.live_games() == []
            assert problems == []
        finally:
            browser.close()


def test_serve_says_where_to_go_and_warns_when_anyone_can_play(own_data_dir: Path) -> None:
    with serving(own_data_dir, "--host", "0.0.0.0") as server:
        assert server.url.startswith("http://localhost:")
        assert server.stop() == 0
        assert server.process.stderr is not None
        warning = server.process.stderr.read().decode()
    assert server.said[0].startswith("Open http://localhost:")
    assert server.said[0].endswith("in a web browser to play: each tab plays its own game.")
    assert server.said[1] == f"Saves go to {own_data_dir / 'saves'}. Press Ctrl+C to stop."
    (line,) = warning.splitlines()
    assert line.startswith("airace: warning: listening on every address of this computer: ")
    assert f"anyone who can reach port {urlsplit(server.url).port} can play" in line


def _ask(url: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        if response.status == 101:  # a websocket, open: closing the connection ends it
            return response.status, ""
        return response.status, response.read().decode()
    finally:
        connection.close()


UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def test_the_server_opens_games_only_for_its_own_page(own_data_dir: Path) -> None:
    with serving(own_data_dir) as server:
        own = urlsplit(server.url).netloc
        status, page = _ask(server.url, "/", {})
        assert status == 200
        assert "<title>AI Race</title>" in page
        assert "https://" not in page and "http://" not in page  # nothing from elsewhere
        # A name that is not this computer's (DNS rebinding) gets nothing.
        status, said = _ask(server.url, "/", {"Host": "evil.example:8000"})
        assert status == 403 and "localhost only" in said
        # Another site's page cannot open a game over the websocket.
        status, said = _ask(server.url, "/ws", {**UPGRADE, "Origin": "http://evil.example"})
        assert status == 403 and "own page" in said
        status, _ = _ask(server.url, "/ws", UPGRADE)  # no Origin: not from a page at all
        assert status == 403
        status, _ = _ask(server.url, "/ws", {**UPGRADE, "Origin": f"http://{own}"})
        assert status == 101
        assert server.stop() == 0


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--port", "65536"], 2, "the port must be from 1 to 65535 (or 0 for a free one), not "),
        (["--port", "-1"], 2, "the port must be from 1 to 65535"),
        (["--port", "eighty"], 2, "the port must be a whole number, not 'eighty'"),
        (["--host", " "], 2, "the host must be an address or a name, not empty"),
        (["--host", "no such host"], 1, "cannot serve on no such host: it is neither"),
        (
            ["--host", "192.0.2.1"],
            1,
            "cannot serve on 192.0.2.1: it is not an address of this computer",
        ),
    ],
)
def test_bad_input_is_one_sentence(
    args: list[str], code: int, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *args]) == code
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"airace: error: argument {args[0]}: {said}") or err.startswith(
        f"airace: error: {said}"
    )
    assert len(err.splitlines()) == 1


def test_a_port_in_use_is_one_sentence(busy_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", str(busy_port)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"airace: error: port {busy_port} is in use on 127.0.0.1: stop what uses it, or choose "
        "another with --port\n"
    )


@pytest.mark.parametrize(
    ("host", "url", "loopback"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000", True),
        ("localhost", "http://localhost:8000", True),
        ("::1", "http://[::1]:8000", True),
        ("[::1]", "http://[::1]:8000", True),
        ("0.0.0.0", "http://localhost:8000", False),
        ("::", "http://localhost:8000", False),
        ("192.168.1.5", "http://192.168.1.5:8000", False),
        ("game.example", "http://game.example:8000", False),
    ],
)
def test_where_to_go_and_who_may_come(host: str, url: str, loopback: bool) -> None:
    assert web.url_of(host, 8000) == url
    assert web.is_loopback(host) is loopback
