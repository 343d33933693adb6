"""Changes under traffic (SPEC §8.8): untouched paths lose, duplicate and
reorder nothing; a changed path delivers each packet to exactly one
destination. Traffic: spp_pktgen, sequence-numbered, through rings."""

from conftest import wait_for

M1 = '02:00:00:00:00:01'
M2 = '02:00:00:00:00:02'
M9 = '02:00:00:00:00:09'

# Rings deep enough that a worker preempted on a shared CPU never makes
# one overflow at the test's rate; a pool that fits in -m 256.
PRIMARY = dict(rings=8, ring_size=4096, nb_mbufs=16383)


def rx_advances(vf, name, by=200):
    """Waits until component `name` received `by` more packets: the next
    change then happens under traffic."""
    start = vf.stats(name)['rx_packets']
    wait_for(lambda: vf.stats(name)['rx_packets'] >= start + by,
             msg='%s to receive %d more packets' % (name, by))


def ring_report(report, ring):
    return next(r for r in report['rings'] if r['ring'] == ring)


def assert_untouched(report, stream, ring):
    """Stream arrived whole on ring: nothing lost, duplicated, reordered."""
    st = report['streams'][stream]
    rs = ring_report(report, ring)['streams'][stream]
    assert st['sent'] > 0
    assert (rs['received'], rs['lost'], rs['dup'], rs['reordered']) == (st['sent'], 0, 0, 0), \
        (stream, ring, rs, st)
    assert (rs['first'], rs['last']) == (0, st['sent'] - 1)


def assert_only_on(report, stream, rings):
    for r in report['rings']:
        if r['ring'] not in rings:
            assert r['streams'][stream]['received'] == 0, (stream, r)
        assert r['foreign'] == 0, r


def test_classifier_entry_moved_under_traffic_delivers_each_packet_once(spp):
    spp.start_primary([spp.null()], **PRIMARY)
    vf = spp.start_vf(2)
    # Untouched path: fa (lcore 1) ring:0 -> ring:1, which shares its lcore
    # with components created and removed during the test.
    # Changed path: cls (lcore 2) ring:2 -> ring:3 | ring:4 | ring:5 (default);
    # M1 moves between ring:3 and ring:4; M2 stays on ring:4.
    vf.ok('component start fa 1 forward', 'port add ring:1 tx fa', 'port add ring:0 rx fa',
          'component start cls 2 classifier', 'port add ring:3 tx cls', 'port add ring:4 tx cls',
          'port add ring:5 tx cls', 'classifier_table add mac default ring:5',
          'classifier_table add mac %s ring:3' % M1, 'classifier_table add mac %s ring:4' % M2,
          'port add ring:2 rx cls')
    gen = spp.start_pktgen([(0, M9), (2, M1), (2, M2)], rx_rings=[1, 3, 4, 5], pps=30000)
    rx_advances(vf, 'cls', 500)
    where = 3
    for i in range(100):
        dest = 4 if where == 3 else 3
        vf.ok('classifier_table del mac %s ring:%d' % (M1, where),
              'classifier_table add mac %s ring:%d' % (M1, dest))
        where = dest
        # Other changes on the untouched path's lcore and in the table.
        vf.ok('component start t%d 1 merge' % i, 'port add ring:6 rx t%d' % i,
              'port add ring:7 tx t%d' % i,
              'classifier_table add vlan %d %s ring:6' % (i + 1, M9))
        rx_advances(vf, 'cls', 100)
        vf.ok('port del ring:6 rx t%d' % i, 'component stop t%d' % i,
              'classifier_table del vlan %d %s ring:6' % (i + 1, M9))
    rx_advances(vf, 'fa', 200)
    gen.stop_generating()
    report = gen.report()
    assert report['drain_complete'], report
    assert_untouched(report, 0, 1)
    assert_only_on(report, 0, [1])
    assert_untouched(report, 2, 4)
    assert_only_on(report, 2, [4])
    # M1: every packet exactly once over ring:3, ring:4 and the default.
    s1 = report['streams'][1]
    assert (s1['lost'], s1['dup'], s1['received']) == (0, 0, s1['sent']), s1
    got = sum(ring_report(report, r)['streams'][1]['received'] for r in (3, 4, 5))
    assert got == s1['sent']
    for r in (3, 4, 5):
        assert ring_report(report, r)['streams'][1]['reordered'] == 0
    assert ring_report(report, 3)['streams'][1]['received'] > 0
    assert ring_report(report, 4)['streams'][1]['received'] > 0
    assert_only_on(report, 1, [3, 4, 5])
    for name in ('fa', 'cls'):
        st = vf.stats(name)
        assert st['drop_packets'] == 0, (name, st)
        assert st['rx_packets'] == st['tx_packets']


