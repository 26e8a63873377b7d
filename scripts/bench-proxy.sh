#!/bin/bash
# make bench (proxy): throughput, latency and CPU per message through milter-manager with two
# libmilter children, against the same driver (milter-test-server load mode) talking to one
# child directly; over unix and inet sockets; then 1,000 concurrent MTA sessions with the RSS.
# Usage: scripts/bench-proxy.sh [RELEASE_BIN_DIR] [SESSIONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
sessions=${2:-3000}
runs=${3:-3}
if [ -z "$bin" ] || [ ! -x "$bin/milter-manager" ]; then
  swift build -c release >&2
  bin=$(swift build -c release --show-bin-path)
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d /tmp/mm-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cc -O2 -o "$work/testmilter" Tests/Fixtures/milters/testmilter.c -lmilter -pthread

cpu_ms() { awk '{ printf "%d", ($14 + $15) * 1000 / 100 }' "/proc/$1/stat"; }   # utime+stime (USER_HZ=100)
field() { sed -n "s/^$1: \([0-9.]*\).*/\1/p"; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%s", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wait_for() { for _ in $(seq 200); do eval "$1" && return 0; sleep 0.05; done; echo "timeout: $1" >&2; return 1; }

# start_child NAME SPEC(libmilter spelling) → pid in $child_pid
start_child() {
  "$work/testmilter" "$2" --add-header "X-$1:bench" 2>/dev/null &
  child_pid=$!
  pids+=("$child_pid")
}

run_load() {  # SPEC → prints "throughput p99 failures"
  local out
  out=$("$bin/milter-test-server" -s "$1" --n-sessions "$sessions" --concurrency 10 --header "Subject:bench")
  echo "$(field throughput <<<"$out") $(field p99 <<<"$out") $(field failures <<<"$out")"
}

printf '%-6s %-22s %12s %10s %9s %14s\n' socket path "sessions/s" "p99 ms" failures "CPU ms/msg"
for transport in unix inet; do
  if [ "$transport" = unix ]; then
    a_lib="unix:$work/a.sock"; b_lib="unix:$work/b.sock"; a_mm="$a_lib"; b_mm="$b_lib"
    manager_spec="unix:$work/manager.sock"; wait_manager="[ -S $work/manager.sock ]"
    wait_children="[ -S $work/a.sock ] && [ -S $work/b.sock ]"
  else
    pa=$((20000 + RANDOM % 10000)); pb=$((pa + 1)); pm=$((pa + 2))
    a_lib="inet:$pa@127.0.0.1"; b_lib="inet:$pb@127.0.0.1"; a_mm="inet:$pa@[127.0.0.1]"; b_mm="inet:$pb@[127.0.0.1]"
    manager_spec="inet:$pm@[127.0.0.1]"
    wait_manager="(exec 3<>/dev/tcp/127.0.0.1/$pm) 2>/dev/null"
    wait_children="(exec 3<>/dev/tcp/127.0.0.1/$pa) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/$pb) 2>/dev/null"
  fi
  start_child A "$a_lib"; a_pid=$child_pid
  start_child B "$b_lib"; b_pid=$child_pid
  wait_for "$wait_children"
  mkdir -p "$work/etc-$transport"
  cat > "$work/etc-$transport/milter-manager.conf" <<CONF
security.effective_user = "$(id -un)"
manager.connection_spec = "$manager_spec"
manager.pid_file = nil
log.use_syslog = false
log.path = "$work/manager-$transport.log"
define_milter("a") do |milter|
  milter.connection_spec = "$a_mm"
end
define_milter("b") do |milter|
  milter.connection_spec = "$b_mm"
end
CONF
  "$bin/milter-manager" --config-dir "$work/etc-$transport" --no-daemon 2>"$work/manager-$transport.err" &
  manager_pid=$!
  pids+=("$manager_pid")
  wait_for "$wait_manager"

  direct=() proxied=() direct_p99=() proxied_p99=() child_cpu=() manager_cpu=() failures=0
  for _ in $(seq "$runs"); do
    c0=$(cpu_ms "$a_pid")
    read -r t p f <<<"$(run_load "$a_mm")"
    c1=$(cpu_ms "$a_pid")
    direct+=("$t"); direct_p99+=("$p"); failures=$((failures + ${f%.*}))
    child_cpu+=("$(awk -v a="$c0" -v b="$c1" -v n="$sessions" 'BEGIN { printf "%.3f", (b - a) / n }')")
    m0=$(cpu_ms "$manager_pid")
    read -r t p f <<<"$(run_load "$manager_spec")"
    m1=$(cpu_ms "$manager_pid")
    proxied+=("$t"); proxied_p99+=("$p"); failures=$((failures + ${f%.*}))
    manager_cpu+=("$(awk -v a="$m0" -v b="$m1" -v n="$sessions" 'BEGIN { printf "%.3f", (b - a) / n }')")
  done
  dt=$(printf '%s\n' "${direct[@]}" | median); pt=$(printf '%s\n' "${proxied[@]}" | median)
  printf '%-6s %-22s %12s %10s %9s %14s\n' "$transport" "direct → 1 child" "$dt" \
    "$(printf '%s\n' "${direct_p99[@]}" | median)" - "$(printf '%s\n' "${child_cpu[@]}" | median) (child)"
  printf '%-6s %-22s %12s %10s %9s %14s\n' "$transport" "manager → 2 children" "$pt" \
    "$(printf '%s\n' "${proxied_p99[@]}" | median)" "$failures" "$(printf '%s\n' "${manager_cpu[@]}" | median) (manager)"
  awk -v p="$pt" -v d="$dt" -v t="$transport" 'BEGIN { printf "%-6s throughput ratio manager/direct: %.2f\n", t, p / d }'
  if [ "$transport" = unix ]; then
    out=$("$bin/milter-test-server" -s "$manager_spec" --n-sessions 3000 --concurrency 1000 --header "Subject:many")
    rss=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$manager_pid/status")
    echo "unix   1000 concurrent sessions (3000 in all): failures $(field failures <<<"$out"), $(field throughput <<<"$out") sessions/s, p99 $(field p99 <<<"$out") ms, manager peak RSS $((rss / 1024)) MiB"
  fi
  kill -9 "$manager_pid" "$a_pid" "$b_pid" 2>/dev/null || true
  wait "$manager_pid" "$a_pid" "$b_pid" 2>/dev/null || true
done
echo "(2 CPU cores shared by the driver, the manager and both children; CPU ms/msg from /proc/PID/stat)"
