"""Running the real `airace` in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def airace(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    stdin: int | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m game ARGS` with the checkout importable, whether installed or not."""
    full = {k: v for k, v in os.environ.items() if k not in ("AIRACE_DEBUG", "COLUMNS")}
    full["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "game", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=stdin,
    )
