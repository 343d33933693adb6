#!/usr/bin/env python3
# From the peer harness peer-bench/dpdk_rate.py, so bench/ reads spp exactly as the peers were
# read; the per-port rate computation is split out as port_rates() for measure.py.
"""Measure per-port packet rates of ANY running DPDK (>= 20.05) process through
its telemetry socket (/var/run/dpdk/<file-prefix>/dpdk_telemetry.v2), so the
same measurement works for testpmd and for our own DPDK application.

  dpdk_rate.py --prefix PFX [--duration 10] [--ports 0,1] [--json]

Takes /ethdev/stats,<port> for every port (or those given) at t0 and after
--duration seconds, and prints per port: rx_mpps tx_mpps rx_missed/s
(imissed) rx_nombuf/s, computed from counter deltas over the monotonic time
between the two snapshots (midpoint of each snapshot's query span).
Python 3 standard library only.
"""
import argparse
import json
import os
import socket
import sys
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    hello = json.loads(s.recv(16384).decode())
    return s, hello.get("max_output_len", 16384)


def query(s, maxlen, cmd):
    s.send(cmd.encode())
    return json.loads(s.recv(maxlen).decode())


def snapshot(s, maxlen, ports):
    t0 = time.monotonic()
    out = {}
    for p in ports:
        r = query(s, maxlen, "/ethdev/stats,%d" % p)
        out[p] = r["/ethdev/stats"]
    t1 = time.monotonic()
    return (t0 + t1) / 2, out


def port_rates(ports, sa, sb, dt):
    """Per-port rates between two snapshots taken dt seconds apart."""
    rates = {}
    for p in ports:
        d = {k: (sb[p][k] - sa[p][k]) for k in ("ipackets", "opackets", "imissed", "rx_nombuf")}
        rates[str(p)] = {
            "rx_mpps": round(d["ipackets"] / dt / 1e6, 3),
            "tx_mpps": round(d["opackets"] / dt / 1e6, 3),
            "imissed_per_s": round(d["imissed"] / dt, 1),
            "rx_nombuf_per_s": round(d["rx_nombuf"] / dt, 1),
        }
    return rates


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prefix", required=True, help="EAL --file-prefix of the process")
    ap.add_argument("--runtime-dir", default="/var/run/dpdk")
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--ports", help="comma separated port ids (default: all)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()

    path = os.path.join(a.runtime_dir, a.prefix, "dpdk_telemetry.v2")
    s, maxlen = connect(path)
    if a.ports:
        ports = [int(x) for x in a.ports.split(",") if x != ""]
    else:
        ports = query(s, maxlen, "/ethdev/list")["/ethdev/list"]
    ta, sa = snapshot(s, maxlen, ports)
    time.sleep(a.duration)
    tb, sb = snapshot(s, maxlen, ports)
    dt = tb - ta
    res = {"dt_s": round(dt, 4), "ports": port_rates(ports, sa, sb, dt)}
    if a.json:
        print(json.dumps(res))
    else:
        print("window %.3f s" % dt)
        for p, v in res["ports"].items():
            print("port %s: rx %.3f Mpps  tx %.3f Mpps  imissed %.0f/s  nombuf %.0f/s" % (
                p, v["rx_mpps"], v["tx_mpps"], v["imissed_per_s"], v["rx_nombuf_per_s"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
