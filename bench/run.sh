#!/usr/bin/env bash
# Runs the benchmarks.
# Usage: bench/run.sh [publish|latency|ws|fanout|memory|micro|recovery|peers|all|a,b,...] [--smoke] [--redis redis://host:port]
#                     [--sessions N]  (fanout: sessions instead of 10,000, or 1,000 with --smoke)
# Builds the library (without tests and without the examples) and the harness first. Results: a table on stdout and
# bench/target/results.json; the child processes' logs go to bench/target/logs/.
# Redis: --redis, else REDIS_URL, else localhost:6379 if it answers, else a redis-server from the PATH on a free port.
# fanout opens 10,000 WebSocket connections (one file descriptor each in the server and in the client process): the
# open-file limit is raised to the hard limit here; if that is below ~11,000 the scenario runs fewer sessions and
# says so.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
built=$SECONDS
# BENCH_NO_BUILD=1: reuse the last build (bench/scaling.sh builds once); BENCH_BUILD_ONLY=1: build and stop
if [ "${BENCH_NO_BUILD:-}" != 1 ] || [ ! -f "$here/target/classpath.txt" ]; then
    mvn -B -q -f "$root/pom.xml" install -DskipTests -Dinvoker.skip=true
    # clean: the harness reaches a few internal classes (JMH), so it is recompiled against the library just installed
    mvn -B -q -f "$here/pom.xml" clean package -DskipTests
    echo "library and harness built in $((SECONDS - built)) s"
fi
[ "${BENCH_BUILD_ONLY:-}" = 1 ] && exit 0
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cd "$root"
# ZGC: sub-millisecond pauses; with G1 the young pauses of the publishing and receiving JVMs took 8-21 ms on the
# 2-core machine and set the latency scenario's p99.9 (see bench/README.md, "Options")
# BENCH_OPTS: more options for the harness JVM (and so for its children), e.g. -Dbench.latency.rates=1000
# shellcheck disable=SC2086
exec java -XX:+UseZGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch ${BENCH_OPTS:-} -cp "$cp" dev.wskit.redis.bench.Bench "$@"
