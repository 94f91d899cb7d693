"""How figures and text read, on screen and in print: money, shares, token prices, trends
and changes, and text from scenarios and saves made safe to show.

Nothing here knows the rules or a terminal (the terminal game and the
command line both use it); it only turns numbers into short text. Changes
always carry a sign and an arrow, so no figure is told by colour alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from game.engine.happenings import money

__all__ = [
    "money",
    "cash",
    "pct",
    "token_cost",
    "spark",
    "change",
    "date",
    "compact",
    "plural",
    "clean",
    "one_line",
]

BARS = "▁▂▃▄▅▆▇█"
UP = "▲"
DOWN = "▼"
SAME = "="


def cash(m: float) -> str:
    """$M as money with two decimals in billions, for the cash figure: $15.00B."""
    sign = "-" if m < 0 else ""
    return f"{sign}${abs(m) / 1000:,.2f}B"


def pct(share: float) -> str:
    """A share in 0..1 as a percentage: 12.3%."""
    return f"{share * 100:.1f}%"


def token_cost(dollars: float) -> str:
    """$ per million tokens with enough digits to see it fall: $0.85, $0.0523."""
    if dollars <= 0 or not math.isfinite(dollars):
        return "-"
    digits = max(2, 2 - math.floor(math.log10(dollars)))
    return f"${dollars:.{min(digits, 8)}f}"


def compact(n: float) -> str:
    """A count in few characters: 950, 12.5k, 300k, 1.2M."""
    a = abs(n)
    if a >= 1e6:
        return f"{n / 1e6:.3g}M"
    if a >= 1e4:
        return f"{n / 1e3:.0f}k"
    if a >= 1e3:
        return f"{n / 1e3:.3g}k"
    return f"{n:.0f}"


def spark(values: Sequence[float], width: int = 10) -> str:
    """The last `width` values as a bar sparkline, scaled between their min and max."""
    tail = [v for v in values[-width:] if math.isfinite(v)]
    if not tail:
        return ""
    lo, hi = min(tail), max(tail)
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        return BARS[3] * len(tail)
    top = len(BARS) - 1
    return "".join(BARS[round((v - lo) / (hi - lo) * top)] for v in tail)


def change(before: float, after: float, fmt: str = "{:+.1f}", *, eps: float = 1e-9) -> str:
    """The change from `before` to `after` with an arrow and a sign: ▲ +1.0, ▼ -2.0, = 0."""
    d = after - before
    if abs(d) <= eps:
        return f"{SAME} 0"
    return f"{UP if d > 0 else DOWN} {fmt.format(d)}"


def date(year: int, quarter: int) -> str:
    return f"{year} Q{quarter}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """`n word` with the word made plural when n is not 1: 1 quarter, 6 quarters."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


# C0 and C1 control characters (newline aside) and the Unicode controls that
# reorder text (bidi embeddings, overrides and isolates): none has any business
# in a scenario's prose, and each can make the screen show other than it says.
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """`text` with tabs as spaces and every other control character taken out."""
    return _CONTROLS.sub(lambda m: " " if m.group() == "\t" else "", text)


def one_line(text: str) -> str:
    """`text` cleaned, with runs of whitespace (newlines too) as single spaces."""
    return " ".join(clean(text).split())
