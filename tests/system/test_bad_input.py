"""Bad input classes of issue 9, with real processes: stream framing on the
control connection, REST bodies, file-system names and malformed packets.

Oracle for every case: a clear error (reply, HTTP status and text, or a drop
counter with its reason), the configuration in `status` unchanged, and
traffic on a parallel path intact (byte for byte, nothing lost).

Already covered elsewhere, and not repeated here (docs/reliability.md, "Bad input"
lists them): command grammar, resources and the classifier table
(test_bad_commands.py), 1-byte writes, several commands in one segment and a
1 MiB command on spp_vf (test_bad_commands.py), on the primary
(test_primary.py), deep JSON and bodies over 1 MiB without processes
(test_ctl_conn.py), symbolic links as vhost sockets (test_vhost.py), shell
metacharacters in launch (test_launch.py, test_ctl_rest.py), `../` in
capture file names (test_capture.py).
"""

import json
import os
import socket
from pathlib import Path

import pytest

from conftest import BUILD, SUCCESS, Proc, assert_error, assert_same_json, wait_for, write_pcap
from ctlproc import ctl_env
from pkts import BROADCAST, frame, mac, untagged
from test_vlan import add_tag

INJECT_BIN = BUILD / 'tests' / 'tools' / 'spp_inject'

M = '02:00:00:00:0b:01'          # the classifier's entry
OTHER = '02:00:00:00:0b:02'      # no entry: default
WMF = 'Wrong message format'
CMD = 'Invalid value (command)'
NAME = 'Invalid value (component name)'
MACERR = 'Invalid value (mac address)'
NO_DROPS = {'no_dest': 0, 'tx_full': 0, 'link_down': 0, 'nombuf': 0, 'vlan_error': 0,
            'malformed': 0}


# --- helpers ---------------------------------------------------------------

def config(info):
    """status info without counters: what a bad input must not change."""
    info = json.loads(json.dumps(info))
    info.pop('port_stats', None)
    for c in info.get('core', []):
        c.pop('stats', None)
    return info


def drops(**kw):
    d = dict(NO_DROPS)
    d.update(kw)
    return d


def good_frames(n=40):
    """The parallel path's traffic."""
    return [frame(mac(0x100 + i), n=i, size=[60, 200, 1514][i % 3]) for i in range(n)]


def raw_frame(dst, length, ethertype=None, fill=0xab):
    """Exactly `length` bytes: dst, a source MAC, an optional ethertype,
    then filler (a runt or a truncated header when length is small)."""
    b = bytes.fromhex(dst.replace(':', '')) + bytes.fromhex('0200000000ff')
    if ethertype is not None:
        b += ethertype.to_bytes(2, 'big')
    b += bytes([fill]) * max(0, length - len(b))
    return b[:length]


# Malformed frames (SPEC §8.5, §8.6). Runts: shorter than an Ethernet
# header. Truncated VLAN: ethertype 0x8100 but no whole tag.
RUNTS = [raw_frame(M, n) for n in (0, 1, 6, 12, 13)]
TRUNC_VLAN = [raw_frame(M, n, 0x8100) for n in (14, 15, 16, 17)]
VID4095 = [frame(M, vlan=4095, n=50, size=64)]
QINQ = [frame(M, vlan=30, tpid=0x88a8, inner_vlan=40, n=51, size=80),     # 802.1ad outer
        frame(M, vlan=10, inner_vlan=60, n=52, size=80)]                   # 0x8100 twice
JUMBO = [frame(M, n=53, size=9000), frame(M, vlan=10, n=54, size=9018),
         frame(BROADCAST, n=55, size=9000), frame(M, n=56, size=16000)]
ALL_BAD = RUNTS + TRUNC_VLAN + VID4095 + QINQ + JUMBO


class Topo:
    """phy:0 (bad input) -> component under test -> phy:1 [, phy:4];
    phy:2 (good frames) -> `par` forward on another lcore -> phy:3."""

    def __init__(self, spp, bad, good, extra_out=False):
        self.spp = spp
        self.inp = spp.pcap(rx=bad)
        self.out = spp.pcap()
        self.pin = spp.pcap(rx=good)
        self.pout = spp.pcap()
        self.out2 = spp.pcap()
        self.good = good
        spp.start_primary([self.inp, self.out, self.pin, self.pout, self.out2], rings=4)

    def start_parallel(self, proc, lcore):
        proc.ok('component start par %d forward' % lcore, 'port add phy:3 tx par',
                'port add phy:2 rx par')

    def check_parallel(self, proc):
        wait_for(lambda: len(self.pout.sent()) == len(self.good), msg='parallel path output')
        assert self.pout.sent() == self.good
        proc.wait_stats('par', rx_packets=len(self.good), tx_packets=len(self.good),
                        drop_packets=0)


def run_vf_case(spp, bad, setup, good=None):
    """spp_vf with the component `t` (lcore 1) built by `setup` and the
    parallel forwarder (lcore 2); the rx attachment of `t` comes last."""
    good = good_frames() if good is None else good
    topo = Topo(spp, bad, good)
    vf = spp.start_vf(2, workers=(1, 2))
    vf.ok(*setup)
    topo.start_parallel(vf, 2)
    before = config(vf.status())
    return topo, vf, before


# --- packets through spp_vf (net_pcap input) -------------------------------

def test_bad_frames_are_forwarded_byte_for_byte(spp):
    topo, vf, before = run_vf_case(spp, ALL_BAD, [
        'component start t 1 forward', 'port add phy:1 tx t', 'port add phy:0 rx t'])
    nbytes = sum(len(f) for f in ALL_BAD)
    vf.wait_stats('t', rx_packets=len(ALL_BAD), tx_packets=len(ALL_BAD), rx_bytes=nbytes,
                  tx_bytes=nbytes, drops=NO_DROPS)
    wait_for(lambda: len(topo.out.sent()) == len(ALL_BAD))
    assert topo.out.sent() == ALL_BAD
    assert topo.inp.sent() == [] and topo.out2.sent() == []
    topo.check_parallel(vf)
    assert config(vf.status()) == before


def test_del_vlantag_drops_truncated_tags_as_vlan_error(spp):
    topo, vf, before = run_vf_case(spp, ALL_BAD, [
        'component start t 1 forward', 'port add phy:1 tx t del_vlantag',
        'port add phy:0 rx t'])
    expected = [untagged(f) for f in ALL_BAD if f not in TRUNC_VLAN]
    vf.wait_stats('t', rx_packets=len(ALL_BAD), tx_packets=len(expected),
                  drop_packets=len(TRUNC_VLAN), drops=drops(vlan_error=len(TRUNC_VLAN)))
    wait_for(lambda: len(topo.out.sent()) == len(expected))
    out = topo.out.sent()
    assert out == expected
    assert out[:len(RUNTS)] == RUNTS                  # too short for a tag: untouched
    assert topo.out2.sent() == []
    ps = vf.port_stats('phy:1')
    assert ps['drop_packets'] == len(TRUNC_VLAN)       # a tx op's drop counts on its port
    topo.check_parallel(vf)
    assert config(vf.status()) == before


