"""Fixtures for spp system tests: processes, ports, pcaps and waiting.

Every DPDK process runs with --no-pci, a per-test --file-prefix and small
memory, its lcores pinned onto the machine's CPUs; processes are stopped by
PID only (the `exit` command first, then SIGTERM, then SIGKILL), and the
test fails if one crashed or exited with an unexpected code. Hugepage files
and the runtime directory of the prefix are removed afterwards.

Nothing here decides by timing: waits poll a condition (status counters,
pcap contents, registrations) up to a generous timeout.
"""

import contextlib
import itertools
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sppctl import SppCtl  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get('SPP_BUILD', REPO / 'build'))
PRIMARY_BIN = BUILD / 'src' / 'primary' / 'spp_primary'
VF_BIN = BUILD / 'src' / 'vf' / 'spp_vf'
MIRROR_BIN = BUILD / 'src' / 'mirror' / 'spp_mirror'
PKTGEN_BIN = BUILD / 'tests' / 'tools' / 'spp_pktgen'

# Short paths: net_pcap devargs must stay under 63 characters, since a
# secondary gets them through a fixed-size name field.
SHORT_ROOT = Path('/tmp/sppt')

WAIT = 30.0            # generous default for every condition wait
BASE_VIRTADDR = '0x200000000000'   # see Spp.start_primary
STOP_WAIT = 15.0       # per stop stage (exit, SIGTERM)

_counter = itertools.count()

SUCCESS = {'results': [{'result': 'success'}]}


def error_reply(message):
    return {'results': [{'result': 'error', 'error_details': {'message': message}}]}


def assert_error(reply, message):
    """reply is the error envelope of SPEC §5.8 with `message`, keys in
    order; error_details may add a string `detail` after it (§5.7 [EXT])."""
    assert list(reply) == ['results'], reply
    res = reply['results']
    assert len(res) == 1 and list(res[0]) == ['result', 'error_details'], reply
    assert res[0]['result'] == 'error', reply
    details = res[0]['error_details']
    assert list(details) in (['message'], ['message', 'detail']), reply
    assert details['message'] == message, reply
    assert isinstance(details.get('detail', ''), str), reply


# --- generic helpers -----------------------------------------------------

def wait_for(cond, timeout=WAIT, interval=0.02, msg=None):
    """Polls cond() until it returns a truthy value, which is returned.
    Fails the test after timeout seconds with msg (or the last value)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = cond()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError('timed out after %.0f s waiting for %s (last: %r)'
                                 % (timeout, msg or getattr(cond, '__name__', 'condition'),
                                    last))
        time.sleep(interval)


def ordered(value):
    """JSON value -> nested tuples keeping key order, for order-sensitive
    comparison (SPEC §5.8: key order is part of the contract)."""
    if isinstance(value, dict):
        return ('{}', tuple((k, ordered(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ('[]', tuple(ordered(v) for v in value))
    return (type(value).__name__, value)


def assert_same_json(a, b):
    assert a == b
    assert ordered(a) == ordered(b), 'same values, different key order'


def write_pcap(path, packets):
    """Writes packets (scapy packets or bytes) as a classic pcap file."""
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(packets):
            data = bytes(p)
            f.write(struct.pack('<IIII', 1, i, len(data), len(data)))
            f.write(data)


def read_pcap(path):
    """Returns the frames of a pcap file as a list of bytes. A record still
    being written (incomplete) is not returned."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    if len(data) < 24:
        return []
    magic = struct.unpack('<I', data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        endian = '<'
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        endian = '>'
    else:
        raise AssertionError('%s is not a pcap file' % path)
    off = 24
    frames = []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        if off + 16 + incl > len(data):
            break
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return frames


def _tail(path, n=40):
    try:
        lines = Path(path).read_text(errors='replace').splitlines()
    except OSError:
        return '(no log)'
    return '\n'.join(lines[-n:])


def _short_dir():
    SHORT_ROOT.mkdir(exist_ok=True)
    for k in itertools.count():
        d = SHORT_ROOT / str(k)
        try:
            d.mkdir()
            return d
        except FileExistsError:
            continue


# --- processes -----------------------------------------------------------

class Proc:
    """A started process; `expect_rc` is the exit code teardown requires
    (None: any; tests that SIGKILL a process set it to -9)."""

    def __init__(self, name, argv, log, expect_rc=0, stdout=None):
        self.name = name
        self.argv = [str(a) for a in argv]
        self.log = log
        self.expect_rc = expect_rc
        self._logf = open(log, 'wb')
        self.popen = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                      stdout=stdout if stdout is not None else self._logf,
                                      stderr=self._logf, start_new_session=True)
        self.pid = self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def wait(self, timeout):
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def signal(self, sig):
        if self.alive():
            os.kill(self.pid, sig)

    def kill9(self):
        """SIGKILL on purpose: teardown then expects -9."""
        self.expect_rc = -signal.SIGKILL
        self.signal(signal.SIGKILL)
        self.popen.wait(STOP_WAIT)

    def stop(self):
        """SIGTERM, then SIGKILL; returns the exit code and a note on how
        it had to be stopped."""
        note = ''
        if self.alive():
            self.signal(signal.SIGTERM)
            if self.wait(STOP_WAIT) is None:
                note = 'did not exit on SIGTERM within %.0f s; SIGKILLed' % STOP_WAIT
                self.signal(signal.SIGKILL)
                self.popen.wait(STOP_WAIT)
        self._logf.close()
        return self.popen.returncode, note

    def check_exit(self):
        """Describes an unexpected exit code, or returns None."""
        rc = self.popen.returncode
        if self.expect_rc is None or rc == self.expect_rc:
            return None
        how = 'killed by signal %d' % -rc if rc < 0 else 'exit code %d' % rc
        return ('%s (pid %d) %s, expected %s; log %s:\n%s'
                % (self.name, self.pid, how, self.expect_rc, self.log, _tail(self.log)))


