"""A kill at any moment of writing a save leaves a whole save behind (DESIGN.md §6).

A child process rewrites one save over and over, two games in turn, with
the same atomic write the game uses; the parent kills it with SIGKILL at
random moments (a fixed seed, so every run tries the same ones) and each
time the save on disk must load and replay as one of the two games.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.saves.codec import encode, load_game, to_save
from game.saves.store import list_saves
from tests.saves.helpers import person_game

REPO = Path(__file__).resolve().parents[2]
KILLS = 12

WRITER = """
import sys
from pathlib import Path
from game.files import write_atomically

target = Path(sys.argv[1])
saves = [Path(p).read_bytes() for p in sys.argv[2:]]
print("ready", flush=True)
n = 0
while True:
    write_atomically(target, saves[n % len(saves)])
    n += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is a POSIX signal")
def test_a_save_killed_mid_write_leaves_the_previous_one_whole(tmp_path: Path) -> None:
    games = [person_game(seed=1, turns=3), person_game(seed=2, turns=6)]
    payloads = []
    for k, game in enumerate(games):
        payload = tmp_path / f"payload-{k}.json"
        payload.write_bytes(encode(to_save(game)))
        payloads.append(str(payload))
    digests = {game.state.digest() for game in games}
    folder = tmp_path / "saves"
    folder.mkdir()
    target = folder / "game.json"
    target.write_bytes(Path(payloads[0]).read_bytes())  # the save before the first kill
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(10)
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), *payloads],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL
        child.stdout.close()
        _, loaded = load_game(target)
        assert loaded.state.digest() in digests
    # Whatever temporary files the kills left, the list shows the one save.
    assert [i.path for i in list_saves(folder)] == [target]
