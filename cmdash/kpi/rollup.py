"""From a cached `Scan` to the measures of any grouping and period: pure pandas.

The roll-up executes the declarations of measures.py, the same way for every measure:
sums of a fact's columns, counts and distinct counts of rows meeting conditions, the
named computations (computations.py), then derived measures from the others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.kpi.computations import ATTACHED, KEYED, Ask
from cmdash.kpi.facts import FACTS
from cmdash.kpi.groups import Groups, codes_of
from cmdash.kpi.measures import (
    BY_PRODUCT,
    COMPUTATIONS,
    MEASURES,
    PRODUCT_DIMS,
    Computed,
    Condition,
    Count,
    CountDistinct,
    Derived,
    Sum,
)
from cmdash.kpi.periods import PERIOD_ORDER, can_roll, period_start, regroup
from cmdash.kpi.scan import Scan
from cmdash.kpi.workdays import workday_flags

__all__ = ["PERIOD_ORDER", "can_roll", "period_start", "regroup", "rollup", "same_values"]


def same_values(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Row-wise a == b for two categorical columns, on their codes (no text compared)."""
    if not (isinstance(a.dtype, pd.CategoricalDtype) and isinstance(b.dtype,
                                                                     pd.CategoricalDtype)):
        return a.astype(str).to_numpy() == b.astype(str).to_numpy()
    # b's category positions in a's; a missing b value (code -1) picks the -1 at the end
    where = np.append(pd.Index(a.cat.categories).get_indexer(b.cat.categories), -1)
    b_in_a = where[b.cat.codes.to_numpy()]
    a_codes = a.cat.codes.to_numpy()
    return (a_codes == b_in_a) & (a_codes >= 0)



class _Rows:
    """One fact's rows for one roll-up: a mask over the scanned frame (never a copy), the
    period each row falls in at the roll-up's period, and the groups by the roll-up's keys."""

    def __init__(self, s: Scan, name: str, by: tuple[str, ...], period: str,
                 lead_in: bool, columns: set[str]) -> None:
        self.frame = f = s.facts[name]
        self.columns = columns
        self.keys = [*by, "period"]
        codes, uniques = codes_of(f["period"])
        if period != s.period:  # regroup the few distinct periods, not every row
            coarse = regroup(pd.Series(pd.to_datetime(uniques)), period, s.start)
            to_coarse, uniques = pd.factorize(coarse)
            codes = np.where(codes >= 0, to_coarse[np.maximum(codes, 0)], -1)
            uniques = pd.Index(uniques)
        self.period_codes, self.period_values = codes, uniques
        in_range = f["in_range"].to_numpy(dtype=bool)
        mask = np.ones(len(f), dtype=bool) if lead_in else in_range.copy()
        if lead_in:
            # the lead-in's days inside the range's first (partial) period stay out of it
            first = period_start(s.start, period, s.start)
            early = np.asarray(uniques < first) if len(uniques) else np.zeros(0, bool)
            mask &= in_range | np.where(codes >= 0, early[np.maximum(codes, 0)], False)
        self.mask = mask
        self._groups: Groups | None = None
        self._frame: pd.DataFrame | None = None

    def key(self, name: str) -> tuple[np.ndarray, pd.Index]:
        if name == "period":
            return self.period_codes, self.period_values
        if name == "company":
            return np.zeros(len(self.frame), dtype=np.int64), pd.Index(["all"])
        return codes_of(self.frame[name])

    @property
    def groups(self) -> Groups:
        if self._groups is None:
            self._groups = Groups({k: self.key(k) for k in self.keys}, self.mask)
        return self._groups

    def periods(self) -> np.ndarray:
        """Each row's period start (at the roll-up's period), for row-wise comparisons."""
        values = pd.DatetimeIndex(self.period_values).to_numpy()
        return values[np.maximum(self.period_codes, 0)]

    def positive(self, column: str) -> np.ndarray:
        return self.frame[column].to_numpy(dtype="float64", na_value=np.nan) > 0

    def table(self) -> pd.DataFrame:
        """The rows as a frame with only the columns the roll-up reads (for the rarer
        measures that need pandas: concentration, retention, complaints per customer,
        targets)."""
        if self._frame is None:
            f = self.frame
            f = f[[c for c in f.columns if c in self.columns]][self.mask]
            f = f.assign(period=self.period_values.take(self.period_codes[self.mask]))
            if "company" in self.keys:
                f = f.assign(company="all")
            self._frame = f
        return self._frame


