"""The authoring guide names every expression field and every error code the program knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.fields import LAB_READ, LAB_WRITE, WORLD_READ, WORLD_WRITE
from game.scenario.errors import CODES

GUIDE = (Path(__file__).resolve().parents[2] / "scenarios" / "GUIDE.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(LAB_READ))
def test_every_lab_field_is_documented(name: str) -> None:
    assert f"| `{name}` |" in GUIDE


@pytest.mark.parametrize("name", sorted(WORLD_READ))
def test_every_world_field_is_documented(name: str) -> None:
    assert f"| `{name}` |" in GUIDE


@pytest.mark.parametrize("name", sorted(set(LAB_WRITE) | {f"world.{w}" for w in WORLD_WRITE}))
def test_every_effect_target_is_documented(name: str) -> None:
    assert f"`{name}`" in GUIDE


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_error_code_is_documented(code: str) -> None:
    assert f"| {code} |" in GUIDE
