"""Text as the browser draws it meets WCAG AA (4.5:1): captions, the cards' comparison
lines and the charts' text, composited with every ancestor's opacity over the background
that shows behind them (tests/unit/test_contrast.py checks the declared colours)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.e2e.browsing import settle
from tests.unit.test_contrast import AA, contrast

pytestmark = pytest.mark.e2e

#: [text colour, opacity, background] of every drawn text node under these selectors
_DRAWN = """(selectors) => {
  const rgba = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const out = [];
  for (const el of document.querySelectorAll(selectors)) {
    if (!el.textContent.trim() || el.getClientRects().length === 0) continue;
    const svg = el instanceof SVGElement;
    const cs = getComputedStyle(el);
    let colour = rgba(svg ? cs.fill : cs.color);
    let opacity = (colour.length > 3 ? colour[3] : 1) * (svg ? Number(cs.fillOpacity) : 1);
    for (let a = el; a; a = a.parentElement) opacity *= Number(getComputedStyle(a).opacity);
    let back = [255, 255, 255];
    for (let a = el; a; a = a.parentElement) {
      const b = rgba(getComputedStyle(a).backgroundColor);
      if (b.length === 3 || (b.length === 4 && b[3] === 1)) { back = b.slice(0, 3); break; }
    }
    out.push({text: el.textContent.trim().slice(0, 40), colour: colour.slice(0, 3),
              opacity, back});
  }
  return out;
}"""
SELECTORS = ", ".join((
    '[data-testid="stCaptionContainer"]', '[data-testid="stMetricDeltaDescription"]',
    '[data-testid="stMetricLabel"]', ".stPlotlyChart .xtick text", ".stPlotlyChart .ytick text",
    ".stPlotlyChart .g-xtitle text", ".stPlotlyChart .g-ytitle text",
    ".stPlotlyChart .legendtext", ".stPlotlyChart .gtitle",
))


@pytest.mark.parametrize("lang", ["中文", "English"])
def test_captions_cards_and_chart_text_reach_aa(server: str, browser, lang: str) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 2400})
    page.goto(f"{server}/?lang={quote(lang)}")
    settle(page)
    drawn = page.evaluate(_DRAWN, SELECTORS)
    page.close()
    kinds = {d["text"] for d in drawn}
    assert len(kinds) >= 10, kinds  # captions, cards and the trend chart's text were found
    for d in drawn:
        shown = [d["opacity"] * c + (1 - d["opacity"]) * b
                 for c, b in zip(d["colour"], d["back"], strict=True)]
        ratio = contrast(tuple(shown), tuple(d["back"]))
        assert ratio >= AA, f"{d['text']!r}: {ratio:.2f}:1"
