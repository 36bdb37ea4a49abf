"""Every ratio KPI at district and company grain is its managers' numerators over their
denominators, at every period grain (a district's compliance is not a sum of rates, nor the
sum of its managers' days over one manager's workdays)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import KPIS, kpi_table, scan_for
from tests.fixtures import MANAGERS, write_tiny_dataset

#: Ratios whose numerator is not a sum over managers, by definition.
NOT_ADDITIVE = {
    "top5_share": "the top five customers of a district are not its managers'",
    "new_customer_attainment": "a new customer who ordered from two managers is one new"
    " customer of the company",
}
RATIOS = sorted(k for k, v in KPIS.items() if v.denominator and k not in NOT_ADDITIVE)
DISTRICT = {row[0]: row[3] for row in MANAGERS[1:]}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    return open_engine(Dataset.open(write_tiny_dataset(tmp_path_factory.mktemp("agg"))))


def _rebuilt(managers: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Each KPI from the managers' numerators and denominators summed per group."""
    m = managers.assign(district=managers["manager"].map(DISTRICT), company="all")
    cols = sorted({c for k in RATIOS for c in KPIS[k].measures if c in m})
    sums = m.groupby([*by, "period"])[cols].sum(min_count=1).reset_index()
    out = sums[[*by, "period"]].copy()
    for k in RATIOS:
        kpi = KPIS[k]
        if kpi.numerator not in sums or kpi.denominator not in sums:
            continue
        num = sums[kpi.numerator].fillna(0)
        den = sums[kpi.denominator].fillna(0)
        ratio = num / den.where(den != 0)
        out[k] = ((1 - ratio) if kpi.complement else ratio) * kpi.scale
    return out


@pytest.mark.parametrize("period", ["week", "month", "quarter", "half", "year", "all"])
def test_ratios_add_up_from_managers(engine, period: str) -> None:
    s = scan_for(engine, list(KPIS), period, None, None)
    managers = kpi_table(s, RATIOS, ("manager",), period)
    # only the monthly targets' KPIs are missing, and only by week
    assert all(u.reason == "grain" for u in managers.unavailable.values())
    assert period == "week" or not managers.unavailable
    for by in (["district"], []):
        level = kpi_table(s, RATIOS, tuple(by), period)
        want = _rebuilt(managers.measures, by).set_index([*by, "period"])
        got = level.values.set_index([*by, "period"])
        for k in RATIOS:
            if k in level.unavailable:
                continue
            g = got[k]
            w = want[k].reindex(g.index) if k in want else pd.Series(np.nan, index=g.index)
            extra = want[k].dropna().index.difference(g.index) if k in want else []
            assert len(extra) == 0, (k, by, period, list(extra))
            assert np.allclose(g.to_numpy(float), w.to_numpy(float), equal_nan=True), (
                k, by, period, pd.concat([g, w], axis=1, keys=["got", "rebuilt"]))
