"""Frames for the system tests, built with scapy; compared as bytes."""

import logging

logging.getLogger('scapy.runtime').setLevel(logging.ERROR)

from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.l2 import Dot1AD, Dot1Q, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

SRC = '02:00:00:00:ff:01'
BROADCAST = 'ff:ff:ff:ff:ff:ff'
MULTICAST = '01:00:5e:00:00:fb'


def mac(i, base=0x02):
    """Unicast, locally administered MAC number i: 02:00:00:00:hh:ll."""
    return '%02x:00:00:%02x:%02x:%02x' % (base, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)


def frame(dst, src=SRC, vlan=None, pcp=0, n=0, size=64, tpid=0x8100, inner_vlan=None):
    """An Ether[/tag]/IPv4/UDP frame carrying `n` in its payload, padded to
    `size` bytes (without FCS) when it is shorter."""
    p = Ether(dst=dst, src=src)
    if vlan is not None:
        if tpid == 0x88a8:
            p = p / Dot1AD(vlan=vlan, prio=pcp)
        else:
            p = p / Dot1Q(vlan=vlan, prio=pcp)
    if inner_vlan is not None:
        p = p / Dot1Q(vlan=inner_vlan)
    p = p / IP(src='10.0.0.1', dst='10.0.0.2') / UDP(sport=1024 + (n & 0x7fff), dport=9) / Raw(
        b'spp-%08d' % n)
    data = bytes(p)
    if len(data) < size:
        data += bytes(size - len(data))
    return data


def tagged(data, vid, pcp=0):
    """data with an 802.1Q tag (TCI = pcp << 13 | vid) inserted after the
    MACs (SPEC §8.6 add_vlantag on an untagged frame)."""
    tci = (pcp << 13) | vid
    return data[:12] + b'\x81\x00' + tci.to_bytes(2, 'big') + data[12:]


def retagged(data, vid, pcp=0):
    """An outer 0x8100 frame with its TCI overwritten (add_vlantag on a
    tagged frame)."""
    assert data[12:14] == b'\x81\x00'
    tci = (pcp << 13) | vid
    return data[:14] + tci.to_bytes(2, 'big') + data[16:]


def untagged(data):
    """Outer 0x8100 tag removed (del_vlantag); other frames unchanged."""
    if data[12:14] == b'\x81\x00':
        return data[:12] + data[16:]
    return data
