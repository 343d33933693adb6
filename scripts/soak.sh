#!/bin/sh
# Soak test (issue 9): forward, merge, classifier and mirror each receive
# 10^8 packets (net_null sources) while their configuration churns; RSS, fds,
# memzones, heap and mempool in-use must be flat from start to end, and the
# system tests' oracles (conservation, mbufs, log, exit codes, cores) hold.
#
#   scripts/soak.sh [--short] [--packets N] [--rounds N] [--report FILE] ...
#
# --short is the CI size (3x10^7 packets per type, ~2-3 min). Needs root,
# free 2 MB hugepages and a build (SPP_BUILD, default build/). Exit 0: flat.
set -eu
cd "$(dirname "$0")/.."
: "${SPP_BUILD:=$PWD/build}"
export SPP_BUILD
for b in src/primary/spp_primary src/vf/spp_vf src/mirror/spp_mirror; do
	[ -x "$SPP_BUILD/$b" ] || { echo "soak: $SPP_BUILD/$b not built (meson setup build && ninja -C build)" >&2; exit 1; }
done
exec /usr/bin/python3 tests/soak/soak.py "$@"
