#!/usr/bin/env bash
# Scaling with cores: runs benchmark scenarios once per core count, with every process of the run restricted to the
# first N cores (taskset): the harness and its child processes, and a redis-server of its own started for the run on
# a free port (the Redis at localhost:6379 is not touched). Then prints each figure per core count and the ratio to
# one core.
# Usage: bench/scaling.sh [scenarios, default publish,ws,fanout] [--smoke] [other bench/run.sh options]
# Core counts: 1, 2, 4, ... up to nproc (BENCH_CORES="1 2" to choose). Needs taskset (util-linux), redis-server,
# node (for the comparison). Results: bench/target/scaling-<N>cores.json and bench/target/scaling.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scenarios="${1:-publish,ws,fanout}"
[ $# -gt 0 ] && shift
for tool in taskset redis-server redis-cli node; do
    command -v "$tool" >/dev/null || { echo "bench/scaling.sh needs $tool" >&2; exit 1; }
done
if [ -z "${BENCH_CORES:-}" ]; then
    BENCH_CORES=""
    n=1
    while [ "$n" -le "$(nproc)" ]; do BENCH_CORES="$BENCH_CORES $n"; n=$((n * 2)); done
fi
# build once, on every core; the runs below reuse it
BENCH_BUILD_ONLY=1 bash "$here/run.sh"
mkdir -p "$here/target"
port=7400
while redis-cli -p "$port" ping >/dev/null 2>&1 || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
done
files=()
for cores in $BENCH_CORES; do
    cpus="0-$((cores - 1))"
    echo "== $cores core(s): taskset -c $cpus, redis-server on port $port"
    taskset -c "$cpus" redis-server --port "$port" --save "" --appendonly no --daemonize no \
        >"$here/target/scaling-redis-$cores.log" 2>&1 &
    redis_pid=$!
    for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    status=0
    BENCH_NO_BUILD=1 taskset -c "$cpus" bash "$here/run.sh" "$scenarios" --redis "redis://127.0.0.1:$port" "$@" \
        || status=$?
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    [ "$status" -eq 0 ] || { echo "the run on $cores core(s) failed ($status)" >&2; exit "$status"; }
    cp "$here/target/results.json" "$here/target/scaling-${cores}cores.json"
    files+=("$cores=$here/target/scaling-${cores}cores.json")
done
node "$here/scaling-table.mjs" "$here/target/scaling.json" "${files[@]}"
