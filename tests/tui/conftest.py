"""Shared set-up for the TUI tests: no blinking cursor, so screens are stable."""

from __future__ import annotations

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text cursor stays put (a blink mid-snapshot would make snapshots flaky)."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
