#!/usr/bin/env bash
# Every test: the README's test command. Works on a fresh Debian machine with JDK 17 and Maven.
#
# 1. Installs what the tests need beyond JDK 17 and Maven, only when it is missing, with apt-get (as root, or
#    through sudo when that works without a password prompt):
#      redis-server               the tests start their own redis-server processes on free ports
#      openssl                    the TLS tests make their own certificate authority
#      nodejs, npm                the JavaScript client's test (WskitJsIT: Node with the npm package ws)
#      chromium, chromium-driver  the browser test of the examples (examples/cluster BrowserIT)
#    Without root or sudo it installs nothing, says what is missing, and the tests that need it fail, unless skipped.
# 2. Runs `mvn -B verify` with the arguments given, e.g.
#      ./test.sh -Dskip.browser=true     everything but the headless-Chromium test
#      ./test.sh -Dskip.servers=true     no test on WildFly, Payara or Open Liberty (and no browser test)
#      ./test.sh -Dinvoker.skip=true     the library only, no examples at all
# The app servers of the examples (~810 MB) come from Maven Central on the first run.
set -euo pipefail

cd "$(dirname "$0")"

skip_browser=false
skip_examples=false
for arg in "$@"; do
    case "$arg" in
        -Dskip.browser=true | -Dskip.servers=true) skip_browser=true ;;
        -Dinvoker.skip=true | -DskipTests | -DskipTests=true) skip_browser=true; skip_examples=true ;;
    esac
done

have() {
    command -v "$1" >/dev/null 2>&1
}

packages=()
have redis-server || [ -x /usr/bin/redis-server ] || [ -x /usr/local/bin/redis-server ] || packages+=(redis-server)
have openssl || packages+=(openssl)
# the JavaScript client's test (WskitJsIT) runs it under Node with the npm package ws
have node || packages+=(nodejs)
have npm || packages+=(npm)
if [ "$skip_browser" = false ]; then
    [ -x /usr/bin/chromium ] || packages+=(chromium)
    [ -x /usr/bin/chromedriver ] || packages+=(chromium-driver)
fi

if [ "${#packages[@]}" -gt 0 ]; then
    as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if have sudo && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        else
            as_root=(none)
        fi
    fi
    if [ "${as_root[*]}" != none ] && have apt-get; then
        echo "== test.sh: installing ${packages[*]} (apt-get install -y ${packages[*]})"
        "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
        "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"
    else
        echo "== test.sh: missing ${packages[*]} and no root, sudo or apt-get to install them:"
        echo "   install them with: apt-get install ${packages[*]}"
        echo "   or skip what needs them: -Dskip.browser=true (chromium), -Dinvoker.skip=true (all examples)"
    fi
fi

if [ "$skip_examples" = false ] && [ "$skip_browser" = false ]; then
    /usr/bin/chromium --version 2>/dev/null || true
fi

echo "== test.sh: mvn -B verify $*"
exec mvn -B verify "$@"
