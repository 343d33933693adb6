"""Multi-queue phy ports (SPEC §3.1, issue 5): `phy:NnqQ` addresses queue Q
of a port the primary configured with several queues (--port-num).

net_pcap gives one queue per rx_pcap / tx_pcap file, so what arrives on or
leaves by each queue is checked byte for byte."""

from conftest import Port, read_pcap, wait_for, write_pcap
from pkts import frame, mac

RXTX = 'Invalid value (port rxtx)'
PORT = 'Invalid value (port)'


def two_queue_ports(spp, q0, q1):
    """phy:0 receives q0 on queue 0 and q1 on queue 1 (tx: one queue that
    drops); phy:1 writes queue 0 to file c and queue 1 to file e."""
    d = spp.dir
    write_pcap(d / 'a', q0)
    write_pcap(d / 'b', q1)
    p0 = Port('net_pcap0,rx_pcap=%s,rx_pcap=%s' % (d / 'a', d / 'b'), 'pcap')
    p1 = Port('net_pcap1,tx_pcap=%s,tx_pcap=%s' % (d / 'c', d / 'e'), 'pcap')
    for p in (p0, p1):
        assert len(p.vdev) < 63, p.vdev
    spp.start_primary([p0, p1], rings=1,
                      extra=['--port-num', '0', 'rxq', '2', 'txq', '1',
                             '--port-num', '1', 'rxq', '1', 'txq', '2'])
    return lambda: read_pcap(d / 'c'), lambda: read_pcap(d / 'e')


def test_each_queue_goes_to_its_own_component_and_queue(spp):
    q0 = [frame(mac(1), n=i, size=60 + i) for i in range(25)]
    q1 = [frame(mac(2), n=100 + i, size=200 - i) for i in range(17)]
    out0, out1 = two_queue_ports(spp, q0, q1)
    vf = spp.start_vf(2, workers=(1, 2))
    st = vf.status()
    assert st['phy'] == ['0 nq 0', '0 nq 1', '1 nq 0', '1 nq 1']
    vf.ok('component start a 1 forward', 'component start b 2 forward',
          'port add phy:1nq0 tx a', 'port add phy:1nq1 tx b',
          'port add phy:0nq0 rx a', 'port add phy:0nq1 rx b')
    wait_for(lambda: len(out0()) == 25 and len(out1()) == 17)
    assert out0() == q0
    assert out1() == q1
    assert vf.wait_port_stats('phy:0 nq 1', rx_packets=17)['tx_packets'] == 0
    assert vf.wait_port_stats('phy:1 nq 0', tx_packets=25)['rx_packets'] == 0
    comps = {c['name']: c for c in vf.status()['core'] if 'name' in c}
    assert comps['b']['rx_port'][0]['port'] == 'phy:0 nq 1'
    assert comps['b']['tx_port'][0]['port'] == 'phy:1 nq 1'


def test_queues_beyond_the_count_or_without_nq_are_refused(spp):
    two_queue_ports(spp, [], [])
    vf = spp.start_vf(2)
    vf.ok('component start a 1 forward')
    base = vf.status()
    assert vf.error('port add phy:0nq2 rx a') == PORT      # phy:0 has queues 0 and 1
    assert vf.error('port add phy:0nq1 tx a') == RXTX      # ... but 1 tx queue
    assert vf.error('port add phy:0 rx a') == PORT         # nq required
    assert vf.error('port add phy:1nq64 tx a') == PORT     # beyond any queue number
    assert vf.status() == base


def test_two_processes_share_a_port_queue_by_queue(spp):
    q0 = [frame(mac(1), n=i) for i in range(10)]
    q1 = [frame(mac(2), n=50 + i) for i in range(12)]
    out0, out1 = two_queue_ports(spp, q0, q1)
    a = spp.start_vf(2, workers=(1,))
    b = spp.start_vf(3, workers=(2,))
    a.ok('component start fa 1 forward', 'port add phy:1nq0 tx fa')
    b.ok('component start fb 2 forward', 'port add phy:1nq1 tx fb')
    # A queue another process polls is refused.
    base = b.status()
    assert b.error('port add phy:1nq0 tx fb') == RXTX
    assert b.status() == base
    a.ok('port add phy:0nq0 rx fa')
    b.ok('port add phy:0nq1 rx fb')
    wait_for(lambda: len(out0()) == 10 and len(out1()) == 12)
    assert out0() == q0 and out1() == q1
