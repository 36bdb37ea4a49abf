"""Opening a page the way a visitor does: the app with URL parameters, then its page.
Every AppTest in tests/ starts here (one place that knows app.py, pages/ and the URL form)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from cmdash.access.roles import PAGE_IDS
from cmdash.ui.frame import page_file

ROOT = Path(__file__).resolve().parents[2]
#: the language as the URL carries it (the label the switch shows); codes are accepted too
LANG_IN_URL = {"zh": "中文", "en": "English"}
#: every page, by its file stem in pages/ (the overview is the app's default page)
PAGES = PAGE_IDS


def new_app(lang: str = "English", timeout: float = 300, *, secrets: dict | None = None,
            user: dict | None = None, **params: str | list[str]) -> AppTest:
    """The app, not yet run, with `params` in the URL; `secrets` and `user` as Streamlit
    would fill them from secrets.toml and the identity cookie."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = LANG_IN_URL.get(lang, lang)
    for k, v in params.items():
        at.query_params[k] = v
    if secrets is not None:
        at.secrets = secrets
    if user is not None:
        at.user = user
    return at


def switch(at: AppTest, page: str) -> AppTest:
    """Go to `page` (a file stem of pages/) and run it; no exception."""
    at.switch_page(str(ROOT / page_file(page))).run()
    assert not at.exception, at.exception
    return at


def open_page(page: str = "overview", lang: str = "English", timeout: float = 300, *,
              deep_link: bool = False, secrets: dict | None = None, user: dict | None = None,
              **params: str | list[str]) -> AppTest:
    """The app run with `params` in the URL, then switched to `page`; no exception on the
    way (the overview is the app's default page). `deep_link`: open the page's own URL, as
    a visitor following a link does, without drawing the overview first."""
    at = new_app(lang, timeout, secrets=secrets, user=user, **params)
    if deep_link and page != "overview":
        return switch(at, page)
    at.run()
    assert not at.exception, at.exception
    return at if page == "overview" else switch(at, page)


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
