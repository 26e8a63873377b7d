#!/bin/bash
# make bench (proxy): milter-manager with two libmilter children against the Postfix-style chain
# (the same driver, milter-test-server's load mode, talking to both children itself: each
# session to A, then to B, as `smtpd_milters = A, B` does), runs interleaved so that both see
# the same machine load. Reports throughput, p99 latency, CPU per message, one message at a
# time, system calls per session (strace -c -f on the manager), whether a libmilter child
# takes a second session on one connection (scripts/quit-nc-probe.py), the peak RSS of 1,000
# concurrent sessions, and of 200 concurrent 10 MiB messages that one child replaces.
# Usage: scripts/bench-proxy.sh [RELEASE_BIN_DIR] [SESSIONS] [RUNS]
#   BIG_SESSIONS (200) and BIG_MIB (10): the big-body run; BIG_SESSIONS=0 skips it; BIG_CONFIG:
#   more milter-manager.conf lines for it (manager.body_spool_threshold = 1048576).
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${2:-3000}
runs=${3:-5}
big_sessions=${BIG_SESSIONS:-200}
big_mib=${BIG_MIB:-10}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
source scripts/bench-common.sh
bench_init proxy "${1:-}"

# run_load SPEC N C [MORE milter-test-server OPTIONS] → "throughput p99 failures p50"
run_load() {
  local spec=$1 n=$2 c=$3 out
  shift 3
  out=$("$bin/milter-test-server" -s "$spec" --n-sessions "$n" --concurrency "$c" --header "Subject:bench" "$@" || true)
  # Why sessions failed, kept for the end of the run.
  sed -n "s|^error: |$spec: |p" <<<"$out" >>"$work/load-errors.txt"
  echo "$(field throughput <<<"$out") $(field p99 <<<"$out") $(field failures <<<"$out") $(field p50 <<<"$out")"
}

row() { printf '%-6s %-30s %11s %9s %9s %24s\n' "$@"; }

row socket path "sessions/s" "p99 ms" failures "CPU ms/msg"
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
  start_manager "$transport" "$manager_spec" "$a_mm" "$b_mm"
  wait_for "$wait_manager"

  chain=() proxied=() chain_p99=() proxied_p99=() children_cpu=() manager_cpu=() chain_failures=0 failures=0
  for _ in $(seq "$runs"); do
    c0=$(( $(cpu_ms "$a_pid") + $(cpu_ms "$b_pid") ))
    read -r t p f _ <<<"$(run_load "$a_mm" "$sessions" 10 --then-connection-spec "$b_mm")"
    c1=$(( $(cpu_ms "$a_pid") + $(cpu_ms "$b_pid") ))
    chain+=("$t"); chain_p99+=("$p"); chain_failures=$((chain_failures + ${f%.*}))
    children_cpu+=("$(per "$c0" "$c1" "$sessions")")
    m0=$(cpu_ms "$manager_pid")
    read -r t p f _ <<<"$(run_load "$manager_spec" "$sessions" 10)"
    m1=$(cpu_ms "$manager_pid")
    proxied+=("$t"); proxied_p99+=("$p"); failures=$((failures + ${f%.*}))
    manager_cpu+=("$(per "$m0" "$m1" "$sessions")")
  done
  ct=$(printf '%s\n' "${chain[@]}" | median); pt=$(printf '%s\n' "${proxied[@]}" | median)
  row "$transport" "chain → A, then B" "$ct" "$(printf '%s\n' "${chain_p99[@]}" | median)" "$chain_failures" \
    "$(printf '%s\n' "${children_cpu[@]}" | median) (both children)"
  row "$transport" "manager → A and B" "$pt" "$(printf '%s\n' "${proxied_p99[@]}" | median)" "$failures" \
    "$(printf '%s\n' "${manager_cpu[@]}" | median) (manager)"
  echo "$transport   throughput ratio manager/chain: $(ratio "$pt" "$ct") (medians of $runs interleaved runs of $sessions sessions, 10 at a time)"

  if [ "$transport" = unix ]; then
    # One message at a time: the time a message takes (p50), chain against manager, interleaved.
    chain_one=() proxied_one=()
    for _ in $(seq "$runs"); do
      read -r _ _ _ p <<<"$(run_load "$a_mm" 500 1 --then-connection-spec "$b_mm")"; chain_one+=("$p")
      read -r _ _ _ p <<<"$(run_load "$manager_spec" 500 1)"; proxied_one+=("$p")
    done
    co=$(printf '%s\n' "${chain_one[@]}" | median); po=$(printf '%s\n' "${proxied_one[@]}" | median)
    echo "unix   one message at a time (p50 ms): chain $co, manager $po; manager/chain: $(ratio "$po" "$co")"
    # Where that time goes: A alone, and managers with no child and with A only.
    main_pid=$manager_pid
    start_manager none "unix:$work/none.sock" - -; none_pid=$manager_pid
    start_manager one "unix:$work/one.sock" "$a_mm" -; one_pid=$manager_pid
    wait_for "[ -S $work/none.sock ] && [ -S $work/one.sock ]"
    direct_one=() none_one=() one_one=()
    for _ in $(seq "$runs"); do
      read -r _ _ _ p <<<"$(run_load "$a_mm" 500 1)"; direct_one+=("$p")
      read -r _ _ _ p <<<"$(run_load "unix:$work/none.sock" 500 1)"; none_one+=("$p")
      read -r _ _ _ p <<<"$(run_load "unix:$work/one.sock" 500 1)"; one_one+=("$p")
    done
    echo "unix   one message at a time (p50 ms): A alone $(printf '%s\n' "${direct_one[@]}" | median)," \
      "manager with no child $(printf '%s\n' "${none_one[@]}" | median)," \
      "manager with A only $(printf '%s\n' "${one_one[@]}" | median)"
    kill -9 "$none_pid" "$one_pid" 2>/dev/null || true
    wait "$none_pid" "$one_pid" 2>/dev/null || true
    manager_pid=$main_pid

    # System calls per session: strace -c -f on every thread of the manager for 500 sessions.
    if command -v strace >/dev/null; then
      attach=()
      for task in /proc/"$manager_pid"/task/*; do attach+=(-p "${task##*/}"); done
      strace -c -f -o "$work/strace.txt" "${attach[@]}" 2>/dev/null &
      strace_pid=$!
      sleep 1
      read -r _ _ f _ <<<"$(run_load "$manager_spec" 500 10)"
      kill -INT "$strace_pid" 2>/dev/null || true
      wait "$strace_pid" 2>/dev/null || true
      total=$(awk '$NF == "total" { print $4 }' "$work/strace.txt")
      echo "unix   system calls per session (strace -c -f, 500 sessions, failures $f): $(per 0 "${total:-0}" 500)"
      awk '/^[ ]*[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+/ && $NF != "total" {
             calls = $4; name = $NF; printf "%s %.1f\n", name, calls / 500 }' "$work/strace.txt" |
        sort -k2 -nr | head -12 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : "         "), $1, $2 } END { print "" }'
    else
      echo "unix   system calls per session: strace is not installed"
    fi

    # Could child connections be kept across MTA sessions (SMFIC_QUIT_NC)? Asked of child A.
    echo "unix   child connection reuse (libmilter child, a second CONNECT after QUIT_NC): $(python3 scripts/quit-nc-probe.py "$work/a.sock")"

    out=$("$bin/milter-test-server" -s "$manager_spec" --n-sessions 3000 --concurrency 1000 --header "Subject:many" || true)
    echo "unix   1000 concurrent sessions (3000 in all): failures $(field failures <<<"$out"), $(field throughput <<<"$out") sessions/s, p99 $(field p99 <<<"$out") ms, manager peak RSS $(peak_rss_mib "$manager_pid") MiB"
  fi
  kill -9 "$manager_pid" "$a_pid" "$b_pid" 2>/dev/null || true
  wait "$manager_pid" "$a_pid" "$b_pid" 2>/dev/null || true
