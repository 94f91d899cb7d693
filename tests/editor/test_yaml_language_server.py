"""The scenario schema in a real editor: yaml-language-server, the YAML language server
of VS Code and other editors, spoken to over LSP on stdio.

Every shipped scenario and the output of `airace scenario new` open without a
diagnostic, through their own `# yaml-language-server: $schema=...` line; a
file with a misspelt key gets one. Each clean file has a twin with one
unknown key, which must get exactly one diagnostic from the scenario schema,
so that "no diagnostics" cannot mean "no schema".

It needs Node.js and the yaml-language-server pinned in package.json here:
`npm ci --prefix tests/editor` (CI's .ci/run does it). Without them it is
skipped, and says why.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.paths import scenarios_dir
from game.scenario.schema import schema_reference, shipped_schema_path
from tests.editor.lsp import LanguageServer

HERE = Path(__file__).parent
SERVER = HERE / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
SHIPPED = sorted(scenarios_dir().glob("*.yaml"))
# An editor's settings: validation on, and no schema store (it is fetched over the network).
SETTINGS = {
    "yaml": {
        "validate": True,
        "schemaStore": {"enable": False},
        "hover": False,
        "completion": False,
        "format": {"enable": False},
    }
}


def _command() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the editor check needs it")
    if not SERVER.is_file():
        pytest.skip("yaml-language-server is not installed: run 'npm ci --prefix tests/editor'")
    return [node, str(SERVER), "--stdio"]


@pytest.fixture(scope="module")
def server() -> Iterator[LanguageServer]:
    with LanguageServer(_command(), SETTINGS) as ls:
        yield ls


def shown(diagnostics: list[dict[str, Any]]) -> list[str]:
    """Diagnostics as 'line:col message', 1-based like the validator's."""
    out = []
    for d in diagnostics:
        start = d["range"]["start"]
        out.append(f"{start['line'] + 1}:{start['character'] + 1} {d['message']}")
    return out


def from_the_schema(diagnostic: dict[str, Any]) -> bool:
    """Whether a diagnostic comes from the shipped scenario schema."""
    uris = diagnostic.get("data", {}).get("schemaUri", [])
    return uris == [shipped_schema_path().resolve().as_uri()]


def check_clean(server: LanguageServer, files: dict[Path, str]) -> None:
    """Each file (path -> text) has no diagnostic, and its twin one unknown key, one."""
    documents: dict[str, str] = {}
    for path, text in files.items():
        documents[path.absolute().as_uri()] = text
        twin = path.with_name(f"twin-of-{path.name}")
        documents[twin.absolute().as_uri()] = text + "turnz: 20\n"
    found = server.open(documents)
    problems = {}
    for uri, diagnostics in found.items():
        twin = "/twin-of-" in uri
        if not twin and diagnostics:
            problems[uri] = shown(diagnostics)
        elif twin and not (
            len(diagnostics) == 1
            and "turnz" in diagnostics[0]["message"]
            and from_the_schema(diagnostics[0])
        ):
            problems[uri] = shown(diagnostics)
    assert problems == {}


def test_every_shipped_scenario_opens_clean(server: LanguageServer) -> None:
    check_clean(server, {path: path.read_text(encoding="utf-8") for path in SHIPPED})


def test_a_new_scenario_opens_clean(server: LanguageServer, tmp_path: Path) -> None:
    files = {}
    for parent in ("base", "stargate"):
        folder = tmp_path / parent / "deeper"
        assert main(["scenario", "new", "mine", "--extends", parent, "--dir", str(folder)]) == 0
        path = folder / "mine.yaml"
        files[path] = path.read_text(encoding="utf-8")
    check_clean(server, files)


def test_the_tutorials_files_and_every_new_key_open_clean(server: LanguageServer) -> None:
    # What an author writes from the guide: each tutorial step, and a file
    # that uses every key the format gained (tests/editor/cases/new_keys.yaml).
    here = Path(__file__).parent
    files = sorted((here.parent / "scenario" / "tutorial").glob("step*.yaml"))
    files.append(here / "cases" / "new_keys.yaml")
    check_clean(server, {path: path.read_text(encoding="utf-8") for path in files})


def test_a_misspelt_key_gets_one_diagnostic(server: LanguageServer, tmp_path: Path) -> None:
    text = (scenarios_dir() / "base.yaml").read_text(encoding="utf-8")
    head = f"# yaml-language-server: $schema={schema_reference(tmp_path)}\n"
    misspelt = head + text.split("\n", 1)[1].replace("  demand_growth:", "  demand_grwth:", 1)
    line = misspelt.splitlines().index("  demand_grwth: 0.1") + 1
    uri = (tmp_path / "misspelt.yaml").as_uri()
    assert shown(server.open({uri: misspelt})[uri]) == [
        f"{line}:3 Property demand_grwth is not allowed."
    ]


@pytest.mark.parametrize("form", ["relative", "absolute", "file URI"])
def test_each_way_the_guide_names_the_schema(
    server: LanguageServer, tmp_path: Path, form: str
) -> None:
    schema = shipped_schema_path().absolute()
    reference = {
        "relative": schema_reference(tmp_path),
        "absolute": str(schema),
        "file URI": schema.as_uri(),
    }[form]
    text = f"# yaml-language-server: $schema={reference}\nextends: base\nmeta: {{id: m, name: M}}\n"
    check_clean(server, {tmp_path / "mine.yaml": text})


EVENT = "events:\n  - id: a\n    title: A\n"


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            "    effects:\n      - supply: {chip: h100, multiply: 0.5}\n        for_quarters: 2\n",
            "8:17 for_quarters goes beside add, set or multiply, not supply",
        ),
        (
            '    earliest: "2026 Q5"\n',
            "7:15 a date is written like '2025 Q3': a year from 1990 to 2200, Q and the "
            "quarter, 1 to 4",
        ),
        ("    who: []\n", "7:10 Array has too few items. Expected 1 or more."),
    ],
    ids=["for_quarters", "date", "who"],
)
def test_a_mistake_is_named_for_what_it_is(
    server: LanguageServer, tmp_path: Path, written: str, said: str
) -> None:
    # The schema's own words where a generic one would mislead ("missing property add",
    # "expected integer | null", "expected string").
    head = f"# yaml-language-server: $schema={schema_reference(tmp_path)}\n"
    text = head + "extends: base\nmeta: {id: m, name: M}\n" + EVENT + written
    uri = (tmp_path / "mistake.yaml").as_uri()
    assert shown(server.open({uri: text})[uri]) == [said]
