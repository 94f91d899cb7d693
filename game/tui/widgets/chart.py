"""A line chart drawn in braille dots, with a log scale, for the terminal.

Each series is a line, a letter marker on its points, a label at its end and
an entry in the legend, so no line is told by colour alone; an emphasised
series (the player's lab) is drawn last, bold and two dots thick.

The drawing is a pure function of the series and the size (`draw_chart`),
so it is cheap to test and the same on every run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

# Braille dot bits by (column, row) inside a cell of 2 x 4 dots.
_DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
_BRAILLE = 0x2800
AXIS = Style(color="#8a8a8a")
# Line colours by slot, for dark and for light backgrounds.
DARK_PALETTE = (
    "#4fc3f7", "#ffb74d", "#81c784", "#e57373", "#ba68c8", "#fff176", "#a1887f", "#90a4ae"
)  # fmt: skip
LIGHT_PALETTE = (
    "#0b6fa4", "#b35c00", "#2e7d32", "#c62828", "#7b1fa2", "#7a6200", "#5d4037", "#455a64"
)  # fmt: skip

Formatter = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class Series:
    """One line: its name, one-character marker, colour slot and (x, y) points."""

    name: str
    marker: str
    color: int  # index into the palette
    points: tuple[tuple[float, float], ...]
    emphasis: bool = False  # the player's: bold, thick, "(you)"
    out: bool = False  # stopped early (a lab out of the race): "(out)"

    @property
    def note(self) -> str:
        words = ["you"] * self.emphasis + ["out"] * self.out
        return f" ({', '.join(words)})" if words else ""


def markers_for(names: Sequence[str]) -> list[str]:
    """One distinct capital letter per name: its first letter free, else any of its letters."""
    used: set[str] = set()
    out: list[str] = []
    for name in names:
        letters = [c.upper() for c in name if c.isalpha()]
        pick = next((c for c in letters if c not in used), None)
        if pick is None:
            pick = next(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" if c not in used)
        used.add(pick)
        out.append(pick)
    return out


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def y_ticks(lo: float, hi: float, rows: int, log: bool) -> tuple[float, float, list[float]]:
    """The axis range and tick values: decades on a log axis, 1-2-5 steps otherwise."""
    want = max(2, rows // 3)
    if log:
        a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        if a == b:
            b += 1
        step = max(1, math.ceil((b - a) / want))
        a -= a % step
        b = a + step * math.ceil((b - a) / step)
        return 10.0**a, 10.0**b, [10.0**e for e in range(a, b + 1, step)]
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    width = _nice_step(hi - lo, want)
    start = math.floor(lo / width) * width
    end = math.ceil(hi / width) * width
    n = round((end - start) / width)
    return start, end, [start + i * width for i in range(n + 1)]


def quarter_label(x: float) -> str:
    """A time in years (2026.25 is the start of 2026 Q2) as '2026' or 'Q2'."""
    year = math.floor(x + 1e-9)
    q = round((x - year) * 4) + 1
    return f"{year}" if q == 1 else f"Q{q}"


def x_ticks(lo: float, hi: float, cols: int) -> list[float]:
    """Quarter boundaries on the time axis, as sparse as the width needs."""
    quarters = round((hi - lo) * 4)
    for step in (1, 2, 4, 8, 16, 40):
        if quarters / step * 7 <= cols:
            break
    first = math.ceil(lo * 4 / step - 1e-9) * step
    last = math.floor(hi * 4 + 1e-9)
    return [q / 4 for q in range(first, last + 1, step)]


class _Canvas:
    """Cells of braille dots, each owned by the series that drew it last."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.bits = [[0] * cols for _ in range(rows)]
        self.owner: list[list[int]] = [[-1] * cols for _ in range(rows)]
        self.char: list[list[str]] = [[""] * cols for _ in range(rows)]

    def dot(self, px: int, py: int, who: int) -> None:
        if 0 <= px < self.cols * 2 and 0 <= py < self.rows * 4:
            c, r = px // 2, py // 4
            self.bits[r][c] |= _DOTS[px % 2][py % 4]
            self.owner[r][c] = who

    def line(self, x0: int, y0: int, x1: int, y1: int, who: int, thick: bool) -> None:
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            self.dot(x0, y0, who)
            if thick:
                self.dot(x0, y0 - 1, who)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy


