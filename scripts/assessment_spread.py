"""How much the monthly assessment separates managers, and what one new retailer is worth.

    .venv/bin/python scripts/assessment_spread.py DATASET [--sample N]

Prints, over the complete months scored: the per-month spread of totals (std, IQR), the
forecast part's median, spread and share at 100, and — for N random manager-months with a
new-customer target — the points and ranks one more new ordering customer adds (that row
alone changed, re-scored, re-ranked against the others). Figures in docs/assessment.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cmdash.all_settings import Settings
from cmdash.assessment import ASSESSMENT_KPIS, score
from cmdash.assessment.compute import scoring_frame
from cmdash.assessment.roster import roster_of
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import kpi_table, scan_for


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("--sample", type=int, default=120)
    args = ap.parse_args()
    scan = scan_for(open_engine(Dataset.open(args.dataset)), ASSESSMENT_KPIS, "month", None,
                    None, narrow=True)
    frame = kpi_table(scan, ASSESSMENT_KPIS, ("manager",), "month")
    values, roster = scoring_frame(frame), roster_of(scan)
    base = score(values, Settings(), roster)
    scored = base.dropna(subset=["total"])
    by = scored.groupby("period")
    iqr = (by["total"].quantile(0.75) - by["total"].quantile(0.25)).mean()
    print(f"months scored {scored['period'].nunique()}, rows {len(scored)}")
    print(f"total: mean per-month std {by['total'].std().mean():.2f}, IQR {iqr:.2f}")
    print(f"forecast part: median {scored['forecast'].median():.1f}, per-month std "
          f"{by['forecast'].std().mean():.2f}, at 100: {(scored['forecast'] == 100).mean():.0%}")
    target = values["new_customer_target"].to_numpy(dtype="float64", na_value=np.nan)
    rows = np.flatnonzero((target > 0) & base["total"].notna().to_numpy())
    rng = np.random.default_rng(0)
    gains, moves = [], []
    for i in rng.choice(rows, min(args.sample, len(rows)), replace=False):
        one = values.copy()
        one.loc[one.index[i], "new_active_customers"] += 1
        one.loc[one.index[i], "new_customer_attainment"] = (
            one["new_active_customers"].iat[i] / target[i] * 100)
        after = score(one, Settings(), roster)["total"].iat[i]
        others = base[(base["period"] == base["period"].iat[i]) & (base.index != i)]["total"]
        before = base["total"].iat[i]
        moves.append(int((others > before).sum() - (others > after).sum()))
        gains.append(after - before)
    print(f"one more new retailer: +{np.median(gains):.2f} points (median), "
          f"{np.mean(moves):.1f} ranks (mean), {max(moves)} at most, n={len(gains)}")


if __name__ == "__main__":
    pd.set_option("display.width", 120)
    main()
