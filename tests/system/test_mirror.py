"""spp_mirror (SPEC §5.2, §5.3, §8.6, §8.7, §8.9, §9.1): originals to the
first tx port, copies to the second, both equal to the frame at the tap
point byte for byte, whatever later hops do to tags; a slow or full monitor
never costs an original; mbufs come back."""

import pytest

from conftest import MIRROR_BIN, SUCCESS, Proc, assert_error, assert_same_json, spp_env, wait_for
from pkts import BROADCAST, MULTICAST, frame, mac, untagged
from test_reconfig import assert_only_on, assert_untouched, ring_report, rx_advances
from test_vlan import add_tag

M1 = '02:00:00:00:00:01'
M2 = '02:00:00:00:00:02'

STATUS_KEYS = ['client-id', 'phy', 'vhost', 'ring', 'master-lcore', 'core', 'port_stats',
               'captures', 'copy_mode']
COMPONENT_KEYS = ['core', 'name', 'type', 'rx_port', 'tx_port', 'stats', 'copy_mode']
NO_DROPS = {'no_dest': 0, 'tx_full': 0, 'link_down': 0, 'nombuf': 0, 'vlan_error': 0,
            'malformed': 0}

# Rings deep enough that a worker preempted on a shared CPU never makes one
# overflow at the tests' rates; a pool that fits in -m 256.
PRIMARY = dict(rings=8, ring_size=4096, nb_mbufs=16383)


def mirror_frames(count):
    """Unicast, broadcast and multicast; untagged, tagged and priority
    tagged; 60 B up to 9000 B (net_pcap chains 2 KB mbufs for the largest,
    so those are multi-segment packets)."""
    out = []
    for i in range(count):
        dst = [mac(i + 1), BROADCAST, MULTICAST][i % 3]
        vlan = [None, 100 + i, None, 4094, 0][i % 5]
        size = [60, 64, 1514, 1518, 128, 9000][i % 6]
        out.append(frame(dst, vlan=vlan, pcp=i % 8, n=i, size=size))
    return out


def op_func(op):
    """What a port op, as written in a command, does to a frame's bytes."""
    if op == 'del_vlantag':
        return untagged
    _, vid, pcp = op.split()
    return lambda f: add_tag(f, int(vid), int(pcp))


def dst_of(f):
    return ':'.join('%02x' % b for b in f[:6])


def ring_status(spp, n):
    return spp.pri_status()['ring_ports'][n]


def mirror_argv(spp, client_id, lcore, *opts):
    """An spp_mirror command line for a process expected not to start."""
    return [MIRROR_BIN, '--lcores', '0@0,%d@1' % lcore, '--no-pci', '--proc-type=secondary',
            '--file-prefix', spp.prefix, '--', '--client-id', str(client_id),
            '-s', '127.0.0.1:%d' % spp.ctl.secondary_port] + [str(o) for o in opts]


def assert_mirror_stats(m, name, frames, orig_out, copy_out):
    """The component's counters once idle (SPEC §9.1): every frame received,
    copied (dup) and sent twice, nothing dropped; tx bytes after tx ops."""
    nbytes = sum(len(f) for f in frames)
    st = m.wait_stats(name, rx_packets=len(frames), rx_bytes=nbytes,
                      tx_packets=2 * len(frames), dup_packets=len(frames), drop_packets=0)
    assert st['tx_bytes'] == sum(len(f) for f in orig_out + copy_out), st
    assert st['drops'] == NO_DROPS, st
    return st


# --- originals and copies, byte for byte --------------------------------------

