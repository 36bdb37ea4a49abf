"""Streamlit websocket clients: a session as the page's script drives it, without a browser.

A browser draws every chart and data grid in software; on one small machine 20 of them
starve the server they are meant to measure, although in a deployment they run on the
users' own computers. This client speaks the protocol the Streamlit frontend speaks and
does nothing else: the server does exactly the work it does for a browser (runs the
script, serialises every element, sends it), and the client only parses the messages.

The handshake is the frontend's (Streamlit 1.67, `WebsocketConnection.tsx` and
`starlette_websocket.py`): a websocket on `/_stcore/stream` with the subprotocols
`streamlit` and a placeholder token (no XSRF cookie, no host token), then a `rerun_script`
BackMsg whose ClientState carries the URL's query string and the page's URL path as
`page_name` (how the frontend asks for a page on a fresh load; st.navigation matches it
against each page's `url_path`). Every visit opens the page's URL afresh, as the browser
client's `page.goto` does: a new websocket, hence a new Streamlit session, with the
session's role and filters in the query string. (Reruns on one connection would be a user
clicking the sidebar's links, but the frontend then also sends every widget's state, and
without it Streamlit 1.67 drops the URL-bound widgets on a page change — the role and
scope would silently reset to the defaults.) The previous page's websocket stays open
while the user reads it, and is closed just before the next page is opened.

A visit's render time is from opening the websocket (milliseconds on loopback) until the
arrival of the server's `script_finished` with FINISHED_SUCCESSFULLY for a run started
after the request: a run that stops early for a rerun (st.switch_page, a rerun request)
is followed, so the time covers the page actually drawn. Errors: an `exception`
element (an uncaught error or st.exception), a compile error, a page not found, a lost
connection, or no finished run within the timeout. The manager ids are searched in every
message's raw bytes: markdown, metrics, widget options, plotly specs and dataframes'
Arrow buffers alike — everything that reached the client, not only what a browser shows —
except the demo-mode role picker's widgets (plan.PICKER_KEYS).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from urllib.parse import urlencode

from google.protobuf.message import DecodeError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from cmdash.bench.plan import PAGE_PATHS, PICKER_KEYS, Plan, Seen, manager_ids

STREAM = "/_stcore/stream"
# What the frontend offers when it has neither a host auth token nor an XSRF cookie; the
# server selects the first entry and reads the second as the XSRF token (unused here).
SUBPROTOCOLS = ("streamlit", "PLACEHOLDER_AUTH_TOKEN")
_PICKERS = tuple(f"-{key}" for key in PICKER_KEYS)  # widget ids end in "-<key>"
_CLOSED = b""  # queued by the reader when the connection ends
_Inbox = asyncio.Queue[tuple[float, bytes]]  # (arrival time, frame)


class Disconnected(Exception):
    """The server closed the websocket (or it broke) in the middle of a visit."""


class WsTab:
    """One user's browser tab: a new websocket (a new Streamlit session) per page."""

    def __init__(self, url: str, plan: Plan, timeout_s: float) -> None:
        self._url = "ws" + url.removeprefix("http") + STREAM
        self._http = url
        self._query = urlencode(plan.params)
        self._timeout_s = timeout_s
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._inbox: _Inbox = asyncio.Queue()

    async def _connect(self) -> None:
        # ping_interval=None: a browser never pings, and under load the server's pong
        # could wait behind script runs; proxy=None: loopback only, whatever the env says
        self._ws = await connect(self._url, subprotocols=list(SUBPROTOCOLS), max_size=None,
                                 ping_interval=None, proxy=None, open_timeout=self._timeout_s)
        self._inbox = asyncio.Queue()
        self._reader = asyncio.create_task(self._read(self._ws, self._inbox))

    @staticmethod
    async def _read(ws: ClientConnection, inbox: _Inbox) -> None:
        """Drain the socket all the time, so the server's send queue never backs up; stamp
        each frame on arrival, so parsing here never counts as the server's time."""
        try:
            async for frame in ws:
                if isinstance(frame, bytes) and frame:
                    inbox.put_nowait((time.monotonic(), frame))
        except WebSocketException:
            pass
        finally:
            inbox.put_nowait((time.monotonic(), _CLOSED))

    def _rerun(self, name: str) -> bytes:
        path = PAGE_PATHS[name]
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self._query
        state.page_name = path  # "" = the default page
        state.page_script_hash = ""
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
        info.url = f"{self._http}/{path}?{self._query}"
        info.is_embedded = False
        return msg.SerializeToString()

    async def visit(self, name: str) -> Seen:
        await self.close()  # leaving the previous page
        start = time.monotonic()
        seen = _Run(name)
        try:
            async with asyncio.timeout(self._timeout_s):
                await self._connect()
                await self._ws.send(self._rerun(name))
                while not seen.done:
                    arrived, frame = await self._inbox.get()
                    if not frame:
                        raise Disconnected("the server closed the websocket")
                    seen.take(frame, arrived)
        except (TimeoutError, Disconnected, OSError, WebSocketException, DecodeError) as exc:
            await self.close()
            what = (f"TimeoutError: no finished run after {self._timeout_s:.0f} s"
                    if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}")
            return Seen(round(time.monotonic() - start, 3), what[:300], seen.ids)
        return Seen(round(seen.finished - start, 3), seen.error[:300], seen.ids,
                    seen.first_metric)

    async def close(self) -> None:
        ws, reader = self._ws, self._reader
        self._ws = self._reader = None
        if ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 10)
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader


