#!/usr/bin/env bash
# Installs what the examples' tests need beyond JDK 17 and Maven, on a Debian machine, when it is missing:
#   redis-server              every example test starts its own on a free port
#   chromium, chromium-driver the browser test (examples/cluster BrowserIT), through Selenium
# The app servers come from Maven Central through the examples' own poms (cached in the local repository).
# Idempotent; installs only as root with apt-get, else prints what is missing and exits 0 (the browser test then
# skips, except under CI=true, where it fails).
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)

if [ "${#missing[@]}" -eq 0 ]; then
    echo "== examples: redis-server, chromium and chromedriver are installed"
elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== examples: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
else
    echo "== examples: missing ${missing[*]}; install with: apt-get install ${missing[*]}"
fi

if [ -x /usr/bin/chromium ]; then
    /usr/bin/chromium --version 2>/dev/null || true
fi
if [ -x /usr/bin/chromedriver ]; then
    /usr/bin/chromedriver --version 2>/dev/null || true
fi
