#!/usr/bin/env python3
"""vhost_measure.py - one measurement window of the vhost benchmark (vhost.sh).

  vhost_measure.py --guest-prefix G [--guest-ports 0] --switch-pid PID
                   (--dut-prefix P --dut-ports 0,1 | --ovs-dump "CMD")
                   [--duration 10] [--worker-cpu 1] [--guest-pid PID]

Takes, right before and right after the window, the counters of
  * the guest (dpdk-testpmd with net_virtio_user0): its own DPDK telemetry
    socket /var/run/dpdk/G/dpdk_telemetry.v2 (dpdk_rate.py, as for any DPDK
    process), so spp and OVS are read the same way on the guest side;
  * the switch: spp_vf's telemetry (--dut-prefix: ethdevs; vhost:N is no
    ethdev, see vhost.sh) or OVS's `ovs-ofctl dump-ports br0` output
    (--ovs-dump: a shell command printing it), as peer-bench/ovs_bench.sh;
  * /proc: CPU time of the switch's forwarding thread (the thread of
    --switch-pid allowed on --worker-cpu only: spp's lcore, OVS's pmd) and of
    the guest's forwarding lcore (thread of --guest-pid named lcore-worker-*
    or rte-worker-*), busy share of every CPU.
Prints one JSON object: {"dt_s", "guest": {port: rates}, "switch": {port:
rates}, "cpu": {...}}; rates as dpdk_rate.py (rx_mpps, tx_mpps, ...), for OVS
ports rx_mpps, tx_mpps, rx_drop_per_s, tx_drop_per_s by OpenFlow port number.
Python 3 standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dpdk_rate  # noqa: E402
from measure import TICK, proc_stat, thread_ticks, worker_tid  # noqa: E402


def ovs_snapshot(cmd):
    t0 = time.monotonic()
    out = subprocess.run(cmd, shell=True, check=True, capture_output=True, text=True,
                         timeout=30).stdout
    t1 = time.monotonic()
    ports, cur = {}, None
    for ln in out.splitlines():
        # "port  2: rx pkts=N, bytes=N, drop=N, ..." / "tx pkts=N, ..." ("?" = not supported)
        m = re.match(r"\s*port\s+(\S+):\s+rx\s+(.*)", ln)
        if m:
            cur, way, rest = m.group(1).strip('"'), "rx", m.group(2)
            ports[cur] = {}
        else:
            m = re.match(r"\s*tx\s+(.*)", ln)
            if not m or cur is None:
                continue
            way, rest = "tx", m.group(1)
        for k, v in re.findall(r"(\w+)=(\d+|\?)", rest):
            if v != "?" and k in ("pkts", "drop"):
                ports[cur][way if k == "pkts" else way + "_drop"] = int(v)
    return (t0 + t1) / 2, ports


def ovs_rates(sa, sb, dt):
    out = {}
    for p in sb:
        if p not in sa:
            continue
        d = {k: sb[p].get(k, 0) - sa[p].get(k, 0) for k in ("rx", "tx", "rx_drop", "tx_drop")}
        out[p] = {"rx_mpps": round(d["rx"] / dt / 1e6, 3), "tx_mpps": round(d["tx"] / dt / 1e6, 3),
                  "rx_drop_per_s": round(d["rx_drop"] / dt, 1),
                  "tx_drop_per_s": round(d["tx_drop"] / dt, 1)}
    return out


def guest_worker(pid):
    for tid in sorted(os.listdir("/proc/%d/task" % pid), key=int):
        try:
            comm = open("/proc/%d/task/%s/comm" % (pid, tid)).read().strip()
        except OSError:
            continue
        if comm.startswith(("lcore-worker", "rte-worker")):
            return int(tid)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--guest-prefix", required=True)
    ap.add_argument("--guest-ports", default="0")
    ap.add_argument("--guest-pid", type=int)
    ap.add_argument("--dut-prefix")
    ap.add_argument("--dut-ports", default="0,1")
    ap.add_argument("--ovs-dump")
    ap.add_argument("--switch-pid", type=int, required=True)
    ap.add_argument("--runtime-dir", default="/var/run/dpdk")
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--worker-cpu", type=int, default=1)
    a = ap.parse_args()
    if bool(a.dut_prefix) == bool(a.ovs_dump):
        ap.error("give --dut-prefix or --ovs-dump")

    gports = [int(x) for x in a.guest_ports.split(",") if x != ""]
    gs, gmax = dpdk_rate.connect(os.path.join(a.runtime_dir, a.guest_prefix, "dpdk_telemetry.v2"))
    if a.dut_prefix:
        dports = [int(x) for x in a.dut_ports.split(",") if x != ""]
        ds, dmax = dpdk_rate.connect(os.path.join(a.runtime_dir, a.dut_prefix,
                                                  "dpdk_telemetry.v2"))

        def sw_snap():
            return dpdk_rate.snapshot(ds, dmax, dports)

        def sw_rates(sa, sb, dt):
            return dpdk_rate.port_rates(dports, sa, sb, dt)
    else:
        def sw_snap():
            return ovs_snapshot(a.ovs_dump)

        sw_rates = ovs_rates
    tid = worker_tid(a.switch_pid, a.worker_cpu)
    gtid = guest_worker(a.guest_pid) if a.guest_pid else None

    def ticks(pid, t):
        try:
            return thread_ticks(pid, t) if t else None
        except OSError:
            return None

    c0, w0, g0, t0 = proc_stat(), ticks(a.switch_pid, tid), ticks(a.guest_pid, gtid), \
        time.monotonic()
    gta, gsa = dpdk_rate.snapshot(gs, gmax, gports)
    sta, ssa = sw_snap()
    time.sleep(a.duration)
    gtb, gsb = dpdk_rate.snapshot(gs, gmax, gports)
    stb, ssb = sw_snap()
    c1, w1, g1, t1 = proc_stat(), ticks(a.switch_pid, tid), ticks(a.guest_pid, gtid), \
        time.monotonic()

    res = {"dt_s": round(gtb - gta, 4),
           "guest": dpdk_rate.port_rates(gports, gsa, gsb, gtb - gta),
           "switch": sw_rates(ssa, ssb, stb - sta), "cpu": {}}
    cpu = res["cpu"]
    wall = t1 - t0
    for c in sorted(c0):
        tot = max(1, c1[c][0] - c0[c][0])
        cpu[c + "_busy"] = round(1 - (c1[c][1] - c0[c][1]) / tot, 3)
        cpu[c + "_steal"] = round((c1[c][2] - c0[c][2]) / tot, 3)
    if w0 is not None and w1 is not None:
        share = (w1 - w0) / TICK / wall
        cpu["worker_tid"] = tid
        cpu["worker_share"] = round(share, 3)
        busy = cpu.get("cpu%d_busy" % a.worker_cpu)
        if busy is not None:
            cpu["others_on_worker_cpu"] = round(max(0.0, busy - share), 3)
    if g0 is not None and g1 is not None:
        cpu["guest_share"] = round((g1 - g0) / TICK / wall, 3)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