def test_rx_port_moved_between_lcores_under_traffic_delivers_each_packet_once(spp):
    spp.start_primary([spp.null()], **PRIMARY)
    vf = spp.start_vf(2)
    # ring:0 is polled by a (lcore 1, to ring:1) or b (lcore 2, to ring:3),
    # never both (SPEC §8.8): packets wait in ring:0 between del and add.
    vf.ok('component start a 1 forward', 'component start b 2 forward',
          'port add ring:1 tx a', 'port add ring:3 tx b', 'port add ring:0 rx a')
    gen = spp.start_pktgen([(0, M1)], rx_rings=[1, 3], pps=30000)
    owner, other = 'a', 'b'
    rx_advances(vf, owner, 500)
    for _ in range(20):
        vf.ok('port del ring:0 rx %s' % owner, 'port add ring:0 rx %s' % other)
        owner, other = other, owner
        rx_advances(vf, owner, 100)
    gen.stop_generating()
    report = gen.report()
    assert report['drain_complete'], report
    s0 = report['streams'][0]
    assert (s0['lost'], s0['dup'], s0['received']) == (0, 0, s0['sent']), s0
    for r in (1, 3):
        rs = ring_report(report, r)['streams'][0]
        assert rs['received'] > 0 and rs['reordered'] == 0 and rs['dup'] == 0, rs
    for name in ('a', 'b'):
        assert vf.stats(name)['drop_packets'] == 0


def test_tx_port_swapped_under_traffic_delivers_each_packet_once(spp):
    spp.start_primary([spp.null()], **PRIMARY)
    vf = spp.start_vf(2)
    vf.ok('component start f 1 forward', 'port add ring:1 tx f', 'port add ring:0 rx f',
          'component start g 2 forward', 'port add ring:3 tx g', 'port add ring:2 rx g')
    gen = spp.start_pktgen([(0, M1), (2, M2)], rx_rings=[1, 4, 3], pps=30000)
    tx = 1
    rx_advances(vf, 'f', 500)
    for _ in range(20):
        new = 4 if tx == 1 else 1
        vf.ok('port del ring:%d tx f' % tx, 'port add ring:%d tx f' % new)
        tx = new
        rx_advances(vf, 'f', 100)
    gen.stop_generating()
    report = gen.report()
    assert report['drain_complete'], report
    s0 = report['streams'][0]
    assert (s0['lost'], s0['dup'], s0['received']) == (0, 0, s0['sent']), s0
    for r in (1, 4):
        assert ring_report(report, r)['streams'][0]['reordered'] == 0
    assert_only_on(report, 0, [1, 4])
    assert_untouched(report, 1, 3)
    assert_only_on(report, 1, [3])


def test_second_vf_changes_do_not_disturb_first_vf(spp):
    spp.start_primary([spp.null()], **PRIMARY)
    vf1 = spp.start_vf(2, workers=(1, 2))
    vf2 = spp.start_vf(3, workers=(3, 4))
    vf1.ok('component start f 1 forward', 'port add ring:1 tx f', 'port add ring:0 rx f')
    gen = spp.start_pktgen([(0, M1)], rx_rings=[1], pps=30000)
    rx_advances(vf1, 'f', 500)
    for i in range(10):
        vf2.ok('component start c%d 3 classifier' % i, 'port add ring:3 tx c%d' % i,
               'classifier_table add mac %s ring:3' % M1, 'port add ring:2 rx c%d' % i,
               'component stop c%d' % i, 'classifier_table del mac %s ring:3' % M1)
    vf2.exit()
    rx_advances(vf1, 'f', 200)
    gen.stop_generating()
    report = gen.report()
    assert report['drain_complete'], report
    assert_untouched(report, 0, 1)


def test_flooding_and_reconfiguration_leak_no_mbufs(spp):
    """SPEC §8.9: once traffic stopped and the workers returned (flushing
    their caches), the pool's in-use count is back to its baseline."""
    spp.start_primary([spp.null()], **PRIMARY)
    baseline = spp.pool_stats()
    vf = spp.start_vf(2)
    vf.ok('component start cls 1 classifier', 'port add ring:1 tx cls add_vlantag 7 1',
          'port add ring:3 tx cls', 'port add ring:4 tx cls del_vlantag',
          'classifier_table add mac %s ring:1' % M1, 'classifier_table add mac %s ring:3' % M2,
          'classifier_table add vlan 5 %s ring:4' % M2, 'classifier_table add mac default ring:4',
          'port add ring:0 rx cls')
    gen = spp.start_pktgen([(0, 'ff:ff:ff:ff:ff:ff'), (0, M1), (0, M2, 5), (0, M9)],
                           rx_rings=[1, 3, 4], pps=30000)
    rx_advances(vf, 'cls', 2000)
    for i in range(10):
        vf.ok('port del ring:3 tx cls', 'port add ring:3 tx cls add_vlantag %d 0' % (i + 1))
        rx_advances(vf, 'cls', 200)
    gen.stop_generating()
    report = gen.report()
    assert report['drain_complete'], report
    # Broadcast: one copy on each tx port with an untagged entry; ring:3
    # (detached and re-attached meanwhile) misses what came in between.
    for r in (1, 4):
        rs = ring_report(report, r)['streams'][0]
        assert (rs['lost'], rs['dup'], rs['reordered']) == (0, 0, 0), (r, rs)
    rs = ring_report(report, 3)['streams'][0]
    assert rs['received'] > 0 and rs['dup'] == 0 and rs['reordered'] == 0, rs
    for stream, ring in ((1, 1), (2, 4), (3, 4)):
        assert_untouched(report, stream, ring)
    st = vf.stats('cls')
    assert st['drop_packets'] == 0, st
    assert st['rx_packets'] + st['dup_packets'] == st['tx_packets'], st
    vf.exit()
    pri = spp.pri_status()
    assert all(r['occupancy'] == 0 for r in pri['ring_ports']), pri['ring_ports']
    assert spp.pool_stats()['in_use'] == baseline['in_use']
