#!/usr/bin/env python3
"""reconfig.py - reconfiguration cost under full load (issue 8): 1,000
configuration changes applied to spp_vf while sequence-numbered traffic flows;
reports packets lost / duplicated / reordered per stream (target 0 / 0 / 0),
the latency of every kind of change and the throughput dip. Normally run
through bench/reconfig.sh, which builds spp first.

  reconfig.py [--build DIR] [--changes N] [--before S] [--after S] [--warm S]
              [--interval-ms MS] [--pace-ms MS] [--pps N] [--out DIR] [--doc FILE]

Processes (each with --no-pci, a unique --file-prefix, -m 256):
  spp_primary  lcore 0 on CPU 0; one net_null phy port (unused), 9 rings of
               32,768 slots and a pool of 16,383 mbufs, so that no ring can
               ever be full (a ring holds more than every mbuf there is): a
               tx ring refusing packets (tx_full) is impossible by design.
  spp_vf       secondary, main lcore 0 on CPU 0, worker lcore 1 alone on
               CPU 1, --idle-sleep-us 0 (polls without pause). Components, all
               on lcore 1:
                 cls  classifier  ring:0 -> ring:1, ring:2, ring:3 (entries),
                                   ring:4 (`default`)
                 fa   forward     ring:5 -> ring:6  (owns ring:5 rx at start)
                 fb   forward     ring:5 -> ring:7
  spp_pktgen   secondary (tests/tools), main lcore 0 and worker lcore 9 on
               CPU 0 (an lcore id no spp process uses: mempool caches are per
               lcore id). No rate limit (--pps 10^9: as fast as it can, i.e.
               "full load" is the generator's maximum), frames round-robin
               over the streams; drains ring:1-4, 6, 7 in the same loop and
               checks sequence numbers per stream and per ring.
  this script  a minimal spp-ctl (SPEC 4): listens for the primary and for
               spp_vf, applies the commands on spp_vf's connection, samples
               the primary's `status` (ring counters, occupancy) every
               --interval-ms on the primary's connection. Pinned to CPU 0,
               and so are the DPDK processes at start: their EAL control
               threads stay there (pinning.txt lists every thread).

Streams (dst MAC; ring fed; where spp may deliver it):
  s0 02:00:00:00:00:01 -> ring:0, entry `mac` moved between ring:1..3
  s1 02:00:00:00:00:02 -> ring:0, entry `mac` moved between ring:1..3
  s2 02:00:00:00:00:03 -> ring:0, entry fixed on ring:3 (ring:3 itself moves)
  s3 02:00:00:00:00:09 -> ring:0, no entry: always `default` (ring:4, which
                          never changes: the untouched path)
  s4 02:00:00:00:00:04 VLAN 10 -> ring:0, entry `vlan 10` moved between
                          ring:1..3
  s5 02:00:00:00:00:05 -> ring:5, forwarded by fa (ring:6) or fb (ring:7)

The changes, one cycle of 10 commands repeated (--changes 1000 = 100 cycles);
every command is one change (one plan swap of lcore 1, SPEC 8.8):
  entry_del/entry_add  move s0's or s1's entry (alternating) to the next of
                       ring:1..3: `classifier_table del mac M ring:A`, then
                       `... add mac M ring:B`; in between the MAC has no
                       entry and goes to `default` (ring:4): never without a
                       destination, so nothing may be dropped
  filler_add/filler_del  one more MAC entry that no traffic uses, and the
                       oldest one removed (--fillers, default 64, preloaded:
                       the table size stays at fillers + 5 or 6 entries)
  txport_del/txport_add  `port del ring:X tx cls`, `port add ring:X tx cls`
                       (X = ring:1, 2, 3 in turn; every other time re-added
                       with `add_vlantag 100 0`): while detached its entries
                       are inactive and their MACs go to `default`
  rxport_del/rxport_add  `port del ring:5 rx fa`, `port add ring:5 rx fb`
                       (and back): packets wait in ring:5 in between
  vlan_del/vlan_add    move s4's `vlan 10` entry as entry_*; in between VLAN
                       10 has no entry and its frames go to the general
                       `default` (SPEC 8.5)
Since every stream always has a destination and no ring can be full, spp
must deliver every frame exactly once: per stream, lost = dup = 0, per
(stream, ring) reordered = 0 (spp_pktgen's report), every component's
drop_packets = 0, and each stream only on its rings. Order across two rings
cannot be judged by the receiver (it drains the rings one after the other).
--no-default runs the same without the `default` entry: frames whose entry
is absent (between del and add, tx port detached; s3 always) are dropped on
purpose, and the check becomes exact accounting: the frames missing from
the classifier's streams = cls's no_dest count, nothing else missing,
duplicated or reordered.

Timeline: --warm s of traffic, --before s of samples, the changes back to
back (or --pace-ms apart per cycle), --after s of samples, then generation
stops and spp_pktgen drains. Throughput = frames spp_vf enqueued to the tx
rings (the primary's shared ring totals) per --interval-ms; per phase the
median and minimum, the dip = 1 - min(during) / median(before). Also per
phase: ring:0's largest backlog (does spp keep up?) and the share of CPU 0
the generator's thread got (CPU 0 is shared with the controller and spp_vf's
control thread, so a dip there is the generator's, not spp's forwarding).

Output: OUT/reconfig-<stamp>.md (printed) and OUT/reconfig-<stamp>/ (logs,
commands with their latency, samples, spp_pktgen's report, status).
--doc FILE also writes the section to FILE (e.g. docs/performance-reconfig.md).
Exit: 0 = everything delivered once and in order; 1 = a frame lost,
duplicated, reordered, misrouted or dropped (a bug: see the report);
2 = the harness failed (a process did not come up, a command failed, ...).
Python 3 standard library only; needs root and free 2 MiB hugepages.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

PROG = 'reconfig'
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SUCCESS = {'results': [{'result': 'success'}]}
BASE_VIRTADDR = '0x200000000000'
NB_RINGS = 9
RING_SIZE = 32768
NB_MBUFS = 16383
GEN_LCORE = 9
CLS_TX = (1, 2, 3)          # rings with entries
DEFAULT_RING = 4
FWD_RX, FA_TX, FB_TX = 5, 6, 7
RX_RINGS = (1, 2, 3, 4, 6, 7)
VLAN = 10
# (name, dst MAC, vid or None, ring fed, rings it may come out of, role)
STREAMS = [
    ('s0', '02:00:00:00:00:01', None, 0, (1, 2, 3, 4), 'mac entry moved ring:1..3'),
    ('s1', '02:00:00:00:00:02', None, 0, (1, 2, 3, 4), 'mac entry moved ring:1..3'),
    ('s2', '02:00:00:00:00:03', None, 0, (3, 4), 'mac entry on ring:3 (port moved)'),
    ('s3', '02:00:00:00:00:09', None, 0, (4,), 'no entry: default ring:4 (untouched)'),
    ('s4', '02:00:00:00:00:04', VLAN, 0, (1, 2, 3, 4), 'vlan 10 entry moved ring:1..3'),
    ('s5', '02:00:00:00:00:05', None, FWD_RX, (FA_TX, FB_TX), 'ring:5 rx moved fa <-> fb'),
]
KINDS = ('entry_del', 'entry_add', 'vlan_del', 'vlan_add', 'filler_add', 'filler_del',
         'txport_del', 'txport_add', 'rxport_del', 'rxport_add')


def log(msg):
    print('%s: %s' % (PROG, msg), file=sys.stderr, flush=True)


class HarnessError(Exception):
    pass


# --- a minimal spp-ctl (SPEC 4) ---------------------------------------------

def json_end(buf):
    """Index just past the first complete JSON value of buf (bytes), or -1."""
    i, n = 0, len(buf)
    while i < n and buf[i] in b' \t\r\n\0':
        i += 1
    depth, in_str, esc, started = 0, False, False, False
    while i < n:
        c = buf[i]
        if in_str:
            if esc:
                esc = False
            elif c == 0x5c:
                esc = True
            elif c == 0x22:
                in_str = False
        elif c == 0x22:
            in_str = True
        elif c in b'{[':
            depth += 1
            started = True
        elif c in b'}]':
            depth -= 1
            if depth == 0 and started:
                return i + 1
        i += 1
    return -1


class Conn:
    def __init__(self, sock, what):
        self.sock = sock
        self.what = what
        self.buf = b''
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def request(self, cmd, timeout=15.0):
        self.sock.sendall(cmd.encode() + b'\n')
        deadline = time.monotonic() + timeout
        while True:
            end = json_end(self.buf)
            if end >= 0:
                text, self.buf = self.buf[:end], self.buf[end:]
                return json.loads(text.strip(b' \t\r\n\0'))
            left = deadline - time.monotonic()
            if left <= 0:
                raise HarnessError('%s: no reply to %r within %.0f s' % (self.what, cmd, timeout))
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(1 << 20)
            except socket.timeout:
                continue
            if not data:
                raise HarnessError('%s closed the connection (command %r)' % (self.what, cmd))
            self.buf += data

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', 0))
    s.listen(4)
    return s


def accept(srv, proc, what, timeout=60.0):
    deadline = time.monotonic() + timeout
    srv.settimeout(0.2)
    while True:
        try:
            sock, _ = srv.accept()
            return sock
        except socket.timeout:
            pass
        if proc.poll() is not None:
            raise HarnessError('%s exited with %r before connecting' % (what, proc.returncode))
        if time.monotonic() > deadline:
            raise HarnessError('%s did not connect within %.0f s' % (what, timeout))


# --- processes ----------------------------------------------------------------

class Procs:
    """Processes this script started; stopped by PID only."""

    def __init__(self, outdir, prefix):
        self.outdir = outdir
        self.prefix = prefix
        self.procs = []          # (name, Popen)

    def start(self, name, argv, stdout=None):
        logf = open(self.outdir / ('%s.log' % name), 'wb')
        p = subprocess.Popen([str(a) for a in argv], stdin=subprocess.DEVNULL,
                             stdout=stdout if stdout is not None else logf, stderr=logf,
                             start_new_session=True)
        logf.close()
        self.procs.append((name, p))
        with open(self.outdir / 'commands.txt', 'a') as f:
            f.write('%s (pid %d): %s\n' % (name, p.pid, ' '.join(str(a) for a in argv)))
        return p

    def stop_all(self):
        """SIGTERM then SIGKILL, by PID, in reverse start order; returns
        {name: exit code}."""
        rcs = {}
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    log('%s (pid %d) ignored SIGTERM; SIGKILL' % (name, p.pid))
                    p.kill()
                    p.wait(15)
            rcs[name] = p.returncode
        return rcs

    def cleanup_files(self):
        for f in Path('/dev/hugepages').glob(self.prefix + 'map_*'):
            f.unlink(missing_ok=True)
        shutil.rmtree('/var/run/dpdk/' + self.prefix, ignore_errors=True)


def pinning(pids):
    """Lines 'name pid tid comm cpus' of every thread of pids {name: pid}."""
    out = []
    for name, pid in pids.items():
        try:
            tids = sorted(os.listdir('/proc/%d/task' % pid), key=int)
        except OSError:
            continue
        for tid in tids:
            base = '/proc/%d/task/%s/' % (pid, tid)
            try:
                with open(base + 'comm') as f:
                    comm = f.read().strip()
                with open(base + 'status') as f:
                    cpus = [ln.split()[1] for ln in f if ln.startswith('Cpus_allowed_list:')]
            except OSError:
                continue
            out.append('%s\t%d\t%s\t%s\t%s' % (name, pid, tid, comm, cpus[0] if cpus else '?'))
    return out


def find_tid(pid, name_prefixes=None, cpu=None):
    """The first thread of pid whose name starts with one of name_prefixes,
    or which is allowed on CPU `cpu` only; None if there is none."""
    try:
        for tid in sorted(os.listdir('/proc/%d/task' % pid), key=int):
            base = '/proc/%d/task/%s/' % (pid, tid)
            if name_prefixes is not None:
                with open(base + 'comm') as f:
                    if f.read().strip().startswith(name_prefixes):
                        return int(tid)
            if cpu is not None:
                with open(base + 'status') as f:
                    for ln in f:
                        if ln.startswith('Cpus_allowed_list:') and ln.split()[1] == str(cpu):
                            return int(tid)
    except OSError:
        return None
    return None


def thread_cpu_ns(pid, tid):
    """CPU time (ns) of thread tid of pid (/proc/.../schedstat), or None."""
    if tid is None:
        return None
    try:
        with open('/proc/%d/task/%d/schedstat' % (pid, tid)) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def proc_stat():
    """{cpuN: (total ticks, idle + iowait ticks)}."""
    out = {}
    with open('/proc/stat') as f:
        for ln in f:
            p = ln.split()
            if p[0].startswith('cpu') and p[0] != 'cpu':
                v = list(map(int, p[1:]))
                out[p[0]] = (sum(v), v[3] + v[4])
    return out


def cpu_busy(seconds=1.0):
    """{cpuN: busy %} over `seconds` from /proc/stat (what else runs)."""
    a = proc_stat()
    time.sleep(seconds)
    b = proc_stat()
    return {c: 100.0 * (1 - (b[c][1] - a[c][1]) / max(1, b[c][0] - a[c][0])) for c in sorted(a)}


# --- the changes --------------------------------------------------------------

def filler_mac(i):
    return '02:00:00:01:%02x:%02x' % ((i >> 8) & 0xff, i & 0xff)


class Plan:
    """Generates the change commands and tracks where every entry is."""

    def __init__(self, nb_fillers=64, default=True):
        self.nb_fillers = nb_fillers
        self.default = default
        self.where = {'s0': 1, 's1': 2, 's4': 1}      # moved entries -> ring
        self.fillers = []                             # (mac, ring), oldest first
        self.next_filler = 0
        self.rx_owner = 'fa'
        self.txport_turn = 0
        self.cycle = 0

    def setup(self):
        c = ['component start cls 1 classifier', 'component start fa 1 forward',
             'component start fb 1 forward']
        c += ['port add ring:%d tx cls' % r for r in CLS_TX + (DEFAULT_RING,)]
        if self.default:
            c.append('classifier_table add mac default ring:%d' % DEFAULT_RING)
        c += ['classifier_table add mac %s ring:%d' % (STREAMS[0][1], self.where['s0']),
              'classifier_table add mac %s ring:%d' % (STREAMS[1][1], self.where['s1']),
              'classifier_table add mac %s ring:3' % STREAMS[2][1],
              'classifier_table add vlan %d %s ring:%d' % (VLAN, STREAMS[4][1],
                                                           self.where['s4'])]
        for _ in range(self.nb_fillers):
            c.append(self._filler_add()[1])
        c += ['port add ring:0 rx cls',
              'port add ring:%d tx fa' % FA_TX, 'port add ring:%d tx fb' % FB_TX,
              'port add ring:%d rx fa' % FWD_RX]
        return c

    def _filler_add(self):
        mac = filler_mac(self.next_filler)
        ring = CLS_TX[self.next_filler % len(CLS_TX)]
        self.next_filler += 1
        self.fillers.append((mac, ring))
        return 'filler_add', 'classifier_table add mac %s ring:%d' % (mac, ring)

    @staticmethod
    def _next_ring(r):
        return CLS_TX[(CLS_TX.index(r) + 1) % len(CLS_TX)]

    def next_cycle(self):
        """The 10 (kind, command) of the next cycle."""
        out = []
        i = self.cycle
        self.cycle += 1
        # 1-2: a MAC entry of a live stream moves to the next ring.
        s = 's0' if i % 2 == 0 else 's1'
        mac = STREAMS[0][1] if s == 's0' else STREAMS[1][1]
        a = self.where[s]
        b = self._next_ring(a)
        out.append(('entry_del', 'classifier_table del mac %s ring:%d' % (mac, a)))
        out.append(('entry_add', 'classifier_table add mac %s ring:%d' % (mac, b)))
        self.where[s] = b
        # 3-4: a filler entry in, the oldest out.
        out.append(self._filler_add())
        fmac, fring = self.fillers.pop(0)
        out.append(('filler_del', 'classifier_table del mac %s ring:%d' % (fmac, fring)))
        # 5-6: a tx port of the classifier detached and attached again.
        x = CLS_TX[self.txport_turn % len(CLS_TX)]
        op = ' add_vlantag 100 0' if (self.txport_turn // len(CLS_TX)) % 2 else ''
        self.txport_turn += 1
        out.append(('txport_del', 'port del ring:%d tx cls' % x))
        out.append(('txport_add', 'port add ring:%d tx cls%s' % (x, op)))
        # 7-8: ring:5 rx moves to the other forward.
        other = 'fb' if self.rx_owner == 'fa' else 'fa'
        out.append(('rxport_del', 'port del ring:%d rx %s' % (FWD_RX, self.rx_owner)))
        out.append(('rxport_add', 'port add ring:%d rx %s' % (FWD_RX, other)))
        self.rx_owner = other
        # 9-10: the VLAN entry of s4 moves.
        a = self.where['s4']
        b = self._next_ring(a)
        out.append(('vlan_del', 'classifier_table del vlan %d %s ring:%d'
                    % (VLAN, STREAMS[4][1], a)))
        out.append(('vlan_add', 'classifier_table add vlan %d %s ring:%d'
                    % (VLAN, STREAMS[4][1], b)))
        self.where['s4'] = b
        return out


# --- sampling -----------------------------------------------------------------

class Sampler(threading.Thread):
    """Every interval: the primary's status (ring totals and occupancy), the
    CPU time of the generator's lcore thread and of spp_vf's worker, and
    /proc/stat."""

    def __init__(self, pconn, interval, gen_pid, vf_pid):
        super().__init__(daemon=True)
        self.pconn = pconn
        self.interval = interval
        self.gen_pid = gen_pid
        self.vf_pid = vf_pid
        self.gen_tid = None
        self.vf_tid = None
        self.samples = []        # (t, {ring: (rx, tx, tx_drop, occ)}, gen ns, vf ns, stat)
        self.stop = threading.Event()
        self.error = None

    def one(self):
        if self.gen_tid is None:
            self.gen_tid = find_tid(self.gen_pid, name_prefixes=('lcore-worker', 'rte-worker'))
        if self.vf_tid is None:
            self.vf_tid = find_tid(self.vf_pid, cpu=1)
        t = time.monotonic()
        st = self.pconn.request('status')
        rings = {r['id']: (r['rx'], r['tx'], r['tx_drop'], r['occupancy'])
                 for r in st['ring_ports']}
        self.samples.append((t, rings, thread_cpu_ns(self.gen_pid, self.gen_tid),
                             thread_cpu_ns(self.vf_pid, self.vf_tid), proc_stat()))

    def run(self):
        nxt = time.monotonic()
        try:
            while not self.stop.is_set():
                self.one()
                nxt += self.interval
                delay = nxt - time.monotonic()
                if delay > 0:
                    self.stop.wait(delay)
                else:
                    nxt = time.monotonic()
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.error = e


def intervals(samples):
    """[(t0, t1, delivered pps, ring:0 occupancy at t1, ring:5 occ, generator
    CPU share, spp_vf worker CPU share, CPU 1 busy share by others)]"""
    nan = float('nan')
    out = []
    for (t0, r0, g0, v0, c0), (t1, r1, g1, v1, c1) in zip(samples, samples[1:]):
        dt = t1 - t0
        if dt <= 0:
            continue
        delivered = sum(r1[r][1] - r0[r][1] for r in RX_RINGS)
        gshare = (g1 - g0) / 1e9 / dt if g0 is not None and g1 is not None else nan
        vshare = (v1 - v0) / 1e9 / dt if v0 is not None and v1 is not None else nan
        tot = c1['cpu1'][0] - c0['cpu1'][0]
        busy1 = 1 - (c1['cpu1'][1] - c0['cpu1'][1]) / tot if tot > 0 else nan
        out.append((t0, t1, delivered / dt, r1[0][3], r1[FWD_RX][3], gshare, vshare,
                    max(0.0, busy1 - vshare) if vshare == vshare else nan))
    return out


def pct(values, p):
    v = sorted(values)
    if not v:
        return float('nan')
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


# --- the run ------------------------------------------------------------------

def run(a, outdir, stamp, res):
    build = Path(a.build)
    bins = {'primary': build / 'src/primary/spp_primary', 'vf': build / 'src/vf/spp_vf',
            'pktgen': build / 'tests/tools/spp_pktgen'}
    for k, b in bins.items():
        if not b.exists():
            raise HarnessError('%s not built (%s)' % (k, b))
    # Copies: a rebuild by someone else during the run cannot mix binaries.
    bindir = outdir / 'bin'
    bindir.mkdir()
    for k in bins:
        dst = bindir / bins[k].name
        shutil.copy2(bins[k], dst)
        bins[k] = dst
    prefix = 'sppreconf%d' % os.getpid()
    procs = Procs(outdir, prefix)
    res.update(prefix=prefix, stamp=stamp, timeouts=[], samples=[])
    busy = cpu_busy()
    res['busy_before'] = busy
    log('CPU busy before start (other tenants): %s'
        % ' '.join('%s=%.0f%%' % kv for kv in busy.items()))
    psrv, ssrv = listener(), listener()
    pconn = vconn = None
    sampler = None
    try:
        argv = [bins['primary'], '--lcores', '0@0', '--no-pci', '--file-prefix', prefix,
                '-m', '256', '--base-virtaddr', BASE_VIRTADDR, '--vdev', 'net_null0,no-rx=1',
                '--', '-p', '0x1', '-n', NB_RINGS, '-s', '127.0.0.1:%d' % psrv.getsockname()[1],
                '--ring-size', RING_SIZE, '--nb-mbufs', NB_MBUFS,
                '--sec-log-dir', outdir / 'seclogs']
        primary = procs.start('spp_primary', argv)
        pconn = Conn(accept(psrv, primary, 'spp_primary'), 'spp_primary')
        # The primary connects once it is ready (SPEC 1.5); check it answers.
        pconn.request('status')
        argv = [bins['vf'], '--lcores', '0@0,1@1', '--no-pci', '--proc-type=secondary',
                '--file-prefix', prefix, '--', '--client-id', '1',
                '-s', '127.0.0.1:%d' % ssrv.getsockname()[1], '--idle-sleep-us', '0']
        vf = procs.start('spp_vf', argv)
        vconn = Conn(accept(ssrv, vf, 'spp_vf'), 'spp_vf')
        reg = vconn.request('_get_client_id')
        if reg.get('results') != SUCCESS['results'] or reg.get('process_type') != 'vf':
            raise HarnessError('bad registration reply %r' % reg)
        plan = Plan(a.fillers, default=not a.no_default)
        setup = plan.setup()
        for c in setup:
            r = vconn.request(c)
            if r != SUCCESS:
                raise HarnessError('set-up command %r -> %r' % (c, r))
        res['setup'] = setup
        # Traffic.
        argv = [bins['pktgen'], '--lcores', '0@0,%d@0' % GEN_LCORE, '--no-pci',
                '--proc-type=secondary', '--file-prefix', prefix,
                '--log-level', 'lib.*:warning', '--']
        for _, mac, vid, ring, _, _ in STREAMS:
            argv += ['--stream', '%d,%s%s' % (ring, mac, '' if vid is None else ',%d' % vid)]
        for r in RX_RINGS:
            argv += ['--rx-ring', r]
        # Without `default`, streams lose frames on purpose and are never
        # whole: the drain then ends by its timeout.
        argv += ['--pps', a.pps, '--drain-timeout-ms', '3000' if a.no_default else '15000',
                 '--quiet-ms', '300']
        report_path = outdir / 'pktgen.json'
        with open(report_path, 'wb') as out:
            gen = procs.start('spp_pktgen', argv, stdout=out)
        sampler = Sampler(pconn, a.interval_ms / 1000.0, gen.pid, vf.pid)
        # Up: frames come out.
        deadline = time.monotonic() + 30
        while True:
            sampler.one()
            if sum(sampler.samples[-1][1][r][1] for r in RX_RINGS) > 1000:
                break
            if gen.poll() is not None:
                raise HarnessError('spp_pktgen exited with %r' % gen.returncode)
            if time.monotonic() > deadline:
                raise HarnessError('no traffic through spp_vf after 30 s')
            time.sleep(0.1)
        (outdir / 'pinning.txt').write_text('process\tpid\ttid\tthread\tcpus\n' + '\n'.join(
            pinning({'spp_primary': primary.pid, 'spp_vf': vf.pid, 'spp_pktgen': gen.pid,
                     'reconfig.py': os.getpid()})) + '\n')
        time.sleep(a.warm)
        sampler.samples.clear()
        res['samples'] = sampler.samples
        sampler.start()
        time.sleep(a.before)
        # The changes.
        lat = []            # (kind, command, seconds, worker timeouts)
        res['lat'] = lat
        t_start = time.monotonic()
        n = 0
        while n < a.changes:
            for kind, cmd in plan.next_cycle():
                if n >= a.changes:
                    break
                t0 = time.perf_counter()
                tries = 0
                while True:
                    r = vconn.request(cmd)
                    if r == SUCCESS:
                        break
                    # SPEC 8.8: the worker did not adopt the plan within
                    # --update-timeout-ms; the change was rolled back, so
                    # it can be sent again. Recorded with the worker's CPU
                    # time around it (a starved CPU 1, or an spp bug).
                    detail = (r.get('results', [{}])[0].get('error_details', {})
                              .get('detail', ''))
                    if 'did not take the new configuration' not in detail or tries >= 4:
                        raise HarnessError('change %d %r -> %r' % (n + 1, cmd, r))
                    tries += 1
                    res['timeouts'].append((n + 1, cmd, time.monotonic(), detail))
                    log('change %d %r: worker timeout (%s); sending it again'
                        % (n + 1, cmd, detail))
                dt = time.perf_counter() - t0
                lat.append((kind, cmd, dt, tries))
                n += 1
            if a.pace_ms:
                time.sleep(a.pace_ms / 1000.0)
        t_end = time.monotonic()
        time.sleep(a.after)
        sampler.stop.set()
        sampler.join(10)
        if sampler.error:
            raise HarnessError('sampling the primary failed: %s' % sampler.error)
        res.update(lat=lat, t_start=t_start, t_end=t_end)
        # Stop generating; spp_pktgen drains and reports.
        gen.send_signal(signal.SIGINT)
        try:
            rc = gen.wait(60)
        except subprocess.TimeoutExpired:
            raise HarnessError('spp_pktgen did not finish draining within 60 s')
        if rc != 0:
            raise HarnessError('spp_pktgen exited %r' % rc)
        res['report'] = json.loads(report_path.read_text())
        # Counters once everything drained.
        res['vf_status'] = vconn.request('status')['info']
        res['pri_status'] = pconn.request('status')
        (outdir / 'vf_status.json').write_text(json.dumps(res['vf_status'], indent=1))
        (outdir / 'pri_status.json').write_text(json.dumps(res['pri_status'], indent=1))
        # Orderly exits: spp_vf, then the primary.
        for conn, p in ((vconn, vf), (pconn, primary)):
            conn.request('exit')
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                log('%s did not exit within 15 s of `exit`' % conn.what)
    finally:
        if sampler is not None and sampler.is_alive():
            sampler.stop.set()
            sampler.join(5)
        for c in (vconn, pconn):
            if c is not None:
                c.close()
        psrv.close()
        ssrv.close()
        res['rcs'] = procs.stop_all()
        procs.cleanup_files()
        shutil.rmtree(bindir, ignore_errors=True)     # env.txt keeps their sha256
    return res


# --- the report -----------------------------------------------------------------

def analyse(res, no_default=False):
    """Checks; returns (problems, per-stream rows, component stats, notes).
    no_default: frames of the classifier's streams may be dropped (no_dest)
    while their entry is absent; then every missing frame must be such a
    drop: sum of lost over those streams == cls's no_dest count."""
    rep = res['report']
    problems = []
    notes = []
    rows = []
    rings = {r['ring']: r for r in rep['rings']}
    may_drop = set()
    for i, (name, mac, vid, ring, allowed, role) in enumerate(STREAMS):
        if no_default and ring == 0:
            may_drop.add(i)
            allowed = tuple(r for r in allowed if r != DEFAULT_RING)
        st = rep['streams'][i]
        reord = sum(rings[r]['streams'][i]['reordered'] for r in rings)
        per_ring = {r: rings[r]['streams'][i]['received'] for r in rings
                    if rings[r]['streams'][i]['received']}
        dup_ring = sum(rings[r]['streams'][i]['dup'] for r in rings)
        wrong = {r: c for r, c in per_ring.items() if r not in allowed}
        rows.append(dict(name=name, mac=mac, vid=vid, ring=ring, role=role, sent=st['sent'],
                         received=st['received'], lost=st['lost'], dup=st['dup'],
                         reordered=reord, per_ring=per_ring, wrong=wrong, dup_ring=dup_ring))
        if st['sent'] == 0:
            problems.append('%s: nothing sent' % name)
        lost = 0 if i in may_drop else st['lost']
        if lost or st['dup'] or reord or dup_ring:
            problems.append('%s: lost %d, dup %d (per ring %d), reordered %d'
                            % (name, st['lost'], st['dup'], dup_ring, reord))
        if wrong:
            problems.append('%s: on rings it must not reach: %r' % (name, wrong))
    for r in rep['rings']:
        if r['foreign']:
            problems.append('ring:%d: %d foreign frames' % (r['ring'], r['foreign']))
    if not rep['drain_complete'] and not may_drop:
        problems.append('spp_pktgen: drain incomplete (frames missing after 15 s)')
    comps = {c['name']: c['stats'] for c in res['vf_status']['core'] if 'name' in c}
    for name, s in comps.items():
        no_dest = s['drops']['no_dest'] if name == 'cls' and may_drop else 0
        if (s['drop_packets'] != no_dest
                or s['rx_packets'] + s['dup_packets'] != s['tx_packets'] + s['drop_packets']):
            problems.append('component %s: %r' % (name, s))
    if may_drop:
        lost = sum(rep['streams'][i]['lost'] for i in may_drop)
        no_dest = comps['cls']['drops']['no_dest']
        if lost != no_dest:
            problems.append('frames missing from the classifier\'s streams: %d, but cls counted '
                            '%d no_dest drops' % (lost, no_dest))
        else:
            notes.append('without `default` (--no-default): %s frames of the classifier\'s '
                         'streams missing = %s no_dest drops counted by cls: every missing '
                         'frame is accounted for' % ('{:,}'.format(lost), '{:,}'.format(no_dest)))
    for r in res['pri_status']['ring_ports']:
        if r['tx_drop']:
            problems.append('ring:%d tx_drop %d' % (r['id'], r['tx_drop']))
    got = {r['ring']: r['received'] for r in rep['rings']}
    for r in res['pri_status']['ring_ports']:
        if r['id'] in got and r['tx'] != got[r['id']]:
            problems.append('ring:%d: spp_vf enqueued %d, spp_pktgen received %d'
                            % (r['id'], r['tx'], got[r['id']]))
    return problems, rows, comps, notes