@pytest.mark.parametrize('proc_mode,comp_mode,expect_proc,expect_comp', [
    pytest.param(None, None, 'shallow', 'shallow', id='default'),
    pytest.param('shallow', None, 'shallow', 'shallow', id='shallow'),
    pytest.param('deep', None, 'deep', 'deep', id='deep'),
    pytest.param('shallow', 'deep', 'shallow', 'deep', id='shallow-process-deep-component'),
    pytest.param('deep', 'shallow', 'deep', 'shallow', id='deep-process-shallow-component'),
])
def test_mirror_sends_input_byte_for_byte_to_both_tx_ports(spp, proc_mode, comp_mode,
                                                           expect_proc, expect_comp):
    frames = mirror_frames(60)
    src, orig, copy, other = spp.pcap(rx=frames), spp.pcap(), spp.pcap(), spp.pcap()
    spp.start_primary([src, orig, copy, other], rings=2)
    m = spp.start_mirror(3, copy_mode=proc_mode)
    start = 'component start tap 4 mirror' + (' ' + comp_mode if comp_mode else '')
    m.ok(start, 'port add phy:1 tx tap', 'port add phy:2 tx tap', 'port add phy:0 rx tap')
    m.wait_rx('tap', len(frames))
    wait_for(lambda: len(orig.sent()) == len(frames) and len(copy.sent()) == len(frames),
             msg='%d frames on phy:1 and phy:2' % len(frames))
    assert orig.sent() == frames
    assert copy.sent() == frames
    assert src.sent() == [] and other.sent() == []
    assert_mirror_stats(m, 'tap', frames, frames, frames)

    nbytes = sum(len(f) for f in frames)
    info = m.status()
    assert list(info) == STATUS_KEYS
    assert info['copy_mode'] == expect_proc
    tap, unused = info['core']
    assert list(tap) == COMPONENT_KEYS
    assert (tap['core'], tap['name'], tap['type'], tap['copy_mode']) == (4, 'tap', 'mirror',
                                                                         expect_comp)
    assert [p['port'] for p in tap['rx_port']] == ['phy:0']
    assert [p['port'] for p in tap['tx_port']] == ['phy:1', 'phy:2']
    assert unused == {'core': 5, 'type': 'unuse'}
    ps = {p['port']: p for p in info['port_stats']}
    assert sorted(ps) == ['phy:0', 'phy:1', 'phy:2']
    assert (ps['phy:0']['rx_packets'], ps['phy:0']['rx_bytes'], ps['phy:0']['tx_packets']) == \
        (len(frames), nbytes, 0)
    for uid in ('phy:1', 'phy:2'):
        p = ps[uid]
        assert (p['tx_packets'], p['tx_bytes'], p['rx_packets'], p['drop_packets']) == \
            (len(frames), nbytes, 0, 0), p


def test_mirror_components_keep_their_own_copy_modes(spp):
    spp.start_primary([spp.null()], rings=1)
    m = spp.start_mirror(3, copy_mode='deep')
    m.ok('component start a 4 mirror', 'component start b 4 mirror shallow',
         'component start c 5 mirror deep')
    info = m.status()
    assert [(c['name'], c['copy_mode']) for c in info['core']] == \
        [('a', 'deep'), ('b', 'shallow'), ('c', 'deep')]
    assert info['copy_mode'] == 'deep'


# --- VLAN operations downstream (copy-on-write) -------------------------------

X = '02:00:00:00:0b:01'
Y = '02:00:00:00:0b:02'
Z = '02:00:00:00:0b:09'


