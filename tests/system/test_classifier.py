"""classifier component (SPEC §5.5, §8.5) and its counters (§9.1)."""

from conftest import wait_for
from pkts import BROADCAST, MULTICAST, frame, mac

M = '02:00:00:00:0a:01'
M2 = '02:00:00:00:0b:02'


def start(spp, inputs, nb_tx):
    """phy:0 reads `inputs`; phy:1..nb_tx are the classifier's tx ports.
    The rx port is attached last by the test, once its table is ready
    (net_pcap is read as soon as the classifier becomes runnable)."""
    rx = spp.pcap(rx=inputs)
    txs = [spp.pcap() for _ in range(nb_tx)]
    spp.start_primary([rx] + txs, rings=2)
    vf = spp.start_vf(2)
    vf.ok('component start cls 2 classifier')
    for t in txs:
        vf.ok('port add %s tx cls' % t.uid)
    return vf, rx, txs


def check_identity(st):
    assert st['rx_packets'] + st['dup_packets'] == st['tx_packets'] + st['drop_packets'], st
    assert sum(st['drops'].values()) == st['drop_packets'], st
    assert list(st) == ['rx_packets', 'rx_bytes', 'tx_packets', 'tx_bytes', 'drop_packets',
                        'drop_bytes', 'dup_packets', 'drops']
    assert list(st['drops']) == ['no_dest', 'tx_full', 'link_down', 'nombuf', 'vlan_error',
                                 'malformed']


def test_classifier_sends_100_macs_to_their_3_ports(spp):
    macs = [mac(0xab00 + i) for i in range(100)]
    inputs = [frame(macs[i % 100], n=i, size=60 + i % 50) for i in range(200)]
    vf, rx, txs = start(spp, inputs, 3)
    for i, m in enumerate(macs):
        vf.ok('classifier_table add mac %s %s' % (m, txs[i % 3].uid))
    vf.ok('port add phy:0 rx cls')
    st = vf.wait_rx('cls', 200)
    for k, t in enumerate(txs):
        mine = {bytes.fromhex(m.replace(':', '')) for i, m in enumerate(macs) if i % 3 == k}
        expected = [f for f in inputs if f[:6] in mine]
        wait_for(lambda: len(t.sent()) == len(expected), msg='frames on %s' % t.uid)
        assert t.sent() == expected, t.uid
    assert rx.sent() == []
    st = vf.wait_stats('cls', tx_packets=200, drop_packets=0, dup_packets=0)
    check_identity(st)
    table = vf.status()['classifier_table']
    assert table == sorted(
        [{'type': 'mac', 'value': m.upper(), 'port': txs[i % 3].uid} for i, m in enumerate(macs)],
        key=lambda e: e['value'])
    assert all(list(e) == ['type', 'value', 'port'] for e in table)


def test_classifier_floods_broadcast_and_multicast_to_ports_of_the_frames_vlan(spp):
    ub = frame(BROADCAST, n=1)
    um = frame(MULTICAST, n=2)
    vb = frame(BROADCAST, vlan=100, n=3)
    vm = frame(MULTICAST, vlan=100, n=4)
    other = frame(BROADCAST, vlan=200, n=5)      # no entry in VLAN 200, no default
    vf, rx, (t1, t2, t3) = start(spp, [ub, um, vb, vm, other], 3)
    vf.ok('classifier_table add mac %s phy:1' % M, 'classifier_table add mac %s phy:2' % M2,
          'classifier_table add vlan 100 %s phy:3' % M)
    vf.ok('port add phy:0 rx cls')
    st = vf.wait_rx('cls', 5)
    wait_for(lambda: (len(t1.sent()), len(t2.sent()), len(t3.sent())) == (2, 2, 2))
    assert t1.sent() == [ub, um]
    assert t2.sent() == [ub, um]
    assert t3.sent() == [vb, vm]
    assert rx.sent() == []
    st = vf.wait_stats('cls', rx_packets=5, tx_packets=6, dup_packets=2, drop_packets=1,
                       drops={'no_dest': 1})
    check_identity(st)


