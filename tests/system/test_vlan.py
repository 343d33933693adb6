"""VLAN operations on attachments (SPEC §5.4, §8.6), byte for byte."""

import pytest

from conftest import wait_for
from pkts import BROADCAST, frame, retagged, tagged, untagged

M = '02:00:00:00:0a:01'

UNTAGGED = [frame(M, n=0, size=60), frame(BROADCAST, n=1, size=64), frame(M, n=2, size=1514)]
TAGGED = [frame(M, vlan=10, pcp=1, n=3, size=64), frame(M, vlan=4094, pcp=7, n=4, size=1518),
          frame(M, vlan=0, pcp=2, n=5, size=60)]
QINQ = [frame(M, vlan=30, tpid=0x88a8, inner_vlan=40, n=6, size=80),
        frame(M, vlan=50, inner_vlan=60, n=7, size=80)]
ALL = UNTAGGED + TAGGED + QINQ


def run_forward(spp, inputs, rx_op='', tx_op=''):
    p0, p1 = spp.pcap(rx=inputs), spp.pcap()
    spp.start_primary([p0, p1], rings=1)
    vf = spp.start_vf(2)
    vf.ok('component start fwd 1 forward', ('port add phy:1 tx fwd ' + tx_op).strip(),
          ('port add phy:0 rx fwd ' + rx_op).strip())
    st = vf.wait_rx('fwd', len(inputs))
    wait_for(lambda: len(p1.sent()) == len(inputs))
    assert p0.sent() == []
    return vf, st, p1.sent()


def add_tag(f, vid, pcp):
    return retagged(f, vid, pcp) if f[12:14] == b'\x81\x00' else tagged(f, vid, pcp)


@pytest.mark.parametrize('side', ['rx', 'tx'])
def test_add_vlantag_pushes_tag_or_overwrites_tci(spp, side):
    op = 'add_vlantag 100 3'
    vf, st, out = run_forward(spp, ALL, **{side + '_op': op})
    expected = [add_tag(f, 100, 3) for f in ALL]
    assert out == expected
    # Tags pushed on 4 frames (3 untagged, 1 with an 0x88A8 outer tag).
    nbytes = sum(len(f) for f in ALL)
    vf.wait_stats('fwd', rx_bytes=nbytes, tx_bytes=nbytes + 4 * 4)
    assert nbytes + 4 * 4 == sum(len(f) for f in expected)
    port = vf.component('fwd')[side + '_port'][0]
    assert port['vlan'] == {'operation': 'add', 'id': 100, 'pcp': 3}
    assert list(port['vlan']) == ['operation', 'id', 'pcp']


@pytest.mark.parametrize('side', ['rx', 'tx'])
def test_del_vlantag_strips_outer_8021q_tag_only(spp, side):
    vf, st, out = run_forward(spp, ALL, **{side + '_op': 'del_vlantag'})
    assert out == [untagged(f) for f in ALL]
    assert out[:3] == UNTAGGED
    assert out[-2] == QINQ[0]           # 0x88A8 outer: unchanged
    port = vf.component('fwd')[side + '_port'][0]
    assert port['vlan'] == {'operation': 'del', 'id': 0, 'pcp': 0}


def test_rx_del_then_tx_add_retags_frames(spp):
    vf, st, out = run_forward(spp, ALL, rx_op='del_vlantag', tx_op='add_vlantag 20 5')
    assert out == [add_tag(untagged(f), 20, 5) for f in ALL]


def test_rx_add_then_tx_del_leaves_untagged_frames(spp):
    vf, st, out = run_forward(spp, UNTAGGED + TAGGED,
                              rx_op='add_vlantag 4094 7', tx_op='del_vlantag')
    assert out == [untagged(add_tag(f, 4094, 7)) for f in UNTAGGED + TAGGED]
    assert out[:3] == UNTAGGED


def test_add_vlantag_vid_0_writes_priority_tag(spp):
    vf, st, out = run_forward(spp, UNTAGGED, tx_op='add_vlantag 0 6')
    assert out == [tagged(f, 0, 6) for f in UNTAGGED]


def test_re_adding_port_with_op_replaces_the_op(spp):
    p0, p1 = spp.pcap(rx=UNTAGGED), spp.pcap()
    spp.start_primary([p0, p1], rings=1)
    vf = spp.start_vf(2)
    vf.ok('component start fwd 1 forward', 'port add phy:1 tx fwd add_vlantag 100 1',
          'port add phy:1 tx fwd add_vlantag 200 2')
    tx = vf.component('fwd')['tx_port']
    assert tx == [{'port': 'phy:1', 'vlan': {'operation': 'add', 'id': 200, 'pcp': 2}}]
    vf.ok('port add phy:1 tx fwd')       # no op given: nothing changes (SPEC §5.4 step 8)
    assert vf.component('fwd')['tx_port'] == tx
    vf.ok('port add phy:0 rx fwd')
    vf.wait_rx('fwd', 3)
    wait_for(lambda: len(p1.sent()) == 3)
    assert p1.sent() == [tagged(f, 200, 2) for f in UNTAGGED]


def test_classifier_tx_ops_apply_per_port_to_flooded_copies(spp):
    """Copy-on-write (SPEC §8.6): an edit on one flooded copy is not seen by
    the other destinations."""
    inputs = [frame(BROADCAST, n=i) for i in range(4)] + [frame(M, vlan=10, n=9)]
    p0, p1, p2, p3 = spp.pcap(rx=inputs), spp.pcap(), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2, p3], rings=1)
    vf = spp.start_vf(2)
    vf.ok('component start cls 1 classifier', 'port add phy:1 tx cls add_vlantag 100 2',
          'port add phy:2 tx cls', 'port add phy:3 tx cls del_vlantag',
          'classifier_table add mac 02:00:00:00:00:01 phy:1',
          'classifier_table add mac 02:00:00:00:00:02 phy:2',
          'classifier_table add mac default phy:3',
          'port add phy:0 rx cls')
    st = vf.wait_rx('cls', 5)
    wait_for(lambda: [len(p.sent()) for p in (p1, p2, p3)] == [4, 4, 5])
    assert p1.sent() == [tagged(f, 100, 2) for f in inputs[:4]]
    assert p2.sent() == inputs[:4]
    assert p3.sent() == inputs[:4] + [untagged(inputs[4])]
    vf.wait_stats('cls', tx_packets=13, dup_packets=8, drop_packets=0)
