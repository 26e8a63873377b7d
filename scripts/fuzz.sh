#!/bin/bash
# make fuzz SECONDS=60: libFuzzer on each target for SECONDS seconds (or RUNS=N executions each),
# seeded with the project's fixtures:
#   MilterProtocolFuzz  the milter packet decoders (commands and replies) and the connection-spec
#                       parser, seeded with a negotiation and a session's worth of frames;
#   ConfigurationFuzz   the milter-manager.conf lexer, parser and evaluator, and the
#                       --show-config round trip, seeded with every milter-manager.conf fixture
#                       and golden file;
#   ConfigurationSyntaxFuzz  the lexer and parser alone (no evaluation), same seeds: many
#                       more runs per second than ConfigurationFuzz;
#   PostfixMainFuzz     the main.cf editor (real Augeas, the byte splice, idempotence), seeded
#                       with every main.cf fixture.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]; prints the executions and corpus size per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(MilterProtocolFuzz ConfigurationFuzz ConfigurationSyntaxFuzz PostfixMainFuzz); fi
export MILTER_FUZZ=1
# Swift's own crash backtracer would end the process before libFuzzer saves the input.
export SWIFT_BACKTRACE=enable=no
scratch=.build-fuzz
mkdir -p "$scratch/artifacts"

seed_protocol() {
  # A negotiation and a session's worth of commands (0x00 = commands), replies (0x01).
  printf '\x00\x00\x00\x00\x0dO\x00\x00\x00\x06\x00\x00\x01\xff\x00\x1f\xff\xff' > "$1/seed-negotiate"
  printf '\x00\x00\x00\x00\x14Cmx.example.net\x004\x00\x19' > "$1/seed-connect"
  printf '\x00\x00\x00\x00\x0bDCj\x00mx\x00v\x00P\x00' > "$1/seed-macro"
  printf '\x01\x00\x00\x00\x01c\x00\x00\x00\x0bhX-A\x00value\x00' > "$1/seed-replies"
  printf '\x01\x00\x00\x00\x17y554 5.7.1 rejected\x00\x00' > "$1/seed-replycode"
  printf '\x01\x00\x00\x00\x19O\x00\x00\x00\x06\x00\x00\x01\x01\x00\x00\x04\x00\x00\x00\x00\x00j\x00' > "$1/seed-symlist"
}

seed_files() {
  # Every fixture file matching the find expression, named after its path.
  local directory=$1
  shift
  find Tests/Fixtures "$@" -type f -print0 | while IFS= read -r -d '' file; do
    cp "$file" "$directory/$(echo "$file" | tr '/' '_')"
  done
}

status=0
for target in "${targets[@]}"; do
  seeds=$scratch/seeds/$target
  corpus=$scratch/corpus/$target
  rm -rf "$seeds"
  mkdir -p "$seeds" "$corpus"
  case $target in
    MilterProtocolFuzz) seed_protocol "$seeds"; max_len=4096 ;;
    ConfigurationFuzz | ConfigurationSyntaxFuzz)
      seed_files "$seeds" \( -name 'milter-manager*.conf' -o -name 'show-config.conf' \); max_len=4096 ;;
    PostfixMainFuzz) seed_files "$seeds" \( -name 'main.cf*' -a ! -name '*.diff' \); max_len=16384 ;;
    *) echo "fuzz: unknown target $target" >&2; exit 64 ;;
  esac
  swift build --scratch-path "$scratch" -c release --product "$target" \
    -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -enable-testing >/dev/null
  bin=$(swift build --scratch-path "$scratch" -c release --show-bin-path)/$target
  if [ -n "${RUNS:-}" ]; then limit=(-runs="$RUNS"); else limit=(-max_total_time="$seconds"); fi
  log=$scratch/$target.log
  set +e
  "$bin" "$corpus" "$seeds" "${limit[@]}" -max_len=$max_len -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$scratch/artifacts/$target-" -print_final_stats=1 >"$log" 2>&1
  result=$?
  set -e
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  elapsed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
  if [ $result -ne 0 ]; then
    echo "fuzz: $target: libFuzzer found a problem (exit $result); see $log and $scratch/artifacts/" >&2
    grep -E 'ERROR|SUMMARY|Fatal error' "$log" >&2 || true
    tail -30 "$log" >&2
    status=1
    continue
  fi
  echo "fuzz: $target: ${executions:-?} executions${elapsed:+ in ${elapsed}s}, clean, corpus $(ls "$corpus" | wc -l) inputs, peak RSS $(sed -n 's/^stat::peak_rss_mb: *//p' "$log") MB"
done
exit $status
