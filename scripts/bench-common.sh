# Sourced by the bench scripts (not run): the release binaries, a scratch directory removed at
# exit with every process started, the libmilter test milter, and the helpers that read
# /proc and the drivers' output.
# bench_init NAME [RELEASE_BIN_DIR]: sets $bin (built when not given), $work, $pids, builds
# $work/testmilter.
bench_init() {
  bin=${2:-}
  if [ -z "$bin" ] || [ ! -x "$bin/milter-manager" ]; then
    swift build -c release >&2
    bin=$(swift build -c release --show-bin-path)
  fi
  work=$(mktemp -d "/tmp/mm-bench-$1.XXXXXX")
  chmod 755 "$work"
  pids=()
  trap bench_cleanup EXIT
  cc -O2 -o "$work/testmilter" Tests/Fixtures/milters/testmilter.c -lmilter -pthread
}

bench_cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

cpu_ms() { awk '{ printf "%d", ($14 + $15) * 1000 / 100 }' "/proc/$1/stat"; }   # utime+stime (USER_HZ=100)
field() { sed -n "s/^$1: \([0-9.]*\).*/\1/p"; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%s", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.3f", (b - a) / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
wait_for() { for _ in $(seq 200); do eval "$1" && return 0; sleep 0.05; done; echo "timeout: $1" >&2; return 1; }
peak_rss_mib() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" | awk '{ printf "%d", $1 / 1024 }'; }