@pytest.mark.parametrize('side', ['rx', 'tx'])
def test_add_vlantag_drops_runts_and_truncated_tags_as_vlan_error(spp, side):
    op = 'add_vlantag 100 3'
    tx_op = op if side == 'tx' else ''
    rx_op = op if side == 'rx' else ''
    topo, vf, before = run_vf_case(spp, ALL_BAD, [
        'component start t 1 forward', ('port add phy:1 tx t ' + tx_op).strip(),
        ('port add phy:0 rx t ' + rx_op).strip()])
    refused = RUNTS + TRUNC_VLAN
    expected = [add_tag(f, 100, 3) for f in ALL_BAD if f not in refused]
    vf.wait_stats('t', rx_packets=len(ALL_BAD), tx_packets=len(expected),
                  drop_packets=len(refused), drops=drops(vlan_error=len(refused)))
    wait_for(lambda: len(topo.out.sent()) == len(expected))
    assert topo.out.sent() == expected
    assert topo.out2.sent() == []
    topo.check_parallel(vf)
    assert config(vf.status()) == before


def test_classifier_drops_runts_and_vid_4095_as_malformed(spp):
    # M -> phy:1; untagged default -> phy:4 (so broadcasts flood to both).
    topo, vf, before = run_vf_case(spp, ALL_BAD, [
        'component start t 1 classifier', 'port add phy:1 tx t', 'port add phy:4 tx t',
        'classifier_table add mac %s phy:1' % M, 'classifier_table add mac default phy:4',
        'port add phy:0 rx t'])
    # Truncated tags and 802.1ad frames are untagged (no whole 0x8100 tag):
    # to M's port; a 0x8100 frame of VLAN 10 or 30 (no entries) goes to the
    # general default; the jumbo broadcast floods to both.
    bcast = JUMBO[2]
    to_m = TRUNC_VLAN + [QINQ[0], JUMBO[0], bcast, JUMBO[3]]
    to_default = [QINQ[1], JUMBO[1], bcast]
    malformed = RUNTS + VID4095
    vf.wait_stats('t', rx_packets=len(ALL_BAD), dup_packets=1,
                  tx_packets=len(to_m) + len(to_default), drop_packets=len(malformed),
                  drops=drops(malformed=len(malformed)))
    wait_for(lambda: len(topo.out.sent()) == len(to_m) and
             len(topo.out2.sent()) == len(to_default))
    assert topo.out.sent() == [f for f in ALL_BAD if f in to_m]
    assert topo.out2.sent() == [f for f in ALL_BAD if f in to_default]
    assert topo.inp.sent() == []
    topo.check_parallel(vf)
    assert config(vf.status()) == before


def test_classifier_floods_jumbo_broadcast_and_strips_one_copy(spp):
    """A multi-segment broadcast flooded to two ports, one of which strips
    its tag: that copy is made private first; the other is untouched."""
    b = [frame(BROADCAST, vlan=10, n=i, size=[9000, 3000, 64][i % 3]) for i in range(9)]
    topo, vf, before = run_vf_case(spp, b, [
        'component start t 1 classifier', 'port add phy:1 tx t',
        'port add phy:4 tx t del_vlantag',
        'classifier_table add vlan 10 %s phy:1' % M, 'classifier_table add vlan 10 default phy:4',
        'port add phy:0 rx t'])
    vf.wait_stats('t', rx_packets=9, dup_packets=9, tx_packets=18, drops=NO_DROPS)
    wait_for(lambda: len(topo.out.sent()) == 9 and len(topo.out2.sent()) == 9)
    assert topo.out.sent() == b
    assert topo.out2.sent() == [untagged(f) for f in b]
    topo.check_parallel(vf)
    assert config(vf.status()) == before


# --- packets through spp_mirror ---------------------------------------------

@pytest.mark.parametrize('mode', ['shallow', 'deep'])
def test_mirror_copies_bad_frames_byte_for_byte_and_tags_copies_it_can(spp, mode):
    good = good_frames()
    topo = Topo(spp, ALL_BAD, good)
    m = spp.start_mirror(3, workers=(4,), copy_mode=mode)
    vf = spp.start_vf(2, workers=(1,))            # the parallel path
    topo.start_parallel(vf, 1)
    # Copies tagged on their port: runts and truncated tags are refused there,
    # the originals all pass.
    m.ok('component start t 4 mirror', 'port add phy:1 tx t',
         'port add phy:4 tx t add_vlantag 7 1', 'port add phy:0 rx t')
    before = config(m.status())
    refused = RUNTS + TRUNC_VLAN
    copies = [add_tag(f, 7, 1) for f in ALL_BAD if f not in refused]
    m.wait_stats('t', rx_packets=len(ALL_BAD), dup_packets=len(ALL_BAD),
                 tx_packets=len(ALL_BAD) + len(copies), drop_packets=len(refused),
                 drops=drops(vlan_error=len(refused)))
    wait_for(lambda: len(topo.out.sent()) == len(ALL_BAD) and
             len(topo.out2.sent()) == len(copies))
    assert topo.out.sent() == ALL_BAD
    assert topo.out2.sent() == copies
    topo.check_parallel(vf)
    assert config(m.status()) == before


# --- packets as mbuf layouts no vdev makes (tests/tools/spp_inject) ---------

# Unicast to M, broadcast, tagged and untagged, 60 B to 1518 B.
LAYOUT_FRAMES = [frame(M, n=60, size=60), frame(M, n=61, size=300),
                 frame(M, vlan=10, pcp=2, n=62, size=64), frame(BROADCAST, n=63, size=1000),
                 frame(M, vlan=20, n=64, size=1518), frame(M, n=65, size=1514)]
TAGGED_LAYOUT = [f for f in LAYOUT_FRAMES if f[12:14] == b'\x81\x00']


