#!/usr/bin/env bash
# run.sh - spp_vf and spp_mirror throughput against dpdk-testpmd io and
# OVS-DPDK, on one harness, in one command.
#
# Usage: sudo bench/run.sh [-r RUNS] [-d SECONDS] [-w WARMUP] [-s "scenario ..."]
#                          [-o OUTDIR] [-q SECONDS] [-x RETRY] [-b SECONDS]
#                          [-O] [-D] [-M] [-l] [-h]
#   -r RUNS      runs per (tool, scenario), default 3; the table shows the median
#   -d SECONDS   measurement window of each run, default 10
#   -w WARMUP    seconds between "DUT ready" and the window, default 3
#   -s SCEN      scenarios, default (issue 8's list) "fwd_k1 merge4_k1
#                classify_k1 classify_k16 classify_k256 classify_k4096
#                classify_bcast_k256 vlan_k4 vlan_k4096 mirror_shallow_k1
#                mirror_deep_k1 cls_mirror_k256"; also fwd_k4096
#                classify_k4 classify_k4096_fixedl3 classify_bcast_k{1,4,16}
#                vlan_k{1,16,256}
#                (mirror_* run spp_mirror, the others spp_vf; a mirror
#                scenario brings fwd_k1 along: its reference is spp_vf forward;
#                cls_mirror_k256 is measured for OVS only, see below)
#                vhost = vhost_rxonly vhost_loop: spp_vf vs OVS-DPDK through a
#                vhost-user port to a testpmd virtio_user guest; run.sh hands
#                these to bench/vhost.sh with the same options (not mixable
#                with the others in one invocation)
#   -o OUTDIR    default bench/results
#   -q SECONDS   before each run wait up to this long for CPU 1 to be idle
#                (<= 5 % busy over 1 s: no other tenant), default 90
#   -x RETRY     extra attempts of a run whose forwarding thread (spp/testpmd
#                lcore, OVS PMD) did not have CPU 1 to itself (another thread
#                took > 3 %), default 2; the disturbed attempt stays in
#                runs.tsv (clean=no), not in the median
#   -b SECONDS   time budget, default: the planned runs' estimate + 600 s;
#                waiting (-q) and repeating (-x) stop when the remaining
#                planned runs would no longer fit in it (the planned runs
#                themselves always run)
#   -O           no OVS-DPDK (quick runs: spp and testpmd only)
#   -D           also write the table and the plot to docs/
#                (docs/performance-results.md, docs/images/bench.svg)
#   -M           afterwards also measure the memory footprint (bench/memory.sh,
#                with -D if given)
#   -l           list the scenarios and exit
# Harness = peer-bench/dut_bench.sh (copied and extended here): 64-byte frames
# replayed from memory by a net_pcap infinite_rx source (ethdev 0), net_null
# no-rx sinks s1..s4 (ethdevs 1-4), dflt (5), mir (6), extra sources 7-9 for
# merge4_k1; one forwarding lcore on CPU 1, main lcore and everything else on
# CPU 0; rates read from outside through the DPDK telemetry socket
# (dpdk_rate.py, via measure.py which also records who had CPU 1 during the
# window); runs interleaved (run 1 of everything, then run 2, ...).
# Reference, in the same invocation: dpdk-testpmd io fwd on the same 7-port
# layout (fwd_k1 traffic, --port-topology=chained as peer-bench/run_all.sh).
# spp_vf runs in --standalone mode (DPDK primary: DPDK 22.11 ignores
# infinite_rx in a secondary), configured by sppctl_bench.py, a minimal spp-ctl.
# spp_mirror (mirror_shallow_k1, mirror_deep_k1) runs --standalone the same way:
# originals phy:0 -> phy:1 (s1), copies -> phy:6 (mir), fwd_k1 traffic.
# Peer, in the same invocation (unless -O): OVS-DPDK 3.1 (Debian
# openvswitch-switch-dpdk, apt-installed if missing), bench/ovs_bench.sh (a
# copy of peer-bench's) run once per (scenario, run) with -r 1 and the same -d
# and -w: a fresh ovsdb-server + ovs-vswitchd, PMD alone on CPU 1, same pcap
# source and sinks, rate from `ovs-ofctl dump-ports`. Its scenario is ours
# except: mirror_shallow_k1 and mirror_deep_k1 -> mirror_all_k1 (one OVS run
# serves both), cls_mirror_k256 -> mirror_all_classify_k256. cls_mirror_k256
# has no spp number: spp runs classifier and mirror as two processes (spp_vf,
# spp_mirror) joined by a ring; the infinite_rx source needs the polling
# process to be the DPDK primary (--standalone), and a standalone process
# admits no secondary (SPEC 2.2), so this harness cannot feed that pipeline.
# Targets (report.py): forward >= 0.95 x testpmd io, merge >= 0.90 x,
# classifier >= 0.85 x at every K and K=4096 >= 0.90 x our K=1, VLAN strip
# >= 0.80 x, mirror shallow >= 0.60 x spp_vf forward (fwd_k1, same
# invocation), every scenario >= 5 x OVS-DPDK.
# Output: OUTDIR/<stamp>.md (printed at the end), OUTDIR/<stamp>.svg (plot.py:
# Mpps per scenario, spp / testpmd / OVS, min-max whiskers) and OUTDIR/<stamp>/
# (runs.tsv, the exact command of every run, DUT logs, spp_vf status around each
# window, OVS runs' own TSV/logs in ovs/, thread pinning, environment). Exit
# status 1 if anything failed to run.
# Cleans up after itself: stops only the PIDs it started and removes the
# hugepage files and /var/run/dpdk/<prefix> of every run.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
REPO=$(cd "$HERE/.." && pwd)
PY=/usr/bin/python3
RUNS=3
DUR=10
WARM=3
SCEN="fwd_k1 merge4_k1 classify_k1 classify_k16 classify_k256 classify_k4096 \
classify_bcast_k256 vlan_k4 vlan_k4096 mirror_shallow_k1 mirror_deep_k1 cls_mirror_k256"
OUTDIR="$HERE/results"
BUILD=${SPP_BUILD:-$REPO/build}
TESTPMD=${TESTPMD:-dpdk-testpmd}
NR_HUGE=${NR_HUGE:-1024}
UP_TIMEOUT=${UP_TIMEOUT:-120}   # s for a DUT to be up and configured
MIN_SHARE=${MIN_SHARE:-0.97}    # clean run: forwarding thread had >= 97 % of CPU 1
MAX_OTHERS=${MAX_OTHERS:-0.03}  # ... and other threads < 3 % of CPU 1
RETRY=2                         # extra attempts for a disturbed run
QUIET_MAX=${QUIET_MAX:-90}      # s to wait for CPU 1 to be idle before a run
QUIET_BUSY=${QUIET_BUSY:-5}     # ... idle = at most this % busy over 1 s
BUDGET=""                       # s: waits and retries stop when they would exceed it
LEFT=0
OVS=1                           # -O: 0
DOCS=0                          # -D: 1
MEMORY=0                        # -M: 1
OVS_VSWITCHD=${OVS_VSWITCHD:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
OVS_SOCKET_MEM=${OVS_SOCKET_MEM:-1024}   # MiB, peer-bench's ovs_bench.sh default
ALL_SCEN="fwd_k1 fwd_k4096 classify_k1 classify_k4 classify_k16 classify_k256 classify_k4096 \
classify_k4096_fixedl3 classify_bcast_k1 classify_bcast_k4 classify_bcast_k16 \
classify_bcast_k256 vlan_k1 vlan_k4 vlan_k16 vlan_k256 vlan_k4096 merge4_k1 \
mirror_shallow_k1 mirror_deep_k1 cls_mirror_k256"
# Scenarios without an spp run (reason: report.py and the header above).
SPP_NONE="cls_mirror_k256"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-0}"; }
while getopts "r:d:w:s:o:x:q:b:ODMlh" o; do
  case $o in
    r) RUNS=$OPTARG ;; d) DUR=$OPTARG ;; w) WARM=$OPTARG ;; s) SCEN=$OPTARG ;; x) RETRY=$OPTARG ;; q) QUIET_MAX=$OPTARG ;; b) BUDGET=$OPTARG ;;
    O) OVS=0 ;; D) DOCS=1 ;; M) MEMORY=1 ;;
    o) OUTDIR=$OPTARG ;; l) echo "$ALL_SCEN vhost_rxonly vhost_loop" | tr ' ' '\n'; exit 0 ;; h) usage 0 ;;
    *) usage 1 ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: -r wants a positive integer" >&2; exit 1; }
