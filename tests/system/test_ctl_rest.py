"""spp-ctl's REST API v1 end to end (SPEC §7): real spp-ctl, spp_primary,
spp_vf and spp_mirror; traffic checked on net_pcap ports."""

import json
import os
import re
from pathlib import Path

import pytest

from conftest import wait_for
from ctlproc import ctl_spp, error, ok, rest  # noqa: F401 (ctl_spp: the spp fixture)
from pkts import BROADCAST, frame, mac, tagged

M1 = '52:54:00:12:34:56'
M2 = '52:54:00:12:34:57'


def vf_status(spp, cid, kind='vfs'):
    r = rest(spp).get('/v1/%s/%d' % (kind, cid))
    assert r.status == 200 and r.content_type == 'application/json', r
    return r.json()


def component(body, name):
    return next(c for c in body['components'] if c.get('name') == name)


def test_processes_lists_primary_first_then_ascending_ids(spp):
    spp.start_primary([spp.null()])
    spp.start_vf(5, workers=(1,))
    spp.start_mirror(3, workers=(4,))
    spp.start_vf(2, workers=(2,))
    r = rest(spp).get('/v1/processes')
    assert r.status == 200 and r.content_type == 'application/json'
    assert r.body == (b'[{"type":"primary"},{"type":"vf","client-id":2},'
                      b'{"type":"mirror","client-id":3},{"type":"vf","client-id":5}]')


def test_vf_forward_with_vlan_add_through_rest_is_byte_exact(spp):
    frames = [frame(mac(i + 1), n=i, size=[60, 128, 1000][i % 3]) for i in range(30)]
    p0, p1, p2 = spp.pcap(rx=frames), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2], rings=2)
    spp.start_vf(2)
    c = rest(spp)
    ok(c.post('/v1/vfs/2/components', {'name': 'fwd', 'core': 1, 'type': 'forward'}))
    ok(c.put('/v1/vfs/2/components/fwd/ports',
             {'action': 'attach', 'port': 'phy:1', 'dir': 'tx',
              'vlan': {'operation': 'add', 'id': '100', 'pcp': 3}}))
    ok(c.put('/v1/vfs/2/components/fwd/ports',
             {'action': 'attach', 'port': 'phy:0', 'dir': 'rx', 'vlan': {}}))
    wait_for(lambda: len(p1.sent()) == 30, msg='30 frames on phy:1')
    assert p1.sent() == [tagged(f, 100, 3) for f in frames]
    assert p0.sent() == [] and p2.sent() == []
    body = vf_status(spp, 2)
    assert list(body)[:5] == ['client-id', 'ports', 'master-lcore', 'components',
                              'classifier_table']
    assert body['client-id'] == 2
    assert body['ports'] == ['phy:0', 'phy:1', 'phy:2']
    assert body['master-lcore'] == 0
    fwd = component(body, 'fwd')
    assert fwd['core'] == 1 and fwd['type'] == 'forward'
    assert fwd['tx_port'] == [{'port': 'phy:1',
                               'vlan': {'operation': 'add', 'id': 100, 'pcp': 3}}]
    assert fwd['rx_port'] == [{'port': 'phy:0',
                               'vlan': {'operation': 'none', 'id': 0, 'pcp': 0}}]
    assert [c['core'] for c in body['components']] == [1, 2, 3]
    assert body['classifier_table'] == []
    # [EXT] keys follow unchanged.
    assert 'port_stats' in body and 'captures' in body
    ok(c.put('/v1/vfs/2/components/fwd/ports', {'action': 'detach', 'port': 'phy:0',
                                                'dir': 'rx'}))
    ok(c.delete('/v1/vfs/2/components/fwd'))
    assert [x.get('name') for x in vf_status(spp, 2)['components']] == [None] * 3