def inject(spp, ring, frames, first=None, seg=None, headroom=None):
    """Puts frames into ring:N as spp_inject lays them out; returns when
    all are enqueued."""
    if not INJECT_BIN.exists():
        pytest.skip('%s not built' % INJECT_BIN)
    path = spp.dir / ('inj%d' % len(list(spp.dir.glob('inj*'))))
    write_pcap(path, frames)
    argv = [str(INJECT_BIN), '--lcores', '9@0', '--no-pci', '--proc-type=secondary',
            '--file-prefix', spp.prefix, '--log-level', 'lib.*:warning', '--',
            '--ring', str(ring), '--pcap', str(path)]
    for opt, v in (('--first', first), ('--seg', seg), ('--headroom', headroom)):
        if v is not None:
            argv += [opt, str(v)]
    n = len(spp.others)
    report = spp.tmp / ('inject%d.json' % n)
    with open(report, 'wb') as out:
        proc = Proc('spp_inject', argv, spp.tmp / ('inject%d.log' % n), stdout=out)
    spp.others.append(proc)             # stopped by PID at teardown if still running
    rc = proc.wait(120)
    assert rc == 0, 'spp_inject exit %r; log:\n%s' % (rc, Path(proc.log).read_text()[-2000:])
    assert json.loads(report.read_text()) == {'sent': len(frames)}


def layout_case(spp, setup, frames, layout, expect_out, expect_out2=(), **stats):
    """ring:0 -> `t` (built by setup, rx ring:0 attached last) -> phy:1 /
    phy:4, with the parallel forwarder; frames injected with `layout`.

    The frames are injected before any traffic flows: a DPDK secondary
    (spp_inject) starting re-creates the net_pcap tx files (DPDK 22.11's
    net_pcap opens the devargs' dumpers again in every secondary), so it
    must not start once ports have written anything. ring:0 holds them
    until `t` attaches it."""
    topo = Topo(spp, [], good_frames())
    vf = spp.start_vf(2, workers=(1, 2))
    vf.ok(*setup)
    inject(spp, 0, frames, **layout)
    vf.ok('port add ring:0 rx t')
    topo.start_parallel(vf, 2)
    before = config(vf.status())
    st = vf.wait_stats('t', rx_packets=len(frames), **stats)
    wait_for(lambda: len(topo.out.sent()) == len(expect_out) and
             len(topo.out2.sent()) == len(expect_out2),
             msg='%d frames on phy:1, %d on phy:4' % (len(expect_out), len(expect_out2)))
    assert topo.out.sent() == list(expect_out)
    assert topo.out2.sent() == list(expect_out2)
    assert topo.inp.sent() == []
    topo.check_parallel(vf)
    assert config(vf.status()) == before
    return vf, st


FWD = ['component start t 1 forward', 'port add phy:1 tx t']
FWD_DEL = ['component start t 1 forward', 'port add phy:1 tx t del_vlantag']
FWD_ADD = ['component start t 1 forward', 'port add phy:1 tx t add_vlantag 100 3']
CLS = ['component start t 1 classifier', 'port add phy:1 tx t', 'port add phy:4 tx t',
       'classifier_table add mac %s phy:1' % M, 'classifier_table add mac default phy:4',
       'classifier_table add vlan 10 %s phy:1' % M, 'classifier_table add vlan 20 default phy:4']
CHAINS = dict(first=32, seg=100)          # headers whole in the first segment
SPLIT = dict(first=10, seg=64)            # Ethernet header across two segments
SPLIT_TAG = dict(first=16, seg=64)        # 0x8100 tag across two segments
NO_HEADROOM = dict(headroom=0)


def cls_split(frames):
    """CLS routing: M (untagged, VLAN 10) -> phy:1; others -> phy:4;
    broadcasts flood to the ports of their VLAN (untagged: both)."""
    out, out2 = [], []
    for f in frames:
        tagged_ = f[12:14] == b'\x81\x00'
        vid = (f[14] << 8 | f[15]) & 0xfff if tagged_ else None
        if f[:6] == bytes.fromhex('ffffffffffff'):
            out.append(f)
            out2.append(f)
        elif vid == 20 or f[:6] != bytes.fromhex(M.replace(':', '')):
            out2.append(f)
        else:
            out.append(f)
    return out, out2


@pytest.mark.parametrize('layout', ['chains', 'no_headroom', 'chains_no_headroom'])
def test_forward_passes_any_mbuf_layout_byte_for_byte(spp, layout):
    lay = {'chains': CHAINS, 'no_headroom': NO_HEADROOM,
           'chains_no_headroom': dict(CHAINS, headroom=0)}[layout]
    layout_case(spp, FWD, LAYOUT_FRAMES, lay, LAYOUT_FRAMES,
                tx_packets=len(LAYOUT_FRAMES), drops=NO_DROPS)


def test_classifier_routes_chains_by_their_first_segment(spp):
    out, out2 = cls_split(LAYOUT_FRAMES)
    layout_case(spp, CLS, LAYOUT_FRAMES, CHAINS, out, out2, dup_packets=1, drops=NO_DROPS)


def test_classifier_drops_header_split_across_segments_as_malformed(spp):
    n = len(LAYOUT_FRAMES)
    layout_case(spp, CLS, LAYOUT_FRAMES, SPLIT, [], [], tx_packets=0, drop_packets=n,
                drops=drops(malformed=n))


def test_classifier_treats_tag_split_across_segments_as_untagged(spp):
    # SPEC §8.5: only a tag whole in the first segment counts.
    frames = [frame(M, vlan=20, n=70, size=300), frame(OTHER, vlan=10, n=71, size=300)]
    layout_case(spp, CLS, frames, SPLIT_TAG, [frames[0]], [frames[1]], tx_packets=2,
                drops=NO_DROPS)


@pytest.mark.parametrize('layout', ['chains', 'no_headroom'])
def test_del_vlantag_strips_chains_and_frames_without_headroom(spp, layout):
    lay = CHAINS if layout == 'chains' else NO_HEADROOM
    layout_case(spp, FWD_DEL, LAYOUT_FRAMES, lay, [untagged(f) for f in LAYOUT_FRAMES],
                tx_packets=len(LAYOUT_FRAMES), drops=NO_DROPS)


def test_add_vlantag_tags_chains(spp):
    layout_case(spp, FWD_ADD, LAYOUT_FRAMES, CHAINS,
                [add_tag(f, 100, 3) for f in LAYOUT_FRAMES],
                tx_packets=len(LAYOUT_FRAMES), drops=NO_DROPS)


def test_add_vlantag_without_headroom_is_vlan_error_unless_it_only_retags(spp):
    untagged_ = [f for f in LAYOUT_FRAMES if f not in TAGGED_LAYOUT]
    vf, _ = layout_case(spp, FWD_ADD, LAYOUT_FRAMES, NO_HEADROOM,
                        [add_tag(f, 100, 3) for f in TAGGED_LAYOUT],
                        tx_packets=len(TAGGED_LAYOUT), drop_packets=len(untagged_),
                        drops=drops(vlan_error=len(untagged_)))
    assert vf.port_stats('phy:1')['drop_packets'] == len(untagged_)


