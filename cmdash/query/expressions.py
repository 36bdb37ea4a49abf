"""SQL expressions stated once, for every query that needs them (declarations, never user
values: they are part of the query text like a column name).

Each reads a sales line as `s` joined to its product as `p`.
"""

from __future__ import annotations

#: 箱 from a sales line: units ÷ the product's case size (1 标准箱 = 250 条). NULL when the
#: product gives no case size, so sums skip it: such a product is counted in its own unit
#: (条), never as 箱.
CASES = "s.quantity / nullif(p.units_per_case, 0)"

#: The line's product has no case size: its volume stays in its own unit.
UNCASED = "coalesce(p.units_per_case, 0) <= 0"