def test_classifier_table_routes_split_traffic_by_mac_and_vlan(spp):
    frames = [frame(M1, n=0), frame(M2, n=1), frame(M1, vlan=10, n=2), frame(mac(9), n=3)]
    p0, p1, p2, p3 = spp.pcap(rx=frames), spp.pcap(), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2, p3], rings=2)
    spp.start_vf(2)
    c = rest(spp)
    ok(c.post('/v1/vfs/2/components', {'name': 'cls', 'core': 2, 'type': 'classifier'}))
    for port in ('phy:1', 'phy:2', 'phy:3'):
        ok(c.put('/v1/vfs/2/components/cls/ports', {'action': 'attach', 'port': port,
                                                    'dir': 'tx'}))
    # Upper case and '-' separators are sent as lower-case xx:xx:...
    ok(c.put('/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac',
                                            'mac_address': M1.upper().replace(':', '-'),
                                            'port': 'phy:1'}))
    ok(c.put('/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac',
                                            'mac_address': M2, 'port': 'phy:2'}))
    ok(c.put('/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'vlan', 'vlan': '10',
                                            'mac_address': M1, 'port': 'phy:3'}))
    ok(c.put('/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac',
                                            'mac_address': 'default', 'port': 'phy:3'}))
    ok(c.put('/v1/vfs/2/components/cls/ports', {'action': 'attach', 'port': 'phy:0',
                                                'dir': 'rx'}))
    wait_for(lambda: len(p3.sent()) == 2, msg='2 frames on phy:3')
    wait_for(lambda: len(p1.sent()) == 1 and len(p2.sent()) == 1)
    assert p1.sent() == [frames[0]]
    assert p2.sent() == [frames[1]]
    assert p3.sent() == [frames[2], frames[3]]
    table = vf_status(spp, 2)['classifier_table']
    assert table == [
        {'type': 'vlan', 'value': '10/' + M1.upper(), 'port': 'phy:3'},
        {'type': 'mac', 'value': 'default', 'port': 'phy:3'},
        {'type': 'mac', 'value': M1.upper(), 'port': 'phy:1'},
        {'type': 'mac', 'value': M2.upper(), 'port': 'phy:2'},
    ]
    ok(c.put('/v1/vfs/2/classifier_table', {'action': 'del', 'type': 'vlan', 'vlan': 10,
                                            'mac_address': M1, 'port': 'phy:3'}))
    assert len(vf_status(spp, 2)['classifier_table']) == 3


def test_mirror_routes_copy_traffic_to_both_ports(spp):
    frames = [frame(BROADCAST, n=i) for i in range(20)]
    p0, p1, p2 = spp.pcap(rx=frames), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2], rings=2)
    spp.start_mirror(3, workers=(4,))
    c = rest(spp)
    ok(c.post('/v1/mirrors/3/components', {'name': 'tap', 'core': 4, 'type': 'mirror',
                                           'copy_mode': 'deep'}))
    for port, d in (('phy:1', 'tx'), ('phy:2', 'tx'), ('phy:0', 'rx')):
        # vlan is ignored for spp_mirror (upstream).
        ok(c.put('/v1/mirrors/3/components/tap/ports',
                 {'action': 'attach', 'port': port, 'dir': d,
                  'vlan': {'operation': 'add', 'id': 5, 'pcp': 1}}))
    wait_for(lambda: len(p1.sent()) == 20 and len(p2.sent()) == 20)
    assert p1.sent() == frames and p2.sent() == frames
    body = vf_status(spp, 3, 'mirrors')
    assert 'classifier_table' not in body
    assert list(body)[:4] == ['client-id', 'ports', 'master-lcore', 'components']
    tap = component(body, 'tap')
    assert tap['copy_mode'] == 'deep'
    assert [p['port'] for p in tap['tx_port']] == ['phy:1', 'phy:2']
    assert all(p['vlan']['operation'] == 'none' for p in tap['tx_port'])
    assert body['copy_mode'] == 'shallow'
    # A mirror is not a vf, nor the other way round.
    error(c.get('/v1/vfs/3'), 404, 'sec_id 3 not found.')
    error(c.post('/v1/mirrors/3/components', {'name': 'x', 'core': 4, 'type': 'forward'}),
          400, 'invalid key(type): forward.')
    error(c.put('/v1/mirrors/3/classifier_table', {}), 404,
          "Not found: '/v1/mirrors/3/classifier_table'")


