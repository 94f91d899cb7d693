"""The theme follows AIRACE_THEME, else the terminal's background colour."""

from __future__ import annotations

import pytest

from game.tui.themes import DARK, LIGHT, theme_for


@pytest.mark.parametrize(
    ("environ", "theme"),
    [
        ({}, DARK),
        ({"COLORFGBG": "15;0"}, DARK),
        ({"COLORFGBG": "0;15"}, LIGHT),
        ({"COLORFGBG": "0;default;7"}, LIGHT),
        ({"AIRACE_THEME": "light"}, LIGHT),
        ({"AIRACE_THEME": "dark", "COLORFGBG": "0;15"}, DARK),
        ({"AIRACE_THEME": "neon"}, DARK),
    ],
)
def test_the_theme_follows_the_environment(environ: dict[str, str], theme: str) -> None:
    assert theme_for(environ) == theme
