"""SVG charts for the office pages, drawn on the server (no JavaScript). Each chart has a
<title> and text labels, so the figures are readable without the colours."""

from __future__ import annotations

from markupsafe import Markup, escape

ZONE = {"green": "#2E7D32", "yellow": "#F9A825", "red": "#C62828", None: "#9E9E9E"}
ACCENT = "#1F4E79"


def band_bars(items: list[tuple[str, int, str | None]], title: str) -> Markup:
    """Vertical bars: ``[(label, count, zone)]`` (the label says the band in words)."""
    w, h, pad = 66, 120, 12
    top = max([c for _, c, _z in items] + [1])
    width = pad + len(items) * (w + 14)
    parts = [f'<svg class="chart" role="img" width="{width}" height="{h + 50}" '
             f'viewBox="0 0 {width} {h + 50}"><title>{escape(title)}</title>']
    for i, (label, count, zone) in enumerate(items):
        x = pad + i * (w + 14)
        bh = round(h * count / top)
        parts.append(f'<rect x="{x}" y="{h - bh + 16}" width="{w}" height="{bh}" '
                     f'fill="{ZONE.get(zone, ACCENT)}"><title>{escape(label)}: {count}</title></rect>')
        parts.append(f'<text x="{x + w / 2}" y="{h - bh + 12}" text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + w / 2}" y="{h + 32}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def hbars(items: list[tuple[str, str, float | None]], title: str) -> Markup:
    """Horizontal 0-100 bars: ``[(label, shown value, value)]``."""
    lw, bw, row = 200, 320, 24
    height = row * len(items) + 8
    parts = [f'<svg class="chart" role="img" width="{lw + bw + 70}" height="{height}" '
             f'viewBox="0 0 {lw + bw + 70} {height}"><title>{escape(title)}</title>']
    for i, (label, shown, value) in enumerate(items):
        y = 4 + i * row
        parts.append(f'<text x="0" y="{y + 15}">{escape(label[:32])}</text>')
        parts.append(f'<rect x="{lw}" y="{y + 3}" width="{bw}" height="14" fill="#EEF2F7"/>')
        if value is not None:
            parts.append(f'<rect x="{lw}" y="{y + 3}" width="{bw * value / 100:.1f}" height="14" '
                         f'fill="{ACCENT}"/>')
        parts.append(f'<text x="{lw + bw + 8}" y="{y + 15}">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trend_line(points: list[tuple[str, str, float]], title: str) -> Markup:
    """A line over rounds: ``[(round name, shown value, value)]`` on a 0-100 axis."""
    w, h, step = 420, 140, 90
    if not points:
        return Markup("")
    width = max(w, 60 + step * len(points))
    coords = [(40 + i * step, 10 + (100 - v) * (h - 30) / 100) for i, (_n, _s, v) in enumerate(points)]
    parts = [f'<svg class="chart" role="img" width="{width}" height="{h + 20}" '
             f'viewBox="0 0 {width} {h + 20}"><title>{escape(title)}</title>',
             f'<polyline fill="none" stroke="{ACCENT}" stroke-width="2" points="'
             + " ".join(f"{x:.0f},{y:.0f}" for x, y in coords) + '"/>']
    for (x, y), (name, shown, _v) in zip(coords, points):
        parts.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="4" fill="{ACCENT}"/>')
        parts.append(f'<text x="{x:.0f}" y="{y - 8:.0f}" text-anchor="middle">{escape(shown)}</text>')
        parts.append(f'<text x="{x:.0f}" y="{h + 12}" text-anchor="middle">{escape(name[:16])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