BAD = [
    # (method, path, body, status, text)
    ('POST', '/v1/vfs/2/components', None, 400, 'Not in json format.'),
    ('POST', '/v1/vfs/2/components', b'{"name": "x",', 400, 'Not in json format.'),
    ('POST', '/v1/vfs/2/components', b'[1, 2]', 400, 'Not in json format.'),
    ('POST', '/v1/vfs/2/components', {'core': 1, 'type': 'forward'}, 400, 'key(name) required.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'type': 'forward'}, 400,
     'key(core) required.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': '3', 'type': 'forward'}, 400,
     'invalid key(core): 3.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': True, 'type': 'forward'}, 400,
     'invalid key(core): true.'),
    ('POST', '/v1/vfs/2/components', {'name': 'a b', 'core': 1, 'type': 'forward'}, 400,
     'invalid key(name): a b.'),
    ('POST', '/v1/vfs/2/components', {'name': 'x', 'core': 1, 'type': 'mirror'}, 400,
     'invalid key(type): mirror.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0'}, 400,
     'key(dir) required.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'add', 'port': 'phy:0', 'dir': 'rx'},
     400, 'invalid key(action): add.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'foo:0',
                                               'dir': 'rx'}, 400, 'invalid key(port): foo:0.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'ring:0nq1',
                                               'dir': 'rx'}, 400,
     'invalid key(port): ring:0nq1.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0',
                                               'dir': 'both'}, 400, 'invalid key(dir): both.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
                                               'vlan': 'add'}, 400, 'invalid key(vlan): add.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
                                               'vlan': {'id': 1}}, 400,
     'invalid key(vlan): {"id":1}.'),
    ('PUT', '/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
                                               'vlan': {'operation': 'add', 'id': 'x1',
                                                        'pcp': 0}}, 400,
     'invalid key(vlan): {"operation":"add","id":"x1","pcp":0}.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac', 'port': 'ring:0'},
     400, 'key(mac_address) required.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac', 'port': 'ring:0',
                                           'mac_address': '5254.0012.3456'}, 400,
     'invalid key(mac_address): 5254.0012.3456.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'vlan', 'port': 'ring:0',
                                           'mac_address': M1}, 400, 'key(vlan) required.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'vlan', 'port': 'ring:0',
                                           'mac_address': M1, 'vlan': 1.5}, 400,
     'invalid key(vlan): 1.5.'),
    ('PUT', '/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'ip', 'port': 'ring:0',
                                           'mac_address': M1}, 400, 'invalid key(type): ip.'),
    ('PUT', '/v1/vfs/2/captures', {'action': 'start', 'port': 'ring:0', 'dir': 'rx'}, 400,
     'key(file) required.'),
    ('PUT', '/v1/vfs/2/captures', {'action': 'start', 'port': 'ring:0', 'dir': 'rx',
                                   'file': 'a b'}, 400, 'invalid key(file): a b.'),
    ('DELETE', '/v1/vfs/2/components/a%20b', None, 400, 'invalid key(name): a b.'),
    ('GET', '/v1/vfs/9', None, 404, 'sec_id 9 not found.'),
    ('POST', '/v1/vfs/9/components', b'not json', 404, 'sec_id 9 not found.'),
    ('GET', '/v1/vfs/two', None, 404, "Not found: '/v1/vfs/two'"),
    ('GET', '/v1/nfvs/1', None, 404, 'sec_id 1 not found.'),
    ('PUT', '/v1/pcaps/1/capture', {}, 404, 'sec_id 1 not found.'),
    ('GET', '/v1/nosuch', None, 404, "Not found: '/v1/nosuch'"),
]


