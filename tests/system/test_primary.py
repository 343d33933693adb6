"""spp_primary's command set (SPEC §6): status, clear, exit, other commands."""

from conftest import STOP_WAIT, ordered, wait_for
from pkts import frame, mac

PHY_KEYS = ['id', 'eth', 'rx', 'tx', 'tx_drop', 'nof_queues', 'flow', 'port', 'rx_bytes',
            'tx_bytes', 'rx_missed', 'link']
RING_KEYS = ['id', 'rx', 'rx_drop', 'tx', 'tx_drop', 'rx_bytes', 'tx_bytes', 'occupancy',
             'capacity']


def test_primary_status_has_spec_keys_in_order(spp):
    ports = [spp.pcap(), spp.null()]
    spp.start_primary(ports, rings=3, ring_size=512)
    st = spp.pri_status()
    assert list(st) == ['master-lcore', 'lcores', 'phy_ports', 'ring_ports', 'pipes']
    assert st['master-lcore'] == 0
    assert st['lcores'] == [0]
    assert st['pipes'] == []
    assert [p['id'] for p in st['phy_ports']] == [0, 1]
    for i, p in enumerate(st['phy_ports']):
        assert list(p) == PHY_KEYS
        assert p['port'] == 'phy:%d' % i
        assert p['nof_queues'] == {'rx': 1, 'tx': 1}
        assert list(p['nof_queues']) == ['rx', 'tx']
        assert p['flow'] == []
        assert p['eth'] == p['eth'].lower() and len(p['eth'].split(':')) == 6
        assert p['link'] in ('up', 'down')
        for k in ('rx', 'tx', 'tx_drop', 'rx_bytes', 'tx_bytes', 'rx_missed'):
            assert p[k] == 0, (k, p)
    assert [r['id'] for r in st['ring_ports']] == [0, 1, 2]
    for r in st['ring_ports']:
        assert list(r) == RING_KEYS
        assert r['capacity'] == 511
        for k in RING_KEYS[1:-1]:
            assert r[k] == 0, (k, r)


def test_primary_counts_traffic_of_secondaries_and_clear_resets_it(spp):
    frames = [frame(mac(1), n=i, size=100) for i in range(40)]
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = spp.start_vf(2)
    vf.ok('component start f1 1 forward', 'component start f2 2 forward',
          'port add ring:0 tx f1', 'port add ring:0 rx f2', 'port add phy:1 tx f2',
          'port add phy:0 rx f1')
    wait_for(lambda: len(p1.sent()) == 40, msg='40 frames on phy:1')
    vf.wait_rx('f2', 40)

    def counted():
        st = spp.pri_status()
        ph, ring = st['phy_ports'], st['ring_ports']
        return (ph[0]['rx'] == 40 and ph[1]['tx'] == 40 and ring[0]['tx'] == 40
                and ring[0]['rx'] == 40 and ph[0]['rx_bytes'] == 4000
                and ph[1]['tx_bytes'] == 4000 and ring[0]['rx_bytes'] == 4000
                and ring[0]['tx_bytes'] == 4000) and st
    st = wait_for(counted, msg='primary counters')
    assert st['phy_ports'][0]['rx_bytes'] == 4000
    assert st['phy_ports'][1]['tx_bytes'] == 4000
    assert st['ring_ports'][0]['rx_bytes'] == 4000
    assert st['ring_ports'][0]['tx_bytes'] == 4000
    assert st['ring_ports'][0]['occupancy'] == 0
    assert st['ring_ports'][1]['tx'] == 0

    reply = spp.pri('clear')
    assert reply == {'result': 'succeeded', 'command': 'clear'}
    assert list(reply) == ['result', 'command']
    st = spp.pri_status()
    for p in st['phy_ports']:
        for k in ('rx', 'tx', 'tx_drop', 'rx_bytes', 'tx_bytes', 'rx_missed'):
            assert p[k] == 0, (k, p)
    for r in st['ring_ports']:
        for k in ('rx', 'rx_drop', 'tx', 'tx_drop', 'rx_bytes', 'tx_bytes'):
            assert r[k] == 0, (k, r)


def test_primary_exit_replies_and_ends_with_code_0(spp):
    spp.start_primary([spp.null()], rings=1)
    reply = spp.pri('exit')
    assert reply == {'result': 'succeeded', 'command': 'exit'}
    assert list(reply) == ['result', 'command']
    assert spp.primary.wait(STOP_WAIT) == 0


def test_primary_exit_stops_attached_secondary_with_code_2(spp):
    spp.start_primary([spp.null()], rings=1)
    vf = spp.start_vf(2)
    vf.proc.expect_rc = 2          # SPEC §1.5 step 4: primary STOPPING -> exit 2
    assert spp.pri('exit') == {'result': 'succeeded', 'command': 'exit'}
    assert spp.primary.wait(STOP_WAIT) == 0
    assert vf.proc.wait(STOP_WAIT) == 2


def _primary(spp):
    spp.start_primary([spp.null()], rings=1)
    return spp.ctl.primary()


def test_primary_rejects_unknown_command(spp):
    conn = _primary(spp)
    reply = conn.command('frobnicate now')
    assert ordered(reply) == ordered(
        {'result': 'failed', 'command': 'frobnicate', 'message': 'unknown command'})


def test_primary_answers_forwarder_commands_with_no_forwarder(spp):
    conn = _primary(spp)
    for cmd, first in [('add ring:0', 'add'), ('del ring:0', 'del'),
                       ('patch phy:0 ring:0', 'patch'), ('forward', 'forward'),
                       ('stop', 'stop')]:
        reply = conn.command(cmd)
        assert ordered(reply) == ordered({'result': 'failed', 'command': first,
                                          'message': 'spp_primary has no forwarder'}), cmd


def test_primary_answers_flow_commands_with_error(spp):
    conn = _primary(spp)
    reply = conn.command('flow list 0')
    assert ordered(reply) == ordered({'result': 'error',
                                      'message': 'flow rules are not supported'})


def test_primary_ignores_terminated_blank_commands(spp):
    conn = _primary(spp)
    conn.send_raw(b'\n \n\t\r\n\x00\x00frobnicate\n')
    # A reply to any blank would come first and not name frobnicate.
    assert conn.read_reply()['command'] == 'frobnicate'
    assert 'master-lcore' in conn.command('status')


def test_primary_answers_unterminated_blank_as_unknown_empty_command(spp):
    conn = _primary(spp)
    conn.send_raw(b'   ')
    assert ordered(conn.read_reply()) == ordered(
        {'result': 'failed', 'command': '', 'message': 'unknown command'})


def test_primary_answers_unterminated_status(spp):
    conn = _primary(spp)
    conn.send_raw(b'status')
    assert list(conn.read_reply()) == ['master-lcore', 'lcores', 'phy_ports', 'ring_ports',
                                       'pipes']


def test_primary_rejects_over_long_command_and_recovers(spp):
    conn = _primary(spp)
    conn.send_raw(b'x' * 5000 + b'\nstatus\n')
    reply = conn.read_reply()
    assert ordered(reply) == ordered(
        {'result': 'failed', 'command': '', 'message': 'command too long'})
    assert 'master-lcore' in conn.read_reply()


def test_primary_runs_several_commands_of_one_write_in_order(spp):
    conn = _primary(spp)
    conn.send_raw(b'clear\nstatus\r\nfoo\n')
    r1, r2, r3 = conn.read_replies(3)
    assert r1 == {'result': 'succeeded', 'command': 'clear'}
    assert 'master-lcore' in r2
    assert r3 == {'result': 'failed', 'command': 'foo', 'message': 'unknown command'}
