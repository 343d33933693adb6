#!/usr/bin/env bash
# vhost.sh - spp_vf vs OVS-DPDK through a vhost-user port to a testpmd
# virtio_user "guest", in one invocation. Normally started as
# `sudo bench/run.sh -s vhost` (run.sh hands vhost scenarios to this script
# with the same options); `sudo bench/vhost.sh ...` is the same thing.
#
# Usage: sudo bench/vhost.sh [-r RUNS] [-d SECONDS] [-w WARMUP] [-s "scenario ..."]
#                            [-o OUTDIR] [-q SECONDS] [-x RETRY] [-b SECONDS] [-l] [-h]
#   -r RUNS      runs per (switch, scenario), default 3; the table shows the median
#   -d SECONDS   measurement window of each run, default 10
#   -w WARMUP    seconds between "guest receiving" and the window, default 3
#   -s SCEN      default "vhost_rxonly vhost_loop" (`vhost` = both):
#                vhost_rxonly  pcap source -> switch -> vhost -> guest rxonly;
#                              rate = frames/s the guest receives
#                vhost_loop    pcap source -> switch -> vhost -> guest io fwd
#                              back into the vhost port -> switch -> null sink;
#                              rate = frames/s that come back and reach the sink
#   -o OUTDIR    default bench/results
#   -q SECONDS   before each run wait up to this long for CPU 1 to be idle
#                (<= 5 % busy over 1 s) and CPU 0 nearly so (<= 25 %), default 90
#   -x RETRY     extra attempts of a disturbed run, default 2: the switch's
#                forwarding thread did not have CPU 1 to itself (< 97 %, or
#                others > 3 %) or the guest's lcore got < 85 % of CPU 0; the
#                disturbed attempt stays in runs.tsv (clean=no), not in the median
#   -b SECONDS   time budget for waits and repeats, default 900 (the 12 planned
#                runs take ~5 min; the rest is for waiting and repeating)
#   -l           list the scenarios and exit
# Switches, each run a fresh process, runs interleaved (run 1 of everything,
# then run 2, ...):
#   spp  spp_vf --standalone (DPDK primary, needed for net_pcap infinite_rx),
#        configured by sppctl_bench.py: `component start fwd 1 forward`,
#        `port add phy:0 rx fwd`, `port add vhost:0 tx fwd` (+ for vhost_loop
#        `component start back 1 forward`, `port add vhost:0 rx back`,
#        `port add phy:1 tx back`: both components on the one lcore of CPU 1);
#        vhost:0 in server mode (spp's default) on --vhost-sock-prefix.
#   ovs  OVS 3.1 userspace datapath (Debian openvswitch-switch-dpdk, started
#        per run as peer-bench/ovs_bench.sh does: own db/sockets, vswitchd in
#        `unshare -n`, PMD on CPU 1, all other threads on CPU 0): bridge with
#        src (net_pcap, ofport 1), vhu0 (type dpdkvhostuser: server mode, OVS
#        creates the socket; ofport 2), s1 (net_null, ofport 3); flows
#        in_port=1 -> 2 (+ in_port=2 -> 3 for vhost_loop). If OVS is missing
#        this script installs it with apt-get (openvswitch-switch-dpdk).
# Same source (64-byte frames, 4,096-frame pcap replayed from memory,
# infinite_rx), same guest for both: dpdk-testpmd --vdev
# net_virtio_user0,path=<socket> -m 256 --single-file-segments, its two
# lcores and its control threads on CPU 0 (taskset -c 0), rxonly or io fwd
# (--port-topology=loop). Rates are read from outside: the guest's telemetry
# socket (same for both switches), spp's telemetry (pcap rx, sink tx) and
# `status` (component drops and their reasons: tx_full = guest ring full,
# link_down), OVS's `ovs-ofctl dump-ports` (rx, tx, tx drop per port).
# Output: OUTDIR/<stamp>.md (printed) and OUTDIR/<stamp>/ (runs.tsv, commands,
# logs, spp status, OVS logs, thread pinning, env). Exit status 1 on failure.
# Stops only the PIDs it started; removes their hugepage files,
# /var/run/dpdk/<prefix> and sockets.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
REPO=$(cd "$HERE/.." && pwd)
PY=/usr/bin/python3
RUNS=3
DUR=10
WARM=3
SCEN="vhost_rxonly vhost_loop"
ALL_SCEN="vhost_rxonly vhost_loop"
OUTDIR="$HERE/results"
BUILD=${SPP_BUILD:-$REPO/build}
TESTPMD=${TESTPMD:-dpdk-testpmd}
NR_HUGE=${NR_HUGE:-2048}   # OVS socket-mem + guest + spp_vf, and other tenants
UP_TIMEOUT=${UP_TIMEOUT:-60}
MIN_SHARE=${MIN_SHARE:-0.97}
MAX_OTHERS=${MAX_OTHERS:-0.03}
RETRY=2
QUIET_MAX=${QUIET_MAX:-90}
QUIET_BUSY=${QUIET_BUSY:-5}     # idle CPU 1 = at most this % busy over 1 s
QUIET_BUSY0=${QUIET_BUSY0:-25}  # ... and CPU 0 (the guest's) at most this %
MIN_GUEST=${MIN_GUEST:-0.85}    # clean run: the guest's lcore had >= 85 % of CPU 0
BUDGET=900
OVS_VSWITCHD=${OVS_VSWITCHD:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
OVS_SOCKET_MEM=${OVS_SOCKET_MEM:-512}   # MiB; OVS sizes its mbuf pool to fit
GUEST_MEM=256

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-0}"; }
while getopts "r:d:w:s:o:x:q:b:lh" o; do
  case $o in
    r) RUNS=$OPTARG ;; d) DUR=$OPTARG ;; w) WARM=$OPTARG ;; s) SCEN=$OPTARG ;; x) RETRY=$OPTARG ;;
    q) QUIET_MAX=$OPTARG ;; b) BUDGET=$OPTARG ;; o) OUTDIR=$OPTARG ;;
    l) echo "$ALL_SCEN" | tr ' ' '\n'; exit 0 ;; h) usage 0 ;; *) usage 1 ;;
  esac
