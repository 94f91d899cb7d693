"""The simulated world grows like the real one: medians over 100 games with the shipped policies.

The bounds are issue 9's, with the real figures behind them: frontier
training compute grows 4-5x a year, the price of a token at fixed quality
falls 9-900x a year depending on the task (Epoch AI), and US labs hold most
of the world's AI compute.
"""

from __future__ import annotations

from functools import cache

import pytest

from game.engine.rulebook import Rulebook
from game.scenario.loader import list_scenarios, load_scenario
from game.sim.trends import Trends, world_trends


@cache
def trends(scenario: str) -> Trends:
    return world_trends(Rulebook(load_scenario(scenario)), games=100, seed=1)


def test_the_base_world_grows_like_the_real_one() -> None:
    t = trends("base")
    assert 3 <= t.compute_growth <= 6  # the largest lab's physical training compute, times a year
    assert 5 <= t.cost_fall <= 20  # the cheapest token at fixed quality, times cheaper a year
    assert 1.5 <= t.revenue_growth <= 3  # all AI revenue, times a year
    # US labs hold more H100-equivalents than Chinese labs in every quarter of every game.
    assert t.us_ahead == 1.0
    assert t.china_shutdown <= 0.10  # China's main lab shut down by public concern


@pytest.mark.parametrize("scenario", [info.id for info in list_scenarios()])
def test_no_lab_takes_the_whole_market(scenario: str) -> None:
    assert trends(scenario).top_share <= 0.6
