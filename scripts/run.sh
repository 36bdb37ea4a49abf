#!/usr/bin/env bash
# Install cmdash into .venv and run the dashboard on the demo data (generated on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.txt
# byte-compiled once: a server (re)start imports cmdash instead of compiling it, even where
# PYTHONDONTWRITEBYTECODE is set
.venv/bin/python -m compileall -q cmdash app.py pages
# This machine only, unless told otherwise (--server.address 0.0.0.0 behind HTTPS with [auth]:
# docs/deployment.md): the demo mode must never face a network.
case " $* " in
  *" --server.address"*) ;;
  *) set -- --server.address 127.0.0.1 "$@" ;;
esac
exec .venv/bin/python -m streamlit run app.py "$@"
