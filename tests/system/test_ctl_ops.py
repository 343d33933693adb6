"""spp-ctl operations with real processes: restart under traffic (SPEC
§4.4), --replay, dead secondaries, 50 concurrent REST clients, a
4,096-entry classifier status."""

import threading
import time

import pytest

from conftest import wait_for
from ctlproc import ctl_env, ctl_spp, ok  # noqa: F401 (ctl_spp: the spp fixture)

M1 = '02:00:00:00:00:01'
M2 = '02:00:00:00:00:02'

# Deep rings and a pool that fits -m 256 (as test_reconfig.py).
PRIMARY = dict(rings=8, ring_size=4096, nb_mbufs=16383)


@pytest.fixture
def spp_replay(tmp_path):
    with ctl_env(tmp_path, replay=True) as env:
        yield env


def vf_get(spp, cid, kind='vfs'):
    r = spp.ctl.client.get('/v1/%s/%d' % (kind, cid))
    assert r.status == 200, r
    return r.json()


def comp_stats(spp, cid, name):
    for c in vf_get(spp, cid)['components']:
        if c.get('name') == name:
            return c['stats']
    raise AssertionError('no component %s' % name)


def config_of(body):
    """A GET /v1/vfs body without counters: what a restart must keep."""
    out = dict(body)
    out.pop('port_stats', None)
    out['components'] = [{k: v for k, v in c.items() if k != 'stats'}
                         for c in body['components']]
    return out


def rx_advances(spp, cid, name, by=200):
    start = comp_stats(spp, cid, name)['rx_packets']
    wait_for(lambda: comp_stats(spp, cid, name)['rx_packets'] >= start + by,
             msg='%s to receive %d more packets' % (name, by))


def ring_report(report, ring):
    return next(r for r in report['rings'] if r['ring'] == ring)


def configure_forward_and_classifier(c, cid=2):
    """f (lcore 1): ring:0 -> ring:1; cls (lcore 2): ring:2 -> ring:3 (M1)
    | ring:4 (default)."""
    ok(c.post('/v1/vfs/%d/components' % cid, {'name': 'f', 'core': 1, 'type': 'forward'}))
    ok(c.put('/v1/vfs/%d/components/f/ports' % cid,
             {'action': 'attach', 'port': 'ring:1', 'dir': 'tx'}))
    ok(c.put('/v1/vfs/%d/components/f/ports' % cid,
             {'action': 'attach', 'port': 'ring:0', 'dir': 'rx'}))
    ok(c.post('/v1/vfs/%d/components' % cid, {'name': 'cls', 'core': 2, 'type': 'classifier'}))
    for port in ('ring:3', 'ring:4'):
        ok(c.put('/v1/vfs/%d/components/cls/ports' % cid,
                 {'action': 'attach', 'port': port, 'dir': 'tx'}))
    ok(c.put('/v1/vfs/%d/classifier_table' % cid,
             {'action': 'add', 'type': 'mac', 'mac_address': M1, 'port': 'ring:3'}))
    ok(c.put('/v1/vfs/%d/classifier_table' % cid,
             {'action': 'add', 'type': 'mac', 'mac_address': 'default', 'port': 'ring:4'}))
    ok(c.put('/v1/vfs/%d/components/cls/ports' % cid,
             {'action': 'attach', 'port': 'ring:2', 'dir': 'rx'}))


@pytest.mark.expect_log(r'connection to spp-ctl lost \(closed by peer\); reconnecting')
def test_spp_ctl_killed_and_restarted_under_traffic_loses_nothing(spp):
    spp.start_primary([spp.null()], **PRIMARY)
    spp.start_vf(2, workers=(1, 2))
    c = spp.ctl.client
    configure_forward_and_classifier(c)
    gen = spp.start_pktgen([(0, M1), (2, M1), (2, M2)], rx_rings=[1, 3, 4], pps=20000)
    rx_advances(spp, 2, 'f', 500)
    before = config_of(vf_get(spp, 2))
    pri_before = c.get('/v1/primary/status').json()
    for _ in range(2):
        spp.ctl.proc.kill9()
        c.close()
        t0 = time.monotonic()
        spp.ctl.proc.restart()
        wait_for(lambda: c.get('/v1/processes').json() == [
            {'type': 'primary'}, {'type': 'vf', 'client-id': 2}], timeout=10,
            msg='primary and vf 2 registered again')
        took = time.monotonic() - t0
        assert took < 3.0, 're-registration took %.1f s' % took
        assert config_of(vf_get(spp, 2)) == before
        rx_advances(spp, 2, 'f', 300)
        rx_advances(spp, 2, 'cls', 300)
    pri_after = c.get('/v1/primary/status').json()
    assert [p['id'] for p in pri_after['ring_ports']] == [p['id'] for p in pri_before['ring_ports']]
    gen.stop_generating()
    report = gen.report()
    assert report['drain_complete'], report
    for stream, ring in ((0, 1), (1, 3), (2, 4)):
        st = report['streams'][stream]
        rs = ring_report(report, ring)['streams'][stream]
        assert st['sent'] > 0
        assert (rs['received'], rs['lost'], rs['dup'], rs['reordered']) == \
            (st['sent'], 0, 0, 0), (stream, ring, rs, st)
    for name in ('f', 'cls'):
        assert comp_stats(spp, 2, name)['drop_packets'] == 0
    assert spp.ctl.proc.exit_codes[:2] == [-9, -9]


