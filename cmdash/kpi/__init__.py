"""The KPI semantic layer: declarations (catalog, facts, grains, units) and their engine."""

from cmdash.kpi.catalog import KPIS, OVERVIEW_KPIS, Kpi
from cmdash.kpi.compute import KpiFrame, compute, kpi_values

__all__ = ["KPIS", "OVERVIEW_KPIS", "Kpi", "KpiFrame", "compute", "kpi_values"]
