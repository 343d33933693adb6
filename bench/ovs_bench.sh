#!/usr/bin/env bash
# Copied from the peer harness (../shared/peer-bench/ovs_bench.sh) so that
# bench/run.sh runs OVS-DPDK on the same harness in the same invocation; run.sh
# calls it once per (scenario, run): `ovs_bench.sh -r 1 -s SCEN -o DIR`.
# Changes from the peer-bench copy, nothing else:
#   1. the PMD thread's CPU time and /proc/stat are read right around the
#      window (cpu_snap, cpu_share): four more TSV columns, pmd_share (CPU
#      time of the pmd* thread(s) / window), others_cpu1 (CPU 1 busy minus
#      pmd_share), cpu0_busy, cpu1_steal, for run.sh's noise guard;
#   2. summarize.py is not copied: the Markdown summary is written only if it
#      is next to this script (bench/report.py makes run.sh's table).
# ovs_bench.sh - peer anchors with Open vSwitch 3.1 + DPDK 22.11 (userspace
# datapath, dpif-netdev) on DPDK vdevs: net_pcap (infinite_rx) as the source,
# net_null (no-rx=1) as sinks.
#
# Pinning (2-CPU machine): this script pins itself to CPU 0 first, so
# ovsdb-server, ovs-vswitchd and every ovs-* client it starts inherit CPU 0;
# other_config:pmd-cpu-mask=0x2 puts the single PMD thread on CPU 1 and
# dpdk-lcore-mask=0x1 keeps the DPDK main lcore on CPU 0. After each bridge
# set-up every non-PMD thread of ovs-vswitchd (incl. eal-intr-thread and
# telemetry, which DPDK starts on CPU 1) is re-pinned to CPU 0 with taskset.
# The PMD thread polls the pcap source itself, so the source cost (~12 ns/pkt
# measured by testpmd rxonly) is inside every OVS number.
#
# Per run: a fresh ovsdb-server + ovs-vswitchd (own db/sockets/logs in a temp
# dir, vswitchd in a private network namespace via `unshare -n` so the bridge's
# internal tap never shows up in the host). Per scenario: del-br/add-br with
# the same 7 ports (src + s1..s4 + dflt + mir; merge adds src2..src4),
# install flows, warm up, then rate = delta of `ovs-ofctl dump-ports` counters
# over DURATION seconds (these are read live from the DPDK ports; the DB
# statistics column is only refreshed every 5 s).
#
# Usage: ovs_bench.sh [-r RUNS] [-d DURATION] [-w WARMUP] [-o OUTDIR]
#                     [-s "scenario ..."] [-l] [-k]
#   -l list scenarios, -k keep the temp dir (logs) for debugging
# Output: OUTDIR/ovs_<stamp>.tsv + OUTDIR/ovs_<stamp>.md (default results/)
# Only kills PIDs it started; removes its temp dir, hugepage files with its
# own prefix (OVS 3.1 adds --in-memory, so normally none are created).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=3
DUR=10
WARM=5
OUTDIR="$PWD/peer-bench-results"
SCEN=""
KEEP=0
OVS_VSWITCHD=${OVS_VSWITCHD:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
SOCKET_MEM=${SOCKET_MEM:-1024}
NR_HUGE=${NR_HUGE:-1024}

ALL_SCEN="drop_k1 fwd_k1 fwd_k4096 classify_k1 classify_k4 classify_k16 classify_k256 \
classify_k4096 classify_k4096_fixedl3 classify_bcast_k256 mirror_all_k1 mirror_src_k1 mirror_all_classify_k256 \
vlan_k4 vlan_k4096 merge4_k1"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-0}"; }
while getopts "r:d:w:o:s:lkh" o; do
  case $o in
    r) RUNS=$OPTARG ;; d) DUR=$OPTARG ;; w) WARM=$OPTARG ;; o) OUTDIR=$OPTARG ;;
    s) SCEN=$OPTARG ;; k) KEEP=1 ;; l) echo "$ALL_SCEN" | tr ' ' '\n'; exit 0 ;;
    h) usage 0 ;; *) usage 1 ;;
  esac
done
SCEN=${SCEN:-$ALL_SCEN}

command -v ovs-vsctl >/dev/null && [[ -x $OVS_VSWITCHD ]] || {
  echo "need openvswitch-switch-dpdk (apt-get install openvswitch-switch-dpdk)" >&2; exit 1; }

taskset -pc 0 $$ >/dev/null          # harness + everything it spawns on CPU 0

