#!/usr/bin/env python3
"""report.py [--plot IMAGE] [--docs] RAWDIR - Markdown report of one bench/run.sh invocation.

Reads RAWDIR/runs.tsv (one line per run: spp, testpmd and ovs rows),
RAWDIR/env.txt and RAWDIR/commands.txt, and prints:
  * the result table, one row per scenario: spp median [min-max], testpmd io
    (where it is the reference), OVS-DPDK median [min-max] (the OVS scenario
    compared with ours, see OVS_SCENARIO), each target of issue 8 with its
    ratio and met / missed, and spp / OVS-DPDK against the >= 5x target;
  * the spp_mirror table (originals on s1, copies on mir, drops), the OVS-DPDK
    details (PMD cycles per packet, datapath cache hits, PMD CPU share), the
    per-sink details with a check of where the frames went, the exact
    commands and the environment.
--plot IMAGE embeds IMAGE (the SVG of plot.py, path relative to the Markdown
file); --docs adds the "generated file" header for docs/performance-results.md.
plot.py imports summary() from here. Python 3 standard library only.
"""
import argparse
import os
import statistics
import sys

sys.dont_write_bytecode = True  # no __pycache__ in bench/ (plot.py imports this file)

# Issue 8's targets. Against testpmd io on the same layout (fwd_k1 traffic):
FORWARD_TARGET = 0.95
MERGE_TARGET = 0.90
CLASSIFIER_TARGET = 0.85
VLAN_TARGET = 0.80
# classify_k4096 against our own classify_k1 ("K=4,096 within 10 % of K=1")
K4096_VS_K1_TARGET = 0.90
# spp_mirror against spp_vf forward (fwd_k1) of the same invocation.
MIRROR_TARGETS = {"shallow": 0.60, "deep": None}  # deep: informative
# every scenario against OVS-DPDK
OVS_TARGET = 5.0
SINKS = ("s1", "s2", "s3", "s4", "dflt", "mir")

# The OVS-DPDK scenario (bench/ovs_bench.sh) each of ours is compared with.
OVS_SCENARIO = {
    "mirror_shallow_k1": "mirror_all_k1",
    "mirror_deep_k1": "mirror_all_k1",
    "cls_mirror_k256": "mirror_all_classify_k256",
}
# Scenarios without an spp measurement, and why (printed under the table).
NOT_MEASURED = {
    "cls_mirror_k256": (
        "spp runs classifier and mirror as two processes, spp_vf and spp_mirror, joined by a "
        "ring; the line-rate pcap `infinite_rx` source needs the polling process to be the "
        "DPDK primary (`--standalone`), and a standalone process admits no secondary "
        "(SPEC §2.2), so this harness cannot feed that pipeline. No spp number is given; "
        "the OVS-DPDK figure (classifier 256 MACs + mirror of everything) is listed alone."),
}


def ovs_scenario(scen):
    return OVS_SCENARIO.get(scen, scen)


def is_mirror(scen):
    return scen.startswith("mirror_")


def mirror_mode(scen):
    return scen.split("_")[1] if is_mirror(scen) else None


def k_of(scen):
    digits = "".join(ch if ch.isdigit() else " " for ch in scen.split("_k", 1)[-1]).split()
    return int(digits[0]) if digits else 1


def testpmd_target(scen):
    """(kind, target) against testpmd io; target None = informative; None if not a reference."""
    if scen.startswith("fwd_k"):
        return "forward", FORWARD_TARGET
    if scen.startswith("merge"):
        return "merge", MERGE_TARGET
    if scen.startswith("classify_bcast"):
        return "classifier + broadcast", None
    if scen.startswith("classify_k"):
        return "classifier", CLASSIFIER_TARGET
    if scen.startswith("vlan_k"):
        return "VLAN strip", VLAN_TARGET
    return None