[[ $DUR =~ ^[0-9]+(\.[0-9]+)?$ && $WARM =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
  { echo "run.sh: -d and -w want seconds" >&2; exit 1; }
# vhost scenarios (spp_vf vs OVS-DPDK with a virtio_user guest): bench/vhost.sh.
VHOST_SCEN="vhost vhost_rxonly vhost_loop"
nv=0
for s in $SCEN; do [[ " $VHOST_SCEN " == *" $s "* ]] && nv=$((nv + 1)); done
if ((nv > 0)); then
  (( nv == $(wc -w <<<"$SCEN") )) ||
    { echo "run.sh: run the vhost scenarios ($VHOST_SCEN) in an invocation of their own" >&2; exit 1; }
  ((OVS && !DOCS && !MEMORY)) ||
    { echo "run.sh: -O, -D and -M are not for the vhost scenarios" >&2; exit 1; }
  VHOST_INVOKED_AS=$0 exec "$HERE/vhost.sh" "$@"
fi
for s in $SCEN; do
  [[ " $ALL_SCEN " == *" $s "* ]] || { echo "run.sh: unknown scenario '$s' (-l lists them)" >&2; exit 1; }
done
# The mirror's reference is spp_vf forward measured in the same invocation.
if [[ " $SCEN " == *" mirror_"* && " $SCEN " != *" fwd_k1 "* ]]; then
  echo "run.sh: adding fwd_k1 (the reference of the mirror scenarios)" >&2
  SCEN="fwd_k1 $SCEN"
fi
[[ $(id -u) -eq 0 ]] || { echo "run.sh: run as root (sudo bench/run.sh): DPDK needs hugepages" >&2; exit 1; }
(( $(nproc --all) >= 2 )) || { echo "run.sh: needs 2 CPUs (main lcore on 0, forwarding on 1)" >&2; exit 1; }
# A fresh machine: packages (dpdk-testpmd, meson, ...), hugepages, the build.
# Idempotent and quick when everything is there.
SPP_BUILD=$BUILD bash "$REPO/scripts/setup.sh" >&2 || { echo "run.sh: scripts/setup.sh failed" >&2; exit 1; }
for t in "$TESTPMD" taskset meson ninja; do
  command -v "$t" >/dev/null || { echo "run.sh: '$t' not found (scripts/setup.sh installs it)" >&2; exit 1; }
done

log() { echo "run.sh: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

ovs_scenario() { # our scenario -> the OVS scenario compared with it (ovs_bench.sh's name)
  case $1 in
    mirror_shallow_k1|mirror_deep_k1) echo mirror_all_k1 ;;
    cls_mirror_k256) echo mirror_all_classify_k256 ;;
    *) echo "$1" ;;
  esac
}
if ((OVS)); then
  ensure_ovs || die "could not install openvswitch-switch-dpdk (-O runs without OVS)"
  command -v unshare >/dev/null || die "'unshare' not found (util-linux)"
