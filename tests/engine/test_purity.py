"""The engine is pure, and imports run one way (STYLE.md, The house).

The shells sit above saves, saves above the engine, the engine above
scenarios: the contracts are in pyproject.toml, and lint-imports runs here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

IMPORT_CHECK = """
import sys
import game.engine, game.engine.game, game.engine.rules, game.engine.events
import game.engine.policies, game.engine.orders, game.engine.state, game.engine.rulebook
import game.engine.happenings, game.engine.fleet
bad = sorted(m for m in sys.modules
             if m.split(".")[0] in ("textual", "rich")
             or m.startswith(("game.scenario.loader", "game.scenario.find",
                              "game.scenario.extends", "game.scenario.wording",
                              "game.scenario.checks", "game.sim", "game.cli", "game.tui",
                              "game.saves")))
print(",".join(bad))
"""

# The scenario package sits below the engine: loading, linting and describing
# scenarios for authors never needs the rules.
SCENARIO_IMPORT_CHECK = """
import sys
import game.scenario.loader, game.scenario.lint, game.scenario.reference
import game.scenario.schema, game.scenario.template, game.scenario.expr
print(",".join(sorted(m for m in sys.modules if m.startswith("game.engine"))))
"""


def _imported(check: str) -> str:
    """What a fresh interpreter running `check` prints."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_engine_loads_no_terminal_or_io_layer() -> None:
    assert _imported(IMPORT_CHECK) == ""


def test_importing_the_scenario_package_loads_no_engine() -> None:
    assert _imported(SCENARIO_IMPORT_CHECK) == ""


def _lint(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _contracts() -> list[dict[str, object]]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]["contracts"]  # type: ignore[no-any-return]


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_the_import_contracts_hold() -> None:
    missing = sorted(
        str(m)
        for c in _contracts()
        for m in c.get("forbidden_modules", [])  # type: ignore[union-attr]
        if not _exists(str(m))
    )
    if missing:
        pytest.skip(
            "lint-imports refuses contracts that name modules not written yet "
            f"({', '.join(missing)}); the test below checks the contracts for what exists"
        )
    done = _lint(ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_the_import_contracts_hold_for_what_exists(tmp_path: Path) -> None:
    lines = ["[tool.importlinter]", 'root_package = "game"', "include_external_packages = true"]
    for c in _contracts():
        lines.append("[[tool.importlinter.contracts]]")
        for key, value in c.items():
            if key == "forbidden_modules":
                value = [m for m in value if _exists(m)]  # type: ignore[union-attr]
            lines.append(f"{key} = {json.dumps(value)}")
    config = tmp_path / "importlinter.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _lint(config)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