def draw_chart(
    series: Sequence[Series],
    width: int,
    height: int,
    *,
    log_y: bool = False,
    fmt_y: Formatter = lambda v: f"{v:g}",
    guides: Sequence[tuple[float, str]] = (),
    palette: Sequence[str] = DARK_PALETTE,
) -> Text:
    """The whole chart (axes, lines, markers, end labels, legend) as styled text.

    `guides` are labelled dotted levels across the plot (a threshold to reach).
    """
    out = Text(no_wrap=True, overflow="crop", end="")
    if width < 20 or height < 6:
        return out
    legend = _legend(series, width)
    points = [
        (x, y) for s in series for x, y in s.points if not log_y or (y > 0 and math.isfinite(y))
    ]
    if not points:
        out.append("no data yet", AXIS)
        return out
    plot_rows = height - 2 - len(legend)
    if plot_rows < 3:
        legend, plot_rows = [], height - 2
    levels = [y for _, y in points] + [v for v, _ in guides if not log_y or v > 0]
    ylo, yhi, yt = y_ticks(min(levels), max(levels), plot_rows, log=log_y)
    ylabels = [fmt_y(v) for v in yt]
    left = max(len(lab) for lab in ylabels) + 1
    ends = [f"{s.marker} {s.name}{s.note}" for s in series]
    right = min(max(len(e) for e in ends) + 1, width // 4)
    cols = width - left - 1 - right
    xlo, xhi = min(x for x, _ in points), max(x for x, _ in points)
    if xhi - xlo < 1e-9:
        xhi = xlo + 0.25

    def ty(v: float) -> float:
        return math.log10(v) if log_y else v

    def px(x: float) -> int:
        return round((x - xlo) / (xhi - xlo) * (cols * 2 - 1))

    def py(y: float) -> int:
        t = (ty(y) - ty(ylo)) / (ty(yhi) - ty(ylo))
        return round((1 - t) * (plot_rows * 4 - 1))

    canvas = _Canvas(cols, plot_rows)
    order = sorted(range(len(series)), key=lambda i: series[i].emphasis)  # emphasis last
    dots = [[(px(x), py(y)) for x, y in s.points if not log_y or y > 0] for s in series]
    # Lines that reach the right edge get a label there; those that stop
    # early (a lab that went out) end on their marker.
    last_rows: dict[int, int] = {}
    for i in order:
        pts = dots[i]
        if not pts:
            continue
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            canvas.line(x0, y0, x1, y1, i, series[i].emphasis)
        if len(pts) == 1:
            canvas.dot(*pts[0], i)
        if pts[-1][0] == px(xhi):
            last_rows[i] = pts[-1][1] // 4
    labels = _place_labels(last_rows, plot_rows, series)
    guide_rows: dict[int, str] = {}
    for value, name in guides:
        if not log_y or value > 0:
            guide_rows[py(value) // 4] = f" {name} "
    for i in order:  # markers go over every line, spaced so the lines still show
        pts = dots[i]
        per_point = cols / max(1, len(pts) - 1)  # columns between two points
        picks = pts[::-1][:: max(1, math.ceil(8 / per_point))]
        if picks and labels.get(last_rows.get(i, -1)) == i:
            picks = picks[1:]  # its label is right beside its end
        for x, y in picks:
            canvas.char[y // 4][x // 2] = series[i].marker
            canvas.owner[y // 4][x // 2] = i

    tick_rows = {min(plot_rows - 1, py(v) // 4): lab for v, lab in zip(yt, ylabels, strict=True)}
    styles = [Style(color=palette[s.color % len(palette)], bold=s.emphasis) for s in series]
    marks = [style + Style(bold=True) for style in styles]
    for r in range(plot_rows):
        lab = tick_rows.get(r)
        out.append((lab or "").rjust(left - 1) + " ", AXIS)
        out.append("┤" if lab is not None else "│", AXIS)
        guide = guide_rows.get(r)
        # Runs of one style go in as one piece: a span per cell makes the
        # text several times slower to turn into strips.
        run: list[str] = []
        run_style = AXIS
        for c in range(cols):
            who = canvas.owner[r][c]
            if guide is not None and who < 0:
                ch, style = (guide[c - 1] if 0 < c <= len(guide) else "┄"), AXIS
            elif canvas.char[r][c]:
                ch, style = canvas.char[r][c], marks[who]
            else:
                ch = chr(_BRAILLE + canvas.bits[r][c]) if who >= 0 else " "
                style = styles[who] if who >= 0 else AXIS
            if style is not run_style and run:
                out.append("".join(run), run_style)
                run = []
            run_style = style
            run.append(ch)
        out.append("".join(run), run_style)
        if r in labels:
            i = labels[r]
            out.append((" " + ends[i])[:right].ljust(right), styles[i])
        else:
            out.append(" " * right)
        out.append("\n")
    ticks = x_ticks(xlo, xhi, cols)
    axis = ["─"] * cols
    under = [" "] * (cols + right)
    for tick in ticks:
        c = px(tick) // 2
        axis[c] = "┬"
        text = quarter_label(tick)
        start = max(0, min(c - len(text) // 2, cols + right - len(text)))
        if all(ch == " " for ch in under[max(0, start - 1) : start + len(text) + 1]):
            under[start : start + len(text)] = text
    out.append(" " * left + "└" + "".join(axis) + "\n", AXIS)
    out.append(" " * (left + 1) + "".join(under), AXIS)
    for line in legend:
        out.append("\n")
        for piece, i in line:
            out.append(piece, styles[i] if i >= 0 else AXIS)
    return out


def _place_labels(last_rows: dict[int, int], rows: int, series: Sequence[Series]) -> dict[int, int]:
    """Rows for the end labels: each near its line's end, no two on one row."""
    placed: dict[int, int] = {}
    # The emphasised series first, so it keeps the row its line ends on.
    for i in sorted(last_rows, key=lambda i: (not series[i].emphasis, last_rows[i])):
        want = last_rows[i]
        for d in range(rows):
            row = next((r for r in (want + d, want - d) if 0 <= r < rows and r not in placed), None)
            if row is not None:
                placed[row] = i
                break
    return placed


def _legend(series: Sequence[Series], width: int) -> list[list[tuple[str, int]]]:
    """Legend lines of (text, series index); -1 marks plain text."""
    lines: list[list[tuple[str, int]]] = [[]]
    used = 0
    for i, s in enumerate(series):
        piece = f"{s.marker} {s.name}{s.note}"
        gap = 3 if used else 0
        if used and used + gap + len(piece) > width:
            lines.append([])
            used, gap = 0, 0
        if gap:
            lines[-1].append(("   ", -1))
        lines[-1].append((piece, i))
        used += gap + len(piece)
    return lines if series else []


class LineChart(Widget):
    """A widget showing `draw_chart` at its current size."""

    DEFAULT_CSS = """
    LineChart {
        width: 1fr;
        height: 1fr;
        min-height: 8;
    }
    """

    def __init__(
        self,
        series: Sequence[Series] = (),
        *,
        log_y: bool = False,
        fmt_y: Formatter = lambda v: f"{v:g}",
        guides: Sequence[tuple[float, str]] = (),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.series = list(series)
        self.log_y = log_y
        self.fmt_y = fmt_y
        self.guides = list(guides)

    def set_series(self, series: Sequence[Series]) -> None:
        """Show new data."""
        self.series = list(series)
        self.refresh()

    def render(self) -> RenderableType:
        size = self.content_size
        dark = self.app.current_theme.dark
        return draw_chart(
            self.series,
            size.width,
            size.height,
            log_y=self.log_y,
            fmt_y=self.fmt_y,
            guides=self.guides,
            palette=DARK_PALETTE if dark else LIGHT_PALETTE,
        )
