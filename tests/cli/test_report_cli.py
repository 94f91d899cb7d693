"""`airace simulate --report`, `--compare` and `--html` on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from tests.cli.helpers import REPO, airace

REPORT = str(REPO / "tests" / "sim" / "data" / "report.yaml")
SECTIONS = (
    "Win rates: the player's seat",
    "Win rates: every lab",
    "Win rates: by side",
    "Win rates: by policy",
    "How games ended",
    "Labs at the end",
    "Capability by turn",
    "Events",
    "Events that never fired",
)


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one line a failed command wrote, checked to be that and no traceback."""
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("airace: error: "), captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_the_report_in_a_real_process_with_a_page(tmp_path: Path) -> None:
    page = tmp_path / "out" / "report.html"
    page.parent.mkdir()
    result = airace(
        "simulate",
        "--scenario",
        REPORT,
        "--compare",
        "base",
        "--games",
        "3",
        "--jobs",
        "2",
        "--faction",
        "all",
        "--html",
        str(page),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("Author's report: Report test (report-test)\n")
    for section in SECTIONS:
        assert f"\n{section}\n" in out, section
    assert "us/strategist/none      report-test" in out
    assert "china/strategist/none   report-test" in out
    assert f"The report as a web page: {Path('out') / 'report.html'}" in out
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'id="events"' in html
    # A lab's text with its placeholders in words, each side's choices to a world event.
    assert "{lab}" not in out and "{lab}" not in html
    assert "liaison: &lt;lab&gt; pulls its people out" in html
    assert "us choice 1" in html and "china choice 1" in html
    assert "\nus choice 1 " in out and "\nchina choice 1 " in out


def test_html_into_a_folder_that_does_not_exist_fails_before_playing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "nonexistent" / "dir" / "r.html"
    assert main(["simulate", "--games", "1", "--html", str(page)]) == 1
    line = error_line(capsys)
    folder = tmp_path / "nonexistent" / "dir"
    assert line.endswith(f"r.html: the folder {folder} does not exist")
    assert not (tmp_path / "nonexistent").exists()


def test_the_report_is_the_same_for_any_job_count(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["simulate", "--scenario", REPORT, "--games", "4", "--report", "--seed", "2"]
    assert main([*args, "--jobs", "1"]) == 0
    one = capsys.readouterr().out
    assert main([*args, "--jobs", "2"]) == 0
    two = capsys.readouterr().out
    # All but the last line, which says how fast the games were played.
    assert one.rsplit("\n\nPlayed in", 1)[0] == two.rsplit("\n\nPlayed in", 1)[0]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--compare", "no_such_scenario"], 2, "--compare: unknown scenario 'no_such_scenario'"),
        (["--compare", "missing.yaml"], 2, "--compare: no such file 'missing.yaml'"),
        (["--json", "--report"], 2, "--json prints the balance summary"),
        (["--faction", "all"], 2, "several sides, policies or difficulties"),
        (["--policy", "strategist,nobody", "--report"], 2, "invalid choice: 'nobody'"),
        (["--policy", "strategist,", "--report"], 2, "a policy name is missing"),
        (["--difficulty", "all,hard", "--report"], 2, "has no difficulty 'all'"),
        (["--faction", "all", "--report", "--save-dir", "x"], 2, "--save-dir saves the games"),
        (["--games", "600000", "--faction", "all", "--report"], 2, "1,200,000 games in all"),
    ],
)
def test_bad_report_arguments(
    args: list[str], code: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "--games", "1", "--scenario", REPORT, *args]) == code
    assert says in error_line(capsys)


def test_an_invalid_scenario_to_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: {id: bad, name: Bad}\nturns: 99\n", encoding="utf-8")
    assert main(["simulate", "--games", "1", "--compare", str(bad)]) == 1
    captured = capsys.readouterr()
    *problems, last = captured.err.strip().splitlines()
    assert problems and all(str(bad) in line for line in problems)
    assert last.startswith("airace: error: --compare: ") and "is not a valid scenario" in last
    assert "Traceback" not in captured.err


def test_a_compared_scenario_without_the_difficulty_asked_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    mini = str(REPO / "tests" / "scenario" / "data" / "mini.yaml")  # hard, but no easy
    args = ["simulate", "--games", "1", "--compare", mini, "--difficulty", "easy"]
    assert main(args) == 2
    assert "--compare: scenario 'mini' has no difficulty 'easy' (known: hard)" in error_line(capsys)


def test_html_into_a_folder_fails_before_playing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "--games", "1", "--html", str(tmp_path)]) == 1
    line = error_line(capsys)
    assert line.endswith("cannot write the report to " + str(tmp_path) + ": it is a folder")


def test_html_under_a_file_fails_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["simulate", "--games", "1", "--html", str(blocker / "report.html")]) == 1
    line = error_line(capsys)
    assert "cannot write the report to" in line and "report.html" in line


def test_html_that_cannot_be_written_at_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The folder was writable when the run began but the write fails at its end.
    def refuse(path: Path, data: bytes, **kwargs: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("game.files.write_atomically", refuse)
    args = ["simulate", "--scenario", REPORT, "--games", "1", "--html", str(tmp_path / "r.html")]
    assert main(args) == 1
    assert error_line(capsys).endswith("r.html: No space left on device")
