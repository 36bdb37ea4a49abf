"""Many users at once: concurrent headless-browser sessions against a real `streamlit run`.

One Chromium, one browser context per session (each context is its own Streamlit session:
own websocket, own session state), driven with Playwright's asyncio API. Every visit is a
page URL with the session's role and filters in the query string; the render time is from
navigation to the moment the page went idle (nothing running, no skeleton, a title drawn),
confirmed by a quiet spell that is not counted. Any `stException` on a page is an error.
Only loopback traffic: the server listens on 127.0.0.1 and Chromium's background
networking is off.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
# page stem -> URL path (the overview is the default page, at the root)
PAGE_PATHS = {"overview": "", "managers": "managers", "profile": "profile",
              "coaching": "coaching", "retention": "retention", "whatif": "whatif",
              "data": "data"}
_BUSY = ("() => !!document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"],"
         " [data-testid=\"stSkeleton\"], [data-testid=\"stAppSkeleton\"]')"
         " || !document.querySelector('[data-testid=\"stHeading\"]')")
_IDS = re.compile(r"KM\d{4}")


@dataclass(frozen=True)
class Plan:
    """What one session browses: a role (its URL parameters) and the pages, in order."""

    name: str  # e.g. "coach:东川城东片区"
    params: dict[str, str]  # URL query parameters: lang, as_role, as_district, filters…
    pages: tuple[str, ...]  # page stems
    allowed: frozenset[str] | None = None  # manager ids it may see (None: everyone)


@dataclass(frozen=True)
class Visit:
    session: int
    plan: str
    round: int
    page: str
    seconds: float  # navigation → idle
    error: str = ""  # the first stException's text, or a timeout
    foreign_ids: tuple[str, ...] = ()  # manager ids shown that the plan may not see
    first_metric: str = ""  # the first metric card's value, if any


@dataclass
class Phase:
    name: str
    sessions: int
    visits: list[Visit] = field(default_factory=list)
    wall_seconds: float = 0.0
    server_cpu_s: float | None = None  # CPU seconds the streamlit server used
    machine_cpu_s: float | None = None  # CPU seconds every process used (browsers included)

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
                "server_cpu_s": self.server_cpu_s, "machine_cpu_s": self.machine_cpu_s}


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
          timeout_s: float = 90) -> Iterator[Server]:
    """`streamlit run app.py` on a free loopback port, the given data root only."""
    port = free_port()
    env = os.environ | {"CMDASH_DATA_ROOTS": str(data_root), "CMDASH_WORKSPACE": str(workspace)}
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false"],
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


async def _settle(page, quiet_ms: int, timeout_s: float) -> float:
    """Wait until the page is idle and stays so for `quiet_ms`; returns when idling began."""
    deadline = time.monotonic() + timeout_s
    idle_since = None
    while time.monotonic() < deadline:
        busy = await page.evaluate(_BUSY)
        now = time.monotonic()
        if busy:
            idle_since = None
        elif idle_since is None:
            idle_since = now
        elif (now - idle_since) * 1000 >= quiet_ms:
            return idle_since
        await asyncio.sleep(0.2)
    raise TimeoutError(f"still running after {timeout_s:.0f} s")


async def _visit(page, url: str, plan: Plan, session: int, rnd: int, name: str,
                 quiet_ms: int, timeout_s: float) -> Visit:
    query = urlencode(plan.params)
    start = time.monotonic()
    try:
        await page.goto(f"{url}/{PAGE_PATHS[name]}?{query}", wait_until="commit",
                        timeout=timeout_s * 1000)
        idle = await _settle(page, quiet_ms, timeout_s)
    except Exception as exc:  # a timeout is a failed visit, not a crash of the run
        return Visit(session, plan.name, rnd, name, time.monotonic() - start,
                     error=f"{type(exc).__name__}: {exc}"[:300])
    seconds = idle - start
    errors = page.locator('[data-testid="stException"]')
    error = (await errors.first.inner_text())[:300] if await errors.count() else ""
    text = await page.locator("body").inner_text()
    foreign = () if plan.allowed is None else tuple(sorted(set(_IDS.findall(text))
                                                           - plan.allowed))
    metric = page.locator('[data-testid="stMetricValue"]')
    first = (await metric.first.inner_text()) if await metric.count() else ""
    return Visit(session, plan.name, rnd, name, round(seconds, 3), error, foreign, first)


async def _session(browser, url: str, plan: Plan, session: int, rounds: int,
                   deadline: float, quiet_ms: int, timeout_s: float, start_after: float = 0,
                   think_s: float = 0) -> list[Visit]:
    await asyncio.sleep(start_after)  # arrivals spread over the ramp
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    visits: list[Visit] = []
    try:
        for rnd in range(rounds):
            # each session starts its round at a different page, so pages overlap in time
            order = plan.pages[session % len(plan.pages):] + plan.pages[:session
                                                                        % len(plan.pages)]
            for name in order:
                if time.monotonic() > deadline:
                    return visits
                visits.append(await _visit(page, url, plan, session, rnd, name, quiet_ms,
                                           timeout_s))
                await asyncio.sleep(think_s)  # a reader looks at the page
    finally:
        await context.close()
    return visits


async def _phase(browser, server: Server, name: str, plans: list[Plan], rounds: int,
                 max_seconds: float, quiet_ms: int, timeout_s: float,
                 sequential: bool = False, ramp_s: float = 0, think_s: float = 0) -> Phase:
    phase = Phase(name, 1 if sequential else len(plans))
    cpu0 = process_cpu(server.pid), machine_cpu()
    start = time.monotonic()
    deadline = start + max_seconds
    url = server.url
    if sequential:  # one session at a time, one plan after the other
        results = [await _session(browser, url, plan, i, rounds, deadline, quiet_ms,
                                  timeout_s, 0, think_s) for i, plan in enumerate(plans)]
    else:
        results = await asyncio.gather(*(
            _session(browser, url, plan, i, rounds, deadline, quiet_ms, timeout_s,
                     ramp_s * i / len(plans), think_s)
            for i, plan in enumerate(plans)))
    phase.wall_seconds = time.monotonic() - start
    cpu1 = process_cpu(server.pid), machine_cpu()
    if None not in cpu0 + cpu1:
        phase.server_cpu_s = round(cpu1[0] - cpu0[0], 1)
        phase.machine_cpu_s = round(cpu1[1] - cpu0[1], 1)
    phase.visits = [v for vs in results for v in vs]
    return phase


async def _run(server: Server, solo: list[Plan], crowd: list[Plan], rounds: int, max_seconds: float,
               quiet_ms: int, timeout_s: float, ramp_s: float, think_s: float
               ) -> list[Phase]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=list(CHROMIUM_ARGS))
        try:
            phases = []
            if solo:
                phases.append(await _phase(browser, server, "alone", solo, rounds, max_seconds,
                                           quiet_ms, timeout_s, sequential=True,
                                           think_s=think_s))
            phases.append(await _phase(browser, server, f"{len(crowd)} at once", crowd, rounds,
                                       max_seconds, quiet_ms, timeout_s, ramp_s=ramp_s,
                                       think_s=think_s))
            return phases
        finally:
            await browser.close()


def run(server: Server, crowd: list[Plan], solo: list[Plan] | None = None, rounds: int = 3,
        max_seconds: float = 300, quiet_ms: int = 1500, timeout_s: float = 180,
        ramp_s: float = 0, think_s: float = 0) -> list[Phase]:
    """The solo phase (its plans one after the other, one session at a time), then every
    plan of the crowd at once; each phase for `rounds` rounds or until `max_seconds` have
    passed (a visit under way is finished). Crowd sessions arrive spread over `ramp_s`;
    every session pauses `think_s` after each page, as a reader would."""
    return asyncio.run(_run(server, solo or [], crowd, rounds, max_seconds, quiet_ms, timeout_s,
                            ramp_s, think_s))


def table(phases: list[Phase]) -> str:
    head = ("| phase | sessions | visits | errors | leaks | p50 s | p95 s | max s "
            "| p50 round 1 s | p50 later rounds s | wall s | server CPU s | machine CPU s |")
    rows = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for ph in phases:
        s = ph.stats()
        rows.append("| {phase} | {sessions} | {visits} | {errors} | {leaks} | {p50_s} | "
                    "{p95_s} | {max_s} | {p50_first_round_s} | {p50_later_rounds_s} "
                    "| {wall_s} | {server_cpu_s} | {machine_cpu_s} |".format(**s))
    return "\n".join(rows)


def to_json(phases: list[Phase]) -> dict[str, object]:
    return {"phases": [{**ph.stats(), "samples": [asdict(v) for v in ph.visits]}
                       for ph in phases]}
