#!/usr/bin/env bash
# Install, build and run the whole test suite: unit tests (cmocka, meson
# test) then system tests (pytest + scapy, real DPDK processes).
# Exit status 0 only if every test passed.
#   SPP_BUILD        build directory (default: <repo>/build)
#   PYTEST_ARGS      extra pytest arguments (e.g. "-k classifier")
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
export SPP_BUILD=${SPP_BUILD:-$REPO/build}

bash "$REPO/scripts/setup.sh"

echo "== unit tests"
meson test -C "$SPP_BUILD" --suite unit --print-errorlogs

echo "== system tests"
cd "$REPO"
# Debian's interpreter: pytest and scapy are Debian packages (python3-pytest,
# python3-scapy), invisible to another python3 that may come first on PATH.
# shellcheck disable=SC2086
/usr/bin/python3 -m pytest -v -p no:cacheprovider tests/system ${PYTEST_ARGS:-}
