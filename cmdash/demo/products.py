"""The cigarette catalog: fictional brands, price classes (一类…五类) and the 培育 list."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

PRICE_TIERS = ("一类", "二类", "三类", "四类", "五类")
UNITS_PER_CASE = 250.0  # 1 标准箱 = 250 条 = 50,000 支 (50 条 is one 件)

# (brand, spec, price tier index, wholesale 元 per 条, popularity, cultivation brand)
CATALOG: tuple[tuple[str, str, int, float, float, bool], ...] = (
    ("瑞鹤", "(硬)", 0, 520.0, 1.0, False),
    ("瑞鹤", "(软)", 0, 745.0, 0.3, False),
    ("瑞鹤", "(细支)", 0, 550.0, 0.5, True),
    ("金陵松", "(硬盒)", 0, 270.0, 0.8, False),
    ("金陵松", "(金)", 0, 320.0, 0.4, False),
    ("云岭", "(大重九)", 0, 435.0, 0.4, False),
    ("云岭", "(如意)", 0, 240.0, 0.9, True),
    ("长风", "(典藏)", 0, 345.0, 0.3, False),
    ("长风", "(硬红)", 1, 195.0, 1.2, False),
    ("长风", "(细支)", 1, 215.0, 0.6, True),
    ("金桥", "(硬)", 1, 185.0, 1.0, False),
    ("金桥", "(蓝)", 1, 160.0, 0.9, False),
    ("玉泉", "(软)", 1, 225.0, 0.7, False),
    ("玉泉", "(和谐)", 1, 170.0, 0.6, True),
    ("华岳", "(硬)", 1, 150.0, 1.1, False),
    ("华岳", "(中支)", 1, 155.0, 0.5, True),
    ("红杉", "(硬)", 2, 110.0, 1.6, False),
    ("红杉", "(软)", 2, 125.0, 1.0, False),
    ("红杉", "(金)", 2, 145.0, 0.7, True),
    ("白沙湾", "(硬)", 2, 100.0, 1.5, False),
    ("白沙湾", "(精品)", 2, 115.0, 0.9, False),
    ("白沙湾", "(细支)", 2, 135.0, 0.5, True),
    ("黄山松", "(硬)", 2, 85.0, 1.3, False),
    ("黄山松", "(蓝)", 2, 95.0, 0.9, False),
    ("南洋", "(红)", 2, 80.0, 1.0, False),
    ("南洋", "(中支)", 2, 105.0, 0.5, True),
    ("芙蓉", "(硬)", 3, 65.0, 1.5, False),
    ("芙蓉", "(软)", 3, 60.0, 1.2, False),
    ("芙蓉", "(新版)", 3, 65.0, 0.6, True),
    ("大前程", "(硬)", 3, 55.0, 1.3, False),
    ("大前程", "(蓝)", 3, 50.0, 1.0, False),
    ("红梅岭", "(硬)", 3, 50.0, 1.4, False),
    ("红梅岭", "(软)", 3, 45.0, 1.1, False),
    ("红梅岭", "(金)", 3, 55.0, 0.5, True),
    ("紫金山", "(硬)", 3, 45.0, 1.0, False),
    ("紫金山", "(软)", 3, 40.0, 0.8, False),
    ("迎客来", "(硬)", 4, 35.0, 1.3, False),
    ("迎客来", "(软)", 4, 30.0, 1.1, False),
    ("迎客来", "(蓝)", 4, 35.0, 0.5, True),
    ("丰收", "(硬)", 4, 30.0, 1.2, False),
    ("丰收", "(软)", 4, 25.0, 0.9, False),
    ("大运河", "(硬)", 4, 30.0, 1.0, False),
    ("大运河", "(红)", 4, 30.0, 0.8, False),
    ("飞马", "(硬)", 4, 25.0, 0.9, False),
    ("飞马", "(软)", 4, 20.0, 0.7, False),
    ("金桥", "(新品)", 1, 190.0, 0.4, True),
)

#: Price-class preference of each customer segment (0 = big urban … 3 = small rural).
SEGMENT_TIER_WEIGHTS = np.array(
    [
        [0.30, 0.30, 0.25, 0.10, 0.05],
        [0.12, 0.25, 0.35, 0.18, 0.10],
        [0.05, 0.15, 0.35, 0.28, 0.17],
        [0.02, 0.06, 0.27, 0.35, 0.30],
    ]
)


@dataclass(frozen=True)
class Products:
    ids: pa.Array  # string ids in catalog order
    price: np.ndarray  # 元 per 条
    tier: np.ndarray  # price-class index (0 = 一类)
    cultivation: np.ndarray  # bool
    cdf: np.ndarray  # [segment, is_cultivation] -> cumulative pick probabilities over products

    def table(self) -> dict[str, object]:
        return {
            "product_id": self.ids,
            "name": [f"{b}{s}" for b, s, *_ in CATALOG],
            "brand": [b for b, *_ in CATALOG],
            "price_tier": [PRICE_TIERS[c[2]] for c in CATALOG],
            "unit_price": self.price,
            "is_cultivation_brand": self.cultivation,
            "units_per_case": np.full(len(CATALOG), UNITS_PER_CASE),
        }

    def pick(self, rng: np.random.Generator, segment: np.ndarray, cult: np.ndarray) -> np.ndarray:
        """A product index per order line, from its customer segment and cultivation draw."""
        u = rng.random(len(segment))
        out = np.empty(len(segment), dtype=np.int64)
        for s in range(self.cdf.shape[0]):
            for c in (0, 1):
                m = (segment == s) & (cult == c)
                out[m] = np.searchsorted(self.cdf[s, c], u[m], side="right")
        return np.minimum(out, len(CATALOG) - 1)


def build_products() -> Products:
    tier = np.array([c[2] for c in CATALOG])
    pop = np.array([c[4] for c in CATALOG])
    cult = np.array([c[5] for c in CATALOG])
    cdf = np.zeros((len(SEGMENT_TIER_WEIGHTS), 2, len(CATALOG)))
    for s, tw in enumerate(SEGMENT_TIER_WEIGHTS):
        for c in (0, 1):
            w = pop * tw[tier] * (cult == bool(c))
            cdf[s, c] = np.cumsum(w) / w.sum()
    ids = pa.array([f"69010{i + 1:03d}{t + 1}" for i, t in enumerate(tier)])
    return Products(ids, np.array([c[3] for c in CATALOG]), tier, cult, cdf)
