"""The JSON Schema shipped in assets/ is the one the scenario models give today."""

from __future__ import annotations

import json
from pathlib import Path

from game.cli import scenario_schema

ASSET = Path(__file__).resolve().parents[2] / "assets" / "scenario.schema.json"


def test_the_shipped_schema_matches_the_models() -> None:
    shipped = json.loads(ASSET.read_text(encoding="utf-8"))
    assert shipped == scenario_schema(), (
        "assets/scenario.schema.json is stale: run "
        "'airace scenario schema > assets/scenario.schema.json'"
    )
