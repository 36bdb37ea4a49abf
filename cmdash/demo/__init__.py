"""Demo data generator: a fictional tobacco company's 客户经理 with planted behaviours.

`generate()` writes every table of the data contract as Parquet, plus `_truth/` with the
planted manager types and customer lapses that tests (never the app) compare against.
"""

from cmdash.demo.generate import generate
from cmdash.demo.sizes import SIZES, Size

__all__ = ["SIZES", "Size", "generate"]
