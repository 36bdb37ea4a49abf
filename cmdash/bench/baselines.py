"""The two baselines every case is set against, measured in the same run.

**Floor** — the least any engine could do for the overview: read the same columns of the
same tables the overview's scan reads and sum them to the same grain (manager × customer ×
month), with no joins, no filtered measures and no roll-ups, through the same engine views
and the same Arrow → pandas hand-over as the scan (`FLOOR_SQL` is exactly what runs).

**Same-work floor** (`floor.day`) — the least any engine could do for the prepared layer:
every prepared fact's declared measures by day, one plain `GROUP BY` per fact, straight
into Arrow (no scope, no range flag, no casts, no sorting, no writing, no roll-ups). It
is the cold `prepare`'s own work with nothing of cmdash's around it, where the floor above
is a smaller piece of work (three sums of four tables, by month).

**Naive** — what many dashboards do: `pandas.read_parquet` of the whole tables, merges and
`groupby` for the same overview numbers (`naive_overview` gives the same five tables the
overview draws; `check_naive` confirms they equal the KPI layer's).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.dataset import Dataset
from cmdash.engine import Engine
from cmdash.kpi import KPIS, OVERVIEW_KPIS, KpiFrame
from cmdash.kpi.facts import FACTS, GRAIN_EXPR
from cmdash.prepared.layer import FACTS_PREPARED, sql_params

#: One statement per table the overview's scan reads (`products` only joins to sales).
FLOOR_SQL: dict[str, str] = {
    "sales": "SELECT manager_id, customer_id, date_trunc('month', order_date) AS period, "
    "sum(quantity) AS units, sum(amount) AS amount, count(*) AS lines FROM sales GROUP BY ALL",
    "visits": "SELECT manager_id, customer_id, date_trunc('month', visit_start) AS period, "
    "count(*) AS visits FROM visits GROUP BY ALL",
    "feedback": "SELECT manager_id, customer_id, date_trunc('month', feedback_date) AS period, "
    "sum(score) AS score, count(*) AS n FROM feedback GROUP BY ALL",
    "targets": "SELECT manager_id, month AS period, sum(sales_target) AS sales_target, "
    "count(*) AS n FROM targets GROUP BY ALL",
}


def floor(engine: Engine, facts: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    return {f: engine.query(FLOOR_SQL[f], {}, categorical=True) for f in facts}


# ── same-work floor ──────────────────────────────────────────────────────────────────────


def day_floor_sql(fact: str) -> str:
    """The fact's measures by its grain and day, as declared (settings stay parameters)."""
    f = FACTS[fact]
    day = f"CAST({f.date_expr} AS DATE)"
    keys = [f'{GRAIN_EXPR[k].format(a=f.alias, d=day)} AS "{k}"' for k in f.grain]
    measures = [f'{expr} AS "{m}"' for m, expr in f.measures.items()]
    return (f"SELECT {', '.join([*keys, f'{day} AS period', *measures])} "
            f"FROM {f.table} AS {f.alias} {' '.join(f.joins)} GROUP BY ALL")


def day_floor(engine: Engine, measure_params: dict | None = None) -> dict:
    """Every prepared fact's day table as Arrow, computed by one bare statement each."""
    params = sql_params(measure_params)
    out = {}
    for fact in FACTS_PREPARED:
        sql = day_floor_sql(fact)
        out[fact] = engine.query_arrow(sql, {k: v for k, v in params.items()
                                             if f"${k}" in sql})
    return out


# ── naive ────────────────────────────────────────────────────────────────────────────────


def _read(ds: Dataset, table: str) -> pd.DataFrame:
    return pd.read_parquet(ds.source(table).path)  # the whole table, every column


def _month(col: pd.Series) -> pd.Series:
    return pd.to_datetime(col).dt.to_period("M").dt.start_time.astype("datetime64[ns]")