def test_dead_secondary_disappears_from_processes_promptly(spp):
    spp.start_primary([spp.null()])
    vf = spp.start_vf(2, workers=(1,))
    spp.start_vf(3, workers=(2,))
    c = spp.ctl.client
    vf.proc.kill9()
    t0 = time.monotonic()
    wait_for(lambda: c.get('/v1/processes').json() == [
        {'type': 'primary'}, {'type': 'vf', 'client-id': 3}], timeout=5, msg='vf 2 gone')
    assert time.monotonic() - t0 < 1.0
    r = c.get('/v1/vfs/2')
    assert (r.status, r.text) == (404, 'sec_id 2 not found.')
    assert c.get('/v1/vfs/3').status == 200


@pytest.mark.expect_log(r"replay\(\): vf 2 .*: replay of '.*' failed: ")
def test_replay_reapplies_configuration_to_a_restarted_vf(spp_replay):
    spp = spp_replay
    spp.start_primary([spp.null()], **PRIMARY)
    vf = spp.start_vf(2, workers=(1, 2))
    c = spp.ctl.client
    configure_forward_and_classifier(c)
    # Undone before the restart: the replay must end without it.
    ok(c.post('/v1/vfs/2/components', {'name': 'tmp', 'core': 1, 'type': 'merge'}))
    ok(c.delete('/v1/vfs/2/components/tmp'))
    # A failed command is not part of the history.
    assert c.post('/v1/vfs/2/components', {'name': 'f', 'core': 1,
                                           'type': 'merge'}).status == 400
    before = config_of(vf_get(spp, 2))
    vf.proc.kill9()
    wait_for(lambda: c.get('/v1/processes').json() == [{'type': 'primary'}], timeout=5)
    spp.start_vf(2, workers=(1, 2))
    assert c.get('/v1/processes').json() == [{'type': 'primary'},
                                             {'type': 'vf', 'client-id': 2}]
    assert config_of(vf_get(spp, 2)) == before
    gen = spp.start_pktgen([(0, M1), (2, M1), (2, M2)], rx_rings=[1, 3, 4], pps=20000,
                           count=2000)
    report = gen.report()
    assert report['drain_complete'], report
    for stream, ring in ((0, 1), (1, 3), (2, 4)):
        rs = ring_report(report, ring)['streams'][stream]
        assert (rs['received'], rs['lost']) == (report['streams'][stream]['sent'], 0), rs

    # Restarted with one worker less: the classifier's lcore is gone, and
    # what depends on it fails; the rest is applied and errors reported.
    spp.vfs[-1].proc.kill9()
    wait_for(lambda: c.get('/v1/processes').json() == [{'type': 'primary'}], timeout=5)
    spp.start_vf(2, workers=(1,))
    procs = c.get('/v1/processes').json()
    assert procs[1]['type'] == 'vf' and procs[1]['client-id'] == 2
    errors = procs[1]['replay_errors']
    assert errors[0] == {'command': 'component start cls 2 classifier',
                         'message': 'Invalid value (core)'}
    assert [e['command'] for e in errors] == [
        'component start cls 2 classifier',
        'port add ring:3 tx cls', 'port add ring:4 tx cls',
        'port add ring:2 rx cls']
    assert all(e['message'] == 'Invalid value (component name)' for e in errors[1:])
    body = vf_get(spp, 2)
    assert [x.get('name') for x in body['components']] == ['f']
    assert len(body['classifier_table']) == 2


def test_replay_is_off_by_default(spp):
    spp.start_primary([spp.null()])
    vf = spp.start_vf(2, workers=(1,))
    c = spp.ctl.client
    ok(c.post('/v1/vfs/2/components', {'name': 'f', 'core': 1, 'type': 'forward'}))
    vf.proc.kill9()
    wait_for(lambda: c.get('/v1/processes').json() == [{'type': 'primary'}], timeout=5)
    spp.start_vf(2, workers=(1,))
    assert [x.get('name') for x in vf_get(spp, 2)['components']] == [None]
    assert 'replay_errors' not in c.get('/v1/processes').json()[1]


