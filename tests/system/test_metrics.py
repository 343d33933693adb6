"""spp-ctl's GET /metrics (issue 7, docs/observability.md "Prometheus
/metrics") and the log level change through REST ("Logging"): real
spp-ctl, spp_primary, spp_vf and spp_mirror."""

import json
import subprocess

import pytest

from conftest import wait_for
from ctlproc import ctl_spp, ok, rest  # noqa: F401 (ctl_spp: the spp fixture)
from pkts import frame, mac

parser = pytest.importorskip('prometheus_client.parser')

REASONS = ('no_dest', 'tx_full', 'link_down', 'nombuf', 'vlan_error', 'malformed')


def metrics(spp):
    """{(family, frozenset(labels)): value}; prometheus_client's parser
    raises on anything that is not valid text format."""
    r = rest(spp).get('/metrics')
    assert r.status == 200, r
    assert r.content_type == 'text/plain; version=0.0.4; charset=utf-8'
    out, types = {}, {}
    for fam in parser.text_string_to_metric_families(r.text):
        types[fam.name] = fam.type
        for s in fam.samples:
            key = (s.name, frozenset(s.labels.items()))
            assert key not in out, 'duplicate sample %r' % (key,)
            out[key] = s.value
    return out, types, r.text


def sample(m, name, **labels):
    return m[(name, frozenset(labels.items()))]


def start(spp, kind, cid, name, ctype, core, rx=(), tx=()):
    c = rest(spp)
    ok(c.post('/v1/%s/%d/components' % (kind, cid), {'name': name, 'core': core,
                                                       'type': ctype}))
    for p in tx:
        ok(c.put('/v1/%s/%d/components/%s/ports' % (kind, cid, name),
                 {'action': 'attach', 'port': p, 'dir': 'tx'}))
    for p in rx:
        ok(c.put('/v1/%s/%d/components/%s/ports' % (kind, cid, name),
                 {'action': 'attach', 'port': p, 'dir': 'rx'}))


def test_metrics_parse_strictly_and_equal_status_of_every_process(spp):
    known = [frame(mac(1), n=i, size=100) for i in range(20)]
    unknown = [frame(mac(9), n=i, size=80) for i in range(5)]
    mirrored = [frame(mac(2), n=i, size=64) for i in range(12)]
    p0, p1 = spp.pcap(rx=known + unknown), spp.pcap()
    p2, p3, p4 = spp.pcap(rx=mirrored), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2, p3, p4], rings=2)
    vf = spp.start_vf(2, workers=(1,))
    mir = spp.start_mirror(3, workers=(4,))
    start(spp, 'vfs', 2, 'cls', 'classifier', 1, tx=('phy:1',))
    ok(rest(spp).put('/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac',
                                                     'mac_address': mac(1), 'port': 'phy:1'}))
    ok(rest(spp).put('/v1/vfs/2/components/cls/ports',
                     {'action': 'attach', 'port': 'phy:0', 'dir': 'rx'}))
    start(spp, 'mirrors', 3, 'mir', 'mirror', 4, rx=('phy:2',), tx=('phy:3', 'phy:4'))
    # Drained: all frames out where they belong.
    wait_for(lambda: len(p1.sent()) == 20 and len(p3.sent()) == 12 and
             len(p4.sent()) == 12, msg='frames delivered')
    assert p1.sent() == known and p3.sent() == mirrored and p4.sent() == mirrored
    vst = vf.wait_stats('cls', rx_packets=25, tx_packets=20, drops={'no_dest': 5})
    mst = mir.wait_stats('mir', rx_packets=12, tx_packets=24, dup_packets=12)

    m, types, text = metrics(spp)
    for fam in ('spp_component_packets', 'spp_component_bytes', 'spp_component_drops',
                'spp_port_packets', 'spp_port_bytes', 'spp_primary_port_packets',
                'spp_primary_port_bytes'):
        assert types[fam] == 'counter', fam
        assert '# HELP %s_total ' % fam in text
    # Components: every counter equals status; rx + dup = tx + drops.
    for proc, cid, name, ctype, st in (('vf:2', '2', 'cls', 'classifier', vst),
                                       ('mirror:3', '3', 'mir', 'mirror', mst)):
        lab = dict(process=proc, client_id=cid, component=name, type=ctype)
        for d in ('rx', 'tx', 'drop', 'dup'):
            assert sample(m, 'spp_component_packets_total', direction=d, **lab) == \
                st[d + '_packets'], (proc, d)
        for d in ('rx', 'tx', 'drop'):
            assert sample(m, 'spp_component_bytes_total', direction=d, **lab) == \
                st[d + '_bytes'], (proc, d)
        drops = {r: sample(m, 'spp_component_drops_total', reason=r, **lab) for r in REASONS}
        assert drops == st['drops']
        g = lambda d: sample(m, 'spp_component_packets_total', direction=d, **lab)  # noqa
        assert g('rx') + g('dup') == g('tx') + sum(drops.values())
    assert sample(m, 'spp_component_drops_total', process='vf:2', client_id='2',
                  component='cls', type='classifier', reason='no_dest') == 5
    # Ports: equal status, and the per-process port view agrees with the pcaps.
    for v, proc, cid in ((vf, 'vf:2', '2'), (mir, 'mirror:3', '3')):
        port_stats = v.status()['port_stats']
        assert port_stats
        for ps in port_stats:
            for d in ('rx', 'tx', 'drop'):
                lab = dict(process=proc, client_id=cid, port=ps['port'], direction=d)
                assert sample(m, 'spp_port_packets_total', **lab) == ps[d + '_packets']
                assert sample(m, 'spp_port_bytes_total', **lab) == ps[d + '_bytes']
    pl = dict(process='vf:2', client_id='2')
    assert sample(m, 'spp_port_packets_total', port='phy:0', direction='rx', **pl) == 25
    assert sample(m, 'spp_port_bytes_total', port='phy:1', direction='tx', **pl) == \
        sum(len(f) for f in p1.sent())
    # rx = tx + drops after the drain: phy:0 in = phy:1 out + component drops.
    assert (sample(m, 'spp_port_packets_total', port='phy:0', direction='rx', **pl) ==
            sample(m, 'spp_port_packets_total', port='phy:1', direction='tx', **pl) +
            sample(m, 'spp_port_packets_total', port='phy:1', direction='drop', **pl) +
            vst['drop_packets'])
    # The primary's families equal its status (ethdev counters).
    pst = rest(spp).get('/v1/primary/status').json()
    for p in pst['phy_ports']:
        lab = dict(process='primary', port=p['port'])
        assert sample(m, 'spp_primary_port_packets_total', direction='rx', **lab) == p['rx']
        assert sample(m, 'spp_primary_port_packets_total', direction='tx', **lab) == p['tx']
        assert sample(m, 'spp_primary_port_packets_total', direction='drop', **lab) == \
            p['tx_drop']
        assert sample(m, 'spp_primary_port_bytes_total', direction='tx', **lab) == \
            p['tx_bytes']
    assert sample(m, 'spp_primary_port_packets_total', process='primary', port='phy:1',
                  direction='tx') == 20
    assert sample(m, 'spp_primary_port_packets_total', process='primary', port='phy:3',
                  direction='tx') == 12


