"""Sessions signed out on this server, so a copy of their identity cookie is refused too.

Streamlit's identity cookie is signed, not stored: signing out deletes it from the browser,
but a copy taken before stays valid until the session's age limit. This process remembers
each signed-out session (issuer, subject, sign-in time) until that limit has passed anyway.
Kept in memory: a restart or another server process forgets it, and then the age limit
(`max_session_hours`) is what ends the copy.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

_ENDED: dict[tuple[str, str, str], float] = {}  # session → when it may be forgotten
_LOCK = threading.Lock()


def _session(claims: Mapping[str, object]) -> tuple[str, str, str] | None:
    started = claims.get("auth_time") or claims.get("iat")
    sub = claims.get("sub")
    if not sub or started is None:
        return None
    return str(claims.get("iss") or ""), str(sub), str(started)


def end(claims: Mapping[str, object], forget_at: float) -> None:
    """Remember this session as signed out until `forget_at` (epoch seconds)."""
    key = _session(claims)
    if key is not None:
        with _LOCK:
            _ENDED[key] = forget_at


def ended(claims: Mapping[str, object], now: float) -> bool:
    key = _session(claims)
    with _LOCK:
        for old in [k for k, until in _ENDED.items() if until < now]:
            del _ENDED[old]
        return key is not None and key in _ENDED
