#!/bin/bash
# make bench: every benchmark; $1 is the release binary directory (swift build -c release --show-bin-path).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bench-detect.sh "${1:-}"
scripts/bench-proxy.sh "${1:-}"
scripts/bench-metrics.sh "${1:-}"
scripts/bench-conditions.sh "${1:-}"