def test_bad_requests_get_their_exact_error_and_change_nothing(spp):
    spp.start_primary([spp.null()], rings=4)
    spp.start_vf(2)
    c = rest(spp)
    ok(c.post('/v1/vfs/2/components', {'name': 'fwd', 'core': 1, 'type': 'forward'}))
    before = vf_status(spp, 2)
    for method, path, body, status, text in BAD:
        raw = body if isinstance(body, bytes) else None
        r = c.request(method, path, body=None if raw is not None else body, raw=raw)
        assert (r.status, r.text) == (status, text), (method, path, body, r)
        assert r.content_type.startswith('text/plain'), r
    after = vf_status(spp, 2)
    for b in (before, after):
        for comp in b['components']:
            comp.pop('stats', None)
        b.pop('port_stats', None)
    assert after == before


def test_process_errors_become_400_with_their_message(spp):
    spp.start_primary([spp.null()], rings=4)
    spp.start_vf(2)
    c = rest(spp)
    error(c.put('/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac',
                                               'mac_address': '52:54:00:12:34:58',
                                               'port': 'ring:9'}),
          400, 'command error: Invalid value (port)')
    error(c.post('/v1/vfs/2/components', {'name': 'x', 'core': 9, 'type': 'forward'}),
          400, 'command error: Invalid value (core)')
    ok(c.post('/v1/vfs/2/components', {'name': 'x', 'core': 1, 'type': 'forward'}))
    error(c.post('/v1/vfs/2/components', {'name': 'x', 'core': 2, 'type': 'merge'}),
          400, 'command error: Invalid value (component name)')
    r = error(c.put('/v1/vfs/2/components/x/ports',
                    {'action': 'attach', 'port': 'phy:0', 'dir': 'rx',
                     'vlan': {'operation': 'add', 'id': 4095, 'pcp': 0}}),
              400, 'command error: Invalid value (port vid)')
    # [EXT] detail, when the process gives one, is a header.
    assert r.header('X-Spp-Error-Detail') is None or r.header('X-Spp-Error-Detail')


def test_method_not_allowed_names_the_allowed_methods(spp):
    spp.start_primary([spp.null()])
    spp.start_vf(2, workers=(1,))
    c = rest(spp)
    r = error(c.put('/v1/vfs/2', {}), 405, 'Method not allowed.')
    assert r.header('Allow') == 'GET, DELETE'
    r = error(c.get('/v1/primary/patches'), 405, 'Method not allowed.')
    assert r.header('Allow') == 'PUT, DELETE'
    r = error(c.post('/v1/processes', {}), 405, 'Method not allowed.')
    assert r.header('Allow') == 'GET'


