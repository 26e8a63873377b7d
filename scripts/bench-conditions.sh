#!/bin/bash
# make bench (conditions): manager CPU per message with two libmilter children over unix
# sockets, without conditions, with a declarative condition on each child (rules at connect,
# MAIL, RCPT and every header, none of which stops) and with a Lua stopper on each child
# (functions at connect, MAIL, RCPT and every header returning false).
# Usage: scripts/bench-conditions.sh [RELEASE_BIN_DIR] [SESSIONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${2:-3000}
runs=${3:-3}
source scripts/bench-common.sh
bench_init conditions "${1:-}"

start_child A "unix:$work/a.sock"
start_child B "unix:$work/b.sock"
wait_for "[ -S $work/a.sock ] && [ -S $work/b.sock ]"
printf '198.51.100.0/24 OK\n2001:db8:25::/48 OK\n' > "$work/relays.cidr"
cat > "$work/stopper.lua" <<'LUA'
function connect(context, host, address) return address == "198.51.100.1" end
function envelope_from(context, sender) return context.macros["{auth_authen}"] ~= nil end
function envelope_recipient(context, recipient) return recipient:find("^<abuse@") ~= nil end
function header(context, name, value) return name == "X-Spam-Flag" and value == "YES" end
LUA

printf '%-34s %14s\n' "conditions on each of 2 children" "CPU ms/msg"
for variant in none declarative lua; do
  etc="$work/etc-$variant"
  mkdir -p "$etc"
  cp "$work/relays.cidr" "$work/stopper.lua" "$etc/"
  case $variant in
    none) condition=""; names="[]" ;;
    declarative)
      condition='define_applicable_condition("Bench") do |condition|
  condition.stop_if client_address: ["192.0.2.0/24", "cidr:relays.cidr"]
  condition.stop_if sender: /@lists\.example\.com>\z/
  condition.stop_if recipient: [/\A<abuse@/, "postmaster@example.com"]
  condition.stop_if header: "X-Spam-Flag", value: "YES"
end'
      names='["Bench"]' ;;
    lua)
      condition='define_applicable_condition("Bench") do |condition|
  condition.lua_script = "stopper.lua"
end'
      names='["Bench"]' ;;
  esac
  start_manager "$variant" "unix:$work/manager-$variant.sock" "unix:$work/a.sock" "unix:$work/b.sock" \
    "$condition" "  milter.applicable_conditions = $names"
  wait_for "[ -S $work/manager-$variant.sock ]"
  cpu=()
  for _ in $(seq "$runs"); do
    m0=$(cpu_ms "$manager_pid")
    out=$("$bin/milter-test-server" -s "unix:$work/manager-$variant.sock" --n-sessions "$sessions" \
      --concurrency 10 --connect-address "inet:25@[203.0.113.200]" --header "Subject:bench" \
      --header "X-Spam-Flag:NO")
    m1=$(cpu_ms "$manager_pid")
    if ! grep -q "^failures: 0" <<<"$out"; then echo "$variant: $(grep '^failures' <<<"$out")" >&2; fi
    cpu+=("$(awk -v a="$m0" -v b="$m1" -v n="$sessions" 'BEGIN { printf "%.3f", (b - a) / n }')")
  done
  printf '%-34s %14s\n' "$variant" "$(printf '%s\n' "${cpu[@]}" | median)"
  kill -9 "$manager_pid" 2>/dev/null || true
  wait "$manager_pid" 2>/dev/null || true
done
echo "(2 CPU cores shared by the driver, the manager and both children; $sessions sessions x $runs runs, median)"
