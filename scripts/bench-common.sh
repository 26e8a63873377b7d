# Sourced by the bench scripts (not run): the release binaries, a scratch directory removed at
# exit with every process started, the libmilter test milter and the manager started in it,
# and the helpers that read /proc and the drivers' output.
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

# start_child NAME SPEC(libmilter spelling) [OPTIONS...] → pid in $child_pid: the test milter,
# adding the header X-NAME: bench.
start_child() {
  local name=$1 spec=$2
  shift 2
  "$work/testmilter" "$spec" --add-header "X-$name:bench" "$@" 2>/dev/null &
  child_pid=$!
  pids+=("$child_pid")
}

# start_manager NAME LISTEN A B [EXTRA] [CHILD EXTRA] → pid in $manager_pid: milter-manager
# with children a and b (A or B "-": no such child), its configuration in $work/etc-NAME, its
# log in $work/manager-NAME.log and its errors in $work/manager-NAME.err; EXTRA goes after the
# manager's lines, CHILD EXTRA into each define_milter block.
start_manager() {
  local name=$1 listen=$2 a=$3 b=$4 extra=${5:-} child_extra=${6:-} child spec
  mkdir -p "$work/etc-$name"
  {
    printf 'security.effective_user = "%s"\nmanager.connection_spec = "%s"\nmanager.pid_file = nil\n' \
      "$(id -un)" "$listen"
    printf 'log.use_syslog = false\nlog.path = "%s"\n%s\n' "$work/manager-$name.log" "$extra"
    for child in a b; do
      if [ "$child" = a ]; then spec=$a; else spec=$b; fi
      [ "$spec" = - ] && continue
      printf 'define_milter("%s") do |milter|\n  milter.connection_spec = "%s"\n%s\nend\n' \
        "$child" "$spec" "$child_extra"
    done
  } > "$work/etc-$name/milter-manager.conf"
  "$bin/milter-manager" --config-dir "$work/etc-$name" --no-daemon 2>"$work/manager-$name.err" &
  manager_pid=$!
  pids+=("$manager_pid")
}

# manager_failed NAME: says why manager NAME did not start (its errors and log) and exits.
manager_failed() {
  echo "the $1 manager did not start:" >&2
  cat "$work/manager-$1.err" "$work/manager-$1.log" >&2 2>/dev/null || true
  exit 1
}
