"""Alerts as data: every rule kind has a firing and a silent case (expected values from the
`kpis` and `segments` commands and the raw tables), nothing repeats on a rerun or when two
runs race, a coach's alerts hold their district, bad rules are refused by file and key,
and the senders deliver to a local SMTP server and a local HTTP server."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
from contextlib import redirect_stderr, redirect_stdout
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pandas as pd
import pytest

from cmdash.alerts.send import send
from cmdash.cli import main
from tests.demo_data import DEMO_END

AS_OF = str(DEMO_END)
BEFORE = str((pd.Timestamp(DEMO_END) - pd.DateOffset(months=1)).date())
COACH = "coach@example.com"
QUICK_RULES = """
[[rule]]
id = "coverage-low"
kind = "kpi"
kpi = "coverage"
op = "<"
threshold = 85
months = 2
recipients = ["coach@example.com"]

[[rule]]
id = "coverage-never"
kind = "kpi"
kpi = "coverage"
op = "<"
threshold = 0
months = 2
recipients = ["coach@example.com"]

[[rule]]
id = "top-silent"
kind = "silent"
min_tier = 26
days = 21
recipients = ["coach@example.com", "head@example.com"]

[[rule]]
id = "top-silent-decade"
kind = "silent"
min_tier = 26
days = 3650
recipients = ["coach@example.com"]
"""


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def fired(*argv: str) -> pd.DataFrame:
    code, out, err = cli("alerts", *argv, "--format", "json")
    assert code == 0, err
    return pd.DataFrame(json.loads(out), columns=["rule", "subject", "district", "key"])


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "ws"))
    return tmp_path / "ws"


def _segments(root: Path, as_of: str) -> pd.DataFrame:
    code, out, err = cli("segments", str(root), "--as-of", as_of)
    assert code == 0, err
    return pd.read_csv(io.StringIO(out), dtype={"manager_id": str})


def test_kpi_and_silent_rules_fire_exactly_when_they_should(demo_root: Path, workspace,
                                                            tmp_path: Path) -> None:
    rules = tmp_path / "alerts.toml"
    rules.write_text(QUICK_RULES, encoding="utf-8")
    got = fired(str(demo_root), "--as-of", AS_OF, "--rules", str(rules), "--all")
    code, out, err = cli("kpis", str(demo_root), "--kpi", "coverage", "--to", AS_OF)
    assert code == 0, err
    kpis = pd.read_csv(io.StringIO(out), dtype={"manager_id": str})
    last_two = sorted(kpis.loc[~kpis["partial"], "period"].unique())[-2:]
    low = kpis[kpis["period"].isin(last_two) & (kpis["coverage"] < 85)]
    expected = set(low.groupby("manager_id").filter(lambda g: len(g) == 2)["manager_id"])
    assert expected, "the demo has managers below 85 % two months running"
    assert set(got.loc[got["rule"] == "coverage-low", "subject"]) == expected
    assert (got["rule"] == "coverage-never").sum() == 0

    customers = pd.read_parquet(demo_root / "customers.parquet")
    sales = pd.read_parquet(demo_root / "sales", columns=["customer_id", "order_date"])
    sales["order_date"] = pd.to_datetime(sales["order_date"])
    last = sales[sales["order_date"] <= pd.Timestamp(AS_OF)].groupby("customer_id")[
        "order_date"].max()
    c = customers.assign(last=customers["customer_id"].map(last)).dropna(subset=["last"])
    closed = pd.to_datetime(c["closed_date"])
    c = c[closed.isna() | (closed > pd.Timestamp(AS_OF))]
    silent = c[(pd.to_numeric(c["tier"]) >= 26)
               & ((pd.Timestamp(AS_OF) - pd.to_datetime(c["last"])).dt.days >= 21)]
    assert len(silent), "the demo has a silent top-tier retailer"
    assert set(got.loc[got["rule"] == "top-silent", "subject"]) == set(
        silent["customer_id"].astype(str))
    assert (got["rule"] == "top-silent-decade").sum() == 0


def test_a_coaching_rule_fires_for_newly_flagged_managers_only(demo_root: Path, workspace,
                                                               tmp_path: Path) -> None:
    now, before = _segments(demo_root, AS_OF), _segments(demo_root, BEFORE)
    flagged = {t: set(g["manager_id"]) for t, g in now.groupby("type") if t != "none"}
    earlier = {t: set(g["manager_id"]) for t, g in before.groupby("type")}
    new = {t: m - earlier.get(t, set()) for t, m in flagged.items()}
    firing = next((t for t, m in sorted(new.items()) if m), None)
    quiet = next((t for t, m in sorted(new.items()) if not m), None)
    assert firing and quiet, f"the demo needs a newly flagged type and a steady one: {new}"
    rules = tmp_path / "alerts.toml"
    rules.write_text("".join(
        f'[[rule]]\nid = "{t}"\nkind = "coaching"\ntype = "{t}"\nrecipients = ["x@y"]\n\n'
        for t in (firing, quiet)), encoding="utf-8")
    got = fired(str(demo_root), "--as-of", AS_OF, "--rules", str(rules), "--all")
    assert set(got.loc[got["rule"] == firing, "subject"]) == new[firing]
    assert (got["rule"] == quiet).sum() == 0, f"{quiet} is flagged but not new"


def test_nothing_repeats_on_a_rerun_or_when_two_runs_race(demo_root: Path, workspace,
                                                          tmp_path: Path) -> None:
    rules = tmp_path / "alerts.toml"
    rules.write_text(QUICK_RULES, encoding="utf-8")
    argv = [sys.executable, "-m", "cmdash", "alerts", str(demo_root), "--as-of", AS_OF,
            "--rules", str(rules), "--format", "json"]
    env = os.environ | {"CMDASH_WORKSPACE": str(workspace)}
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             cwd=Path(__file__).parents[2]) for _ in range(2)]
    keys = []
    for p in runs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
        keys.append([r["key"] for r in json.loads(out)])
    assert keys[0] or keys[1], "something fired"
    assert not set(keys[0]) & set(keys[1]), "both runs sent the same alert"
    assert len(set(keys[0]) | set(keys[1])) == len(keys[0]) + len(keys[1])
    again = fired(str(demo_root), "--as-of", AS_OF, "--rules", str(rules))
    assert again.empty
    every = fired(str(demo_root), "--as-of", AS_OF, "--rules", str(rules), "--all")
    assert set(every["key"]) == set(keys[0]) | set(keys[1])


def test_a_coaches_alerts_hold_their_district(demo_root: Path, workspace,
                                              tmp_path: Path) -> None:
    managers = pd.read_parquet(demo_root / "managers.parquet").astype({"manager_id": str})
    district = sorted(managers["district"].unique())[0]
    access = tmp_path / "access.toml"
    access.write_text(f'[users."{COACH}"]\nrole = "coach"\ndistricts = ["{district}"]\n',
                      encoding="utf-8")
    rules = tmp_path / "alerts.toml"
    rules.write_text(QUICK_RULES, encoding="utf-8")
    got = fired(str(demo_root), "--as-of", AS_OF, "--rules", str(rules), "--all", "--as",
                COACH, "--access", str(access))
    inside = set(managers.loc[managers["district"] == district, "manager_id"])
    assert len(got)
    assert set(got.loc[got["rule"] == "coverage-low", "subject"]) <= inside
    assert set(got["district"]) == {district}


def test_a_kpi_run_is_keyed_by_the_month_it_began() -> None:
    """Hand-made history: below 85 in Jan–Feb, above in Mar, below again from Apr."""
    from cmdash.alerts.check import _run_start
    from cmdash.alerts.rules import Rule

    history = pd.DataFrame({"period": pd.date_range("2026-01-01", periods=6, freq="MS"),
                            "coverage": [80.0, 70.0, 90.0, 84.9, 60.0, 84.0]})
    rule = Rule("r", "kpi", ("x",), params={"kpi": "coverage", "op": "<", "threshold": 85})
    assert _run_start(history, "coverage", rule) == pd.Timestamp("2026-04-01")
    assert _run_start(history.head(2), "coverage", rule) == pd.Timestamp("2026-01-01")


@pytest.mark.parametrize("text,key", [
    ('[[rule]]\nid = "a"\nkind = "kpi"\nkpi = "coverage"\nop = "<"\nthreshold = 85\n'
     'recipients = ["x"]\ncolour = "red"\n', "colour"),
    ('[[rule]]\nid = "a"\nkind = "kpi"\nkpi = "nope"\nop = "<"\nthreshold = 85\n'
     'recipients = ["x"]\n', "kpi"),
    ('[[rule]]\nid = "a"\nkind = "silent"\ndays = "21"\nmin_tier = 26\nrecipients = ["x"]\n',
     "days"),
    ('[[rule]]\nid = "a"\nkind = "coaching"\ntype = "lazy"\nrecipients = ["x"]\n', "type"),
    ('[[rule]]\nid = "a"\nkind = "coaching"\ntype = "complacent"\nrecipients = ["x"]\n'
     '[sender]\nkind = "smtp"\nhost = "h"\nfrom = "f"\nuser_env = "U"\n', "password_env"),
])
def test_bad_rules_are_refused_naming_file_and_key(demo_root: Path, tmp_path: Path, text,
                                                   key) -> None:
    rules = tmp_path / "alerts.toml"
    rules.write_text(text, encoding="utf-8")
    code, _, err = cli("alerts", str(demo_root), "--rules", str(rules))
    assert code == 1
    assert str(rules) in err and key in err and "Traceback" not in err


FIRED = pd.DataFrame([{"rule": "coverage-low", "kind": "kpi", "subject": "KM0001",
                       "name": "王伟", "district": "东川", "since": "2026-09",
                       "evidence": "coverage 2026-09 80.0, 2026-10 81.0 < 85",
                       "recipients": "a@example.com;b@example.com", "key": "k1"}])


def test_smtp_sender_mails_each_recipient(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.mails: list = []

        async def handle_DATA(self, server, session, envelope):
            self.mails.append((envelope.rcpt_tos, envelope.content.decode("utf-8")))
            return "250 OK"

    with socket.socket() as probe:  # a free port (aiosmtpd's ready check needs a real one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        n = send({"kind": "smtp", "host": "127.0.0.1", "port": port,
                  "from": "cmdash@example.com"}, FIRED)
    finally:
        controller.stop()
    assert n == 2
    assert sorted(r[0][0] for r in inbox.mails) == ["a@example.com", "b@example.com"]
    assert all("coverage-low" in body for _, body in inbox.mails)


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch):
    """A local HTTP server standing in for a 企业微信/DingTalk robot: the posts it got."""
    got: list = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode":0}')

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("CMDASH_TEST_HOOK", f"http://127.0.0.1:{server.server_port}/k")
    yield got
    server.shutdown()


def test_webhook_sender_posts_a_text_message(hook, monkeypatch: pytest.MonkeyPatch) -> None:
    assert send({"kind": "webhook", "url_env": "CMDASH_TEST_HOOK", "style": "wecom"},
                FIRED) == 1
    assert hook[0]["msgtype"] == "text" and "王伟" in hook[0]["text"]["content"]
    monkeypatch.delenv("CMDASH_TEST_HOOK")
    from cmdash.errors import InputError

    with pytest.raises(InputError, match="CMDASH_TEST_HOOK"):
        send({"kind": "webhook", "url_env": "CMDASH_TEST_HOOK"}, FIRED)


def test_the_command_sends_new_alerts_once(demo_root: Path, workspace, hook,
                                           tmp_path: Path) -> None:
    rules = tmp_path / "alerts.toml"
    rules.write_text(QUICK_RULES + '\n[sender]\nkind = "webhook"\nurl_env = '
                     '"CMDASH_TEST_HOOK"\nstyle = "dingtalk"\n', encoding="utf-8")
    first = fired(str(demo_root), "--as-of", AS_OF, "--rules", str(rules))
    assert len(first) and len(hook) == 1
    assert hook[0]["text"]["content"].count("\n") == len(first) - 1
    assert fired(str(demo_root), "--as-of", AS_OF, "--rules", str(rules)).empty
    assert len(hook) == 1, "nothing new: nothing sent"
