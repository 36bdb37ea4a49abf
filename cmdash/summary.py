"""Scope headline numbers from the monthly query: the shell's overview until the KPI catalog."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Headline:
    managers: int  # managers with at least one order line in scope
    cases: float  # 箱
    amount_wan: float  # 万元
    return_lines: int


def headline(monthly_sales: pd.DataFrame) -> Headline:
    return Headline(
        managers=int(monthly_sales["manager_id"].nunique()),
        cases=float(monthly_sales["cases"].sum()),
        amount_wan=float(monthly_sales["amount"].sum()) / 10_000,
        return_lines=int(monthly_sales["return_lines"].sum()),
    )


def monthly_totals(monthly_sales: pd.DataFrame) -> pd.DataFrame:
    return (
        monthly_sales.groupby("month", as_index=False)[["cases", "amount"]].sum()
        .sort_values("month")
    )
