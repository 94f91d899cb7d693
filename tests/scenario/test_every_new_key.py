"""The file that uses every key the format gained validates, lints clean and plays to the end.

The same file is opened in a real editor client (tests/editor), so what the
guide teaches is accepted by both the game and the editor's schema.
"""

from __future__ import annotations

from pathlib import Path

from game.cli import main

FILE = Path(__file__).parents[1] / "editor" / "cases" / "new_keys.yaml"


def test_every_new_key_validates_lints_clean_and_plays(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["scenario", "validate", str(FILE)]) == 0
    assert main(["scenario", "lint", "--strict", str(FILE)]) == 0
    assert main(["simulate", "--scenario", str(FILE), "--games", "20", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "no warnings" in out
    for event in ("ban_all", "audit", "summit"):
        assert event in out
