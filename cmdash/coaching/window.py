"""The review window: the last few months compared with the months before them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Window:
    as_of: pd.Timestamp  # last day reviewed (inclusive)
    recent_months: int = 3  # months ending with the as-of month
    base_months: int = 6  # the months before those, for trends

    @property
    def recent_start(self) -> pd.Timestamp:
        first = self.as_of.to_period("M").start_time
        return first - pd.DateOffset(months=self.recent_months - 1)

    @property
    def base_start(self) -> pd.Timestamp:
        return self.recent_start - pd.DateOffset(months=self.base_months)

    @property
    def months(self) -> pd.DatetimeIndex:
        """Month starts of the whole window, oldest first."""
        return pd.date_range(self.base_start, self.recent_start + pd.DateOffset(
            months=self.recent_months - 1), freq="MS")

    def is_recent(self, months: pd.Series) -> pd.Series:
        return pd.to_datetime(months) >= self.recent_start

    def in_window(self, months: pd.Series) -> pd.Series:
        m = pd.to_datetime(months)
        return (m >= self.base_start) & (m <= self.as_of)

    def params(self) -> dict:
        """Bound parameters for the whole window (coaching queries)."""
        return {"win_start": self.base_start.date(), "as_of": self.as_of.date()}

    def recent_params(self) -> dict:
        return {"win_start": self.recent_start.date(), "as_of": self.as_of.date()}
