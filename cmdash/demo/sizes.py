"""Dataset sizes for the demo generator, declared as data so the CLI and tests share them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    regions: int  # 地市
    districts: int  # 片区 in total, dealt round-robin over the regions
    managers_per_district: int  # territories (线路) per 片区; each has one 客户经理 at a time
    customers_per_manager: int  # retailers per territory at the start of the window
    months: int = 24  # calendar months covered, ending with the month of `end`
    #: districts whose order lines are drawn (own random stream) and written (own file)
    #: together; 0: a month's lines at once. Bounds memory: one block of one month at a time.
    sales_block: int = 0


SIZES: dict[str, Size] = {
    "small": Size(regions=3, districts=4, managers_per_district=10, customers_per_manager=100),
    "medium": Size(regions=4, districts=20, managers_per_district=10, customers_per_manager=100),
    "large": Size(regions=5, districts=100, managers_per_district=10, customers_per_manager=100),
    # about 150 M order lines (~0.39 M per district over 24 months), written in blocks
    "xlarge": Size(regions=5, districts=400, managers_per_district=10,
                   customers_per_manager=100, sales_block=20),
}
