"""A guest for vhost tests: dpdk-testpmd with a virtio_user port.

testpmd runs as its own DPDK primary (own --file-prefix, own hugepages)
and drives `net_virtio_user0` on spp's vhost-user socket, the way a VM's
virtio-net would. With `pcap=True` it also has a net_pcap port and io
forwarding pairs the two: frames written to the pcap rx files enter the
guest's TX queues (spp receives them on vhost rx), and frames spp sends
into the guest come out in the pcap tx files, one file per queue. Without
a pcap port, io forwarding loops the virtio port back onto itself.

testpmd runs with --no-flush-rx, or it would discard the pcap frames
while starting. It waits for "enter" on stdin; closing stdin makes it stop its ports
(flushing the pcap files) and exit 0.
"""

import itertools
import os
import shutil
import signal
import subprocess
from pathlib import Path

from conftest import STOP_WAIT, WAIT, read_pcap, wait_for, write_pcap

TESTPMD = shutil.which('dpdk-testpmd') or '/usr/bin/dpdk-testpmd'

_counter = itertools.count()

# A guest takes longer to start than spp's processes (its own hugepages and
# EAL): waits that depend on it get more time on a loaded machine.
GUEST_WAIT = 3 * WAIT

# Guests not yet ended: the `vms` fixture ends them after each test.
_running = []


class Vm:
    def __init__(self, spp, sock, queues=1, server=False, pcap=False, rx=None, lcores='0@0,1@0',
                 name='vm'):
        """sock: the vhost-user socket path; server: testpmd listens
        (spp then runs with --vhost-client); rx: per queue, frames the
        guest sends (pcap only).

        The guest, its lcores and its control threads, runs on CPU 0;
        spp's workers run on CPU 1 (conftest). Seen on this kernel (6.18,
        EEVDF, autogroups): a new thread pinned to the CPU of a busy spp
        worker (plus idle ones that nap 50 us at a time) was not scheduled
        for 30 s, and testpmd's EAL init waited on it for ever."""
        self.spp = spp
        self.sock = str(sock)
        self.queues = queues
        self.prefix = '%svm%d' % (spp.prefix, next(_counter))
        self.dir = spp.dir / ('vm%d' % next(_counter))
        self.dir.mkdir()
        self.tx_paths = []
        # Several queue pairs need virtio's control queue (cq=1).
        vdevs = ['net_virtio_user0,path=%s,queues=%d%s%s'
                 % (self.sock, queues, ',cq=1' if queues > 1 else '',
                    ',server=1' if server else '')]
        if pcap:
            args = []
            rx = rx or [[] for _ in range(queues)]
            assert len(rx) == queues
            for q in range(queues):
                rx_path = self.dir / ('i%d' % q)
                tx_path = self.dir / ('o%d' % q)
                write_pcap(rx_path, rx[q])
                args += ['rx_pcap=%s' % rx_path, 'tx_pcap=%s' % tx_path]
                self.tx_paths.append(tx_path)
            vdevs.append('net_pcap0,' + ','.join(args))
        self.argv = [TESTPMD, '--lcores', lcores, '--no-pci', '--file-prefix', self.prefix,
                     '-m', '256', '--single-file-segments', '--log-level', 'lib.eal:warning']
        for v in vdevs:
            self.argv += ['--vdev', v]
        self.argv += ['--', '--forward-mode=io', '--auto-start', '--nb-cores=1',
                      '--rxq=%d' % queues, '--txq=%d' % queues, '--total-num-mbufs=8192',
                      '--no-flush-rx']
        self.log = spp.tmp / ('%s-%s.log' % (name, self.prefix))
        self._logf = open(self.log, 'wb')
        # Line-buffered, so that the log shows "Press enter to exit" when
        # testpmd forwards (wait_forwarding), not at exit.
        self.popen = subprocess.Popen(['stdbuf', '-oL'] + [str(a) for a in self.argv], stdin=subprocess.PIPE,
                                      stdout=self._logf, stderr=subprocess.STDOUT,
                                      start_new_session=True,
                                      preexec_fn=lambda: os.sched_setaffinity(0, {0}))
        self.pid = self.popen.pid
        _running.append(self)

    def alive(self):
        return self.popen.poll() is None

    def quit(self):
        """Clean exit: testpmd stops its ports (pcap files flushed)."""
        if self.alive():
            try:
                self.popen.stdin.write(b'\n')
                self.popen.stdin.close()
            except OSError:
                pass
            try:
                self.popen.wait(STOP_WAIT)
            except subprocess.TimeoutExpired:
                self.kill9()
        self._cleanup()
        return self.popen.returncode

    def kill9(self):
        """The guest dies without closing anything."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            self.popen.wait(STOP_WAIT)
        self._cleanup()

    def _cleanup(self):
        if self in _running:
            _running.remove(self)
        if not self._logf.closed:
            self._logf.close()
        for f in Path('/dev/hugepages').glob(self.prefix + 'map_*'):
            f.unlink(missing_ok=True)
        shutil.rmtree('/var/run/dpdk/' + self.prefix, ignore_errors=True)

    def wait_forwarding(self, timeout=GUEST_WAIT):
        """Wait until testpmd forwards: only then has the guest posted its
        receive buffers (before that spp's tx into it counts tx_full)."""
        wait_for(lambda: 'Press enter to exit' in self.log_text() or not self.alive(),
                 timeout=timeout, msg='the guest forwarding')
        assert self.alive(), 'the guest exited:\n' + self.log_text()[-2000:]

    def wait_received(self, count, queue=0, timeout=WAIT):
        """Wait until the guest forwarded count frames of queue to its pcap
        file (net_pcap flushes after every burst), so that quit() loses
        none still in its virtio ring."""
        wait_for(lambda: len(read_pcap(self.tx_paths[queue])) >= count, timeout=timeout,
                 msg='%d frames through guest queue %d' % (count, queue))

    def received(self, queue=0):
        """Frames spp sent into guest queue `queue` (after quit())."""
        assert not self.alive(), 'quit() the guest first: pcap files are flushed at exit'
        return read_pcap(self.tx_paths[queue])

    def log_text(self):
        try:
            return Path(self.log).read_text(errors='replace')
        except OSError:
            return ''


def vhost_link(vf, uid):
    """The vhost_links entry of uid in vf's status, or None."""
    for link in vf.status().get('vhost_links', []):
        if link['port'] == uid:
            return link
    return None


def end_all_guests():
    """Kill the guests a test left running (it failed half-way)."""
    for vm in list(_running):
        vm.kill9()


def wait_link(vf, uid, up=True, timeout=GUEST_WAIT):
    """Wait until uid's queue is ready (both directions) or down."""
    last = []

    def done():
        link = vhost_link(vf, uid)
        last[:] = [link]
        if link is None:
            return False
        if up:
            return link['connected'] and link['rx'] == 'up' and link['tx'] == 'up'
        return link['rx'] == 'down' and link['tx'] == 'down'
    try:
        wait_for(done, timeout=timeout, msg='%s %s' % (uid, 'up' if up else 'down'))
    except AssertionError as e:
        raise AssertionError('%s; last vhost_links entry: %r' % (e, last)) from None
    return vhost_link(vf, uid)


def fd_count(pid):
    return len(os.listdir('/proc/%d/fd' % pid))