@pytest.mark.expect_log(r'launch refused: ')
def test_primary_routes(spp):
    p0 = spp.pcap(rx=[frame(mac(1), n=i) for i in range(5)])
    spp.start_primary([p0, spp.pcap()], rings=2)
    c = rest(spp)
    r = c.get('/v1/primary/status')
    assert r.status == 200 and r.content_type == 'application/json'
    st = r.json()
    assert list(st) == ['master-lcore', 'lcores', 'phy_ports', 'ring_ports', 'pipes']
    assert st == spp.ctl.send('primary', 'status')
    ok(c.delete('/v1/primary/status'))
    error(c.put('/v1/primary/forward', {'action': 'start'}), 400,
          'command error: spp_primary has no forwarder')
    error(c.put('/v1/primary/forward', {'action': 'go'}), 400, 'invalid key(action): go.')
    error(c.put('/v1/primary/ports', {'action': 'add', 'port': 'ring:0'}), 400,
          'command error: spp_primary has no forwarder')
    error(c.put('/v1/primary/ports', {'action': 'add', 'port': 'pipe:0'}), 400,
          'key(rx) required.')
    error(c.put('/v1/primary/patches', {'src': 'ring:0', 'dst': 'ring:1'}), 400,
          'command error: spp_primary has no forwarder')
    error(c.delete('/v1/primary/patches'), 400, 'command error: spp_primary has no forwarder')
    r = c.post('/v1/primary/flow_rules/port_id/0/validate', {'rule': {}})
    assert r.status == 200 and r.json() == {'result': 'error',
                                             'message': 'flow rules are not supported'}, r
    r = c.delete('/v1/primary/flow_rules/3/port_id/0')
    assert r.status == 200, r
    # launch: the body is checked here; the command goes to the primary.
    error(c.put('/v1/primary/launch', {'client_id': 4, 'proc_name': 'spp_vf',
                                       'eal': {'-m': 64}, 'app': {}}),
          400, 'invalid key(eal): {"-m":64}.')
    error(c.put('/v1/primary/launch', {'client_id': 4, 'proc_name': 'spp_vf',
                                       'eal': {'-l': '1 -d /tmp/evil.so',
                                               '--proc-type': 'secondary'}, 'app': {}}),
          400, 'invalid key(eal): {"-l":"1 -d /tmp/evil.so","--proc-type":"secondary"}.')
    # The primary refuses another file prefix: the command is still exact.
    r = c.put('/v1/primary/launch', {'client_id': 4, 'proc_name': 'spp_vf',
                                     'eal': {'--proc-type': 'secondary', '-l': '0,5',
                                             '--evil': 'x', '--file-prefix': 'other'},
                                     'app': {'-s': '127.0.0.1:%d' % spp.ctl.secondary_port,
                                             '--client-id': 4, '--evil': 1}})
    assert r.status == 400 and r.text.startswith('command error: '), r
    log = spp.ctl.proc.log.read_text()
    assert ('<- launch 4 spp_vf -l 0,5 --proc-type secondary --file-prefix other -- '
            '--client-id 4 -s 127.0.0.1:%d\n' % spp.ctl.secondary_port) in log, log[-2000:]
    ok(c.delete('/v1/primary'))
    assert spp.primary.wait(15) == 0
    wait_for(lambda: rest(spp).get('/v1/processes').json() == [], msg='primary gone')
    error(c.get('/v1/primary/status'), 404, 'primary not found.')


def test_cpu_usage_and_layout(spp):
    spp.start_primary([spp.null()])
    spp.start_vf(2, workers=(1, 2))
    spp.start_mirror(3, workers=(4,))
    c = rest(spp)
    ok(c.post('/v1/vfs/2/components', {'name': 'a', 'core': 2, 'type': 'forward'}))
    ok(c.post('/v1/vfs/2/components', {'name': 'b', 'core': 2, 'type': 'forward'}))
    r = c.get('/v1/cpu_usage')
    assert r.status == 200, r
    assert r.json() == [
        {'proc-type': 'primary', 'master-lcore': 0, 'lcores': [0]},
        {'proc-type': 'vf', 'client-id': 2, 'master-lcore': 0, 'lcores': [0, 1, 2, 2]},
        {'proc-type': 'mirror', 'client-id': 3, 'master-lcore': 0, 'lcores': [0, 4]},
    ]
    r = c.get('/v1/cpu_layout')
    assert r.status == 200, r
    layout = r.json()
    lcores = sorted(lc for s in layout for core in s['cores'] for lc in core['lcores'])
    assert lcores == sorted(os.sched_getaffinity(0)) or len(lcores) >= os.cpu_count()
    assert [s['socket_id'] for s in layout] == sorted(s['socket_id'] for s in layout)


