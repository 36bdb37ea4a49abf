#!/usr/bin/env bash
# Install the test dependencies (Python packages, Chromium, Java) and run every test
# (docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# the bulletin's PDF: WeasyPrint lays text out with Pango, and Chinese needs a CJK font
ldconfig -p 2>/dev/null | grep libpangoft2-1.0 >/dev/null || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list :lang=zh 2>/dev/null | grep . >/dev/null || need_apt+=(fonts-wqy-microhei)
if ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])'; then
  need_apt+=(openjdk-17-jre-headless)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing system packages: ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements-dev.txt
# byte-compiled once: a server (re)start imports cmdash instead of compiling it, even where
# PYTHONDONTWRITEBYTECODE is set
.venv/bin/python -m compileall -q cmdash app.py pages
.venv/bin/ruff check .
# two workers: the suite is mostly single-threaded; --dist loadfile keeps a module's tests on
# one worker, in order (module fixtures, tests that hand state on); -n 0 runs in one process
# --durations: the slowest tests are printed, so a run nearing CI's budget shows what to split
exec .venv/bin/python -m pytest -n 2 --dist loadfile --durations=15 "$@"