done
SCEN=$(for s in $SCEN; do [[ $s == vhost ]] && echo "$ALL_SCEN" || echo "$s"; done | xargs -n1 | awk '!seen[$0]++' | xargs)
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "vhost.sh: -r wants a positive integer" >&2; exit 1; }
[[ $DUR =~ ^[0-9]+(\.[0-9]+)?$ && $WARM =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
  { echo "vhost.sh: -d and -w want seconds" >&2; exit 1; }
for s in $SCEN; do
  [[ " $ALL_SCEN " == *" $s "* ]] || { echo "vhost.sh: unknown scenario '$s' (-l lists them)" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "vhost.sh: run as root (sudo bench/run.sh -s vhost)" >&2; exit 1; }
(( $(nproc --all) >= 2 )) || { echo "vhost.sh: needs 2 CPUs" >&2; exit 1; }
for t in "$TESTPMD" taskset meson ninja unshare; do
  command -v "$t" >/dev/null || { echo "vhost.sh: '$t' not found (scripts/setup.sh installs it)" >&2; exit 1; }
done

log() { echo "vhost.sh: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

ensure_ovs || die "could not install openvswitch-switch-dpdk"

taskset -pc 0 $$ >/dev/null   # the harness and all it starts: CPU 0 (unless told otherwise)
STAMP=$(date +%Y%m%d-%H%M%S)
RAW="$OUTDIR/$STAMP"
MD="$OUTDIR/$STAMP.md"
TSV="$RAW/runs.tsv"
CMDS="$RAW/commands.txt"
PINS="$RAW/pinning.txt"
TMP=$(mktemp -d /tmp/sppvhost.XXXXXX)
PC=$TMP/pcap
BASE="sppv$$"
mkdir -p "$RAW/logs" "$RAW/status"

# ---- processes of the current run (stopped by PID only) ----------------------
SW_PID=""; SW_CHILD=""; SW_PFX=""; G_PID=""; G_PFX=""; DB_PID=""; VS_PID=""; OVS_PFX=""
D=""   # OVS run directory of the current run
vsctl()  { timeout 60 ovs-vsctl --db="unix:$D/db.sock" --timeout=50 "$@"; }
appctl() { timeout 30 ovs-appctl -t "$D/vswitchd.ctl" "$@"; }
wait_gone() { # pid timeout_s
  local i
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}
kill_pid() { # pid: INT, TERM, KILL, each given up to 10 s
  local sig
  for sig in INT TERM KILL; do
    kill -0 "$1" 2>/dev/null || break
    kill -"$sig" "$1" 2>/dev/null || true
    wait_gone "$1" 10 && break
    log "pid $1 did not exit on SIG$sig"
  done
  wait "$1" 2>/dev/null || true
}
rm_prefix() {
  [[ -n $1 ]] || return 0
  rm -f /dev/hugepages/"$1"map_* 2>/dev/null || true
  rm -rf "/var/run/dpdk/$1" 2>/dev/null || true
}
stop_guest() {
  exec 4>&-   # EOF on the guest's stdin: testpmd stops its port and exits 0
  if [[ -n $G_PID ]]; then
    wait_gone "$G_PID" 10 || kill_pid "$G_PID"
    G_RC=0; wait "$G_PID" 2>/dev/null || G_RC=$?
  fi
  G_PID=""; rm_prefix "$G_PFX"; G_PFX=""
}
stop_spp() { # -> SPP_RC
  exec 3>&-
  SPP_RC=""
  if [[ -n $SW_PID ]]; then
    local i
    kill -INT "$SW_PID" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$SW_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SW_PID" 2>/dev/null && kill_pid "$SW_PID"
    SPP_RC=0; wait "$SW_PID" 2>/dev/null || SPP_RC=$?
  fi
  if [[ -n $SW_CHILD ]] && kill -0 "$SW_CHILD" 2>/dev/null; then
    log "spp_vf pid $SW_CHILD outlived its wrapper; SIGKILL"
    kill -KILL "$SW_CHILD" 2>/dev/null || true
    wait_gone "$SW_CHILD" 5 || true
  fi
  SW_PID=""; SW_CHILD=""; rm_prefix "$SW_PFX"; SW_PFX=""
}
stop_ovs() {
  if [[ -n $VS_PID ]] && kill -0 "$VS_PID" 2>/dev/null; then
    appctl exit --cleanup >/dev/null 2>&1 || true
    wait_gone "$VS_PID" 20 || kill_pid "$VS_PID"
  fi
  [[ -n $VS_PID ]] && { wait "$VS_PID" 2>/dev/null || true; }
  VS_PID=""
  if [[ -n $DB_PID ]] && kill -0 "$DB_PID" 2>/dev/null; then
    timeout 10 ovs-appctl -t "$D/ovsdb.ctl" exit >/dev/null 2>&1 || true
    wait_gone "$DB_PID" 10 || kill_pid "$DB_PID"
  fi
  [[ -n $DB_PID ]] && { wait "$DB_PID" 2>/dev/null || true; }
  DB_PID=""; rm_prefix "$OVS_PFX"; OVS_PFX=""
}
stop_all() { stop_guest; stop_spp; stop_ovs; }
cleanup() { stop_all; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build, environment ------------------------------------------------------
SPP_BUILT="$BUILD/src/vf/spp_vf"
{
  [[ -f $BUILD/build.ninja ]] || meson setup "$BUILD" "$REPO"
  ninja -C "$BUILD"
} >"$RAW/build.log" 2>&1 || { tail -20 "$RAW/build.log" >&2; die "build failed (log: $RAW/build.log)"; }
[[ -x $SPP_BUILT ]] || die "$SPP_BUILT not built"
SPP_VF="$TMP/spp_vf"       # a snapshot: a rebuild during the bench cannot mix binaries
cp "$SPP_BUILT" "$SPP_VF"

cur=$(cat /proc/sys/vm/nr_hugepages)
if (( cur < NR_HUGE )); then echo "$NR_HUGE" >/proc/sys/vm/nr_hugepages; fi
mkdir -p /dev/hugepages
mountpoint -q /dev/hugepages || mount -t hugetlbfs nodev /dev/hugepages
"$PY" "$HERE/gen_pcap.py" --out-dir "$PC" >/dev/null
PCAP=$PC/macs1.pcap

wait_quiet() { # before a run: wait until other tenants leave CPU 1 and most of CPU 0 (max QUIET_MAX s)
  local t0=$SECONDS b said=0 max=$QUIET_MAX sp
  sp=$(( $(spare) - EST ))
  ((sp < max)) && max=$((sp > 0 ? sp : 0))
  while :; do
    b=$(cpu_busy)
    [[ $b =~ cpu0=([0-9]+)%\ cpu1=([0-9]+)% ]] && ((BASH_REMATCH[2] <= QUIET_BUSY &&
      BASH_REMATCH[1] <= QUIET_BUSY0)) && break
    if ((SECONDS - t0 >= max)); then
      log "warning: CPUs still busy after $((SECONDS - t0)) s ($b); running anyway"; break
    fi
    ((said)) || log "waiting for CPU 1 (and CPU 0) to be idle ($b; other processes use them)"
    said=1
  done
  QUIET_WAITED=0
  ((said)) && QUIET_WAITED=$((SECONDS - t0))
  return 0
}
{
  echo "stamp: $STAMP"
  echo "command: ${VHOST_INVOKED_AS:-$0} $*"
  echo "options: runs=$RUNS duration=${DUR}s warmup=${WARM}s scenarios=$SCEN"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc --all)," \
       "family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs)" \
       "model $(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "kernel: $(uname -r)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "dpdk: $(dpkg-query -W -f='${Version}' dpdk 2>/dev/null || echo '?')"
  echo "ovs: $("$OVS_VSWITCHD" --version | head -1) ($(dpkg-query -W -f='${Package} ${Version}' openvswitch-switch-dpdk 2>/dev/null))"
  echo "testpmd: $(command -v "$TESTPMD")"
  echo "spp: $(git -C "$REPO" log -1 --format='%h %s' 2>/dev/null || echo '?')"
  dirty=$(git -C "$REPO" status --porcelain --untracked-files=no -- src meson.build 2>/dev/null |
          awk '{print $2}' | xargs)
  if [[ -n $dirty ]]; then
    echo "working tree: uncommitted changes in $dirty (git diff HEAD sha256 $(git -C "$REPO" diff HEAD -- src meson.build | sha256sum | cut -c1-12))"
  else
    echo "working tree: src/ and meson.build as committed"
  fi
  echo "spp_vf: $SPP_BUILT built $(date -r "$SPP_BUILT" '+%F %T'), sha256 $(sha256sum <"$SPP_BUILT" | cut -c1-12); runs use a copy"
  echo "hugepages: $(cat /proc/sys/vm/nr_hugepages) x 2 MiB, free $(awk '/HugePages_Free/ {print $2}' /proc/meminfo)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu busy before the runs (other tenants): $(cpu_busy)"
} >"$RAW/env.txt"
cat "$RAW/env.txt"
free_huge=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
(( free_huge * 2 >= OVS_SOCKET_MEM + GUEST_MEM + 128 )) ||
  die "only $free_huge free hugepages (2 MiB); need $(( (OVS_SOCKET_MEM + GUEST_MEM + 128) / 2 ))"
printf "switch\tscenario\trun\trate_mpps\tsource_rx_mpps\tvhost_tx_mpps\tguest_rx_mpps\tguest_tx_mpps\tback_mpps\tdrop_frac\tdrop_reasons\tworker_share\tothers_cpu1\tguest_share\tcpu0_busy\tcpu1_steal\tclean\tquiet_wait_s\n" >"$TSV"
: >"$CMDS"

# ---- pieces of a run ----------------------------------------------------------
spp_commands() { # scenario -> command file
  local f=$TMP/cmds.$1
  {
    echo "component start fwd 1 forward"
    echo "port add phy:0 rx fwd"
    echo "port add vhost:0 tx fwd"
    if [[ $1 == vhost_loop ]]; then
      echo "component start back 1 forward"
      echo "port add vhost:0 rx back"
      echo "port add phy:1 tx back"
    fi
  } >"$f"
  echo "$f"
}

start_spp() { # scenario tag -> SW_PID SW_CHILD SW_PFX SOCK
  local s=$1 tag=$2
  local pfx="${BASE}s$RANDOM" ready="$TMP/ready.$tag" fifo="$TMP/fifo.$tag"
  local cmdf; cmdf=$(spp_commands "$s")
  SOCK="$TMP/spp_vh0"
  local eal="-l 0,1 --main-lcore 0 -n 1 --no-pci --file-prefix=$pfx"
  eal+=" --vdev net_pcap_src,rx_pcap=$PCAP,infinite_rx=1 --vdev net_null_s1,no-rx=1"
  local cmd="$PY $HERE/sppctl_bench.py --commands $cmdf --process-type vf --ready-file $ready"
  cmd+=" --status-file $TMP/status.$tag.json -- $SPP_VF $eal -- --standalone -p 0x3 -n 4"
  cmd+=" --client-id 1 -s 127.0.0.1:{CTLPORT} --vhost-sock-prefix $TMP/spp_vh"
  { echo "$tag: taskset -c 0,1 $cmd"; sed "s/^/$tag:   spp command: /" "$cmdf"; } >>"$CMDS"
  mkfifo "$fifo"
  SW_PFX=$pfx
  taskset -c 0,1 bash -c "exec $cmd" <"$fifo" >"$RAW/logs/$tag.spp.log" 2>&1 &
  SW_PID=$!
  exec 3>"$fifo"
  local t0=$SECONDS
  while ((SECONDS - t0 < UP_TIMEOUT)); do
    kill -0 "$SW_PID" 2>/dev/null || break
    if [[ -s $ready && -S $SOCK ]]; then
      SW_CHILD=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["spp_vf_pid"])' "$ready")
      return 0
    fi
    sleep 0.1
  done
  log "spp_vf did not come up ($tag); log tail:"; tail -25 "$RAW/logs/$tag.spp.log" >&2
  return 1
}

spp_status() { # dest: `status` through the wrapper (SIGUSR1)
  local tmp="$TMP/status.$TAG.json" i
  rm -f "$tmp"
  kill -USR1 "$SW_PID" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do [[ -s $tmp ]] && break; sleep 0.05; done
  if [[ -s $tmp ]]; then mv "$tmp" "$1"; else log "warning: no status reply from spp ($1)"; fi
}

start_ovs() { # scenario tag -> VS_PID DB_PID SOCK (bridge up, flows installed)
  local s=$1 tag=$2 i
  D=$TMP/ovs.$tag
  OVS_PFX="${BASE}o$RANDOM"
  mkdir -p "$D"
  export OVS_RUNDIR=$D OVS_LOGDIR=$D OVS_DBDIR=$D OVS_SYSCONFDIR=$D
  ovsdb-tool create "$D/conf.db" "$OVS_SCHEMA"
  ovsdb-server "$D/conf.db" --remote="punix:$D/db.sock" --unixctl="$D/ovsdb.ctl" \
      --log-file="$D/ovsdb-server.log" >>"$D/ovsdb-server.out" 2>&1 &
  DB_PID=$!
  for ((i = 0; i < 100; i++)); do [[ -S $D/db.sock ]] && break; sleep 0.1; done
  vsctl --no-wait init
  vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
      other_config:dpdk-socket-mem="$OVS_SOCKET_MEM" other_config:dpdk-lcore-mask=0x1 \
      other_config:pmd-cpu-mask=0x2 \
      "other_config:dpdk-extra=--no-pci --file-prefix=$OVS_PFX -n 1"
  echo "$tag: ovs other_config: $(vsctl get Open_vSwitch . other_config)" >>"$CMDS"
  echo "$tag: unshare -n $OVS_VSWITCHD unix:$D/db.sock --unixctl=$D/vswitchd.ctl (CPU 0; PMD on CPU 1)" >>"$CMDS"
  unshare -n "$OVS_VSWITCHD" "unix:$D/db.sock" --unixctl="$D/vswitchd.ctl" \
      --log-file="$D/ovs-vswitchd.log" >>"$D/ovs-vswitchd.out" 2>&1 &
  VS_PID=$!
  for ((i = 0; i < 600; i++)); do
    grep -q "DPDK Enabled - initialized" "$D/ovs-vswitchd.log" 2>/dev/null && [[ -S $D/vswitchd.ctl ]] && break
    kill -0 "$VS_PID" 2>/dev/null || { log "ovs-vswitchd died"; tail -20 "$D/ovs-vswitchd.log" >&2; return 1; }
    sleep 0.1
  done
  vsctl --timeout=30 wait-until Open_vSwitch . dpdk_initialized=true
  local a=(add-br br0 -- set Bridge br0 datapath_type=netdev fail_mode=secure
    -- add-port br0 src -- set Interface src type=dpdk
       "options:dpdk-devargs=net_pcap_ovs_src,rx_pcap=$PCAP,infinite_rx=1" ofport_request=1
    -- add-port br0 vhu0 -- set Interface vhu0 type=dpdkvhostuser ofport_request=2
    -- add-port br0 s1 -- set Interface s1 type=dpdk
       "options:dpdk-devargs=net_null_ovs_s1,no-rx=1" ofport_request=3)
  echo "$tag: ovs-vsctl ${a[*]}" >>"$CMDS"
  vsctl "${a[@]}" >/dev/null
  local n err
  for n in src vhu0 s1; do
    err=$(vsctl get Interface "$n" error 2>/dev/null || true)
    [[ -z "$err" || "$err" == "[]" ]] || { log "ovs port $n error: $err"; return 1; }
  done
  {
    echo "priority=10,in_port=1,actions=output:2"
    [[ $s == vhost_loop ]] && echo "priority=10,in_port=2,actions=output:3"
  } >"$TMP/flows.$tag"
  sed "s/^/$tag:   ovs flow: /" "$TMP/flows.$tag" >>"$CMDS"
  timeout 60 ovs-ofctl del-flows br0
  timeout 60 ovs-ofctl add-flows br0 "$TMP/flows.$tag"
  # every thread but the PMD on CPU 0 (DPDK starts some on CPU 1)
  local t comm
  for t in /proc/"$VS_PID"/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    [[ $comm == pmd* ]] || taskset -pc 0 "${t##*/}" >/dev/null 2>&1 || true
  done
  SOCK=$D/vhu0
  for ((i = 0; i < 100; i++)); do [[ -S $SOCK ]] && return 0; sleep 0.1; done
  log "OVS did not create $SOCK"; return 1
}

start_guest() { # scenario tag -> G_PID G_PFX (guest receiving)
  local s=$1 tag=$2
  local fifo="$TMP/gfifo.$tag" mode="--forward-mode=rxonly"
  [[ $s == vhost_loop ]] && mode="--forward-mode=io --port-topology=loop"
  G_PFX="${BASE}g$RANDOM"
  local cmd="$TESTPMD --lcores 0@0,1@0 --no-pci --file-prefix $G_PFX -m $GUEST_MEM"
  cmd+=" --single-file-segments --log-level lib.eal:warning --vdev net_virtio_user0,path=$SOCK"
  cmd+=" -- $mode --auto-start --nb-cores=1 --total-num-mbufs=8192 --no-flush-rx"
  echo "$tag: guest: taskset -c 0 $cmd" >>"$CMDS"
  mkfifo "$fifo"
  taskset -c 0 bash -c "exec $cmd" <"$fifo" >"$RAW/logs/$tag.guest.log" 2>&1 &
  G_PID=$!
  exec 4>"$fifo"
  local t0=$SECONDS
  while ((SECONDS - t0 < UP_TIMEOUT)); do
    kill -0 "$G_PID" 2>/dev/null || break
    if [[ -S /var/run/dpdk/$G_PFX/dpdk_telemetry.v2 ]] &&
       "$PY" "$HERE/dpdk_rate.py" --prefix "$G_PFX" --duration 0.2 --ports 0 --json 2>/dev/null |
         "$PY" -c 'import json,sys; sys.exit(json.load(sys.stdin)["ports"]["0"]["rx_mpps"] <= 0)'
    then
      return 0
    fi
    sleep 0.2
  done
  log "guest did not receive ($tag, alive: $(kill -0 "$G_PID" 2>/dev/null && echo yes || echo no)); log tail:"
  tail -25 "$RAW/logs/$tag.guest.log" >&2
  return 1
}

pinning() { # tag pid...
  local p t
  for p in "${@:2}"; do
    echo "# $1: threads of pid $p ($(cat /proc/"$p"/comm 2>/dev/null)): tid comm allowed-cpus last-cpu"
    for t in /proc/"$p"/task/*; do
      echo "${t##*/} $(cat "$t/comm" 2>/dev/null) $(taskset -pc "${t##*/}" 2>/dev/null | awk '{print $NF}') $(awk '{print $39}' "$t/stat" 2>/dev/null)"
    done
  done >>"$PINS" 2>/dev/null || true
}

run_one() { # switch scenario run# attempt#
  local sw=$1 s=$2 n=$3 js
  TAG="${sw}_${s}_$n"
  (($4 > 0)) && TAG+="_retry$4"
  wait_quiet
  if [[ $sw == spp ]]; then
    start_spp "$s" "$TAG" || { stop_all; die "spp_vf $s run $n"; }
  else
    start_ovs "$s" "$TAG" || { cp "$D/ovs-vswitchd.log" "$RAW/logs/$TAG.ovs-vswitchd.log" 2>/dev/null; stop_all; die "ovs $s run $n"; }
  fi
  start_guest "$s" "$TAG" || { stop_all; die "guest with $sw $s run $n"; }
  local swpid=${SW_CHILD:-$VS_PID}
  grep -q "# ${sw}_${s}_" "$PINS" 2>/dev/null || pinning "$TAG" "$swpid" "$G_PID"
  sleep "$WARM"
  local mopt=(--dut-prefix "$SW_PFX" --dut-ports 0,1)
  [[ $sw == ovs ]] && mopt=(--ovs-dump "timeout 30 ovs-ofctl dump-ports br0")
  [[ $sw == spp ]] && spp_status "$RAW/status/$TAG.pre.json"
  if ! js=$("$PY" "$HERE/vhost_measure.py" --guest-prefix "$G_PFX" --guest-pid "$G_PID" \
            --switch-pid "$swpid" --duration "$DUR" "${mopt[@]}"); then
    stop_all; die "measurement failed for $sw $s run $n"
  fi
  echo "$TAG $js" >>"$RAW/windows.jsonl"
  kill -0 "$swpid" 2>/dev/null && kill -0 "$G_PID" 2>/dev/null || { stop_all; die "$sw or guest died ($s run $n)"; }
  [[ $sw == spp ]] && spp_status "$RAW/status/$TAG.post.json"
  if [[ $sw == ovs ]]; then
    { appctl dpif-netdev/pmd-stats-show; appctl dpif-netdev/pmd-rxq-show
      vsctl get Interface vhu0 statistics; timeout 30 ovs-ofctl dump-ports br0; } >"$RAW/logs/$TAG.ovs-stats.txt" 2>&1 || true
  fi
  stop_guest
  [[ ${G_RC:-0} == 0 ]] || log "warning: guest exited with status $G_RC ($TAG)"
  if [[ $sw == spp ]]; then
    stop_spp
    [[ $SPP_RC == 0 ]] || { tail -25 "$RAW/logs/$TAG.spp.log" >&2; die "spp_vf wrapper exited $SPP_RC ($TAG)"; }
  else
    cp "$D/ovs-vswitchd.log" "$RAW/logs/$TAG.ovs-vswitchd.log" 2>/dev/null || true
    stop_ovs
  fi
  "$PY" - "$js" "$sw" "$s" "$n" "$RAW/status/$TAG" "$MIN_SHARE" "$MAX_OTHERS" "$QUIET_WAITED" "$MIN_GUEST" <<'EOF' | tee -a "$TSV"
import json, sys
d = json.loads(sys.argv[1]); sw, scen, run, status = sys.argv[2:6]
MIN_SHARE, MAX_OTHERS, waited, MIN_GUEST = float(sys.argv[6]), float(sys.argv[7]), sys.argv[8], float(sys.argv[9])
g = d["guest"]["0"]; p = d["switch"]
loop = scen == "vhost_loop"
# drops = frames the switch took from the source that did not reach the guest, / source
# (same computation for both switches, over the telemetry window); reasons: spp's
# component `drops` between `status` right before and after the window
why = "-"
if sw == "spp":
    src, back = p["0"]["rx_mpps"], p["1"]["tx_mpps"]
    vtx = None
    try:
        def tot(path):
            js = json.load(open(path))["info"]
            st = [c["stats"] for c in js["core"] if "stats" in c]
            ps = {x["port"]: x for x in js.get("port_stats", [])}
            return ({k: sum(x["drops"][k] for x in st) for k in st[0]["drops"]},
                    ps.get("vhost:0", {}).get("tx_packets", 0),
                    ps.get("phy:0", {}).get("rx_packets", 0))
        (w0, v0, s0), (w1, v1, s1) = tot(status + ".pre.json"), tot(status + ".post.json")
        why = ",".join("%s=%.1f%%" % (k, 100.0 * (w1[k] - w0.get(k, 0)) / (s1 - s0))
                       for k in w1 if w1[k] - w0.get(k, 0)) or "-"
        # share of the source frames enqueued to the guest (status counters) x source rate
        vtx = src * (v1 - v0) / (s1 - s0)
    except (OSError, KeyError, ValueError, TypeError, IndexError, ZeroDivisionError):
        why = "?"
else:
    z = {"rx_mpps": 0.0, "tx_mpps": 0.0}
    src, back = p.get("1", z)["rx_mpps"], p.get("3", z)["tx_mpps"]
    vtx = None  # OVS 3.1 reports no packet counters for the vhost port in dump-ports
drop = "%.4f" % (1 - g["rx_mpps"] / src) if src > 0 else "-"
rate = back if loop else g["rx_mpps"]
c = d.get("cpu", {})
share = c.get("worker_share", -1); others = c.get("others_on_worker_cpu", -1)
gshare = c.get("guest_share", -1)
ok = "yes" if share >= MIN_SHARE and others <= MAX_OTHERS and gshare >= MIN_GUEST else "no"
print("%s\t%s\t%s\t%.3f\t%.3f\t%s\t%.3f\t%.3f\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s" % (
    sw, scen, run, rate, src, "%.3f" % vtx if vtx is not None else "-", g["rx_mpps"], g["tx_mpps"],
    "%.3f" % back if loop else "-", drop, why, share, others, c.get("guest_share", -1),
    c.get("cpu0_busy", -1), c.get("cpu1_steal", -1), ok, waited))
EOF
  gzip -f -9 "$RAW/logs/$TAG".* "$RAW/status/$TAG".*.json 2>/dev/null || true
}

ITEMS=""
for s in $SCEN; do ITEMS+=" spp:$s ovs:$s"; done
echo "items:$ITEMS; $RUNS run(s) x ${DUR} s (+${WARM} s warm-up) each, interleaved"
head -1 "$TSV"
run_interleaved 17 $(( ${DUR%.*} + ${WARM%.*} + 10 ))   # s per run, starts and stops included
{
  echo "cpu busy after the runs (other tenants): $(cpu_busy)"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "elapsed: $SECONDS s"
} >>"$RAW/env.txt"

"$PY" "$HERE/vhost_report.py" "$RAW" >"$MD"
cat "$MD"
echo
echo "table: $MD   raw: $RAW/"