def test_fifty_concurrent_rest_clients_are_all_answered(spp):
    spp.start_primary([spp.null()], rings=4)
    spp.start_vf(2, workers=(1, 2, 3))
    spp.start_mirror(3, workers=(4,))
    errors = []
    start = threading.Barrier(50)

    def client(i):
        c = spp.ctl.rest() if hasattr(spp.ctl, 'rest') else spp.ctl.proc.rest()
        try:
            start.wait(30)
            name = 'c%d' % i
            checks = [
                (c.get('/v1/processes'), 200),
                (c.post('/v1/vfs/2/components', {'name': name, 'core': 1 + i % 3,
                                                 'type': 'forward'}), 204),
                (c.put('/v1/vfs/2/components/%s/ports' % name,
                       {'action': 'attach', 'port': 'ring:%d' % (i % 4), 'dir': 'tx'}), None),
                (c.get('/v1/mirrors/3'), 200),
                (c.get('/v1/primary/status'), 200),
                (c.post('/v1/vfs/2/components', {'name': name, 'core': '1',
                                                 'type': 'forward'}), 400),
                (c.get('/v1/vfs/7'), 404),
            ]
            for r, want in checks:
                if want is not None and r.status != want:
                    errors.append((i, want, r))
            body = c.get('/v1/vfs/2').json()
            if name not in [x.get('name') for x in body['components']]:
                errors.append((i, 'component missing', body))
            r = c.delete('/v1/vfs/2/components/%s' % name)
            if r.status != 204:
                errors.append((i, 'delete', r))
            r = c.get('/v1/processes')
            if r.json() != [{'type': 'primary'}, {'type': 'vf', 'client-id': 2},
                            {'type': 'mirror', 'client-id': 3}]:
                errors.append((i, 'processes', r))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append((i, 'exception', repr(e)))
        finally:
            c.close()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(50)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert time.monotonic() - t0 < 60
    assert [x.get('name') for x in vf_get(spp, 2)['components']] == [None, None, None]


def test_status_with_4096_classifier_entries_is_served_whole(spp):
    spp.start_primary([spp.null()], rings=8)
    spp.start_vf(2, workers=(1,))
    errors = []

    def add(part):
        c = spp.ctl.proc.rest()
        for i in range(part, 4096, 8):
            r = c.put('/v1/vfs/2/classifier_table',
                      {'action': 'add', 'type': 'mac',
                       'mac_address': '02:00:00:00:%02x:%02x' % (i >> 8, i & 255),
                       'port': 'ring:%d' % (i % 8)})
            if r.status != 204:
                errors.append((i, r))
        c.close()
    threads = [threading.Thread(target=add, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert errors == []
    c = spp.ctl.client
    for _ in range(3):
        body = vf_get(spp, 2)
        table = body['classifier_table']
        assert len(table) == 4096
        assert table[0] == {'type': 'mac', 'value': '02:00:00:00:00:00', 'port': 'ring:0'}
        assert table[-1] == {'type': 'mac', 'value': '02:00:00:00:0F:FF', 'port': 'ring:7'}
    r = c.put('/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac',
                                             'mac_address': '02:00:00:00:10:00',
                                             'port': 'ring:0'})
    assert (r.status, r.text) == (400, 'command error: error occur'), r
    assert r.header('X-Spp-Error-Detail') == 'classifier table is full (4096 entries)', r


def test_token_protects_rest_with_real_processes(tmp_path):
    with ctl_env(tmp_path, token='t0k3n') as spp:
        spp.start_primary([spp.null()])
        spp.start_vf(2, workers=(1,))
        anon = spp.ctl.proc.rest(token='')
        for method, path in (('GET', '/v1/vfs/2'), ('DELETE', '/v1/vfs/2'),
                             ('GET', '/v1/primary/status'), ('DELETE', '/v1/primary')):
            r = anon.request(method, path)
            assert (r.status, r.text) == (401, 'Unauthorized.'), (method, path, r)
        c = spp.ctl.client
        assert c.get('/v1/processes').json() == [{'type': 'primary'},
                                                 {'type': 'vf', 'client-id': 2}]
        ok(c.post('/v1/vfs/2/components', {'name': 'f', 'core': 1, 'type': 'forward'}))
        assert [x.get('name') for x in vf_get(spp, 2)['components']] == ['f']
