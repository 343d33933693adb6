"""Tap-as-a-Service, direction BOTH, as docs/taas.md wires it: ns0 pings
ns1 (the tapped VM) through spp_vf and spp_mirror, and tcpdump in a monitor
namespace ns2 sees the ARP broadcast and the echo requests and replies."""

import logging
import os
import shutil
import signal
import subprocess

import pytest

from conftest import read_pcap, wait_for
from test_tap import sh

logging.getLogger('scapy.runtime').setLevel(logging.ERROR)

from scapy.layers.inet import ICMP, IP  # noqa: E402
from scapy.layers.l2 import ARP, Ether  # noqa: E402

MAC0 = '02:00:00:00:5b:01'
MAC1 = '02:00:00:00:5b:02'      # the tapped VM
IP0 = '10.98.0.1'
IP1 = '10.98.0.2'


@pytest.fixture
def netns3():
    """Three network namespaces: ns0, ns1 (tapped), ns2 (monitor)."""
    for tool in ('ip', 'tcpdump', 'ping'):
        if shutil.which(tool) is None:
            pytest.skip('%s missing' % tool)
    tag = '%d' % (os.getpid() % 100000)
    names = ['sppT%s%d' % (tag, i) for i in range(3)]
    created = []
    try:
        for n in names:
            sh('ip', 'netns', 'add', n)
            created.append(n)
        yield names
    finally:
        for n in created:
            # The taps return to the primary's namespace only while it
            # runs; the fixture order stops spp first.
            sh('ip', 'netns', 'del', n, check=False)


def move_tap(ifname, ns, mac=None, ip=None):
    wait_for(lambda: sh('ip', 'link', 'show', ifname, check=False).returncode == 0,
             msg='interface %s' % ifname)
    sh('ip', 'link', 'set', ifname, 'netns', ns)
    # No IPv6: its router and listener solicitations would only add noise.
    sh('ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w',
       'net.ipv6.conf.%s.disable_ipv6=1' % ifname)
    if mac:
        sh('ip', '-n', ns, 'link', 'set', ifname, 'address', mac)
    if ip:
        sh('ip', '-n', ns, 'addr', 'add', ip + '/24', 'dev', ifname)
    sh('ip', '-n', ns, 'link', 'set', ifname, 'up')
    sh('ip', '-n', ns, 'link', 'set', 'lo', 'up')


def test_taas_both_directions_monitor_sees_arp_and_ping_both_ways(netns3, spp):
    ns0, ns1, ns2 = netns3
    tag = '%d' % (os.getpid() % 10000)
    ifs = ['sppm%s%s' % (tag, c) for c in 'abc']
    taps = [spp.tap(i) for i in ifs]
    spp.start_primary(taps, rings=4)
    move_tap(ifs[0], ns0, MAC0, IP0)
    move_tap(ifs[1], ns1, MAC1, IP1)
    move_tap(ifs[2], ns2)

    # phy:0 = ns0 (uplink side), phy:1 = P (ns1), phy:2 = M (monitor).
    # spp_vf: cls steers IN traffic for ns1's MAC (and broadcasts) into
    # ring:0; fwd takes OUT originals from ring:1 back to ns0; mon merges
    # the copy rings ring:2 (IN) and ring:3 (OUT) into the monitor.
    vf = spp.start_vf(1, workers=(1, 2, 3))
    vf.ok('component start cls 1 classifier', 'port add ring:0 tx cls',
          'classifier_table add mac %s ring:0' % MAC1,
          'component start fwd 2 forward', 'port add ring:1 rx fwd', 'port add phy:0 tx fwd',
          'component start mon 3 merge', 'port add ring:2 rx mon', 'port add ring:3 rx mon',
          'port add phy:2 tx mon')
    m = spp.start_mirror(2, workers=(4, 5))
    m.ok('component start tap_in 4 mirror', 'port add ring:0 rx tap_in',
         'port add phy:1 tx tap_in', 'port add ring:2 tx tap_in',
         'component start tap_out 5 mirror', 'port add phy:1 rx tap_out',
         'port add ring:1 tx tap_out', 'port add ring:3 tx tap_out')
    vf.ok('port add phy:0 rx cls')

    cap = spp.tmp / 'monitor.pcap'
    errlog = spp.tmp / 'tcpdump.log'
    with open(errlog, 'wb') as err:
        # Bounded: tcpdump stops after 64 packets or 120 s at the latest;
        # normally it is interrupted once the capture holds what we expect.
        dump = subprocess.Popen(['ip', 'netns', 'exec', ns2, 'timeout', '120', 'tcpdump',
                                 '-i', ifs[2], '-n', '-U', '-c', '64', '-w', str(cap),
                                 'arp or icmp'],
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        wait_for(lambda: b'listening on' in errlog.read_bytes() or dump.poll() is not None,
                 msg='tcpdump listening')
        assert dump.poll() is None, errlog.read_text(errors='replace')

        r = sh('ip', 'netns', 'exec', ns0, 'ping', '-c', '3', '-i', '0.2', '-W', '5', IP1,
               check=False)
        assert r.returncode == 0, r.stdout.decode(errors='replace')
        assert b' 0% packet loss' in r.stdout, r.stdout

        def seen():
            pkts = [Ether(f) for f in read_pcap(cap)]
            req = sorted(p[ICMP].seq for p in pkts if ICMP in p and p[ICMP].type == 8
                         and (p[IP].src, p[IP].dst, p.src, p.dst) == (IP0, IP1, MAC0, MAC1))
            rep = sorted(p[ICMP].seq for p in pkts if ICMP in p and p[ICMP].type == 0
                         and (p[IP].src, p[IP].dst, p.src, p.dst) == (IP1, IP0, MAC1, MAC0))
            arp = [p for p in pkts if ARP in p and p[ARP].op == 1 and p.dst == 'ff:ff:ff:ff:ff:ff'
                   and (p[ARP].psrc, p[ARP].pdst, p[ARP].hwsrc) == (IP0, IP1, MAC0)]
            arp_reply = [p for p in pkts if ARP in p and p[ARP].op == 2 and p.src == MAC1]
            done = len(req) >= 3 and len(rep) >= 3 and arp and arp_reply
            return (req, rep, arp, arp_reply) if done else None
        req, rep, arp, arp_reply = wait_for(seen, msg='ping and ARP in the monitor capture')
        # Each echo copied once in its direction, nothing duplicated.
        assert req == [1, 2, 3] and rep == [1, 2, 3], (req, rep)
    finally:
        # dump.pid is `timeout` (ip netns exec execs it), which passes the
        # signal on to tcpdump.
        if dump.poll() is None:
            os.kill(dump.pid, signal.SIGINT)
        try:
            dump.wait(15)
        except subprocess.TimeoutExpired:
            os.kill(dump.pid, signal.SIGKILL)
            dump.wait(5)

    st_in, st_out = m.stats('tap_in'), m.stats('tap_out')
    assert st_in['dup_packets'] >= 4 and st_out['dup_packets'] >= 4, (st_in, st_out)
    assert st_in['drop_packets'] == 0 and st_out['drop_packets'] == 0, (st_in, st_out)
