"""A saved game as a Markdown story: every quarter, the orders, the events and choices, the end."""

from __future__ import annotations

import re
from pathlib import Path

from game.engine.happenings import ChoiceMade
from game.saves.chronicle import chronicle, md
from game.saves.codec import load_game
from tests.saves.helpers import person_game, write


def test_the_story_goes_quarter_by_quarter_to_the_end(tmp_path: Path) -> None:
    game = person_game("base", "us", seed=4, turns=99)
    assert game.over
    save, loaded = load_game(write(game, tmp_path / "g.json"))
    text = chronicle(save, loaded)
    assert text.startswith("# AI Race: ")
    quarters = re.findall(r"^## (\d{4} Q\d) \(turn (\d+)\)$", text, re.M)
    played = len(game.history) - 1
    assert [int(t) for _, t in quarters] == list(range(1, played + 1))
    assert quarters[0][0] == "2025 Q1"
    assert text.count("**Orders.** ") == played
    assert text.count("**Standings.** ") == played
    chosen = [h.label for hs in game.happened for h in hs if isinstance(h, ChoiceMade)]
    assert chosen and all(md(label) in text for label in chosen)
    assert "You chose: *" in text
    assert "\n## The end\n" in text
    assert game.state.outcome is not None and md(game.state.outcome.text) in text
    assert "| # | Lab | Side | Capability |" in text


def test_a_game_in_progress_is_to_be_continued(tmp_path: Path) -> None:
    game = person_game("stargate", "china", seed=1, turns=3)
    save, loaded = load_game(write(game, tmp_path / "g.json"))
    text = chronicle(save, loaded)
    assert "## To be continued" in text
    assert "The game stands at 2025 Q4 (turn 4)." in text
    assert text.count("**Orders.** ") == 3


def test_names_from_a_save_cannot_become_links_or_markup() -> None:
    assert md("[click](https://example.com) <img src=x> a|b *x* `y`\n#z\x1b[2J") == (
        r"\[click\](https://example.com) \<img src=x> a\|b \*x\* \`y\` #z\[2J"
    )
