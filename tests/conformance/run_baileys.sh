#!/usr/bin/env bash
# Starts atende-wasim on free ports, waits for its ready line, runs the Baileys conformance script against
# it and stops the simulator again, whatever happens. Usage: run_baileys.sh <atende-wasim> <node> <script>
set -euo pipefail
WASIM=$1
NODE=$2
SCRIPT=$3
WORK=$(mktemp -d)
WASIM_PID=
cleanup() {
  if [ -n "$WASIM_PID" ]; then
    kill "$WASIM_PID" 2>/dev/null || true
    wait "$WASIM_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

QT_LOGGING_RULES="atende.wasim.debug=false" "$WASIM" --port 0 --admin-port 0 >"$WORK/out" 2>"$WORK/err" &
WASIM_PID=$!
for _ in $(seq 1 200); do
  grep -q '^wasim ready ' "$WORK/out" 2>/dev/null && break
  if ! kill -0 "$WASIM_PID" 2>/dev/null; then
    echo "atende-wasim exited before it was ready:" >&2
    cat "$WORK/err" >&2
    exit 1
  fi
  sleep 0.1
done
READY=$(grep -m1 '^wasim ready ' "$WORK/out" || true)
if [ -z "$READY" ]; then
  echo "atende-wasim printed no ready line within 20 s" >&2
  exit 1
fi
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$READY"; }
WS=$(field ws)
ADMIN=$(field admin)
ROOT=$(field trust_root)
echo "$READY"

status=0
"$NODE" "$SCRIPT" "$WS" "$ADMIN" "$ROOT" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- atende-wasim log (reasons only) ---" >&2
  tail -n 40 "$WORK/err" >&2
fi
exit "$status"
