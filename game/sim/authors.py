"""The author's report as text for the terminal, with bar charts.

It draws the sections of `game.sim.sections`: tables with a bar for each
share, a one-line histogram of the turns each event fired in, and a small
band chart of each lab's capability by turn. Scenario text is made plain
and cut short first (`fmt.one_line`): a title is data from a stranger,
never terminal codes.
"""

from __future__ import annotations

from collections.abc import Sequence

from game.fmt import one_line
from game.sim.charts import MEDIAN, RANGE, band, bar, binned, histogram
from game.sim.figures import Figures
from game.sim.report import percent
from game.sim.sections import (
    Cell,
    Curve,
    Curves,
    Heading,
    Listing,
    Section,
    Share,
    Table,
    Turns,
    heading,
    sections,
)

BAR = 20  # the width of a full bar, in cells
CELL_WIDTH = 72  # a cell of text (a name, a list of policies) is cut to this
LINE_WIDTH = 100  # a heading or a note is cut, or wrapped, to this
CURVE_HEIGHT = 6  # rows of a capability chart
MOST_TURNS = 60  # a histogram or a curve over more turns is drawn in bins
CHARTS_WIDTH = 110  # capability charts are set side by side up to this width


def render(figures: Figures, other: Figures | None = None) -> str:
    """The whole report as text; with `other`, its figures under each of `figures`'."""
    title, lines = heading(figures, other)
    out = [*_wrap(title), *(wrapped for line in lines for wrapped in _wrap(line))]
    for section in sections(figures, other):
        out += ["", *_section(section)]
    return "\n".join(line.rstrip() for line in out) + "\n"


def plain(text: str, width: int = CELL_WIDTH) -> str:
    """Text on one plain line, cut to `width` characters."""
    flat = one_line(text)
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def _section(section: Section) -> list[str]:
    out = [section.title, "=" * len(section.title)]
    out += [line for note in section.notes for line in _wrap(note)]
    for block in section.blocks:
        if isinstance(block, Table):
            out += ["", *_table(block)]
        elif isinstance(block, Curves):
            out += _curves(block)
        else:
            out += ["", *_listing(block)]
    return out


def _wrap(text: str, width: int = LINE_WIDTH) -> list[str]:
    lines: list[str] = []
    for word in one_line(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _listing(block: Listing) -> list[str]:
    return [plain(block.intro, LINE_WIDTH), *(f"  {plain(item, 80)}" for item in block.items)]


# --- tables ---------------------------------------------------------------------------


def _cell(cell: Cell, width: int = LINE_WIDTH) -> str:
    if isinstance(cell, Share):
        return f"{percent(cell.part, cell.whole):>6}  {bar(cell.fraction, BAR)}"
    if isinstance(cell, Turns):
        shown = binned(cell.counts, MOST_TURNS)
        per = -(-len(cell.counts) // len(shown)) if shown else 1
        marks = f" ({per} turns a mark)" if per > 1 else ""
        return f"1 {histogram(shown)} {len(cell.counts)}  {cell.note}{marks}"
    return plain(cell, width)


def _table(table: Table) -> list[str]:
    """Aligned columns; a row shorter than the others lets its last cell run on."""
    rows: list[Heading | list[str]] = [
        r if isinstance(r, Heading) else [_cell(c, CELL_WIDTH) for c in r[:-1]] + [_cell(r[-1])]
        for r in table.rows
    ]
    header = list(table.header) if any(table.header) else []
    lines = [r for r in rows if not isinstance(r, Heading)] + ([header] if header else [])
    count = max(len(r) for r in lines)
    widths = [0] * count
    for cells in lines:
        for c, text in enumerate(cells):
            if c < len(cells) - 1 or len(cells) == count:
                widths[c] = max(widths[c], len(text))

    def line(r: Sequence[str]) -> str:
        parts = [
            text.rjust(widths[c]) if c in table.right else text.ljust(widths[c])
            for c, text in enumerate(r[:-1])
        ]
        last = r[-1]
        if len(r) == count:
            last = last.rjust(widths[-1]) if count - 1 in table.right else last
        return "  ".join([*parts, last]).rstrip()

    out = [line(header), line(["-" * w for w in widths])] if header else []
    for r in rows:
        if isinstance(r, Heading):
            out += ["", plain(r.text, LINE_WIDTH)]
        else:
            out.append(line(r))
    return out


# --- capability curves ------------------------------------------------------------------


def _curves(block: Curves) -> list[str]:
    many = any(len(curves) > 1 for _, curves in block.labs)
    charts = [
        [plain(name, 40) if n == 0 else "", *_curve(curve, many, block.lo, block.hi)]
        for name, curves in block.labs
        for n, curve in enumerate(curves)
    ]
    runs = max(len(curves) for _, curves in block.labs)
    # Side by side, as many to a row as fit; a lab's runs always share a row.
    width = max(len(line) for chart in charts for line in chart) + 4
    per_row = max(runs, CHARTS_WIDTH // width // runs * runs)
    out = ["", f"{MEDIAN} the median, {RANGE} from the least to the greatest"]
    for first in range(0, len(charts), per_row):
        out.append("")
        for lines in zip(*charts[first : first + per_row], strict=True):
            out.append("".join(line.ljust(width) for line in lines))
    return out


def _curve(curve: Curve, many: bool, lo: float, hi: float) -> list[str]:
    """A lab's chart in one run: a heading, the chart's rows, and the turns under it."""
    head = f"  {plain(curve.run, 20)}: " if many else "  "
    last = curve.last
    if curve.spreads is None or last is None:
        return [f"{head}not in this scenario", *[""] * (CURVE_HEIGHT + 1)]
    turn, final = last
    step = -(-len(curve.spreads) // MOST_TURNS)
    shown = curve.spreads[::step]
    points = [(p.lo, p.median, p.hi) if p is not None else None for p in shown]
    top, bottom = f"{hi:.1f}", f"{lo:.1f}"
    pad = max(len(top), len(bottom))
    lines = [f"{head}{final.games:,} games reached turn {turn}"]
    for y, row in enumerate(band(points, lo, hi, CURVE_HEIGHT)):
        tick = top if y == 0 else bottom if y == CURVE_HEIGHT - 1 else ""
        lines.append(f"  {tick:>{pad}} ┤{row}")
    axis = f"0{str(len(curve.spreads) - 1).rjust(len(shown) - 1)}" if len(shown) > 1 else "0"
    lines.append(f"  {'':>{pad}}  {axis}")
    return lines
