"""The README's retention figures: backtest AUC and top-decile precision, model against
baseline, on a demo dataset and on its lean copy (managers, customers, products, sales
only), against the orders after the date and against the demo's planted lapses.

    .venv/bin/python scripts/retention_figures.py DEMO_DIR [--as-of 2026-08-02]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cmdash.all_settings import Settings
from cmdash.dataset import TRUTH_DIR, Dataset
from cmdash.engine import open_engine
from cmdash.retention.backtest import evaluate
from cmdash.retention.pipeline import backtest_predictions

LEAN = ("managers", "customers", "products", "sales")


def lean_copy(root: Path, into: Path) -> Path:
    """A copy of the dataset with only the four core tables."""
    for table in LEAN:
        for src in (root / f"{table}.parquet", root / table):
            if src.is_dir():
                shutil.copytree(src, into / table)
            elif src.is_file():
                shutil.copy(src, into / src.name)
    return into


def truth_label(rows: pd.DataFrame, root: Path, horizon: int) -> pd.Series:
    """1 when the demo planted a lapse on or before the end of the horizon."""
    truth = pd.read_parquet(root / TRUTH_DIR / "customers.parquet")
    lapse = pd.to_datetime(rows["customer_id"].map(truth.set_index("customer_id")
                                                   ["lapse_date"]))
    return (lapse.notna() & (lapse <= rows["as_of"] + pd.Timedelta(days=horizon))).astype(int)


def figures(root: Path, truth_root: Path, as_of: dt.date, horizon: int) -> list[dict]:
    started = time.perf_counter()
    rows = backtest_predictions(open_engine(Dataset.open(root)), as_of, Settings(), horizon)
    seconds = time.perf_counter() - started
    out = []
    for against, y in (("data", rows["lost"]), ("truth", truth_label(rows, truth_root,
                                                                      horizon))):
        m, b = evaluate(y, rows["risk"]), evaluate(y, rows["baseline_risk"])
        out.append({"against": against, "customers": m.customers, "lost": m.lost,
                    "auc_model": m.auc, "auc_baseline": b.auc,
                    "top10_model": m.top_decile_precision,
                    "top10_baseline": b.top_decile_precision, "seconds": round(seconds, 1)})
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("root", type=Path)
    p.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 8, 2))
    p.add_argument("--horizon-days", type=int, default=90)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lean = lean_copy(args.root, Path(tmp))
        for name, root in (("full", args.root), ("lean", lean)):
            for row in figures(root, args.root, args.as_of, args.horizon_days):
                print({"dataset": name, **{k: round(v, 3) if isinstance(v, float) else v
                                           for k, v in row.items()}})


if __name__ == "__main__":
    main()