class _Run:
    """Follows the ForwardMsgs of one visit until its page is drawn."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.started = False  # a run began after our request (its new_session arrived)
        self.done = False
        self.finished = 0.0
        self.errors: list[str] = []
        self.ids: frozenset[str] = frozenset()
        self._metrics: dict[tuple[int, ...], str] = {}  # delta path -> value, this run

    @property
    def error(self) -> str:
        return self.errors[0] if self.errors else ""

    @property
    def first_metric(self) -> str:
        return self._metrics[min(self._metrics)] if self._metrics else ""

    def take(self, frame: bytes, arrived: float) -> None:
        msg = ForwardMsg.FromString(frame)
        kind = msg.WhichOneof("type")
        if not _is_picker(msg):
            self.ids |= manager_ids(frame)
        if kind == "new_session":  # a run starts: the page is drawn afresh
            self.started = True
            self._metrics.clear()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            what = element.WhichOneof("type")
            if what == "exception":
                self.errors.append(f"{element.exception.type}: {element.exception.message}")
            elif what == "metric":
                self._metrics[tuple(msg.metadata.delta_path)] = element.metric.body
        elif kind == "page_not_found":
            self.errors.append(f"page not found: {msg.page_not_found.page_name or self.name}")
        elif kind == "session_event" and msg.session_event.HasField(
                "script_compilation_exception"):
            exc = msg.session_event.script_compilation_exception
            self.errors.append(f"{exc.type}: {exc.message}")
        elif kind == "script_finished" and self.started:
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.started = False  # another run follows (st.switch_page, st.rerun)
            elif status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                pass  # a fragment of the page, not the page
            else:
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR and not self.errors:
                    self.errors.append("the script did not compile")
                self.done = True
                self.finished = arrived


def _is_picker(msg: ForwardMsg) -> bool:
    """The demo-mode role picker's widgets (left out of the scope check, see load.py)."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return False
    what = msg.delta.new_element.WhichOneof("type")
    widget_id = getattr(getattr(msg.delta.new_element, what), "id", "") if what else ""
    return isinstance(widget_id, str) and widget_id.endswith(_PICKERS)


class WsClient:
    """Opens one tab per plan; each visit is its own websocket session (see above)."""

    def __init__(self, url: str, timeout_s: float) -> None:
        self._url, self._timeout_s = url, timeout_s

    async def open(self, plan: Plan) -> WsTab:
        return WsTab(self._url, plan, self._timeout_s)
