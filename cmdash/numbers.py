"""How a number is written, one way per unit (`cmdash.kpi.units`), for every page and export:
`1,234.5 箱`, `1.23万箱`, `12.5%`, `+1.2 百分点`, `1.23亿元`; a missing value is a dash."""

from __future__ import annotations

import io
import math

import pandas as pd

from cmdash.i18n import pick
from cmdash.kpi.units import BIG_STEPS_EN, BIG_STEPS_ZH, HUNDREDTHS, UNITS


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def unit_word(unit: str, lang: str) -> str:
    u = UNITS[unit]
    return pick(u.zh, u.en, lang)


def _join(text: str, word: str, lang: str) -> str:
    if not word:
        return text
    tight = word == "%" or (lang == "zh" and word != "百分点")
    return f"{text}{word}" if tight else f"{text} {word}"


def _compact(value: float, unit: str, lang: str) -> tuple[float, str] | None:
    """(scaled value, unit word) for a large sum, or None when it is not large."""
    u = UNITS[unit]
    if u.big is None:
        return None
    if u.big == "wan":  # the value is already in 万元
        if lang == "zh":
            return (value / 1e4, "亿元") if abs(value) >= 1e4 else None
        value, word = value * 1e4, "yuan"
    else:
        word = unit_word(unit, lang)
    for factor, step in (BIG_STEPS_ZH if lang == "zh" else BIG_STEPS_EN):
        if abs(value) >= factor:
            return value / factor, (f"{step}{word}" if lang == "zh" else f"{step} {word}")
    return None


def format_value(value, unit: str, lang: str = "zh", with_unit: bool = True,
                 compact: bool = False) -> str:
    """`1,234.5 箱` (thousands separators, the unit's decimals); `compact`: a large sum in
    万/亿 (M/bn in English), `1.23万箱`; a missing value is `—`, never 0."""
    if _missing(value):
        return "—"
    u = UNITS[unit]
    value = float(value) * (100 if unit in HUNDREDTHS else 1)
    big = _compact(value, unit, lang) if compact else None
    if big is not None:  # the unit word changes with the scale, so it is always written
        scaled, word = big
        return f"{scaled:,.2f}{word}" if lang == "zh" else f"{scaled:,.2f} {word}"
    text = f"{value:,.{u.decimals}f}"
    return _join(text, unit_word(unit, lang), lang) if with_unit else text


def format_signed(value, unit: str, lang: str = "zh") -> str | None:
    """A difference in the unit itself, signed: `+12.3箱`; a rate's difference in 百分点."""
    if _missing(value):
        return None
    if unit == "pct":
        return format_points(value, lang)
    decimals = UNITS[unit].decimals
    text = f"{_no_negative_zero(float(value), decimals):+,.{decimals}f}"
    return _join(text, unit_word(unit, lang), lang)


def format_points(delta, lang: str = "zh") -> str | None:
    """A change of a rate, in percentage points: `+1.2 百分点` / `+1.2 pp`."""
    if _missing(delta):
        return None
    return f"{_no_negative_zero(float(delta), UNITS['pp'].decimals):+.{UNITS['pp'].decimals}f}" \
        f" {unit_word('pp', lang)}"


def format_change(change) -> str | None:
    """A relative change: `+3.4%`."""
    if _missing(change):
        return None
    return f"{_no_negative_zero(float(change) * 100, 1) / 100:+.1%}"


def _no_negative_zero(value: float, decimals: int) -> float:
    """0.0 for a value that rounds to zero: `+0.0%`, never `-0.0%`."""
    return 0.0 if round(value, decimals) == 0 else value


def feature_unit(feature_unit: str, feature_id: str) -> str:
    """The number unit of a coaching feature: its 0–1 shares as %, their changes in points."""
    if feature_unit == "pct":
        return "share_pp" if feature_id.endswith("_change") else "share"
    return {"ratio": "ratio", "per_100": "per_100", "score": "score"}.get(feature_unit,
                                                                          feature_unit)


UP, DOWN, SAME = "↑", "↓", "—"


def arrow_change(before, after, decimals: int = 0, lower_is_up: bool = False) -> str:
    """A change as an arrow and its size: `↑ 3`, `↓ 1.5`, `—` (none or not measured).
    `lower_is_up`: for ranks, where 5 → 2 is a move up."""
    if _missing(before) or _missing(after):
        return SAME
    step = float(after) - float(before)
    if lower_is_up:
        step = -step
    if round(step, decimals) == 0:
        return SAME
    return f"{UP if step > 0 else DOWN} {abs(step):,.{decimals}f}"


def column_format(unit: str) -> str:
    """The printf format for st.column_config.NumberColumn: `%,.1f` (unit in the header)."""
    if unit in HUNDREDTHS:
        return "percent"
    return f"%,.{UNITS[unit].decimals}f"


def excel_format(unit: str) -> str:
    """The Excel number format: `#,##0.0`."""
    u = UNITS[unit]
    digits = "#,##0" + ("." + "0" * u.decimals if u.decimals else "")
    return digits.removeprefix("#,##") + "%" if unit in HUNDREDTHS else digits


def round_frame(frame: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """A copy with each column of `units` rounded to its unit's decimals, so an export holds
    4819.64, not 4819.6399999999885 (integers stay integers)."""
    out = frame.copy()
    for col, unit in units.items():
        if col in out and pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(UNITS[unit].decimals + (2 if unit in HUNDREDTHS else 0))
    return out


def with_excel_formats(xlsx: bytes, units: dict[str, str]) -> bytes:
    """The workbook with each column headed by a key of `units` in that unit's number format
    (Excel shows `1,234.5` rather than "General")."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx))
    for sheet in book.worksheets:
        headers = {cell.value: cell.column_letter for cell in sheet[1]}
        for header, unit in units.items():
            letter = headers.get(header)
            if letter is None:
                continue
            for cell in sheet[letter][1:]:
                cell.number_format = excel_format(unit)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
