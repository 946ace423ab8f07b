#!/usr/bin/env bash
# Two threads against two processes: how much of the machine's second core a
# host gets from one shared engine, and how much it could get at all.
#
# Runs the decision benchmark's `throughput` part (10,000 distinct cold
# requests on a registry of 10,000 grants, the decision cache off):
#   1. in one process, one thread and two threads sharing one engine;
#   2. one thread in one process, alone;
#   3. one thread in each of two processes at the same time.
# The two processes share nothing but the machine, so their combined
# throughput is the ceiling for two threads on it. Run it on a quiet machine.
# Usage: scripts/bench-scaling.sh [SECONDS]   (measurement time; default 8)
# GOVSHARE_BENCH_BIN=path runs an already built decision benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-8}"
bin="${GOVSHARE_BENCH_BIN:-}"
[[ -n "$bin" ]] || bin="$(cargo bench --locked --all-features --bench decision --no-run \
        --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") \
            and m["target"]["name"] == "decision":
        print(m["executable"])')"
export GOVSHARE_BENCH=throughput
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
run() { "$bin" --bench --noplot --measurement-time "$secs" "$1" > "$2" 2>&1; }
median() { # criterion's "time: [low median high]" line, median in µs
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.findall(r"time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", text)
value, unit = m[-1]
print(float(value) * {"ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3}[unit])
PY
}
run 'throughput/cold_decisions_per_thread_count/1$' "$out/t1"
run 'throughput/cold_decisions_per_thread_count/2$' "$out/t2"
run 'throughput/cold_decisions_per_thread_count/1$' "$out/alone"
run 'throughput/cold_decisions_per_thread_count/1$' "$out/a" &
run 'throughput/cold_decisions_per_thread_count/1$' "$out/b" &
wait
t1=$(median "$out/t1"); t2=$(median "$out/t2")
alone=$(median "$out/alone"); a=$(median "$out/a"); b=$(median "$out/b")
python3 - "$t1" "$t2" "$alone" "$a" "$b" <<'PY'
import sys
t1, t2, alone, a, b = map(float, sys.argv[1:])
print(f"one process, 1 thread:        {t1:8.2f} µs a decision")
print(f"one process, 2 threads:       {t2:8.2f} µs a decision (both threads)")
print(f"  threads scale               {t1 / t2:8.2f} x")
print(f"1 process alone:              {alone:8.2f} µs a decision")
print(f"2 processes at once:          {a:8.2f} and {b:.2f} µs a decision (each)")
print(f"  processes scale             {alone / a + alone / b:8.2f} x  (the machine's ceiling)")
print(f"threads reach {100 * (t1 / t2) / (alone / a + alone / b):.0f} % of it")
PY
