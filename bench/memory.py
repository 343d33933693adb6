#!/usr/bin/env python3
"""memory.py - memory footprint of spp's default configuration, per process.

Normally started by bench/memory.sh (root, build, hugepages). It starts, with
a unique --file-prefix and free TCP ports:
  spp-ctl      -p P -s S -a A (defaults otherwise)
  spp_primary  -l 0 --no-pci --file-prefix X --vdev net_null0 --vdev net_null1
               --vdev net_null2 [-m MB] -- -p 0x7 -n 4 -s 127.0.0.1:P
               (EAL memory: DPDK's default, dynamic, unless --mem MB)
  spp_vf       --lcores 0@0,1@1 --proc-type=secondary --no-pci --file-prefix X
               -- --client-id 1 -s 127.0.0.1:S
  spp_mirror   --lcores 0@0,2@1 --proc-type=secondary --no-pci --file-prefix X
               -- --client-id 2 -s 127.0.0.1:S
(spp's own options at their defaults: mbuf pool, ring size, copy mode shallow,
copy pool, update timeout, no idle sleep), then through spp-ctl's REST API:
  spp_vf 1     component fwd on lcore 1 (forward): phy:0 rx -> ring:0 tx
  spp_mirror 2 component mir on lcore 2 (mirror):  ring:0 rx -> phy:1 tx
               (originals), phy:2 tx (copies)
so every process is in its working state: net_null0 generates 64-byte frames,
spp_vf forwards them into ring:0, spp_mirror takes them off the ring and sends
them and a copy of each to the net_null sinks. After --settle seconds of that
(traffic still running) it reads, per process:
  /proc/PID/status  VmRSS, VmHWM (peak RSS), RssAnon, RssFile, RssShmem,
                    HugetlbPages, Threads
  /proc/PID/smaps   hugetlbfs memory mapped (Private_Hugetlb + Shared_Hugetlb)
                    and transparent huge pages (AnonHugePages), summed over mappings
  /proc/PID/fd      number of open file descriptors
and from the primary's DPDK telemetry socket: /eal/heap_info (heap size,
allocated, free), every /eal/memzone_info (name, length), plus the hugepage
files of the prefix in the hugetlbfs mount and the system's HugePages_Free
before and after. Writes Markdown to --out (and prints it). Stops only the
processes it started, by PID (SIGINT, then SIGTERM, SIGKILL), and removes the
prefix's hugepage files and /var/run/dpdk/<prefix>. Python 3 standard library.
"""
import argparse
import glob
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dpdk_rate  # noqa: E402  (telemetry client)

PROCS = []  # (name, Popen)
MiB = 1024.0 * 1024.0


def log(msg):
    print("memory.py: %s" % msg, file=sys.stderr, flush=True)


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        ports.append(s.getsockname()[1])
        socks.append(s)
    for s in socks:
        s.close()
    return ports


def rest(api, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (api, path), data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=15) as r:
        txt = r.read()
    return json.loads(txt) if txt else None


