"""A scenario written by a stranger: every text field holds markup, links and Markdown.

Built in a test's tmp_path as a file that `extends: base`, so it goes through
the real loader. Each field's text starts with `[/]` (Textual markup would
fail on it) and carries an action link, a Rich link and a Markdown link; a
few fields instead open with an action link that covers their first words,
so a click there would run it if the text were ever read as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from game.engine.game import Game
from game.engine.rulebook import Rulebook
from game.scenario.loader import ScenarioInfo, load_scenario
from game.scenario.models import Scenario
from tests.tui.helpers import book

EVIL = "https://evil.example/"


def nasty(what: str) -> str:
    """A field's text: `what`, wrapped in everything that must stay mere text."""
    return f"[/]{what} [@click=app.bell()]ring[/] [b]b[/b] [link={EVIL}]l[/link] [m]({EVIL}) **m**"


def named(what: str, limit: int = 80) -> str:
    """A name's or title's text: markup and links too, within the length it may have."""
    text = f"[/]{what} [@click=app.bell()]r[/] [link={EVIL}]l[/link]"
    assert len(text) <= limit, text
    return text


def clicky(what: str) -> str:
    """Text that is one big action link if read as markup (it rings the bell)."""
    return f"[@click=app.bell()]{what}: a click anywhere here rings the bell.[/]"


SCENARIO_NAME = "[/]Hostile [@click=app.quit()]quit[/] [b]"
# Short names are at most 12 characters: brackets only.
SHORTS = {"us": "[/]Us[b]", "china": "[/]Cn[i]"}
CHIP_NAME = "[/]H100 [@click=app.bell()]x[/]"  # the player's starting chip
POWER_NAME = "[/]Grid [link=https://evil.example/]l[/link]"
PLAYER_EVENT_TEXT = "Linked event text"
GLOSSARY_LINK = f"[Read more]({EVIL}) [@click=app.bell()]or ring[/]"


def document(screenshot_dir: Path) -> dict[str, Any]:
    """The scenario as YAML data; an event's text would save a screenshot in `screenshot_dir`."""
    base = book("base").scenario
    save = f"[@click=app.screenshot('x.svg','{screenshot_dir}')]"
    factions: dict[str, Any] = {
        f: {
            "name": named(f"side {f}"),
            "description": nasty(f"about side {f}"),
            "backing_label": named("backing"),
            "lab": {"name": named(f"lab {f}"), "short": SHORTS[f]},
        }
        for f in base.factions
    }
    rivals = {
        rid: {"name": named(f"rival {rid}"), "short": f"[/]R{n}[b]"}
        for n, rid in enumerate(base.rivals)
    }
    chips = {cid: {"name": named(cid)} for cid in base.chips}
    chips["h100"] = {"name": CHIP_NAME}
    power = {pid: {"name": named(f"power {pid}")} for pid in base.power}
    power["grid"] = {"name": POWER_NAME}

    def choices(who: str) -> list[dict[str, Any]]:
        return [
            {
                "label": f"[/]{who} pick {n} [@click=app.bell()]x[/]",
                "preview": nasty(f"{who} preview {n}"),
                "ai_weight": 1,
                "effects": [{"news": nasty(f"{who} news {n}")}],
            }
            for n in (1, 2)
        ]

    events: list[dict[str, Any]] = [{"id": ev.id, "remove": True} for ev in base.events]
    events += [
        {
            "id": "hostile_player",
            "title": named("player event title", 120),
            "text": f"{save}{PLAYER_EVENT_TEXT}: a click anywhere here saves a file.[/]",
            "source": nasty("player event source"),
            "who": "player",
            "latest": 1,
            "once": True,
            "effects": [{"news": nasty("player event news")}],
            "choices": choices("player"),
        },
        {
            "id": "hostile_world",
            "title": named("world event title", 120),
            "text": clicky("World event"),
            "source": nasty("world event source"),
            "who": "world",
            "latest": 1,
            "once": True,
            "choices": choices("world"),
        },
        {
            "id": "hostile_rivals",
            "title": named("rival event title", 120),
            "text": clicky("Rival event"),
            "who": "ai",
            "latest": 1,
            "once": True,
            "choices": choices("rival"),
        },
    ]
    return {
        "extends": "base",
        "meta": {
            "id": "hostile",
            "name": SCENARIO_NAME,
            "description": clicky("Scenario description") + " " + nasty("description"),
        },
        "turns": 8,
        "factions": factions,
        "rivals": rivals,
        "chips": chips,
        "power": power,
        "events": events,
        # Glossaries merge by term: drop the inherited entries, so that only these show.
        "glossary": [
            *({"term": g.term, "remove": True} for g in base.glossary),
            {"term": named("term"), "text": GLOSSARY_LINK, "source": nasty("glossary source")},
            {"term": "[/]Second", "text": nasty("glossary text")},
        ],
        "difficulties": {
            key: {"name": f"[/]{key} [@click=app.bell()]x[/]", "description": nasty(key)}
            for key in base.difficulties
        },
    }


def linked_document(folder: Path) -> dict[str, Any]:
    """Links and nothing else: well-formed markup, so only the links could do harm."""
    full = document(folder)
    player, _world, rivals = full["events"][-3:]
    for event in (player, rivals):
        event["title"] = "A linked event"
        event.pop("source", None)
        event["effects"] = []
        for n, choice in enumerate(event["choices"], 1):
            choice.update(label=f"Pick {n}", preview=f"Preview {n}", effects=[])
    return {
        "extends": "base",
        "meta": {"id": "linked", "name": "Linked"},
        "events": [*full["events"][:-3], player, rivals],
        "glossary": [*full["glossary"][:-2], {"term": "Term", "text": GLOSSARY_LINK}],
    }


def write(folder: Path, *, links_only: bool = False) -> Path:
    """The scenario file in `folder`; its event link points a screenshot at `folder` too."""
    path = folder / "hostile.yaml"
    data = linked_document(folder) if links_only else document(folder)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def load(folder: Path, *, links_only: bool = False) -> tuple[Scenario, ScenarioInfo]:
    path = write(folder, links_only=links_only)
    scenario = load_scenario(path)
    info = ScenarioInfo(
        scenario.meta.id,
        scenario.meta.name,
        scenario.turns,
        scenario.meta.description,
        path,
        tuple(scenario.factions),
    )
    return scenario, info


def game(folder: Path, *, links_only: bool = False) -> Game:
    scenario, _ = load(folder, links_only=links_only)
    return Game(Rulebook(scenario), "us", 1, difficulty="normal")
