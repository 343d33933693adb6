#!/usr/bin/env python3
"""report.py RAWDIR - Markdown report of one bench/run.sh invocation.

Reads RAWDIR/runs.tsv (one line per run), RAWDIR/env.txt and
RAWDIR/commands.txt, and prints: the result table (spp_vf median [min-max],
testpmd io median taken in the same invocation, ratio, target, met?), the
spp_mirror table (mirror_* scenarios: median [min-max], spp_vf forward
fwd_k1 median of the same invocation, ratio, target, met?, originals on s1,
copies on mir, drops), the per-sink details with a sanity check of where the
frames went, the exact commands and the environment. Python 3 standard
library only.
"""
import os
import statistics
import sys

# Targets against testpmd io on the same layout (the peer the targets name).
FORWARD_TARGET = 0.95
CLASSIFIER_TARGET = 0.85
# spp_mirror against spp_vf forward (fwd_k1) of the same invocation.
MIRROR_TARGETS = {"shallow": 0.60, "deep": None}  # deep: informative
SINKS = ("s1", "s2", "s3", "s4", "dflt", "mir")


def is_mirror(scen):
    return scen.startswith("mirror_")


def mirror_mode(scen):
    return scen.split("_")[1] if is_mirror(scen) else None


def target_for(scen):
    if is_mirror(scen):
        return "mirror %s, vs spp_vf forward" % mirror_mode(scen), \
            MIRROR_TARGETS.get(mirror_mode(scen))
    if scen.startswith("fwd_k"):
        return "forward", FORWARD_TARGET
    if scen.startswith("classify_k"):
        return "classifier", CLASSIFIER_TARGET
    return None, None


def k_of(scen):
    digits = "".join(ch if ch.isdigit() else " " for ch in scen.split("_k", 1)[-1]).split()
    return int(digits[0]) if digits else 1


def expected_shares(scen):
    """Share of the received frames each sink should transmit, or None."""
    if scen.startswith("classify_bcast"):
        return None  # flooded: 1 % of frames go to 5 ports
    if is_mirror(scen):
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


def mirror_table(w, groups, mir):
    """The spp_mirror table; returns whether its targets were met."""
    fwd_rows = groups.get(("spp", "fwd_k1"), [])
    fwd_vals = [float(r["rx_mpps"]) for r in fwd_rows]
    fwd = statistics.median(fwd_vals) if fwd_vals else None
    w("### spp_mirror")
    w("")
    w("spp_mirror `--standalone` (same EAL, ports and traffic as fwd_k1): `component start mir 1 "
      "mirror shallow|deep`, `port add phy:1 tx mir` (originals -> s1), `port add phy:6 tx mir` "
      "(copies -> mir), `port add phy:0 rx mir`. Mpps = frames received from the source and "
      "mirrored per second (each one leaves twice: original and copy). Reference: **our "
      "forward**, spp_vf fwd_k1 of this invocation.")
    w("")
    w("| scenario | spp_mirror Mpps, median [min-max] | our forward (spp_vf fwd_k1) Mpps, median "
      "| ratio | target | met? | originals on s1 Mpps | copies on mir Mpps | copies / rx "
      "| drops |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    met_all = True
    for scen, rs in mir:
        v = [float(r["rx_mpps"]) for r in rs]
        med = statistics.median(v)
        kind, tgt = target_for(scen)
        ratio = med / fwd if fwd else None
        if tgt is None or ratio is None:
            met = "-" if tgt is None else "**no reference**"
            met_all = met_all and tgt is None
        else:
            ok = ratio >= tgt
            met_all = met_all and ok
            met = "yes" if ok else "**NO**"
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
        w("| %s | **%s** [%s-%s] | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            scen, fmt(med), fmt(min(v)), fmt(max(v)), fmt(fwd) if fwd else "-",
            "%.3f" % ratio if ratio else "-",
            ">= %.2f x (%s)" % (tgt, kind) if tgt else "- (informative)", met,
            fmt(s1), fmt(mirr), cr_s, drop))
    w("")
    if fwd_vals:
        w("Our forward: spp_vf fwd_k1 (standalone, same invocation): **%s** Mpps median [%s-%s], "
          "runs: %s. copies / rx = frames sent on mir / frames received from the source, "
          "range over runs (1 = every frame copied; a copy fails only when the copy pool is "
          "empty, counted as a drop, reason nombuf); drops = component drop_packets / "
          "rx_packets over the window, max over runs." % (
              fmt(fwd), fmt(min(fwd_vals)), fmt(max(fwd_vals)),
              ", ".join(fmt(x) for x in fwd_vals)))
    else:
        w("**No spp_vf fwd_k1 run in this invocation: no reference for the mirror ratio.**")
    w("")
    return met_all


