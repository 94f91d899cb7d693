"""The author's report as a web page: escaped, self-contained, and whole in a real browser.

The browser test drives Debian's Chromium (`/usr/bin/chromium`, or
$AIRACE_CHROMIUM) with Playwright; it is skipped, saying why, where either is
missing (`.ci/run` installs Chromium where it can).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from game.engine.rulebook import Rulebook
from game.scenario.loader import load_scenario
from game.sim.counts import Counts
from game.sim.figures import Figures, figures
from game.sim.page import page
from game.sim.runner import Setup, run_setups

DATA = Path(__file__).parent / "data"
SETUP = Setup("us", "strategist", None, seed=3)
HOSTILE_TITLE = "</title><script>alert('title')</script>"
HOSTILE_LAB = '"><img src=x onerror="alert(1)">'
HOSTILE_LABEL = "<b>bold</b> & </td></tr></table>"
SECTIONS = (
    "seats",
    "labs-won",
    "sides",
    "policies",
    "endings",
    "labs",
    "capability",
    "events",
    "never",
)


def hostile(folder: Path) -> Figures:
    """A run of a child of base whose names and titles are markup, as a stranger might write."""
    path = folder / "hostile.yaml"
    path.write_text(
        "extends: report.yaml\n"
        f"meta: {{id: hostile, name: {HOSTILE_TITLE!r}}}\n"
        f"factions: {{us: {{lab: {{name: {HOSTILE_LAB!r}}}}}}}\n"
        "events:\n"
        "  - id: every_game\n"
        f"    title: {HOSTILE_TITLE!r}\n"
        "    text: Asked of every lab.\n"
        "    who: all\n"
        '    earliest: "2025 Q1"\n'
        '    latest: "2025 Q1"\n'
        "    once: true\n"
        "    choices:\n"
        f"      - label: {HOSTILE_LABEL!r}\n"
        "      - label: Plain\n",
        encoding="utf-8",
    )
    shutil.copy(DATA / "report.yaml", folder / "report.yaml")
    sc = load_scenario(path)
    counts = Counts()
    records = run_setups(sc, (SETUP,), 6, counts=counts)
    return figures(Rulebook(sc), (SETUP,), records, counts)


@pytest.fixture(scope="module")
def figures_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Figures, Figures]:
    folder = tmp_path_factory.mktemp("page")
    child = hostile(folder)
    sc = load_scenario(DATA / "report.yaml")
    counts = Counts()
    records = run_setups(sc, (SETUP,), 6, counts=counts)
    return child, figures(Rulebook(sc), (SETUP,), records, counts)


def test_scenario_text_is_escaped(figures_pair: tuple[Figures, Figures]) -> None:
    child, parent = figures_pair
    html = page(child, parent)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "<b>" not in html
    assert "&lt;/title&gt;&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in html


def test_the_page_fetches_and_runs_nothing(figures_pair: tuple[Figures, Figures]) -> None:
    html = page(*figures_pair)
    assert "default-src 'none'" in html
    assert not re.search(r"\b(src|href)=\"(?!#)", html), "only links within the page"
    assert "http://" not in html and "https://" not in html


def _chromium() -> str | None:
    found = os.environ.get("AIRACE_CHROMIUM") or shutil.which("chromium")
    return found if found and Path(found).exists() else None


def _browser() -> Any:
    """Playwright and Chromium, or a skip that says which is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install playwright)")
    chromium = _chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed (apt-get install chromium), so no browser test")
    return sync_playwright, chromium


# Chromium as root in a sandbox with no network: no sandbox of its own, and
# nothing in the background that would try to reach the network.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_the_page_in_a_real_browser(figures_pair: tuple[Figures, Figures], tmp_path: Path) -> None:
    sync_playwright, chromium = _browser()
    child, parent = figures_pair
    path = tmp_path / "report.html"
    path.write_text(page(child, parent), encoding="utf-8")
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        try:
            tab = browser.new_page()
            tab.on("console", lambda m: problems.append(f"{m.type}: {m.text}"))
            tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            tab.on("request", lambda r: requests.append(r.url))
            tab.goto(path.as_uri(), wait_until="load")
            found = tab.evaluate(
                """(ids) => ({
                    sections: ids.filter((id) => document.getElementById(id)),
                    scripts: document.scripts.length,
                    images: document.images.length,
                    bars: document.querySelectorAll('svg.bar').length,
                    turns: document.querySelectorAll('svg.turns').length,
                    curves: document.querySelectorAll('svg.curve').length,
                    bands: document.querySelectorAll('svg.curve polygon').length,
                    title: document.title,
                    h1: document.querySelector('h1').textContent,
                    never: document.getElementById('never').textContent,
                    width: document.querySelector('svg.curve').getBoundingClientRect().width,
                })""",
                list(SECTIONS),
            )
        finally:
            browser.close()
    assert problems == []
    assert requests == [path.as_uri()]
    assert found["sections"] == list(SECTIONS)
    assert found["scripts"] == 0 and found["images"] == 0
    labs = len(child.labs)
    assert found["curves"] == 2 * labs and found["bands"] >= 2 * labs
    assert found["turns"] == 2 * len(child.events)  # a histogram for each event and run
    assert found["bars"] > 50
    assert HOSTILE_TITLE in found["title"] and HOSTILE_TITLE in found["h1"]
    assert "cannot_fire" in found["never"]
    assert found["width"] > 100  # the plots are drawn, not collapsed