@pytest.mark.parametrize('op', ['add_vlantag 100 3', 'del_vlantag'])
def test_vlan_ops_on_header_split_across_segments_are_vlan_error(spp, op):
    """A tag op cannot see the header when the first segment is shorter
    than it: the frame is refused (vlan_error), never sent unedited."""
    setup = ['component start t 1 forward', 'port add phy:1 tx t ' + op]
    frames = LAYOUT_FRAMES if op.startswith('add') else TAGGED_LAYOUT
    layout_case(spp, setup, frames, SPLIT, [], tx_packets=0, drop_packets=len(frames),
                drops=drops(vlan_error=len(frames)))


@pytest.mark.parametrize('op', ['add_vlantag 100 3', 'del_vlantag'])
def test_vlan_ops_on_tag_split_across_segments_are_vlan_error(spp, op):
    setup = ['component start t 1 forward', 'port add phy:1 tx t ' + op]
    layout_case(spp, setup, TAGGED_LAYOUT, SPLIT_TAG, [], tx_packets=0,
                drop_packets=len(TAGGED_LAYOUT), drops=drops(vlan_error=len(TAGGED_LAYOUT)))


@pytest.mark.parametrize('mode', ['shallow', 'deep'])
@pytest.mark.parametrize('layout', ['chains', 'no_headroom'])
def test_mirror_copies_chains_and_frames_without_headroom(spp, mode, layout):
    """Copies tagged on their port (a shared frame without headroom is
    copied first, so it can be tagged); originals byte for byte."""
    lay = CHAINS if layout == 'chains' else NO_HEADROOM
    topo = Topo(spp, [], good_frames())
    m = spp.start_mirror(3, workers=(4,), copy_mode=mode)
    vf = spp.start_vf(2, workers=(1,))
    m.ok('component start t 4 mirror', 'port add phy:1 tx t',
         'port add phy:4 tx t add_vlantag 7 1')
    inject(spp, 0, LAYOUT_FRAMES, **lay)         # before traffic: see layout_case
    m.ok('port add ring:0 rx t')
    topo.start_parallel(vf, 1)
    before = config(m.status())
    n = len(LAYOUT_FRAMES)
    refused = []
    if mode == 'shallow' and layout == 'no_headroom':
        # Observed, per SPEC §8.6: a shallow copy between two phy ports is
        # the original mbuf with a second reference; net_pcap frees the
        # original's reference when it sends it, so the copy is private by
        # the time its tx op runs and, without headroom, cannot take a new
        # tag: vlan_error (retagging needs no headroom). A port that held
        # the original longer would have made the tx op copy it first.
        refused = [f for f in LAYOUT_FRAMES if f not in TAGGED_LAYOUT]
    copies = [add_tag(f, 7, 1) for f in LAYOUT_FRAMES if f not in refused]
    m.wait_stats('t', rx_packets=n, dup_packets=n, tx_packets=n + len(copies),
                 drop_packets=len(refused), drops=drops(vlan_error=len(refused)))
    wait_for(lambda: len(topo.out.sent()) == n and len(topo.out2.sent()) == len(copies))
    assert topo.out.sent() == LAYOUT_FRAMES
    assert topo.out2.sent() == copies
    topo.check_parallel(vf)
    assert config(m.status()) == before


# --- stream framing: the controller side of spp_vf's connection -------------

# (bytes sent as one command, message of the error reply)
UTF8_CASES = [
    (b'\xff\xfe', CMD),
    (b'status\xff', CMD),
    (b'st\xc3\xa4tus', CMD),                                      # valid UTF-8, not ASCII
    (b'component start \xc3\x28 1 forward', NAME),               # invalid 2-byte sequence
    (b'component start n\xe2\x82 1 forward', NAME),              # truncated 3-byte sequence
    (b'component start \xc0\xaf 1 forward', NAME),               # overlong '/'
    (b'component stop \xed\xa0\x80', NAME),                      # UTF-16 surrogate
    (b'component start \xf0\x9f\x92\xa9 1 forward', NAME),       # valid 4-byte sequence
    (b'port add ring:\xd9\xa3 rx fwd', 'Invalid value (port)'),  # ARABIC-INDIC DIGIT THREE
    (b'port add ring:2 \xff fwd', 'Invalid value (port rxtx)'),
    (b'classifier_table add mac 02:00:00:00:00:0\xff ring:2', MACERR),
    (b'classifier_table add vlan \xef\xbc\x91 %s ring:2' % M.encode(),   # FULLWIDTH ONE
     'Invalid value (vlan id)'),
    (b'capture start ring:0 rx \xff.pcapng', 'Invalid value (file)'),
]


def framing_vf(spp):
    """spp_vf 2: fwd (lcore 1) ring:0 -> ring:1, classifier cls (lcore 2)
    with an entry; no traffic unless a test starts spp_pktgen."""
    spp.start_primary([spp.null()], rings=8, ring_size=4096, nb_mbufs=16383)
    vf = spp.start_vf(2, workers=(1, 2), extra=['--capture-dir', str(spp.tmp)])
    vf.ok('component start fwd 1 forward', 'port add ring:1 tx fwd', 'port add ring:0 rx fwd',
          'component start cls 2 classifier', 'port add ring:3 tx cls',
          'classifier_table add mac %s ring:3' % M, 'port add ring:2 rx cls')
    return vf


def check_reply_text(reply):
    """A reply read by sppctl is valid UTF-8 JSON (it is decoded strictly);
    a detail, if any, is text."""
    d = reply['results'][0].get('error_details', {}).get('detail', '')
    assert isinstance(d, str)
    return reply


def test_invalid_utf8_in_commands_is_refused_with_valid_json(spp):
    vf = framing_vf(spp)
    before = vf.cmd('status')
    for data, message in UTF8_CASES:
        reply = check_reply_text(vf.cmd(data))
        assert_error(reply, message)
    assert_same_json(vf.cmd('status'), before)
    # NUL inside a command ends it (SPEC §4.3): two unknown commands.
    vf.conn.send_raw(b'sta\x00tus\n')
    assert_error(vf.conn.read_reply(), CMD)
    assert_error(vf.conn.read_reply(), CMD)
    assert_same_json(vf.cmd('status'), before)


def test_invalid_utf8_echoed_by_the_primary_is_replaced(spp):
    spp.start_primary([spp.null()], rings=1)
    conn = spp.ctl.primary()
    before = conn.command('status')
    # The primary echoes the command: invalid bytes become U+FFFD (SPEC §5.8).
    assert conn.command(b'fr\xffob') == {'result': 'failed', 'command': 'fr\ufffdob',
                                         'message': 'unknown command'}
    assert conn.command(b'\xc0\xaf now') == {'result': 'failed', 'command': '\ufffd\ufffd',
                                             'message': 'unknown command'}
    assert conn.command('st\u00e4tus') == {'result': 'failed', 'command': 'st\u00e4tus',
                                          'message': 'unknown command'}
    after = conn.command('status')
    assert list(after) == list(before) and after['phy_ports'] == before['phy_ports']


