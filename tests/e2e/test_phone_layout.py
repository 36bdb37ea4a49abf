"""Small screens: at 390 px (a phone) the Overview's cards come two to a row and the first
chart is on the second screen, not the fifth; What-if's results come before its sliders.
At 1440 px the first four cards share one row."""

from __future__ import annotations

import pytest

from tests.e2e.browsing import settle

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def _tops(page, selector: str) -> list[float]:
    return [round(b["y"]) for b in (e.bounding_box() for e in page.locator(selector).all())
            if b is not None]


@pytest.mark.parametrize("lang", ["中文", "English"])
def test_overview_cards_two_to_a_row_on_a_phone(server: str, browser, lang: str) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/?lang={lang}")
    settle(page)
    tops = _tops(page, '[data-testid="stMetric"]')[:4]  # the rest are folded below
    assert len(tops) == 4 and tops[0] == tops[1] < tops[2] == tops[3], tops
    chart = _tops(page, ".stPlotlyChart")[0]
    assert chart < 2 * PHONE["height"], f"the first chart starts at {chart} px"
    page.close()


def test_overview_cards_four_to_a_row_on_a_laptop(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{server}/?lang=English")
    settle(page)
    tops = _tops(page, '[data-testid="stMetric"]')
    assert len(set(tops[:4])) == 1, tops
    page.close()


def test_what_if_results_come_before_the_sliders_on_a_phone(server: str, browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/whatif?lang=English")
    settle(page)
    results = page.get_by_text("Who moves (").bounding_box()
    slider = page.locator('[data-testid="stSlider"]').first.bounding_box()
    assert results is not None and slider is not None
    assert results["y"] < slider["y"]
    page.close()
