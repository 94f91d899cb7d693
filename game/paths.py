"""Where the shipped scenarios and assets live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).parent


def _shipped(name: str) -> Path:
    # An installed wheel carries the folder inside the package (hatch
    # force-include); a checkout keeps it at the top of the repository.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def scenarios_dir() -> Path:
    """The folder of shipped scenario YAML files."""
    return _shipped("scenarios")


def assets_dir() -> Path:
    """The folder of static assets (title art, the JSON Schema)."""
    return _shipped("assets")
