#!/usr/bin/env python3
"""plot.py RAWDIR OUT.svg - the plot of one bench/run.sh invocation, as SVG.

Grouped bars, one group per scenario (the order of the report's table): spp,
testpmd io, OVS-DPDK; bar = median Mpps, whisker = min-max over the runs.
testpmd io was measured once (fwd_k1 traffic): its bar stands in the fwd_k1
group, and a dashed line at its median runs across the plot (the reference of
the forward, merge, classifier and VLAN targets). A scenario without an spp
number (cls_mirror_k256) says "not measured" where its bar would be. The
OVS scenario's name is printed under a group when it differs from ours.
Hand-written SVG (no plotting library); the numbers come from report.py's
summary(). Python 3 standard library only.
"""
import math
import os
import sys
from xml.sax.saxutils import escape

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

COL = {"spp": "#1f77b4", "testpmd": "#8c8c8c", "ovs": "#ff7f0e"}
LABEL = {"spp": "spp (spp_vf / spp_mirror, standalone)", "testpmd": "dpdk-testpmd io fwd",
         "ovs": "OVS-DPDK 3.1"}
FONT = "font-family='DejaVu Sans, Arial, Helvetica, sans-serif'"


def nice_max(v):
    """Upper end of the y axis and the tick step."""
    v = max(v, 1.0) * 1.08
    mag = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= v / 5:  # at most ~6 ticks
            step = m * mag
            break
    return math.ceil(v / step) * step, step


def svg(S, title):
    rows = S["scen_rows"]
    ref = S["ref"]
    ovs_run = S["ovs_run"]
    tools = ["spp", "testpmd", "ovs"] if ovs_run else ["spp", "testpmd"]
    vals = [ref.hi or 0] + [x for r in rows for x in (r["spp"].hi or 0, r["ovs"].hi or 0)]
    ymax, step = nice_max(max(vals))
    bw = 20                   # bar width
    gap = 30                  # between groups

    def group_tools(r):  # testpmd has a bar only where it was measured (fwd_k1)
        return [t for t in tools if t != "testpmd" or r["scen"] == "fwd_k1"]

    left, right, top, bottom = 70, 20, 78, 150
    pw = sum(bw * len(group_tools(r)) + gap for r in rows)
    if pw < 780 and rows:  # title and legend fit: spread a few groups out
        gap += min(120, (780 - pw) / len(rows))
        pw = 780
    ph = 330
    W, H = left + pw + right, top + ph + bottom

    def y(v):
        return top + ph - ph * v / ymax

    o = []
    a = o.append
    a("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' %s "
      "font-size='12'>" % (W, H, W, H, FONT))
    a("<rect width='100%' height='100%' fill='white'/>")
    a("<text x='%d' y='22' font-size='15' font-weight='bold'>%s</text>" % (left, escape(title)))
    # legend
    lx = left
    for t in tools:
        a("<rect x='%d' y='34' width='12' height='12' fill='%s'/>" % (lx, COL[t]))
        a("<text x='%d' y='44'>%s</text>" % (lx + 16, escape(LABEL[t])))
        lx += 22 + 7 * len(LABEL[t])
    a("<text x='%d' y='62' fill='#555'>bar = median, whisker = min-max over the runs; "
      "64-byte frames, one forwarding core</text>" % left)
    # axes and grid
    v = 0.0
    while v <= ymax + 1e-9:
        yy = y(v)
        a("<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#e4e4e4'/>" % (left, left + pw, yy, yy))
        a("<text x='%d' y='%.1f' text-anchor='end'>%g</text>" % (left - 6, yy + 4, v))
        v += step
    a("<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='black'/>" % (left, left + pw, top + ph, top + ph))
    a("<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='black'/>" % (left, left, top, top + ph))
    a("<text transform='translate(18 %d) rotate(-90)' text-anchor='middle'>Mpps (million "
      "frames/s from the source)</text>" % (top + ph // 2))
    # testpmd reference line
    if ref:
        yy = y(ref.med)
        a("<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='%s' stroke-dasharray='6 4'/>" % (
            left, left + pw, yy, yy, COL["testpmd"]))
        a("<text x='%d' y='%.1f' text-anchor='end' fill='#555' font-size='11'>testpmd io "
          "%.1f (reference)</text>" % (left + pw - 4, yy - 5, ref.med))

    def bar(x, st, tool):
        if not st:
            return
        yy = y(st.med)
        a("<rect x='%.1f' y='%.1f' width='%d' height='%.1f' fill='%s'><title>%s: median %.2f, "
          "min %.2f, max %.2f Mpps (%d runs)</title></rect>" % (
              x, yy, bw, top + ph - yy, COL[tool], escape(LABEL[tool]), st.med, st.lo, st.hi,
              len(st.vals)))
        cx = x + bw / 2
        if st.hi > st.lo:
            a("<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='black'/>" % (
                cx, cx, y(st.hi), y(st.lo)))
            for e in (st.hi, st.lo):
                a("<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='black'/>" % (
                    cx - 4, cx + 4, y(e), y(e)))
        a("<text transform='translate(%.1f %.1f) rotate(-90)' font-size='10'>%.1f</text>" % (
            cx + 3.5, y(st.hi) - 4, st.med))

    gx = left + gap / 2
    for r in rows:
        gt = group_tools(r)
        for j, t in enumerate(gt):
            x = gx + j * bw
            if t == "spp":
                if r["spp"]:
                    bar(x, r["spp"], "spp")
                elif r["not_measured"]:
                    a("<text transform='translate(%.1f %d) rotate(-90)' font-size='10' "
                      "fill='%s'>spp: not measured</text>" % (x + bw / 2 + 3.5, top + ph - 6,
                                                                COL["spp"]))
            elif t == "testpmd":
                bar(x, ref, "testpmd")
            else:
                bar(x, r["ovs"], "ovs")
        cx = gx + bw * len(gt) / 2
        gx += bw * len(gt) + gap
        lab = r["scen"]
        a("<text transform='translate(%.1f %d) rotate(-40)' text-anchor='end'>%s</text>" % (
            cx + 4, top + ph + 14, escape(lab)))
        if ovs_run and r["ovs_name"] != r["scen"]:  # a second line, parallel to the first
            a("<text transform='translate(%.1f %.1f) rotate(-40)' text-anchor='end' "
              "font-size='10' fill='#a0522d'>OVS: %s</text>" % (
                  cx + 4 + 8.4, top + ph + 14 + 10, escape(r["ovs_name"])))
    a("</svg>")
    return "\n".join(o) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    raw, out = sys.argv[1], sys.argv[2]
    S = report.summary(raw)
    stamp = S["envd"].get("stamp", os.path.basename(raw))
    title = "spp vs dpdk-testpmd io vs OVS-DPDK, Mpps per scenario (bench/run.sh %s)" % stamp
    data = svg(S, title)
    tmp = out + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(data)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
