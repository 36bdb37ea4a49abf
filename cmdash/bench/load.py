"""Many users at once: concurrent sessions against a real `streamlit run`, measured.

This module holds the server under test, the phases (one session alone, then many at
once), the figures and the report; what the clients share with it (plans, what a visit
saw, the client protocols) is in `plan`. The clients live next to it: `ws_client`
speaks Streamlit's own websocket protocol (what the page's script does, without drawing
anything), `browser_client` drives headless Chromium. A client opens one `Tab` per
session; a tab visits a page and says what it saw (`Seen`); this module turns that into a
`Visit` and checks that no manager id outside the session's scope was among it. Only
loopback traffic: the server listens on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from cmdash.bench.plan import Client, Plan, Seen

CLIENTS = ("ws", "browser")
ClientKind = Literal["ws", "browser"]


@dataclass(frozen=True)
class Visit:
    session: int
    plan: str
    round: int
    page: str
    seconds: float  # request → page drawn
    error: str = ""  # the first exception's text, a timeout or a lost connection
    foreign_ids: tuple[str, ...] = ()  # manager ids shown that the plan may not see
    first_metric: str = ""  # the first metric card's value, if any
    at_s: float = 0.0  # when the visit began, seconds into its phase


@dataclass
class Phase:
    name: str
    sessions: int
    visits: list[Visit] = field(default_factory=list)
    wall_seconds: float = 0.0
    server_cpu_s: float | None = None  # CPU seconds the streamlit server used
    machine_cpu_s: float | None = None  # CPU seconds every process used (clients included)
    peak_rss_mib: float | None = None  # the server's peak resident memory so far (rss.py)

    def stats(self) -> dict[str, object]:
        ok = [v for v in self.visits if not v.error]
        times = sorted(v.seconds for v in ok)
        first = sorted(v.seconds for v in ok if v.round == 0)
        later = sorted(v.seconds for v in ok if v.round > 0)
        return {"phase": self.name, "sessions": self.sessions, "visits": len(self.visits),
                "errors": sum(bool(v.error) for v in self.visits),
                "leaks": sum(bool(v.foreign_ids) for v in self.visits),
                "p50_s": _quantile(times, 0.5), "p95_s": _quantile(times, 0.95),
                "max_s": times[-1] if times else None,
                "p50_first_round_s": _quantile(first, 0.5),
                "p50_later_rounds_s": _quantile(later, 0.5),
                "wall_s": round(self.wall_seconds, 1),
                "server_cpu_s": self.server_cpu_s, "machine_cpu_s": self.machine_cpu_s,
                "peak_rss_mib": self.peak_rss_mib, "pages": self.pages()}

    def pages(self) -> dict[str, dict[str, object]]:
        """Per page: visits, errors, leaks, p50 and p95 of the visits without an error."""
        out: dict[str, dict[str, object]] = {}
        for page in dict.fromkeys(v.page for v in self.visits):
            vs = [v for v in self.visits if v.page == page]
            times = sorted(v.seconds for v in vs if not v.error)
            out[page] = {"visits": len(vs), "errors": sum(bool(v.error) for v in vs),
                         "leaks": sum(bool(v.foreign_ids) for v in vs),
                         "p50_s": _quantile(times, 0.5), "p95_s": _quantile(times, 0.95)}
        return out


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1], 3)


def _ticks() -> float:
    return float(os.sysconf("SC_CLK_TCK"))


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system, all threads) a process has used so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _ticks()


def machine_cpu() -> float | None:
    """CPU seconds the whole machine has been busy so far (not idle, not iowait)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except OSError:
        return None
    return (sum(values[:8]) - values[3] - values[4]) / _ticks()


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(data_root: Path, workspace: Path, repo: Path, log: Path | None = None,
          timeout_s: float = 90, script: str = "app.py", options: Sequence[str] = (),
          port: int | None = None) -> Iterator[Server]:
    """`streamlit run <script>` (in `repo`) on a loopback port (a free one unless given:
    a caller whose options name the URL picks it first), the given data root only;
    `options` are more Streamlit options as `section.name=value`."""
    port = port or free_port()
    env = os.environ | {"CMDASH_DATA_ROOTS": str(data_root), "CMDASH_WORKSPACE": str(workspace)}
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false", *(f"--{o}" for o in options)],
        cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.5)
        yield Server(url, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()


def page_order(plan: Plan, session: int) -> tuple[str, ...]:
    """The plan's pages, starting at a different one per session, so that the sessions'
    pages overlap in time."""
    k = session % len(plan.pages)
    return plan.pages[k:] + plan.pages[:k]


async def _session(client: Client, plan: Plan, session: int, rounds: int, start: float,
                   deadline: float, start_after: float = 0, think_s: float = 0
                   ) -> list[Visit]:
    await asyncio.sleep(start_after)  # arrivals spread over the ramp
    tab = await client.open(plan)
    visits: list[Visit] = []
    try:
        for rnd in range(rounds):
            for name in page_order(plan, session):
                if time.monotonic() > deadline:
                    return visits
                at = round(time.monotonic() - start, 3)
                seen = await tab.visit(name)
                foreign = () if plan.allowed is None else tuple(sorted(seen.ids - plan.allowed))
                visits.append(Visit(session, plan.name, rnd, name, seen.seconds, seen.error,
                                    foreign, seen.first_metric, at))
                await asyncio.sleep(think_s)  # a reader looks at the page
    finally:
        await tab.close()
    return visits


async def _phase(client: Client, server: Server, name: str, plans: list[Plan], rounds: int,
                 max_seconds: float, sequential: bool = False, ramp_s: float = 0,
                 think_s: float = 0) -> Phase:
    from cmdash.bench.rss import Sampler

    phase = Phase(name, 1 if sequential else len(plans))
    cpu0 = process_cpu(server.pid), machine_cpu()
    start = time.monotonic()
    deadline = start + max_seconds
    with Sampler(server.pid) as memory:
        if sequential:  # one session at a time, one plan after the other
            results = [await _session(client, plan, i, rounds, start, deadline, 0, think_s)
                       for i, plan in enumerate(plans)]
        else:
            results = await asyncio.gather(*(
                _session(client, plan, i, rounds, start, deadline, ramp_s * i / len(plans),
                         think_s)
                for i, plan in enumerate(plans)))
        phase.peak_rss_mib = memory.peak()
    phase.wall_seconds = time.monotonic() - start
    cpu1 = process_cpu(server.pid), machine_cpu()
    if None not in cpu0 + cpu1:
        phase.server_cpu_s = round(cpu1[0] - cpu0[0], 1)
        phase.machine_cpu_s = round(cpu1[1] - cpu0[1], 1)
    phase.visits = [v for vs in results for v in vs]
    return phase


@asynccontextmanager
async def _client(kind: ClientKind, server: Server, quiet_ms: int, timeout_s: float
                  ) -> AsyncIterator[Client]:
    if kind == "ws":
        from cmdash.bench.ws_client import WsClient

        yield WsClient(server.url, timeout_s)
    elif kind == "browser":
        from cmdash.bench.browser_client import launch

        async with launch(server.url, quiet_ms, timeout_s) as client:
            yield client
    else:
        raise ValueError(f"unknown client {kind!r}; one of {', '.join(CLIENTS)}")


async def _run(server: Server, solo: list[Plan], crowds: Sequence[list[Plan]], rounds: int,
               max_seconds: float, quiet_ms: int, timeout_s: float, ramp_s: float,
               think_s: float, kind: ClientKind) -> list[Phase]:
    async with _client(kind, server, quiet_ms, timeout_s) as client:
        phases = []
        if solo:
            phases.append(await _phase(client, server, "alone", solo, rounds, max_seconds,
                                       sequential=True, think_s=think_s))
        for crowd in crowds:
            phases.append(await _phase(client, server, f"{len(crowd)} at once", crowd,
                                       rounds, max_seconds, ramp_s=ramp_s, think_s=think_s))
        return phases


def run(server: Server, crowd: list[Plan], solo: list[Plan] | None = None, rounds: int = 3,
        max_seconds: float = 300, quiet_ms: int = 1500, timeout_s: float = 180,
        ramp_s: float = 0, think_s: float = 0, client: ClientKind = "ws",
        more: Sequence[list[Plan]] = ()) -> list[Phase]:
    """The solo phase (its plans one after the other, one session at a time), then every
    plan of the crowd at once; each phase for `rounds` rounds or until `max_seconds` have
    passed (a visit under way is finished). Crowd sessions arrive spread over `ramp_s`;
    every session pauses `think_s` after each page, as a reader would. `client`: "ws"
    (Streamlit websocket clients) or "browser" (headless Chromium; `quiet_ms` is its
    quiet spell that confirms a page is idle). `more`: further crowds, each its own phase
    after the first (e.g. 20 sessions, then 50)."""
    return asyncio.run(_run(server, solo or [], [crowd, *more], rounds, max_seconds, quiet_ms,
                            timeout_s, ramp_s, think_s, client))


def first_page(data_root: Path, workspace: Path, repo: Path, plan: Plan,
               log: Path | None = None, timeout_s: float = 180) -> dict[str, object]:
    """A server started afresh (as after a restart: the workspace and whatever it holds on
    disk kept) and one session's first page: seconds from the process's start to the page
    served, and to the server answering its health check."""
    t0 = time.monotonic()
    with serve(data_root, workspace, repo, log) as server:
        up = time.monotonic() - t0

        async def one() -> Seen:
            async with _client("ws", server, 0, timeout_s) as client:
                tab = await client.open(plan)
                try:
                    return await tab.visit(plan.pages[0])
                finally:
                    await tab.close()

        seen = asyncio.run(one())
        total = time.monotonic() - t0
    return {"page": plan.pages[0], "plan": plan.name, "server_up_s": round(up, 2),
            "first_page_s": round(total, 2), "page_s": round(seen.seconds, 2),
            "error": seen.error}


def page_table(phases: list[Phase]) -> str:
    """p50 / p95 seconds per page and phase, with errors and leaks."""
    rows = ["| phase | page | visits | errors | leaks | p50 s | p95 s |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for ph in phases:
        for page, s in ph.pages().items():
            rows.append(f"| {ph.name} | {page} | {s['visits']} | {s['errors']} | "
                        f"{s['leaks']} | {s['p50_s']} | {s['p95_s']} |")
    return "\n".join(rows)


def table(phases: list[Phase]) -> str:
    head = ("| phase | sessions | visits | errors | leaks | p50 s | p95 s | max s "
            "| p50 round 1 s | p50 later rounds s | wall s | server CPU s | machine CPU s "
            "| server peak RSS MiB |")
    rows = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for ph in phases:
        s = ph.stats()
        rows.append("| {phase} | {sessions} | {visits} | {errors} | {leaks} | {p50_s} | "
                    "{p95_s} | {max_s} | {p50_first_round_s} | {p50_later_rounds_s} "
                    "| {wall_s} | {server_cpu_s} | {machine_cpu_s} "
                    "| {peak_rss_mib} |".format(**s))
    return "\n".join(rows)


def to_json(phases: list[Phase]) -> dict[str, object]:
    return {"phases": [{**ph.stats(), "samples": [asdict(v) for v in ph.visits]}
                       for ph in phases]}
