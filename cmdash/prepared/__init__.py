"""The prepared aggregate layer: each fact rolled up once per dataset version (by day, and by
week and month where that is smaller), written to the workspace as Parquet, so that any date
range and any scope is cut from small tables instead of rescanning the fact files.

`layer` holds the declarations and the on-disk format, `build` writes a layer (DuckDB or
Spark), `read` answers a scan's fact frames from it. See docs/performance.md.
"""

from cmdash.prepared.build import prepare
from cmdash.prepared.layer import FORMAT_VERSION, Layer, Store, attach

__all__ = ["FORMAT_VERSION", "Layer", "Store", "attach", "prepare"]