class Port:
    """A phy port of the primary: `index` is its phy:N number."""

    def __init__(self, vdev, kind):
        self.vdev = vdev
        self.kind = kind
        self.index = None
        self.uid = None
        self.rx_path = None
        self.tx_path = None

    def sent(self):
        """Frames the data plane transmitted to this port (net_pcap)."""
        return read_pcap(self.tx_path)


class Vf:
    """A running spp_vf (or spp_mirror: same command protocol) with its
    control connection."""

    def __init__(self, env, proc, client_id, workers, main_lcore):
        self.env = env
        self.proc = proc
        self.client_id = client_id
        self.workers = workers
        self.main_lcore = main_lcore
        self.conn = None

    def cmd(self, command, timeout=15.0):
        return self.env.ctl.send(self.conn, command, timeout)

    def ok(self, *commands):
        for c in commands:
            reply = self.cmd(c)
            assert reply == SUCCESS, '%r -> %r' % (c, reply)
            assert ordered(reply) == ordered(SUCCESS)

    def error(self, command):
        """Sends a command expected to fail; returns error_details.message
        after checking the envelope (SPEC §5.8)."""
        reply = self.cmd(command)
        msg = reply.get('results', [{}])[0].get('error_details', {}).get('message')
        assert_error(reply, msg)
        return msg

    def status(self):
        reply = self.cmd('status')
        assert reply['results'] == [{'result': 'success'}], reply
        return reply['info']

    def component(self, name):
        for c in self.status()['core']:
            if c.get('name') == name:
                return c
        raise AssertionError('component %s not in status' % name)

    def stats(self, name):
        return self.component(name)['stats']

    def port_stats(self, uid):
        for p in self.status()['port_stats']:
            if p['port'] == uid:
                return p
        return None

    def wait_rx(self, name, count, timeout=WAIT):
        """Waits until component `name` received `count` packets and is
        idle (SPEC §9.1 identity); returns its stats. Fails if it received
        more than count."""
        def done():
            st = self.stats(name)
            assert st['rx_packets'] <= count, 'received more than sent: %r' % st
            if (st['rx_packets'] == count and
                    st['rx_packets'] + st['dup_packets'] ==
                    st['tx_packets'] + st['drop_packets']):
                return st
            return None
        return wait_for(done, timeout, msg='%s to receive %d packets' % (name, count))

    def wait_stats(self, name, timeout=WAIT, **expected):
        """Waits until component `name`'s stats hold the SPEC §9.1 identity
        and every field given (nested for `drops`); returns that snapshot.
        Counters are stored one by one by the worker, so a single status
        may catch it between two stores: never assert on a snapshot taken
        before the values were waited for."""
        def match():
            st = self.stats(name)
            if st['rx_packets'] + st['dup_packets'] != st['tx_packets'] + st['drop_packets']:
                return None
            if sum(st['drops'].values()) != st['drop_packets']:
                return None
            for k, v in expected.items():
                if isinstance(v, dict):
                    if any(st[k][kk] != vv for kk, vv in v.items()):
                        return None
                elif st[k] != v:
                    return None
            return st
        return wait_for(match, timeout, msg='%s stats %r' % (name, expected))

    def wait_port_stats(self, uid, timeout=WAIT, **expected):
        def match():
            ps = self.port_stats(uid)
            return ps if ps and all(ps[k] == v for k, v in expected.items()) else None
        return wait_for(match, timeout, msg='%s port_stats %r' % (uid, expected))

    def exit(self):
        """`exit` command: success reply, then the process ends with 0."""
        reply = self.cmd('exit')
        assert reply == SUCCESS, reply
        rc = self.proc.wait(STOP_WAIT)
        assert rc == 0, '%s exit code %r after exit' % (self.proc.name, rc)


