"""The KPI semantic layer: declarations (catalog, facts, measures, grains, units), the scan
of the facts, and the roll-ups that turn one scan into any grouping and period."""

from cmdash.kpi.catalog import KPIS, OVERVIEW_KPIS, RANGE_KPIS, Kpi
from cmdash.kpi.compute import KpiFrame, Unavailable, compute, kpi_table, scan_for, shared_scan
from cmdash.kpi.scan import Scan, scan

__all__ = ["KPIS", "OVERVIEW_KPIS", "RANGE_KPIS", "Kpi", "KpiFrame", "Scan", "Unavailable",
           "compute", "kpi_table", "scan", "scan_for", "shared_scan"]
