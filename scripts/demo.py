#!/usr/bin/python3
"""Live demo: two network namespaces talking through spp_vf.

    ns sppdemo0 (10.10.0.1)                        ns sppdemo1 (10.10.0.2)
        spp0 (net_tap, phy:0) --rx--> [cls_a @lcore 1] --tx--> phy:1 (net_tap spp1)
        spp0 (phy:0) <--tx-- [cls_b @lcore 2] <--rx-- phy:1 (spp1)

spp_primary owns both taps; spp_vf runs one classifier per direction, each
with a MAC entry for the peer (ARP broadcasts are flooded to the ports with
an entry). A ping runs in the background; counters refresh every second.
Ctrl-C stops everything and removes the namespaces and hugepage files.

The controller side of the SPP protocol (SPEC §4) is played by this script
until spp-ctl exists; it is what `spp-ctl` will do for a REST client.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("SPP_BUILD", os.path.join(REPO, "build"))
PREFIX = "sppdemo%d" % os.getpid()
NS = ["sppdemo0", "sppdemo1"]
IPS = ["10.10.0.1", "10.10.0.2"]
MACS = ["02:00:00:5e:00:01", "02:00:00:5e:00:02"]
procs = []


class Peer:
    """One process connected to us; commands out, one JSON reply each."""

    def __init__(self, sock):
        self.sock = sock
        self.dec = json.JSONDecoder()
        self.buf = ""

    def cmd(self, text, check=True):
        self.sock.sendall(text.encode() + b"\n")
        self.sock.settimeout(10)
        while True:
            try:
                obj, end = self.dec.raw_decode(self.buf.lstrip())
                self.buf = self.buf.lstrip()[end:]
                break
            except ValueError:
                data = self.sock.recv(65536)
                if not data:
                    raise RuntimeError("connection closed during '%s'" % text)
                self.buf += data.decode()
        if check and "results" in obj and obj["results"][0]["result"] != "success":
            raise RuntimeError("'%s' failed: %s" % (text, json.dumps(obj)))
        return obj


def listener():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    s.settimeout(30)
    return s


def sh(*args, check=True):
    return subprocess.run(list(args), check=check, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)


def cleanup():
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    for ns in NS:
        sh("ip", "netns", "del", ns, check=False)
    for f in ("/tmp/%s.ping" % PREFIX,):
        if os.path.exists(f):
            os.unlink(f)
    for f in os.listdir("/dev/hugepages"):
        if f.startswith(PREFIX):
            os.unlink(os.path.join("/dev/hugepages", f))
    subprocess.run(["rm", "-rf", "/var/run/dpdk/" + PREFIX])


def main():
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    pri_l, sec_l = listener(), listener()
    log = open("/tmp/%s.log" % PREFIX, "w")
    procs.append(subprocess.Popen(
        [BUILD + "/src/primary/spp_primary", "-l", "0", "--no-pci", "--file-prefix", PREFIX,
         "-m", "256", "--vdev", "net_tap0,iface=spp0", "--vdev", "net_tap1,iface=spp1",
         "--", "-p", "0x3", "-n", "2", "-s", "127.0.0.1:%d" % pri_l.getsockname()[1]],
        stdout=log, stderr=log))
    pri = Peer(pri_l.accept()[0])
    for i, ns in enumerate(NS):
        sh("ip", "netns", "del", ns, check=False)
        sh("ip", "netns", "add", ns)
        sh("ip", "link", "set", "spp%d" % i, "netns", ns)
        sh("ip", "-n", ns, "link", "set", "spp%d" % i, "address", MACS[i])
        sh("ip", "-n", ns, "addr", "add", IPS[i] + "/24", "dev", "spp%d" % i)
        sh("ip", "-n", ns, "link", "set", "spp%d" % i, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
    procs.append(subprocess.Popen(
        [BUILD + "/src/vf/spp_vf", "--lcores", "0@0,(1-2)@1", "--proc-type=secondary",
         "--no-pci", "--file-prefix", PREFIX, "--", "--client-id", "1",
         "-s", "127.0.0.1:%d" % sec_l.getsockname()[1], "--idle-sleep-us", "100"],
        stdout=log, stderr=log))
    vf = Peer(sec_l.accept()[0])
    vf.cmd("_get_client_id")
    for c in ["component start cls_a 1 classifier", "port add phy:0 rx cls_a",
              "port add phy:1 tx cls_a", "classifier_table add mac %s phy:1" % MACS[1],
              "component start cls_b 2 classifier", "port add phy:1 rx cls_b",
              "port add phy:0 tx cls_b", "classifier_table add mac %s phy:0" % MACS[0]]:
        vf.cmd(c)
        print("vf 1:", c)
    ping_log = open("/tmp/%s.ping" % PREFIX, "w+")
    procs.append(subprocess.Popen(["ip", "netns", "exec", NS[0], "ping", "-i", "0.5",
                                   IPS[1]], stdout=ping_log, stderr=subprocess.STDOUT))
    print("\nping %s -> %s through spp_vf; Ctrl-C to stop (log: %s)\n"
          % (IPS[0], IPS[1], log.name))
    while True:
        info = vf.cmd("status")["info"]
        lines = []
        for c in info["core"]:
            if "name" in c:
                s = c["stats"]
                lines.append("  %-6s lcore %d  rx %6d  tx %6d  dup %4d  drop %4d  %s" % (
                    c["name"], c["core"], s["rx_packets"], s["tx_packets"],
                    s["dup_packets"], s["drop_packets"],
                    " ".join("%s=%d" % kv for kv in s["drops"].items() if kv[1])))
        # (A tap moved into a namespace reads "link down" to the primary: not shown.)
        for p in pri.cmd("status")["phy_ports"]:
            lines.append("  %-6s rx %6d  tx %6d  tx_drop %d" % (p["port"], p["rx"], p["tx"],
                                                               p["tx_drop"]))
        ping_log.seek(0)
        replies = [l for l in ping_log.read().splitlines() if "time=" in l]
        if replies:
            lines.append("  ping: " + replies[-1])
        print(time.strftime("%H:%M:%S") + "\n" + "\n".join(lines), flush=True)
        time.sleep(1)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("demo.py: run as root")
    try:
        main()
    except KeyboardInterrupt:
        print("\nstopping")
    finally:
        cleanup()
