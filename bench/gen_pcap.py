#!/usr/bin/env python3
# Copied unchanged (but for these two comment lines) from the peer harness peer-bench/gen_pcap.py,
# so bench/ is self-contained and spp is fed exactly the frames the peers were.
"""Write pcap files of small Ethernet frames for the L2 benchmarks.

Python 3 standard library only.

Every frame is an Ethernet II / IPv4 / UDP frame padded to --frame-len bytes
(default 64, i.e. the pcap record / mbuf data_len is 64 bytes; DPDK vdevs never
add an FCS). Source MAC, source IP and UDP ports are constant. By default
(--l3 permac) destination MAC number i also gets its own destination IP
10.1.x.y (x.y = i+1), as if each MAC were a different VM; with --l3 fixed all
frames carry 10.0.0.1 -> 10.0.0.2, so the frames differ ONLY in the dst MAC
(and VID). That matters for OVS: without NIC RSS it hashes the 5-tuple in
software for its exact-match cache (EMC), so with --l3 fixed all K flows
collide in one EMC bucket. An L2 classifier should not care.

Destination MAC number i (0 <= i < K) is 02:00:00:XX:XX:XX with XX:XX:XX = i+1
(locally administered, unicast). Frames cycle round-robin over the K MACs:
frame j carries MAC number (j mod K).  The file holds --count frames
(default 4096, a multiple of every K used here), which the DPDK pcap PMD keeps
in memory and replays forever with infinite_rx=1.

Variants:
  plain   : untagged frames.
  vlan    : 802.1Q tag inserted, VID = vlan_base + (i mod vlans) (the tag is
            inside the 64 bytes: the frame stays --frame-len long).
  bcast   : like plain, but every --bcast-every-th frame (default 100, ~1%)
            has destination ff:ff:ff:ff:ff:ff instead.

The mapping "MAC i -> sink port (i mod 4)" and "VID -> sink" is what the OVS
benchmark installs as OpenFlow rules (see ovs_bench.sh); mac_for() is the
single source of truth and `--print-macs K` prints the list for scripts.

Usage:
  gen_pcap.py --out-dir DIR            # write the standard set (see below)
  gen_pcap.py --one FILE --macs K [--variant plain|vlan|bcast] [...]
  gen_pcap.py --print-macs K           # one MAC per line
Standard set (written by --out-dir), all --l3 permac unless named fixedl3:
  macs{1,4,16,256,4096}.pcap, vlan_macs{1,4,16,256,4096}.pcap,
  bcast_macs{1,4,16,256,4096}.pcap, macs4096_fixedl3.pcap
"""
import argparse
import os
import struct
import sys

SRC_MAC = bytes.fromhex("020000ff0001")
BCAST = b"\xff" * 6
K_SET = (1, 4, 16, 256, 4096)


def mac_for(i):
    """Destination MAC number i as 6 bytes (02:00:00 + 24-bit i+1)."""
    n = i + 1
    return bytes([0x02, 0x00, 0x00, (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF])


def mac_str(b):
    return ":".join("%02x" % x for x in b)


def ip_checksum(hdr):
    s = 0
    for k in range(0, len(hdr), 2):
        s += (hdr[k] << 8) | hdr[k + 1]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def dst_ip_for(i, l3):
    if l3 == "fixed":
        return bytes([10, 0, 0, 2])
    n = i + 1
    return bytes([10, 1, (n >> 8) & 0xFF, n & 0xFF])


def l3_payload(l3_len, seq, dst_ip):
    """IPv4/UDP datagram of exactly l3_len bytes (>= 28)."""
    udp_len = l3_len - 20
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, l3_len, seq & 0xFFFF,
                               0, 64, 17, 0, bytes([10, 0, 0, 1]), dst_ip))
    struct.pack_into("!H", ip, 10, ip_checksum(ip))
    udp = struct.pack("!HHHH", 1024, 1024, udp_len, 0)  # UDP csum 0 = none
    return bytes(ip) + udp + bytes(udp_len - 8)