def expected_shares(scen):
    """Share of the received frames each sink should transmit, or None."""
    if scen.startswith("classify_bcast"):
        return None  # flooded: 1 % of frames go to 5 ports
    if scen == "mirror_all_classify_k256":  # OVS: classifier + mirror of everything
        return (0.25, 0.25, 0.25, 0.25, 0, 1.0)
    if is_mirror(scen):  # spp mirror_*, OVS mirror_all_k1
        return (1.0, 0, 0, 0, 0, 1.0)  # originals to s1, one copy each to mir
    if scen.startswith(("fwd_", "merge4")) or k_of(scen) == 1:
        return (1.0, 0, 0, 0, 0, 0)
    if scen.startswith(("classify_k", "vlan_k")):
        return (0.25, 0.25, 0.25, 0.25, 0, 0)
    return None


def load(path):
    rows = []
    with open(path) as fh:
        header = None
        for ln in fh:
            cols = ln.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            if len(cols) == len(header):
                rows.append(dict(zip(header, cols)))
    return rows


def fmt(x):
    return "%.2f" % x


class Stat:
    """Median [min-max] of the clean runs (or of all, flagged, if none was clean)."""

    def __init__(self, rows):
        self.rows = rows
        self.vals = [float(r["rx_mpps"]) for r in rows]
        self.med = statistics.median(self.vals) if self.vals else None
        self.lo = min(self.vals) if self.vals else None
        self.hi = max(self.vals) if self.vals else None

    def __bool__(self):
        return bool(self.vals)

    def md(self, bold=True):
        if not self.vals:
            return "-"
        m = fmt(self.med)
        return "%s [%s-%s]" % ("**%s**" % m if bold else m, fmt(self.lo), fmt(self.hi))


def summary(raw):
    """Everything the table and the plot need, from RAWDIR."""
    rows = load(os.path.join(raw, "runs.tsv"))
    env = open(os.path.join(raw, "env.txt")).read().splitlines()
    envd = {ln.split(": ", 1)[0]: ln.split(": ", 1)[1] for ln in env if ": " in ln}
    groups, disturbed = {}, {}
    for r in rows:
        key = (r["tool"], r["scenario"])
        groups.setdefault(key, [])
        if r.get("clean", "yes") == "yes":
            groups[key].append(r)
        else:
            disturbed.setdefault(key, []).append(r)
    fallback = [k for k, v in groups.items() if not v]
    for k in fallback:  # no clean run at all: use the disturbed ones, flagged
        groups[k] = disturbed.pop(k)
    opts = envd.get("options", "")
    order = opts.split("scenarios=", 1)[1].split() if "scenarios=" in opts else []
    for (tool, scen) in groups:  # anything measured but not listed (older runs.tsv)
        if tool == "spp" and scen not in order:
            order.append(scen)
    if ("spp", "fwd_k1") in groups and "fwd_k1" not in order:
        order.insert(0, "fwd_k1")  # brought along by the mirror scenarios
    ovs_run = not envd.get("ovs", "").startswith("not run")
    ref = Stat(groups.get(("testpmd", "fwd_k1"), []))
    fwd = Stat(groups.get(("spp", "fwd_k1"), []))
    k1 = Stat(groups.get(("spp", "classify_k1"), []))
    scen_rows = []
    for scen in order:
        spp = Stat(groups.get(("spp", scen), []))
        oname = ovs_scenario(scen)
        ovs = Stat(groups.get(("ovs", oname), []))
        targets = []  # (label, ratio or None, target or None, reference name)
        tt = testpmd_target(scen)
        if tt:
            kind, tgt = tt
            targets.append(("%s vs testpmd io" % kind,
                            spp.med / ref.med if spp and ref else None, tgt, "testpmd io"))
            if scen.startswith("classify_k") and k_of(scen) == 4096:
                targets.append(("K=4096 vs our K=1",
                                spp.med / k1.med if spp and k1 else None, K4096_VS_K1_TARGET,
                                "classify_k1"))
        if is_mirror(scen):
            targets.append(("mirror %s vs our forward" % mirror_mode(scen),
                            spp.med / fwd.med if spp and fwd else None,
                            MIRROR_TARGETS.get(mirror_mode(scen)), "spp_vf fwd_k1"))
        scen_rows.append({
            "scen": scen, "spp": spp, "ovs": ovs, "ovs_name": oname,
            "testpmd": ref if tt else None, "targets": targets,
            "ovs_ratio": spp.med / ovs.med if spp and ovs else None,
            "not_measured": NOT_MEASURED.get(scen) if not spp else None,
        })
    return {"rows": rows, "groups": groups, "disturbed": disturbed, "fallback": fallback,
            "env": env, "envd": envd, "ref": ref, "fwd": fwd, "scen_rows": scen_rows,
            "ovs_run": ovs_run}