def _where(s: Scan, r: _Rows, conditions: tuple[Condition, ...]) -> np.ndarray:
    """The rows meeting every condition (a mask over the scanned frame)."""
    mask = np.ones(len(r.frame), dtype=bool)
    for c in conditions:
        if c.test == "positive":
            mask &= r.positive(c.column)
        elif c.test == "same":
            mask &= same_values(r.frame[c.column], r.frame[c.other])
        elif c.test == "in_or_after_period":
            day = r.frame[c.column].to_numpy(dtype="datetime64[ns]")
            mask &= day >= r.periods().astype("datetime64[ns]")
        elif c.test == "workday":
            mask &= workday_flags(r.frame[c.column].to_numpy().astype("datetime64[D]"),
                                  s.calendar)
        else:
            raise ValueError(f"no rule for condition {c!r}")
    return mask


def rollup(s: Scan, by: tuple[str, ...], period: str, need: set[str],
           lead_in: bool = False) -> pd.DataFrame:
    """Measures per (group, period). With `lead_in`, periods before the range are kept
    too (for prior-period and last-year comparisons). `need` includes the inputs of its
    derived measures (`measures.inputs`)."""
    keys = [*by, "period"]
    first = period_start(s.start, period, s.start)
    reads = {ref.split(".")[1] for m in need for ref in MEASURES[m].scans}
    prepared: dict[str, _Rows] = {}

    def rows(name: str) -> _Rows:
        if name not in prepared:
            prepared[name] = _Rows(s, name, by, period, lead_in,
                                   set(by) | set(FACTS[name].grain) | reads)
        return prepared[name]

    specs = {m: MEASURES[m] for m in sorted(need)}
    parts: list[pd.DataFrame | pd.Series] = []
    for fact in FACTS:  # sums: one pass per fact (by product: its by-product rows)
        src = BY_PRODUCT.get(fact, fact) if PRODUCT_DIMS & set(by) else fact
        ms = [m for m, d in specs.items() if d.fact == fact and isinstance(d.agg, Sum)]
        if ms and src in s.facts:
            sums = rows(src).groups.sum(s.facts[src], [specs[m].agg.column for m in ms])
            parts.append(sums.set_axis(ms, axis=1))
    for m, d in specs.items():
        if isinstance(d.agg, Count | CountDistinct) and d.fact in s.facts:
            r = rows(d.fact)
            where = _where(s, r, d.agg.where)
            parts.append(r.groups.size(where, m) if isinstance(d.agg, Count) else
                         r.groups.nunique(codes_of(r.frame[d.agg.key])[0], where, m))
    ask = Ask(s, by, period, lambda name: rows(name).table())
    wanted = {d.agg.name for d in specs.values() if isinstance(d.agg, Computed)}
    for name, comp in COMPUTATIONS.items():
        if name in wanted and not comp.attach and comp.fact in s.facts:
            got = KEYED[name](ask)
            if comp.reads_lead_in and not lead_in:
                got = got[got["period"] >= first]
            parts.append(got.set_index(keys))

    out = _union(parts, keys)
    # attached computations: those whose added groups count zero first, then the rest
    attached = [n for n, c in COMPUTATIONS.items() if n in wanted and c.attach]
    for owed in ("counted", "unmeasured"):
        for name in (n for n in attached if COMPUTATIONS[n].owed_rows == owed):
            comp = COMPUTATIONS[name]
            got = ATTACHED[name](ask, out)
            if got is not None:
                out = _with_rows(out, got, keys, list(comp.outputs))
                zero = [m for m in (*comp.counts, *comp.owes) if m in out]
                out[zero] = out[zero].fillna(0.0)
        if owed == "counted":
            counted = [m for m in out.columns if m in MEASURES and MEASURES[m].counted]
            out[counted] = out[counted].fillna(0)
    for m, d in specs.items():
        if isinstance(d.agg, Derived) and all(i in out for i in d.agg.inputs):
            out[m] = out.eval(d.agg.expr)
    if not out.empty:  # no period after the data's (or the range's) end
        out = out[pd.to_datetime(out["period"]) <= s.end]
    return out.sort_values(keys).reset_index(drop=True)


def _union(parts: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    parts = [p.to_frame() if isinstance(p, pd.Series) else p for p in parts]
    parts = [p for p in parts if len(p.columns)]
    if not parts:
        return pd.DataFrame(columns=keys)
    out = pd.concat(parts, axis=1, sort=False).reset_index()
    out = out.rename(columns={f"level_{i}": k for i, k in enumerate(keys)})
    for k in keys[:-1]:
        out[k] = out[k].astype("object")
    return out



def _with_rows(out: pd.DataFrame, got: pd.DataFrame, keys: list[str], owed: list[str]
               ) -> pd.DataFrame:
    """`out` with `got`'s columns, plus `got`'s groups that `out` lacks where anything in
    `owed` is non-zero (a quiet manager still has a book, still owes workdays)."""
    if out.empty:
        return got
    merged = out.merge(got, on=keys, how="left")
    extra = got[got[owed].sum(axis=1) > 0].merge(out[keys], on=keys, how="left",
                                                  indicator=True)
    extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([merged, extra], ignore_index=True) if len(extra) else merged