def frame(dst, frame_len, seq, vid=None, dst_ip=b"\x0a\x00\x00\x02"):
    if vid is None:
        l2 = dst + SRC_MAC + struct.pack("!H", 0x0800)
    else:
        l2 = dst + SRC_MAC + struct.pack("!HHH", 0x8100, vid & 0x0FFF, 0x0800)
    f = l2 + l3_payload(frame_len - len(l2), seq, dst_ip)
    assert len(f) == frame_len, (len(f), frame_len)
    return f


def write_pcap(path, frames):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        # classic pcap, microsecond timestamps, LINKTYPE_ETHERNET, snaplen 65535
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n, f in enumerate(frames):
            fh.write(struct.pack("<IIII", n // 1000000, n % 1000000, len(f), len(f)))
            fh.write(f)
    os.replace(tmp, path)


def build(k, variant, count, frame_len, vlan_base, vlans, bcast_every, l3="permac"):
    frames = []
    for j in range(count):
        i = j % k
        dst = mac_for(i)
        vid = None
        if variant == "vlan":
            vid = vlan_base + (i % vlans)
        elif variant == "bcast" and bcast_every > 0 and j % bcast_every == bcast_every - 1:
            dst = BCAST
        frames.append(frame(dst, frame_len, j, vid, dst_ip_for(i, l3)))
    return frames


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", help="write the standard set into this directory")
    ap.add_argument("--one", metavar="FILE", help="write a single pcap")
    ap.add_argument("--macs", type=int, default=1, help="K distinct dst MACs (--one)")
    ap.add_argument("--variant", choices=("plain", "vlan", "bcast"), default="plain")
    ap.add_argument("--count", type=int, default=4096, help="frames per file")
    ap.add_argument("--frame-len", type=int, default=64,
                    help="bytes per frame as stored in pcap (no FCS); default 64")
    ap.add_argument("--vlan-base", type=int, default=100)
    ap.add_argument("--vlans", type=int, default=4, help="distinct VIDs (vlan variant)")
    ap.add_argument("--bcast-every", type=int, default=100,
                    help="bcast variant: every Nth frame is broadcast (100 -> ~1%%)")
    ap.add_argument("--l3", choices=("permac", "fixed"), default="permac",
                    help="dst IP per MAC (default) or one fixed 5-tuple for all")
    ap.add_argument("--print-macs", type=int, metavar="K",
                    help="print the K destination MACs, one per line, and exit")
    a = ap.parse_args()

    if a.print_macs:
        sys.stdout.write("".join(mac_str(mac_for(i)) + "\n" for i in range(a.print_macs)))
        return 0
    if a.frame_len < 60 or a.frame_len > 1514:
        ap.error("--frame-len must be 60..1514")
    if a.one:
        if a.count < a.macs:
            ap.error("--count must be >= --macs")
        write_pcap(a.one, build(a.macs, a.variant, a.count, a.frame_len,
                                a.vlan_base, a.vlans, a.bcast_every, a.l3))
        print(a.one)
        return 0
    if a.out_dir:
        os.makedirs(a.out_dir, exist_ok=True)
        for k in K_SET:
            count = max(a.count, k)
            for variant, prefix in (("plain", "macs"), ("vlan", "vlan_macs"),
                                    ("bcast", "bcast_macs")):
                p = os.path.join(a.out_dir, "%s%d.pcap" % (prefix, k))
                write_pcap(p, build(k, variant, count, a.frame_len, a.vlan_base,
                                    a.vlans, a.bcast_every, a.l3))
                print(p)
        p = os.path.join(a.out_dir, "macs4096_fixedl3.pcap")
        write_pcap(p, build(4096, "plain", max(a.count, 4096), a.frame_len, a.vlan_base,
                            a.vlans, a.bcast_every, "fixed"))
        print(p)
        return 0
    ap.error("need --out-dir, --one or --print-macs")


if __name__ == "__main__":
    sys.exit(main())
