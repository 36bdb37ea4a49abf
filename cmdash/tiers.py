"""The order of customer tiers (档位), whichever way a company writes them.

The contract allows three encodings (DATA-CONTRACT, customers.tier): numbers 1–30 where a
higher number is a larger retailer (tobacco 档位), letters where A is the largest, or named
grades whose order is a setting (VIP > 高端 > … > 大众). `tier_order` detects which one a
column uses; `rank` turns tiers into numbers where higher always means larger, so a feature
such as "visits to large retailers" works on every encoding. Values the order cannot place
rank as NaN and are listed, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.i18n import t
from cmdash.settings.spec import Setting

ENCODINGS = ("numeric", "letters", "named")
#: Named grades, largest first (the setting `tiers.named_order` replaces it).
DEFAULT_NAMED_ORDER = "VIP,钻石,金牌,银牌,高端,中高端,中端,中低端,低端,普通,大众"
_LETTER = re.compile(r"^[A-Za-z]$")

TIER_SETTINGS: tuple[Setting, ...] = (
    Setting("tiers.encoding", "auto", "档位编码", "Tier encoding",
            choices=("auto", *ENCODINGS), source="DATA-CONTRACT customers.tier"),
    Setting("tiers.named_order", DEFAULT_NAMED_ORDER, "命名档位顺序（大到小，逗号分隔）",
            "Named tiers, largest first (comma-separated)", source="default"),
)


@dataclass(frozen=True)
class TierOrder:
    encoding: str  # one of ENCODINGS, or "none" when no value could be placed
    detected: bool  # True when read off the data ("auto"), False when set
    named: tuple[str, ...] = ()  # the named order used (largest first)
    unranked: tuple[str, ...] = ()  # values the order cannot place (at most a few quoted)
    unranked_count: int = 0

    @property
    def usable(self) -> bool:
        return self.encoding != "none"


def named_order(text: str) -> tuple[str, ...]:
    """The setting's text as a tuple, largest first; commas, '>' or '/' separate."""
    return tuple(p.strip() for p in re.split(r"[,，>/、]", text or "") if p.strip())


def _as_number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce")


def _placed(values: pd.Series, encoding: str, named: tuple[str, ...]) -> pd.Series:
    """Which values the encoding can place (a boolean per value)."""
    if encoding == "numeric":
        return _as_number(values).notna()
    if encoding == "letters":
        return values.str.fullmatch(_LETTER.pattern).fillna(False).astype(bool)
    return values.isin(set(named))


def _distinct(values: Iterable) -> pd.Series:
    s = pd.Series(pd.unique(pd.Series(list(values), dtype="object").dropna()), dtype="object")
    s = s.astype(str).str.strip()
    return s[s != ""].drop_duplicates().reset_index(drop=True)


def tier_order(values: Iterable, encoding: str = "auto",
               named_text: str = DEFAULT_NAMED_ORDER) -> TierOrder:
    """The encoding of a tier column: the one placing every distinct value, else the one
    placing most (the rest listed as unranked); `encoding` other than "auto" is used as is."""
    named = named_order(named_text)
    distinct = _distinct(values)
    if encoding in ENCODINGS:
        chosen, detected = encoding, False
    else:
        detected = True
        scores = {e: int(_placed(distinct, e, named).sum()) for e in ENCODINGS}
        chosen = max(ENCODINGS, key=lambda e: scores[e])  # first listed wins a tie
        if scores[chosen] == 0:
            return TierOrder("none", True, named, tuple(distinct[:5]), len(distinct))
    left = distinct[~_placed(distinct, chosen, named)]
    return TierOrder(chosen, detected, named if chosen == "named" else (), tuple(left[:5]),
                     len(left))


def rank(values: pd.Series, order: TierOrder) -> pd.Series:
    """Tiers as numbers where higher means larger (NaN where the order cannot place one)."""
    text = values.astype("object").where(values.notna()).astype("string").str.strip()
    if order.encoding == "numeric":
        out = _as_number(text)
    elif order.encoding == "letters":
        ok = text.str.fullmatch(_LETTER.pattern).fillna(False).astype(bool)
        code = text.str.upper().str[0].map(lambda c: ord(c) if isinstance(c, str) else np.nan,
                                           na_action="ignore")
        out = (ord("Z") + 1 - pd.to_numeric(code, errors="coerce")).where(ok)
    elif order.encoding == "named":
        place = {name: len(order.named) - i for i, name in enumerate(order.named)}
        out = text.map(place, na_action="ignore")
    else:
        out = pd.Series(np.nan, index=values.index)
    return pd.Series(pd.to_numeric(out, errors="coerce"), index=values.index,
                     dtype="float64")


def describe(order: TierOrder, lang: str = "zh") -> str:
    """One line: the encoding assumed (or set) and its order, plus any values left out."""
    sep = t("sep.names", lang)
    text = t(f"tiers.{order.encoding}", lang, order=" > ".join(order.named))
    line = t("tiers.line", lang, order=text,
             how=t("tiers.detected" if order.detected else "tiers.set", lang))
    if order.unranked_count:
        line += t("tiers.unranked", lang, count=order.unranked_count,
                  values=sep.join(order.unranked))
    return line
