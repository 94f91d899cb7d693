"""Where things live: the shipped scenarios and assets, and the user's own data."""

from __future__ import annotations

import os
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


def user_data_dir() -> Path:
    """The user's own AI Race folder (crash reports go in it): $AIRACE_HOME, else the OS's."""
    home = os.environ.get("AIRACE_HOME")
    if home:
        return Path(home)
    # Imported here: only a crash needs it, and a bare `airace` should start fast.
    import platformdirs

    return Path(platformdirs.user_data_dir("airace", appauthor=False))
