"""One lock for the app's scripts' imports, so the first sessions of a new server do not
import cmdash at the same moment.

Streamlit runs each session's script in a thread of its own. Python locks each module
while it imports it, and across a package cycle two threads can each hold a lock the other
waits for: `cmdash.kpi`'s `__init__` imports `compute` → `rollup` → `computations`, while a
thread that reached `computations` first needs `rollup`. Python then hands one of them a
half-initialised module and the page shows an `ImportError` (seen with four sessions
opening a new server at once). `app.py` and every page import cmdash inside
`with serialized():`; once a module is imported, the lock only costs a look-up.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: re-entrant: a page's imports run inside the app's script, in the same thread
_LOCK = threading.RLock()


@contextmanager
def serialized() -> Iterator[None]:
    """Hold the scripts' import lock."""
    with _LOCK:
        yield
