#!/usr/bin/env bash
# Runs the benchmarks. Usage: bench/run.sh [publish|latency|micro|all] [--smoke] [--redis redis://host:port]
# Builds the library (without tests) and the harness first. Results: a table on stdout and bench/target/results.json.
# Redis: --redis, else REDIS_URL, else localhost:6379 if it answers, else a redis-server from the PATH on a free port.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
mvn -B -q -f "$root/pom.xml" install -DskipTests
mvn -B -q -f "$here/pom.xml" package -DskipTests
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
cd "$root"
exec java -XX:+UseG1GC -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$cp" dev.wskit.redis.bench.Bench "$@"
