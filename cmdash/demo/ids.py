"""String ids and Arrow date/time columns built without a Python loop per row."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

US_PER_DAY = 86_400_000_000


def seq_ids(prefix: str, seq: np.ndarray, width: int) -> pa.Array:
    """`prefix` + zero-padded sequence number, e.g. DD2025030000042."""
    digits = pc.utf8_lpad(pc.cast(pa.array(seq, pa.int64()), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def dates(epoch: np.datetime64, day: np.ndarray) -> pa.Array:
    """date32 column from day indices counted from `epoch`."""
    base = int(epoch.astype("datetime64[D]").astype(np.int64))
    return (
        pa.array(np.asarray(day, dtype=np.int64) + base, pa.int64())
        .cast(pa.int32())
        .cast(pa.date32())
    )


def timestamps(epoch: np.datetime64, day: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Microseconds since 1970 for day indices plus fractional hours, rounded to the second."""
    base = int(epoch.astype("datetime64[D]").astype(np.int64))
    secs = np.round(np.asarray(hours) * 3600).astype(np.int64)
    return (np.asarray(day, dtype=np.int64) + base) * US_PER_DAY + secs * 1_000_000


def ts_array(us: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    return pa.array(us, pa.timestamp("us"), mask=None if valid is None else ~valid)