def fmt_ms(s):
    return '%.3f' % (s * 1000.0)


def mpps(x):
    return '%.2f' % (x / 1e6)


def markdown(a, res, problems, rows, comps, cmdline, notes=()):
    rep = res['report']
    lat = res['lat']
    ivs = intervals(res['samples'])
    ts, te = res['t_start'], res['t_end']
    phase = {'before': [], 'during': [], 'after': []}
    for iv in ivs:
        t0, t1 = iv[0], iv[1]
        if t1 <= ts:
            phase['before'].append(iv)
        elif t0 >= te:
            phase['after'].append(iv)
        else:
            phase['during'].append(iv)
    L = []
    L.append('## Reconfiguration cost (%s)' % res['stamp'])
    L.append('')
    L.append('`%s`: %d changes to spp_vf in %.2f s (%.0f changes/s) under full load, '
             'sequence-numbered traffic; spp_pktgen sent %s frames over %d streams; '
             'classifier table of %d entries. Commit %s.'
             % (cmdline, len(lat), te - ts, len(lat) / max(te - ts, 1e-9),
                '{:,}'.format(rep['sent']), len(STREAMS), len(res['vf_status']['classifier_table']),
                res.get('commit', '?')))
    L.append('')
    if problems:
        verdict = '**TARGET MISSED**: ' + '; '.join(problems)
    elif a.no_default:
        verdict = ('**0 duplicated, 0 reordered; every missing frame is a counted no_dest drop** '
                   '(%s)' % '; '.join(notes))
    else:
        verdict = '**0 lost, 0 duplicated, 0 reordered, 0 dropped** (target met)'
    L.append('Result: %s.' % verdict)
    L.append('')
    busy = res.get('busy_before', {})
    L.append('CPU busy before the run (other tenants, 1 s): %s. Everything but spp_vf\'s '
             'worker (lcore 1, CPU 1) shares CPU 0.'
             % ', '.join('%s %.0f %%' % kv for kv in busy.items()))
    L.append('')
    # Streams.
    L.append('| stream | dst (VLAN) | path | sent | received | lost | dup | reordered | '
             'received per ring |')
    L.append('|---|---|---|---|---|---|---|---|---|')
    for r in rows:
        role = r['role']
        if a.no_default and r['ring'] == 0:
            role = ('no entry: always dropped (no_dest)' if r['name'] == 's3'
                    else role + '; no_dest while absent')
        L.append('| %s | %s%s | %s | %s | %s | %s | %s | %s | %s |'
                 % (r['name'], r['mac'], ' (%d)' % r['vid'] if r['vid'] else '', role,
                    '{:,}'.format(r['sent']), '{:,}'.format(r['received']),
                    '{:,}'.format(r['lost']), '{:,}'.format(r['dup']),
                    '{:,}'.format(r['reordered']),
                    ', '.join('ring:%d %s' % (k, '{:,}'.format(v))
                              for k, v in sorted(r['per_ring'].items())) or '-'))
    L.append('')
    L.append('spp_vf components after the drain: ' + '; '.join(
        '%s rx %s tx %s drop %s (%s)' % (n, '{:,}'.format(s['rx_packets']),
                                         '{:,}'.format(s['tx_packets']),
                                         '{:,}'.format(s['drop_packets']),
                                         ', '.join('%s %d' % kv for kv in s['drops'].items()
                                                   if kv[1]) or 'no reason')
        for n, s in comps.items()) + '. Ring tx_drop (all rings): %d.' % sum(
        r['tx_drop'] for r in res['pri_status']['ring_ports']))
    L.append('')
    # Latency.
    L.append('| change | count | median ms | p99 ms | max ms | worker timeouts |')
    L.append('|---|---|---|---|---|---|')
    for k in KINDS + ('all',):
        sel = [x for x in lat if k == 'all' or x[0] == k]
        if not sel:
            continue
        v = [x[2] for x in sel]
        L.append('| %s | %d | %s | %s | %s | %d |'
                 % (k if k != 'all' else '**all**', len(v), fmt_ms(statistics.median(v)),
                    fmt_ms(pct(v, 99)), fmt_ms(max(v)), sum(x[3] for x in sel)))
    L.append('')
    L.append('Latency = from sending the command to reading spp_vf\'s success reply on the '
             'control connection (validation, plan build, the worker adopting it, SPEC 8.8).')
    if res['timeouts']:
        L.append('Worker timeouts: spp_vf answered `error occur` ("worker lcore 1 did not take the '
                 'new configuration in 1000 ms", SPEC 8.8: rolled back) %d times; each command '
                 'was sent again and its latency counts from the first attempt. spp_vf\'s worker '
                 'had %s of CPU 1 in the 1.2 s before each (timeouts.tsv).'
                 % (len(res['timeouts']), ', '.join(worker_share_before(res, t)
                                                     for _, _, t, _ in res['timeouts'])))
    L.append('')
    # Throughput.
    L.append('| phase | %d ms intervals | median Mpps | min Mpps | max Mpps | ring:0 max backlog '
             '| ring:5 max backlog | generator CPU share | spp_vf worker CPU share | '
             'CPU 1 taken by others |' % a.interval_ms)
    L.append('|---|---|---|---|---|---|---|---|---|---|')

    def share(v, k):
        x = [iv[k] for iv in v if iv[k] == iv[k]]
        return '%.0f %%' % (100 * statistics.median(x)) if x else '-'
    for ph in ('before', 'during', 'after'):
        v = phase[ph]
        if not v:
            L.append('| %s | 0 | - | - | - | - | - | - | - | - |' % ph)
            continue
        rates = [x[2] for x in v]
        L.append('| %s | %d | %s | %s | %s | %d | %d | %s | %s | %s |'
                 % (ph, len(v), mpps(statistics.median(rates)), mpps(min(rates)),
                    mpps(max(rates)), max(x[3] for x in v), max(x[4] for x in v),
                    share(v, 5), share(v, 6), share(v, 7)))
    L.append('')
    L.append('CPU shares are medians over the intervals of the phase (thread CPU time / wall '
             'time; /proc/stat for CPU 1).')
    L.append('')
    if len(phase['during']) < 5:
        L.append('The changes took %.2f s, fewer than 5 intervals: the "during" figures are '
                 'diluted by the time around them; --interval-ms 20 or --pace-ms 10 spread '
                 'the measurement.' % (te - ts))
        L.append('')
    if phase['before'] and phase['during']:
        med_b = statistics.median(x[2] for x in phase['before'])
        min_d = min(x[2] for x in phase['during'])
        med_d = statistics.median(x[2] for x in phase['during'])
        L.append('Throughput dip: the lowest interval during the changes, %s Mpps, is %.1f %% '
                 'below the median before (%s Mpps); the median during is %s Mpps (%+.1f %%), '
                 'after %s Mpps (%+.1f %%).'
                 % (mpps(min_d), 100 * (1 - min_d / med_b), mpps(med_b), mpps(med_d),
                    100 * (med_d / med_b - 1),
                    mpps(statistics.median(x[2] for x in phase['after'])) if phase['after']
                    else '-',
                    100 * (statistics.median(x[2] for x in phase['after']) / med_b - 1)
                    if phase['after'] else float('nan')))
        L.append('')
    L.append('Rate = frames spp_vf enqueued to ring:1-4, 6, 7 per interval (the primary\'s shared '
             'ring totals, read with `status` on the primary\'s control connection); an '
             'interval overlapping the change period counts as "during". "Full load" is what '
             'one spp_pktgen lcore on CPU 0 generates and checks (no rate limit). A ring:0 '
             'backlog near the pool size (%d mbufs) means spp_vf\'s worker did not keep up; a '
             'small one that the generator was the limit.' % NB_MBUFS)
    L.append('')
    worker = [iv[6] for iv in ivs if iv[6] == iv[6]]
    quiet = all(v <= 5 for v in busy.values())
    if worker and statistics.median(worker) < 0.97 or not quiet:
        L.append('**Disturbed run**: the machine was not idle (CPU busy before the start: %s; '
                 'spp_vf\'s busy-polling worker had a median %.0f %% of CPU 1). Rates, the dip '
                 'and the latencies measure the sharing of the CPUs with other tenants as much '
                 'as spp; the loss / duplicate / reorder counts hold regardless.'
                 % (', '.join('%s %.0f %%' % kv for kv in busy.items()),
                    100 * statistics.median(worker) if worker else float('nan')))
        L.append('')
    return '\n'.join(L) + '\n'