@pytest.mark.parametrize('mon_op', ['del_vlantag', 'add_vlantag 200 0'])
@pytest.mark.parametrize('mode', ['shallow', 'deep'])
def test_copies_equal_the_tap_point_when_tags_are_edited_downstream(spp, mode, mon_op):
    """An spp_vf classifier feeds two mirrors: t1 edits tags on its own tx
    ports; t2 (with an rx op, so the tap point is after it) sends originals
    and copies through rings to spp_vf forwarders that edit them. Broadcasts
    are flooded (one mbuf, refcount 3) to both mirrors and a third port."""
    frames = []
    for i in range(48):
        dst = [X, Y, BROADCAST, Z][i % 4]
        vlan = [None, 10, 10, None, None, 10][i % 6]
        frames.append(frame(dst, vlan=vlan, pcp=i % 8, n=i,
                            size=[60, 1514, 64, 1518, 9000, 200, 80][i % 7]))
    to_t1 = [f for f in frames if dst_of(f) in (X, BROADCAST)]
    to_t2 = [f for f in frames if dst_of(f) in (Y, BROADCAST)]
    to_dflt = [f for f in frames if dst_of(f) in (Z, BROADCAST)]
    assert len(to_t1) == len(to_t2) == len(to_dflt) == 24
    mon = op_func(mon_op)
    ports = [spp.pcap(rx=frames)] + [spp.pcap() for _ in range(5)]
    spp.start_primary(ports, rings=4)
    baseline = spp.pool_stats()
    vf = spp.start_vf(1, workers=(1, 2, 3))
    m = spp.start_mirror(2, workers=(4, 5), copy_mode=mode)
    m.ok('component start t1 4 mirror', 'port add phy:1 tx t1 add_vlantag 100 3',
         'port add phy:2 tx t1 %s' % mon_op, 'port add ring:0 rx t1',
         'component start t2 5 mirror', 'port add ring:1 tx t2', 'port add ring:2 tx t2',
         'port add ring:3 rx t2 del_vlantag')
    vf.ok('component start f1 2 forward', 'port add ring:1 rx f1',
          'port add phy:3 tx f1 add_vlantag 300 5',
          'component start f2 3 forward', 'port add ring:2 rx f2',
          'port add phy:4 tx f2 %s' % mon_op,
          'component start cls 1 classifier', 'port add ring:0 tx cls', 'port add ring:3 tx cls',
          'port add phy:5 tx cls',
          'classifier_table add mac %s ring:0' % X, 'classifier_table add vlan 10 %s ring:0' % X,
          'classifier_table add mac %s ring:3' % Y, 'classifier_table add vlan 10 %s ring:3' % Y,
          'classifier_table add mac default phy:5',
          'port add phy:0 rx cls')

    want = {
        1: [add_tag(f, 100, 3) for f in to_t1],
        2: [mon(f) for f in to_t1],
        3: [add_tag(untagged(f), 300, 5) for f in to_t2],
        4: [mon(untagged(f)) for f in to_t2],
        5: to_dflt,
    }
    wait_for(lambda: all(len(ports[i].sent()) == len(w) for i, w in want.items()),
             msg='every output complete')
    for i, w in want.items():
        assert ports[i].sent() == w, 'phy:%d' % i
    assert ports[0].sent() == []
    assert_mirror_stats(m, 't1', to_t1, want[1], want[2])
    st = m.wait_stats('t2', rx_packets=len(to_t2), tx_packets=2 * len(to_t2),
                      dup_packets=len(to_t2), drop_packets=0)
    assert st['tx_bytes'] == 2 * sum(len(untagged(f)) for f in to_t2)
    for name in ('f1', 'f2'):
        vf.wait_stats(name, rx_packets=len(to_t2), tx_packets=len(to_t2), drop_packets=0)
    # Copy-on-write copies and shallow clones all went back (SPEC §8.9).
    assert spp.pool_stats()['in_use'] == baseline['in_use']


def test_tx_op_on_copy_port_tags_only_the_copies(spp):
    """RSPAN style (docs/taas.md): add_vlantag on tx[1] tags copies only."""
    frames = mirror_frames(20)
    src, orig, copy = spp.pcap(rx=frames), spp.pcap(), spp.pcap()
    spp.start_primary([src, orig, copy], rings=1)
    m = spp.start_mirror(3)
    m.ok('component start tap 4 mirror', 'port add phy:1 tx tap',
         'port add phy:2 tx tap add_vlantag 999 0', 'port add phy:0 rx tap')
    wait_for(lambda: len(orig.sent()) == 20 and len(copy.sent()) == 20)
    assert orig.sent() == frames
    assert copy.sent() == [add_tag(f, 999, 0) for f in frames]


# --- a stalled monitor ---------------------------------------------------------

