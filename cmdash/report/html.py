"""The bulletin as one self-contained HTML page: inline CSS, inline SVG bar charts, no
script, no font or image fetched from anywhere (it is forwarded by mail and printed)."""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from cmdash.i18n import t
from cmdash.report.bulletin import Bulletin, Section
from cmdash.report.cells import text

BAR_WIDTH, ROW_HEIGHT, LABEL_WIDTH, MAX_BARS = 360, 18, 140, 100

_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","WenQuanYi Micro Hei",
"WenQuanYi Zen Hei","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222;
font-size:13px}
h1{font-size:20px}h2{font-size:15px;margin-top:22px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ddd;padding:3px 6px}
th{background:#f3f3f3}td.n{text-align:right}p.note{color:#555;font-size:12px}
svg text{font-size:11px;fill:#333}
"""


def render(b: Bulletin) -> str:
    body = [f"<h1>{escape(b.title())}</h1>", f"<p>{escape(b.scope)}</p>"]
    for s in b.sections:
        body.append(_section(s, b.lang))
    foot = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>"
                   for k, v in b.footnote.items())
    body.append(f"<h2>{escape(t('report.section.footnote', b.lang))}</h2><table>{foot}"
                "</table>")
    lang = "zh-CN" if b.lang == "zh" else "en"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(b.title())}</title><style>{_CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def _section(s: Section, lang: str) -> str:
    parts = [f'<section id="{s.id}"><h2>{escape(s.title(lang))}</h2>']
    parts += [f'<p class="note">{escape(n)}</p>' for n in s.notes]
    if s.values.empty:
        parts.append(f"<p>{escape(t('report.empty', lang))}</p>")
    else:
        if s.chart:
            parts.append(bars(s.values, *s.chart))
        parts.append(_table(s, lang))
    return "".join(parts) + "</section>"


def _table(s: Section, lang: str) -> str:
    cols = list(s.headers)
    head = "".join(f"<th>{escape(s.headers[c])}</th>" for c in cols)
    rows = []
    for _, row in s.values.iterrows():
        cells = []
        for c in cols:
            numeric = isinstance(row[c], int | float)
            cells.append(f"<td{' class=n' if numeric else ''}>{escape(text(row, c, lang))}"
                         "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def bars(frame: pd.DataFrame, label: str, value: str) -> str:
    """Horizontal bars as inline SVG; negative values grow left of a zero line."""
    data = [(str(r[label]), float(r[value])) for _, r in frame.head(MAX_BARS).iterrows()
            if r[value] is not None and not (isinstance(r[value], float)
                                             and math.isnan(r[value]))]
    if not data:
        return ""
    low = min(0.0, *(v for _, v in data))
    high = max(0.0, *(v for _, v in data))
    span = (high - low) or 1.0
    zero = LABEL_WIDTH + (-low) / span * BAR_WIDTH
    width, height = LABEL_WIDTH + BAR_WIDTH + 60, ROW_HEIGHT * len(data) + 4
    out = [f'<svg width="{width}" height="{height}" '
           f'role="img">']
    for i, (name, v) in enumerate(data):
        y = i * ROW_HEIGHT + 2
        x = zero if v >= 0 else zero - (-v) / span * BAR_WIDTH
        w = abs(v) / span * BAR_WIDTH
        colour = "#4c78a8" if v >= 0 else "#e45756"
        out.append(f'<text x="{LABEL_WIDTH - 4}" y="{y + 12}" text-anchor="end">'
                   f"{escape(name[:18])}</text>"
                   f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW_HEIGHT - 4}" '
                   f'fill="{colour}"/><text x="{max(x + w, zero) + 4:.1f}" y="{y + 12}">'
                   f"{v:,.1f}</text>")
    out.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="0" y2="{height}" '
               'stroke="#999"/></svg>')
    return "".join(out)
