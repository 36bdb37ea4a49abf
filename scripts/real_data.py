"""Retention on a real purchase log we did not generate: the CDNOW master log.

CDNOW_master.txt (Fader & Hardie 2001): every purchase until 1998-06-30 of the 23,570
customers who first bought at the online CD shop CDNOW in the first quarter of 1997 —
customer, date, CDs, dollars. It ships inside the PyPI wheel Lifetimes==0.11.3 as
lifetimes/datasets/CDNOW_master.txt; this script reads it from the wheel (a zip) or from an
installed copy found with importlib.util.find_spec, without importing `lifetimes` (which
does not import on pandas 3).

    pip download --no-deps lifetimes==0.11.3 -d /tmp/cdnow
    .venv/bin/python scripts/real_data.py --source /tmp/cdnow/Lifetimes-0.11.3-py3-none-any.whl

It converts the log to the data contract (one pseudo manager, one product "CD", a customer
opened on its first purchase; managers, customers, products and sales filled, the other
required tables empty), then measures
out of time at the literature's split — calibration up to 1997-09-30, the 39 weeks after
it (273 days) as hold-out — with cmdash's default settings (not tuned on this log):
the model (whatever the short history lets it learn), recency alone, the rhythm score,
and BG/NBD (Fader, Hardie & Lee 2005, fitted here by maximum likelihood on the calibration
weeks), each as an AUC for "no purchase in the hold-out".
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import io
import json
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from scipy.optimize import minimize
from scipy.special import betaln, gammaln

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cmdash.all_settings import Settings
from cmdash.contract import TABLES
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.retention.backtest import evaluate
from cmdash.retention.features import Windows, customer_features
from cmdash.retention.pipeline import backtest_predictions, train
from cmdash.retention.rhythm import RecencyRank, RhythmScore

MEMBER = "lifetimes/datasets/CDNOW_master.txt"
AS_OF = dt.date(1997, 9, 30)  # end of the 39 calibration weeks (BTYD literature's split)
HORIZON = 273  # the 39 hold-out weeks, to 1998-06-30
MANAGER, PRODUCT = "CDNOW", "CD"


def read_log(source: Path | None = None) -> pd.DataFrame:
    """customer_id, date, cds, dollars from a wheel/zip, the text file, or an installed
    lifetimes package (located, not imported)."""
    if source is None:
        spec = importlib.util.find_spec("lifetimes")
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("CDNOW log not found: pass --source (see the module docstring)")
        source = Path(next(iter(spec.submodule_search_locations))) / "datasets" / \
            "CDNOW_master.txt"
    source = Path(source)
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as z:
            text = z.read(MEMBER).decode("ascii")
    else:
        text = source.read_text(encoding="ascii")
    log = pd.read_csv(io.StringIO(text), sep=r"\s+", dtype={"customer_id": str})
    log.columns = ["customer_id", "date", "cds", "dollars"]
    log["date"] = pd.to_datetime(log["date"].astype(str), format="%Y%m%d").dt.date
    return log


def _write(root: Path, name: str, frame: pd.DataFrame) -> None:
    """The contract's columns in order; optional ones the log has no value for stay null."""
    schema = TABLES[name].arrow_schema()
    n = len(frame)
    arrays = [pa.array(list(frame[f.name]), type=f.type) if f.name in frame
              else pa.nulls(n, type=f.type) for f in schema]
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), root / f"{name}.parquet")


def convert(log: pd.DataFrame, root: Path) -> Path:
    """The log as a contract dataset (managers, customers, products, sales) in `root`."""
    root.mkdir(parents=True, exist_ok=True)
    first = log.groupby("customer_id")["date"].min()
    _write(root, "managers", pd.DataFrame({
        "manager_id": [MANAGER], "name": ["CDNOW"], "region": ["US"], "district": ["US"],
        "grade": ["-"], "hire_date": [dt.date(1996, 1, 1)], "status": ["active"]}))
    _write(root, "customers", pd.DataFrame({
        "customer_id": first.index, "name": "CDNOW " + first.index, "manager_id": MANAGER,
        "district": "US", "tier": "1", "opened_date": first.to_numpy()}))
    price = float(log["dollars"].sum() / log["cds"].sum())
    _write(root, "products", pd.DataFrame({
        "product_id": [PRODUCT], "name": ["CD"], "brand": ["-"], "price_tier": ["-"],
        "unit_price": [price], "is_cultivation_brand": [False], "units_per_case": [1.0]}))
    _write(root, "sales", pd.DataFrame({
        "order_id": [f"L{i}" for i in range(len(log))], "order_date": log["date"],
        "customer_id": log["customer_id"], "manager_id": MANAGER, "product_id": PRODUCT,
        "quantity": log["cds"].astype(float), "amount": log["dollars"].astype(float)}))
    for name, table in TABLES.items():  # the log has nothing else: required tables, empty
        if not table.optional_table and not (root / f"{name}.parquet").exists():
            pq.write_table(table.arrow_schema().empty_table(), root / f"{name}.parquet")
    return root


# --- BG/NBD (Fader, Hardie & Lee 2005), time in weeks ------------------------------------

