"""The Retention page: scores, roll-ups, a visit plan and the backtest, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.app.opener import open_page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_retention_page(demo_root: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))
    at = open_page("retention", lang, 240)
    assert not at.error, [e.value for e in at.error]
    assert len(at.metric) == 4
    assert int(at.metric[0].value.replace(",", "")) > 1000
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    title = specs[0]["layout"]["title"]["text"]
    assert ("Lapse" in title) == (lang == "en")
    assert len(at.dataframe) >= 2  # the visit plan and the managers
    at.toggle(key="retention_backtest_run").set_value(True).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) == 3  # distribution, volume at risk, calibration
    assert len(specs[2]["data"]) == 3  # diagonal, model, baseline
    assert "Brier" in specs[2]["data"][1]["name"]  # calibrated: the Brier score beside it


def test_short_history_says_how_it_scored(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Half a year of orders cannot teach a 90-day horizon: the page still ranks every
    customer, says it used the label-free rhythm score, and the backtest shows the Brier
    score as not measured (a rank is not a probability)."""
    from tests.fixtures import write_tiny_dataset

    write_tiny_dataset(tmp_path / "data" / "tiny")
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(tmp_path / "data"))
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "workspace"))
    at = open_page("retention", timeout=120)
    assert not at.error, [e.value for e in at.error]
    assert any("label-free rhythm score" in i.value for i in at.info)
    assert at.metric[0].value == "7"
    at.toggle(key="retention_backtest_run").set_value(True).run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert list(table["Brier score (lower is better)"]) == ["not measured"] * 2
    assert any("rhythm" in c.value for c in at.caption)