done

if [ "$big_sessions" -gt 0 ]; then
  # Big mail: BIG_SESSIONS concurrent sessions of a BIG_MIB MiB body; child A sees the whole body
  # and replaces it (with the same bytes), child B sees the whole replaced body. A fresh manager,
  # so that its peak RSS is this run's. Bodies above 4 MiB go to files in $work/spool.
  mkdir -p "$work/spool"
  python3 - "$work/big.eml" "$big_mib" <<'PY'
import sys
size = int(sys.argv[2]) << 20
line = b"".join(bytes([33 + (i * 7 + j) % 90 for j in range(76)]) + b"\r\n" for i in range(64))
with open(sys.argv[1], "wb") as f:
    f.write(b"From: <sender@example.com>\r\nTo: <receiver@example.org>\r\nSubject: big\r\n\r\n")
    f.write((line * (size // len(line) + 1))[:size])
PY
  start_child A "unix:$work/big-a.sock" --replace-body; a_pid=$child_pid
  start_child B "unix:$work/big-b.sock"; b_pid=$child_pid
  wait_for "[ -S $work/big-a.sock ] && [ -S $work/big-b.sock ]"
  start_manager big "unix:$work/big.sock" "unix:$work/big-a.sock" "unix:$work/big-b.sock" \
    "manager.body_spool_directory = \"$work/spool\"
${BIG_CONFIG:-}"
  wait_for "[ -S $work/big.sock ]"
  m0=$(cpu_ms "$manager_pid")
  out=$("$bin/milter-test-server" -s "unix:$work/big.sock" --n-sessions "$big_sessions" --concurrency "$big_sessions" \
    --mail-file "$work/big.eml" --expected-status accept --timeout 600 || true)
  m1=$(cpu_ms "$manager_pid")
  echo "unix   $big_sessions concurrent ${big_mib} MiB messages (A replaces the body, B sees it): failures $(field failures <<<"$out") of $(field sessions <<<"$out"), p99 $(field p99 <<<"$out") ms, manager CPU $(per "$m0" "$m1" "$big_sessions") ms/msg, manager peak RSS $(peak_rss_mib "$manager_pid") MiB"
  kill -9 "$manager_pid" "$a_pid" "$b_pid" 2>/dev/null || true
  wait "$manager_pid" "$a_pid" "$b_pid" 2>/dev/null || true
fi
if [ -s "$work/load-errors.txt" ]; then
  echo "failed sessions, by driver target and kind:"
  sed 's/^/  /' "$work/load-errors.txt"
fi
echo "(2 CPU cores shared by the driver, the manager and the children; CPU ms/msg from /proc/PID/stat)"
