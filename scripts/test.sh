#!/usr/bin/env bash
# Install, build and run the whole test suite: unit tests (cmocka, meson
# test) then system tests (pytest + scapy, real DPDK processes).
# Exit status 0 only if every test passed.
#   --sanitize       build into build-san with AddressSanitizer + UBSan
#                    (-Db_sanitize=address,undefined) and run everything
#                    there: any leak, UB or memory error fails its test
#   SPP_BUILD        build directory (default: <repo>/build, or build-san)
#   PYTEST_ARGS      extra pytest arguments (e.g. "-k classifier")
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
if [[ ${1:-} == --sanitize ]]; then
	export SPP_BUILD=${SPP_BUILD:-$REPO/build-san}
	export SPP_MESON_OPTS="-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized"
	# A leak makes the process exit 23 and a UB report aborts it: the
	# fixtures check every exit code. Suppressions: third-party code only.
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export LSAN_OPTIONS=suppressions=$REPO/tests/sanitizers/lsan.supp:print_suppressions=0
fi
export SPP_BUILD=${SPP_BUILD:-$REPO/build}

bash "$REPO/scripts/setup.sh"

echo "== unit tests"
meson test -C "$SPP_BUILD" --suite unit --print-errorlogs

echo "== system tests"
cd "$REPO"
# Debian's interpreter: pytest and scapy are Debian packages (python3-pytest,
# python3-scapy), invisible to another python3 that may come first on PATH.
# Every test must run here (setup.sh installed everything): a skip fails.
# shellcheck disable=SC2086
SPP_FAIL_ON_SKIP=${SPP_FAIL_ON_SKIP:-1} \
	/usr/bin/python3 -m pytest -v -rs -p no:cacheprovider tests/system ${PYTEST_ARGS:-}