def test_invalid_utf8_in_mirror_commands_is_refused(spp):
    spp.start_primary([spp.null()], rings=4)
    m = spp.start_mirror(3, workers=(4,))
    before = m.cmd('status')
    assert_error(check_reply_text(m.cmd(b'component start \xff 4 mirror')), NAME)
    assert_error(check_reply_text(m.cmd(b'component start m 4 mirror \xff')),
                 'Invalid value (component type)')
    assert_error(check_reply_text(m.cmd(b'classifier_table\xff')), CMD)
    assert_same_json(m.cmd('status'), before)


def test_one_byte_writes_of_good_and_bad_commands_get_one_reply_each(spp):
    vf = framing_vf(spp)
    data = (b'component start a 2 forward\n\xff\xfe\nport add ring:5 rx a\n'
            b'component start \xc3\x28 2 forward\ncomponent stop a\nstatus\n')
    before = vf.cmd('status')
    for b in data:
        vf.conn.send_raw(bytes([b]))
    r = vf.conn.read_replies(6, timeout=30)
    assert_same_json(r[0], SUCCESS)
    assert_error(r[1], CMD)
    assert_same_json(r[2], SUCCESS)
    assert_error(r[3], NAME)
    assert_same_json(r[4], SUCCESS)
    after = config(r[5]['info'])
    assert after.pop('ring') == ['0', '1', '2', '3', '5']      # rings attached once stay
    expect = config(before['info'])
    expect.pop('ring')
    assert after == expect


def fill_table(vf, n, port='ring:7'):
    """n classifier entries on an unattached port: a status reply of
    about 60 bytes per entry."""
    cmds = ['classifier_table add mac 02:00:00:01:%02x:%02x %s' % (i >> 8, i & 0xff, port)
            for i in range(n)]
    for k in range(0, len(cmds), 256):
        batch = cmds[k:k + 256]
        vf.conn.send_raw(''.join(c + '\n' for c in batch).encode())
        for c, r in zip(batch, vf.conn.read_replies(len(batch), timeout=60)):
            assert r == SUCCESS, (c, r)


def reconnected(spp, vf, old):
    """Waits for spp_vf to register again after the controller closed
    `old`; makes the new connection vf's."""
    vf.conn = spp.ctl.wait_secondary(vf.client_id, timeout=30, previous=old)
    assert vf.proc.alive()
    return vf.conn


def start_traffic(spp, count):
    """spp_pktgen: `count` frames into ring:0 (fwd) at 2000 pps, read back
    from ring:1."""
    return spp.start_pktgen([(0, M)], rx_rings=[1], pps=2000, count=count,
                            drain_timeout_ms=30000)


def check_traffic(gen, count):
    rep = gen.report(timeout=180)
    assert rep['sent'] == count and rep['drain_complete'], rep
    s = rep['streams'][0]
    assert (s['lost'], s['dup']) == (0, 0), rep
    assert rep['rings'][0]['streams'][0]['reordered'] == 0, rep


@pytest.mark.expect_log(r'connection to spp-ctl lost')
def test_controller_closing_mid_reply_changes_nothing_and_loses_no_packet(spp):
    vf = framing_vf(spp)
    fill_table(vf, 3000)
    before = config(vf.status())
    count = 12000
    gen = start_traffic(spp, count)
    for i in range(10):
        old = vf.conn
        old.sock.sendall(b'status\n')
        # Read a part of the ~200 KB reply (none, a few bytes, more), then
        # close with the rest unread: spp_vf's send fails mid-reply.
        want = [0, 1, 100, 4096, 65536][i % 5]
        got = b''
        old.sock.settimeout(30)
        while len(got) < want:
            chunk = old.sock.recv(want - len(got))
            assert chunk, 'spp_vf closed first'
            got += chunk
        old.close()
        reconnected(spp, vf, old)
        assert config(vf.status()) == before
    check_traffic(gen, count)
    assert config(vf.status()) == before
    vf.wait_stats('fwd', rx_packets=count, tx_packets=count, drop_packets=0)


@pytest.mark.expect_log(r'connection to spp-ctl lost')
def test_controller_closing_with_commands_queued_runs_no_half_command(spp):
    vf = framing_vf(spp)
    before = config(vf.status())
    for tail in (b'component start zz 1 forw', b'component st', b'\xff\xfe'):
        old = vf.conn
        # Several whole commands, then half of one, then the connection ends
        # before any reply is read.
        old.sock.sendall(b'status\n' * 20 + b'frobnicate\n' + tail)
        old.close()
        conn = reconnected(spp, vf, old)
        # The new connection starts clean: its first reply (after the
        # registration) answers this command.
        assert_same_json(conn.command('component stop nosuch'), SUCCESS)
        assert config(vf.status()) == before


# --- REST bodies (spp-ctl, real processes) ----------------------------------

def rest_env(tmp_path):
    """A real spp-ctl; spp_primary with phy:0 -> fwd -> phy:1 as the
    parallel path (frames sent once fwd is wired) and spp_vf 2."""
    return ctl_env(tmp_path)


def rest_setup(spp):
    good = good_frames()
    p_in, p_out = spp.pcap(rx=good), spp.pcap()
    spp.start_primary([p_in, p_out], rings=4)
    spp.start_vf(2, workers=(1, 2))
    c = spp.ctl.client
    for method, path, body in (
            ('POST', '/v1/vfs/2/components', {'name': 'fwd', 'core': 1, 'type': 'forward'}),
            ('PUT', '/v1/vfs/2/components/fwd/ports',
             {'action': 'attach', 'port': 'phy:1', 'dir': 'tx'}),
            ('POST', '/v1/vfs/2/components', {'name': 'cls', 'core': 2, 'type': 'classifier'}),
            ('PUT', '/v1/vfs/2/components/cls/ports',
             {'action': 'attach', 'port': 'ring:1', 'dir': 'tx'}),
            ('PUT', '/v1/vfs/2/classifier_table',
             {'action': 'add', 'type': 'mac', 'mac_address': M, 'port': 'ring:1'})):
        r = c.request(method, path, body=body)
        assert r.status == 204, (path, body, r)
    return c, good, p_in, p_out


def vf_config(c):
    r = c.get('/v1/vfs/2')
    assert r.status == 200, r
    body = r.json()
    body.pop('port_stats', None)
    for comp in body['components']:
        comp.pop('stats', None)
    return body


def commands_sent(spp):
    """Commands other than `status` spp-ctl logged as sent to processes
    ('<- ...' lines)."""
    return [l for l in spp.ctl.proc.log.read_text(errors='replace').splitlines()
            if '<- ' in l and not l.endswith('<- status')]


