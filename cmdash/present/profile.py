"""One manager beside their peers: KPI gaps, part scores, trend, calendar, customers."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cmdash.assessment import MATRIX, PARTS
from cmdash.i18n import pick
from cmdash.kpi.catalog import KPIS
from cmdash.present.labels import kpi_text


@dataclass(frozen=True)
class PeerCard:
    kpi: str
    value: str
    peer: str  # the peer median, formatted
    delta: float | None  # value − peer median (in the KPI's unit)
    color: str


def peer_cards(values: pd.DataFrame, manager: str, kpi_ids: list[str],
               lang: str, benchmark: pd.Series | None = None) -> list[PeerCard]:
    """The manager's value for the range against the median of the other managers shown,
    or against a company benchmark (KPI -> median) when one is given."""
    me = values[values["manager"] == manager]
    others = values[values["manager"] != manager]
    out = []
    for k in kpi_ids:
        if k not in values or me.empty:
            continue
        v = me.iloc[0][k]
        med = benchmark.get(k) if benchmark is not None else others[k].median()
        delta = None if pd.isna(v) or pd.isna(med) else float(v - med)
        color = {"higher": "normal", "lower": "inverse"}.get(KPIS[k].direction, "off")
        out.append(PeerCard(k, kpi_text(k, v, lang, with_unit=False),
                            kpi_text(k, med, lang), delta, color))
    return out


def part_profile(scores: pd.DataFrame, manager: str) -> tuple[list[float], list[float]]:
    """Mean part scores over the range: the manager's and the peers' median."""
    mean = scores.groupby("manager", observed=True)[[p.id for p in PARTS]].mean()
    mine = mean.loc[manager] if manager in mean.index else pd.Series(dtype=float)
    peers = mean.drop(index=manager, errors="ignore").median()
    return ([float(mine.get(p.id, float("nan"))) for p in PARTS],
            [float(peers.get(p.id, float("nan"))) for p in PARTS])


def matrix_position(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean talent and virtue per manager over the range, with the quadrant at the median."""
    pos = scores.groupby("manager", observed=True)[["talent", "virtue"]].mean().dropna()
    t_cut, v_cut = pos["talent"].median(), pos["virtue"].median()
    pos["cell"] = [MATRIX[(t >= t_cut, v >= v_cut)][0]
                   for t, v in zip(pos["talent"], pos["virtue"], strict=True)]
    return pos.reset_index()


def matrix_split(pos: pd.DataFrame) -> tuple[float, float] | None:
    """Where `matrix_position` splits the quadrants: the talent and virtue medians."""
    if pos.empty:
        return None
    return float(pos["talent"].median()), float(pos["virtue"].median())


def matrix_corners(lang: str) -> dict[tuple[bool, bool], str]:
    """Each quadrant's name by (talent high, virtue high), for the chart's corners."""
    return {hi: pick(zh, en, lang) for hi, (_, zh, en) in MATRIX.items()}


def matrix_label(cell: str, lang: str) -> str:
    for key, zh, en in MATRIX.values():
        if key == cell:
            return pick(zh, en, lang)
    return cell


def customer_list(customers: pd.DataFrame) -> pd.DataFrame:
    """Biggest recent customers first; closed ones last."""
    frame = customers.copy()
    frame["closed"] = frame["closed_date"].notna()
    return frame.sort_values(["closed", "recent_units"], ascending=[True, False]).drop(
        columns=["closed"]).reset_index(drop=True)