def test_metrics_count_component_and_port_packets(spp):
    frames = [frame(mac(1), n=i, size=100) for i in range(25)]
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    spp.start_vf(2, workers=(1,))
    c = rest(spp)
    ok(c.post('/v1/vfs/2/components', {'name': 'fwd', 'core': 1, 'type': 'forward'}))
    ok(c.put('/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:1',
                                                'dir': 'tx'}))
    ok(c.put('/v1/vfs/2/components/fwd/ports', {'action': 'attach', 'port': 'phy:0',
                                                'dir': 'rx'}))
    wait_for(lambda: len(p1.sent()) == 25)

    def metrics():
        r = c.get('/metrics')
        assert r.status == 200 and r.content_type.startswith('text/plain'), r
        out = {}
        for line in r.text.splitlines():
            if line and not line.startswith('#'):
                name, value = line.rsplit(' ', 1)
                out[name] = int(value)
        return r.text, out
    text, m = wait_for(lambda: (lambda t: t if t[1].get(
        'spp_component_packets_total{process="vf:2",client_id="2",component="fwd",'
        'type="forward",direction="tx"}')
        == 25 else None)(metrics()))
    key = ('spp_component_%s_total{process="vf:2",client_id="2",component="fwd",'
           'type="forward",direction="%s"}')
    assert m[key % ('packets', 'rx')] == 25
    assert m[key % ('bytes', 'rx')] == 2500
    assert m[key % ('packets', 'dup')] == 0
    assert m['spp_component_drops_total{process="vf:2",client_id="2",component="fwd",'
             'type="forward",reason="no_dest"}'] == 0
    assert m['spp_port_packets_total{process="vf:2",client_id="2",port="phy:0",'
             'direction="rx"}'] == 25
    assert m['spp_port_bytes_total{process="vf:2",client_id="2",port="phy:1",'
             'direction="tx"}'] == 2500
    assert m['spp_primary_port_packets_total{process="primary",port="phy:1",'
             'direction="tx"}'] == 25
    for fam in ('spp_component_packets_total', 'spp_component_bytes_total',
                'spp_component_drops_total', 'spp_port_packets_total',
                'spp_port_bytes_total', 'spp_primary_port_packets_total'):
        assert '# TYPE %s counter' % fam in text
    # Every sample line is well-formed Prometheus text.
    for line in text.splitlines():
        assert line.startswith('#') or re.fullmatch(r'[a-z_]+\{[^}]*\} \d+', line), line


def test_vf_delete_exits_the_process_and_removes_it(spp):
    spp.start_primary([spp.null()])
    vf = spp.start_vf(2, workers=(1,))
    c = rest(spp)
    ok(c.delete('/v1/vfs/2'))
    assert vf.proc.wait(15) == 0
    assert c.get('/v1/processes').json() == [{'type': 'primary'}]
    error(c.get('/v1/vfs/2'), 404, 'sec_id 2 not found.')


def test_capture_routes_reach_the_process(spp, tmp_path):
    """[EXT] captures: the command reaches the vf and mirror, which capture
    (SPEC §9.4): ring:0 is attached in the vf, not in the mirror."""
    spp.start_primary([spp.null()], rings=2)
    capdir = tmp_path / 'captures'
    spp.start_vf(2, workers=(1,), extra=['--capture-dir', str(capdir)])
    spp.start_mirror(3, workers=(4,), extra=['--capture-dir', str(capdir)])
    c = rest(spp)
    ok(c.post('/v1/vfs/2/components', {'name': 'f', 'core': 1, 'type': 'forward'}))
    ok(c.put('/v1/vfs/2/components/f/ports', {'action': 'attach', 'port': 'ring:0',
                                              'dir': 'rx'}))
    start = {'action': 'start', 'port': 'ring:0', 'dir': 'rx', 'file': 'c.pcapng', 'max': 10}
    stop = {'action': 'stop', 'port': 'ring:0', 'dir': 'rx'}
    ok(c.put('/v1/vfs/2/captures', start))
    assert vf_status(spp, 2)['captures'] == [{'port': 'ring:0', 'dir': 'rx',
                                              'file': 'c.pcapng', 'packets': 0, 'drops': 0}]
    ok(c.put('/v1/vfs/2/captures', stop))
    assert vf_status(spp, 2)['captures'] == []
    assert (capdir / 'c.pcapng').exists()
    for body in (start, stop):
        error(c.put('/v1/mirrors/3/captures', body), 400, 'command error: Invalid value (port)')
    log = spp.ctl.proc.log.read_text()
    assert 'vf 2 (' in log and '<- capture start ring:0 rx c.pcapng 10\n' in log
    assert '<- capture stop ring:0 rx\n' in log