fi
if [[ " $SCEN " == *" cls_mirror_k256 "* ]]; then
  log "cls_mirror_k256: OVS only; spp's classifier + mirror pipeline (spp_vf -> ring -> spp_mirror) cannot be fed by this harness (see report)"
fi

taskset -pc 0 $$ >/dev/null   # the harness, its sleeps and parsers: CPU 0
STAMP=$(date +%Y%m%d-%H%M%S)
RAW="$OUTDIR/$STAMP"
MD="$OUTDIR/$STAMP.md"
TSV="$RAW/runs.tsv"
CMDS="$RAW/commands.txt"
PINS="$RAW/pinning.txt"
TMP=$(mktemp -d /tmp/sppbench.XXXXXX)
PC=$TMP/pcap
BASE="sppb$$"
CUR_PID=""
CUR_PFX=""
CUR_CHILD=""
CUR_OVS=""   # the ovs_bench.sh of the current OVS run
mkdir -p "$RAW/logs" "$RAW/status"

# ---- stop / clean up (only what this script started) ----------------------
stop_dut() { # -> DUT_RC
  exec 3>&-   # (not `2>/dev/null`: on exec that would silence the rest of the script)
  DUT_RC=""
  if [[ -n "$CUR_PID" ]]; then
    local sig i
    for sig in INT TERM KILL; do
      kill -0 "$CUR_PID" 2>/dev/null || break
      kill -"$sig" "$CUR_PID" 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do kill -0 "$CUR_PID" 2>/dev/null || break; sleep 0.1; done
      [[ $sig == INT ]] || log "DUT pid $CUR_PID needed SIG$sig"
    done
    DUT_RC=0; wait "$CUR_PID" 2>/dev/null || DUT_RC=$?
  fi
  # spp_vf/spp_mirror is the wrapper's child: it dies with it (PR_SET_PDEATHSIG); make sure.
  if [[ -n "$CUR_CHILD" ]] && kill -0 "$CUR_CHILD" 2>/dev/null; then
    log "spp pid $CUR_CHILD outlived its wrapper; SIGKILL"
    kill -KILL "$CUR_CHILD" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$CUR_CHILD" 2>/dev/null || break; sleep 0.1; done
  fi
  CUR_PID=""; CUR_CHILD=""
  if [[ -n "$CUR_PFX" ]]; then
    rm -f /dev/hugepages/"${CUR_PFX}"map_* 2>/dev/null || true
    rm -rf "/var/run/dpdk/$CUR_PFX" 2>/dev/null || true
  fi
  CUR_PFX=""
}
stop_ovs_run() { # ovs_bench.sh stops its ovsdb-server and ovs-vswitchd on SIGTERM (its EXIT trap)
  [[ -n $CUR_OVS ]] || return 0
  local i
  if kill -0 "$CUR_OVS" 2>/dev/null; then
    kill -TERM "$CUR_OVS" 2>/dev/null || true
    for ((i = 0; i < 600; i++)); do kill -0 "$CUR_OVS" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$CUR_OVS" 2>/dev/null && { log "ovs_bench.sh pid $CUR_OVS needed SIGKILL"; kill -KILL "$CUR_OVS" 2>/dev/null || true; }
  fi
  wait "$CUR_OVS" 2>/dev/null || true
  CUR_OVS=""
}
cleanup() { stop_dut; stop_ovs_run; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build, environment ------------------------------------------------------
SPP_BUILT="$BUILD/src/vf/spp_vf"
MIR_BUILT="$BUILD/src/mirror/spp_mirror"
{
  [[ -f $BUILD/build.ninja ]] || meson setup "$BUILD" "$REPO"
  ninja -C "$BUILD"
} >"$RAW/build.log" 2>&1 || { tail -20 "$RAW/build.log" >&2; die "build failed (log: $RAW/build.log)"; }
[[ -x $SPP_BUILT ]] || die "$SPP_BUILT not built"
[[ " $SCEN " != *" mirror_"* || -x $MIR_BUILT ]] || die "$MIR_BUILT not built"
# Every run executes these snapshots, so a rebuild of build/ while the bench runs
# cannot mix two binaries in one table (both link libspp_common statically).
SPP_VF="$TMP/spp_vf"
cp "$SPP_BUILT" "$SPP_VF"
SPP_MIRROR="$TMP/spp_mirror"
[[ -x $MIR_BUILT ]] && cp "$MIR_BUILT" "$SPP_MIRROR"

cur=$(cat /proc/sys/vm/nr_hugepages)
if (( cur < NR_HUGE )); then echo "$NR_HUGE" >/proc/sys/vm/nr_hugepages; fi
mkdir -p /dev/hugepages
mountpoint -q /dev/hugepages || mount -t hugetlbfs nodev /dev/hugepages
"$PY" "$HERE/gen_pcap.py" --out-dir "$PC" >/dev/null

wait_quiet() { # before a run: wait until no other tenant uses CPU 1 (max QUIET_MAX s)
  local t0=$SECONDS b said=0 max=$QUIET_MAX sp
  sp=$(( $(spare) - EST ))
  ((sp < max)) && max=$((sp > 0 ? sp : 0))
  while :; do
    b=$(cpu_busy)
    [[ $b =~ cpu1=([0-9]+)% ]] && ((BASH_REMATCH[1] <= QUIET_BUSY)) && break
    if ((SECONDS - t0 >= max)); then
      log "warning: CPU 1 still busy after $((SECONDS - t0)) s ($b); running anyway"; break
    fi
    ((said)) || log "waiting for CPU 1 to be idle ($b; other processes use it)"
    said=1
  done
  QUIET_WAITED=0
  ((said)) && QUIET_WAITED=$((SECONDS - t0))
  return 0
}
{
  echo "stamp: $STAMP"
  echo "command: $0 $*"
  echo "options: runs=$RUNS duration=${DUR}s warmup=${WARM}s scenarios=$SCEN"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc --all)," \
       "family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs)" \
       "model $(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | xargs)," \
       "$(grep -m1 'cpu MHz' /proc/cpuinfo | cut -d: -f2 | xargs) MHz"
  echo "kernel: $(uname -r)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "dpdk: $(dpkg-query -W -f='${Version}' dpdk 2>/dev/null || echo '?')"
  echo "testpmd: $(command -v "$TESTPMD")"
  if ((OVS)); then
    echo "ovs: $("$OVS_VSWITCHD" --version | head -1) ($(dpkg-query -W -f='${Package} ${Version}' openvswitch-switch-dpdk 2>/dev/null)), dpdk-socket-mem $OVS_SOCKET_MEM MiB"
  else
    echo "ovs: not run (-O)"
  fi
  echo "spp: $(git -C "$REPO" log -1 --format='%h %s' 2>/dev/null || echo '?')"
  dirty=$(git -C "$REPO" status --porcelain --untracked-files=no -- src meson.build 2>/dev/null |
          awk '{print $2}' | xargs)
  if [[ -n $dirty ]]; then
    echo "working tree: uncommitted changes in $dirty (git diff HEAD sha256 $(git -C "$REPO" diff HEAD -- src meson.build | sha256sum | cut -c1-12))"
  else
    echo "working tree: src/ and meson.build as committed"
  fi
  echo "spp_vf: $SPP_BUILT built $(date -r "$SPP_BUILT" '+%F %T'), sha256 $(sha256sum <"$SPP_BUILT" | cut -c1-12); runs use a copy ($SPP_VF)"
  if [[ -x $SPP_MIRROR ]]; then
    echo "spp_mirror: $MIR_BUILT built $(date -r "$MIR_BUILT" '+%F %T'), sha256 $(sha256sum <"$MIR_BUILT" | cut -c1-12); runs use a copy ($SPP_MIRROR)"
  fi
  echo "hugepages: $(cat /proc/sys/vm/nr_hugepages) x 2 MiB, free $(awk '/HugePages_Free/ {print $2}' /proc/meminfo)"
  echo "cpu busy before the runs (other tenants): $(cpu_busy)"
} >"$RAW/env.txt"
cat "$RAW/env.txt"
printf "tool\tscenario\trun\trx_mpps\ttx_sum_mpps\ttx_by_port\tdrop_frac\tconfig_s\trc\tworker_share\tothers_cpu1\tcpu0_busy\tcpu1_steal\tclean\tquiet_wait_s\tdup_frac\tovs_cyc_per_pkt\tovs_path\n" >"$TSV"
: >"$CMDS"

