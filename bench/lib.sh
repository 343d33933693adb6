# lib.sh - pieces shared by bench/run.sh and bench/vhost.sh (sourced).
# shellcheck shell=bash
# The caller defines PY, log and run_one TOOL SCENARIO RUN TRY (which appends
# one line to $TSV), and sets RUNS, RETRY, BUDGET, TSV and ITEMS
# ("tool:scenario ..."); ensure_ovs needs OVS_VSWITCHD.

cpu_busy() { # per-CPU busy % over 1 s, from /proc/stat (what other tenants use)
  "$PY" - <<'PYEOF'
import time
def snap():
    out = {}
    for ln in open("/proc/stat"):
        f = ln.split()
        if f[0].startswith("cpu") and f[0] != "cpu":
            v = list(map(int, f[1:]))
            out[f[0]] = (sum(v), v[3] + v[4])
    return out
a = snap(); time.sleep(1); b = snap()
print(" ".join("%s=%.0f%%" % (c, 100.0 * (1 - (b[c][1] - a[c][1]) / max(1, b[c][0] - a[c][0])))
               for c in sorted(a)))
PYEOF
}

# ensure_ovs: install Debian's openvswitch-switch-dpdk (the OVS-DPDK peer)
# with apt-get if ovs-vsctl or OVS_VSWITCHD is missing; logs what it does.
ensure_ovs() {
  command -v ovs-vsctl >/dev/null && [[ -x $OVS_VSWITCHD ]] && return 0
  log "installing openvswitch-switch-dpdk (the OVS-DPDK peer) with apt-get"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends openvswitch-switch-dpdk; } >&2 || return 1
  command -v ovs-vsctl >/dev/null && [[ -x $OVS_VSWITCHD ]]
}

# Seconds of the BUDGET (bash SECONDS since the start) left once the
# planned first attempts not yet started (LEFT, EST s each) have run; the
# callers' wait_quiet uses it too.
spare() { echo $(( BUDGET - SECONDS - LEFT * EST )); }

# run_interleaved CLEAN_COLUMN SECONDS_PER_RUN: run 1 of every item, then
# run 2, ...; a run whose TSV line says clean=no (column CLEAN_COLUMN) is
# repeated up to RETRY times, but only while spare() leaves room for it.
# Sets the globals EST (s per run, starts and stops included) and LEFT.
run_interleaved() {
  local col=$1 run it try
  EST=$2
  LEFT=$((RUNS * $(wc -w <<<"$ITEMS")))
  for ((run = 1; run <= RUNS; run++)); do
    for it in $ITEMS; do
      LEFT=$((LEFT - 1))
      for ((try = 0; try <= RETRY; try++)); do
        run_one "${it%%:*}" "${it#*:}" "$run" "$try"
        [[ $(tail -1 "$TSV" | cut -f"$col") == yes ]] && break
        ((try < RETRY)) || break
        if (( $(spare) < EST )); then
          log "run $run of $it disturbed; no time left in the ${BUDGET} s budget to repeat it"
          break
        fi
        log "run $run of $it disturbed (see worker_share/others_cpu1); again"
      done
    done
  done
}