def met_cell(ratio, tgt):
    if tgt is None:
        return "-"
    if ratio is None:
        return "**no reference**"
    return "met" if ratio >= tgt else "**missed**"


def result_table(w, S):
    """The one table of issue 8; returns (met, missed, unevaluated) lists of labels."""
    met, missed, unev = [], [], []
    w("| scenario | spp Mpps, median [min-max] | testpmd io Mpps, median [min-max] "
      "| OVS-DPDK Mpps, median [min-max] | target | ratio | met? | spp / OVS-DPDK "
      "| >= %.0fx OVS-DPDK? |" % OVS_TARGET)
    w("|---|---|---|---|---|---|---|---|---|")
    notes = []
    for sr in S["scen_rows"]:
        scen, spp, ovs = sr["scen"], sr["spp"], sr["ovs"]
        if sr["not_measured"]:
            notes.append((scen, sr["not_measured"]))
            spp_cell = "not measured (%s)" % ("note %d" % len(notes))
        else:
            spp_cell = spp.md() if spp else "-"
        tp = sr["testpmd"].md(bold=False) if sr["testpmd"] is not None and sr["testpmd"] else "-"
        if not S["ovs_run"]:
            ovs_cell = "not run (-O)"
        elif ovs:
            ovs_cell = ovs.md(bold=False)
            if sr["ovs_name"] != scen:
                ovs_cell += " (`%s`)" % sr["ovs_name"]
        else:
            ovs_cell = "-" + (" (`%s`)" % sr["ovs_name"] if sr["ovs_name"] != scen else "")
        tl, rl, ml = [], [], []
        for label, ratio, tgt, _ in sr["targets"]:
            tl.append(">= %.2fx (%s)" % (tgt, label) if tgt is not None else
                      "- (%s, informative)" % label)
            rl.append("%.3f" % ratio if ratio is not None else "-")
            m = met_cell(ratio, tgt)
            ml.append(m)
            if tgt is not None:
                (met if m == "met" else missed if m == "**missed**" else unev).append(
                    "%s: %s" % (scen, label))
        if sr["not_measured"]:
            ovs_ratio, ovs_met = "-", "not measured"
            unev.append("%s: >= %.0fx OVS-DPDK" % (scen, OVS_TARGET))
        elif not S["ovs_run"] or sr["ovs_ratio"] is None:
            ovs_ratio, ovs_met = "-", "-"
            unev.append("%s: >= %.0fx OVS-DPDK" % (scen, OVS_TARGET))
        else:
            ovs_ratio = "%.2fx" % sr["ovs_ratio"]
            ovs_met = met_cell(sr["ovs_ratio"], OVS_TARGET)
            (met if ovs_met == "met" else missed).append(
                "%s: >= %.0fx OVS-DPDK" % (scen, OVS_TARGET))
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            scen, spp_cell, tp, ovs_cell, "<br>".join(tl) or "-", "<br>".join(rl) or "-",
            "<br>".join(ml) or "-", ovs_ratio, ovs_met))
    w("")
    return met, missed, unev, notes