DOC_HEAD = """# Performance: reconfiguration cost

Issue 8: 1,000 configuration changes (classifier entries and port moves)
applied to spp_vf under full load with sequence-numbered traffic; packets
lost, duplicated and reordered (target 0, 0, 0) and the throughput dip.

```sh
sudo bench/reconfig.sh                 # 1,000 changes, ~1 min
sudo bench/reconfig.sh --changes 5000 --pace-ms 5   # other mixes: -h
```

## Method

{method}

## Results

"""


def method_text():
    doc = __doc__.split('Processes (each', 1)[1].split('Output:', 1)[0]
    return '```\nProcesses (each' + doc.rstrip() + '\n```'


def git(*args):
    try:
        return subprocess.run(['git', '-C', str(REPO)] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True).stdout.rstrip()
    except OSError:
        return ''


def write_env(outdir, a):
    """env.txt: commit, uncommitted changes, binaries, machine."""
    lines = ['date: ' + time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime()),
             'commit: ' + git('rev-parse', 'HEAD'),
             'uncommitted (src, tests/tools):',
             git('status', '--short', '--untracked-files=no', '--', 'src', 'tests/tools'),
             'build: ' + a.build]
    for b in ('src/primary/spp_primary', 'src/vf/spp_vf', 'tests/tools/spp_pktgen'):
        try:
            out = subprocess.run(['sha256sum', str(Path(a.build) / b)], stdout=subprocess.PIPE,
                                 text=True).stdout.strip()
        except OSError:
            out = '?'
        lines.append('sha256: ' + out)
    lines.append('kernel: ' + os.uname().release)
    try:
        lines += [ln for ln in Path('/proc/cpuinfo').read_text().splitlines()
                  if ln.startswith('model name')][:1]
    except OSError:
        pass
    lines.append('args: %r' % vars(a))
    (outdir / 'env.txt').write_text('\n'.join(lines) + '\n')