@pytest.mark.parametrize('mode', ['shallow', 'deep'])
@pytest.mark.parametrize('stall', ['pool_exhausted', 'ring_full'])
def test_stalled_monitor_costs_no_original_and_leaks_no_mbuf(spp, stall, mode):
    """Copies go to ring:5, which nobody reads. pool_exhausted: the ring can
    hold more copies (4095) than the 1023-mbuf mirror pool, so copies fail
    (nombuf). ring_full: ring:5 was filled beforehand, so the copies are
    refused (tx_full). Either way every original arrives, in order, once."""
    ports = [spp.null(), spp.null(rx=True)]
    spp.start_primary(ports, **PRIMARY)
    capacity = ring_status(spp, 5)['capacity']
    assert capacity > 1023
    baseline = spp.pool_stats()
    vf = spp.start_vf(1, workers=(1,))
    if stall == 'ring_full':
        # An endless stream of net_null frames fills ring:5 to the brim.
        vf.ok('component start fill 1 forward', 'port add ring:5 tx fill',
              'port add phy:1 rx fill')
        wait_for(lambda: ring_status(spp, 5)['occupancy'] == capacity, msg='ring:5 full')
        vf.ok('port del phy:1 rx fill', 'component stop fill')
    held = ring_status(spp, 5)['occupancy']
    m = spp.start_mirror(2, copy_mode=mode, pool_size=1023)
    m.ok('component start tap 4 mirror', 'port add ring:1 tx tap', 'port add ring:5 tx tap',
         'port add ring:0 rx tap')
    gen = spp.start_pktgen([(0, M1)], rx_rings=[1], pps=20000)
    reason = 'nombuf' if stall == 'pool_exhausted' else 'tx_full'
    wait_for(lambda: m.stats('tap')['drops'][reason] >= 1000, msg='1000 copies lost to ' + reason)
    gen.stop_generating()
    report = gen.report()
    assert report['drain_complete'], report
    assert_untouched(report, 0, 1)
    assert_only_on(report, 0, [1])

    sent = report['streams'][0]['sent']
    st = m.wait_stats('tap', rx_packets=sent)
    copies = st['tx_packets'] - sent
    assert st['dup_packets'] == sent
    assert st['drop_packets'] == sent - copies
    in_ring = ring_status(spp, 5)['occupancy']
    if stall == 'pool_exhausted':
        # Every copy made is still held in ring:5: the pool ran dry.
        assert 0 < copies <= 1023 and in_ring == copies, (st, in_ring)
        assert st['drops'] == dict(NO_DROPS, nombuf=sent - copies), st
    else:
        assert copies == 0 and in_ring == capacity, (st, in_ring)
        assert st['drops'] == dict(NO_DROPS, tx_full=sent), st
        assert m.port_stats('ring:5')['drop_packets'] == sent
    assert m.port_stats('ring:1')['tx_packets'] == sent

    # Drain the monitor ring into a net_null port: every mbuf comes back.
    vf.ok('component start drain 1 forward', 'port add phy:0 tx drain',
          'port add ring:5 rx drain')
    vf.wait_stats('drain', rx_packets=held + copies, tx_packets=held + copies)
    assert ring_status(spp, 5)['occupancy'] == 0
    assert spp.pool_stats()['in_use'] == baseline['in_use']
    m.exit()
    vf.exit()
    assert spp.pool_stats()['in_use'] == baseline['in_use']


# --- changes under traffic ----------------------------------------------------

def test_mirror_changes_under_traffic_lose_no_original_and_no_copy(spp):
    """tap_a (lcore 4): ring:0 -> ring:1, copies moved between ring:3 and
    ring:4; tap_b (lcore 5): ring:2 -> ring:5, copies ring:6, stopped and
    started again in alternating copy modes; other mirror components come
    and go on both lcores. A mirror without its second tx port is not
    runnable (SPEC §8.3), so packets wait in its rx ring: nothing is lost,
    neither originals nor copies."""
    spp.start_primary([spp.null()], **PRIMARY)
    baseline = spp.pool_stats()
    m = spp.start_mirror(2)
    m.ok('component start tap_a 4 mirror', 'port add ring:1 tx tap_a',
         'port add ring:3 tx tap_a', 'port add ring:0 rx tap_a',
         'component start tap_b 5 mirror', 'port add ring:5 tx tap_b',
         'port add ring:6 tx tap_b', 'port add ring:2 rx tap_b')
    gen = spp.start_pktgen([(0, M1), (2, M2)], rx_rings=[1, 3, 4, 5, 6], pps=30000)
    rx_advances(m, 'tap_a', 500)
    copy_to = 3
    for i in range(15):
        new = 4 if copy_to == 3 else 3
        m.ok('port del ring:%d tx tap_a' % copy_to, 'port add ring:%d tx tap_a' % new)
        copy_to = new
        m.ok('component stop tap_b',
             'component start tap_b 5 mirror %s' % ('deep' if i % 2 == 0 else 'shallow'),
             'port add ring:2 rx tap_b', 'port add ring:5 tx tap_b', 'port add ring:6 tx tap_b')
        m.ok('component start x%d 4 mirror' % i, 'port add ring:7 rx x%d' % i,
             'component start y%d 5 mirror deep' % i)
        rx_advances(m, 'tap_a', 100)
        rx_advances(m, 'tap_b', 50)
        m.ok('port del ring:7 rx x%d' % i, 'component stop x%d' % i, 'component stop y%d' % i)
    gen.stop_generating()
    report = gen.report()
    assert report['drain_complete'], report
    # Originals: whole, in order, only where they belong.
    assert_untouched(report, 0, 1)
    assert_untouched(report, 1, 5)
    assert_untouched(report, 1, 6)
    assert_only_on(report, 1, [5, 6])
    assert_only_on(report, 0, [1, 3, 4])
    # Copies of stream 0: each packet exactly once over ring:3 and ring:4.
    sent = report['streams'][0]['sent']
    got = [ring_report(report, r)['streams'][0] for r in (3, 4)]
    assert sum(g['received'] for g in got) == sent, got
    for g in got:
        assert g['received'] > 0 and g['dup'] == 0 and g['reordered'] == 0, got
    m.wait_stats('tap_a', rx_packets=sent, dup_packets=sent, tx_packets=2 * sent,
                 drop_packets=0)
    m.exit()
    assert spp.pool_stats()['in_use'] == baseline['in_use']


