#!/bin/bash
# make bench (detection): median wall time of `milter-manager-config detect` on fixture roots,
# and the median in-process time (hidden --timing flag). Aim: under 20 ms on a rich root.
# The last rows read a generated greylist.conf of 10,000 and 20,000 lines (the real Fedora-built
# file followed by ACLs): the time must grow linearly with the file.
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

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# A CentOS 7 root whose greylist.conf has N more lines of ACLs and lists (continuations included).
big_root() {
  local lines=$1 root="$scratch/greylist-$1"
  cp -a Tests/Fixtures/roots/redhat-7/install-guide "$root"
  awk -v n="$lines" 'BEGIN {
    for (i = 0; i < n; i++) {
      if (i % 3 == 0) printf "racl whitelist addr 10.%d.%d.0/24 # host %d\n", int(i / 256) % 256, i % 256, i
      else if (i % 3 == 1) printf "list \"l%d\" addr { 192.0.2.%d \\\n", i, i % 256
      else printf "    198.51.100.%d }\n", i % 256
    }
  }' >>"$root/etc/mail/greylist.conf"
  echo "$root"
}

measure() {
  local label=$1 dir=$2
  "$tool" detect --root "$dir" --format json >/dev/null  # warm the page cache
  local walls=() inprocess=()
  for _ in $(seq "$runs"); do
    local start=$EPOCHREALTIME
    local timing
    timing=$("$tool" detect --root "$dir" --format json --timing 2>&1 >/dev/null)
    local end=$EPOCHREALTIME
    walls+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) * 1000 }')")
    inprocess+=("$(sed -n 's/.*detect took \([0-9.]*\) ms.*/\1/p' <<<"$timing")")
  done
  printf 'detect %-30s median of %s runs: %7s ms wall, %7s ms in process\n' "$label" "$runs" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${inprocess[@]}" | median)"
}

for root in redhat-6/install-guide redhat-9/all-enabled debian-12/packages debian-11/packages freebsd/install-guide; do
  measure "$root" "Tests/Fixtures/roots/$root"
done
measure "greylist.conf +10,000 lines" "$(big_root 10000)"
measure "greylist.conf +20,000 lines" "$(big_root 20000)"