def write_tsvs(outdir, res):
    """changes.tsv (every change and its latency), samples.tsv (intervals),
    timeouts.tsv; also after a failure, as far as the run got."""
    with open(outdir / 'changes.tsv', 'w') as f:
        f.write('n\tkind\tms\tworker_timeouts\tcommand\n')
        for i, (k, c, dt, tries) in enumerate(res.get('lat', [])):
            f.write('%d\t%s\t%.3f\t%d\t%s\n' % (i + 1, k, dt * 1000, tries, c))
    ts, te = res.get('t_start', float('inf')), res.get('t_end', float('inf'))
    with open(outdir / 'samples.tsv', 'w') as f:
        f.write('t0\tt1\tdelivered_pps\tring0_backlog\tring5_backlog\tgen_cpu_share\t'
                'vf_worker_cpu_share\tcpu1_others\tphase\n')
        for iv in intervals(res.get('samples', [])):
            ph = 'before' if iv[1] <= ts else 'after' if iv[0] >= te else 'during'
            f.write('%.4f\t%.4f\t%.0f\t%d\t%d\t%.3f\t%.3f\t%.3f\t%s\n' % (iv + (ph,)))
    if res.get('timeouts'):
        with open(outdir / 'timeouts.tsv', 'w') as f:
            f.write('n\tt\tworker_cpu_share_last_1.2s\tcommand\tdetail\n')
            for n, cmd, t, detail in res['timeouts']:
                f.write('%d\t%.4f\t%s\t%s\t%s\n' % (n, t, worker_share_before(res, t), cmd,
                                                    detail))


