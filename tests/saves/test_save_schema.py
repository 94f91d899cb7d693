"""The save's JSON Schema shipped in assets/ is the one the save models give today."""

from __future__ import annotations

import json
from pathlib import Path

from game.saves.model import save_schema

ASSET = Path(__file__).resolve().parents[2] / "assets" / "save.schema.json"


def test_the_shipped_save_schema_matches_the_models() -> None:
    shipped = json.loads(ASSET.read_text(encoding="utf-8"))
    assert shipped == save_schema(), (
        "assets/save.schema.json is stale: run "
        "'python -m game.saves.model > assets/save.schema.json'"
    )