# ---- scenarios (= peer-bench/dut_bench.sh) ---------------------------------------
scenario() { # -> PCAP K NSRC
  local s=$1
  NSRC=1
  case $s in
    fwd_k1|merge4_k1|mirror_shallow_k1|mirror_deep_k1) PCAP=macs1; K=1 ;;
    fwd_k4096) PCAP=macs4096; K=4096 ;;
    classify_k4096_fixedl3) PCAP=macs4096_fixedl3; K=4096 ;;
    classify_k*) K=${s#classify_k}; PCAP=macs$K ;;
    classify_bcast_k*) K=${s#classify_bcast_k}; PCAP=bcast_macs$K ;;
    vlan_k*) K=${s#vlan_k}; PCAP=vlan_macs$K ;;
    *) die "unknown scenario $s" ;;
  esac
  [[ $s == merge4_k1 ]] && NSRC=4
  [[ -f $PC/$PCAP.pcap ]] || die "missing $PC/$PCAP.pcap"
}

# Command templates ({EAL} etc. as in dut_bench.sh; {CTLPORT} is filled in by
# sppctl_bench.py with the port it listens on; {BIN} = spp_vf or spp_mirror,
# {APPX} = spp_mirror's --copy-mode).
TPL_TESTPMD="$TESTPMD {EAL} -- --forward-mode=io --port-topology=chained --nb-cores=1 \
--total-num-mbufs=65536 --auto-start"
TPL_SPP="$PY $HERE/sppctl_bench.py --scenario {SCEN} --macs {MACS} --ready-file {READY} \
--status-file {STATUS} -- {BIN} {EAL} -- --standalone -p {PMASK} -n 4 --client-id 1 \
-s 127.0.0.1:{CTLPORT}{APPX}"

