"""The code stays lint-clean, formatted and type-checked (STYLE.md: in the test command)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKS = {
    "ruff-check": ("ruff", "check", "game", "tests", "benchmarks", "scripts"),
    "ruff-format": ("ruff", "format", "--check", "game", "tests", "benchmarks", "scripts"),
    "mypy": ("mypy", "game"),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_code_quality(name: str) -> None:
    cmd = [sys.executable, "-m", *CHECKS[name]]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
