"""AI Race: a turn-based strategy game of the 2025 AI race."""

__version__ = "0.1.0"
