"""A saved game as a Markdown story: every quarter, the orders, the events and choices, the end."""

from __future__ import annotations

import re
from pathlib import Path

from game.engine.game import Game
from game.engine.happenings import ChoiceMade
from game.engine.rulebook import Rulebook
from game.saves.chronicle import chronicle, md
from game.saves.codec import load_game
from game.scenario.loader import load_scenario
from tests.saves.helpers import answer, person_game, write


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


# An event for every US lab whose title and choices name the lab.
PER_LAB = """\
extends: base
meta: {id: per-lab, name: Per lab}
events:
  - id: liaison
    title: "{lab} pulls its people out"
    who: us
    earliest: 1
    latest: 1
    choices:
      - label: "{lab_short} charters a flight"
      - label: "{lab_short} leaves them"
"""


def test_an_event_that_names_each_lab_is_told_once_for_each_lab(tmp_path: Path) -> None:
    path = tmp_path / "per-lab.yaml"
    path.write_text(PER_LAB, encoding="utf-8")
    game = Game(Rulebook(load_scenario(path)), "us", 3, difficulty=None)
    answer(game, 0)
    game.submit(game.suggested_orders())
    game.end_turn()
    save, loaded = load_game(write(game, tmp_path / "g.json"))
    text = chronicle(save, loaded)
    assert "- **Prometheus AI pulls its people out**\n  - You chose: *Prometheus charters" in text
    us_rivals = [
        lab for lab in game.state.labs.values() if lab.faction == "us" and not lab.is_player
    ]
    assert us_rivals
    for lab in us_rivals:
        heading = f"- {md(lab.name)} pulls its people out (for {md(lab.short or lab.name)})\n"
        assert heading in text
        told = text.split(heading, 1)[1].split("\n- ", 1)[0]
        assert told.startswith(
            f"  - {md(lab.short or lab.name)} chose: *{md(lab.short or lab.name)}"
        )
        assert told.count(" chose: ") == 1