STAMP=$(date +%Y%m%d-%H%M%S)
TMP=$(mktemp -d /tmp/steerbench-ovs.XXXXXX)
D=$TMP/ovs
PC=$TMP/pcap
PFX="sbovs$$"
export OVS_RUNDIR=$D OVS_LOGDIR=$D OVS_DBDIR=$D OVS_SYSCONFDIR=$D
DB_PID=""
VS_PID=""
NDEV=0
mkdir -p "$OUTDIR"
TSV="$OUTDIR/ovs_$STAMP.tsv"
MD="$OUTDIR/ovs_$STAMP.md"
PINLOG="$OUTDIR/ovs_${STAMP}_pinning.txt"

vsctl()  { timeout 60 ovs-vsctl --db="unix:$D/db.sock" --timeout=50 "$@"; }
ofctl()  { timeout 60 ovs-ofctl "$@"; }
appctl() { timeout 30 ovs-appctl -t "$D/vswitchd.ctl" "$@"; }

wait_pid_gone() { # pid timeout_s
  local i
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}

stop_ovs() {
  if [[ -n "$VS_PID" ]] && kill -0 "$VS_PID" 2>/dev/null; then
    appctl exit --cleanup >/dev/null 2>&1 || true
    if ! wait_pid_gone "$VS_PID" 20; then
      kill -TERM "$VS_PID" 2>/dev/null || true
      wait_pid_gone "$VS_PID" 5 || kill -KILL "$VS_PID" 2>/dev/null || true
    fi
  fi
  [[ -n "$VS_PID" ]] && { wait "$VS_PID" 2>/dev/null || true; }
  VS_PID=""
  if [[ -n "$DB_PID" ]] && kill -0 "$DB_PID" 2>/dev/null; then
    timeout 10 ovs-appctl -t "$D/ovsdb.ctl" exit >/dev/null 2>&1 || true
    if ! wait_pid_gone "$DB_PID" 10; then
      kill -TERM "$DB_PID" 2>/dev/null || true
      wait_pid_gone "$DB_PID" 5 || kill -KILL "$DB_PID" 2>/dev/null || true
    fi
  fi
  [[ -n "$DB_PID" ]] && { wait "$DB_PID" 2>/dev/null || true; }
  DB_PID=""
  rm -f /dev/hugepages/${PFX}map_* 2>/dev/null || true
  rm -rf "/var/run/dpdk/$PFX" 2>/dev/null || true
}

cleanup() {
  stop_ovs
  if (( KEEP )); then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_ovs() { # run#
  rm -rf "$D"; mkdir -p "$D"
  ovsdb-tool create "$D/conf.db" "$OVS_SCHEMA"
  ovsdb-server "$D/conf.db" --remote="punix:$D/db.sock" --unixctl="$D/ovsdb.ctl" \
      --log-file="$D/ovsdb-server.log" >>"$D/ovsdb-server.out" 2>&1 &
  DB_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do [[ -S $D/db.sock ]] && break; sleep 0.1; done
  vsctl --no-wait init
  vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
      other_config:dpdk-socket-mem="$SOCKET_MEM" other_config:dpdk-lcore-mask=0x1 \
      other_config:pmd-cpu-mask=0x2 \
      "other_config:dpdk-extra=--no-pci --file-prefix=$PFX -n 1"
  unshare -n "$OVS_VSWITCHD" "unix:$D/db.sock" --unixctl="$D/vswitchd.ctl" \
      --log-file="$D/ovs-vswitchd.log" >>"$D/ovs-vswitchd.out" 2>&1 &
  VS_PID=$!
  for ((i = 0; i < 600; i++)); do
    grep -q "DPDK Enabled - initialized" "$D/ovs-vswitchd.log" 2>/dev/null && [[ -S $D/vswitchd.ctl ]] && break
    kill -0 "$VS_PID" 2>/dev/null || { echo "ovs-vswitchd died" >&2; tail -20 "$D/ovs-vswitchd.log" >&2; return 1; }
    sleep 0.1
  done
  vsctl --timeout=30 wait-until Open_vSwitch . dpdk_initialized=true
}

pin_threads() { # -> prints "tid comm cpus" for every vswitchd thread
  local t tid comm
  for t in /proc/"$VS_PID"/task/*; do
    tid=${t##*/}; comm=$(cat "$t/comm" 2>/dev/null) || continue
    case $comm in
      pmd*) ;;                                   # OVS pinned it (pmd-cpu-mask)
      *) taskset -pc 0 "$tid" >/dev/null 2>&1 || true ;;
    esac
  done
  for t in /proc/"$VS_PID"/task/*; do
    tid=${t##*/}; comm=$(cat "$t/comm" 2>/dev/null) || continue
    echo "$tid $comm $(taskset -pc "$tid" 2>/dev/null | awk '{print $NF}')"
  done
}

