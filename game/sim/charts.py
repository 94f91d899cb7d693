"""Small charts drawn in text: bars, a one-line histogram, and a band chart over turns.

Each is plain characters (block elements), readable without colour, and
the same for the same figures on every terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

# A bar's last cell in eighths: a sliver shows as a sliver, not as nothing.
EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
# A histogram's column heights; an empty column is a dot, so the axis shows.
LEVELS = "▁▂▃▄▅▆▇█"
EMPTY = "·"
# A band chart's marks: the median, the range between min and max.
MEDIAN = "●"
RANGE = "│"


def bar(fraction: float, width: int) -> str:
    """A horizontal bar `width` cells long when `fraction` is 1, cut to eighths of a cell."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = max(1, round(fraction * width * 8)) if fraction > 0 else 0
    whole, part = divmod(eighths, 8)
    return (FULL * whole + (EIGHTHS[part] if part else "")).ljust(width)


def histogram(counts: Sequence[int], most: int | None = None) -> str:
    """One character per count, its height by `most` (default: the largest count)."""
    top = most if most is not None else max(counts, default=0)
    out = []
    for n in counts:
        if n <= 0 or top <= 0:
            out.append(EMPTY)
        else:
            out.append(LEVELS[min(len(LEVELS) - 1, (n * len(LEVELS) - 1) // top)])
    return "".join(out)


def binned(counts: Sequence[int], width: int) -> list[int]:
    """`counts` added up in `width` bins of equal length (the last may be shorter)."""
    if len(counts) <= width:
        return list(counts)
    size = -(-len(counts) // width)  # ceiling division
    return [sum(counts[i : i + size]) for i in range(0, len(counts), size)]


def band(
    points: Sequence[tuple[float, float, float] | None],
    lo: float,
    hi: float,
    height: int,
) -> list[str]:
    """Rows (top first) of a chart with one column per point: min to max, and the median.

    A column is blank where the point is None; `lo` and `hi` are the bottom and
    top of the chart.
    """
    span = hi - lo if hi > lo else 1.0

    def row(value: float) -> int:
        return min(height - 1, max(0, round((value - lo) / span * (height - 1))))

    grid = [[" "] * len(points) for _ in range(height)]
    for x, point in enumerate(points):
        if point is None:
            continue
        least, middle, most = point
        for y in range(row(least), row(most) + 1):
            grid[y][x] = RANGE
        grid[row(middle)][x] = MEDIAN
    return ["".join(cells) for cells in reversed(grid)]