def mirror_table(w, S):
    """spp_mirror details: originals and copies."""
    fwd = S["fwd"]
    mir = [sr for sr in S["scen_rows"] if is_mirror(sr["scen"]) and sr["spp"]]
    if not mir:
        return
    w("### spp_mirror")
    w("")
    w("spp_mirror `--standalone` (same EAL, ports and traffic as fwd_k1): `component start mir 1 "
      "mirror shallow|deep`, `port add phy:1 tx mir` (originals -> s1), `port add phy:6 tx mir` "
      "(copies -> mir), `port add phy:0 rx mir`. Mpps = frames received from the source and "
      "mirrored per second (each one leaves twice: original and copy). Reference: **our "
      "forward**, spp_vf fwd_k1 of this invocation%s." % (
          (", %s Mpps median [%s-%s]" % (fmt(fwd.med), fmt(fwd.lo), fmt(fwd.hi))) if fwd
          else " (**not measured in this invocation**)"))
    w("")
    w("| scenario | spp_mirror Mpps | originals on s1 Mpps | copies on mir Mpps | copies / rx "
      "| drops |")
    w("|---|---|---|---|---|---|")
    for sr in mir:
        rs = sr["spp"].rows
        per = [[float(x) for x in r["tx_by_port"].split(",")] for r in rs]
        s1 = statistics.median(p[0] for p in per)
        mirr = statistics.median(p[5] for p in per)
        # copies / frames received, per run (tx counters of mir vs the source's rx)
        cr = [p[5] / float(r["rx_mpps"]) for r, p in zip(rs, per) if float(r["rx_mpps"]) > 0]
        cr_s = ("%.3f-%.3f" % (min(cr), max(cr))) if cr else "-"
        if cr and min(cr) < 0.98:
            cr_s = "**" + cr_s + "**"
        drops = [r["drop_frac"] for r in rs if r["drop_frac"] not in ("-", "?")]
        drop = max(drops, key=lambda x: float(x.split("(")[0])) if drops else "?"
        w("| %s | %s | %s | %s | %s | %s |" % (sr["scen"], sr["spp"].md(), fmt(s1), fmt(mirr),
                                             cr_s, drop))
    w("")
    w("copies / rx = frames sent on mir / frames received from the source, range over runs (1 = "
      "every frame copied; a copy fails only when the copy pool is empty, counted as a drop, "
      "reason nombuf); drops = component drop_packets / rx_packets over the window, max over "
      "runs.")
    w("")