# ---- scenarios ------------------------------------------------------------
# Ports: src=1 (pcap), s1..s4=2..5, dflt=6 (unknown MAC), mir=7 (mirror sink),
# merge only: src2..src4=8..10.
SINK_PORTS="2 3 4 5 6 7"

flows_classify() { # K vlan(0|1) bcast(0|1)
  local k=$1 vlan=$2 bc=$3
  python3 "$HERE/gen_pcap.py" --print-macs "$k" | awk -v vlan="$vlan" '
    { i = NR - 1; p = 2 + i % 4
      if (vlan) printf "priority=10,in_port=1,dl_vlan=%d,dl_dst=%s,actions=strip_vlan,output:%d\n", 100 + i % 4, $1, p
      else      printf "priority=10,in_port=1,dl_dst=%s,actions=output:%d\n", $1, p }'
  (( bc )) && echo "priority=20,in_port=1,dl_dst=ff:ff:ff:ff:ff:ff,actions=output:2,output:3,output:4,output:5"
  echo "priority=0,actions=output:6"
}

scenario() { # name -> PCAP, NSRC, FLOWS (file), MIRROR
  local s=$1 f=$TMP/flows.txt
  NSRC=1; MIRROR=""
  case $s in
    drop_k1)       PCAP=macs1;    echo "priority=10,in_port=1,actions=drop" >"$f" ;;
    fwd_k1)        PCAP=macs1;    echo "priority=10,in_port=1,actions=output:2" >"$f" ;;
    fwd_k4096)     PCAP=macs4096; echo "priority=10,in_port=1,actions=output:2" >"$f" ;;
    classify_k4096_fixedl3) PCAP=macs4096_fixedl3; flows_classify 4096 0 0 >"$f" ;;
    classify_k*)   PCAP=macs${s#classify_k}; flows_classify "${s#classify_k}" 0 0 >"$f" ;;
    classify_bcast_k*) PCAP=bcast_macs${s#classify_bcast_k}; flows_classify "${s#classify_bcast_k}" 0 1 >"$f" ;;
    mirror_all_k1) PCAP=macs1; MIRROR=all; echo "priority=10,in_port=1,actions=output:2" >"$f" ;;
    mirror_src_k1) PCAP=macs1; MIRROR=src; echo "priority=10,in_port=1,actions=output:2" >"$f" ;;
    mirror_all_classify_k256) PCAP=macs256; MIRROR=all; flows_classify 256 0 0 >"$f" ;;
    vlan_k*)       PCAP=vlan_macs${s#vlan_k}; flows_classify "${s#vlan_k}" 1 0 >"$f" ;;
    merge4_k1)     PCAP=macs1; NSRC=4
                   { echo "priority=10,in_port=1,actions=output:2"
                     for p in 8 9 10; do echo "priority=10,in_port=$p,actions=output:2"; done; } >"$f" ;;
    *) echo "unknown scenario $s" >&2; return 1 ;;
  esac
  FLOWS=$f
  [[ -f $PC/$PCAP.pcap ]] || { echo "missing pcap $PCAP" >&2; return 1; }
}

