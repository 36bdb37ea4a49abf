"""Where each cached row of a what-if baseline goes — its manager, its ladder review row —
worked out once per baseline, so that a scenario aggregates with numpy and never regroups,
sorts or merges frames again (a slider move re-decides every manager in milliseconds)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.grades.evaluate import grade_indexes, reviews_of
from cmdash.grades.indicators import ASSESSMENT_TOTAL, complete_periods
from cmdash.grades.ladder import Ladder
from cmdash.grades.rules import Reviews
from cmdash.kpi.rollup import regroup

NONE = -1  # "no row": a month outside a complete review, a manager with no review


@dataclass(frozen=True)
class Layout:
    """Index arrays into the baseline's frames; nothing here depends on a setting."""

    managers: pd.Index  # the outcome's rows: every scored manager, sorted
    month_manager: np.ndarray  # per monthly KPI row: its manager (NONE: no manager)
    active: np.ndarray  # per manager: still employed
    amounts: np.ndarray  # per manager: sales amount over the range (NaN: none)
    reviews: Reviews  # ladder review rows; the assessment columns are filled per scenario
    score_columns: list[int]  # the review columns fed by the assessment total
    month_review: np.ndarray  # per monthly row: the review row its total feeds (NONE: none)
    grades: np.ndarray  # per reviewed manager: current grade id ("" if unknown)
    current: np.ndarray  # per reviewed manager: current grade's index on the ladder
    reviewed: np.ndarray  # per manager: their reviewed-manager row (NONE: no review)


def layout(keys: pd.DataFrame, ladder: Ladder, ladder_kpis: pd.DataFrame,
           grades: dict[str, str], amounts: pd.Series, active: frozenset[str],
           start: pd.Timestamp, end: pd.Timestamp) -> Layout:
    """From the monthly keys (manager, period) and the ladder's KPI rows: the review rows
    are every manager and completed review period in either (as an outer merge makes them),
    sorted as the ladder rule reads them."""
    codes, uniques = pd.factorize(keys["manager"], sort=True)
    managers = pd.Index(uniques)
    names = managers.astype(str)
    scored = [i.id for i in ladder.indicators.values() if i.kpi == ASSESSMENT_TOTAL]
    cols = [c for c in ladder.indicators if c in ladder_kpis or c in scored]
    months = pd.DataFrame({"manager": names.to_numpy()[codes],
                           "period": regroup(keys["period"], ladder.review, start)})
    periods = complete_periods(months[codes != NONE].drop_duplicates(ignore_index=True),
                               ladder.review, end)
    table = ladder_kpis.drop(columns=scored, errors="ignore")
    if scored:
        table = periods if table.empty else table.merge(periods, on=["manager", "period"],
                                                        how="outer")
    table = table.assign(**{c: np.nan for c in scored}).reindex(
        columns=["manager", "period", *cols]).astype({"manager": str}).sort_values(
        ["manager", "period"], kind="stable", ignore_index=True)
    reviews, reviewed = reviews_of(table, cols)
    month_review = np.full(len(keys), NONE)
    if scored:
        row = pd.Series(np.arange(len(table)), index=pd.MultiIndex.from_frame(
            table[["manager", "period"]]))
        month_review = row.reindex(pd.MultiIndex.from_frame(months)).fillna(NONE).to_numpy(
            dtype=np.int64, copy=True)  # written below: never a read-only view
        month_review[codes == NONE] = NONE
    grade = [grades.get(m, "") for m in reviewed]
    return Layout(
        managers, codes.astype(np.int64), names.isin(list(active)),
        amounts.reindex(names).to_numpy(dtype="float64", na_value=np.nan),
        reviews, [cols.index(c) for c in scored], month_review,
        np.array(grade, dtype=object), grade_indexes(ladder, grade),
        pd.Index(reviewed).get_indexer(names).astype(np.int64))


def group_mean(values: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """Mean per group 0…n-1 skipping NaN (NaN for a group with none; rows in group NONE
    are left out), by pandas' own groupby so the sums match the frame-based path bit for
    bit."""
    out = np.full(n, np.nan)
    rows = groups != NONE
    means = pd.Series(values[rows]).groupby(groups[rows]).mean()
    out[means.index.to_numpy()] = means.to_numpy()
    return out