def naive_overview(root) -> dict[str, pd.DataFrame]:
    """The overview's five tables from whole-table reads and pandas groupbys."""
    ds = Dataset.open(root)
    sales, products = _read(ds, "sales"), _read(ds, "products")
    managers, customers = _read(ds, "managers"), _read(ds, "customers")
    visits, feedback, targets = _read(ds, "visits"), _read(ds, "feedback"), _read(ds, "targets")
    org = managers[["manager_id", "region", "district"]]

    sales["order_date"] = pd.to_datetime(sales["order_date"])
    start, end = sales["order_date"].min(), sales["order_date"].max()
    s = sales.merge(products[["product_id", "units_per_case", "is_cultivation_brand"]],
                    on="product_id", how="left").merge(org, on="manager_id", how="left")
    s["cases"] = s["quantity"] / s["units_per_case"].where(s["units_per_case"] > 0)
    s["cased_amount"] = s["amount"].where(s["cases"].notna(), 0)  # 单箱值's 元: cased only
    s["cult_cases"] = s["cases"].where(s["is_cultivation_brand"].fillna(False).astype(bool), 0)
    s["month"] = _month(s["order_date"])

    v = visits.assign(day=pd.to_datetime(visits["visit_start"]).dt.normalize())
    v = v[(v["day"] >= start) & (v["day"] <= end)].merge(org, on="manager_id", how="left")
    owners = customers[["customer_id", "manager_id"]].rename(columns={"manager_id": "owner"})
    v = v.merge(owners, on="customer_id", how="left")
    v = v[v["manager_id"] == v["owner"]]  # coverage counts the owner's own visits
    v["month"] = _month(v["day"])
    f = feedback.assign(day=pd.to_datetime(feedback["feedback_date"]))
    f = f[(f["day"] >= start) & (f["day"] <= end)].merge(org, on="manager_id", how="left")
    f["month"] = _month(f["day"])
    f["rating"] = f["score"].where(f["kind"] == "rating")

    t = targets.assign(month=_month(targets["month"]))
    t = t[(t["month"] >= _month(pd.Series([start]))[0]) & (t["month"] <= end)]
    sold = s.groupby(["manager_id", "month"])["quantity"].sum().rename("sold").reset_index()
    t = t.merge(sold, on=["manager_id", "month"], how="left").merge(org, on="manager_id",
                                                                      how="left")
    t["target_units_sold"] = t["sold"].fillna(0).where(t["sales_target"].notna())

    c = customers.drop(columns="district").merge(
        managers[["manager_id", "region", "district", "hire_date", "left_date"]],
        on="manager_id", how="left")
    c["opened"] = pd.to_datetime(c["opened_date"])
    c["closed"] = pd.to_datetime(c["closed_date"])
    c["hired"], c["left"] = pd.to_datetime(c["hire_date"]), pd.to_datetime(c["left_date"])

    def table(by: list[str], period: str) -> pd.DataFrame:
        def per(frame: pd.DataFrame) -> pd.DataFrame:
            frame = frame.assign(period=frame["month"] if period == "month" else start)
            return frame.rename(columns={"manager_id": "manager"}) if "manager" in by else frame

        keys = [*by, "period"]
        ss, vv, ff, tt = per(s), per(v), per(f), per(t)
        parts = [
            ss.groupby(keys)[["cases", "amount", "cased_amount", "cult_cases"]].sum(),
            ss[ss["quantity"] > 0].groupby(keys)["customer_id"].nunique().rename("active"),
            tt.groupby(keys)[["target_units_sold", "sales_target"]].sum(min_count=1),
            vv.groupby(keys)["customer_id"].nunique().rename("visited"),
            ff.groupby(keys)["rating"].agg(["sum", "count"]).set_axis(
                ["rating_sum", "ratings"], axis=1),
        ]
        out = pd.concat(parts, axis=1).reset_index()
        counted = ["cases", "amount", "cased_amount", "cult_cases", "active", "visited",
                   "rating_sum", "ratings"]
        out[counted] = out[counted].fillna(0)
        firsts = sorted(out["period"].unique())
        books = []
        cc = c.rename(columns={"manager_id": "manager"})
        for first in firsts:  # customers open in each period, by their owner
            first = pd.Timestamp(first)
            last = min(first + pd.offsets.MonthEnd(0), end) if period == "month" else end
            open_ = (cc["opened"] <= last) & (cc["closed"].isna() | (cc["closed"] >= first))
            # today's owner holds it only while employed (before: an unnamed predecessor)
            open_ &= (cc["hired"].isna() | (cc["hired"] <= last)) & (
                cc["left"].isna() | (cc["left"] >= first))
            counts = (cc[open_].groupby(by).size() if by else pd.Series([open_.sum()]))
            books.append(counts.rename("book").reset_index().assign(period=first)
                         if by else pd.DataFrame({"period": [first], "book": [open_.sum()]}))
        # a group holding a book is owed its row (coverage 0 %), facts or not
        book = pd.concat(books)
        out = out.merge(book[book["book"] > 0], on=keys, how="outer")
        out[counted] = out[counted].fillna(0)

        def ratio(num: str, den: str) -> pd.Series:
            return out[num] / out[den].where(out[den] != 0)

        values = out[keys].copy()
        values["sales_cases"] = out["cases"]
        values["sales_amount"] = out["amount"] * 1e-4
        values["value_per_case"] = ratio("cased_amount", "cases")
        values["target_attainment"] = ratio("target_units_sold", "sales_target") * 100
        values["active_customers"] = out["active"]
        values["cultivation_share"] = ratio("cult_cases", "cases") * 100
        values["coverage"] = ratio("visited", "book") * 100
        values["mean_rating"] = ratio("rating_sum", "ratings")
        return values.sort_values(keys).reset_index(drop=True)

    manager_month = table(["manager"], "month")
    company = table([], "month")
    earlier = company.copy()
    for kind, months in (("prior", 1), ("yoy", 12)):
        shifted = earlier.assign(period=earlier["period"] + pd.DateOffset(months=months))
        company = company.merge(shifted.rename(columns={k: f"{k}__{kind}"
                                                        for k in OVERVIEW_KPIS}),
                                on="period", how="left")
    manager_range = table(["manager"], "all")
    for k in OVERVIEW_KPIS:
        manager_range[f"{k}__rank"] = manager_range.groupby("period")[k].rank(
            ascending=KPIS[k].direction == "lower", method="min")
    return {"manager_by_month": manager_month, "company_by_month": company,
            "region_range": table(["region"], "all"),
            "district_range": table(["district"], "all"), "manager_range": manager_range}


