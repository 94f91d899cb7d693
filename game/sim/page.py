"""The author's report as one self-contained web page, with plots drawn in inline SVG.

It draws the same sections as the text report (`game.sim.sections`): no
script, no stylesheet or font from elsewhere, nothing fetched when it is
opened, and a Content-Security-Policy that forbids all of it. Every piece of
text is escaped on its way in (`html.escape`): a scenario's titles and names
are data from strangers, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from game.sim.charts import binned
from game.sim.figures import Figures, Spread
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

BAR_WIDTH = 160  # pixels of a full bar
CURVE_WIDTH, CURVE_HEIGHT = 340, 170  # a capability chart, margins included
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT = 44, 22, 8, 10
MOST_TURNS = 120  # a histogram over more turns is drawn in bins

STYLE = """
:root { color-scheme: light; --ink: #1d2330; --soft: #5b6475; --rule: #d9dde5;
  --bar: #3f6fb5; --band: #c9d8ef; --other: #c0582b; --paper: #ffffff; }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--ink); background: var(--paper);
  max-width: 1180px; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid var(--rule); }
nav a { margin-right: .8rem; }
p.note { color: var(--soft); margin: .3rem 0 .6rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; }
th, td { padding: .15rem .6rem; text-align: left; vertical-align: middle; }
thead th { border-bottom: 1px solid var(--ink); font-weight: 600; }
tbody tr.first td { border-top: 1px solid var(--rule); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.share { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.share span { display: inline-block; width: 3.6rem; text-align: right; }
svg.bar { vertical-align: middle; margin-left: .4rem; }
svg.bar rect.full { fill: #eef1f6; }
svg.bar rect.part { fill: var(--bar); }
tr.heading th { padding-top: 1.1rem; font-size: 1.02rem; border-bottom: 1px solid var(--rule); }
svg.turns rect { fill: var(--bar); }
svg.turns line, svg.curve line { stroke: var(--soft); stroke-width: 1; }
svg text { font: 11px system-ui, sans-serif; fill: var(--soft); }
.curves { display: flex; flex-wrap: wrap; gap: .4rem 1.6rem; }
.lab { border-top: 1px solid var(--rule); padding-top: .4rem; }
.lab h3 { font-size: 1rem; margin: .2rem 0; }
.runs { display: flex; gap: 1rem; }
figure { margin: 0; }
figcaption { color: var(--soft); font-size: .9rem; }
svg.curve polygon { fill: var(--band); stroke: none; }
svg.curve polyline { fill: none; stroke: var(--bar); stroke-width: 2; }
svg.curve circle { fill: var(--bar); }
"""


def page(figures: Figures, other: Figures | None = None) -> str:
    """The whole report as one HTML document; with `other`, its figures under each of ours."""
    title, lines = heading(figures, other)
    parts = sections(figures, other)
    body = [
        f"<header><h1>{escape(title)}</h1>",
        *(f'<p class="note">{escape(line)}</p>' for line in lines),
        "</header>",
        '<nav aria-label="Sections">',
        *(f'<a href="#{escape(s.id)}">{escape(s.title)}</a>' for s in parts),
        "</nav>",
        *(_section(s) for s in parts),
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            # Nothing to fetch and nothing to run: a report is figures and words.
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _section(section: Section) -> str:
    out = [f'<section id="{escape(section.id)}">', f"<h2>{escape(section.title)}</h2>"]
    out += [f'<p class="note">{escape(note)}</p>' for note in section.notes]
    for block in section.blocks:
        if isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Curves):
            out.append(_curves(block))
        else:
            out.append(_listing(block))
    out.append("</section>")
    return "\n".join(out)


def _listing(block: Listing) -> str:
    items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
    return f"<p>{escape(block.intro)}</p>" + (f"<ul>{items}</ul>" if items else "")


# --- tables ---------------------------------------------------------------------------


def _table(table: Table) -> str:
    rows = [r for r in table.rows if not isinstance(r, Heading)]
    count = max([len(r) for r in rows] + [len(table.header)])
    out = ["<table>"]
    if any(table.header):
        out.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.header))
        out.append("</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        if isinstance(row, Heading):
            anchor = f' id="{escape(row.anchor)}"' if row.anchor else ""
            out.append(
                f'<tr class="heading"><th colspan="{count}"{anchor}>{escape(row.text)}</th></tr>'
            )
            continue
        first = ' class="first"' if row and row[0] else ""
        cells = [_cell(cell, c in table.right) for c, cell in enumerate(row)]
        if len(row) < count:  # the last cell runs on to the table's edge
            cells[-1] = cells[-1].replace("<td", f'<td colspan="{count - len(row) + 1}"', 1)
        out.append(f"<tr{first}>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _cell(cell: Cell, number: bool) -> str:
    if isinstance(cell, Share):
        return f'<td class="share"><span>{percent(cell.part, cell.whole)}</span>{_bar(cell)}</td>'
    if isinstance(cell, Turns):
        return f"<td>{_turns(cell)} {escape(cell.note)}</td>"
    return f'<td class="num">{escape(cell)}</td>' if number else f"<td>{escape(cell)}</td>"


def _bar(share: Share) -> str:
    width = share.fraction * BAR_WIDTH
    said = f"{share.part:,} of {share.whole:,}"
    return (
        f'<svg class="bar" width="{BAR_WIDTH}" height="12" viewBox="0 0 {BAR_WIDTH} 12" '
        f'role="img" aria-label="{said}"><title>{said}</title>'
        f'<rect class="full" width="{BAR_WIDTH}" height="12"/>'
        f'<rect class="part" width="{width:.1f}" height="12"/></svg>'
    )


def _turns(turns: Turns) -> str:
    """A histogram of the turns an event fired in, turn 1 on the left."""
    counts = binned(turns.counts, MOST_TURNS)
    per = -(-len(turns.counts) // len(counts)) if counts else 1
    step, height, base = 6, 30, 30
    width = max(1, len(counts)) * step
    top = max(counts, default=0) or 1
    bars = []
    for i, n in enumerate(counts):
        if n:
            h = max(1.0, n / top * height)
            first = i * per + 1
            when = f"turn {first}" if per == 1 else f"turns {first}-{first + per - 1}"
            bars.append(
                f'<rect x="{i * step}" y="{base - h:.1f}" width="{step - 1}" height="{h:.1f}">'
                f"<title>{when}: {n:,}</title></rect>"
            )
    last = len(turns.counts)
    return (
        f'<svg class="turns" width="{width + 2}" height="{base + 14}" '
        f'viewBox="0 0 {width + 2} {base + 14}" role="img" '
        f'aria-label="turns fired in: {escape(turns.note)}">'
        f'<line x1="0" y1="{base + 0.5}" x2="{width}" y2="{base + 0.5}"/>'
        + "".join(bars)
        + f'<text x="0" y="{base + 12}">1</text>'
        f'<text x="{width}" y="{base + 12}" text-anchor="end">{last}</text></svg>'
    )


# --- capability curves ----------------------------------------------------------------


def _curves(block: Curves) -> str:
    turns = max((len(c.spreads or ()) for _, curves in block.labs for c in curves), default=1)
    out = ['<div class="curves">']
    for name, curves in block.labs:
        out.append(f'<div class="lab"><h3>{escape(name)}</h3><div class="runs">')
        for curve in curves:
            caption = _caption(curve, len(curves) > 1)
            chart = _curve(curve, block.lo, block.hi, turns, name)
            out.append(f"<figure>{chart}<figcaption>{escape(caption)}</figcaption></figure>")
        out.append("</div></div>")
    out.append("</div>")
    return "\n".join(out)


def _caption(curve: Curve, many: bool) -> str:
    run = f"{curve.run}: " if many else ""
    last = curve.last
    if last is None:
        return f"{run}not in this scenario"
    turn, spread = last
    return f"{run}median {spread.median:.1f} at turn {turn} ({spread.games:,} games reached it)"


def _curve(curve: Curve, lo: float, hi: float, turns: int, name: str) -> str:
    """The least-to-greatest band and the median line of one lab's capability by turn."""
    inner_w = CURVE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    inner_h = CURVE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    span = hi - lo if hi > lo else 1.0
    last = max(1, turns - 1)

    def x(turn: int) -> float:
        return MARGIN_LEFT + turn / last * inner_w

    def y(value: float) -> float:
        return MARGIN_TOP + (1 - (value - lo) / span) * inner_h

    bottom = MARGIN_TOP + inner_h
    said = f"{name}: capability by turn ({curve.run})"
    out = [
        f'<svg class="curve" width="{CURVE_WIDTH}" height="{CURVE_HEIGHT}" '
        f'viewBox="0 0 {CURVE_WIDTH} {CURVE_HEIGHT}" role="img" aria-label="{escape(said)}">',
        f"<title>{escape(said)}</title>",
    ]
    for segment in _segments(curve.spreads or ()):
        upper = " ".join(f"{x(t):.1f},{y(p.hi):.1f}" for t, p in segment)
        lower = " ".join(f"{x(t):.1f},{y(p.lo):.1f}" for t, p in reversed(segment))
        middle = " ".join(f"{x(t):.1f},{y(p.median):.1f}" for t, p in segment)
        out.append(f'<polygon points="{upper} {lower}"/>')
        out.append(f'<polyline points="{middle}"/>')
        if len(segment) == 1:  # a line needs two points: a lone turn is a dot
            t, p = segment[0]
            out.append(f'<circle cx="{x(t):.1f}" cy="{y(p.median):.1f}" r="2.5"/>')
    out += [
        f'<line x1="{MARGIN_LEFT}" y1="{bottom}" x2="{MARGIN_LEFT + inner_w}" y2="{bottom}"/>',
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{MARGIN_LEFT}" y2="{bottom}"/>',
        f'<text x="{MARGIN_LEFT - 4}" y="{MARGIN_TOP + 9}" text-anchor="end">{hi:.1f}</text>',
        f'<text x="{MARGIN_LEFT - 4}" y="{bottom}" text-anchor="end">{lo:.1f}</text>',
        f'<text x="{MARGIN_LEFT}" y="{bottom + 14}">0</text>',
        f'<text x="{MARGIN_LEFT + inner_w}" y="{bottom + 14}" text-anchor="end">'
        f"turn {turns - 1}</text>",
        "</svg>",
    ]
    return "".join(out)


def _segments(spreads: Sequence[Spread | None]) -> list[list[tuple[int, Spread]]]:
    """Runs of turns that have figures (a turn no game reached breaks the line)."""
    out: list[list[tuple[int, Spread]]] = [[]]
    for turn, spread in enumerate(spreads):
        if spread is None:
            if out[-1]:
                out.append([])
        else:
            out[-1].append((turn, spread))
    return [segment for segment in out if segment]