def wait_for(what, cond, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if cond():
                return
        except OSError:
            pass
        for name, p in PROCS:
            if p.poll() is not None:
                raise SystemExit("memory.py: %s exited (%d) while waiting for %s" %
                                 (name, p.returncode, what))
        time.sleep(0.1)
    raise SystemExit("memory.py: timed out waiting for %s" % what)


def start(name, argv, logdir):
    fh = open(os.path.join(logdir, name + ".log"), "w")
    p = subprocess.Popen(argv, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    PROCS.append((name, p))
    log("started %s pid %d: %s" % (name, p.pid, " ".join(argv)))
    return p


def stop_all():
    for name, p in reversed(PROCS):
        if p.poll() is not None:
            continue
        for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                p.send_signal(sig)
                p.wait(wait)
                break
            except subprocess.TimeoutExpired:
                log("%s pid %d did not stop on %s" % (name, p.pid, sig.name))
            except ProcessLookupError:
                break


def clean_prefix(prefix, hugedir):
    for f in glob.glob(os.path.join(hugedir, prefix + "*")):
        try:
            os.unlink(f)
        except OSError:
            pass
    subprocess.run(["rm", "-rf", "/var/run/dpdk/" + prefix], check=False)


def status_fields(pid):
    out = {}
    with open("/proc/%d/status" % pid) as fh:
        for ln in fh:
            k, _, v = ln.partition(":")
            v = v.split()
            if k.startswith(("Vm", "Rss", "Hugetlb")) and v:
                out[k] = int(v[0]) * 1024  # kB -> bytes
            elif k == "Threads":
                out[k] = int(v[0])
    return out


def smaps_sums(pid):
    keys = ("Private_Hugetlb", "Shared_Hugetlb", "AnonHugePages", "Rss", "Pss")
    sums = dict.fromkeys(keys, 0)
    huge_maps = 0
    with open("/proc/%d/smaps" % pid) as fh:
        for ln in fh:
            k, _, v = ln.partition(":")
            if k in sums:
                sums[k] += int(v.split()[0]) * 1024
            elif k == "KernelPageSize" and int(v.split()[0]) >= 2048:
                huge_maps += 1
    sums["hugetlb_mappings"] = huge_maps
    return sums


def meminfo(key):
    with open("/proc/meminfo") as fh:
        for ln in fh:
            if ln.startswith(key + ":"):
                return int(ln.split()[1])
    return None


def telemetry(prefix):
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
    s, maxlen = dpdk_rate.connect(path)
    try:
        heaps = []
        for h in dpdk_rate.query(s, maxlen, "/eal/heap_list")["/eal/heap_list"]:
            heaps.append(dpdk_rate.query(s, maxlen, "/eal/heap_info,%d" % h)["/eal/heap_info"])
        zones = []
        for z in dpdk_rate.query(s, maxlen, "/eal/memzone_list")["/eal/memzone_list"]:
            zones.append(dpdk_rate.query(s, maxlen, "/eal/memzone_info,%d" % z)["/eal/memzone_info"])
        stats = {}
        for port in dpdk_rate.query(s, maxlen, "/ethdev/list")["/ethdev/list"]:
            stats[port] = dpdk_rate.query(s, maxlen, "/ethdev/stats,%d" % port)["/ethdev/stats"]
        return heaps, zones, stats
    finally:
        s.close()


def mib(x):
    return "%.1f" % (x / MiB)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="spp build directory")
    ap.add_argument("--out", required=True, help="Markdown file to write")
    ap.add_argument("--logdir", required=True, help="directory for the processes' logs")
    ap.add_argument("--settle", type=float, default=10.0, help="seconds of traffic first")
    ap.add_argument("--mem", type=int, default=0, help="spp_primary EAL -m MB (0: DPDK default)")
    ap.add_argument("--hugedir", default="/dev/hugepages")
    ap.add_argument("--command", default="bench/memory.sh", help="for the report")
    ap.add_argument("--stamp", default=time.strftime("%Y%m%d-%H%M%S"), help="for the title")
    a = ap.parse_args()

    prefix = "sppmem%d" % os.getpid()
    pri, sec, api = free_ports(3)
    os.makedirs(a.logdir, exist_ok=True)
    b = a.build
    cmds = {
        "spp-ctl": [b + "/src/ctl/spp-ctl", "-p", str(pri), "-s", str(sec), "-a", str(api)],
        "spp_primary": [b + "/src/primary/spp_primary", "-l", "0", "--no-pci",
                        "--file-prefix", prefix, "--vdev", "net_null0", "--vdev", "net_null1",
                        "--vdev", "net_null2"] + (["-m", str(a.mem)] if a.mem else []) +
                       ["--", "-p", "0x7", "-n", "4", "-s", "127.0.0.1:%d" % pri],
        "spp_vf": [b + "/src/vf/spp_vf", "--lcores", "0@0,1@1", "--proc-type=secondary",
                   "--no-pci", "--file-prefix", prefix, "--", "--client-id", "1",
                   "-s", "127.0.0.1:%d" % sec],
        "spp_mirror": [b + "/src/mirror/spp_mirror", "--lcores", "0@0,2@1",
                       "--proc-type=secondary", "--no-pci", "--file-prefix", prefix, "--",
                       "--client-id", "2", "-s", "127.0.0.1:%d" % sec],
    }
    config = [
        ("POST", "/v1/vfs/1/components", {"name": "fwd", "core": 1, "type": "forward"}),
        ("PUT", "/v1/vfs/1/components/fwd/ports", {"action": "attach", "port": "phy:0", "dir": "rx"}),
        ("PUT", "/v1/vfs/1/components/fwd/ports", {"action": "attach", "port": "ring:0", "dir": "tx"}),
        ("POST", "/v1/mirrors/2/components", {"name": "mir", "core": 2, "type": "mirror"}),
        ("PUT", "/v1/mirrors/2/components/mir/ports", {"action": "attach", "port": "ring:0", "dir": "rx"}),
        ("PUT", "/v1/mirrors/2/components/mir/ports", {"action": "attach", "port": "phy:1", "dir": "tx"}),
        ("PUT", "/v1/mirrors/2/components/mir/ports", {"action": "attach", "port": "phy:2", "dir": "tx"}),
    ]
    huge_free0 = meminfo("HugePages_Free")
    hugesize = meminfo("Hugepagesize") * 1024
    pids, st, sm, fds = {}, {}, {}, {}
    try:
        start("spp-ctl", cmds["spp-ctl"], a.logdir)
        wait_for("spp-ctl", lambda: rest(api, "GET", "/v1/processes") is not None)
        start("spp_primary", cmds["spp_primary"], a.logdir)
        wait_for("spp_primary", lambda: {"type": "primary"} in rest(api, "GET", "/v1/processes"))
        start("spp_vf", cmds["spp_vf"], a.logdir)
        wait_for("spp_vf 1", lambda: {"type": "vf", "client-id": 1} in
                 rest(api, "GET", "/v1/processes"))
        start("spp_mirror", cmds["spp_mirror"], a.logdir)
        wait_for("spp_mirror 2", lambda: {"type": "mirror", "client-id": 2} in
                 rest(api, "GET", "/v1/processes"))
        for method, path, body in config:
            rest(api, method, path, body)
        log("configured; %g s of traffic" % a.settle)
        heaps0, zones0, stats0 = telemetry(prefix)
        t0 = time.monotonic()
        time.sleep(a.settle)
        for name, p in PROCS:
            if p.poll() is not None:
                raise SystemExit("memory.py: %s exited (%d)" % (name, p.returncode))
            pids[name] = p.pid
            st[name] = status_fields(p.pid)
            sm[name] = smaps_sums(p.pid)
            fds[name] = len(os.listdir("/proc/%d/fd" % p.pid))
        heaps, zones, stats = telemetry(prefix)
        dt = time.monotonic() - t0
        hugefiles = glob.glob(os.path.join(a.hugedir, prefix + "*"))
        huge_free1 = meminfo("HugePages_Free")
        vf = rest(api, "GET", "/v1/vfs/1")
        mir = rest(api, "GET", "/v1/mirrors/2")
    finally:
        stop_all()
        clean_prefix(prefix, a.hugedir)
    rcs = {name: p.returncode for name, p in PROCS}

    def rate(port, key):
        return (stats[port][key] - stats0[port][key]) / dt / 1e6

    out = []
    w = out.append
    w("# spp memory footprint %s" % a.stamp)
    w("")
    w("`%s`: spp's default configuration (spp-ctl, spp_primary, spp_vf, spp_mirror, each with its "
      "default options but `--no-pci`; EAL memory %s), three `net_null` ports, spp_vf "
      "forwarding phy:0 -> ring:0 and spp_mirror mirroring ring:0 -> phy:1 (originals) + "
      "phy:2 (copies, shallow), measured after %g s of traffic with the traffic running "
      "(phy:0 rx %.2f Mpps, phy:1 tx %.2f Mpps, phy:2 tx %.2f Mpps over that time)." % (
          a.command, "`-m %d` MB" % a.mem if a.mem else "DPDK's default (dynamic, no `-m`)",
          a.settle, rate(0, "ipackets"), rate(1, "opackets"), rate(2, "opackets")))
    w("")
    w("| process | VmRSS MiB | VmHWM (peak) MiB | RssAnon / RssFile / RssShmem MiB "
      "| hugetlbfs mapped MiB (smaps) | HugetlbPages MiB | AnonHugePages MiB | open fds "
      "| threads |")
    w("|---|---|---|---|---|---|---|---|---|")
    for name in ("spp-ctl", "spp_primary", "spp_vf", "spp_mirror"):
        s, m = st[name], sm[name]
        w("| %s | %s | %s | %s / %s / %s | %s (%d mappings) | %s | %s | %d | %d |" % (
            name, mib(s.get("VmRSS", 0)), mib(s.get("VmHWM", 0)), mib(s.get("RssAnon", 0)),
            mib(s.get("RssFile", 0)), mib(s.get("RssShmem", 0)),
            mib(m["Private_Hugetlb"] + m["Shared_Hugetlb"]), m["hugetlb_mappings"],
            mib(s.get("HugetlbPages", 0)), mib(m["AnonHugePages"]), fds[name],
            s.get("Threads", 0)))
    w("")
    w("VmRSS counts ordinary pages only; DPDK's memory is in hugetlbfs pages, which the kernel "
      "accounts separately (`HugetlbPages` in /proc/PID/status; smaps Private_Hugetlb + "
      "Shared_Hugetlb summed over mappings, i.e. the hugepages a process has touched). The "
      "secondaries map the primary's hugepages: the same physical memory, so the hugetlbfs "
      "column must not be added up across processes. %d hugepage files of %d kB with the "
      "prefix (%s MiB: the hugepages this configuration holds); HugePages_Free went from %d "
      "to %d (%s MiB; other tenants of the machine may move it too)." % (
          len(hugefiles), hugesize // 1024, mib(len(hugefiles) * hugesize), huge_free0,
          huge_free1, mib((huge_free0 - huge_free1) * hugesize)))
    w("")
    w("### spp_primary's DPDK memory (telemetry)")
    w("")
    w("| heap | size MiB | allocated MiB | free MiB | greatest free block MiB | allocations |")
    w("|---|---|---|---|---|---|")
    for h in heaps:
        w("| %s | %s | %s | %s | %s | %s |" % (
            h.get("Name", h.get("Head id", "?")), mib(int(h.get("Heap_size", 0))),
            mib(int(h.get("Alloc_size", 0))), mib(int(h.get("Free_size", 0))),
            mib(int(h.get("Greatest_free_size", 0))), h.get("Alloc_count", "?")))
    w("")
    total = sum(int(z.get("Length", 0)) for z in zones)
    w("%d memzones, %s MiB in all; the largest:" % (len(zones), mib(total)))
    w("")
    w("| memzone | MiB |")
    w("|---|---|")
    for z in sorted(zones, key=lambda z: -int(z.get("Length", 0)))[:12]:
        w("| `%s` | %s |" % (z.get("Name", "?"), "%.2f" % (int(z.get("Length", 0)) / MiB)))
    w("")
    comp = [c for c in vf.get("components", []) if "name" in c] + \
           [c for c in mir.get("components", []) if "name" in c]
    w("Components at the end: %s. Exit statuses after SIGINT: %s." % (
        ", ".join("%s rx %d tx %d drop %d" % (c["name"], c["stats"]["rx_packets"],
                                              c["stats"]["tx_packets"],
                                              c["stats"]["drop_packets"])
                  for c in comp if "stats" in c) or "-",
        ", ".join("%s %s" % kv for kv in rcs.items())))
    w("")
    w("## Commands")
    w("")
    w("```")
    for name, argv in cmds.items():
        w(" ".join(argv))
    for method, path, body in config:
        w("%s %s %s" % (method, path, json.dumps(body)))
    w("```")
    w("")
    w("Machine: %s, kernel %s, %d CPUs; DPDK %s." % (
        open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0].strip(": \t"),
        os.uname().release, os.cpu_count(),
        subprocess.run(["dpkg-query", "-W", "-f=${Version}", "dpdk"], capture_output=True,
                       text=True).stdout or "?"))
    text = "\n".join(out) + "\n"
    with open(a.out, "w") as fh:
        fh.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