spp_status() { # tmpfile dest: ask the wrapper for `status` (SIGUSR1), keep the reply
  rm -f "$1"
  kill -USR1 "$CUR_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do [[ -s $1 ]] && break; sleep 0.05; done
  if [[ -s $1 ]]; then mv "$1" "$2"; else log "warning: no status reply from spp ($2)"; fi
}

pinning() { # tool scen run pid
  {
    echo "# $1 $2 run $3: threads of pid $4: tid comm allowed-cpus last-cpu"
    local t
    for t in /proc/"$4"/task/*; do
      echo "${t##*/} $(cat "$t/comm") $(taskset -pc "${t##*/}" | awk '{print $NF}') $(awk '{print $39}' "$t/stat")"
    done
  } >>"$PINS" 2>/dev/null || true
}

run_ovs() { # ovs scenario run# attempt#: one ovs_bench.sh -r 1 (fresh OVS), one line in $TSV
  local s=$2 n=$3 tag="ovs_${2}_$3"
  (($4 > 0)) && tag+="_retry$4"
  local dir="$RAW/ovs/$tag" log="$RAW/logs/$tag.log" rc=0
  local cmd=("$HERE/ovs_bench.sh" -r 1 -d "$DUR" -w "$WARM" -s "$s" -o "$dir")
  echo "$tag: SOCKET_MEM=$OVS_SOCKET_MEM NR_HUGE=$NR_HUGE ${cmd[*]}" >>"$CMDS"
  wait_quiet
  local free_huge
  free_huge=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
  ((free_huge * 2 >= OVS_SOCKET_MEM)) ||
    die "OVS needs $OVS_SOCKET_MEM MiB of hugepages, $((free_huge * 2)) MiB free (OVS_SOCKET_MEM=... to change)"
  mkdir -p "$dir"
  # /usr/bin first: ovs_bench.sh calls `python3` around the window (a pyenv shim can take seconds)
  PATH=/usr/bin:/bin:$PATH SOCKET_MEM=$OVS_SOCKET_MEM NR_HUGE=$NR_HUGE OVS_VSWITCHD=$OVS_VSWITCHD \
    bash "${cmd[@]}" >"$log" 2>&1 </dev/null &
  CUR_OVS=$!
  wait "$CUR_OVS" || rc=$?
  CUR_OVS=""
  local tsv
  tsv=$(ls "$dir"/ovs_*.tsv 2>/dev/null | head -1)
  if ((rc != 0)) || [[ -z $tsv ]] || ! grep -q "^ovs"$'\t'"$s"$'\t' "$tsv"; then
    log "ovs_bench.sh failed for $s run $n (exit $rc); log tail ($log):"; tail -25 "$log" >&2
    [[ -f $dir/.last_ovs-vswitchd.log ]] && { log "ovs-vswitchd log tail:"; tail -15 "$dir/.last_ovs-vswitchd.log" >&2; }
    die "ovs $s run $n"
  fi
  "$PY" - "$tsv" "$s" "$n" "$rc" "$MIN_SHARE" "$MAX_OTHERS" "$QUIET_WAITED" <<'EOF' | tee -a "$TSV"
import sys
tsv, scen, run, rc = sys.argv[1:5]
MIN_SHARE, MAX_OTHERS, waited = float(sys.argv[5]), float(sys.argv[6]), sys.argv[7]
hdr, row = None, None
for ln in open(tsv):
    if ln.startswith("#"):
        continue
    f = ln.rstrip("\n").split("\t")
    if f[0] == "tool":
        hdr = f
    elif f[0] == "ovs" and f[1] == scen:
        row = dict(zip(hdr, f))
tx = [float(x) for x in row["tx_by_port"].split(",")]
share, others = float(row["pmd_share"]), float(row["others_cpu1"])
ok = "yes" if share >= MIN_SHARE and others <= MAX_OTHERS else "no"
print("ovs\t%s\t%s\t%.3f\t%.3f\t%s\t-\t-\t%s\t%.3f\t%.3f\t%s\t%s\t%s\t%s\t-\t%s\t%s" % (
    scen, run, float(row["meas_mpps"]), sum(tx), ",".join("%.3f" % v for v in tx), rc, share,
    others, row["cpu0_busy"], row["cpu1_steal"], ok, waited, row["cyc_per_pkt"], row["path"]))
EOF
  gzip -f -9 "$log" "$dir"/.last_ovs-vswitchd.log 2>/dev/null || true
}