def test_classifier_floods_tagged_broadcast_also_to_general_default(spp):
    vb = frame(BROADCAST, vlan=100, n=1)
    ub = frame(BROADCAST, n=2)
    vf, rx, (t1, t2, t3) = start(spp, [vb, ub], 3)
    vf.ok('classifier_table add mac default phy:1', 'classifier_table add vlan 100 %s phy:3' % M,
          'classifier_table add mac %s phy:2' % M2)
    vf.ok('port add phy:0 rx cls')
    st = vf.wait_rx('cls', 2)
    wait_for(lambda: (len(t1.sent()), len(t2.sent()), len(t3.sent())) == (2, 1, 1))
    assert t1.sent() == [vb, ub]
    assert t2.sent() == [ub]
    assert t3.sent() == [vb]
    st = vf.wait_stats('cls', tx_packets=4, dup_packets=2, drop_packets=0)
    check_identity(st)


def test_classifier_drops_unknown_unicast_and_counts_no_dest(spp):
    known = [frame(M, n=i, size=80) for i in range(10)]
    unknown = [frame(mac(0x99), n=i, size=100) for i in range(10)]
    tagged_unknown = [frame(M, vlan=100, n=i, size=100) for i in range(5)]
    inputs = [f for pair in zip(known, unknown) for f in pair] + tagged_unknown
    vf, rx, (t1, t2) = start(spp, inputs, 2)
    vf.ok('classifier_table add mac %s phy:1' % M)
    vf.ok('port add phy:0 rx cls')
    st = vf.wait_rx('cls', 25)
    wait_for(lambda: len(t1.sent()) == 10)
    assert t1.sent() == known
    assert t2.sent() == []
    assert rx.sent() == []
    st = vf.wait_stats('cls', tx_packets=10, drop_packets=15, drop_bytes=1500)
    assert st['drops'] == {'no_dest': 15, 'tx_full': 0, 'link_down': 0, 'nombuf': 0,
                           'vlan_error': 0, 'malformed': 0}
    check_identity(st)
    ps = vf.port_stats('phy:2')
    assert ps is not None and ps['tx_packets'] == 0 and ps['drop_packets'] == 0


def test_classifier_default_entry_takes_unknown_unicast(spp):
    known = frame(M, n=1)
    unknown = frame(mac(0x99), n=2)
    tagged_unknown = frame(mac(0x99), vlan=300, n=3)
    vf, rx, (t1, t2) = start(spp, [known, unknown, tagged_unknown], 2)
    vf.ok('classifier_table add mac %s phy:1' % M, 'classifier_table add mac default phy:2')
    vf.ok('port add phy:0 rx cls')
    st = vf.wait_rx('cls', 3)
    wait_for(lambda: (len(t1.sent()), len(t2.sent())) == (1, 2))
    assert t1.sent() == [known]
    assert t2.sent() == [unknown, tagged_unknown]
    vf.wait_stats('cls', tx_packets=3, drop_packets=0)
    table = vf.status()['classifier_table']
    assert table == [{'type': 'mac', 'value': 'default', 'port': 'phy:2'},
                     {'type': 'mac', 'value': M.upper(), 'port': 'phy:1'}]


