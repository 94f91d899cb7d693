"""The authors' documents: the guide (scenarios/GUIDE.md) and the reference
(scenarios/REFERENCE.md), which game/scenario/reference.py writes from the code.

The reference is what the code writes today and names every key and every
expression name; the guide explains every error code once and every lint
warning with an example that gives it; and every link between the documents
leads somewhere. The tutorial has its own tests (test_tutorial.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from game.scenario import models
from game.scenario.errors import CODES, WARNINGS
from game.scenario.expr import FUNCTIONS
from game.scenario.fields import GLOBAL_MEANINGS, LAB_FIELDS, LAB_KEYED, SCOPES, WORLD_FIELDS
from game.scenario.lint import lint_file
from game.scenario.reference import COMMAND, SECTIONS, flow, number, reference, slug

REPO = Path(__file__).resolve().parents[2]
GUIDE_PATH = REPO / "scenarios" / "GUIDE.md"
REFERENCE_PATH = REPO / "scenarios" / "REFERENCE.md"
GUIDE = GUIDE_PATH.read_text(encoding="utf-8")
REFERENCE = REFERENCE_PATH.read_text(encoding="utf-8")
DOCUMENTS = [REPO / "README.md", REPO / "ARCHITECTURE.md", GUIDE_PATH, REFERENCE_PATH]


def test_the_reference_is_what_the_code_writes() -> None:
    assert REFERENCE == reference(GUIDE), f"scenarios/REFERENCE.md is stale: run '{COMMAND}'"


# --- the reference names everything ---------------------------------------------------


def _models() -> list[type[BaseModel]]:
    return [
        m
        for m in vars(models).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == models.__name__
    ]


def test_every_model_an_author_writes_has_a_section() -> None:
    written = {m.__name__ for m in _models()} - {"Strict"}
    assert written == {s.model for s in SECTIONS}


# A date is written as text ("2025 Q3"), not as its keys.
@pytest.mark.parametrize(
    "section", [s for s in SECTIONS if s.model != "Date"], ids=lambda s: s.model
)
def test_every_key_is_in_the_reference(section: Any) -> None:
    model = getattr(models, section.model)
    part = REFERENCE.split(f"\n{'#' * section.level} {section.heading}\n", 1)[1]
    part = re.split(r"\n##+ ", part, maxsplit=1)[0]
    for name, field in model.model_fields.items():
        assert f"| `{field.alias or name}` |" in part, f"{section.model}.{name}"


NAMES = [
    *GLOBAL_MEANINGS,
    *SCOPES,
    *LAB_FIELDS,
    *LAB_KEYED,
    *WORLD_FIELDS,
    *FUNCTIONS,
]


@pytest.mark.parametrize("name", NAMES)
def test_every_expression_name_is_in_the_reference(name: str) -> None:
    assert f"| `{name}` |" in REFERENCE


@pytest.mark.parametrize("code", sorted(WARNINGS))
def test_every_warning_is_listed_in_the_reference(code: str) -> None:
    assert f"| [{code}](GUIDE.md#{code.lower()}-" in REFERENCE


class _Yaml12(yaml.SafeLoader):
    """YAML as editors read it (1.2): `1.0e20` is a number."""


_Yaml12.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def test_examples_are_written_as_yaml_that_reads_back() -> None:
    for model in _models():
        for name, field in model.model_fields.items():
            for example in field.examples or []:
                text = f"{field.alias or name}: {flow(example)}"
                read = yaml.load(text, Loader=_Yaml12)[field.alias or name]
                assert read == example, f"{model.__name__}.{name}: {text}"


def test_numbers_are_written_for_people() -> None:
    assert [number(x) for x in (1e7, 0.001, 1e12, -1e12, 1e40, 12, 1.5)] == [
        "10,000,000",
        "0.001",
        "10^12",
        "-10^12",
        "10^40",
        "12",
        "1.5",
    ]


# --- the guide explains every code --------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_error_code_is_explained_once(code: str) -> None:
    assert GUIDE.count(f"| {code} |") == 1


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.name)
def test_every_table_row_belongs_to_a_table(doc: Path) -> None:
    """A blank line inside a table ends it: the rows after it show as plain text."""
    lines = _FENCE.sub("", doc.read_text(encoding="utf-8")).splitlines()
    for n, line in enumerate(lines):
        starts = line.startswith("|") and not (n and lines[n - 1].startswith("|"))
        if starts:
            below = lines[n + 1] if n + 1 < len(lines) else ""
            assert re.match(r"^\|( *:?-+:? *\|)+$", below), (
                f"{doc.name}: the table row {line[:40]!r} follows no header"
            )


def _warning_section(code: str) -> str:
    part = GUIDE.split(f"\n### {code}: ", 1)[1]
    return re.split(r"\n##+ ", part, maxsplit=1)[0]


@pytest.mark.parametrize("code", sorted(WARNINGS))
def test_every_warning_has_an_example_that_gives_it(code: str, tmp_path: Path) -> None:
    section = _warning_section(code)
    (example,) = re.findall(r"(?ms)^```yaml\n(.*?)^```$", section)
    (shown,) = re.findall(r"(?ms)^```text\n(.*?)^```$", section)
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    _, warnings = lint_file(path)
    said = [f"example.yaml:{w.line}:{w.col}: warning {w.code}: {w.message}" for w in warnings]
    assert [w.code for w in warnings] == [code]
    assert shown == "\n".join(said) + "\n", f"GUIDE.md's example of {code} says otherwise"


# --- links ----------------------------------------------------------------------------------

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"(?ms)^```.*?^```$")


def _anchors(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for heading in re.findall(r"(?m)^#{1,6} (.+)$", text):
        base, n = slug(heading), 1
        anchor = base
        while anchor in found:  # GitHub numbers a repeated heading's anchor
            anchor, n = f"{base}-{n}", n + 1
        found.add(anchor)
    return found


def _links() -> list[tuple[str, str]]:
    found = []
    for doc in DOCUMENTS:
        text = _FENCE.sub("", doc.read_text(encoding="utf-8"))
        text = re.sub(r"`[^`\n]*`", "", text)
        found += [(doc.relative_to(REPO).as_posix(), target) for target in _LINK.findall(text)]
    return found


@pytest.mark.parametrize(("doc", "target"), _links())
def test_every_link_between_the_documents_leads_somewhere(doc: str, target: str) -> None:
    if re.match(r"[a-z]+:", target):  # https:, mailto:
        return
    where, _, anchor = target.partition("#")
    path = (REPO / doc).parent / where if where else REPO / doc
    assert path.exists(), f"{doc} links to {target}, which does not exist"
    if anchor:
        assert anchor in _anchors(path), f"{doc} links to {target}: no such heading"


def test_the_readme_and_the_guide_lead_to_each_other() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "(scenarios/GUIDE.md)" in readme
    assert "(scenarios/REFERENCE.md)" in readme
    assert "(REFERENCE.md)" in GUIDE
    assert "(../README.md)" in GUIDE
