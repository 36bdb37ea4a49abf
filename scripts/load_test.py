"""Load test: 20 concurrent sessions browsing the app on the medium demo.

    .venv/bin/python scripts/load_test.py            # --sessions 20 --rounds 3 --max-seconds 300
    .venv/bin/python scripts/load_test.py --sessions 20 50 --restart   # the issue-13 run
    .venv/bin/python scripts/load_test.py --client browser      # headless Chromium instead

Generates the medium demo into data/_bench/medium once (the benchmark's folder; reused
later), starts `streamlit run app.py` on a free loopback port with only that dataset, then
measures page render time for one session alone — five sessions of the five roles, one
after the other — and for all sessions at once, every session with its own role and scope
in the URL. The sessions are Streamlit websocket clients by default (`--client ws`: the
frontend's protocol without a browser; render time = request → the server's
script_finished) or headless Chromium contexts (`--client browser`: navigation → idle
page). Fails (exit 1) on any page exception, lost connection, timeout or a manager id
outside a session's scope. Writes JSON (every visit) and prints a table, with p50/p95
per page and the server's peak resident memory. `--sessions 20 50` runs a crowd of 20, then
one of 50, on the same server. `--restart` then stops the server and starts it again on the
same workspace (whatever it keeps on disk stays), and times its first page.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmdash.access import ROLES  # noqa: E402
from cmdash.bench import load  # noqa: E402
from cmdash.bench.machine import machine  # noqa: E402

END = "2026-10-31"
KINDS = ("analyst", "executive", "region_head", "coach", "manager")


def ensure_demo(folder: Path, size: str) -> Path:
    if not (folder / "managers.parquet").is_file():
        subprocess.run([sys.executable, "-m", "cmdash", "demo", "--out", str(folder),
                        "--size", size, "--end", END, "--quiet"], cwd=ROOT, check=True)
    return folder


def plans(dataset: Path, count: int, offset: int = 0, lang: str = "English"
          ) -> list[load.Plan]:
    """`count` sessions cycling through the five roles; the i-th of a role takes the
    (i + offset)-th region, district or manager (and analysts/executives a filter)."""
    import pandas as pd

    m = pd.read_parquet(dataset / "managers.parquet").astype({"manager_id": str})
    regions, districts = sorted(m["region"].unique()), sorted(m["district"].unique())
    ids = sorted(m.loc[m["status"] == "active", "manager_id"]) if "status" in m else \
        sorted(m["manager_id"])
    names = dict(zip(m["manager_id"], m["name"], strict=True))
    out = []
    for i in range(count):
        kind, n = KINDS[i % len(KINDS)], i // len(KINDS) + offset
        role = ROLES[kind]
        params = {"lang": lang, "as_role": role.label("en" if lang == "English" else "zh")}
        allowed = None
        if kind == "region_head":
            region = regions[n % len(regions)]
            params["as_region"] = region
            allowed = frozenset(m.loc[m["region"] == region, "manager_id"])
            label = f"{kind}:{region}"
        elif kind == "coach":
            district = districts[(3 * n) % len(districts)]
            params["as_district"] = district
            allowed = frozenset(m.loc[m["district"] == district, "manager_id"])
            label = f"{kind}:{district}"
        elif kind == "manager":
            who = ids[(7 * n) % len(ids)]
            params["as_manager"] = f"{names[who]} · {who}"
            allowed = frozenset([who])
            label = f"{kind}:{who}"
        elif kind == "executive" and n:
            params["district"] = districts[(5 * n) % len(districts)]
            label = f"{kind}:{params['district']}"
        elif kind == "analyst" and n:
            params["region"] = regions[n % len(regions)]
            label = f"{kind}:{params['region']}"
        else:
            label = kind
        out.append(load.Plan(label, params, role.pages, allowed))
    return out


def _commit() -> str:
    """The commit under test (and whether the work tree differed from it)."""
    def git(*cmd: str) -> str:
        return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True
                              ).stdout.strip()
    head = git("rev-parse", "--short", "HEAD")
    return f"{head}+dirty" if git("status", "--porcelain", "--untracked-files=no") else head


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=ROOT / "data" / "_bench" / "medium")
    p.add_argument("--size", default="medium", choices=("small", "medium", "large"))
    p.add_argument("--sessions", type=int, nargs="+", default=[20],
                   help="crowd sizes, one phase each, in order (e.g. 20 50)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--max-seconds", type=float, default=300,
                   help="per phase: no new visit starts after this")
    p.add_argument("--ramp-seconds", type=float, default=0,
                   help="spread the sessions' arrivals over this long (0: all at once)")
    p.add_argument("--think-seconds", type=float, default=0,
                   help="pause after each page, as a reader would")
    p.add_argument("--timeout", type=float, default=180, help="per page: longer is an error")
    p.add_argument("--client", choices=load.CLIENTS, default="ws",
                   help="ws: Streamlit websocket clients (no browser); browser: headless "
                   "Chromium, one context per session")
    p.add_argument("--browser-nice", type=int, default=10,
                   help="--client browser: run Chromium at this lower CPU priority (the "
                   "server keeps its own): on one small machine the browsers stand in for "
                   "users' own computers")
    p.add_argument("--server-option", action="append", default=[], metavar="SECTION.NAME=VALUE",
                   help="a Streamlit option for the server under test, e.g. "
                   "server.fileWatcherType=none (repeatable; default: Streamlit's defaults)")
    p.add_argument("--no-solo", action="store_true", help="skip the one-session phase")
    p.add_argument("--restart", action="store_true",
                   help="afterwards, restart the server and time its first page")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "load.json")
    args = p.parse_args(argv)

    dataset = ensure_demo(args.data.resolve(), args.size)
    with tempfile.TemporaryDirectory(prefix="cmdash-load-") as tmp:
        root = Path(tmp) / "roots"
        root.mkdir()
        (root / dataset.name).symlink_to(dataset, target_is_directory=True)
        crowd, *more = [plans(dataset, n) for n in args.sessions]
        solo = [] if args.no_solo else plans(dataset, len(KINDS), offset=100)
        with load.serve(root, Path(tmp) / "workspace", ROOT, Path(tmp) / "server.log",
                        options=args.server_option) as server:
            if args.client == "browser":
                os.nice(args.browser_nice)  # inherited by Chromium, started after the server
            phases = load.run(server, crowd, solo, args.rounds, args.max_seconds,
                              timeout_s=args.timeout, ramp_s=args.ramp_seconds,
                              think_s=args.think_seconds, client=args.client, more=more)
        log_tail = (Path(tmp) / "server.log").read_text(errors="replace")[-3000:]
        restart = load.first_page(root, Path(tmp) / "workspace", ROOT, crowd[0],
                                  Path(tmp) / "restart.log", args.timeout) \
            if args.restart else None

    report = {"machine": machine(), "dataset": str(dataset), "sessions": args.sessions,
              "rounds": args.rounds, "max_seconds": args.max_seconds,
              "ramp_seconds": args.ramp_seconds, "think_seconds": args.think_seconds,
              "timeout": args.timeout, "client": args.client,
              "server_options": args.server_option, "commit": _commit(),
              "browser_nice": args.browser_nice if args.client == "browser" else None,
              "restart": restart, **load.to_json(phases)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(load.table(phases))
    print()
    print(load.page_table(phases))
    if restart:
        print(f"\nrestart: first page ({restart['page']}) served {restart['first_page_s']} s "
              f"after the process started (server up {restart['server_up_s']} s)"
              + (f"; ERROR {restart['error']}" if restart["error"] else ""))
    print(f"\nJSON: {args.out}")
    bad = [v for ph in phases for v in ph.visits if v.error or v.foreign_ids]
    if restart and restart["error"]:
        bad.append(load.Visit(0, restart["plan"], 0, restart["page"],
                              restart["first_page_s"], restart["error"]))
    for v in bad[:10]:
        print(f"FAILED {v.plan} {v.page} round {v.round}: {v.error or v.foreign_ids}",
              file=sys.stderr)
    if bad:
        print(log_tail, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