# --- restart -------------------------------------------------------------------

@pytest.mark.oracle_off('mbufs', 'rings', why='SIGKILL under pktgen traffic: the killed '
                        'worker may hold a burst it dequeued, neither freed nor counted '
                        '(SPEC §8.9)')
@pytest.mark.expect_log(r'obtain_copy_pool\(\): reusing spp_mirror_d?pool_2 with 8191 mbufs '
                        r'\(--mirror-pool-size 2047\)')
def test_mirror_killed_and_restarted_reuses_its_pools_and_mirrors_again(spp):
    spp.start_primary([spp.null()], **PRIMARY)
    config = ['component start s 4 mirror', 'port add ring:1 tx s', 'port add ring:2 tx s',
              'port add ring:0 rx s',
              'component start d 5 mirror deep', 'port add ring:4 tx d', 'port add ring:5 tx d',
              'port add ring:3 rx d']
    m = spp.start_mirror(2, copy_mode='shallow')
    m.ok(*config)
    gen = spp.start_pktgen([(0, M1), (3, M2)], rx_rings=[1, 2, 4, 5], pps=20000,
                           drain_timeout_ms=3000)
    rx_advances(m, 's', 500)
    rx_advances(m, 'd', 500)
    m.proc.kill9()

    # Both pools exist now; a restart must find them rather than fail to
    # create them again (SPEC §8.7), whatever --mirror-pool-size says.
    m2 = spp.start_mirror(2, copy_mode='shallow', pool_size=2047)
    info = m2.status()
    assert [c['type'] for c in info['core']] == ['unuse', 'unuse']
    assert info['copy_mode'] == 'shallow'
    m2.ok(*config)
    rx_advances(m2, 's', 500)
    rx_advances(m2, 'd', 500)
    gen.stop_generating()
    report = gen.report()
    # The killed process may have lost the bursts it held (SPEC §8.9);
    # nothing is duplicated or reordered, copies follow their originals.
    for stream, rings in ((0, (1, 2)), (1, (4, 5))):
        for r in rings:
            rs = ring_report(report, r)['streams'][stream]
            assert rs['dup'] == 0 and rs['reordered'] == 0, (r, rs)
            assert rs['lost'] <= 2 * 64, (r, rs)
    for name in ('s', 'd'):
        st = m2.wait_stats(name, drop_packets=0)
        assert st['rx_packets'] >= 500 and st['dup_packets'] == st['rx_packets'], (name, st)
    # Reused at another size than --mirror-pool-size: logged (SPEC §8.7).
    log = m2.proc.log.read_text(errors='replace')
    assert 'spp_mirror_pool_2' in log and 'spp_mirror_dpool_2' in log, log


# --- a mirror whose copy port is its own rx ring --------------------------------

