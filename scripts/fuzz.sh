#!/bin/bash
# make fuzz SECONDS=60: libFuzzer on the milter packet decoders (commands and replies) and the
# connection-spec parser, seeded with every wire fixture. Prints the number of executions.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
export MILTER_FUZZ=1
swift build --scratch-path .build-fuzz -c release --product MilterProtocolFuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library >/dev/null
bin=$(swift build --scratch-path .build-fuzz -c release --show-bin-path)/MilterProtocolFuzz
corpus=.build-fuzz/corpus
mkdir -p "$corpus" .build-fuzz/artifacts
# Seeds: a negotiation and a session's worth of commands (0x00 = commands), replies (0x01).
printf '\x00\x00\x00\x00\x0dO\x00\x00\x00\x06\x00\x00\x01\xff\x00\x1f\xff\xff' > "$corpus/seed-negotiate"
printf '\x00\x00\x00\x00\x14Cmx.example.net\x004\x00\x19' > "$corpus/seed-connect"
printf '\x00\x00\x00\x00\x0bDCj\x00mx\x00v\x00P\x00' > "$corpus/seed-macro"
printf '\x01\x00\x00\x00\x01c\x00\x00\x00\x0bhX-A\x00value\x00' > "$corpus/seed-replies"
printf '\x01\x00\x00\x00\x17y554 5.7.1 rejected\x00\x00' > "$corpus/seed-replycode"
printf '\x01\x00\x00\x00\x19O\x00\x00\x00\x06\x00\x00\x01\x01\x00\x00\x04\x00\x00\x00\x00\x00j\x00' > "$corpus/seed-symlist"
log=.build-fuzz/fuzz.log
set +e
"$bin" "$corpus" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=1024 -timeout=5 \
  -artifact_prefix=.build-fuzz/artifacts/ -print_final_stats=1 >"$log" 2>&1
status=$?
set -e
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|ERROR|SUMMARY' "$log" || true
if [ $status -ne 0 ]; then
  echo "fuzz: libFuzzer found a problem (exit $status); see $log and .build-fuzz/artifacts/" >&2
  tail -30 "$log" >&2
  exit 1
fi
echo "fuzz: ${seconds}s clean, corpus $(ls "$corpus" | wc -l) inputs"
