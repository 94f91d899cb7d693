"""Saves broken at random: loading one ends in a SaveError or a game, never in anything else.

Hypothesis takes a good save and changes it at a random place (removes a
key, puts another kind of value, changes a number a little), and the save
must load or be refused in one sentence; a traceback would be a bug. Half
the time the scenario's hash is made to match, so a changed scenario meets
the scenario checks rather than the hash.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from game.saves.codec import data_hash, encode, parse_save, restore, to_save
from game.saves.errors import SaveError
from tests.saves.helpers import person_game

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@pytest.fixture(scope="module")
def good() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(encode(to_save(person_game("base", "china", 8, turns=4))))
    return doc


def mutate(doc: Any, data: st.DataObject) -> Any:
    """`doc` changed at one place, chosen by walking down from the top."""
    if isinstance(doc, (dict, list)) and doc and data.draw(st.integers(0, 3)) > 0:
        keys = list(doc) if isinstance(doc, dict) else list(range(len(doc)))
        key = data.draw(st.sampled_from(keys))
        how = data.draw(st.sampled_from(["deeper", "remove", "replace"]))
        note(f"{how} at {key!r}")
        if how == "remove":
            del doc[key]
        elif how == "replace":
            doc[key] = data.draw(VALUES)
        else:
            doc[key] = mutate(doc[key], data)
        return doc
    if isinstance(doc, (int, float)) and not isinstance(doc, bool):
        return doc + data.draw(st.sampled_from([1, -1, 0.5]))
    return data.draw(VALUES)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_save_changed_anywhere_loads_or_is_refused_in_one_sentence(
    good: dict[str, Any], data: st.DataObject
) -> None:
    doc = mutate(json.loads(json.dumps(good)), data)
    if isinstance(doc, dict) and isinstance(doc.get("scenario"), dict) and data.draw(st.booleans()):
        doc["scenario_hash"] = data_hash(doc["scenario"])  # as a careful forger would
    try:
        restore(parse_save(json.dumps(doc).encode()))
    except SaveError as e:
        assert str(e) and "\n" not in str(e)
