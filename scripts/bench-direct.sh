#!/bin/bash
# Direct baseline: milter-test-server's load mode straight at Sendmail's libmilter test milter
# (Tests/Fixtures/milters/testmilter.c), no proxy in between.
#
# Usage:
#   scripts/bench-direct.sh [BIN_DIR]            four runs: accept-only and header-adding milter,
#                                                each on a unix socket and on TCP (127.0.0.1)
#   scripts/bench-direct.sh BIN_DIR SPEC [N [C]] one run against a milter already listening on SPEC
# BIN_DIR: where milter-test-server is (default: `swift build -c release --show-bin-path`, built
# first unless SKIP_BUILD=1). N sessions (default 2000), C at a time (default 10); RUNS=k repeats
# each run. Every run prints one line:
#   NAME: throughput X sessions/s, p50 X ms, p99 X ms, driver cpu X ms/session, failures F
# Source this file to reuse `bench_run NAME SPEC N C` (e.g. with the manager in between).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-2000}
C=${C:-10}
RUNS=${RUNS:-1}

# bench_run NAME SPEC N C: one load run, one summary line; returns the driver's exit status.
bench_run() {
    local name=$1 spec=$2 n=$3 c=$4 out status=0
    out=$("$BIN/milter-test-server" -s "$spec" --n-sessions "$n" --concurrency "$c" --timeout 30) || status=$?
    awk -v name="$name" '
        /^throughput: /      { t = $2 }
        /^p50: /             { p50 = $2 }
        /^p99: /             { p99 = $2 }
        /^cpu-per-session: / { cpu = $2 }
        /^failures: /        { f = $2 }
        /^error: /           { e = e " [" substr($0, 8) "]" }
        END { printf "%s: throughput %s sessions/s, p50 %s ms, p99 %s ms, driver cpu %s ms/session, failures %s%s\n",
                     name, t, p50, p99, cpu, f, e }' <<<"$out"
    return $status
}

# wait_listening SPEC PID: until SPEC accepts connections (or the process is gone).
wait_listening() {
    local spec=$1 pid=$2 i
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { echo "milter for $spec exited" >&2; return 1; }
        case $spec in
            unix:*) [ -S "${spec#unix:}" ] && return 0 ;;
            inet:*) local port=${spec#inet:}; port=${port%@*}
                    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0 ;;
        esac
        sleep 0.1
    done
    echo "milter for $spec did not start" >&2
    return 1
}

# free_port: a TCP port nothing listens on.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

main() {
    BIN=${1:-}
    if [ -z "$BIN" ]; then
        [ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && swift build -c release --product milter-test-server >&2)
        BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)
    fi
    if [ $# -ge 2 ]; then
        for run in $(seq 1 "$RUNS"); do bench_run "direct $2" "$2" "${3:-$N}" "${4:-$C}"; done
        return
    fi

    WORK=$(mktemp -d /tmp/mm-bench-XXXXXX)
    PIDS=()
    trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
    gcc -O2 -Wall -o "$WORK/testmilter" "$ROOT/Tests/Fixtures/milters/testmilter.c" -lmilter -pthread

    local accept_port header_port
    accept_port=$(free_port)
    header_port=$(free_port)
    declare -A SPECS=(
        ["accept-only unix"]="unix:$WORK/accept.sock"
        ["accept-only tcp"]="inet:$accept_port@127.0.0.1"
        ["add-header unix"]="unix:$WORK/header.sock"
        ["add-header tcp"]="inet:$header_port@127.0.0.1"
    )
    local name spec
    for name in "accept-only unix" "accept-only tcp" "add-header unix" "add-header tcp"; do
        spec=${SPECS[$name]}
        local options=()
        case $name in add-header*) options=(--add-header "X-Bench:libmilter") ;; esac
        "$WORK/testmilter" "$spec" "${options[@]}" >"$WORK/${name// /-}.log" 2>&1 &
        PIDS+=($!)
        wait_listening "$spec" "$!"
    done
    echo "# milter-test-server --n-sessions $N --concurrency $C, straight at libmilter testmilter"
    for name in "accept-only unix" "accept-only tcp" "add-header unix" "add-header tcp"; do
        for run in $(seq 1 "$RUNS"); do bench_run "direct $name" "${SPECS[$name]}" "$N" "$C" || true; done
    done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
