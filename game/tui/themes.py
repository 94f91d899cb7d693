"""The game's colours: a dark theme and a light one, both with strong contrast.

Colour never carries meaning alone: gains and losses have arrows and signs,
ranks have numbers, the player's row a marker.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.theme import Theme

DARK = "airace-dark"
LIGHT = "airace-light"

THEMES = (
    Theme(
        name=DARK,
        primary="#5FA8D3",
        secondary="#8FB996",
        accent="#F2B134",
        warning="#F2B134",
        error="#FF6B6B",
        success="#5CC977",
        foreground="#E6E6E6",
        background="#12161C",
        surface="#1A1F27",
        panel="#232A35",
        dark=True,
    ),
    Theme(
        name=LIGHT,
        primary="#1F5F8B",
        secondary="#3C6E47",
        accent="#9A5B00",
        warning="#9A5B00",
        error="#B3261E",
        success="#2E7D32",
        foreground="#1A1A1A",
        background="#F7F7F4",
        surface="#FFFFFF",
        panel="#E6E9ED",
        dark=False,
    ),
)


def theme_for(environ: Mapping[str, str]) -> str:
    """The theme to start with: AIRACE_THEME (dark or light), else the terminal's background.

    Many terminals say their colours in COLORFGBG ("15;0": light text on a dark
    background); a light background (7 or 15) gets the light theme.
    """
    asked = environ.get("AIRACE_THEME", "").strip().lower()
    if asked in ("dark", "light"):
        return DARK if asked == "dark" else LIGHT
    background = environ.get("COLORFGBG", "").split(";")[-1].strip()
    return LIGHT if background in ("7", "15") else DARK