def finish_parallel(spp, c, good, p_out):
    """Attaches fwd's rx now: the parallel path's frames must all arrive,
    byte for byte, after the bad requests."""
    r = c.put('/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0',
                                                 'dir': 'rx'})
    assert r.status == 204, r
    wait_for(lambda: len(p_out.sent()) == len(good), msg='parallel path output')
    assert p_out.sent() == good


# (method, path, body, status, text). Wrong JSON types for every key.
WRONG_TYPES = [
    ('POST', '/v1/vfs/2/components', b'"x"', 400, 'Not in json format.'),
    ('POST', '/v1/vfs/2/components', b'5', 400, 'Not in json format.'),
    ('POST', '/v1/vfs/2/components', b'null', 400, 'Not in json format.'),
    ('POST', '/v1/vfs/2/components', b'true', 400, 'Not in json format.'),
    ('POST', '/v1/vfs/2/components', b'{"name":"x","core":1,"type":"forward"}x', 400,
     'Not in json format.'),
    ('POST', '/v1/vfs/2/components', b'\xff\xfe{}', 400, 'Not in json format.'),
    ('POST', '/v1/vfs/2/components', b'{"name":"\xff","core":1,"type":"forward"}', 400,
     'Not in json format.'),
    ('POST', '/v1/vfs/2/components', {'name': 5, 'core': 1, 'type': 'forward'}, 400,
     'invalid key(name): 5.'),
    ('POST', '/v1/vfs/2/components', {'name': None, 'core': 1, 'type': 'forward'}, 400,
     'invalid key(name): null.'),
    ('POST', '/v1/vfs/2/components', {'name': ['x'], 'core': 1, 'type': 'forward'}, 400,
     'invalid key(name): ["x"].'),
    ('POST', '/v1/vfs/2/components', {'name': {}, 'core': 1, 'type': 'forward'}, 400,
     'invalid key(name): {}.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': 1.0, 'type': 'forward'}, 400,
     'invalid key(core): 1.0.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': None, 'type': 'forward'}, 400,
     'invalid key(core): null.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': [1], 'type': 'forward'}, 400,
     'invalid key(core): [1].'),
    ('POST', '/v1/vfs/2/components', b'{"name":"x","core":1e2,"type":"forward"}', 400,
     'invalid key(core): 100.0.'),
    ('POST', '/v1/vfs/2/components',                 # beyond int64: jansson refuses
     b'{"name":"x","core":99999999999999999999999,"type":"forward"}', 400,
     'Not in json format.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': 1, 'type': 7}, 400,
     'invalid key(type): 7.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': 1, 'type': None}, 400,
     'invalid key(type): null.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 1, 'port': 'phy:0', 'dir': 'rx'},
     400, 'invalid key(action): 1.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 0, 'dir': 'rx'},
     400, 'invalid key(port): 0.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': None,
                                               'dir': 'rx'}, 400, 'invalid key(port): null.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0',
                                               'dir': True}, 400, 'invalid key(dir): true.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
                                               'vlan': []}, 400, 'invalid key(vlan): [].'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
                                               'vlan': {'operation': 5}}, 400,
     'invalid key(vlan): {"operation":5}.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports',
     {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
      'vlan': {'operation': 'add', 'id': True, 'pcp': 0}}, 400,
     'invalid key(vlan): {"operation":"add","id":true,"pcp":0}.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports',
     {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
      'vlan': {'operation': 'add', 'id': 10, 'pcp': 1.5}}, 400,
     'invalid key(vlan): {"operation":"add","id":10,"pcp":1.5}.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac', 'port': 'ring:1',
                                           'mac_address': 5}, 400,
     'invalid key(mac_address): 5.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'vlan', 'port': 'ring:1',
                                           'mac_address': M, 'vlan': True}, 400,
     'invalid key(vlan): true.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'vlan', 'port': 'ring:1',
                                           'mac_address': M, 'vlan': '\uff11\uff10'}, 400,
     'invalid key(vlan): \uff11\uff10.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'vlan', 'port': 'ring:1',
                                           'mac_address': M, 'vlan': [10]}, 400,
     'invalid key(vlan): [10].'),
    ('PUT', '/v1/vfs/2/captures', {'action': 'start', 'port': 'phy:1', 'dir': 'tx',
                                   'file': 5}, 400, 'invalid key(file): 5.'),
    ('PUT', '/v1/vfs/2/captures', {'action': 'start', 'port': 'phy:1', 'dir': 'tx',
                                   'file': 'f.pcapng', 'max': '5'}, 400, 'invalid key(max): 5.'),
    ('PUT', '/v1/vfs/2/captures', {'action': 'start', 'port': 'phy:1', 'dir': 'tx',
                                   'file': 'f.pcapng', 'max': 1.5}, 400,
     'invalid key(max): 1.5.'),
    ('PUT', '/v1/primary/launch', {'client_id': True, 'proc_name': 'spp_vf',
                                   'eal': {'-l': '0,3', '--proc-type': 'secondary'},
                                   'app': {}}, 400, 'invalid key(client_id): true.'),
    ('PUT', '/v1/primary/launch', {'client_id': '3a', 'proc_name': 'spp_vf',
                                   'eal': {'-l': '0,3', '--proc-type': 'secondary'},
                                   'app': {}}, 400, 'invalid key(client_id): 3a.'),
    ('PUT', '/v1/primary/launch', {'client_id': 128, 'proc_name': 'spp_vf',
                                   'eal': {'-l': '0,3', '--proc-type': 'secondary'},
                                   'app': {}}, 400, 'invalid key(client_id): 128.'),
    ('PUT', '/v1/primary/launch', {'client_id': 3, 'proc_name': '../spp_vf',
                                   'eal': {'-l': '0,3', '--proc-type': 'secondary'},
                                   'app': {}}, 400, 'invalid key(proc_name): ../spp_vf.'),
    ('PUT', '/v1/primary/launch', {'client_id': 3, 'proc_name': ['spp_vf'],
                                   'eal': {'-l': '0,3', '--proc-type': 'secondary'},
                                   'app': {}}, 400, 'invalid key(proc_name): ["spp_vf"].'),
    ('PUT', '/v1/primary/launch', {'client_id': 3, 'proc_name': 'spp_vf',
                                   'eal': ['-l', '0,3'], 'app': {}}, 400,
     'invalid key(eal): ["-l","0,3"].'),
]