def check_naive(naive: dict[str, pd.DataFrame], layer: dict[str, KpiFrame],
                rtol: float = 1e-6) -> dict:
    """Do the naive tables equal the KPI layer's? Rows by key, every KPI column."""
    report: dict = {"tables": {}, "ok": True}
    for name, frame in layer.items():
        ours = frame.values
        theirs = naive[name]
        keys = frame.keys
        cols = [c for c in ours.columns if c not in keys and c in theirs.columns]
        a = ours.assign(**{k: ours[k].astype("object") for k in keys[:-1]})
        b = theirs.assign(**{k: theirs[k].astype("object") for k in keys[:-1]})
        a["period"] = pd.to_datetime(a["period"]).astype("datetime64[ns]")
        b["period"] = pd.to_datetime(b["period"]).astype("datetime64[ns]")
        both = a.merge(b, on=keys, how="outer", suffixes=("", "__naive"), indicator=True)
        only = int((both["_merge"] != "both").sum())
        both = both[both["_merge"] == "both"]
        worst, bad = 0.0, 0
        for col in cols:
            x = both[col].astype("float64").to_numpy()
            y = both[f"{col}__naive"].astype("float64").to_numpy()
            same = np.isclose(x, y, rtol=rtol, atol=1e-9, equal_nan=True)
            bad += int((~same).sum())
            diff = np.abs(x - y) / np.maximum(np.abs(y), 1e-12)
            diff = diff[~np.isnan(diff)]
            worst = max(worst, float(diff.max()) if len(diff) else 0.0)
        ok = only == 0 and bad == 0
        report["tables"][name] = {"rows": len(ours), "unmatched_rows": only,
                                  "cells_differing": bad, "columns": len(cols),
                                  "max_rel_diff": worst}
        report["ok"] = report["ok"] and ok
    return report
