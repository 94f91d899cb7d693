"""The guide's tutorial (scenarios/GUIDE.md) is the files in tests/scenario/tutorial.

Each step of the tutorial shows one YAML block; applied to the file of the
step before (a top-level key it names is replaced, a new one is added at the
end), it gives that step's file exactly. Every step's file validates, lints
clean and plays whole games, and what the tutorial quotes of the commands'
answers is what they answer.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.scenario.lint import lint_file
from game.scenario.loader import load_scenario, shipped_ids
from game.scenario.template import new_scenario
from game.sim.runner import Setup, run_games

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "scenarios" / "GUIDE.md"
STEPS = Path(__file__).parent / "tutorial"
EDITOR_LINE = "# yaml-language-server: $schema="
NAME = "homegrown.yaml"  # the file the tutorial's reader writes


def tutorial() -> str:
    """The tutorial's part of the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("\n## Tutorial: your first scenario\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def step_texts() -> dict[int, str]:
    """Each step's part of the tutorial, by its number."""
    parts = re.split(r"(?m)^### Step (\d+): ", tutorial())
    return {int(n): body for n, body in zip(parts[1::2], parts[2::2], strict=True)}


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"(?ms)^```yaml\n(.*?)^```$", text)


def step_file(n: int) -> Path:
    return STEPS / f"step{n}.yaml"


def sections(text: str) -> dict[str, str]:
    """A YAML file's top-level keys, each with its text (the key's line to the next key's)."""
    found: dict[str, list[str]] = {}
    key = None
    for line in text.strip("\n").split("\n"):
        m = re.match(r"[A-Za-z_][\w-]*:", line)
        if m:
            key = m.group(0)[:-1]
            assert key not in found, f"{key} twice"
            found[key] = []
        assert key is not None, f"text before the first key: {line!r}"
        found[key].append(line)
    return {k: "\n".join(lines).strip("\n") for k, lines in found.items()}


def applied(before: str, block: str) -> str:
    """`before` with each top-level key of `block` replaced, or added at the end."""
    merged = sections(before) if before else {}
    merged.update(sections(block))
    return "\n\n".join(merged.values()) + "\n"


def body(path: Path) -> str:
    """A step's file after its first line, which points editors at the schema."""
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    assert first.startswith(EDITOR_LINE), f"{path.name} starts with the editor's line"
    return rest


NUMBERS = sorted(step_texts())


def test_the_steps_are_the_files() -> None:
    assert NUMBERS == list(range(1, len(NUMBERS) + 1))
    assert sorted(STEPS.glob("step*.yaml")) == sorted(step_file(n) for n in NUMBERS)


@pytest.mark.parametrize("n", NUMBERS)
def test_each_step_shows_what_changes_in_its_file(n: int) -> None:
    blocks = yaml_blocks(step_texts()[n])
    assert len(blocks) == 1, f"step {n} shows one YAML block"
    before = body(step_file(n - 1)) if n > 1 else ""
    assert body(step_file(n)) == applied(before, blocks[0]), (
        f"GUIDE.md's step {n} and tests/scenario/tutorial/step{n}.yaml differ: change both alike"
    )


def test_the_first_step_starts_from_what_scenario_new_writes() -> None:
    base = load_scenario(shipped_ids()["base"])
    written = new_scenario("homegrown", base, "base", "schema.json", NAME)
    first = sections(body(step_file(1)))
    assert first["extends"] in written
    assert "meta:\n  id: homegrown\n" in written
    assert f"airace scenario new {NAME.removesuffix('.yaml')}" in step_texts()[1]


@pytest.mark.parametrize("n", NUMBERS)
def test_each_step_validates_and_lints_clean(n: int) -> None:
    _, warnings = lint_file(step_file(n))
    assert warnings == []


@pytest.mark.parametrize("n", NUMBERS)
def test_each_step_plays_to_the_end(n: int) -> None:
    scenario = load_scenario(step_file(n))
    for side in ("us", "china"):
        setup = Setup(side, scenario.factions[side].lab.policy, None, seed=n)
        for result in run_games(scenario, setup, 2):
            assert 1 <= result.turns <= scenario.turns
            assert result.kind


def _answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, *args: str) -> str:
    monkeypatch.chdir(tmp_path)
    assert main(list(args)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def _in_tutorial(text: str) -> bool:
    """Whether the tutorial says `text`, however its lines are wrapped."""
    return " ".join(text.split()) in " ".join(tutorial().split())


# What the tutorial quotes of a command's answer: (step, command, what it quotes).
ANSWERS = [
    (1, ("scenario", "validate", NAME), "ok: homegrown.yaml (Homegrown, 2025-2030)"),
    (
        2,
        ("scenario", "describe", NAME),
        "Ascend 910B-class (ascend_910b): domestic, from the start, $10,000 a GPU",
    ),
    (
        3,
        ("scenario", "describe", NAME),
        "$5.00B; 10,000 H800-class, 10,000 H100-class, 30,000 H20-class, 20,000 Ascend "
        "910B-class; 90 MW",
    ),
    (4, ("scenario", "lint", NAME), "ok: homegrown.yaml (Homegrown, 2025-2030): no warnings"),
    (5, ("scenario", "describe", NAME), "chained, hits every China lab, chance 50%"),
]


@pytest.mark.parametrize(("n", "command", "quoted"), ANSWERS)
def test_what_the_tutorial_quotes_is_what_airace_answers(
    n: int,
    command: tuple[str, ...],
    quoted: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shutil.copy(step_file(n), tmp_path / NAME)
    answer = _answer(tmp_path, monkeypatch, capsys, *command)
    assert quoted in answer
    assert _in_tutorial(quoted)


# The mistakes the tutorial shows: (step, what is written, the mistake).
MISTAKES = [
    (2, "    supply:", "    suply:"),
    (4, "me.gpus.ascend_910b < 10000", "me.gpus.ascend910b < 10000"),
    (5, "event: burn_in_failures", "event: burn_in_failure"),
]


@pytest.mark.parametrize(("n", "right", "wrong"), MISTAKES)
def test_the_mistakes_shown_are_what_validate_answers(
    n: int,
    right: str,
    wrong: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = step_file(n).read_text(encoding="utf-8")
    assert text.count(right) == 1
    (tmp_path / NAME).write_text(text.replace(right, wrong), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["scenario", "validate", NAME]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors
    shown = re.findall(r"(?ms)^```text\n(.*?)^```$", step_texts()[n])
    assert "\n".join(errors) + "\n" in shown


def test_the_last_step_gives_the_report_the_tutorial_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    last = NUMBERS[-1]
    shutil.copy(step_file(last), tmp_path / NAME)
    command = "airace simulate --scenario homegrown.yaml --games 200 --faction all --report"
    assert command in step_texts()[last]
    args = command.split()[1:]
    args[args.index("--games") + 1] = "20"  # enough to see every event fire
    report = _answer(tmp_path, monkeypatch, capsys, *args)
    assert "compute_vouchers: Vouchers for domestic chips" in report
    assert "burn_in_failures: The new chips fail burn-in" in report