setup_bridge() {
  # One ovsdb transaction creates bridge, sinks, source(s) and the Mirror;
  # OpenFlow rules are installed afterwards. The flow-mods make the
  # revalidators re-translate every datapath flow, mirror included. (Adding a
  # Mirror after the rules did NOT update an already installed datapath flow
  # in OVS 3.1.0 in our tests, and deleting dp flows by hand with
  # dpctl/del-flows leaves stale ukeys -> "ukey installation fails" and every
  # packet goes to the slow path. Don't do either.)
  NDEV=$((NDEV + 1))
  vsctl --if-exists del-br br0
  local a=(add-br br0 -- set Bridge br0 datapath_type=netdev fail_mode=secure)
  local n i
  i=1
  for n in s1 s2 s3 s4 dflt mir; do
    i=$((i + 1))
    a+=(-- add-port br0 "$n" -- set Interface "$n" type=dpdk
        "options:dpdk-devargs=net_null_${n}_${NDEV},no-rx=1" ofport_request=$i)
  done
  a+=(-- add-port br0 src -- set Interface src type=dpdk
      "options:dpdk-devargs=net_pcap_s${NDEV}_1,rx_pcap=$PC/$PCAP.pcap,infinite_rx=1" ofport_request=1)
  for ((n = 2; n <= NSRC; n++)); do
    a+=(-- add-port br0 "src$n" -- set Interface "src$n" type=dpdk
        "options:dpdk-devargs=net_pcap_s${NDEV}_$n,rx_pcap=$PC/$PCAP.pcap,infinite_rx=1"
        ofport_request=$((6 + n)))
  done
  case $MIRROR in
    all) a+=(-- --id=@pm get Port mir
             -- --id=@m create Mirror name=m0 select_all=true output_port=@pm
             -- set Bridge br0 mirrors=@m) ;;
    src) a+=(-- --id=@pm get Port mir -- --id=@ps get Port src
             -- --id=@m create Mirror name=m0 select_src_port=@ps output_port=@pm
             -- set Bridge br0 mirrors=@m) ;;
  esac
  vsctl "${a[@]}" >/dev/null
  local err
  for n in src s1 s2 s3 s4 dflt mir $(for ((i = 2; i <= NSRC; i++)); do echo "src$i"; done); do
    err=$(vsctl get Interface "$n" error 2>/dev/null || true)
    [[ -z "$err" || "$err" == "[]" ]] || { echo "port $n error: $err" >&2; return 1; }
  done
  ofctl del-flows br0
  ofctl add-flows br0 "$FLOWS"
}

snap() { # file: "<t_mono>" then dump-ports output
  python3 -c 'import time; print(time.monotonic())' >"$1"
  ofctl dump-ports br0 >>"$1"
  python3 -c 'import time; print(time.monotonic())' >>"$1"
}

