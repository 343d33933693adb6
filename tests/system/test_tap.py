"""Kernel traffic through spp: two network namespaces joined by net_tap
ports of the primary and two spp_vf classifiers (ping, ARP flooding, TCP)."""

import json
import os
import shutil
import subprocess

import pytest

from conftest import wait_for

MAC0 = '02:00:00:00:5a:01'
MAC1 = '02:00:00:00:5a:02'
IP0 = '10.99.0.1'
IP1 = '10.99.0.2'


def sh(*argv, check=True, timeout=60):
    r = subprocess.run([str(a) for a in argv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError('%s -> %d:\n%s' % (' '.join(map(str, argv)), r.returncode,
                                                r.stdout.decode(errors='replace')))
    return r


@pytest.fixture
def netns():
    if shutil.which('ip') is None:
        pytest.skip('iproute2 missing')
    tag = '%d' % (os.getpid() % 100000)
    names = ['sppA' + tag, 'sppB' + tag]
    for n in names:
        sh('ip', 'netns', 'add', n)
    try:
        yield names
    finally:
        for n in names:
            # Deleting the namespace returns the taps to the primary's one
            # only while it runs; the fixture order stops spp first.
            sh('ip', 'netns', 'del', n, check=False)


def test_tap_namespaces_ping_and_iperf_through_classifiers(netns, spp):
    ns0, ns1 = netns
    tag = '%d' % (os.getpid() % 10000)
    if0, if1 = 'sppt%sa' % tag, 'sppt%sb' % tag
    t0, t1 = spp.tap(if0), spp.tap(if1)
    spp.start_primary([t0, t1], rings=1)
    for ifname, ns, mac, ip in ((if0, ns0, MAC0, IP0), (if1, ns1, MAC1, IP1)):
        wait_for(lambda: sh('ip', 'link', 'show', ifname, check=False).returncode == 0,
                 msg='interface %s' % ifname)
        sh('ip', 'link', 'set', ifname, 'netns', ns)
        sh('ip', '-n', ns, 'link', 'set', ifname, 'address', mac)
        sh('ip', '-n', ns, 'addr', 'add', ip + '/24', 'dev', ifname)
        sh('ip', '-n', ns, 'link', 'set', ifname, 'up')
        sh('ip', '-n', ns, 'link', 'set', 'lo', 'up')
    vf = spp.start_vf(2)
    # Frames from ns0 (phy:0) to MAC1 go to phy:1 and back; ARP broadcasts
    # are flooded to the classifier's tx port.
    vf.ok('component start c0 1 classifier', 'port add phy:1 tx c0',
          'classifier_table add mac %s phy:1' % MAC1, 'port add phy:0 rx c0',
          'component start c1 2 classifier', 'port add phy:0 tx c1',
          'classifier_table add mac %s phy:0' % MAC0, 'port add phy:1 rx c1')

    r = sh('ip', 'netns', 'exec', ns0, 'ping', '-c', '3', '-i', '0.2', '-W', '5', IP1,
           check=False)
    assert r.returncode == 0, r.stdout.decode(errors='replace')
    assert b' 0% packet loss' in r.stdout, r.stdout
    # The ARP request (broadcast) reached ns1 through the flood.
    out = sh('ip', '-n', ns1, 'neigh', 'show', IP0).stdout.decode()
    assert MAC0 in out.lower(), out
    assert vf.stats('c0')['tx_packets'] >= 4

    if shutil.which('iperf3') is None:
        pytest.skip('iperf3 missing (ping passed)')
    port = 5201 + os.getpid() % 1000
    server = subprocess.Popen(['ip', 'netns', 'exec', ns1, 'iperf3', '-s', '-1', '-B', IP1,
                               '-p', str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: (':%d' % port) in sh('ip', 'netns', 'exec', ns1, 'ss', '-ltn').stdout
                 .decode(), msg='iperf3 server listening')
        r = sh('ip', 'netns', 'exec', ns0, 'iperf3', '-c', IP1, '-p', str(port), '-t', '2',
               '-J', check=False, timeout=60)
        assert r.returncode == 0, r.stdout.decode(errors='replace')[-2000:]
        res = json.loads(r.stdout)
        received = res['end']['sum_received']['bytes']
        assert received > 0, res['end']
    finally:
        if server.poll() is None:
            server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
    # TCP data went ns0 -> ns1 through c0, acknowledgements back through c1.
    st0, st1 = vf.stats('c0'), vf.stats('c1')
    assert st0['rx_packets'] > 1000 and st1['rx_packets'] > 100, (st0, st1)
