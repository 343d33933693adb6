#!/usr/bin/env bash
# reconfig.sh - reconfiguration cost of spp_vf under full load (issue 8).
#
# Usage: sudo bench/reconfig.sh [--doc] [reconfig.py options]
#   --doc            also write docs/performance-reconfig.md (method + this run)
#   --changes N      changes to apply, default 1000 (cycles of 10 commands)
#   --before S / --after S   seconds sampled before / after the changes, default 15
#   --warm S         seconds of traffic before sampling starts, default 3
#   --interval-ms MS sampling interval of the throughput, default 100
#   --pace-ms MS     pause after each cycle of 10 changes, default 0 (back to back)
#   --pps N          spp_pktgen rate, default 10^9 (unlimited: full load)
#   --fillers N      filler classifier entries preloaded, default 64 (0..4090)
#   --no-default     no `default` entry: frames without an entry are dropped on
#                    purpose; the check becomes missing frames == no_dest drops
#   --out DIR        default bench/results
# Environment: SPP_BUILD (default build/; set up with meson and brought up to
# date with ninja first), SPP_NO_BUILD=1 (use SPP_BUILD as it is).
#
# spp_primary (rings only, --no-pci), spp_vf (one worker lcore on CPU 1: a
# classifier ring:0 -> ring:1..4 and two forwards sharing ring:5 rx) and
# spp_pktgen (tests/tools, a secondary on CPU 0) pushing sequence-numbered
# frames as fast as it can and checking what comes out; bench/reconfig.py
# plays spp-ctl, applies the changes (classifier entries of live streams
# moved between tx rings, filler entries, tx port del/add, rx port moves
# between components) and samples the delivered rate every 100 ms. Details:
# the docstring of bench/reconfig.py and docs/performance-reconfig.md.
# Output: bench/results/reconfig-<stamp>.md (printed) and
# bench/results/reconfig-<stamp>/ (logs, changes.tsv with every command's
# latency, samples.tsv, spp_pktgen's JSON report, final status).
# Exit status: 0 target met (0 lost / dup / reordered / dropped); 1 spp lost,
# duplicated, reordered, misrouted or dropped a frame; 2 the harness failed.
# Takes ~1 min. Stops only the PIDs it started; removes the hugepage files
# and /var/run/dpdk/<prefix> it created.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD=${SPP_BUILD:-$REPO/build}
PY=/usr/bin/python3
NR_HUGE=${NR_HUGE:-1024}

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-0}"; }
ARGS=()
DOC=()
for a in "$@"; do
  case $a in
    -h|--help) usage 0 ;;
    --doc) DOC=(--doc "$REPO/docs/performance-reconfig.md") ;;
    *) ARGS+=("$a") ;;
  esac
done

[[ $(id -u) == 0 ]] || { echo "reconfig.sh: needs root (hugepages)" >&2; exit 2; }
(( $(nproc) >= 2 )) || { echo "reconfig.sh: needs 2 CPUs (worker on CPU 1)" >&2; exit 2; }

# Build (incremental; a no-op when up to date) so that the binaries match the
# tree that env.txt records; SPP_NO_BUILD=1 takes $BUILD as it is.
if [[ ${SPP_NO_BUILD:-0} != 1 ]]; then
  SPP_BUILD=$BUILD bash "$REPO/scripts/setup.sh" >&2   # packages, hugepages (fresh machine)
  [[ -d $BUILD ]] || meson setup "$BUILD" "$REPO" >&2
  ninja -C "$BUILD" >&2 || { echo "reconfig.sh: build failed" >&2; exit 2; }
fi

# 2 MiB hugepages: spp_primary takes -m 256.
if ! grep -q hugetlbfs /proc/mounts; then
  mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages
fi
free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
if (( free < 160 )); then
  total=$(cat /proc/sys/vm/nr_hugepages)
  (( total >= NR_HUGE )) || echo "$NR_HUGE" >/proc/sys/vm/nr_hugepages
  free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
  (( free >= 160 )) || { echo "reconfig.sh: only $free free hugepages (need 160)" >&2; exit 2; }
fi

exec "$PY" "$HERE/reconfig.py" --build "$BUILD" --cmdline "sudo bench/reconfig.sh${*:+ $*}" \
  ${DOC[@]+"${DOC[@]}"} ${ARGS[@]+"${ARGS[@]}"}