def cbs(log: pd.DataFrame, end: dt.date) -> pd.DataFrame:
    """Per customer: x repeat purchase days, t_x and T (weeks since the first purchase)."""
    days = log[log["date"] <= end].drop_duplicates(["customer_id", "date"])
    g = days.groupby("customer_id")["date"]
    first, last = pd.to_datetime(g.min()), pd.to_datetime(g.max())
    return pd.DataFrame({"x": g.size() - 1, "t_x": (last - first).dt.days / 7,
                         "T": (pd.Timestamp(end) - first).dt.days / 7})


def _bgnbd_ll(log_params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray
              ) -> float:
    r, alpha, a, b = np.exp(log_params)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    one = common + betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    two = np.where(x > 0, common + betaln(a + 1, b + np.maximum(x, 1) - 1) - betaln(a, b)
                   - (r + x) * np.log(alpha + tx), -np.inf)
    return -float(np.logaddexp(one, two).sum())


def fit_bgnbd(c: pd.DataFrame) -> tuple[float, float, float, float]:
    args = (c["x"].to_numpy(float), c["t_x"].to_numpy(float), c["T"].to_numpy(float))
    res = minimize(_bgnbd_ll, np.zeros(4), args=args, method="Nelder-Mead",
                   options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-6})
    return tuple(float(v) for v in np.exp(res.x))


def bgnbd_no_purchase(params: tuple[float, float, float, float], c: pd.DataFrame,
                      weeks: float) -> pd.Series:
    """P(no purchase in the next `weeks`) = 1 − P(alive)·(1 − P(0 purchases | alive))."""
    r, alpha, a, b = params
    x, tx, T = c["x"], c["t_x"], c["T"]
    odds = np.where(x > 0, a / (b + np.maximum(x, 1) - 1) * ((alpha + T) / (alpha + tx))
                    ** (r + x), 0.0)
    alive = 1 / (1 + odds)
    none_if_alive = ((alpha + T) / (alpha + T + weeks)) ** (r + x)
    return pd.Series(1 - alive * (1 - none_if_alive), index=c.index)


# --- measurement ---------------------------------------------------------------------------

def measure(log: pd.DataFrame, root: Path, settings: Settings | None = None) -> dict:
    """AUCs for 'no purchase in the 273 days after 1997-09-30' on the customers cmdash
    scores at that date (active within `retention.active_days`)."""
    settings = settings or Settings()
    engine = open_engine(Dataset.open(root))
    trained = train(engine, AS_OF, settings, HORIZON)
    rows = backtest_predictions(engine, AS_OF, settings, HORIZON, trained=trained)
    fs = customer_features(engine, [AS_OF], Windows.from_settings(settings, HORIZON))
    X = fs.frame.set_index("customer_id").loc[rows["customer_id"], list(fs.features)]
    y = rows["lost"].to_numpy()
    c = cbs(log, AS_OF)
    params = fit_bgnbd(c)
    p_bg = bgnbd_no_purchase(params, c, HORIZON / 7)
    scores = {
        "model": rows["risk"].to_numpy(),
        "recency": RecencyRank().fit(X).predict_proba(X)[:, 1],
        "rhythm": RhythmScore().fit(X).predict_proba(X)[:, 1],
        "bgnbd": p_bg.loc[rows["customer_id"]].to_numpy(),
    }
    out = {"as_of": AS_OF.isoformat(), "horizon_days": HORIZON,
           "active_days": int(settings["retention.active_days"]),
           "training": trained.plan.to_dict(), "customers": len(y), "lost": int(y.sum()),
           "bgnbd_params": dict(zip(("r", "alpha", "a", "b"), params, strict=True)),
           "auc": {k: evaluate(y, v, probability=False).auc for k, v in scores.items()},
           "top10": {k: evaluate(y, v, probability=False).top_decile_precision
                     for k, v in scores.items()},
           "brier": {"model": evaluate(y, scores["model"], probability=trained.probabilities
                                       ).brier,
                     "bgnbd": evaluate(y, scores["bgnbd"]).brier}}
    # the BTYD literature's population: the whole cohort, every customer, as P(no purchase)
    held = log[(log["date"] > AS_OF)].groupby("customer_id").size()
    y_all = (~c.index.isin(held.index)).astype(int)
    out["cohort"] = {"customers": len(c), "lost": int(y_all.sum()),
                     "auc_bgnbd": evaluate(y_all, p_bg.to_numpy()).auc,
                     "auc_recency": evaluate(y_all, (c["T"] - c["t_x"]).to_numpy(),
                                            probability=False).auc}
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", type=Path, help="the Lifetimes wheel or CDNOW_master.txt")
    p.add_argument("--out", type=Path, help="write the contract dataset here (kept)")
    p.add_argument("--active-days", type=int, help="also measure with this active window")
    args = p.parse_args()
    log = read_log(args.source)
    with tempfile.TemporaryDirectory() as tmp:
        root = convert(log, args.out or Path(tmp) / "cdnow")
        runs = [Settings()]
        if args.active_days:
            runs.append(Settings().with_values({"retention.active_days": args.active_days}))
        for settings in runs:
            print(json.dumps(measure(log, root, settings), indent=1))


if __name__ == "__main__":
    main()
