#!/usr/bin/env python3
"""measure.py - one measurement window: per-port rates (dpdk_rate.py, DPDK
telemetry) plus who had the CPUs during the window.

  measure.py --prefix PFX --pid PID [--duration 10] [--ports 0,1,...]
             [--worker-cpu 1]

Prints one JSON object: dpdk_rate.py's {"dt_s", "ports"} and "cpu":
  worker_share   CPU time of the DUT's forwarding thread (the thread of PID
                 pinned to --worker-cpu alone) / window wall time; a busy-polling
                 lcore should be at ~1.00, less means it was preempted
  cpu<N>_busy    busy share of each CPU over the window (/proc/stat)
  cpu<N>_steal   steal share (time the hypervisor ran something else), if reported
  others_on_worker_cpu  busy share of the worker CPU minus the worker's own
The window is the telemetry one; /proc is read right around it.
Python 3 standard library only.
"""
import argparse
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dpdk_rate  # noqa: E402  (the copied peer-bench reader)

TICK = os.sysconf("SC_CLK_TCK")


def proc_stat():
    out = {}
    with open("/proc/stat") as fh:
        for ln in fh:
            f = ln.split()
            if f[0].startswith("cpu") and f[0] != "cpu":
                v = list(map(int, f[1:]))
                idle = v[3] + v[4]
                steal = v[7] if len(v) > 7 else 0
                out[f[0]] = (sum(v[:8]), idle, steal)
    return out


def worker_tid(pid, cpu):
    for tid in sorted(os.listdir("/proc/%d/task" % pid), key=int):
        try:
            if os.sched_getaffinity(int(tid)) == {cpu}:
                return int(tid)
        except OSError:
            continue
    return None


def thread_ticks(pid, tid):
    with open("/proc/%d/task/%d/stat" % (pid, tid)) as fh:
        f = fh.read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])  # utime + stime (fields 14, 15)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--pid", type=int, required=True, help="the DPDK process")
    ap.add_argument("--runtime-dir", default="/var/run/dpdk")
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--ports", required=True)
    ap.add_argument("--worker-cpu", type=int, default=1)
    a = ap.parse_args()

    ports = [int(x) for x in a.ports.split(",") if x != ""]
    s, maxlen = dpdk_rate.connect(os.path.join(a.runtime_dir, a.prefix, "dpdk_telemetry.v2"))
    tid = worker_tid(a.pid, a.worker_cpu)

    c0, w0, t0 = proc_stat(), thread_ticks(a.pid, tid) if tid else None, time.monotonic()
    ta, sa = dpdk_rate.snapshot(s, maxlen, ports)
    time.sleep(a.duration)
    tb, sb = dpdk_rate.snapshot(s, maxlen, ports)
    c1, w1, t1 = proc_stat(), thread_ticks(a.pid, tid) if tid else None, time.monotonic()

    dt = tb - ta
    res = {"dt_s": round(dt, 4), "ports": dpdk_rate.port_rates(ports, sa, sb, dt), "cpu": {}}
    cpu = res["cpu"]
    wall = t1 - t0
    for c in sorted(c0):
        tot = max(1, c1[c][0] - c0[c][0])
        cpu[c + "_busy"] = round(1 - (c1[c][1] - c0[c][1]) / tot, 3)
        cpu[c + "_steal"] = round((c1[c][2] - c0[c][2]) / tot, 3)
    if tid is not None:
        share = (w1 - w0) / TICK / wall
        cpu["worker_tid"] = tid
        cpu["worker_share"] = round(share, 3)
        busy = cpu.get("cpu%d_busy" % a.worker_cpu)
        if busy is not None:
            cpu["others_on_worker_cpu"] = round(max(0.0, busy - share), 3)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
