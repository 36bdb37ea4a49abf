"""What every page needs to draw: the language, the dataset and the viewer's filters."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cmdash.all_settings import Settings
from cmdash.i18n import t
from cmdash.query import Filters
from cmdash.roots import DatasetRef
from cmdash.ui import cache


@dataclass(frozen=True)
class ViewContext:
    lang: str
    ref: DatasetRef | None
    filters: Filters
    version: str = ""  # the dataset's file version: part of every cache key
    settings: Settings = Settings()  # noqa: RUF009 - immutable

    @property
    def access(self):
        return self.filters.access

    @property
    def unfiltered(self) -> Filters:
        """No date or org filter, but still the viewer's scope."""
        return Filters(access=self.filters.access)

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    @property
    def trade(self) -> str:
        """tobacco or general: which words KPI labels use (`cmdash.kpi.wording`)."""
        if self.ref is None:
            return "general"
        return cache.trade(self.root, self.version, self.settings["dataset.trade"])

    @property
    def root(self) -> str:
        if self.ref is None:
            raise LookupError("no dataset is open")
        return str(self.ref.path)

    def query(self, name: str, filters: Filters | None = None, **extra: object) -> pd.DataFrame:
        """A cached query result under the viewer's filters (or the ones given)."""
        return cache.query(self.root, self.version, name, filters or self.filters,
                           tuple(sorted(extra.items())))