def ovs_table(w, S):
    keys = [k for k in S["groups"] if k[0] == "ovs"]
    if not keys:
        return
    w("### OVS-DPDK")
    w("")
    w("`bench/ovs_bench.sh` (peer-bench's, copied; a fresh ovsdb-server + ovs-vswitchd per run, "
      "PMD thread alone on CPU 1, bridge with the same pcap source and net_null sinks, "
      "OpenFlow rules per scenario as in peer-bench); rate = source rx from `ovs-ofctl "
      "dump-ports` over the window. cycles/pkt and the cache hits come from "
      "`dpif-netdev/pmd-stats-show` (medians / last run); PMD CPU = CPU time of the pmd "
      "thread / window (range over runs).")
    w("")
    w("| OVS scenario | compared with | runs (Mpps) | median | cycles/pkt | datapath path | PMD CPU |")
    w("|---|---|---|---|---|---|---|")
    for k in keys:
        rs = S["groups"][k]
        v = [float(r["rx_mpps"]) for r in rs]
        cyc = [float(r["ovs_cyc_per_pkt"]) for r in rs
               if r.get("ovs_cyc_per_pkt", "-") not in ("-", "")]
        shares = [float(r["worker_share"]) for r in rs if float(r["worker_share"]) >= 0]
        ours = [sr["scen"] for sr in S["scen_rows"] if sr["ovs_name"] == k[1]]
        w("| %s | %s | %s | %s | %s | %s | %s |" % (
            k[1], ", ".join(ours) or "-", ", ".join(fmt(x) for x in v),
            fmt(statistics.median(v)),
            "%.0f" % statistics.median(cyc) if cyc else "-", rs[-1].get("ovs_path", "-"),
            "%.0f-%.0f %%" % (100 * min(shares), 100 * max(shares)) if shares else "-"))
    w("")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plot", help="image to embed (path relative to the Markdown file)")
    ap.add_argument("--docs", action="store_true", help="header of docs/performance-results.md")
    ap.add_argument("raw")
    a = ap.parse_args()
    raw = a.raw
    S = summary(raw)
    rows, groups, disturbed, fallback = S["rows"], S["groups"], S["disturbed"], S["fallback"]
    env, envd = S["env"], S["envd"]
    cmds = open(os.path.join(raw, "commands.txt")).read().splitlines()
    stamp = envd.get("stamp", os.path.basename(raw))
    out = []
    w = out.append
    if a.docs:
        repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        where = os.path.abspath(raw)
        if where.startswith(repo + os.sep):
            where = os.path.relpath(where, repo)
        w("<!-- Generated by `sudo bench/run.sh -D` (bench/report.py) from %s/; "
          "do not edit by hand: run the bench again. -->" % where)
        w("")
        w("# Benchmark results %s" % stamp)
        w("")
        w("Written by `sudo bench/run.sh -D` (method and discussion: "
          "[performance.md](performance.md); raw data of this run: `%s/` on the "
          "machine that ran it)." % where)
    else:
        w("# spp benchmark %s" % stamp)
    w("")
    dur = envd.get("options", "").split("duration=")[-1].split()[0] if "options" in envd else "?"
    nruns = max((len(v) for v in groups.values()), default=0)
    w("spp_vf and spp_mirror ran in **standalone mode** (`--standalone`: a DPDK primary owning "
      "its ports); dpdk-testpmd io fwd (the reference of the forward, merge, classifier and "
      "VLAN targets)%s ran on the same harness in the same invocation, interleaved "
      "with the spp runs: 64-byte frames from a net_pcap `infinite_rx` source, net_null "
      "sinks, one forwarding lcore (OVS: one PMD thread) alone on CPU 1, everything else on "
      "CPU 0; rate = frames received from the source port(s) per second, read from outside "
      "the process (DPDK telemetry, `ovs-ofctl dump-ports`); median [min-max] of %d run(s) "
      "x %s.%s" % (" and OVS-DPDK" if S["ovs_run"] else "", nruns, dur,
                    "" if S["ovs_run"] else " OVS-DPDK was not run (`-O`)."))
    w("")
    if a.plot:
        w("![Mpps per scenario: spp, testpmd io, OVS-DPDK; bars = median, whiskers = min-max]"
          "(%s)" % a.plot)
        w("")
    met, missed, unev, notes = result_table(w, S)
    ref = S["ref"]
    if ref:
        w("testpmd io: `--forward-mode=io --port-topology=chained --nb-cores=1` on the same "
          "7-port layout with the fwd_k1 traffic, runs %s; the same measurement is the reference "
          "of every row that shows it (merge, classifier and VLAN included: testpmd io has no "
          "such modes)." % ", ".join(fmt(x) for x in ref.vals))
    else:
        w("**No testpmd io run in this invocation: no reference for the testpmd targets.**")
    w("")
    for i, (scen, why) in enumerate(notes, 1):
        w("Note %d, %s: %s" % (i, scen, why))
        w("")
    w("Targets: %d met, %d missed%s." % (
        len(met), len(missed), (", %d not evaluated (%s)" % (len(unev), "; ".join(unev)))
        if unev else ""))
    if missed:
        w("Missed: %s." % "; ".join(missed))
    w("All targets met: **%s**." % ("yes" if not missed and not unev else "no"))
    w("")
    mirror_table(w, S)
    ovs_table(w, S)
    waits = [int(r.get("quiet_wait_s", "0") or 0) for r in rows]
    if any(waits):
        w("Other processes were using CPU 1 on this machine: before %d of %d runs the harness "
          "waited for it to be idle (%d s in all)." % (sum(1 for x in waits if x > 0), len(rows),
                                                      sum(waits)))
        w("")
    nd = sum(len(v) for v in disturbed.values())
    w("Runs whose forwarding thread (spp or testpmd lcore, OVS PMD) did not have CPU 1 to "
      "itself (another thread took more than 3 %% of it, or the thread got less than 97 %%) "
      "are repeated and left out of the medians: %d left out%s." % (nd, (": " + ", ".join(
          "%s %s run %s (%.2f Mpps, worker %.0f %%, others %.0f %%)" % (
              r["tool"], r["scenario"], r["run"], float(r["rx_mpps"]),
              100 * float(r["worker_share"]), 100 * float(r["others_cpu1"]))
          for v in disturbed.values() for r in v)) if nd else ""))
    runs_planned = envd.get("options", "").split("runs=")[-1].split()[0] if "runs=" in \
        envd.get("options", "") else None
    if runs_planned and runs_planned.isdigit():
        short = ["%s %s (%d)" % (k[0], k[1], len(v)) for k, v in groups.items()
                 if k not in fallback and len(v) < int(runs_planned)]
        if short:
            w("")
            w("Fewer than %s clean runs (time budget or a busy machine): %s." % (
                runs_planned, ", ".join(short)))
    if fallback:
        w("")
        w("**Warning**: no clean run for %s; their medians include disturbed runs." %
          ", ".join("%s %s" % k for k in fallback))
    w("")

    w("## Details")
    w("")
    w("rx = frames/s taken from the source port(s); tx = frames/s sent per sink (s1, s2, s3, s4, "
      "dflt, mir), medians; drops = spp component drop_packets / rx_packets over the window "
      "(`status` right before and after it; max over runs, reasons if any); config = seconds "
      "from spp's connection to the last success reply; check = frames reached the expected "
      "sinks (within 2 % of rx); worker CPU = CPU time of the forwarding thread (OVS: PMD) / "
      "window (range over runs).")
    w("")
    w("| tool | scenario | runs (Mpps) | rx median | tx sum median | tx per sink | drops "
      "| config s | worker CPU | check |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for (tool, scen), rs in groups.items():
        rx = [float(r["rx_mpps"]) for r in rs]
        txs = statistics.median(float(r["tx_sum_mpps"]) for r in rs)
        per = [[float(x) for x in r["tx_by_port"].split(",")] for r in rs]
        per_med = [statistics.median(p[i] for p in per) for i in range(len(SINKS))]
        drops = [r["drop_frac"] for r in rs if r["drop_frac"] not in ("-", "?")]
        drop = max(drops, key=lambda x: float(x.split("(")[0])) if drops else "-"
        cfg = [r["config_s"] for r in rs if r["config_s"] != "-"]
        cfg_s = "%.2f" % statistics.median(float(x) for x in cfg) if cfg else "-"
        exp = expected_shares(scen)
        problems = []
        for r, p in zip(rs, per):
            rxv = float(r["rx_mpps"])
            if exp is not None and rxv > 0:
                for i, e in enumerate(exp):
                    if abs(p[i] / rxv - e) > 0.02:
                        problems.append("run %s %s %.0f%%" % (r["run"], SINKS[i],
                                                              100 * p[i] / rxv))
        check = "ok" if exp is not None and not problems else (
            "-" if exp is None else "**" + "; ".join(problems[:3]) + "**")
        shares = [float(r["worker_share"]) for r in rs if float(r["worker_share"]) >= 0]
        wcpu = "%.0f-%.0f %%" % (100 * min(shares), 100 * max(shares)) if shares else "-"
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            tool, scen, ", ".join(fmt(x) for x in rx), fmt(statistics.median(rx)), fmt(txs),
            ", ".join(fmt(x) for x in per_med), drop, cfg_s, wcpu, check))
    w("")

    w("## Commands")
    w("")
    w("Invocation: `%s` (%s)." % (envd.get("command", "?"), envd.get("options", "?")))
    w("Every run's exact command line is in `%s/commands.txt`; run 1 of each:" %
      os.path.basename(raw))
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
    w("Raw data: `%s/` (runs.tsv, commands.txt, logs/, status/, ovs/, pinning.txt, env.txt)." %
      os.path.basename(raw))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