def test_classifier_uses_per_vlan_tables(spp):
    a = frame(M, n=1)                      # untagged -> mac entry
    b = frame(M, vlan=100, n=2)            # VLAN 100 entry
    c = frame(M, vlan=200, n=3)            # VLAN 200 entry
    d = frame(M, vlan=300, n=4)            # no table for 300, no default -> no_dest
    e = frame(M, vlan=0, pcp=5, n=5)       # priority tag = untagged (SPEC §8.5)
    f = frame(M, vlan=4095, n=6)           # VID 4095 -> malformed
    g = frame(M2, vlan=100, n=7)           # unknown in VLAN 100 -> its default
    h = frame(M2, n=8)                     # unknown untagged, no default -> no_dest
    vf, rx, (t1, t2, t3, t4) = start(spp, [a, b, c, d, e, f, g, h], 4)
    vf.ok('classifier_table add vlan 100 %s phy:1' % M,
          'classifier_table add vlan 200 %s phy:2' % M,
          'classifier_table add mac %s phy:3' % M,
          'classifier_table add vlan 100 default phy:4')
    vf.ok('port add phy:0 rx cls')
    st = vf.wait_rx('cls', 8)
    wait_for(lambda: [len(t.sent()) for t in (t1, t2, t3, t4)] == [1, 1, 2, 1])
    assert t1.sent() == [b]
    assert t2.sent() == [c]
    assert t3.sent() == [a, e]
    assert t4.sent() == [g]
    st = vf.wait_stats('cls', tx_packets=5, drop_packets=3,
                       drops={'no_dest': 2, 'malformed': 1})
    check_identity(st)
    assert vf.status()['classifier_table'] == [
        {'type': 'vlan', 'value': '100/default', 'port': 'phy:4'},
        {'type': 'vlan', 'value': '100/' + M.upper(), 'port': 'phy:1'},
        {'type': 'vlan', 'value': '200/' + M.upper(), 'port': 'phy:2'},
        {'type': 'mac', 'value': M.upper(), 'port': 'phy:3'},
    ]


def test_classifier_without_active_entry_leaves_packets_in_rx_port(spp):
    inputs = [frame(M, n=i) for i in range(10)]
    vf, rx, (t1,) = start(spp, inputs, 1)
    # An entry whose port is not a tx port of cls is inactive (SPEC §5.5).
    vf.ok('classifier_table add mac %s ring:1' % M, 'port add phy:0 rx cls')
    for _ in range(20):
        assert vf.stats('cls')['rx_packets'] == 0
    vf.ok('classifier_table add mac %s phy:1' % M)
    vf.wait_rx('cls', 10)
    wait_for(lambda: len(t1.sent()) == 10)
    assert t1.sent() == inputs


def test_classifier_status_lists_ports_and_stats(spp):
    vf, rx, (t1, t2) = start(spp, [], 2)
    vf.ok('classifier_table add mac %s phy:1' % M, 'port add phy:0 rx cls')
    c = vf.component('cls')
    assert list(c) == ['core', 'name', 'type', 'rx_port', 'tx_port', 'stats']
    assert (c['core'], c['name'], c['type']) == (2, 'cls', 'classifier')
    none = {'operation': 'none', 'id': 0, 'pcp': 0}
    assert c['rx_port'] == [{'port': 'phy:0', 'vlan': none}]
    assert c['tx_port'] == [{'port': 'phy:1', 'vlan': none}, {'port': 'phy:2', 'vlan': none}]
    info = vf.status()
    assert list(info) == ['client-id', 'phy', 'vhost', 'ring', 'master-lcore', 'core',
                          'classifier_table', 'port_stats', 'captures']
    assert info['client-id'] == 2
    assert info['phy'] == ['0', '1', '2']
    assert info['master-lcore'] == 0
    assert [x['core'] for x in info['core']] == [1, 2, 3]
    assert info['core'][0] == {'core': 1, 'type': 'unuse'}
    assert [p['port'] for p in info['port_stats']] == ['phy:0', 'phy:1', 'phy:2']
    assert info['captures'] == []


def test_classifier_drops_all_zero_destination_as_no_dest(spp):
    """An untagged frame to 00:00:00:00:00:00 has the lookup key of an
    empty table slot; it was sent to the first tx port instead of dropped."""
    zero = [frame('00:00:00:00:00:00', n=i) for i in range(6)]
    p0, p1, p2 = spp.pcap(rx=zero), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2], rings=1)
    vf = spp.start_vf(2)
    vf.ok('component start cls 1 classifier', 'port add phy:1 tx cls', 'port add phy:2 tx cls',
          'classifier_table add mac %s phy:2' % mac(2), 'port add phy:0 rx cls')
    vf.wait_stats('cls', rx_packets=6, tx_packets=0, drops={'no_dest': 6})
    assert p1.sent() == [] and p2.sent() == []
