"""forward and merge components (SPEC §8.3, §8.4)."""

from conftest import wait_for
from pkts import BROADCAST, MULTICAST, frame, mac


def mixed_frames(count, src='02:00:00:00:ff:01'):
    """Various sizes, destinations and tags: forward must not care."""
    out = []
    for i in range(count):
        dst = [mac(i + 1), BROADCAST, MULTICAST][i % 3]
        vlan = 100 + i if i % 4 == 1 else None
        out.append(frame(dst, src=src, vlan=vlan, pcp=i % 8, n=i, size=[60, 64, 128, 1514][i % 4]))
    return out


def test_forward_phy_to_phy_is_byte_exact_and_other_ports_see_nothing(spp):
    frames = mixed_frames(50)
    p0, p1, p2 = spp.pcap(rx=frames), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2], rings=2)
    vf = spp.start_vf(2)
    vf.ok('component start fwd 1 forward', 'port add phy:1 tx fwd', 'port add phy:0 rx fwd')
    st = vf.wait_rx('fwd', 50)
    wait_for(lambda: len(p1.sent()) == 50, msg='50 frames on phy:1')
    assert p1.sent() == frames
    assert p0.sent() == []
    assert p2.sent() == []
    nbytes = sum(len(f) for f in frames)
    st = vf.wait_stats('fwd', rx_packets=50, rx_bytes=nbytes, tx_packets=50, tx_bytes=nbytes)
    assert st['drop_packets'] == 0 and st['dup_packets'] == 0
    ps0 = vf.wait_port_stats('phy:0', rx_packets=50)
    ps1 = vf.wait_port_stats('phy:1', tx_packets=50)
    assert (ps0['rx_packets'], ps0['rx_bytes'], ps0['tx_packets']) == (50, nbytes, 0)
    assert (ps1['tx_packets'], ps1['tx_bytes'], ps1['rx_packets']) == (50, nbytes, 0)
    assert vf.port_stats('phy:2') is None


def test_forward_through_ring_across_lcores_keeps_bytes_and_order(spp):
    frames = mixed_frames(64)
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=4)
    vf = spp.start_vf(2)
    vf.ok('component start a 1 forward', 'component start b 2 forward',
          'port add ring:2 rx b', 'port add phy:1 tx b',
          'port add ring:2 tx a', 'port add phy:0 rx a')
    vf.wait_rx('b', 64)
    wait_for(lambda: len(p1.sent()) == 64)
    assert p1.sent() == frames
    assert p0.sent() == []
    assert vf.status()['ring'] == ['2']


def test_forward_without_tx_port_keeps_packets_in_rx_port(spp):
    frames = mixed_frames(20)
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=1)
    vf = spp.start_vf(2)
    vf.ok('component start fwd 1 forward', 'port add phy:0 rx fwd')
    # Not runnable (SPEC §8.3): the rx port is not read. Status round trips
    # give the worker many iterations; nothing may be received.
    for _ in range(20):
        assert vf.stats('fwd')['rx_packets'] == 0
    vf.ok('port add phy:1 tx fwd')
    vf.wait_rx('fwd', 20)
    wait_for(lambda: len(p1.sent()) == 20)
    assert p1.sent() == frames


def test_merge_two_inputs_delivers_all_in_per_input_order(spp):
    a = [frame(mac(1), src='02:00:00:00:aa:01', n=i, size=60 + i) for i in range(40)]
    b = [frame(mac(2), src='02:00:00:00:bb:02', n=i, size=200 - i) for i in range(40)]
    p0, p1, p2 = spp.pcap(rx=a), spp.pcap(rx=b), spp.pcap()
    spp.start_primary([p0, p1, p2], rings=1)
    vf = spp.start_vf(2)
    vf.ok('component start m 1 merge', 'port add phy:2 tx m',
          'port add phy:0 rx m', 'port add phy:1 rx m')
    st = vf.wait_rx('m', 80)
    wait_for(lambda: len(p2.sent()) == 80)
    out = p2.sent()
    assert sorted(out) == sorted(a + b)
    assert [f for f in out if f[6:12] == bytes.fromhex('02000000aa01')] == a
    assert [f for f in out if f[6:12] == bytes.fromhex('02000000bb02')] == b
    assert p0.sent() == [] and p1.sent() == []
    vf.wait_stats('m', tx_packets=80, drop_packets=0)


def test_merge_of_ring_inputs_into_phy(spp):
    frames = mixed_frames(30)
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=4)
    vf = spp.start_vf(2)
    # phy:0 -> forward -> ring:1 -> merge(ring:0, ring:1, ring:3) -> phy:1
    vf.ok('component start m 2 merge', 'port add ring:0 rx m', 'port add ring:1 rx m',
          'port add ring:3 rx m', 'port add phy:1 tx m',
          'component start f 1 forward', 'port add ring:1 tx f', 'port add phy:0 rx f')
    vf.wait_rx('m', 30)
    wait_for(lambda: len(p1.sent()) == 30)
    assert p1.sent() == frames
    m = vf.component('m')
    assert [p['port'] for p in m['rx_port']] == ['ring:0', 'ring:1', 'ring:3']