def test_mirror_with_copy_port_equal_to_rx_port_is_accepted_and_recovers(spp):
    """SPEC §5.4: `port add ring:0 tx m` with ring:0 m's rx port passes step
    9 (ring:0 is not yet attached both ways) and step 10 (ring:0 tx is free),
    so it succeeds. Every copy then re-enters the rx ring and is mirrored
    again (SPEC §8.7): packets circulate. The process must keep answering,
    the number of circulating packets stays what went in, and detaching the
    copy port stops the loop without losing or leaking an mbuf."""
    spp.start_primary([spp.null(), spp.null()], rings=2)
    baseline = spp.pool_stats()
    m = spp.start_mirror(2)
    m.ok('component start m 4 mirror', 'port add ring:0 rx m', 'port add phy:0 tx m')
    assert_same_json(m.cmd('port add ring:0 tx m'), SUCCESS)
    assert [p['port'] for p in m.component('m')['tx_port']] == ['phy:0', 'ring:0']
    gen = spp.start_pktgen([(0, M1)], rx_rings=[], count=64, pps=20000, drain_timeout_ms=0)
    assert gen.report()['sent'] == 64
    wait_for(lambda: m.stats('m')['rx_packets'] >= 10 * 64, msg='packets circulating')
    assert m.proc.alive()
    m.ok('port del ring:0 tx m')
    # Not runnable any more: nothing is received, the 64 wait in ring:0.
    st = m.wait_stats('m')
    for _ in range(20):
        assert m.stats('m') == st
    assert st['drop_packets'] == 0, st
    assert ring_status(spp, 0)['occupancy'] == 64
    m.ok('port add phy:1 tx m')
    wait_for(lambda: ring_status(spp, 0)['occupancy'] == 0, msg='ring:0 drained')
    st = m.wait_stats('m', drop_packets=0)
    assert st['tx_packets'] == 2 * st['rx_packets'], st
    m.exit()
    assert spp.pool_stats()['in_use'] == baseline['in_use']


# --- rejected commands ---------------------------------------------------------

WMF = 'Wrong message format'
CMD = 'Invalid value (command)'
NAME = 'Invalid value (component name)'
CORE = 'Invalid value (core)'
CTYPE = 'Invalid value (component type)'
RXTX = 'Invalid value (port rxtx)'
ERR = 'error occur'

# m (lcore 4): rx ring:0, tx ring:1 (originals), ring:2 (copies)
# n (lcore 5, deep): rx ring:3
BAD_SETUP = [
    'component start m 4 mirror',
    'port add ring:0 rx m',
    'port add ring:1 tx m',
    'port add ring:2 tx m',
    'component start n 5 mirror deep',
    'port add ring:3 rx n',
]

BAD_CASES = [
    ('port add ring:4 tx m', ERR),                      # third tx port (SPEC §5.6)
    ('port add ring:4 rx m', ERR),                      # second rx port
    ('port add ring:4 rx n', ERR),
    ('port add ring:1 tx n', RXTX),                     # ring:1 tx is m's
    ('port add ring:0 rx n', RXTX),                     # ring:0 rx is m's (before the limit)
    ('component start x 4 forward', CTYPE),
    ('component start x 4 classifier', CTYPE),
    ('component start x 4 merge', CTYPE),
    ('component start x 4 Mirror', CTYPE),
    ('component start x 4 forward deep', CTYPE),
    ('component start x 4 mirror fast', CTYPE),
    ('component start x 4 mirror Deep', CTYPE),
    ('component start x 4 mirror shallow extra', WMF),  # 7 tokens
    ('component start x 4 mirror deep deep', WMF),
    ('component start m 5 mirror deep', NAME),
    ('component start x 3 mirror', CORE),
    ('component start x 0 mirror shallow', CORE),
    ('classifier_table add mac %s ring:1' % M1, CMD),
    ('classifier_table add vlan 10 %s ring:1' % M1, CMD),
    ('classifier_table del mac %s ring:1' % M1, CMD),
    ('classifier_table', CMD),
]


@pytest.fixture(scope='module')
def mirror(tmp_path_factory):
    with spp_env(tmp_path_factory.mktemp('badmirror')) as env:
        env.start_primary([env.null()], rings=8)
        m = env.start_mirror(2)
        m.ok(*BAD_SETUP)
        yield m


@pytest.mark.parametrize('command,message', BAD_CASES, ids=[c for c, _ in BAD_CASES])
def test_mirror_rejects_command_with_spec_message_and_changes_nothing(mirror, command, message):
    before = mirror.cmd('status')
    assert_error(mirror.cmd(command), message)
    assert_same_json(mirror.cmd('status'), before)