run_one() { # tool scenario run# attempt#
  local tool=$1 s=$2 n=$3
  if [[ $tool == ovs ]]; then run_ovs "$@"; return; fi
  local pfx="${BASE}${tool:0:1}$n$RANDOM" tag="${tool}_${s}_$n"
  (($4 > 0)) && tag+="_retry$4"
  local log="$RAW/logs/$tag.log" fifo="$TMP/fifo.$tag" ready="$TMP/ready.$tag"
  local status="$TMP/status.$tag.json"
  scenario "$s"
  "$PY" "$HERE/gen_pcap.py" --print-macs "$K" >"$TMP/macs$K.txt"
  local eal="-l 0,1 --main-lcore 0 -n 1 --no-pci --file-prefix=$pfx"
  eal+=" --vdev net_pcap_src,rx_pcap=$PC/$PCAP.pcap,infinite_rx=1"
  local x
  for x in s1 s2 s3 s4 dflt mir; do eal+=" --vdev net_null_$x,no-rx=1"; done
  for ((x = 2; x <= NSRC; x++)); do eal+=" --vdev net_pcap_src$x,rx_pcap=$PC/$PCAP.pcap,infinite_rx=1"; done
  local cmd pmask=0x7f bin=$SPP_VF appx=""
  ((NSRC > 1)) && pmask=0x3ff
  if [[ $s == mirror_* ]]; then
    bin=$SPP_MIRROR; appx=" --copy-mode ${s#mirror_}"; appx=${appx%_k*}
  fi
  if [[ $tool == testpmd ]]; then cmd=$TPL_TESTPMD; else cmd=$TPL_SPP; fi
  cmd=${cmd//\{BIN\}/$bin}; cmd=${cmd//\{APPX\}/$appx}
  cmd=${cmd//\{EAL\}/$eal}; cmd=${cmd//\{SCEN\}/$s}; cmd=${cmd//\{MACS\}/$TMP/macs$K.txt}
  cmd=${cmd//\{READY\}/$ready}; cmd=${cmd//\{STATUS\}/$status}; cmd=${cmd//\{PMASK\}/$pmask}
  echo "$tag: taskset -c 0,1 $cmd" >>"$CMDS"

  wait_quiet
  mkfifo "$fifo"
  CUR_PFX=$pfx
  taskset -c 0,1 bash -c "exec $cmd" <"$fifo" >"$log" 2>&1 &
  CUR_PID=$!
  exec 3>"$fifo"
  # Up = telemetry socket present, spp: every command answered with success
  # (ready file), and frames flowing (source rx counter moving, via telemetry).
  local i up=0 t0=$SECONDS
  while ((SECONDS - t0 < UP_TIMEOUT)); do
    kill -0 "$CUR_PID" 2>/dev/null || break
    if [[ -S /var/run/dpdk/$pfx/dpdk_telemetry.v2 ]] && [[ $tool == testpmd || -s $ready ]] &&
       "$PY" "$HERE/dpdk_rate.py" --prefix "$pfx" --duration 0.2 --ports 0 --json 2>/dev/null |
         "$PY" -c 'import json,sys; sys.exit(json.load(sys.stdin)["ports"]["0"]["rx_mpps"] <= 0)'
    then
      up=1; break
    fi
    sleep 0.1
  done
  if ((up == 0)); then
    log "$tool did not come up for $s run $n (alive: $(kill -0 "$CUR_PID" 2>/dev/null && echo yes || echo no), $((SECONDS - t0)) s); command:"
    echo "  taskset -c 0,1 $cmd" >&2
    log "log tail ($log):"; tail -25 "$log" >&2
    stop_dut
    die "$tool $s run $n"
  fi
  local cfg="-"
  if [[ $tool == spp ]]; then
    CUR_CHILD=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["spp_vf_pid"])' "$ready")
    cfg=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["config_s"])' "$ready")
    grep -m1 "starting: " "$log" | sed "s/^.*starting: /$tag: ${bin##*/} command: /" >>"$CMDS"
  fi
  grep -q "# $tool $s " "$PINS" 2>/dev/null || pinning "$tool" "$s" "$n" "${CUR_CHILD:-$CUR_PID}"
  sleep "$WARM"
  local ports="0,1,2,3,4,5,6" js
  ((NSRC > 1)) && ports+=",7,8,9"
  [[ $tool == spp ]] && spp_status "$status" "$RAW/status/$tag.pre.json"
  if ! js=$("$PY" "$HERE/measure.py" --prefix "$pfx" --pid "${CUR_CHILD:-$CUR_PID}" \
             --duration "$DUR" --ports "$ports"); then
    log "log tail:"; tail -25 "$log" >&2; stop_dut; die "telemetry read failed for $tool $s run $n"
  fi
  if ! kill -0 "$CUR_PID" 2>/dev/null; then
    log "log tail:"; tail -25 "$log" >&2; stop_dut; die "$tool died during the window ($s run $n)"
  fi
  [[ $tool == spp ]] && spp_status "$status" "$RAW/status/$tag.post.json"
  stop_dut
  rm -f "$fifo"
  if [[ $tool == spp && $DUT_RC != 0 ]]; then
    log "log tail:"; tail -25 "$log" >&2; die "${bin##*/} wrapper exited with status $DUT_RC (want 0) after $s run $n"
  fi
  "$PY" - "$js" "$NSRC" "$tool" "$s" "$n" "$cfg" "${DUT_RC:-?}" "$RAW/status/$tag" \
      "$MIN_SHARE" "$MAX_OTHERS" "$QUIET_WAITED" <<'EOF' | tee -a "$TSV"
import json, os, sys
d = json.loads(sys.argv[1]); nsrc = int(sys.argv[2])
tool, scen, run, cfg, rc, status = sys.argv[3:9]
MIN_SHARE, MAX_OTHERS, waited = float(sys.argv[9]), float(sys.argv[10]), sys.argv[11]
p = d["ports"]
srcs = ["0"] + [str(5 + k) for k in range(2, nsrc + 1)]
rx = sum(p[x]["rx_mpps"] for x in srcs)
tx = [p[str(x)]["tx_mpps"] for x in range(1, 7)]
drop = dup = "-"
if tool == "spp":
    # component drops / component rx between the status taken right before
    # and right after the window (so drops while configuring do not count)
    def tot(path):
        core = json.load(open(path))["info"]["core"]
        st = [c["stats"] for c in core if "stats" in c]
        return (sum(x["rx_packets"] for x in st), sum(x["drop_packets"] for x in st),
                {k: sum(x["drops"][k] for x in st) for k in st[0]["drops"]} if st else {},
                sum(x.get("dup_packets", 0) for x in st))
    try:
        (r0, d0, w0, u0), (r1, d1, w1, u1) = tot(status + ".pre.json"), tot(status + ".post.json")
        drop = "%.2e" % ((d1 - d0) / (r1 - r0)) if r1 > r0 else "-"
        # mirror: packets duplicated / received (1 = every frame copied; a copy
        # that could not be made is also counted as a drop, reason nombuf)
        dup = "%.4f" % ((u1 - u0) / (r1 - r0)) if r1 > r0 and u1 > u0 else "-"
        why = ["%s=%d" % (k, w1[k] - w0.get(k, 0)) for k in w1 if w1[k] - w0.get(k, 0)]
        if why:
            drop += "(" + ",".join(why) + ")"
    except (OSError, KeyError, ValueError, TypeError, IndexError):
        drop = dup = "?"
c = d.get("cpu", {})
share = c.get("worker_share", -1); others = c.get("others_on_worker_cpu", -1)
ok = "yes" if share >= MIN_SHARE and others <= MAX_OTHERS else "no"
print("%s\t%s\t%s\t%.3f\t%.3f\t%s\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\t-\t-" % (
      tool, scen, run, rx, sum(tx), ",".join("%.3f" % v for v in tx), drop, cfg, rc,
      share, others, c.get("cpu0_busy", -1), c.get("cpu1_steal", -1), ok, waited, dup))
EOF
  gzip -f -9 "$log" "$RAW/status/$tag".*.json 2>/dev/null || true
}

# Items: testpmd (the reference), then per scenario spp and the OVS scenario
# compared with it (each OVS scenario once).
ITEMS="testpmd:fwd_k1"
NOVS=0
for s in $SCEN; do
  [[ " $SPP_NONE " == *" $s "* ]] || ITEMS+=" spp:$s"
  if ((OVS)); then
    o=$(ovs_scenario "$s")
    [[ " $ITEMS " == *" ovs:$o "* ]] || { ITEMS+=" ovs:$o"; NOVS=$((NOVS + 1)); }
  fi
done
NITEMS=$(wc -w <<<"$ITEMS")
# s per run, start, stop and the idle check included (measured): spp/testpmd
# ~5 s, OVS ~12 s (a fresh ovsdb-server + ovs-vswitchd with DPDK, bridge, pcaps)
EST_RUN=$(( ${DUR%.*} + ${WARM%.*} + (5 * (NITEMS - NOVS) + 12 * NOVS + NITEMS - 1) / NITEMS ))
[[ -n $BUDGET ]] || BUDGET=$(( RUNS * NITEMS * EST_RUN + 600 ))
[[ $BUDGET =~ ^[0-9]+$ ]] || die "-b wants seconds"
echo "planned: $((RUNS * NITEMS)) runs, ~$(( (RUNS * NITEMS * EST_RUN + 59) / 60 )) min; time budget for waits and repeats: $BUDGET s in all" >>"$RAW/env.txt"
echo "items: $ITEMS; $RUNS run(s) x ${DUR} s (+${WARM} s warm-up) each, interleaved;" \
  "~$(( (RUNS * NITEMS * EST_RUN + 59) / 60 )) min on an idle machine"
printf "tool\tscenario\trun\trx_mpps\ttx_sum_mpps\ttx_by_port(s1,s2,s3,s4,dflt,mir)\tdrop_frac\tconfig_s\trc\tworker_share\tothers_cpu1\tcpu0_busy\tcpu1_steal\tclean\tquiet_wait_s\tdup_frac\tovs_cyc_per_pkt\tovs_path\n"
# Time budget: waits and retries only while the planned runs still fit in it.
run_interleaved 14 "$EST_RUN"
{
  echo "cpu busy after the runs (other tenants): $(cpu_busy)"
  echo "elapsed: $SECONDS s"
} >>"$RAW/env.txt"

SVG="$OUTDIR/$STAMP.svg"
"$PY" "$HERE/plot.py" "$RAW" "$SVG" || die "plot.py failed"
"$PY" "$HERE/report.py" --plot "$STAMP.svg" "$RAW" >"$MD" || die "report.py failed"
cat "$MD"
echo
echo "table: $MD   plot: $SVG   raw: $RAW/"
if ((DOCS)); then
  mkdir -p "$REPO/docs/images"
  cp "$SVG" "$REPO/docs/images/bench.svg"
  "$PY" "$HERE/report.py" --plot images/bench.svg --docs "$RAW" >"$REPO/docs/performance-results.md" ||
    die "report.py --docs failed"
  echo "docs: $REPO/docs/performance-results.md, $REPO/docs/images/bench.svg"
fi
if ((MEMORY)); then
  mopt=(-o "$OUTDIR")
  ((DOCS)) && mopt+=(-D)
  "$HERE/memory.sh" "${mopt[@]}" || die "memory.sh failed"
fi