def test_mirror_component_stop_and_delete(spp):
    spp.start_primary([spp.null()], rings=2)
    m = spp.start_mirror(3, workers=(4,))
    c = rest(spp)
    ok(c.post('/v1/mirrors/3/components', {'name': 't', 'core': 4, 'type': 'mirror'}))
    ok(c.put('/v1/mirrors/3/components/t/ports', {'action': 'attach', 'port': 'ring:0',
                                                  'dir': 'rx'}))
    ok(c.put('/v1/mirrors/3/components/t/ports', {'action': 'detach', 'port': 'ring:0',
                                                  'dir': 'rx'}))
    ok(c.delete('/v1/mirrors/3/components/t'))
    assert [x.get('name') for x in vf_status(spp, 3, 'mirrors')['components']] == [None]
    ok(c.delete('/v1/mirrors/3'))
    assert m.proc.wait(15) == 0
    assert c.get('/v1/processes').json() == [{'type': 'primary'}]


def test_openapi_json_is_served_and_names_every_route(spp):
    spp.start_primary([spp.null()])
    c = rest(spp)
    r = c.get('/v1/openapi.json')
    assert r.status == 200 and r.content_type == 'application/json', r
    doc = r.json()
    assert doc['openapi'].startswith('3.')
    on_disk = json.loads((Path(__file__).resolve().parents[2] / 'docs' /
                          'openapi.json').read_text())
    assert doc == on_disk
    for path in ('/v1/processes', '/v1/vfs/{id}/components/{name}/ports',
                 '/v1/mirrors/{id}/captures', '/v1/primary/launch', '/metrics'):
        assert path in doc['paths'], path
    r = c.request('HEAD', '/v1/processes')
    assert r.status == 200 and r.body == b''


def test_launch_starts_a_vf_that_registers_and_exits_on_delete(spp, tmp_path):
    spp.start_primary([spp.null(), spp.null()], rings=2,
                      extra=['--sec-log-dir', str(tmp_path / 'seclogs')])
    c = rest(spp)
    ok(c.put('/v1/primary/launch', {
        'client_id': 2, 'proc_name': 'spp_vf',
        'eal': {'--lcores': '0@0,1@0', '--proc-type': 'secondary', '--no-pci': None},
        'app': {'-s': '127.0.0.1:%d' % spp.ctl.secondary_port, '--client-id': 2}}))
    wait_for(lambda: c.get('/v1/processes').json() == [{'type': 'primary'},
                                                       {'type': 'vf', 'client-id': 2}],
             msg='launched vf 2 to register')
    try:
        body = vf_status(spp, 2)
        assert body['client-id'] == 2
        assert [x['core'] for x in body['components']] == [1]
        ok(c.post('/v1/vfs/2/components', {'name': 'f', 'core': 1, 'type': 'forward'}))
    finally:
        ok(c.delete('/v1/vfs/2'))
    wait_for(lambda: c.get('/v1/processes').json() == [{'type': 'primary'}],
             msg='launched vf 2 to leave')
    error(c.put('/v1/primary/launch', {
        'client_id': 3, 'proc_name': 'spp_vf',
        'eal': {'--lcores': '0@0,1@0 --vdev=net_tap9', '--proc-type': 'secondary'},
        'app': {}}), 400,
        'invalid key(eal): {"--lcores":"0@0,1@0 --vdev=net_tap9","--proc-type":"secondary"}.')
