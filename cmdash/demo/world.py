"""Everything the monthly generators share: calendar, org, customers, lapses, effects, ids."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cmdash.demo.calendar import Calendar
from cmdash.demo.customers import Customers
from cmdash.demo.effects import Effects
from cmdash.demo.lapses import Lapses
from cmdash.demo.org import Org
from cmdash.demo.products import Products

BASE_VISITS = 1.5  # visits a month to a 1档 retailer …
VISITS_PER_TIER = 0.09  # … plus this per 档 (a 30档 retailer gets ~4 a month)
NEW_RETAILER_RAMP_DAYS = 180  # a new retailer orders half as much at first, full after this


@dataclass
class World:
    seed: int
    cal: Calendar
    org: Org
    cust: Customers
    lap: Lapses
    eff: Effects
    prod: Products
    manager_ids: pa.Array
    customer_ids: pa.Array
    handovers: np.ndarray  # (customer, day) visits owed after a move, sorted by day
    chronic: np.ndarray  # bool per customer: prone to repeat complaints

    def month_prefix(self, m: int) -> str:
        y, mo = self.cal.month_label[m]
        return f"{y}{mo:02d}"

    def active(self, m: int) -> np.ndarray:
        """Customers open at some point of month m (lapsed ones included)."""
        first, last = self.cal.month_first[m], self.cal.month_last[m]
        return np.flatnonzero((self.cust.opened <= last) & (self.lap.closed > first))

    def base_visits(self, tier: np.ndarray) -> np.ndarray:
        return BASE_VISITS + VISITS_PER_TIER * tier

    def ramp(self, c: np.ndarray, day: np.ndarray) -> np.ndarray:
        return np.clip(0.5 + (day - self.cust.opened[c]) / NEW_RETAILER_RAMP_DAYS / 2, 0.5, 1.0)
