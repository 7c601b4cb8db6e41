#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine (Java 17, Maven): installs the Debian packages the integration
# tests start, if they are missing, then runs `mvn verify`. `.ci/run` calls this script; so can you.
#   chromium  - headless browser of the live view test (itests/LiveViewBrowserIT)
#   mosquitto - Eclipse Mosquitto, the MQTT 5 broker of itests/UplinkMqtt5IT (started by the test on a free port)
#   python3-prometheus-client - the Prometheus text parser that reads the gateway's /metrics in itests/ConsoleIT
# Extra arguments go to Maven, e.g. ./test.sh -pl drivers/io.millwright.driver.modbus
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/sbin/mosquitto ] || [ -x /usr/bin/mosquitto ] || missing+=(mosquitto)
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || missing+=(python3-prometheus-client)
if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]} (Debian packages the integration tests need)"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            echo "test.sh: not root and no sudo: install ${missing[*]} (apt-get install -y ${missing[*]}), then run me again" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

exec mvn -B verify "$@"
