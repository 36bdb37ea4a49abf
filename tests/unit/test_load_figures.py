"""The load test's figures: per-page percentiles, errors and leaks, the server's memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from cmdash.bench import rss
from cmdash.bench.load import Phase, Visit, page_table


def test_per_page_figures_leave_failed_visits_out_of_the_times():
    visits = [Visit(0, "p", 0, "overview", s) for s in (1.0, 2.0, 3.0, 4.0, 5.0)]
    visits += [Visit(1, "p", 0, "overview", 99.0, error="timeout"),
               Visit(1, "p", 0, "coaching", 0.5, foreign_ids=("KM0001",))]
    ph = Phase("2 at once", 2, visits)
    pages = ph.stats()["pages"]
    assert pages["overview"] == {"visits": 6, "errors": 1, "leaks": 0, "p50_s": 3.0,
                                 "p95_s": 4.8}  # inclusive quantiles of 1..5
    assert pages["coaching"]["leaks"] == 1 and pages["coaching"]["p50_s"] == 0.5
    assert "| 2 at once | overview | 6 | 1 | 0 | 3.0 | 4.8 |" in page_table([ph])


def test_resident_memory_of_a_process_tree_counts_its_children():
    child = subprocess.Popen([sys.executable, "-c",
                              "b = bytearray(200 * 2**20); import time; time.sleep(30)"])
    try:
        alone = rss._status_kib(os.getpid(), "VmRSS") / 1024
        deadline = time.monotonic() + 20
        while rss.tree_rss_mib(os.getpid()) < alone + 150:  # the child's 200 MiB arrive
            assert time.monotonic() < deadline, "child's memory not seen"
            time.sleep(0.1)
        assert child.pid in rss.descendants(os.getpid())
        with rss.Sampler(os.getpid(), every_s=0.05) as s:
            time.sleep(0.2)
        assert s.peak() >= alone + 150
    finally:
        child.kill()
        child.wait()
