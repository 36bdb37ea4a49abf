"""What a load-test session does and sees: its plan, the pages' URL paths, what a client
reports from one visit, and the client protocols. Shared by the runner (`load`) and the two
clients (`ws_client`, `browser_client`), which import this and never each other."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from cmdash.access.roles import PAGE_IDS

#: page id -> URL path (the overview is the default page, at the root)
PAGE_PATHS = {p: "" if p == "overview" else p for p in PAGE_IDS}
# The demo-mode role picker lists whom one may view the app as (every manager, for the
# manager role); it is not the viewer's data and does not exist when a login is
# configured, so the scope check leaves it out, as tests/app/test_leakage.py does.
PICKER_KEYS = ("as_role", "as_region", "as_district", "as_manager")
_IDS = re.compile(r"KM\d{4}")
_IDS_BYTES = re.compile(rb"KM\d{4}")


def manager_ids(seen: str | bytes) -> frozenset[str]:
    """Manager ids (KM0123) in page text or in the raw bytes the server sent."""
    if isinstance(seen, bytes):
        return frozenset(m.decode() for m in _IDS_BYTES.findall(seen))
    return frozenset(_IDS.findall(seen))


@dataclass(frozen=True)
class Plan:
    """What one session browses: a role (its URL parameters) and the pages, in order."""

    name: str  # e.g. "coach:东川城东片区"
    params: dict[str, str]  # URL query parameters: lang, as_role, as_district, filters…
    pages: tuple[str, ...]  # page stems
    allowed: frozenset[str] | None = None  # manager ids it may see (None: everyone)


@dataclass(frozen=True)
class Seen:
    """What a client saw on one visit, before the scope check."""

    seconds: float  # request → page drawn (each client says what that means for it)
    error: str = ""  # an exception on the page, a timeout, a lost connection
    ids: frozenset[str] = frozenset()  # manager ids among what the client received
    first_metric: str = ""  # the first metric card's value, if any


class Tab(Protocol):
    """One session's open app: visits pages one after the other."""

    async def visit(self, page: str) -> Seen: ...

    async def close(self) -> None: ...


class Client(Protocol):
    """Opens one tab per session; every tab is its own Streamlit session."""

    async def open(self, plan: Plan) -> Tab: ...