def test_mirror_without_second_tx_port_leaves_packets_in_rx_port(spp):
    frames = mirror_frames(10)
    src, orig, copy = spp.pcap(rx=frames), spp.pcap(), spp.pcap()
    spp.start_primary([src, orig, copy], rings=1)
    m = spp.start_mirror(2)
    m.ok('component start tap 4 mirror', 'port add phy:1 tx tap', 'port add phy:0 rx tap')
    for _ in range(20):
        assert m.stats('tap')['rx_packets'] == 0
    m.ok('port add phy:2 tx tap')
    wait_for(lambda: len(orig.sent()) == 10 and len(copy.sent()) == 10)
    assert orig.sent() == frames and copy.sent() == frames


def test_deleting_the_original_port_makes_the_copy_port_first(spp):
    """SPEC §5.4/§8.7: a deletion shifts later ports forward."""
    spp.start_primary([spp.null()], rings=4)
    m = spp.start_mirror(2)
    m.ok('component start tap 4 mirror', 'port add ring:1 tx tap', 'port add ring:2 tx tap',
         'port del ring:1 tx tap', 'port add ring:3 tx tap')
    assert [p['port'] for p in m.component('tap')['tx_port']] == ['ring:2', 'ring:3']


# --legacy-mem: the primary's 256 MB are all there is, so a deep pool of
# 262143 mbufs (about 600 MB) cannot be created, quickly and for sure.
BIG_POOL = 262143


@pytest.mark.expect_log(r'^EAL: WARNING: Address Space Layout Randomization \(ASLR\) is',
                        r'^EAL: +This may cause issues with mapping memory into secondary')
def test_copy_pool_that_cannot_be_created_fails_component_start(spp):
    """SPEC §8.7: the pool of the other mode is obtained by the first
    component start that needs it; failure -> `error occur`, nothing
    changed (§5.10)."""
    spp.start_primary([spp.null()], rings=2, eal=['--legacy-mem'])
    m = spp.start_mirror(2, copy_mode='shallow', pool_size=BIG_POOL)
    m.ok('component start a 4 mirror', 'port add ring:0 rx a')
    before = m.cmd('status')
    assert_error(m.cmd('component start b 5 mirror deep'), ERR)
    assert_same_json(m.cmd('status'), before)
    m.ok('component start b 5 mirror shallow')
    assert [c['copy_mode'] for c in m.status()['core']] == ['shallow', 'shallow']


@pytest.mark.expect_log(r'^EAL: WARNING: Address Space Layout Randomization \(ASLR\) is',
                        r'^EAL: +This may cause issues with mapping memory into secondary')
def test_spp_mirror_exits_1_when_its_copy_pool_cannot_be_created(spp):
    """SPEC §8.7: the pool of --copy-mode is obtained at start-up;
    failure -> exit 1."""
    spp.start_primary([spp.null()], rings=2, eal=['--legacy-mem'])
    argv = mirror_argv(spp, 2, 4, '--copy-mode', 'deep', '--mirror-pool-size', BIG_POOL)
    p = Proc('spp_mirror big pool', argv, spp.tmp / 'big.log', expect_rc=1)
    spp.others.append(p)
    assert p.wait(30) == 1
    # Its client slot and lcore were released: the same id starts now.
    m = spp.start_mirror(2, workers=(4,), copy_mode='deep')
    m.ok('component start a 4 mirror')


def test_spp_mirror_rejects_bad_copy_mode_and_pool_size_options(spp):
    """SPEC §2.2: invalid options -> one line on stderr, exit 1."""
    spp.start_primary([spp.null()], rings=1)
    for k, opts in enumerate((['--copy-mode', 'medium'], ['--mirror-pool-size', '1022'],
                              ['--mirror-pool-size', '1048576'], ['--copy-mode'])):
        argv = mirror_argv(spp, 20 + k, 10 + k, *opts)
        p = Proc('spp_mirror %s' % ' '.join(opts), argv, spp.tmp / ('opt%d.log' % k),
                 expect_rc=1)
        spp.others.append(p)
        assert p.wait(30) == 1, opts