cpu_snap() { # file: wall time, utime+stime ticks of the pmd thread(s), /proc/stat (bench/ change 1)
  local t ticks=0 f
  {
    date +%s.%N
    for t in /proc/"$VS_PID"/task/*; do
      [[ $(cat "$t/comm" 2>/dev/null) == pmd* ]] || continue
      read -r -a f < <(cut -d')' -f2- "$t/stat")
      ticks=$((ticks + f[11] + f[12]))
    done
    echo "$ticks"
    grep '^cpu[0-9]' /proc/stat
  } >"$1"
}

cpu_share() { # snapA snapB -> "pmd_share others_cpu1 cpu0_busy cpu1_steal" (bench/ change 1)
  python3 - "$1" "$2" "$(getconf CLK_TCK)" <<'EOF'
import sys
def load(p):
    ln = open(p).read().splitlines()
    cpus = {}
    for l in ln[2:]:
        f = l.split(); v = list(map(int, f[1:9]))
        cpus[f[0]] = (sum(v), v[3] + v[4], v[7])
    return float(ln[0]), int(ln[1]), cpus
(ta, pa, ca), (tb, pb, cb) = load(sys.argv[1]), load(sys.argv[2])
share = (pb - pa) / float(sys.argv[3]) / (tb - ta)
def busy(c):
    tot = max(1, cb[c][0] - ca[c][0])
    return 1 - (cb[c][1] - ca[c][1]) / tot, (cb[c][2] - ca[c][2]) / tot
b0, _ = busy("cpu0"); b1, st1 = busy("cpu1")
print("%.3f %.3f %.3f %.3f" % (share, max(0.0, b1 - share), b0, st1))
EOF
}

rates() { # snapA snapB pmdstats nsrc -> "rx tx_sum tx_list cyc path"
  python3 - "$@" "$SINK_PORTS" <<'EOF'
import re, sys
a, b, pmd, nsrc, sinks = sys.argv[1:6]
def load(p):
    lines = open(p).read().splitlines()
    t = (float(lines[0]) + float(lines[-1])) / 2
    rx, tx, cur = {}, {}, None
    for l in lines[1:-1]:
        m = re.match(r"\s*port\s+(\S+):\s+rx pkts=(\d+)", l)
        if m:
            cur = m.group(1); rx[cur] = int(m.group(2)); continue
        m = re.match(r"\s*tx pkts=(\d+)", l)
        if m and cur is not None:
            tx[cur] = int(m.group(1))
    return t, rx, tx
ta, rxa, txa = load(a); tb, rxb, txb = load(b)
dt = tb - ta
srcs = ["1"] + [str(6 + n) for n in range(2, int(nsrc) + 1)]
rx = sum(rxb[p] - rxa[p] for p in srcs) / dt / 1e6
txl = [(txb.get(p, 0) - txa.get(p, 0)) / dt / 1e6 for p in sinks.split()]
s = open(pmd).read()
m = re.search(r"avg processing cycles per packet: ([\d.]+)", s)
cyc = m.group(1) if m else "-"
def g(name):
    m = re.search(r"%s: (\d+)" % name, s); return int(m.group(1)) if m else 0
tot = g("packets received") or 1
parts = []
for k, lab in (("simple match hits", "simple"), ("emc hits", "emc"), ("smc hits", "smc"),
               ("megaflow hits", "mf"), ("miss with success upcall", "upcall")):
    v = g(k)
    if v:
        parts.append("%s:%.0f%%" % (lab, 100.0 * v / tot))
print("%.3f %.3f %s %s %s" % (rx, sum(txl), ",".join("%.3f" % x for x in txl), cyc,
                              "/".join(parts) or "-"))
EOF
}

# ---- main ---------------------------------------------------------------
cur=$(cat /proc/sys/vm/nr_hugepages)
if (( cur < NR_HUGE )); then echo "$NR_HUGE" > /proc/sys/vm/nr_hugepages; fi
mkdir -p /dev/hugepages
mountpoint -q /dev/hugepages || mount -t hugetlbfs nodev /dev/hugepages
python3 "$HERE/gen_pcap.py" --out-dir "$PC" >/dev/null

{
  echo "# ovs bench $STAMP runs=$RUNS duration=${DUR}s warmup=${WARM}s socket-mem=$SOCKET_MEM"
  echo "# $(uname -r) | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) | nproc=$(nproc --all)"
  echo "# $("$OVS_VSWITCHD" --version | head -1) | $(dpkg-query -W -f='${Package} ${Version}; ' openvswitch-switch-dpdk dpdk)"
  echo "# tx_by_port order: s1(2),s2(3),s3(4),s4(5),dflt(6),mir(7); rx = sum over source ports"
  printf "tool\tscenario\trun\tmeas_mpps\ttx_sum_mpps\ttx_by_port\tcyc_per_pkt\tpath\tpmd_share\tothers_cpu1\tcpu0_busy\tcpu1_steal\n"
} >"$TSV"
cat "$TSV"

for ((run = 1; run <= RUNS; run++)); do
  start_ovs "$run"
  for s in $SCEN; do
    scenario "$s"
    setup_bridge
    pin_threads >"$TMP/pin.txt"
    if [[ $run -eq 1 && $s == "${SCEN%% *}" ]]; then
      { echo "# run $run, after bridge setup of $s: ovs-vswitchd threads: tid comm allowed-cpus"
        cat "$TMP/pin.txt"
        echo "# ovsdb-server $DB_PID: $(taskset -pc "$DB_PID" | awk '{print $NF}')"
        echo "# harness shell $$: $(taskset -pc $$ | awk '{print $NF}')"
        vsctl get Open_vSwitch . other_config
        appctl dpif-netdev/pmd-rxq-show; } >"$PINLOG"
    fi
    sleep "$WARM"
    appctl dpif-netdev/pmd-stats-clear >/dev/null
    cpu_snap "$TMP/ca"
    snap "$TMP/a"
    sleep "$DUR"
    snap "$TMP/b"
    cpu_snap "$TMP/cb"
    appctl dpif-netdev/pmd-stats-show >"$TMP/pmd.txt"
    read -r rx txs txl cyc path < <(rates "$TMP/a" "$TMP/b" "$TMP/pmd.txt" "$NSRC")
    read -r pshare oth1 busy0 steal1 < <(cpu_share "$TMP/ca" "$TMP/cb")
    printf "ovs\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$s" "$run" "$rx" "$txs" "$txl" "$cyc" "$path" \
      "$pshare" "$oth1" "$busy0" "$steal1" | tee -a "$TSV"
    if [[ $run -eq 1 ]]; then
      appctl dpctl/dump-flows >"$TMP/dpf.txt" 2>&1 || true
      { echo "## $s ($(grep -c 'actions:' "$TMP/dpf.txt") datapath flows; first 6)"
        grep 'actions:' "$TMP/dpf.txt" | head -6 || true; } >>"$OUTDIR/ovs_${STAMP}_dpflows.txt"
    fi
  done
  cp "$D/ovs-vswitchd.log" "$OUTDIR/.last_ovs-vswitchd.log" 2>/dev/null || true
  stop_ovs
done

if [[ -f $HERE/summarize.py ]]; then   # (bench/ change 2)
  python3 "$HERE/summarize.py" "$TSV" >"$MD"
  cat "$MD"
  echo "raw: $TSV   table: $MD   pinning: $PINLOG"
else
  echo "raw: $TSV   pinning: $PINLOG"
fi
