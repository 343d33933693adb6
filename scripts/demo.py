#!/usr/bin/python3
"""Live demo: two network namespaces talking through spp_vf, driven as an
operator would: spp-ctl runs, spp_primary and spp_vf connect to it, and the
topology is built with the `spp` CLI; counters come from the REST API.

    ns sppdemo0 (10.10.0.1)                        ns sppdemo1 (10.10.0.2)
        spp0 (net_tap, phy:0) --rx--> [cls_a @lcore 1] --tx--> phy:1 (net_tap spp1)
        spp0 (phy:0) <--tx-- [cls_b @lcore 2] <--rx-- phy:1 (spp1)

spp_primary owns both taps; spp_vf runs one classifier per direction, each
with a MAC entry for the peer (ARP broadcasts are flooded to the ports with
an entry). A ping runs in the background; counters refresh every second.
While it runs, `build/src/cli/spp -b 127.0.0.1:<rest port>` in another
terminal steers the same processes (the demo prints the command).
Ctrl-C stops everything and removes the namespaces and hugepage files.

Ports: spp-ctl's defaults (5555, 6666, 7777) when they are free, else free
ones chosen by the kernel; SPP_DEMO_PORTS="P S A" forces them.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("SPP_BUILD", os.path.join(REPO, "build"))
CTL = os.path.join(BUILD, "src", "ctl", "spp-ctl")
CLI = os.path.join(BUILD, "src", "cli", "spp")
PREFIX = "sppdemo%d" % os.getpid()
NS = ["sppdemo0", "sppdemo1"]
IPS = ["10.10.0.1", "10.10.0.2"]
MACS = ["02:00:00:5e:00:01", "02:00:00:5e:00:02"]
TOPOLOGY = [
    "vf 1; component start cls_a 1 classifier",
    "vf 1; port add phy:0 rx cls_a",
    "vf 1; port add phy:1 tx cls_a",
    "vf 1; classifier_table add mac %s phy:1" % MACS[1],
    "vf 1; component start cls_b 2 classifier",
    "vf 1; port add phy:1 rx cls_b",
    "vf 1; port add phy:0 tx cls_b",
    "vf 1; classifier_table add mac %s phy:0" % MACS[0],
]
procs = []


def port_free(port):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def pick_ports():
    if os.environ.get("SPP_DEMO_PORTS"):
        return [int(p) for p in os.environ["SPP_DEMO_PORTS"].split()]
    if all(port_free(p) for p in (5555, 6666, 7777)):
        return [5555, 6666, 7777]
    ports, socks = [], []
    for _ in range(3):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        ports.append(s.getsockname()[1])
        socks.append(s)
    for s in socks:
        s.close()
    return ports


def sh(*args, check=True):
    return subprocess.run(list(args), check=check, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)


def rest(api, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (api, path), timeout=10) as r:
        return json.loads(r.read() or b"null")


def wait_for(what, cond, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if cond():
                return
        except OSError:
            pass
        for p in procs:
            if p.poll() is not None:
                sys.exit("demo.py: %s exited (%d) while waiting for %s; see the log"
                         % (p.args[0], p.returncode, what))
        time.sleep(0.1)
    sys.exit("demo.py: timed out waiting for %s" % what)


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
    if os.path.exists("/tmp/%s.ping" % PREFIX):
        os.unlink("/tmp/%s.ping" % PREFIX)
    for f in os.listdir("/dev/hugepages"):
        if f.startswith(PREFIX):
            os.unlink(os.path.join("/dev/hugepages", f))
    subprocess.run(["rm", "-rf", "/var/run/dpdk/" + PREFIX])


def main():
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    pri_port, sec_port, api = pick_ports()
    log = open("/tmp/%s.log" % PREFIX, "w")
    procs.append(subprocess.Popen(
        [CTL, "-p", str(pri_port), "-s", str(sec_port), "-a", str(api)],
        stdout=log, stderr=log))
    wait_for("spp-ctl", lambda: rest(api, "/v1/processes") is not None)
    procs.append(subprocess.Popen(
        [BUILD + "/src/primary/spp_primary", "-l", "0", "--no-pci", "--file-prefix", PREFIX,
         "-m", "256", "--vdev", "net_tap0,iface=spp0", "--vdev", "net_tap1,iface=spp1",
         "--", "-p", "0x3", "-n", "2", "-s", "127.0.0.1:%d" % pri_port,
         "--sec-log-dir", "/tmp/%s-sec" % PREFIX],
        stdout=log, stderr=log))
    wait_for("spp_primary", lambda: {"type": "primary"} in rest(api, "/v1/processes"))
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
         "-s", "127.0.0.1:%d" % sec_port, "--idle-sleep-us", "100"],
        stdout=log, stderr=log))
    wait_for("spp_vf 1", lambda: {"type": "vf", "client-id": 1} in rest(api, "/v1/processes"))

    # The operator's part: the spp CLI, talking REST to spp-ctl.
    cli = [CLI, "-b", "127.0.0.1:%d" % api]
    print("$ spp -b 127.0.0.1:%d   (commands below)" % api)
    for c in TOPOLOGY:
        out = subprocess.run(cli + ["-c", c], capture_output=True, text=True)
        print("spp > %s\n%s" % (c, out.stdout.rstrip()))
        if out.returncode != 0:
            sys.exit("demo.py: '%s' failed: %s" % (c, (out.stdout + out.stderr).strip()))
    print(subprocess.run(cli + ["-c", "vf 1; status"], capture_output=True, text=True).stdout)

    ping_log = open("/tmp/%s.ping" % PREFIX, "w+")
    procs.append(subprocess.Popen(["ip", "netns", "exec", NS[0], "ping", "-i", "0.5",
                                   IPS[1]], stdout=ping_log, stderr=subprocess.STDOUT))
    print("ping %s -> %s through spp_vf. Steer it from another terminal:\n"
          "  %s -b 127.0.0.1:%d        (REST: http://127.0.0.1:%d/v1/vfs/1)\n"
          "Ctrl-C stops the demo (log: %s)\n" % (IPS[0], IPS[1], CLI, api, api, log.name))
    while True:
        vf = rest(api, "/v1/vfs/1")
        lines = []
        for c in vf["components"]:
            if "name" in c:
                s = c["stats"]
                lines.append("  %-6s lcore %d  rx %6d  tx %6d  dup %4d  drop %4d  %s" % (
                    c["name"], c["core"], s["rx_packets"], s["tx_packets"],
                    s["dup_packets"], s["drop_packets"],
                    " ".join("%s=%d" % kv for kv in s["drops"].items() if kv[1])))
        # (A tap moved into a namespace reads "link down" to the primary: not shown.)
        for p in rest(api, "/v1/primary/status")["phy_ports"]:
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
