#!/bin/bash
# make demo: start milter-manager with two bundled test milters (a libmilter C milter and a
# pymilter script), send a message through it with milter-test-server, show what came out.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(swift build -c release --show-bin-path)}
work=$(mktemp -d /tmp/milter-manager-demo.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building the libmilter test milter"
cc -O2 -Wall -o "$work/testmilter" Tests/Fixtures/milters/testmilter.c -lmilter -pthread

echo "== starting two child milters"
"$work/testmilter" "unix:$work/libmilter.sock" --add-header "X-Libmilter:checked by a libmilter milter" \
  --reject-subject REJECTME 2>"$work/libmilter.log" &
pids+=($!)
/usr/bin/python3 Tests/Fixtures/milters/pymilter_tag.py "unix:$work/pymilter.sock" 2>"$work/pymilter.log" &
pids+=($!)
for sock in libmilter pymilter; do
  for _ in $(seq 100); do [ -S "$work/$sock.sock" ] && break; sleep 0.05; done
done

mkdir -p "$work/etc"
cat > "$work/etc/milter-manager.conf" <<CONF
# The demo's milter-manager.conf: two children, the MTA side on a unix socket.
security.effective_user = "$(id -un)"
manager.connection_spec = "unix:$work/milter-manager.sock"
manager.pid_file = "$work/milter-manager.pid"
log.use_syslog = false
define_milter("libmilter") do |milter|
  milter.connection_spec = "unix:$work/libmilter.sock"
  milter.description = "libmilter test milter: adds X-Libmilter, rejects REJECTME"
end
define_milter("pymilter") do |milter|
  milter.connection_spec = "unix:$work/pymilter.sock"
  milter.description = "pymilter test milter: adds X-Pymilter-Tag, rejects PYREJECT"
end
CONF

echo "== milter-manager --show-config (milters part)"
"$bin/milter-manager" --config-dir "$work/etc" --show-config | sed -n '/define_milter/,$p'

echo "== starting milter-manager"
"$bin/milter-manager" --config-dir "$work/etc" --no-daemon >"$work/manager.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$work/milter-manager.sock" ] && break; sleep 0.05; done

echo
echo "== a message through the manager (milter-test-server --output-message)"
"$bin/milter-test-server" -s "unix:$work/milter-manager.sock" --from sender@example.com \
  --recipient receiver@example.org --header "Subject:Hello from make demo" --output-message
echo
echo "== a message one child rejects"
"$bin/milter-test-server" -s "unix:$work/milter-manager.sock" --header "Subject:please REJECTME" || true
echo
echo "== 30 more sessions (milter-test-server --n-sessions 30 --concurrency 3)"
"$bin/milter-test-server" -s "unix:$work/milter-manager.sock" --header "Subject:load" --n-sessions 30 \
  --concurrency 3 | sed 's/^/  /'
echo
echo "== the manager's statistics log (last lines)"
grep -F '[statistics]' "$work/manager.log" | tail -n 8 | sed 's/^/  /'

# The analyzer counts whole minutes: lines of the current minute wait for the next run.
echo
wait=$((61 - 10#$(date +%S)))
echo "== graphs of this session: waiting ${wait}s for the current minute to end"
sleep "$wait"
graphs=$(mktemp -d /tmp/milter-manager-demo-graphs.XXXXXX)
chmod 755 "$graphs"
"$bin/milter-manager-log-analyzer" --log "$work/manager.log" --output-directory "$graphs" --verbose 2>&1 |
  sed 's/^/  /'
echo "  open $graphs/index.html (graphs: $graphs/*.png; kept after the demo)"
