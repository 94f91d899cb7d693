"""Set-up for every test: the player's own files stay out of reach."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty data folder (saves, crash reports), never the user's."""
    home = tmp_path_factory.mktemp("airace-home")
    monkeypatch.setenv("AIRACE_HOME", str(home))
    return home
