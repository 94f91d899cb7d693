"""`airace scenario lint`: the output format, exit codes, --strict, silencing, several
files at once, and files that cannot be linted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.cli import main
from tests.cli.helpers import airace

WARNING_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): warning (?P<code>W\d{3}): \S.*$"
)

# A scenario on base that sets a world flag nothing reads (W107, at line 7, column 22).
UNREAD = """\
extends: base
meta: {id: unread, name: Unread}
events:
  - id: marked
    title: Marked
    who: world
    effects: [{flag: marked}]
"""


@pytest.fixture
def unread(tmp_path: Path) -> Path:
    path = tmp_path / "unread.yaml"
    path.write_text(UNREAD, encoding="utf-8")
    return path


def test_warnings_and_ok_lines_for_several_files(tmp_path: Path, unread: Path) -> None:
    result = airace("scenario", "lint", "unread.yaml", "base", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    first, second = result.stdout.splitlines()
    m = WARNING_LINE.match(first)
    assert m is not None, first
    assert (m["path"], m["line"], m["col"], m["code"]) == ("unread.yaml", "7", "22", "W107")
    assert "event 'marked': flag 'marked' is set here, but no expression reads" in first
    assert re.fullmatch(r"ok: .*base\.yaml \(The Race, 2025-2030\): no warnings", second)


def test_strict_fails_on_a_warning_and_a_bad_file_fails_always(
    tmp_path: Path, unread: Path
) -> None:
    (tmp_path / "broken.yaml").write_text("extends: base\nmeta: {id: b, name: B}\nturns: x\n")
    result = airace(
        "scenario", "lint", "--strict", "missing.yaml", "broken.yaml", "unread.yaml", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.splitlines()
    assert errors[0].startswith("missing.yaml:1:1: E001 ")
    assert errors[1].startswith("broken.yaml:3:8: E102 ")
    assert [WARNING_LINE.match(line)["code"] for line in result.stdout.splitlines()] == ["W107"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scenario", "lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_strict_passes_a_clean_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--strict", "base", "stargate")
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 2 and all(line.startswith("ok: ") for line in out.splitlines())


def test_a_warning_alone_exits_0_and_strict_exits_1(
    capsys: pytest.CaptureFixture[str], unread: Path
) -> None:
    assert run(capsys, str(unread))[0] == 0
    assert run(capsys, "--strict", str(unread))[0] == 1


@pytest.mark.parametrize(
    "silence",
    [
        "lint: {ignore: [W107]}\n",  # the file's
        "    lint: {ignore: [W107]}\n",  # the event's (appended to it)
    ],
)
def test_silenced_warnings(capsys: pytest.CaptureFixture[str], unread: Path, silence: str) -> None:
    unread.write_text(UNREAD + silence, encoding="utf-8")
    code, out, err = run(capsys, "--strict", str(unread))
    assert (code, err) == (0, ""), out
    assert out.startswith("ok: ") and out.endswith("(Unread): no warnings\n")


def test_an_unknown_code_in_ignore_is_refused(
    capsys: pytest.CaptureFixture[str], unread: Path
) -> None:
    unread.write_text(UNREAD + "lint: {ignore: [W107, W17]}\n", encoding="utf-8")
    code, out, err = run(capsys, str(unread))
    assert (code, out) == (1, "")
    assert ":8:23: E103 lint.ignore[1]: must be one of 'W101', " in err


def test_scenario_without_a_command_names_lint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario"]) == 2
    assert "list, validate, lint, describe, schema or new" in capsys.readouterr().err


def test_terminal_controls_in_a_flag_name_are_not_printed(
    capsys: pytest.CaptureFixture[str], unread: Path
) -> None:
    unread.write_text(UNREAD.replace("{flag: marked}", '{flag: "mark\\e[31med"}'), "utf-8")
    code, out, err = run(capsys, str(unread))
    assert code == 0 and "\x1b" not in out and "W107" in out
