"""Counters in shared memory and spp_primary's /spp/... DPDK telemetry
commands (issue 7, docs/observability.md "Counters" and "Telemetry").

Telemetry is read by a separate process: /usr/bin/dpdk-telemetry.py fed
with commands on stdin (it prints one JSON reply per line), or, where a test
reads many times, the telemetry socket itself (SOCK_SEQPACKET, JSON).
"""

import json
import os
import subprocess

import pytest

from conftest import wait_for
from faults import Telemetry
from pkts import frame, mac

TELEMETRY_PY = '/usr/bin/dpdk-telemetry.py'


def telemetry_py(prefix, *commands):
    """Replies of dpdk-telemetry.py -f prefix to commands, in order."""
    if not os.path.exists(TELEMETRY_PY):
        pytest.skip('%s not installed (package dpdk)' % TELEMETRY_PY)
    r = subprocess.run(['/usr/bin/python3', TELEMETRY_PY, '-f', prefix],
                       input='\n'.join(commands) + '\n', stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    replies = [json.loads(line) for line in r.stdout.splitlines() if line.startswith('{')]
    assert len(replies) == len(commands), r.stdout
    return [rep[cmd.split(',')[0]] for rep, cmd in zip(replies, commands)]




def test_telemetry_lists_the_spp_commands(spp):
    spp.start_primary([spp.null()], rings=1)
    cmds = telemetry_py(spp.prefix, '/')[0]
    for c in ('/spp/processes', '/spp/components', '/spp/ports', '/spp/drops',
              '/spp/mempool'):
        assert c in cmds


def test_telemetry_counters_of_a_vf_equal_status_and_pcaps(spp):
    frames = [frame(mac(1), n=i, size=60 + i) for i in range(40)]
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = spp.start_vf(2)
    vf.ok('component start fwd 1 forward', 'port add phy:1 tx fwd', 'port add phy:0 rx fwd')
    st = vf.wait_rx('fwd', 40)
    wait_for(lambda: len(p1.sent()) == 40)
    nbytes = sum(len(f) for f in frames)
    assert sum(len(f) for f in p1.sent()) == nbytes
    st = vf.wait_stats('fwd', rx_packets=40, tx_packets=40)
    procs, comps, ports, drops = telemetry_py(
        spp.prefix, '/spp/processes', '/spp/components,2', '/spp/ports,2', '/spp/drops')
    assert procs['vf_2']['process'] == 'vf:2'
    assert procs['vf_2']['type'] == 'vf'
    assert procs['vf_2']['pid'] == vf.proc.popen.pid
    assert procs['vf_2']['components'] == 1
    assert procs['primary']['pid'] == spp.primary.popen.pid
    c = comps['fwd']
    assert (c['component'], c['type'], c['lcore'], c['process']) == ('fwd', 'forward', 1,
                                                                     'vf:2')
    for k in ('rx_packets', 'rx_bytes', 'tx_packets', 'tx_bytes', 'drop_packets',
              'drop_bytes', 'dup_packets'):
        assert c[k] == st[k], k
    assert c['rx_bytes'] == nbytes
    for reason, v in st['drops'].items():
        assert c['drop_' + reason] == v
    # Port counters: the same as status, and rx = tx + drops per port pair.
    for uid, key in (('phy:0', 'vf_2/phy_0'), ('phy:1', 'vf_2/phy_1')):
        ps = vf.port_stats(uid)
        assert ports[key]['port'] == uid
        for k in ('rx_packets', 'rx_bytes', 'tx_packets', 'tx_bytes', 'drop_packets',
                  'drop_bytes'):
            assert ports[key][k] == ps[k], (uid, k)
    assert ports['vf_2/phy_0']['rx_packets'] == (ports['vf_2/phy_1']['tx_packets'] +
                                                 ports['vf_2/phy_1']['drop_packets'] +
                                                 c['drop_packets'])
    assert drops['vf_2/fwd']['drop_packets'] == 0
    assert drops['total']['drop_packets'] == 0
    # The ethdev of phy:1 sent what the vf counted (the primary's view).
    pri = telemetry_py(spp.prefix, '/spp/ports,0')[0]
    assert pri['primary/phy_1']['tx_packets'] == 40
    assert pri['primary/phy_0']['rx_packets'] == 40


def test_telemetry_counts_mirror_copies_and_tx_full_drops(spp):
    frames = [frame(mac(1), n=i, size=64) for i in range(30)]
    p0, p1, p2 = spp.pcap(rx=frames), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2], rings=2)
    m = spp.start_mirror(3)
    m.ok('component start mir 4 mirror', 'port add phy:1 tx mir', 'port add phy:2 tx mir',
         'port add phy:0 rx mir')
    st = m.wait_rx('mir', 30)
    wait_for(lambda: len(p1.sent()) == 30 and len(p2.sent()) == 30)
    assert p1.sent() == frames and p2.sent() == frames
    st = m.wait_stats('mir', rx_packets=30, tx_packets=60, dup_packets=30)
    comps, procs, pools = telemetry_py(spp.prefix, '/spp/components,3', '/spp/processes',
                                       '/spp/mempool')
    c = comps['mir']
    assert (c['process'], c['type'], c['lcore']) == ('mirror:3', 'mirror', 4)
    assert (c['rx_packets'], c['tx_packets'], c['dup_packets'], c['drop_packets']) == \
        (30, 60, 30, 0)
    assert c['tx_bytes'] == st['tx_bytes'] == 60 * 64
    assert procs['mirror_3']['type'] == 'mirror'
    pool = pools['MProc_pktmbuf_pool']
    assert pool['in_use'] + pool['available'] == pool['size']
    assert 'spp_mirror_pool_3' in pools
    mp = pools['spp_mirror_pool_3']
    assert mp['in_use'] + mp['available'] == mp['size']