def main(raw):
    rows = load(os.path.join(raw, "runs.tsv"))
    env = open(os.path.join(raw, "env.txt")).read().splitlines()
    cmds = open(os.path.join(raw, "commands.txt")).read().splitlines()
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

    ref_rows = groups.get(("testpmd", "fwd_k1"), [])
    ref_vals = [float(r["rx_mpps"]) for r in ref_rows]
    ref = statistics.median(ref_vals) if ref_vals else None
    out = []
    w = out.append
    w("# spp_vf / spp_mirror benchmark %s" % envd.get("stamp", os.path.basename(raw)))
    w("")
    w("spp_vf (and spp_mirror) ran in **standalone mode** (`--standalone`: a DPDK primary owning its ports); "
      "testpmd io fwd is the reference, measured in the same invocation, interleaved with the "
      "spp_vf runs. 64-byte frames, net_pcap `infinite_rx` source, net_null sinks, one "
      "forwarding lcore on CPU 1; rate = frames received from the source port per second "
      "(DPDK telemetry), median of %d run(s) x %s." % (
          max((len(v) for v in groups.values()), default=0),
          envd.get("options", "").split("duration=")[-1].split()[0] if "options" in envd
          else "?"))
    w("")
    w("| scenario | spp_vf (standalone) Mpps, median [min-max] | testpmd io Mpps, median "
      "| ratio | target | met? |")
    w("|---|---|---|---|---|---|")
    all_met = True
    for (tool, scen), rs in groups.items():
        if tool != "spp" or is_mirror(scen):
            continue
        v = [float(r["rx_mpps"]) for r in rs]
        med = statistics.median(v)
        kind, tgt = target_for(scen)
        ratio = med / ref if ref else None
        if tgt is None or ratio is None:
            met = "-"
        else:
            ok = ratio >= tgt
            all_met = all_met and ok
            met = "yes" if ok else "**NO**"
        w("| %s | **%s** [%s-%s] | %s | %s | %s | %s |" % (
            scen, fmt(med), fmt(min(v)), fmt(max(v)), fmt(ref) if ref else "-",
            "%.3f" % ratio if ratio else "-",
            ">= %.2f x (%s)" % (tgt, kind) if tgt else "- (informative)", met))
    w("")
    if ref_vals:
        w("Reference: testpmd io fwd (`--forward-mode=io --port-topology=chained --nb-cores=1`) "
          "on the same 7-port layout with the fwd_k1 traffic: **%s** Mpps median [%s-%s], runs: %s. "
          "The same number is the reference of every spp_vf scenario." % (
              fmt(ref), fmt(min(ref_vals)), fmt(max(ref_vals)),
              ", ".join(fmt(x) for x in ref_vals)))
    w("")
    mir = [(scen, rs) for (tool, scen), rs in groups.items() if tool == "spp" and is_mirror(scen)]
    if mir:
        all_met = mirror_table(w, groups, mir) and all_met
    w("All targets met: **%s**." % ("yes" if all_met else "no"))
    w("")
    waits = [int(r.get("quiet_wait_s", "0") or 0) for r in rows]
    if any(waits):
        w("Other processes were using CPU 1 on this machine: before %d of %d runs the harness "
          "waited for it to be idle (%d s in all)." % (sum(1 for x in waits if x > 0), len(rows),
                                                      sum(waits)))
        w("")
    nd = sum(len(v) for v in disturbed.values())
    w("Runs whose forwarding thread did not have CPU 1 to itself (another thread took more "
      "than 3 %% of it, or the thread got less than 97 %%) are repeated and left out of the "
      "medians: %d left out%s." % (nd, (": " + ", ".join(
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
      "(`status` right before and after it; max over runs, reasons if any); config = seconds from spp's "
      "connection to the last success reply; check = frames reached the expected sinks "
      "(within 2 % of rx); worker CPU = CPU time of the forwarding thread / window "
      "(range over runs).")
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
    w("Raw data: `%s/` (runs.tsv, commands.txt, logs/, status/, pinning.txt, env.txt)." %
      os.path.basename(raw))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
