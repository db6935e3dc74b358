#!/usr/bin/env bash
# `make run`: the web server, the background worker, and a local mail catcher that prints
# every email SRMT sends (nothing leaves the machine).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DEBUG=${DEBUG:-true}
export EMAIL_HOST=${EMAIL_HOST:-127.0.0.1} EMAIL_PORT=${EMAIL_PORT:-1025}

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

$BIN/python -m aiosmtpd -n -l "$EMAIL_HOST:$EMAIL_PORT" -c aiosmtpd.handlers.Debugging stdout &
pids+=($!)
$BIN/srmt worker &
pids+=($!)
echo "SRMT is at http://127.0.0.1:8000/ (API docs: http://127.0.0.1:8000/api/docs/). Ctrl-C stops it."
$BIN/srmt runserver 127.0.0.1:8000
