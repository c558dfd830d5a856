"""Charts as plain SVG, rendered at build time: no script, no network, no plotting library.

Each function takes labelled numbers and returns an `<svg>` string sized by its viewBox, so it
scales to the width of its box (a phone at 390 px included). Labels are escaped here.
"""

from __future__ import annotations

from html import escape

# Room right of the last column for half of its centred label (a four-digit year).
RIGHT_MARGIN = 16
WIDTH = 420          # viewBox width: about the width of a phone, so text stays readable there
LABEL_W = 150        # left column for bar labels
BAR_H = 18
GAP = 6
FONT = 12
MAX_LABEL = 22       # characters shown of a label; the full label is in the tooltip
COLUMN_H = 140       # plot height of column charts
BAR_COLOUR = "#3b6ea8"
SECOND_COLOUR = "#e08a2e"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def _svg(height: float, body: list[str], title: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(title)}" '
            f'font-family="system-ui, sans-serif" font-size="{FONT}">'
            f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def bars(title: str, items: list[tuple[str, float, float, str | None]], legend: tuple[str, str] | None = None) -> str:
    """Horizontal bars: (label, value, part of the value drawn in the second colour, link or None)."""
    if not items:
        return _svg(30, ['<text x="0" y="20" fill="#6e6e73">no data</text>'], title)
    top = max(v for _, v, _, _ in items) or 1
    plot = WIDTH - LABEL_W - 40
    y0 = 22 if legend else 0
    body = []
    if legend:
        body.append(f'<rect x="{LABEL_W}" y="4" width="10" height="10" fill="{BAR_COLOUR}"/>'
                    f'<text x="{LABEL_W + 14}" y="13">{escape(legend[0])}</text>'
                    f'<rect x="{LABEL_W + 120}" y="4" width="10" height="10" fill="{SECOND_COLOUR}"/>'
                    f'<text x="{LABEL_W + 134}" y="13">{escape(legend[1])}</text>')
    for i, (label, value, part, link) in enumerate(items):
        y = y0 + i * (BAR_H + GAP)
        w, pw = plot * value / top, plot * part / top
        row = (f'<g><title>{escape(label)}: {value:g}{f" ({part:g} {legend[1]})" if legend else ""}</title>'
               f'<text x="{LABEL_W - 6}" y="{y + BAR_H - 5}" text-anchor="end">{escape(_short(label))}</text>'
               f'<rect x="{LABEL_W}" y="{y}" width="{max(w, 1):.1f}" height="{BAR_H}" fill="{BAR_COLOUR}"/>'
               + (f'<rect x="{LABEL_W + w - pw:.1f}" y="{y}" width="{pw:.1f}" height="{BAR_H}" fill="{SECOND_COLOUR}"/>'
                  if pw else "")
               + f'<text x="{LABEL_W + w + 4:.1f}" y="{y + BAR_H - 5}">{value:g}</text></g>')
        body.append(f'<a href="{escape(link)}">{row}</a>' if link else row)
    return _svg(y0 + len(items) * (BAR_H + GAP), body, title)


def columns(title: str, items: list[tuple[str, float]], label_every: int = 1) -> str:
    """Vertical columns in order (a timeline or a histogram): (label, value)."""
    if not items:
        return _svg(30, ['<text x="0" y="20" fill="#6e6e73">no data</text>'], title)
    top = max(v for _, v in items) or 1
    left, n = 28, len(items)
    slot = (WIDTH - left - RIGHT_MARGIN) / n
    body = [f'<text x="{left - 4}" y="{FONT}" text-anchor="end">{top:g}</text>',
            f'<line x1="{left}" y1="{COLUMN_H}" x2="{WIDTH}" y2="{COLUMN_H}" stroke="#c7c7cc"/>']
    for i, (label, value) in enumerate(items):
        h = COLUMN_H * value / top
        x = left + i * slot
        body.append(f'<g><title>{escape(label)}: {value:g}</title>'
                    f'<rect x="{x + slot * 0.1:.1f}" y="{COLUMN_H - h:.1f}" width="{slot * 0.8:.1f}" height="{h:.1f}" '
                    f'fill="{BAR_COLOUR}"/></g>')
        if i % label_every == 0:
            body.append(f'<text x="{x + slot / 2:.1f}" y="{COLUMN_H + 14}" text-anchor="middle">{escape(label)}</text>')
    return _svg(COLUMN_H + 20, body, title)