# JSON integers spp-ctl passes on (SPEC §7.4) and the process refuses.
PROCESS_REFUSES = [
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': -1, 'type': 'forward'}, 400,
     'command error: Invalid value (core)'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': 2 ** 40, 'type': 'forward'}, 400,
     'command error: Invalid value (core)'),
    ('PUT', '/v1/vfs/2/components/fwd/ports',
     {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
      'vlan': {'operation': 'add', 'id': -1, 'pcp': 0}}, 400,
     'command error: Invalid value (port vid)'),
    ('PUT', '/v1/vfs/2/components/fwd/ports',
     {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
      'vlan': {'operation': 'add', 'id': '0004095', 'pcp': 0}}, 400,
     'command error: Invalid value (port vid)'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'vlan', 'port': 'ring:1',
                                           'mac_address': M, 'vlan': 2 ** 40}, 400,
     'command error: Invalid value (vlan id)'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'vlan', 'port': 'ring:1',
                                           'mac_address': M, 'vlan': '4095'}, 400,
     'command error: Invalid value (vlan id)'),
]

# Strings that would add a token or a command if passed on as they are.
INJECTION = [
    ('POST', '/v1/vfs/2/components', {'name': 'x\nexit', 'core': 1, 'type': 'forward'}, 400,
     'invalid key(name): x\nexit.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x\u0000exit', 'core': 1, 'type': 'forward'},
     400, 'Not in json format.'),            # jansson refuses NUL in strings
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': 1, 'type': 'forward\nexit'}, 400,
     'invalid key(type): forward\nexit.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0 rx cls',
                                               'dir': 'rx'}, 400,
     'invalid key(port): phy:0 rx cls.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach',
                                               'port': 'phy:0\ncomponent stop cls',
                                               'dir': 'rx'}, 400,
     'invalid key(port): phy:0\ncomponent stop cls.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0',
                                               'dir': 'rx\nexit'}, 400,
     'invalid key(dir): rx\nexit.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports',
     {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
      'vlan': {'operation': 'add', 'id': '10 0\nexit', 'pcp': 0}}, 400, None),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac', 'port': 'ring:1',
                                           'mac_address': 'default\nexit'}, 400,
     'invalid key(mac_address): default\nexit.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'vlan', 'port': 'ring:1',
                                           'mac_address': M, 'vlan': '10 %s ring:1' % M},
     400, 'invalid key(vlan): 10 %s ring:1.' % M),
    ('PUT', '/v1/vfs/2/captures', {'action': 'start', 'port': 'phy:1', 'dir': 'tx',
                                   'file': 'f\nexit'}, 400, 'invalid key(file): f\nexit.'),
    ('DELETE', '/v1/vfs/2/components/cls%0Aexit', None, 400, 'invalid key(name): cls\nexit.'),
    ('DELETE', '/v1/vfs/2/components/cls%00x', None, 400, None),
    ('DELETE', '/v1/vfs/2/components/cls%20x', None, 400, 'invalid key(name): cls x.'),
    ('PUT', '/v1/primary/launch', {'client_id': 3, 'proc_name': 'spp_vf',
                                   'eal': {'-l': '0,3', '--proc-type': 'secondary'},
                                   'app': {'-s': '127.0.0.1:1\nexit'}}, 400, None),
    ('PUT', '/v1/primary/launch', {'client_id': 3, 'proc_name': 'spp_vf\nexit',
                                   'eal': {'-l': '0,3', '--proc-type': 'secondary'},
                                   'app': {}}, 400, None),
]


def check_bad_requests(spp, c, cases, sent=0):
    before = vf_config(c)
    sent_before = commands_sent(spp)
    for method, path, body, status, text in cases:
        raw = body if isinstance(body, bytes) else None
        r = c.request(method, path, body=None if raw is not None else body, raw=raw)
        assert r.status == status, (method, path, body, r)
        assert r.content_type.startswith('text/plain'), r
        if text is not None:
            assert r.text == text, (method, path, body, r)
        else:
            assert r.text.startswith('invalid key('), (method, path, body, r)
    assert vf_config(c) == before
    # Refused in spp-ctl: nothing reached a process (or one command per
    # case, refused there).
    assert len(commands_sent(spp)[len(sent_before):]) == sent


def test_rest_wrong_types_are_400_and_change_nothing(tmp_path):
    with rest_env(tmp_path) as spp:
        c, good, p_in, p_out = rest_setup(spp)
        check_bad_requests(spp, c, WRONG_TYPES)
        check_bad_requests(spp, c, PROCESS_REFUSES, sent=len(PROCESS_REFUSES))
        finish_parallel(spp, c, good, p_out)


def test_rest_values_that_would_inject_commands_are_400_and_send_nothing(tmp_path):
    with rest_env(tmp_path) as spp:
        c, good, p_in, p_out = rest_setup(spp)
        check_bad_requests(spp, c, INJECTION)
        r = c.get('/v1/processes')
        assert r.json() == [{'type': 'primary'}, {'type': 'vf', 'client-id': 2}], r
        finish_parallel(spp, c, good, p_out)


def deep(n, inner=b''):
    return b'[' * n + inner + b']' * n


def test_rest_10000_deep_json_is_400_and_changes_nothing(tmp_path):
    with rest_env(tmp_path) as spp:
        c, good, p_in, p_out = rest_setup(spp)
        before = vf_config(c)
        sent_before = commands_sent(spp)
        for path in ('/v1/vfs/2/components', '/v1/vfs/2/classifier_table',
                     '/v1/primary/launch'):
            r = c.request('PUT' if 'components' not in path else 'POST', path,
                          raw=deep(10000))
            assert (r.status, r.text) == (400, 'Not in json format.'), r
            # Deep inside an otherwise valid body.
            body = (b'{"name":"deep","core":1,"type":"forward","x":' + deep(10000) + b'}')
            r = c.request('POST', '/v1/vfs/2/components', raw=body)
            assert (r.status, r.text) == (400, 'Not in json format.'), r
            obj = b'{"a":' * 10000 + b'1' + b'}' * 10000
            r = c.request('POST', '/v1/vfs/2/components', raw=obj)
            assert (r.status, r.text) == (400, 'Not in json format.'), r
        assert vf_config(c) == before
        assert commands_sent(spp)[len(sent_before):] == []
        assert spp.ctl.proc.alive()
        finish_parallel(spp, c, good, p_out)


def http_raw(spp, head, body_chunks):
    """Sends an HTTP request by hand; returns the status line and whether
    the server then closed the connection. Sending stops early if the
    server answers (and closes) before the body is all written."""
    s = socket.create_connection(('127.0.0.1', spp.ctl.proc.rest_port), timeout=60)
    try:
        s.sendall(head)
        for chunk in body_chunks:
            try:
                s.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
        data = b''
        while b'\r\n' not in data:
            try:
                more = s.recv(4096)
            except ConnectionResetError:
                break
            if not more:
                break
            data += more
        return data.split(b'\r\n', 1)[0]
    finally:
        s.close()


