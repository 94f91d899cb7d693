"""`airace scenario describe`: every shipped scenario in words, a scenario's own text shown
as plain text, and files that cannot be described."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.scenario.loader import find_scenario, list_scenarios, load_scenario
from game.scenario.placeholders import for_authors
from tests.cli.helpers import airace

SHIPPED = [info.id for info in list_scenarios()]

# An event for the player in turns 3 to 5 with two choices, and text with control
# characters in it (an escape sequence, a bell, a bidi override).
AUTHORED = """\
extends: base
meta: {id: authored, name: "Evil\\e[31m name", description: "two\\u202elines"}
events:
  - id: zap
    title: "Zap\\e[2J"
    who: player
    earliest: 3
    latest: 5
    chance: 0.5
    choices:
      - label: "Yes\\u0007"
      - label: "No"
"""


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_every_shipped_scenario_is_described(
    scenario_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = load_scenario(find_scenario(scenario_id))
    assert main(["scenario", "describe", scenario_id]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"{scenario.meta.name} ({scenario_id})\n")
    assert f"Length: {scenario.turns} quarters, {scenario.start} to " in out
    assert "To win: " in out
    for heading in ("Sides", "Rivals", "Chips", "Power"):
        assert f"\n\n{heading}\n" in out
    for spec in scenario.factions.values():
        assert f"{spec.lab.name} ({spec.lab_id}), policy {spec.lab.policy}" in out
    for lab_id, lab in scenario.rivals.items():
        assert f"{lab.name} ({lab_id}): " in out
    for chip_id, chip in scenario.chips.items():
        assert f"{chip.name} ({chip_id}): {chip.class_}, " in out
    for src_id, src in scenario.power.items():
        assert f"{src.name} ({src_id}): " in out
    events = [e for e in scenario.events if not e.remove]
    assert f"Events ({len(events)}, in file order)" in out
    places = [out.index(f"\n  {e.id}: {for_authors(e.title)}\n") for e in events]
    assert places == sorted(places)


def test_the_base_scenario_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "describe", "base"]) == 0
    out = capsys.readouterr().out
    assert "Length: 24 quarters, 2025 Q1 to 2030 Q4" in out
    assert "To win: First to capability 106 wins; else the frontier at the end wins." in out
    assert "United States (us, playable): Prometheus AI (prometheus), policy strategist" in out
    assert "    $18.00B; 90,000 H100-class; 130 MW; capability 66; efficiency 1.4" in out
    assert "  DeepWhale (deepseek): China, policy efficient" in out
    assert "  B200-class (b200): frontier, from 2025 Q3, $35,000 a GPU" in out
    assert "Buyers at the start: China; supply a quarter: United States 0, China 200,000" in out
    assert "  On-site gas turbines (gas): $7M a MW to build" in out
    assert "Lead time 1 quarter; price United States $75/MWh, China $70/MWh; at most 250 MW" in out
    assert (
        "  h20_halt: Stop buying H20s, says Beijing; NVIDIA halts production\n"
        "    chained, hits the world\n"
        "    Then: h20_fleet_review\n"
    ) in out
    assert (
        "    2025 Q1 to 2025 Q4, hits every United States lab, once\n"
        "    When: me.is_player or me.rank <= 2\n"
        "    Choice 1: Join the consortium\n"
        "    Choice 2: Go alone\n"
    ) in out


def test_an_authors_file_is_plain_text(tmp_path: Path) -> None:
    (tmp_path / "authored.yaml").write_text(AUTHORED, encoding="utf-8")
    result = airace("scenario", "describe", "authored.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Evil[31m name (authored)\n")
    assert "\ntwolines\n" in out
    assert (
        "  zap: Zap[2J\n"
        "    2025 Q3 to 2026 Q1, hits the player's lab, chance 50% a quarter\n"
        "    Choice 1: Yes\n"
        "    Choice 2: No\n"
    ) in out
    assert not any(c in out for c in "\x1b\x07\u202e")


# A lab's event with placeholders, a world event at a random quarter with each side's
# own choices, and a victory condition that says why the lab wins.
SIDES = """\
extends: base
meta: {id: sides, name: Sides}
events:
  - id: liaison
    title: "{lab} pulls out of Hsinchu"
    who: us
    choices:
      - label: "{lab} charters a flight"
      - label: "{side} stays"
  - id: crisis
    title: Crisis in the strait
    who: world
    at: random
    earliest: "2026 Q3"
    latest: "2027 Q4"
    choices_for:
      us: [{label: Reroute to Arizona}, {label: Ride it out}]
      china: [{label: Pour money into SMIC}]
  - id: scare
    title: A scare
    who: world
    at: random
    earliest: 6
    latest: 6
victory:
  - kind: condition
    when: "me.market_share >= 0.35"
    text: "held a third of the market."
  - kind: condition
    when: "me.capability >= 200"
"""


def test_per_lab_text_side_choices_random_quarters_and_conditions_in_words(
    tmp_path: Path,
) -> None:
    (tmp_path / "sides.yaml").write_text(SIDES, encoding="utf-8")
    result = airace("scenario", "describe", "sides.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "{" not in out
    assert (
        "To win: The first lab that held a third of the market wins; "
        "the first lab for which me.capability >= 200 wins.\n"
    ) in out
    assert (
        "  liaison: <lab> pulls out of Hsinchu\n"
        "    any quarter, hits every United States lab\n"
        "    Choice 1: <lab> charters a flight\n"
        "    Choice 2: <side> stays\n"
    ) in out
    assert (
        "  crisis: Crisis in the strait\n"
        "    once, at a random quarter between 2026 Q3 and 2027 Q4, hits the world\n"
        "    United States choice 1: Reroute to Arizona\n"
        "    United States choice 2: Ride it out\n"
        "    China choice 1: Pour money into SMIC\n"
    ) in out
    assert "  scare: A scare\n    once, in 2026 Q2, hits the world\n" in out


def test_a_bad_path_and_an_invalid_file_get_the_validators_errors(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("extends: base\nmeta: {id: b, name: B}\nturns: x\n")
    for name, error in [
        ("missing.yaml", "missing.yaml:1:1: E001 "),
        ("nope", "nope:1:1: E001 unknown scenario 'nope'"),
        ("broken.yaml", "broken.yaml:3:8: E102 turns: expected a whole number"),
    ]:
        result = airace("scenario", "describe", name, cwd=tmp_path)
        assert result.returncode == 1, name
        assert result.stdout == ""
        assert result.stderr.startswith(error), result.stderr
        assert "Traceback" not in result.stderr
        validated = airace("scenario", "validate", name, cwd=tmp_path)
        assert validated.returncode == 1 and validated.stderr == result.stderr