class Spp:
    """One test's processes: a controller, a primary, secondaries."""

    def __init__(self, tmp_path, ctl_factory=None):
        """ctl_factory: returns the controller the processes connect to
        (default: the in-test SppCtl; ctlproc.CtlAdapter for a real
        spp-ctl)."""
        for b in (PRIMARY_BIN, VF_BIN):
            if not b.exists():
                pytest.skip('%s not built (meson setup build && ninja -C build)' % b)
        self.tmp = tmp_path
        self.dir = _short_dir()
        self.prefix = 'spp%dx%d' % (os.getpid(), next(_counter))
        self.ctl = ctl_factory() if ctl_factory is not None else SppCtl()
        self.primary = None
        self.ports = []
        self.vfs = []
        self.others = []
        self._nports = 0

    # ports -------------------------------------------------------------

    def pcap(self, rx=()):
        """A net_pcap port reading `rx` (packets) and writing what it is
        sent to a file (read with .sent())."""
        i = self._nports
        self._nports += 1
        port = Port(None, 'pcap')
        port.rx_path = self.dir / ('i%d' % i)
        port.tx_path = self.dir / ('o%d' % i)
        write_pcap(port.rx_path, rx)
        port.vdev = 'net_pcap%d,rx_pcap=%s,tx_pcap=%s' % (i, port.rx_path, port.tx_path)
        assert len(port.vdev) < 63, 'devargs too long for a secondary: ' + port.vdev
        return port

    def null(self, rx=False):
        """A net_null port: tx discards; rx yields nothing unless rx=True
        (then an endless stream of empty frames)."""
        i = self._nports
        self._nports += 1
        return Port('net_null%d' % i if rx else 'net_null%d,no-rx=1' % i, 'null')

    def ring_port(self):
        i = self._nports
        self._nports += 1
        return Port('net_ring%d' % i, 'ring')

    def tap(self, iface):
        i = self._nports
        self._nports += 1
        port = Port('net_tap%d,iface=%s' % (i, iface), 'tap')
        port.iface = iface
        return port

    # processes ---------------------------------------------------------

    def start_primary(self, ports, rings=8, ring_size=None, nb_mbufs=None,
                      lcores='0@0', extra=(), eal=()):
        """extra: application options; eal: more EAL options."""
        assert ports, 'spp_primary needs at least one phy port (-p)'
        # A fixed base address far from where shared libraries and (under
        # AddressSanitizer) the shadow memory go, so that every secondary can
        # map the primary's hugepage memory at the same address.
        argv = [PRIMARY_BIN, '--lcores', lcores, '--no-pci', '--file-prefix', self.prefix,
                '-m', '256', '--base-virtaddr', BASE_VIRTADDR] + list(eal)
        for i, p in enumerate(ports):
            p.index = i
            p.uid = 'phy:%d' % i
            argv += ['--vdev', p.vdev]
        argv += ['--', '-p', hex((1 << len(ports)) - 1), '-n', str(rings),
                 '-s', '127.0.0.1:%d' % self.ctl.primary_port]
        if ring_size:
            argv += ['--ring-size', str(ring_size)]
        if nb_mbufs:
            argv += ['--nb-mbufs', str(nb_mbufs)]
        argv += list(extra)
        if '--sec-log-dir' not in extra:
            # `launch` must never write to the host's /var/log/spp.
            argv += ['--sec-log-dir', self.tmp / 'seclogs']
        self.ports = list(ports)
        self.primary = Proc('spp_primary', argv, self.tmp / 'primary.log')
        self._wait_connected(self.primary, lambda t: self.ctl.wait_primary(t))
        return self.primary

    def pri(self, command):
        return self.ctl.send('primary', command)

    def pri_status(self):
        return self.pri('status')

    def start_vf(self, client_id, workers=(1, 2, 3), main_lcore=0, idle_sleep_us=50,
                 extra=()):
        return self._start_secondary(VF_BIN, 'spp_vf', 'vf', client_id, workers, main_lcore,
                                     idle_sleep_us, extra)

    def start_mirror(self, client_id, workers=(4, 5), main_lcore=0, idle_sleep_us=50,
                     copy_mode=None, pool_size=None, extra=()):
        """An spp_mirror (SPEC §2.2); copy_mode / pool_size give
        --copy-mode / --mirror-pool-size. Its worker lcore ids must differ
        from every other process's (SPEC §3.4)."""
        if not MIRROR_BIN.exists():
            pytest.skip('%s not built (meson setup build && ninja -C build)' % MIRROR_BIN)
        opts = []
        if copy_mode is not None:
            opts += ['--copy-mode', copy_mode]
        if pool_size is not None:
            opts += ['--mirror-pool-size', str(pool_size)]
        return self._start_secondary(MIRROR_BIN, 'spp_mirror', 'mirror', client_id, workers,
                                     main_lcore, idle_sleep_us, opts + list(extra))

    def _start_secondary(self, binary, name, log, client_id, workers, main_lcore,
                         idle_sleep_us, extra):
        assert self.primary is not None
        lc = ['%d@0' % main_lcore] + ['%d@1' % w for w in workers]
        argv = [binary, '--lcores', ','.join(lc), '--no-pci', '--proc-type=secondary',
                '--file-prefix', self.prefix, '--',
                '--client-id', str(client_id),
                '-s', '127.0.0.1:%d' % self.ctl.secondary_port,
                '--idle-sleep-us', str(idle_sleep_us)] + list(extra)
        proc = Proc('%s %d' % (name, client_id), argv,
                    self.tmp / ('%s%d-%d.log' % (log, client_id, len(self.vfs))))
        vf = Vf(self, proc, client_id, list(workers), main_lcore)
        self.vfs.append(vf)
        previous = self.ctl.secondary(client_id)
        vf.conn = self._wait_connected(
            proc, lambda t: self.ctl.wait_secondary(client_id, t, previous=previous))
        return vf

    def start_pktgen(self, streams, rx_rings, pps=20000, count=0, duration_ms=0,
                     lcore=9, size=60, drain_timeout_ms=10000, quiet_ms=200):
        """streams: list of (ring, dst_mac[, vid]). Returns a Proc whose
        report() waits for the end and returns the parsed JSON report."""
        if not PKTGEN_BIN.exists():
            pytest.skip('%s not built' % PKTGEN_BIN)
        argv = [PKTGEN_BIN, '--lcores', '0@0,%d@0' % lcore, '--no-pci',
                '--proc-type=secondary', '--file-prefix', self.prefix,
                '--log-level', 'lib.*:warning', '--']
        for s in streams:
            argv += ['--stream', ','.join(str(x) for x in s)]
        for r in rx_rings:
            argv += ['--rx-ring', str(r)]
        argv += ['--pps', str(pps), '--count', str(count), '--duration-ms', str(duration_ms),
                 '--size', str(size), '--drain-timeout-ms', str(drain_timeout_ms),
                 '--quiet-ms', str(quiet_ms)]
        n = len(self.others)
        out = open(self.tmp / ('pktgen%d.json' % n), 'wb')
        proc = Proc('spp_pktgen', argv, self.tmp / ('pktgen%d.log' % n), stdout=out)
        out.close()
        proc.report_path = self.tmp / ('pktgen%d.json' % n)

        def report(timeout=120.0):
            rc = proc.wait(timeout)
            assert rc == 0, 'spp_pktgen exit %r; log:\n%s' % (rc, _tail(proc.log))
            return json.loads(proc.report_path.read_text())

        def stop_generating():
            proc.signal(signal.SIGINT)

        proc.report = report
        proc.stop_generating = stop_generating
        self.others.append(proc)
        return proc

    def pool_stats(self):
        """{"in_use", "avail", "size"} of MProc_pktmbuf_pool, read by a
        short-lived spp_pktgen --pool-stats (a secondary on main lcore 0,
        which allocates nothing)."""
        if not PKTGEN_BIN.exists():
            pytest.skip('%s not built' % PKTGEN_BIN)
        argv = [str(PKTGEN_BIN), '--lcores', '0@0', '--no-pci', '--proc-type=secondary',
                '--file-prefix', self.prefix, '--log-level', 'lib.*:warning', '--',
                '--pool-stats']
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        assert r.returncode == 0, r.stderr.decode(errors='replace')[-2000:]
        return json.loads(r.stdout)

    def _wait_connected(self, proc, waiter):
        deadline = time.monotonic() + WAIT
        while True:
            try:
                return waiter(0.2)
            except TimeoutError:
                pass
            if not proc.alive():
                raise AssertionError('%s exited with %r before connecting; log:\n%s'
                                     % (proc.name, proc.popen.returncode, _tail(proc.log)))
            if time.monotonic() > deadline:
                raise AssertionError('%s did not connect within %.0f s; log:\n%s'
                                     % (proc.name, WAIT, _tail(proc.log)))

    # teardown ----------------------------------------------------------

    def teardown(self):
        problems = []
        for vf in reversed(self.vfs):
            p = vf.proc
            if p.alive() and vf.conn is not None and not vf.conn.closed:
                try:
                    reply = vf.cmd('exit', timeout=STOP_WAIT)
                    if reply != SUCCESS:
                        problems.append('%s: exit replied %r' % (p.name, reply))
                except Exception as e:  # noqa: BLE001
                    problems.append('%s: exit command failed: %s' % (p.name, e))
                p.wait(STOP_WAIT)
            rc, note = p.stop()
            if note:
                problems.append('%s %s' % (p.name, note))
        for p in self.others:
            if p.alive():
                p.signal(signal.SIGINT)
                p.wait(STOP_WAIT)
            p.stop()
        if self.primary is not None:
            p = self.primary
            if p.alive() and self.ctl.primary() is not None:
                try:
                    reply = self.pri('exit')
                    if reply != {'result': 'succeeded', 'command': 'exit'}:
                        problems.append('primary: exit replied %r' % (reply,))
                except Exception as e:  # noqa: BLE001
                    problems.append('primary: exit command failed: %s' % e)
                p.wait(STOP_WAIT)
            rc, note = p.stop()
            if note:
                problems.append('spp_primary ' + note)
        for p in [vf.proc for vf in self.vfs] + self.others + (
                [self.primary] if self.primary else []):
            bad = p.check_exit()
            if bad:
                problems.append(bad)
        problems += ['controller: ' + e for e in self.ctl.errors]
        self.ctl.close()
        for f in Path('/dev/hugepages').glob(self.prefix + 'map_*'):
            f.unlink(missing_ok=True)
        shutil.rmtree('/var/run/dpdk/' + self.prefix, ignore_errors=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        return problems


def _hugepages_ok():
    try:
        mounts = Path('/proc/mounts').read_text()
        meminfo = Path('/proc/meminfo').read_text()
    except OSError:
        return False
    free = 0
    for line in meminfo.splitlines():
        if line.startswith('HugePages_Free:'):
            free = int(line.split()[1])
    return 'hugetlbfs' in mounts and free >= 200


@contextlib.contextmanager
def spp_env(tmp_path, ctl_factory=None):
    """Context manager behind the fixtures: yields an Spp, then stops and
    checks everything and fails if a process misbehaved. ctl_factory: see
    Spp."""
    if os.geteuid() != 0:
        pytest.skip('system tests need root (hugepages, net_tap)')
    if not _hugepages_ok():
        pytest.skip('no free 2 MB hugepages mounted (echo 1024 > /proc/sys/vm/nr_hugepages; '
                    'mount -t hugetlbfs nodev /dev/hugepages)')
    env = Spp(tmp_path, ctl_factory)
    try:
        yield env
    except BaseException:
        # The test's own failure comes first; process problems are printed
        # (captured into the report) rather than masking it.
        problems = env.teardown()
        if problems:
            print('teardown problems:\n' + '\n'.join(problems))
        raise
    problems = env.teardown()
    if problems:
        pytest.fail('teardown:\n' + '\n'.join(problems), pytrace=False)


@pytest.fixture
def spp(tmp_path):
    """The test's spp processes; everything is stopped and checked after."""
    with spp_env(tmp_path) as env:
        yield env


# --- no silent skips ----------------------------------------------------

def pytest_sessionfinish(session, exitstatus):
    """With SPP_FAIL_ON_SKIP=1 (scripts/test.sh sets it) a skipped test
    fails the run: on a machine set up by scripts/setup.sh every test can
    run, so a skip means a missing package or binary, not a pass."""
    if os.environ.get('SPP_FAIL_ON_SKIP') != '1' or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin('terminalreporter')
    skipped = reporter.stats.get('skipped', []) if reporter is not None else []
    if skipped:
        reporter.write_line('%d test(s) skipped with SPP_FAIL_ON_SKIP=1: failing the run'
                            % len(skipped), red=True)
        session.exitstatus = 1
