"""Opening a page the way a visitor does: the app with URL parameters, then its page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def open_page(page: str = "overview", lang: str = "English", timeout: float = 300,
              **params: str) -> AppTest:
    """The app run with `params` in the URL, then switched to `page`; no exception on the
    way (the overview is the app's default page)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page != "overview":
        at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
        assert not at.exception, at.exception
    return at


def latest_cases(engine, filters, lang: str = "zh") -> str:
    """The Overview's volume card as it should read: the latest month's volume over
    `filters`, written by the one number formatter (`1,234.5 cases`, `1.23万箱`)."""
    return latest_value(engine, filters, lang, "sales_cases")


def latest_value(engine, filters, lang: str, kpi: str) -> str:
    """An Overview card as it should read: `kpi`'s latest month over `filters`, in the
    KPI's unit as the cards write it."""
    from cmdash.kpi import KPIS, compute
    from cmdash.numbers import format_value

    frame = compute(engine, [kpi], (), "month", filters).values
    value = frame.sort_values("period")[kpi].iloc[-1]
    return format_value(value, KPIS[kpi].unit, lang, compact=True)


def card(at: AppTest, kpi: str = "sales_cases", lang: str = "en") -> str:
    """The value of the Overview's card for `kpi` (found by its label: the cards open with
    actual against target, so volume is not the first)."""
    from cmdash.kpi.wording import kpi_label

    label = kpi_label(kpi, lang)
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, (label, [m.label for m in at.metric])
    return values[0]
