#!/bin/bash
# make bench (detection): median wall time of `milter-manager-config detect` on fixture roots,
# and the median in-process time (hidden --timing flag). Aim: under 20 ms on a rich root.
# Usage: scripts/bench-detect.sh [RELEASE_BIN_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

bin_dir=${1:-}
runs=${2:-21}
if [ -z "$bin_dir" ] || [ ! -x "$bin_dir/milter-manager-config" ]; then
  swift build -c release --product milter-manager-config >&2
  bin_dir=$(swift build -c release --show-bin-path)
fi
tool="$bin_dir/milter-manager-config"

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for root in redhat-6/all-enabled redhat-9/all-enabled debian-12/all-enabled freebsd-13/all-enabled; do
  dir="Tests/Fixtures/roots/$root"
  "$tool" detect --root "$dir" --format json >/dev/null  # warm the page cache
  walls=()
  inprocess=()
  for _ in $(seq "$runs"); do
    start=$EPOCHREALTIME
    timing=$("$tool" detect --root "$dir" --format json --timing 2>&1 >/dev/null)
    end=$EPOCHREALTIME
    walls+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) * 1000 }')")
    inprocess+=("$(sed -n 's/.*detect took \([0-9.]*\) ms.*/\1/p' <<<"$timing")")
  done
  wall=$(printf '%s\n' "${walls[@]}" | median)
  inside=$(printf '%s\n' "${inprocess[@]}" | median)
  printf 'detect %-24s median of %s runs: %6s ms wall, %6s ms in process\n' "$root" "$runs" "$wall" "$inside"
done
