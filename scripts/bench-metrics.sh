#!/bin/bash
# make bench (metrics): what manager.metrics_connection_spec costs. Two managers in front of the
# same two libmilter children, one with metrics and one without, loaded in turn (interleaved
# runs) by milter-test-server; manager CPU per message of each, and a scrape taken during the
# load checked by `promtool check metrics`.
# Usage: scripts/bench-metrics.sh [RELEASE_BIN_DIR] [SESSIONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${2:-3000}
runs=${3:-3}
source scripts/bench-common.sh
bench_init metrics "${1:-}"

start_child A "unix:$work/a.sock"
start_child B "unix:$work/b.sock"
wait_for "[ -S $work/a.sock ] && [ -S $work/b.sock ]"
port=$((10000 + RANDOM % 10000))   # below the kernel's ephemeral range (32768-60999)

start() {  # NAME EXTRA-LINE → pid in $manager_pid, listening on $work/NAME.sock
  start_manager "$1" "unix:$work/$1.sock" "unix:$work/a.sock" "unix:$work/b.sock" "$2"
  wait_for "[ -S $work/$1.sock ]" || manager_failed "$1"
}
start plain ""; plain_pid=$manager_pid
start metrics "manager.metrics_connection_spec = \"inet:$port@[127.0.0.1]\""; metrics_pid=$manager_pid

load() {  # NAME PID → CPU ms per message
  local m0 m1
  m0=$(cpu_ms "$2")
  "$bin/milter-test-server" -s "unix:$work/$1.sock" --n-sessions "$sessions" --concurrency 10 \
    --header "Subject:bench" >/dev/null
  m1=$(cpu_ms "$2")
  awk -v a="$m0" -v b="$m1" -v n="$sessions" 'BEGIN { printf "%.3f", (b - a) / n }'
}

plain=() with=()
for run in $(seq "$runs"); do
  plain+=("$(load plain "$plain_pid")")
  if [ "$run" = 1 ]; then
    # A scrape in the middle of a load, checked by promtool.
    load metrics "$metrics_pid" >"$work/with-cpu" &
    loader=$!
    sleep 0.5
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
    sed '1,/^\r$/d' <&3 >"$work/scrape.txt"
    exec 3<&-
    wait "$loader"
    with+=("$(cat "$work/with-cpu")")
  else
    with+=("$(load metrics "$metrics_pid")")
  fi
done
p=$(printf '%s\n' "${plain[@]}" | median); w=$(printf '%s\n' "${with[@]}" | median)
echo "metrics: manager CPU ms/msg without $p, with $w (median of $runs interleaved runs of $sessions sessions)"
if command -v promtool >/dev/null; then
  if promtool check metrics <"$work/scrape.txt"; then
    echo "metrics: a scrape under load ($(grep -vc '^#' "$work/scrape.txt") samples) passes promtool check metrics"
  else
    echo "metrics: promtool check metrics FAILED on the scrape under load"
    exit 1
  fi
else
  echo "metrics: promtool not installed (Debian package prometheus); scrape not checked"
fi