def test_telemetry_drops_by_reason_add_up_after_a_drain(spp):
    """classifier without a default: no_dest drops; rx = tx + drops."""
    known = [frame(mac(1), n=i) for i in range(10)]
    unknown = [frame(mac(9), n=i) for i in range(7)]
    p0, p1 = spp.pcap(rx=known + unknown), spp.pcap()
    spp.start_primary([p0, p1], rings=1)
    vf = spp.start_vf(2)
    vf.ok('component start cls 1 classifier', 'port add phy:1 tx cls',
          'classifier_table add mac %s phy:1' % mac(1), 'port add phy:0 rx cls')
    vf.wait_stats('cls', rx_packets=17, tx_packets=10, drops={'no_dest': 7})
    wait_for(lambda: len(p1.sent()) == 10)
    drops, comps = telemetry_py(spp.prefix, '/spp/drops,2', '/spp/components')
    d = drops['vf_2/cls']
    assert d['no_dest'] == 7 and d['drop_packets'] == 7
    assert sum(d[r] for r in ('no_dest', 'tx_full', 'link_down', 'nombuf', 'vlan_error',
                              'malformed')) == 7
    assert drops['total']['no_dest'] == 7
    c = comps['vf_2/cls']
    assert c['rx_packets'] == c['tx_packets'] + c['drop_packets'] - c['dup_packets']


def test_restarted_secondary_counts_from_zero_in_the_same_region(spp):
    """20 restarts of one client id: counters restart at zero, the
    generation goes up by one each time, and no memzone is added."""
    frames = [frame(mac(1), n=i) for i in range(5)]
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    tel = Telemetry(spp.prefix)
    try:
        vf = spp.start_vf(2)
        vf.ok('component start fwd 1 forward', 'port add phy:1 tx fwd', 'port add phy:0 rx fwd')
        vf.wait_rx('fwd', 5)
        assert tel('/spp/components,2')['fwd']['rx_packets'] == 5
        gen0 = tel('/spp/processes')['vf_2']['generation']
        vf.exit()
        wait_for(lambda: 'vf_2' not in tel('/spp/processes'), msg='vf:2 gone')
        zones = None
        for i in range(20):
            vf = spp.start_vf(2)
            procs = tel('/spp/processes')
            assert procs['vf_2']['generation'] == gen0 + 1 + i
            assert procs['vf_2']['pid'] == vf.proc.popen.pid
            assert procs['vf_2']['components'] == 0 and procs['vf_2']['ports'] == 0
            # Churn of components within one life reuses slots.
            for _ in range(3):
                vf.ok('component start c 2 forward', 'port add ring:0 rx c',
                      'port add ring:1 tx c', 'port del ring:0 rx c',
                      'port del ring:1 tx c', 'component stop c')
            vf.ok('component start fwd 1 forward')
            c = tel('/spp/components,2')
            assert list(c) == ['fwd'] and c['fwd']['rx_packets'] == 0
            assert tel('/spp/processes')['vf_2']['components'] == 1
            vf.exit()
            n = memzone_count(tel)
            if zones is None:
                zones = n
            assert n == zones, 'memzones grew at restart %d: %d -> %d' % (i, zones, n)
    finally:
        tel.close()


def memzone_count(tel):
    zones = tel('/eal/memzone_list')
    assert isinstance(zones, list)
    return len(zones)


def test_drop_warnings_are_one_line_per_reason_per_second_with_the_count(spp):
    """Workers never log: an endless stream of drops gives the log at most
    one line per drop reason per second, whose counts add up to at most
    the component's drops."""
    import re
    import time
    spp.start_primary([spp.null(rx=True)], rings=1)
    vf = spp.start_vf(2)
    # Nobody reads ring:0: once it is full every packet is a tx_full drop.
    vf.ok('component start fwd 1 forward', 'port add ring:0 tx fwd', 'port add phy:0 rx fwd')
    t0 = time.monotonic()
    wait_for(lambda: vf.stats('fwd')['drop_packets'] > 10000,
             msg='drops counted (%r)' % (vf.stats('fwd'),))
    time.sleep(3.5)
    vf.ok('port del phy:0 rx fwd')
    elapsed = time.monotonic() - t0
    drops = vf.stats('fwd')['drop_packets']
    time.sleep(1.5)     # the last line, for what was dropped before the detach
    text = vf.proc.log.read_text(errors='replace')
    lines = re.findall(r'(\d+) packets dropped \((\w+)\) in the last second or more, '
                       r'(\d+) by component fwd', text)
    assert lines, text[-2000:]
    by_reason = {}
    for count, reason, top in lines:
        assert int(top) == int(count)
        by_reason.setdefault(reason, []).append(int(count))
    for reason, counts in by_reason.items():
        assert len(counts) <= elapsed + 3, (reason, len(counts), elapsed)
    assert sum(sum(c) for c in by_reason.values()) == drops
    assert len(lines) < drops / 100