def test_rest_10_mib_body_is_413_and_changes_nothing(tmp_path):
    with rest_env(tmp_path) as spp:
        c, good, p_in, p_out = rest_setup(spp)
        before = vf_config(c)
        sent_before = commands_sent(spp)
        size = 10 << 20
        body = b'{"name":"big","core":1,"type":"forward","pad":"' + b'x' * size + b'"}'
        r = c.request('POST', '/v1/vfs/2/components', raw=body)
        assert (r.status, r.text) == (413, 'Request body too large.'), r
        # Content-Length, and chunked without one, written 64 KiB at a time.
        chunk = b'x' * 65536
        line = http_raw(spp, b'PUT /v1/vfs/2/classifier_table HTTP/1.1\r\nHost: x\r\n'
                        b'Content-Length: %d\r\n\r\n' % size, [chunk] * (size // 65536))
        assert line.startswith(b'HTTP/1.1 413'), line
        line = http_raw(spp, b'PUT /v1/primary/launch HTTP/1.1\r\nHost: x\r\n'
                        b'Transfer-Encoding: chunked\r\n\r\n',
                        [b'%x\r\n%s\r\n' % (len(chunk), chunk)] * (size // 65536) +
                        [b'0\r\n\r\n'])
        assert line.startswith(b'HTTP/1.1 413'), line
        # A Content-Length it is never sent in full, then the client leaves.
        s = socket.create_connection(('127.0.0.1', spp.ctl.proc.rest_port))
        s.sendall(b'POST /v1/vfs/2/components HTTP/1.1\r\nHost: x\r\n'
                  b'Content-Length: 1000\r\n\r\n{"name":')
        s.close()
        assert vf_config(c) == before
        assert commands_sent(spp)[len(sent_before):] == []
        assert spp.ctl.proc.alive()
        finish_parallel(spp, c, good, p_out)


# --- file system: names that are paths, files that are links -----------------

def test_capture_file_names_cannot_leave_or_follow_links_out_of_capture_dir(spp):
    """`../`, absolute paths and symbolic links in --capture-dir (dangling,
    or to an existing file) are refused; nothing is written outside."""
    vf = framing_vf(spp)
    capdir = spp.tmp
    outside = spp.dir / 'outside'
    outside.mkdir()
    victim = outside / 'victim'
    victim.write_bytes(b'mine')
    os.symlink(outside / 'new.pcapng', capdir / 'dangling.pcapng')
    os.symlink(victim, capdir / 'link.pcapng')
    os.symlink(outside, capdir / 'dirlink')
    before = vf.cmd('status')
    for name in ('../outside/x.pcapng', '..', '.', '/tmp/x.pcapng', 'dirlink/x.pcapng',
                 'dangling.pcapng', 'link.pcapng', 'a%2fb', 'x\\y'):
        assert_error(vf.cmd('capture start ring:0 rx %s' % name), 'Invalid value (file)')
    assert_same_json(vf.cmd('status'), before)
    assert sorted(p.name for p in outside.iterdir()) == ['victim']
    assert victim.read_bytes() == b'mine'
    assert os.path.islink(capdir / 'dangling.pcapng')


def test_rest_names_with_dot_dot_and_slash_are_refused(tmp_path):
    with rest_env(tmp_path) as spp:
        c, good, p_in, p_out = rest_setup(spp)
        before = vf_config(c)
        sent_before = commands_sent(spp)
        for path, status, text in (
                ('/v1/vfs/2/components/..%2F..%2Fx', 400, 'invalid key(name): ../../x.'),
                ('/v1/vfs/2/components/a%2Fb', 400, 'invalid key(name): a/b.'),
                ('/v1/vfs/2/components/%2E%2E/ports', 405, None)):
            r = c.delete(path)
            assert r.status == status, (path, r)
            if text is not None:
                assert r.text == text, (path, r)
        # Paths with dot segments are not routes (no normalisation).
        for path in ('/v1/vfs/2/../2', '/v1/vfs/../vfs/2', '/v1/./processes'):
            r = c.get(path)
            assert r.status == 404, (path, r)
        r = c.put('/v1/vfs/2/captures', {'action': 'start', 'port': 'phy:1', 'dir': 'tx',
                                         'file': '../x.pcapng'})
        assert (r.status, r.text) == (400, 'command error: Invalid value (file)'), r
        assert vf_config(c) == before
        assert len(commands_sent(spp)[len(sent_before):]) == 1      # the capture, refused
        finish_parallel(spp, c, good, p_out)


def test_rest_client_closing_mid_response_changes_nothing(tmp_path):
    """A REST client that goes away while spp-ctl waits for the process,
    or in the middle of a large response (reset, not closed): spp-ctl lives
    on, serves the next client, and nothing changed."""
    with rest_env(tmp_path) as spp:
        c, good, p_in, p_out = rest_setup(spp)
        for i in range(1500):
            r = c.put('/v1/vfs/2/classifier_table',
                      {'action': 'add', 'type': 'mac', 'port': 'ring:3',
                       'mac_address': '02:00:00:01:%02x:%02x' % (i >> 8, i & 0xff)})
            assert r.status == 204, r
        before = vf_config(c)
        size = len(c.get('/v1/vfs/2').body)
        assert size > 60000
        for i in range(20):
            s = socket.create_connection(('127.0.0.1', spp.ctl.proc.rest_port), timeout=30)
            s.sendall(b'GET /v1/vfs/2 HTTP/1.1\r\nHost: x\r\n\r\n')
            want = [0, 1, 200, 8192][i % 4]
            got = b''
            while len(got) < want:
                more = s.recv(want - len(got))
                assert more, 'spp-ctl closed first'
                got += more
            # SO_LINGER 0: close sends a reset, unread data and all.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
            s.close()
        assert spp.ctl.proc.alive()
        assert vf_config(c) == before
        assert c.get('/v1/processes').json() == [{'type': 'primary'},
                                                 {'type': 'vf', 'client-id': 2}]
        finish_parallel(spp, c, good, p_out)


@pytest.mark.expect_log(r'connection to spp-ctl lost')
def test_primary_connection_closed_with_commands_queued_leaves_nothing_behind(spp):
    """The primary's connection (same framing code): a half command of a
    closed connection is not answered on the next one."""
    spp.start_primary([spp.null()], rings=1)
    old = spp.ctl.primary()
    before = old.command('status')
    old.sock.sendall(b'status\n' * 20 + b'frobnicate\n' + b'fro')
    old.close()
    conn = spp.ctl.wait_primary(timeout=30, previous=old)
    assert conn.command('foo') == {'result': 'failed', 'command': 'foo',
                                   'message': 'unknown command'}
    after = conn.command('status')
    assert after['phy_ports'][0]['id'] == before['phy_ports'][0]['id']
    assert list(after) == list(before)
