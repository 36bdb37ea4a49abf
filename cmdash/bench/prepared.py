"""The prepared layer's cases: building it cold, and a page's warm path read from it.

The layers go to temporary workspaces of the run (never the dataset's own), so no case of
the KPI layer ever reads them. The cold build has a workspace of its own and builds from
nothing every round; the warm cases read one layer built once, as a server does for a data
version (a layer rebuilt under them would be read afresh: a cold read, not a warm one).
"""

from __future__ import annotations

import tempfile
from functools import cached_property
from pathlib import Path

import pandas as pd

from cmdash.engine import Engine, open_engine
from cmdash.kpi import Scan
from cmdash.prepared import Layer, Store, prepare
from cmdash.query import Filters


class PreparedWork:
    """What the prepared cases need, built on first use (outside the timed repeats)."""

    def __init__(self, workload) -> None:
        self.w = workload
        self._tmp = tempfile.TemporaryDirectory(prefix="cmdash-bench-prepared-")
        self.workspace = Path(self._tmp.name) / "warm"
        self.cold_workspace = Path(self._tmp.name) / "cold"

    def cold(self) -> Layer:
        """The whole layer from the fact files: every prepared fact by day, its months,
        written atomically (built again even though it exists)."""
        return prepare(self.w.engine, self.w.dataset, workspace=self.cold_workspace,
                       force=True)

    @cached_property
    def engine(self) -> Engine:
        """An engine whose scans read the layer (built once, here, if missing)."""
        prepare(self.w.engine, self.w.dataset, workspace=self.workspace)
        engine = open_engine(self.w.dataset)
        engine.prepared = Store(self.workspace, self.w.dataset.version())
        return engine

    def dates(self) -> Filters:
        """A date range not seen before (a different end each round), as `filter.dates`."""
        end = pd.Timestamp(self.w.overview_scan.end) - pd.DateOffset(days=self.w.turn + 1)
        return Filters(end=end.date())

    def warm_scan(self) -> Scan:
        """A page's scan for a new date range, cut from the layer: no fact file read."""
        from cmdash.bench.workload import OVERVIEW_COLUMNS, scan_columns

        return scan_columns(self.engine, OVERVIEW_COLUMNS, self.dates())

    def warm_overview(self):
        """The overview for a new date range: the scan from the layer + its roll-ups."""
        from cmdash.bench.workload import overview

        return overview(self.engine, self.dates())

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.close()
        self._tmp.cleanup()
