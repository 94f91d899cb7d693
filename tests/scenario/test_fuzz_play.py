"""Issue 8: whatever scenario validates plays to the end.

Hypothesis mutates the shipped scenarios (see tests/scenario/fuzzing.py for
the mutations and the checks). Each case must either be refused by the
loader, with a file, line and column for every problem, or play one whole
game per side with computers in every seat (and the player's choices taken
through `Game.choose` or `play_ai_choices`) plus two games through the
simulator's runner and report: no exception, every number of every lab and
of the world finite after each quarter, at most (events) x (labs + 1) events
fired a quarter, and each quarter within a wall-clock budget.

Deterministic (derandomized); `python scripts/fuzz_scenarios.py` runs the
same generator longer and lists each distinct failure with its smallest case.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, note, settings

from tests.scenario.fuzzing import Case, cases, check_case

# Examples per family; with the mixed run 210 cases in all, each a
# scenario load and six short games: well under a minute on two cores.
EXAMPLES = 30

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)


def _check(case: Case) -> None:
    note(case.describe())
    check_case(case)


@FUZZ
@given(case=cases(("numbers",)))
def test_numbers_at_and_past_their_bounds(case: Case) -> None:
    _check(case)


@FUZZ
@given(case=cases(("expressions",)))
def test_runaway_expressions_and_effects(case: Case) -> None:
    _check(case)


@FUZZ
@given(case=cases(("graphs",)))
def test_event_graphs(case: Case) -> None:
    _check(case)


@FUZZ
@given(case=cases(("text",)))
def test_markup_in_text(case: Case) -> None:
    _check(case)


@FUZZ
@given(case=cases(("structure",)))
def test_chips_power_and_labs_removed_or_duplicated(case: Case) -> None:
    _check(case)


@settings(FUZZ, max_examples=EXAMPLES * 2)
@given(case=cases())
def test_mixed_mutations(case: Case) -> None:
    _check(case)
