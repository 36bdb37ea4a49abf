"""Text contrast against WCAG AA (4.5:1 for normal text), from the declared colours: the
theme's text and background (.streamlit/config.toml, light and dark) and the charts' inks
(cmdash.charts.INK). tests/e2e/test_contrast_browser.py measures the drawn page."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cmdash.charts import INK

ROOT = Path(__file__).resolve().parents[2]
AA = 4.5
#: Streamlit 1.67 draws captions and a card's comparison line at this opacity of textColor
CAPTION_OPACITY = 0.6
#: the sidebar's background when the theme keeps Streamlit's default page background
SIDEBAR = {"light": "#f8f8f7", "dark": "#21201d"}


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(v: float) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fore: tuple[float, float, float], back: tuple[float, float, float]) -> float:
    hi, lo = sorted((_luminance(fore), _luminance(back)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def blend(fore: str, back: str, opacity: float) -> tuple[float, float, float]:
    """`fore` drawn at `opacity` over `back`, as the browser composites it."""
    return tuple(opacity * f + (1 - opacity) * b
                 for f, b in zip(_rgb(fore), _rgb(back), strict=True))


def _themes() -> dict[str, dict]:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return config["theme"]


def test_the_formula_matches_known_pairs() -> None:
    assert contrast(_rgb("#000000"), _rgb("#ffffff")) == pytest.approx(21.0)
    assert contrast(_rgb("#767676"), _rgb("#ffffff")) == pytest.approx(4.54, abs=0.01)
    # Streamlit's default light text as a caption: the 3.9:1 the issue measured
    assert contrast(blend("#2f2d2b", "#ffffff", CAPTION_OPACITY),
                    _rgb("#ffffff")) == pytest.approx(3.9, abs=0.1)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_captions_meet_aa_on_the_page_and_the_sidebar(theme: str) -> None:
    declared = _themes()[theme]
    text = declared["textColor"]
    for back in (declared["backgroundColor"], SIDEBAR[theme]):
        ratio = contrast(blend(text, back, CAPTION_OPACITY), _rgb(back))
        assert ratio >= AA, f"{theme} caption on {back}: {ratio:.2f}:1"
        assert contrast(_rgb(text), _rgb(back)) >= 7  # body text: AAA


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_chart_text_and_last_years_line_meet_aa(theme: str) -> None:
    ink = INK[theme]
    assert ink.background == _themes()[theme]["backgroundColor"]
    for name in ("text", "last_year"):
        ratio = contrast(_rgb(getattr(ink, name)), _rgb(ink.background))
        assert ratio >= AA, f"{theme} {name}: {ratio:.2f}:1"
