"""A secondary killed and restarted while the primary runs (SPEC §1.5,
§4.4, §9.3): traffic flows again once it is reconfigured, other secondaries
are not disturbed, and the primary's counters never go backwards."""

import signal

import pytest

from conftest import VF_BIN, Proc, assert_error, assert_same_json, wait_for

M1 = '02:00:00:00:00:01'

# f3 before f2: the backlog of ring:2 after a restart must find phy:0
# drained, or the net_ring port overflows (tx_full) by the test's doing.
CONFIG = [
    'component start f1 1 forward', 'port add ring:1 tx f1', 'port add ring:0 rx f1',
    'component start f3 2 forward', 'port add ring:3 tx f3', 'port add phy:0 rx f3',
    'component start f2 2 forward', 'port add phy:0 tx f2', 'port add ring:2 rx f2',
]


def counters(spp):
    st = spp.pri_status()
    out = {}
    for p in st['phy_ports']:
        for k in ('rx', 'tx', 'tx_drop', 'rx_bytes', 'tx_bytes'):
            out['phy%d.%s' % (p['id'], k)] = p[k]
    for r in st['ring_ports']:
        for k in ('rx', 'tx', 'tx_drop', 'rx_bytes', 'tx_bytes'):
            out['ring%d.%s' % (r['id'], k)] = r[k]
    return out


class Monotonic:
    """Samples the primary's counters; every sample must be >= the last."""

    def __init__(self, spp):
        self.spp = spp
        self.last = counters(spp)

    def sample(self):
        now = counters(self.spp)
        back = {k: (self.last[k], v) for k, v in now.items() if v < self.last[k]}
        assert not back, 'primary counters went backwards: %r' % back
        self.last = now
        return now


@pytest.mark.oracle_off('mbufs', 'rings', why='SIGKILL under pktgen traffic: the killed '
                        'worker may hold a burst it dequeued, neither freed nor counted '
                        '(SPEC §8.9)')
def test_vf_killed_and_restarted_forwards_again_and_counters_keep_counting(spp):
    # phy:0 is a net_ring port: what f2 sends to it comes back on its rx.
    spp.start_primary([spp.ring_port()], rings=8, ring_size=4096, nb_mbufs=16383)
    vf = spp.start_vf(2, workers=(1, 2))
    other = spp.start_vf(3, workers=(3,))
    vf.ok(*CONFIG)
    other.ok('component start g 3 forward', 'port add ring:5 tx g', 'port add ring:4 rx g')
    gen = spp.start_pktgen([(0, M1), (2, M1), (4, M1)], rx_rings=[1, 3, 5], pps=20000,
                            drain_timeout_ms=3000)
    mono = Monotonic(spp)
    wait_for(lambda: mono.sample()['ring1.tx'] >= 500 and mono.last['phy0.rx'] >= 500,
             msg='traffic through f1 and phy:0')

    old_conn = vf.conn
    vf.proc.kill9()
    at_kill = mono.sample()
    wait_for(lambda: mono.sample()['ring5.tx'] >= at_kill['ring5.tx'] + 500,
             msg='the other vf to keep forwarding')
    assert spp.primary.alive()

    vf2 = spp.start_vf(2, workers=(1, 2))
    assert vf2.conn is not old_conn
    info = vf2.status()
    assert [c['type'] for c in info['core']] == ['unuse', 'unuse']
    assert info['classifier_table'] == []
    vf2.ok(*CONFIG)
    restarted = mono.sample()
    wait_for(lambda: (mono.sample()['ring1.tx'] >= restarted['ring1.tx'] + 500
                      and mono.last['ring3.tx'] >= restarted['ring3.tx'] + 500
                      and mono.last['phy0.rx'] >= restarted['phy0.rx'] + 500),
             msg='traffic through the restarted vf')

    gen.stop_generating()
    report = gen.report()
    mono.sample()
    # The untouched vf lost nothing; the killed one at most the bursts it
    # held when it died (SPEC §8.9), and nothing is duplicated or reordered.
    s = report['streams']
    r5 = next(r for r in report['rings'] if r['ring'] == 5)['streams'][2]
    assert (r5['received'], r5['lost'], r5['dup'], r5['reordered']) == (s[2]['sent'], 0, 0, 0)
    for stream, ring in ((0, 1), (1, 3)):
        rs = next(r for r in report['rings'] if r['ring'] == ring)['streams'][stream]
        assert rs['dup'] == 0 and rs['reordered'] == 0, rs
        assert rs['lost'] <= 64, rs
    for name in ('f1', 'f2', 'f3'):
        st = vf2.stats(name)
        assert st['rx_packets'] > 0 and st['drop_packets'] == 0, (name, st)


