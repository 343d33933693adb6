#!/usr/bin/env python3
"""vhost_report.py RAWDIR - Markdown report of one bench/vhost.sh invocation.

Reads RAWDIR/runs.tsv, env.txt and commands.txt; prints the spp vs OVS table
(median [min-max] of the clean runs, ratio), the per-run details (source rate,
what reached the guest, what came back, drops and why, CPU shares), the
commands of run 1 and the environment. Python 3 standard library only.
"""
import os
import statistics
import sys

WHAT = {
    "vhost_rxonly": "pcap -> switch -> vhost -> guest rxonly; rate = guest rx",
    "vhost_loop": "pcap -> switch -> vhost -> guest io fwd -> vhost -> switch -> null; "
                  "rate = frames back at the sink",
}


def load(path):
    rows, header = [], None
    with open(path) as fh:
        for ln in fh:
            cols = ln.rstrip("\n").split("\t")
            if header is None:
                header = cols
            elif len(cols) == len(header):
                rows.append(dict(zip(header, cols)))
    return rows


def f2(x):
    return "%.2f" % x


def med(rs, key):
    v = [float(r[key]) for r in rs if r[key] not in ("-", "?", "")]
    return statistics.median(v) if v else None


def main(raw):
    rows = load(os.path.join(raw, "runs.tsv"))
    env = open(os.path.join(raw, "env.txt")).read().splitlines()
    cmds = open(os.path.join(raw, "commands.txt")).read().splitlines()
    envd = {ln.split(": ", 1)[0]: ln.split(": ", 1)[1] for ln in env if ": " in ln}
    groups, disturbed = {}, {}
    for r in rows:
        key = (r["switch"], r["scenario"])
        groups.setdefault(key, [])
        (groups[key] if r["clean"] == "yes" else disturbed.setdefault(key, [])).append(r)
    fallback = [k for k, v in groups.items() if not v]
    for k in fallback:
        groups[k] = disturbed.pop(k)
    scens = []
    for r in rows:
        if r["scenario"] not in scens:
            scens.append(r["scenario"])
    opts = envd.get("options", "")
    dur = opts.split("duration=")[-1].split()[0] if "duration=" in opts else "?"
    out = []
    w = out.append
    w("# vhost benchmark %s: spp_vf vs OVS-DPDK" % envd.get("stamp", os.path.basename(raw)))
    w("")
    w("spp_vf in **standalone mode** (`--standalone`, a DPDK primary owning the pcap source, "
      "`vhost:0` in server mode) and OVS-DPDK 3.1 (`dpdkvhostuser` port, server mode), same "
      "source (64-byte frames, net_pcap `infinite_rx`), same guest (dpdk-testpmd "
      "`net_virtio_user0` on the switch's socket, on CPU 0), the switch's forwarding thread "
      "alone on CPU 1; runs interleaved in one invocation; median of the clean runs x %s, "
      "[min-max]." % dur)
    w("")
    w("| scenario | what | spp_vf Mpps | OVS-DPDK Mpps | spp / OVS |")
    w("|---|---|---|---|---|")
    for s in scens:
        cells = []
        meds = {}
        for sw in ("spp", "ovs"):
            rs = groups.get((sw, s), [])
            v = [float(r["rate_mpps"]) for r in rs]
            if v:
                meds[sw] = statistics.median(v)
                cells.append("**%s** [%s-%s]" % (f2(meds[sw]), f2(min(v)), f2(max(v))))
            else:
                cells.append("-")
        ratio = "%.2f" % (meds["spp"] / meds["ovs"]) if meds.get("ovs") and "spp" in meds else "-"
        w("| %s | %s | %s | %s | %s |" % (s, WHAT.get(s, ""), cells[0], cells[1], ratio))
    w("")
    nd = sum(len(v) for v in disturbed.values())
    w("Runs in which the switch's forwarding thread did not have CPU 1 to itself (< 97 %%, or "
      "other threads > 3 %% of it) or the guest's lcore got < 85 %% of CPU 0 are repeated and "
      "left out of the medians: %d left out%s." % (
          nd, (": " + ", ".join("%s %s run %s (%.2f Mpps, worker %.0f %%, others %.0f %%, guest %.0f %%)" % (
              r["switch"], r["scenario"], r["run"], float(r["rate_mpps"]),
              100 * float(r["worker_share"]), 100 * float(r["others_cpu1"]),
              100 * float(r["guest_share"]))
              for v in disturbed.values() for r in v)) if nd else ""))
    if fallback:
        w("")
        w("**Warning**: no clean run for %s; their medians include disturbed runs." %
          ", ".join("%s %s" % k for k in fallback))
    waits = [int(r.get("quiet_wait_s", "0") or 0) for r in rows]
    if any(waits):
        w("")
        w("Other processes were using CPU 1: before %d of %d runs the harness waited for it "
          "to be idle (%d s in all)." % (sum(1 for x in waits if x > 0), len(rows), sum(waits)))
    w("")
    w("## Details")
    w("")
    w("Medians over the runs used above. source = frames/s the switch takes from the pcap port; "
      "to vhost = frames/s spp enqueued to the guest (`port_stats` of vhost:0 between `status` "
      "before and after the window, as a share of the source frames; OVS 3.1 shows no packet "
      "counters for the vhost port in dump-ports); guest rx / tx = the guest's virtio port (its "
      "telemetry); back = frames/s reaching the null sink (vhost_loop); drops = 1 - guest rx / "
      "source, the frames the switch took but could not hand to the guest (its ring was full), "
      "same computation for both; reasons = spp's component `drops` between the `status` calls "
      "right before and after the window, % of the source frames in that slightly longer "
      "interval, which includes the harness starting its measurement on CPU 0 and so briefly "
      "preempting the guest (tx_full = guest ring full; OVS counts these as "
      "ovs_tx_failure_drops, see the run's ovs-stats log); CPU = share of the window the switch's forwarding thread / the "
      "guest's forwarding lcore ran, and CPU 0 busy (guest, its main lcore, the switch's "
      "other threads, the harness, other tenants).")
    w("")
    w("| switch | scenario | runs (Mpps) | source | to vhost | guest rx | guest tx | back "
      "| drops to guest | reasons (last run) | switch CPU | guest CPU | CPU 0 busy |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for s in scens:
        for sw in ("spp", "ovs"):
            rs = groups.get((sw, s), [])
            if not rs:
                continue

            def m(k):
                x = med(rs, k)
                return f2(x) if x is not None else "-"
            dr = med(rs, "drop_frac")
            sh = [float(r["worker_share"]) for r in rs]
            gs = [float(r["guest_share"]) for r in rs if float(r["guest_share"]) >= 0]
            c0 = [float(r["cpu0_busy"]) for r in rs]
            w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                sw, s, ", ".join(f2(float(r["rate_mpps"])) for r in rs), m("source_rx_mpps"),
                m("vhost_tx_mpps"), m("guest_rx_mpps"), m("guest_tx_mpps"), m("back_mpps"),
                "%.1f %%" % (100 * dr) if dr is not None else "-", rs[-1]["drop_reasons"],
                "%.0f-%.0f %%" % (100 * min(sh), 100 * max(sh)),
                "%.0f-%.0f %%" % (100 * min(gs), 100 * max(gs)) if gs else "-",
                "%.0f-%.0f %%" % (100 * min(c0), 100 * max(c0))))
    w("")
    w("## Commands")
    w("")
    w("Invocation: `%s` (%s). Every run's commands are in `%s/commands.txt`; run 1:" % (
        envd.get("command", "?"), opts, os.path.basename(raw)))
    w("")
    w("```")
    for ln in cmds:
        tag = ln.split(":", 1)[0]
        if tag.endswith("_1"):
            w(ln)
    w("```")
    w("")
    w("## Environment")
    w("")
    for ln in env:
        if not ln.startswith(("stamp:", "command:")):
            w("- " + ln)
    w("")
    w("Raw data: `%s/` (runs.tsv, commands.txt, logs/, status/, pinning.txt, env.txt)." %
      os.path.basename(raw))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
