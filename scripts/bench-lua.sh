#!/bin/bash
# The cost of one Lua stopper call (MilterScripting), optimised: CPU time per call (thread CPU
# clock, so other load on the machine does not count), Lua allocations (the state's allocator)
# and process mallocs (counted by an LD_PRELOAD shim) over 200000 warm calls per script.
# MilterScripting is compiled with its one Configuration dependency (ConditionStage) in a
# scratch directory, without building the whole package. Needs swiftc, gcc and liblua5.4-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for f in "$root"/Sources/MilterScripting/*.swift "$root"/Sources/Configuration/Rules/ConditionStage.swift; do
  sed '/^import Configuration$/d' "$f" > "$work/$(basename "$f")"
done
cp "$here/bench-lua/main.swift" "$here/bench-lua/ConfigurationStub.swift" "$work/"
gcc -O2 -shared -fPIC "$here/bench-lua/counting.c" -o "$work/counting.so" -ldl
swiftc -O -module-name LuaBench -I "$root/Sources/CLua" -Xcc -I/usr/include/lua5.4 -llua5.4 "$work"/*.swift \
  -o "$work/bench"
LD_PRELOAD="$work/counting.so" "$work/bench"