def worker_share_before(res, t, span=1.2):
    """spp_vf's worker CPU share over the intervals within span s before t."""
    v = [iv[6] for iv in intervals(res.get('samples', []))
         if iv[1] <= t + 0.1 and iv[0] >= t - span and iv[6] == iv[6]]
    return '%.0f %%' % (100 * sum(v) / len(v)) if v else '?'


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--build', default=os.environ.get('SPP_BUILD', str(REPO / 'build')))
    ap.add_argument('--changes', type=int, default=1000)
    ap.add_argument('--warm', type=float, default=3.0, help='s of traffic before sampling')
    ap.add_argument('--before', type=float, default=15.0, help='s sampled before the changes')
    ap.add_argument('--after', type=float, default=15.0, help='s sampled after the changes')
    ap.add_argument('--interval-ms', type=int, default=100)
    ap.add_argument('--fillers', type=int, default=64,
                    help='filler entries loaded before the traffic, 0..4090 (the table '
                    'holds 4,096: 5 entries of the streams, the fillers and the one being added)')
    ap.add_argument('--pace-ms', type=float, default=0.0,
                    help='pause after each cycle of 10 changes (default: none, back to back)')
    ap.add_argument('--pps', type=int, default=10 ** 9,
                    help='spp_pktgen --pps (default 10^9: unlimited)')
    ap.add_argument('--no-default', action='store_true',
                    help='no `default` entry: while an entry is absent (moves, tx port '
                    'detached) its frames are dropped (no_dest), and s3 always is; the check '
                    'becomes: frames missing from the classifier\'s streams == cls no_dest '
                    'drops, nothing else missing, duplicated or reordered')
    ap.add_argument('--out', default=str(HERE / 'results'))
    ap.add_argument('--doc', help='also write the section to this file, after a method header')
    ap.add_argument('--cmdline', default='bench/reconfig.py', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if not 0 <= a.fillers <= 4090 or a.changes < 1:
        ap.error('--fillers must be 0..4090 and --changes >= 1')
    if os.geteuid() != 0:
        log('needs root (hugepages)')
        return 2
    stamp = time.strftime('%Y%m%d-%H%M%S', time.gmtime())
    out = Path(a.out)
    outdir = out / ('reconfig-' + stamp)
    outdir.mkdir(parents=True)
    # This script, its threads and its children on CPU 0: the DPDK processes
    # pin their lcores themselves (--lcores, spp_vf's worker to CPU 1), and
    # EAL puts its control threads (interrupts, multi-process, telemetry) on
    # the start-up affinity minus the lcores' CPUs, or else with the main
    # lcore: CPU 0 either way.
    os.sched_setaffinity(0, {0})
    res = {}
    write_env(outdir, a)
    try:
        run(a, outdir, stamp, res)
    except HarnessError as e:
        log('FAILED: %s (logs in %s)' % (e, outdir))
        write_tsvs(outdir, res)
        for f in sorted(outdir.glob('*.log')):
            tail = f.read_text(errors='replace').splitlines()[-15:]
            log('--- %s\n%s' % (f.name, '\n'.join(tail)))
        return 2
    res['commit'] = git('rev-parse', '--short', 'HEAD') or '?'
    dirty = git('status', '--short', '--untracked-files=no', '--', 'src', 'tests/tools')
    if dirty:
        res['commit'] += ' + uncommitted changes to %s' % ', '.join(
            '`%s`' % ln.split(None, 1)[1] for ln in dirty.splitlines())
    write_tsvs(outdir, res)
    (outdir / 'setup.txt').write_text('\n'.join(res['setup']) + '\n')
    problems, rows, comps, notes = analyse(res, a.no_default)
    md = markdown(a, res, problems, rows, comps, a.cmdline, notes)
    bad_rc = {k: v for k, v in res['rcs'].items() if v != 0}
    if bad_rc:
        md += '\nExit codes other than 0: %r (see the logs in %s).\n' % (bad_rc, outdir)
    (out / ('reconfig-%s.md' % stamp)).write_text(md)
    print(md)
    if a.doc:
        Path(a.doc).write_text(DOC_HEAD.format(method=method_text()) + md.replace(
            '## Reconfiguration cost', '### Run', 1))
        log('wrote %s' % a.doc)
    log('results: %s and %s/' % (out / ('reconfig-%s.md' % stamp), outdir))
    if problems:
        return 1
    return 2 if bad_rc else 0


if __name__ == '__main__':
    sys.exit(main())
