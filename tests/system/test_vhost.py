"""vhost:N ports on rte_vhost in the owning secondary (SPEC §1.3, issue 5).

The guest is dpdk-testpmd with a virtio_user port (vhost_vm.Vm). Every
test checks the frames byte for byte on the far side, and the counters.
"""

import os
import socket
import stat

import pytest

from conftest import WAIT, error_reply, wait_for
from pkts import BROADCAST, frame, mac, tagged
from vhost_vm import Vm, fd_count, vhost_link, wait_link


def frames(count, dst=None, base=0, vlan=None):
    return [frame(dst or mac(1 + i % 3), src='02:00:00:00:ee:01', vlan=vlan, n=base + i,
                  size=[60, 128, 1000, 1514][i % 4]) for i in range(count)]


def sock_prefix(spp):
    return str(spp.dir / 'vs')


def test_forward_both_directions_through_a_guest_is_byte_exact(spp):
    to_guest = frames(40)
    from_guest = frames(30, base=1000)
    p0, p1 = spp.pcap(rx=to_guest), spp.pcap()
    spp.start_primary([p0, p1], rings=1)
    prefix = sock_prefix(spp)
    vf = spp.start_vf(2, extra=['--vhost-sock-prefix', prefix])
    vf.ok('component start in 1 forward', 'component start out 2 forward',
          'port add vhost:0 tx in', 'port add vhost:0 rx out', 'port add phy:1 tx out')
    assert stat.S_ISSOCK(os.lstat(prefix + '0').st_mode)
    link = vhost_link(vf, 'vhost:0')
    assert link == {'port': 'vhost:0', 'path': prefix + '0', 'mode': 'server',
                    'connected': False, 'rx': 'down', 'tx': 'down'}
    assert vf.status()['vhost'] == ['0']

    vm = Vm(spp, prefix + '0', pcap=True, rx=[from_guest])
    wait_link(vf, 'vhost:0')
    # The guest's frames arrive on phy:1.
    wait_for(lambda: len(p1.sent()) == 30, msg='30 guest frames on phy:1')
    assert p1.sent() == from_guest
    # Now feed the guest from phy:0.
    vf.ok('port add phy:0 rx in')
    vf.wait_stats('in', tx_packets=40)
    assert vm.quit() == 0
    assert vm.received() == to_guest
    nbytes = sum(len(f) for f in to_guest)
    ps = vf.wait_port_stats('vhost:0', tx_packets=40, rx_packets=30)
    assert (ps['tx_bytes'], ps['rx_bytes']) == (nbytes, sum(len(f) for f in from_guest))
    assert ps['drop_packets'] == 0
    assert p0.sent() == []


def test_vlan_ops_on_vhost_ports(spp):
    to_guest = frames(20)
    from_guest = [tagged(f, 300, 5) for f in frames(20, base=500)]
    p0, p1 = spp.pcap(rx=to_guest), spp.pcap()
    spp.start_primary([p0, p1], rings=1)
    prefix = sock_prefix(spp)
    vf = spp.start_vf(2, extra=['--vhost-sock-prefix', prefix])
    vf.ok('component start in 1 forward', 'component start out 2 forward',
          'port add vhost:3 tx in add_vlantag 200 3', 'port add vhost:3 rx out del_vlantag',
          'port add phy:1 tx out')
    vm = Vm(spp, prefix + '3', pcap=True, rx=[from_guest])
    wait_link(vf, 'vhost:3')
    wait_for(lambda: len(p1.sent()) == 20)
    assert p1.sent() == frames(20, base=500)
    vf.ok('port add phy:0 rx in')
    vf.wait_stats('in', tx_packets=20)
    vm.quit()
    assert vm.received() == [tagged(f, 200, 3) for f in to_guest]


def test_classifier_to_two_guests_and_merge_back(spp):
    a, b = mac(0xa), mac(0xb)
    to_guests = [frame(a, n=i) if i % 3 == 0 else frame(b, n=i) if i % 3 == 1 else
                 frame(BROADCAST, n=i) for i in range(60)]
    from_a = frames(10, dst=mac(0x99), base=100)
    from_b = frames(10, dst=mac(0x99), base=200)
    p0, p1 = spp.pcap(rx=to_guests), spp.pcap()
    spp.start_primary([p0, p1], rings=1)
    prefix = sock_prefix(spp)
    vf = spp.start_vf(2, extra=['--vhost-sock-prefix', prefix])
    vf.ok('component start cls 1 classifier', 'component start m 2 merge',
          'port add vhost:1 tx cls', 'port add vhost:2 tx cls',
          'classifier_table add mac %s vhost:1' % a, 'classifier_table add mac %s vhost:2' % b,
          'port add vhost:1 rx m', 'port add vhost:2 rx m', 'port add phy:1 tx m')
    vm_a = Vm(spp, prefix + '1', pcap=True, rx=[from_a], name='vma')
    vm_b = Vm(spp, prefix + '2', pcap=True, rx=[from_b], name='vmb', lcores='2@0,3@1')
    wait_link(vf, 'vhost:1')
    wait_link(vf, 'vhost:2')
    wait_for(lambda: len(p1.sent()) == 20)
    got = p1.sent()
    assert sorted(got) == sorted(from_a + from_b)
    assert [f for f in got if f in from_a] == from_a   # per-input order kept
    vf.ok('port add phy:0 rx cls')
    vf.wait_stats('cls', rx_packets=60)
    wait_for(lambda: vf.port_stats('vhost:1')['tx_packets'] == 40 and
             vf.port_stats('vhost:2')['tx_packets'] == 40)
    vm_a.quit()
    vm_b.quit()
    assert vm_a.received() == [f for i, f in enumerate(to_guests) if i % 3 != 1]
    assert vm_b.received() == [f for i, f in enumerate(to_guests) if i % 3 != 0]
