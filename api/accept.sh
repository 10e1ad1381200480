#!/usr/bin/env bash
# Accepts the public API of the current sources as the API gate's baseline (README "Versioning and compatibility").
#
# Run it after an intended change of the public API (dev.wskit.redis, .cdi, .websocket, .testkit), then commit
# api/ with the change. It
#   1. builds the jar (no tests, no examples, no Javadoc) and prints what differs from the committed baseline
#      (japicmp's report; nothing when the API did not change),
#   2. copies the jar to api/baseline.jar (the build compares every later jar with it),
#   3. writes api/api.txt, the public and protected signatures of the API packages (javap), so that the API change
#      shows as a readable diff in the commit.
# The baseline is the whole jar: japicmp needs the classes the API refers to; dev.wskit.redis.internal is left out
# of the comparison by the POM, not by this script.
set -euo pipefail

cd "$(dirname "$0")/.."

mvn -B -q package -Dmaven.test.skip=true -Dinvoker.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
    -Djapicmp.skip="$([ -f api/baseline.jar ] && echo false || echo true)" -Dapi.gate.report-only=true

# (Maven 3.8's console writes colour codes even in batch mode: removed)
version=$(mvn -B -q help:evaluate -Dexpression=project.version -DforceStdout | sed 's/\x1b\[[0-9;]*m//g')
jar="target/wskit-redis-pubsub-${version}.jar"
[ -f "$jar" ] || { echo "api/accept.sh: $jar was not built" >&2; exit 1; }

if [ -f target/japicmp/api-gate.diff ] && [ -f api/baseline.jar ]; then
    if ! grep -q -E '^(\*\*\*|\+\+\+|---)' target/japicmp/api-gate.diff; then
        echo "== api/accept.sh: the API did not change"
    else
        echo "== api/accept.sh: accepting these changes (japicmp, baseline -> current):"
        cat target/japicmp/api-gate.diff; echo
    fi
fi

cp "$jar" api/baseline.jar

# the listing: public and protected members of the public types outside dev.wskit.redis.internal
classes=$(jar tf api/baseline.jar | grep -E '^dev/wskit/redis/.*\.class$' \
    | grep -v -E '^dev/wskit/redis/internal/|package-info' | sed 's/\.class$//; s#/#.#g' | LC_ALL=C sort)
# shellcheck disable=SC2086
javap -protected -cp api/baseline.jar $classes | awk '
    /^Compiled from/ { next }
    /^[a-z].*(class|interface|enum|record) / { keep = ($0 ~ /^(public|protected) /) }
    keep { print }
' > api/api.txt

echo "== api/accept.sh: api/baseline.jar and api/api.txt written; commit api/ with the change if git shows it changed"
git status --short api/ || true