def test_vf_restarted_after_sigterm_exits_0_and_reregisters(spp):
    spp.start_primary([spp.null()], rings=2)
    vf = spp.start_vf(2)
    vf.ok('component start f 1 forward', 'port add ring:1 tx f', 'port add ring:0 rx f')
    vf.proc.signal(signal.SIGTERM)
    assert vf.proc.wait(15) == 0
    vf2 = spp.start_vf(2)
    assert [c['type'] for c in vf2.status()['core']] == ['unuse'] * 3
    vf2.ok('component start f 1 forward', 'port add ring:1 tx f', 'port add ring:0 rx f')


def test_second_vf_with_a_live_client_id_exits_1(spp):
    spp.start_primary([spp.null()], rings=2)
    vf = spp.start_vf(2)
    argv = [VF_BIN, '--lcores', '0@0,5@1', '--no-pci', '--proc-type=secondary',
            '--file-prefix', spp.prefix, '--', '--client-id', '2',
            '-s', '127.0.0.1:%d' % spp.ctl.secondary_port]
    dup = Proc('spp_vf duplicate', argv, spp.tmp / 'dup.log', expect_rc=1)
    spp.others.append(dup)
    assert dup.wait(30) == 1
    assert vf.status()['client-id'] == 2


def test_vf_using_a_claimed_worker_lcore_exits_1(spp):
    spp.start_primary([spp.null()], rings=2)
    spp.start_vf(2, workers=(1, 2))
    argv = [VF_BIN, '--lcores', '0@0,2@1', '--no-pci', '--proc-type=secondary',
            '--file-prefix', spp.prefix, '--', '--client-id', '3',
            '-s', '127.0.0.1:%d' % spp.ctl.secondary_port]
    clash = Proc('spp_vf clash', argv, spp.tmp / 'clash.log', expect_rc=1)
    spp.others.append(clash)
    assert clash.wait(30) == 1


def test_phy_queue_claimed_by_one_vf_is_refused_to_another(spp):
    spp.start_primary([spp.null(), spp.null()], rings=2)
    vf1 = spp.start_vf(2, workers=(1, 2))
    vf2 = spp.start_vf(3, workers=(3, 4))
    vf1.ok('component start f 1 forward', 'port add phy:0 rx f', 'port add phy:1 tx f')
    vf2.ok('component start g 3 forward')
    before = vf2.cmd('status')
    assert_error(vf2.cmd('port add phy:0 rx g'), 'Invalid value (port rxtx)')
    assert_error(vf2.cmd('port add phy:1 tx g'), 'Invalid value (port rxtx)')
    assert_same_json(vf2.cmd('status'), before)
    # Rings are not claimed (SPEC §3.4), and phy:0 tx is free.
    vf2.ok('port add phy:0 tx g', 'port add ring:0 rx g')
    # Released by port del in vf1, the claim can be taken by vf2.
    vf1.ok('port del phy:1 tx f')
    vf2.ok('port del phy:0 tx g', 'port add phy:1 tx g')
    # And by the exit of vf1.
    vf1.exit()
    vf2.ok('port del ring:0 rx g', 'port add phy:0 rx g')


def test_vf_with_client_id_out_of_range_exits_1(spp):
    spp.start_primary([spp.null()], rings=1)
    for cid, lcore in (('0', 5), ('128', 6), ('x', 7)):
        argv = [VF_BIN, '--lcores', '0@0,%d@1' % lcore, '--no-pci', '--proc-type=secondary',
                '--file-prefix', spp.prefix, '--', '--client-id', cid,
                '-s', '127.0.0.1:%d' % spp.ctl.secondary_port]
        p = Proc('spp_vf id %s' % cid, argv, spp.tmp / ('id%s.log' % cid), expect_rc=1)
        spp.others.append(p)
        assert p.wait(30) == 1, cid
