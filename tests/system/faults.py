"""Helpers of test_faults.py: the primary's resources as a user reads them
(DPDK telemetry of spp_primary, /proc), and spp_pktgen report checks."""

import json
import os
import socket
from pathlib import Path

from conftest import wait_for

POOL = 'MProc_pktmbuf_pool'
BURST = 32          # SPEC §8.1: rx burst per port per poll


class Telemetry:
    """spp_primary's telemetry socket (SOCK_SEQPACKET, JSON), kept open so
    that reading it many times does not change the primary's fd count."""

    def __init__(self, prefix):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(30)
        self.sock.connect('/var/run/dpdk/%s/dpdk_telemetry.v2' % prefix)
        hello = json.loads(self.sock.recv(1024))
        self.max_len = hello['max_output_len']

    def __call__(self, command):
        self.sock.send(command.encode())
        return json.loads(self.sock.recv(self.max_len))[command.split(',')[0]]

    def close(self):
        self.sock.close()

    # --- what a user compares ---------------------------------------------

    def pool(self, name=POOL):
        """{"in_use", "available", "size", ...} of a mempool (/spp/mempool)."""
        return self('/spp/mempool')[name]

    def memzones(self):
        """Names of every memzone (/eal/memzone_list + /eal/memzone_info)."""
        ids = self('/eal/memzone_list')
        return sorted(self('/eal/memzone_info,%d' % i)['Name'] for i in ids)

    def heaps(self):
        """{heap id: {Heap_size, Free_size, Alloc_size, Alloc_count, ...}}
        of every heap with memory (/eal/heap_list + /eal/heap_info)."""
        out = {}
        for h in self('/eal/heap_list'):
            info = self('/eal/heap_info,%d' % h)
            out[h] = {k: info[k] for k in ('Name', 'Heap_size', 'Free_size', 'Alloc_size',
                                           'Alloc_count')}
        return out


def fds(pid):
    """The open file descriptors of a process, as {fd: target}."""
    out = {}
    for f in Path('/proc/%d/fd' % pid).iterdir():
        try:
            out[int(f.name)] = os.readlink(f)
        except OSError:
            pass
    return out


def runtime_files(prefix):
    try:
        return sorted(p.name for p in Path('/var/run/dpdk/' + prefix).iterdir())
    except FileNotFoundError:
        return []


def wait_pool_in_use(tel, value, timeout=30):
    """Waits until the pool's in-use count is `value` (workers flush their
    caches when they stop, SPEC §8.9); returns the pool entry."""
    return wait_for(lambda: (lambda p: p if p['in_use'] == value else None)(tel.pool()),
                    timeout, msg='%s in_use == %d' % (POOL, value))


def ring_status(spp, n):
    return spp.pri_status()['ring_ports'][n]


# --- spp_pktgen reports ---------------------------------------------------

def ring_report(report, ring):
    return next(r for r in report['rings'] if r['ring'] == ring)


def assert_untouched(report, stream, ring):
    """The stream arrived whole on ring: nothing lost, duplicated or
    reordered, from its first to its last sequence number."""
    st = report['streams'][stream]
    rs = ring_report(report, ring)['streams'][stream]
    assert st['sent'] > 0, st
    assert (rs['received'], rs['lost'], rs['dup'], rs['reordered']) == \
        (st['sent'], 0, 0, 0), (stream, ring, rs, st)
    assert (rs['first'], rs['last']) == (0, st['sent'] - 1), (stream, ring, rs)


def assert_only_on(report, stream, rings):
    """No packet of the stream on any other rx ring; no foreign frame."""
    for r in report['rings']:
        if r['ring'] not in rings:
            assert r['streams'][stream]['received'] == 0, (stream, r)
        assert r['foreign'] == 0, r


def rx_advances(vf, name, by=200, timeout=30):
    """Waits until component `name` received `by` more packets."""
    start = vf.stats(name)['rx_packets']
    wait_for(lambda: vf.stats(name)['rx_packets'] >= start + by, timeout,
             msg='%s to receive %d more packets' % (name, by))