def test_metrics_equal_telemetry_of_the_primary(spp):
    frames = [frame(mac(1), n=i, size=70) for i in range(15)]
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = spp.start_vf(2, workers=(1,))
    start(spp, 'vfs', 2, 'fwd', 'forward', 1, rx=('phy:0',), tx=('phy:1',))
    vf.wait_stats('fwd', rx_packets=15, tx_packets=15)
    m, _, _ = metrics(spp)
    r = subprocess.run(['/usr/bin/python3', '/usr/bin/dpdk-telemetry.py', '-f', spp.prefix],
                       input='/spp/components,2\n/spp/ports,2\n', stdout=subprocess.PIPE,
                       text=True, timeout=60)
    replies = [json.loads(x) for x in r.stdout.splitlines() if x.startswith('{')]
    comp = replies[0]['/spp/components']['fwd']
    ports = replies[1]['/spp/ports']
    lab = dict(process='vf:2', client_id='2', component='fwd', type='forward')
    for d in ('rx', 'tx', 'drop', 'dup'):
        assert sample(m, 'spp_component_packets_total', direction=d, **lab) == \
            comp[d + '_packets']
    for uid, key in (('phy:0', 'vf_2/phy_0'), ('phy:1', 'vf_2/phy_1')):
        for d in ('rx', 'tx', 'drop'):
            assert sample(m, 'spp_port_packets_total', process='vf:2', client_id='2',
                          port=uid, direction=d) == ports[key][d + '_packets']


def log_has(path, text):
    return text in path.read_text(errors='replace')


def test_log_level_through_rest_turns_on_debug_lines_of_a_vf(spp):
    spp.start_primary([spp.null()], rings=1)
    vf = spp.start_vf(2, workers=(1,))
    vf.status()
    # The debug line of a command is not there before the change ...
    assert not log_has(vf.proc.log, "command 'status'")
    ok(rest(spp).put('/v1/vfs/2/log_level', {'type': 'spp.vf', 'level': 'debug'}))
    vf.status()
    # ... and is after it.
    wait_for(lambda: log_has(vf.proc.log, "command 'status'"), msg='debug line in the log')
    ok(rest(spp).put('/v1/vfs/2/log_level', {'type': 'spp.*', 'level': 'info'}))
    n = vf.proc.log.read_text().count("command 'status'")
    vf.status()
    vf.status()
    assert vf.proc.log.read_text().count("command 'status'") == n


def test_log_level_through_rest_turns_on_debug_lines_of_the_primary(spp):
    spp.start_primary([spp.null()], rings=1)
    ok(rest(spp).get('/v1/primary/status'), 200)
    assert not log_has(spp.primary.log, 'status of 1 phy ports')
    ok(rest(spp).put('/v1/primary/log_level', {'type': 'spp.primary', 'level': 'debug'}))
    ok(rest(spp).get('/v1/primary/status'), 200)
    wait_for(lambda: log_has(spp.primary.log, 'status of 1 phy ports'), msg='debug line')


def test_log_level_refuses_a_bad_level_with_the_process_message(spp):
    spp.start_primary([spp.null()], rings=1)
    spp.start_mirror(3, workers=(4,))
    r = rest(spp).put('/v1/mirrors/3/log_level', {'type': 'spp.*', 'level': 'loud'})
    assert (r.status, r.text) == (400, 'command error: Invalid value (log level)'), r
    r = rest(spp).put('/v1/mirrors/3/log_level', {'type': 'spp;x', 'level': 'debug'})
    assert (r.status, r.text) == (400, 'command error: Invalid value (log type)'), r
    r = rest(spp).put('/v1/primary/log_level', {'type': 'spp.*', 'level': '9'})
    assert (r.status, r.text) == (400, 'command error: Invalid value (log level)'), r
    r = rest(spp).put('/v1/vfs/7/log_level', {'type': 'spp.*', 'level': 'debug'})
    assert (r.status, r.text) == (404, 'sec_id 7 not found.'), r
