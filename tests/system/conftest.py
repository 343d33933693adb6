"""Fixtures for spp system tests: processes, ports, pcaps and waiting.

Every DPDK process runs with --no-pci, a per-test --file-prefix and small
memory, its lcores pinned onto the machine's CPUs; processes are stopped by
PID only (the `exit` command first, then SIGTERM, then SIGKILL), and the
test fails if one crashed or exited with an unexpected code. Hugepage files
and the runtime directory of the prefix are removed afterwards.

Nothing here decides by timing: waits poll a condition (status counters,
pcap contents, registrations) up to a generous timeout.

Every test that uses `Spp` (the `spp` fixture, spp_env, ctlproc.ctl_env) is
also checked by the teardown oracles (docs/reliability.md, "Oracles"):

* conservation: every component of every live secondary, once its counters
  are stable, has rx + dup = tx + drop and its named drop reasons sum to
  drop; every ring only spp processes touched has enqueued = dequeued +
  occupancy (the primary's shared totals);
* mbufs: after the secondaries exited, MProc_pktmbuf_pool's in-use count is
  the baseline taken when the primary came up, and the mirror pools' is 0,
  unless rings hold mbufs (then at most what they hold);
* log: no error/warning line (DPDK level WARNING or worse, spp-ctl
  `warning:`/`error:`) other than those the test expects;
* processes: alive until teardown, or exited with the expected code;
* cores: no new core file.

A test that provokes error lines on purpose declares them with
`@pytest.mark.expect_log(r'regex', ...)` or `env.expect_log(r'regex')`; a
test that breaks an oracle on purpose turns it off by name, saying why:
`@pytest.mark.oracle_off('mbufs', why='...')` or `env.oracle_off('mbufs',
'...')`.
"""

import contextlib
import hashlib
import itertools
import json
import os
import re
import resource
import shutil
import socket
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

# 'conservation' covers components and rings; 'rings' only the rings.
ORACLES = ('conservation', 'rings', 'mbufs', 'log', 'cores')
POOL_NAME = 'MProc_pktmbuf_pool'
SHIM_SRC = Path(__file__).resolve().parent / 'loglevel_shim.c'

# Error/warning lines every test may print: the data path's once-a-second
# drop report (SPEC §8.2) names drops that the conservation oracle already
# balances, reason by reason; DPDK's telemetry says at WARNING that it has
# no legacy (v1) socket, which spp never registers; net_tap logs at ERR that
# it cannot create its multiq qdisc on kernels without sch_multiq, and runs
# without rte_flow support, which spp does not use.
ALWAYS_EXPECTED_LOG = (
    r'packets dropped \((no_dest|tx_full|link_down|nombuf|vlan_error|malformed)\) '
    r'in the last second',
    r'^TELEMETRY: No legacy callbacks, legacy socket not created$',
    r'^tap_nl_dump_ext_ack\(\): Specified qdisc kind is unknown$',
    r'^qdisc_create_multiq\(\): Could not add multiq qdisc \(2\): No such file or directory$',
    r'^eth_dev_tap_create\(\): +Disabling rte flow support: ',
    r'^eth_dev_tap_create\(\): \S+: failed to create multiq qdisc\.$',
)

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


# --- the log-level shim ----------------------------------------------------

_shim = {}


def _shim_so():
    """Path of the compiled loglevel_shim.c (built once, kept in SHORT_ROOT
    under a name from its source's hash), or None with the reason in
    _shim['error']."""
    if 'so' in _shim:
        return _shim['so']
    src = SHIM_SRC.read_bytes()
    SHORT_ROOT.mkdir(exist_ok=True)
    so = SHORT_ROOT / ('loglevel-%s.so' % hashlib.sha1(src).hexdigest()[:12])
    if not so.exists():
        tmp = so.with_name(so.name + '.%d' % os.getpid())
        cc = os.environ.get('CC', 'cc')
        try:
            r = subprocess.run([cc, '-shared', '-fPIC', '-O2', '-o', str(tmp), str(SHIM_SRC)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
            ok = r.returncode == 0
            out = r.stdout.decode(errors='replace')
        except (OSError, subprocess.TimeoutExpired) as e:
            ok, out = False, str(e)
        if not ok:
            _shim['so'] = None
            _shim['error'] = 'cannot build %s: %s' % (SHIM_SRC.name, out[-500:])
            return None
        os.replace(tmp, so)
    _shim['so'] = so
    return so


def _asan_runtime(binary):
    """The libasan a sanitized binary links, which must come first in
    LD_PRELOAD, or None."""
    key = ('asan', str(binary))
    if key not in _shim:
        path = None
        try:
            out = subprocess.run(['ldd', str(binary)], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, timeout=30).stdout.decode()
            for line in out.splitlines():
                m = re.match(r'\s*libasan\.so\S*\s+=>\s+(\S+)', line)
                if m:
                    path = m.group(1)
        except (OSError, subprocess.TimeoutExpired):
            pass
        _shim[key] = path
    return _shim[key]


def _proc_env(argv, warn_log):
    """Environment of a started process: the shim preloaded (after the ASan
    runtime when the binary has one), writing to warn_log."""
    env = dict(os.environ)
    so = _shim_so()
    if so is None:
        return env
    preload = [str(so)]
    asan = _asan_runtime(argv[0]) if os.path.exists(argv[0]) else None
    if asan:
        preload.insert(0, asan)
    if env.get('LD_PRELOAD'):
        preload.append(env['LD_PRELOAD'])
    env['LD_PRELOAD'] = ' '.join(preload)
    env['SPP_TEST_WARN_LOG'] = str(warn_log)
    return env


# --- core files ------------------------------------------------------------

def _core_files(cwds=()):
    """Core files that crashing processes of ours could have left, per
    /proc/sys/kernel/core_pattern: everything in systemd-coredump's and
    apport's stores for a piped pattern, else files named like the
    pattern's first component in its directory (absolute pattern) or in
    the processes' working directories (cwds, and ours)."""
    try:
        pattern = Path('/proc/sys/kernel/core_pattern').read_text().strip()
    except OSError:
        pattern = 'core'
    if pattern.startswith('|'):
        dirs, stem = [Path('/var/lib/systemd/coredump'), Path('/var/crash')], ''
    else:
        stem = Path(pattern).name.split('%')[0]
        if pattern.startswith('/'):
            dirs = [Path(pattern).parent]
        else:
            dirs = [Path(os.getcwd())] + [Path(d) for d in cwds]
    found = set()
    for d in dirs:
        try:
            found.update(str(f) for f in d.iterdir() if f.name.startswith(stem))
        except OSError:
            pass
    return found


# --- processes -----------------------------------------------------------

class Proc:
    """A started process; `expect_rc` is the exit code teardown requires
    (None: any; tests that SIGKILL a process set it to -9)."""

    def __init__(self, name, argv, log, expect_rc=0, stdout=None):
        self.name = name
        self.argv = [str(a) for a in argv]
        self.log = log
        self.expect_rc = expect_rc
        # Lines of DPDK level WARNING or worse, with their level (the shim).
        self.warn_log = Path(str(log) + '.warn')
        self.warn_log.unlink(missing_ok=True)
        # Its working directory is the test's: a core file lands there.
        self.cwd = Path(log).parent
        self._logf = open(log, 'wb')
        self.popen = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                      stdout=stdout if stdout is not None else self._logf,
                                      stderr=self._logf, start_new_session=True,
                                      cwd=str(self.cwd),
                                      env=_proc_env(self.argv, self.warn_log))
        self.pid = self.popen.pid
        try:
            # Core files on (the hard limit), so that the core oracle sees crashes.
            _, hard = resource.getrlimit(resource.RLIMIT_CORE)
            resource.prlimit(self.pid, resource.RLIMIT_CORE, (hard, hard))
        except (OSError, ValueError):
            pass
        if _ENV[0] is not None:
            _ENV[0].all_procs.append(self)

    def warnings(self):
        """[(pid, syslog priority, message)] this process (and children it
        spawned with its environment) logged at WARNING or worse."""
        out = []
        try:
            text = self.warn_log.read_text(errors='replace')
        except OSError:
            return out
        for line in text.splitlines():
            pid, _, rest = line.partition(' ')
            pri, _, msg = rest.partition(' ')
            if pid.isdigit() and pri.isdigit():
                out.append((int(pid), int(pri), msg))
        return out

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
        self.primary = None
        self.ports = []
        self.vfs = []
        self.others = []
        self.all_procs = []          # every Proc started while this env is current
        self._nports = 0
        # oracles (module docstring)
        self.expected_log = [re.compile(r) for r in ALWAYS_EXPECTED_LOG]
        self.oracles_off = {}        # oracle name -> why
        self.pool_baseline = None    # {pool name: in_use} when the primary came up
        self.notes = []              # what an oracle could not check, printed
        self._cores_before = _core_files([tmp_path])
        item = _ITEM[0]
        if item is not None:
            for m in item.iter_markers('expect_log'):
                self.expect_log(*m.args)
            for m in item.iter_markers('oracle_off'):
                for name in m.args:
                    self.oracle_off(name, m.kwargs.get('why', ''))
        _ENV[0] = self
        self.ctl = ctl_factory() if ctl_factory is not None else SppCtl()

    # oracles: what a test declares -------------------------------------

    def expect_log(self, *regexes):
        """Error/warning lines matching any regex (re.search on the
        message) are expected: this test provokes them."""
        self.expected_log += [re.compile(r) for r in regexes]

    def oracle_off(self, name, why):
        """Turns the teardown oracle `name` (conservation, rings, mbufs,
        log, cores) off for this test; `why` says what the test breaks on
        purpose."""
        assert name in ORACLES, 'unknown oracle %r (%s)' % (name, ', '.join(ORACLES))
        assert why and why.strip(), 'oracle_off(%r) needs a reason' % name
        self.oracles_off[name] = why

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
        # The mbuf oracle's baseline: nothing has run yet.
        self.pool_baseline = self.pools(quiet=True)
        return self.primary

    def telemetry(self, command):
        """The reply of the primary's DPDK telemetry to command (e.g.
        '/spp/mempool'), read through its socket; None if unreachable."""
        path = '/var/run/dpdk/%s/dpdk_telemetry.v2' % self.prefix
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            s.settimeout(10)
            s.connect(path)
            hello = json.loads(s.recv(4096))
            s.send(command.encode())
            return json.loads(s.recv(hello['max_output_len']))[command.split(',')[0]]
        except (OSError, ValueError, KeyError):
            return None
        finally:
            s.close()

    def pools(self, quiet=False):
        """{pool name: in_use} of MProc_pktmbuf_pool and the mirror pools,
        from the primary's /spp/mempool telemetry; None if unreachable."""
        d = self.telemetry('/spp/mempool')
        if d is None:
            if not quiet:
                raise AssertionError('no /spp/mempool telemetry from the primary')
            return None
        return {v['name']: v['in_use'] for v in d.values()}

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
        off = self.oracles_off
        # Generators and helpers stop first, so that traffic drains.
        for p in self.others:
            if p.alive():
                p.signal(signal.SIGINT)
                p.wait(STOP_WAIT)
            p.stop()
        if 'conservation' not in off:
            for vf in self.vfs:
                problems += self._check_components(vf)
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
        # Only the primary is left: nothing moves packets any more.
        if self.primary is not None and self.primary.alive():
            if 'conservation' not in off and 'rings' not in off:
                problems += self._check_rings()
            if 'mbufs' not in off:
                problems += self._check_mbufs()
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
        if 'log' not in off:
            problems += self._check_log()
        if 'cores' not in off:
            new = _core_files([self.tmp] + [p.cwd for p in self.all_procs]) - self._cores_before
            if new:
                problems.append('core files: ' + ', '.join(sorted(new)))
        if _ENV[0] is self:
            _ENV[0] = None
        for f in Path('/dev/hugepages').glob(self.prefix + 'map_*'):
            f.unlink(missing_ok=True)
        shutil.rmtree('/var/run/dpdk/' + self.prefix, ignore_errors=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        return problems

    # oracles: the checks -----------------------------------------------

    @staticmethod
    def _balanced(st):
        """SPEC §9.1 identity of an idle component."""
        return (st['rx_packets'] + st['dup_packets'] == st['tx_packets'] + st['drop_packets']
                and sum(st['drops'].values()) == st['drop_packets'])

    def _comp_stats(self, vf):
        """{name: (type, rx port uids, stats)} of vf's components."""
        return {c['name']: (c['type'], [p['port'] for p in c.get('rx_port', [])], c['stats'])
                for c in vf.status()['core'] if 'name' in c}

    def _detach_rx(self, vf, name, uid):
        """`port del UID rx NAME`, through the real spp-ctl's REST API when
        the processes are connected to one."""
        client = getattr(self.ctl, 'client', None)
        if client is None:
            reply = vf.cmd('port del %s rx %s' % (uid, name))
            return reply == SUCCESS, reply
        path = self.ctl._secondary_path(vf.client_id)
        r = client.request('PUT', '%s/components/%s/ports' % (path, name),
                           body={'action': 'detach', 'port': uid, 'dir': 'rx'})
        return r.status == 204, r

    def _check_components(self, vf):
        """Conservation per component: waits until vf's counters stop
        moving, then rx + dup = tx + drop and the named reasons sum to drop.
        Components still receiving after a while (endless sources such as
        net_null rx) get their rx ports detached first."""
        p = vf.proc
        if not p.alive() or vf.conn is None or getattr(vf.conn, 'closed', False):
            if p.alive():
                self.notes.append('conservation: %s not connected, not checked' % p.name)
            return []
        deadline = time.monotonic() + WAIT
        prev, moving, quiesced = None, 0, False
        try:
            while True:
                cur = self._comp_stats(vf)
                if cur == prev:
                    if all(self._balanced(st) for _, _, st in cur.values()):
                        return []
                    moving = 0
                elif prev is not None:
                    moving += 1
                if moving >= 10 and not quiesced:
                    # Still moving after ten reads: an endless source.
                    quiesced = True
                    for name, (_, rx, st) in cur.items():
                        if prev is not None and name in prev and prev[name][2] == st:
                            continue
                        for uid in rx:
                            ok, reply = self._detach_rx(vf, name, uid)
                            if not ok:
                                return ['conservation: %s: detaching %s rx from %s to stop '
                                        'traffic failed: %r' % (p.name, uid, name, reply)]
                    self.notes.append('conservation: %s: rx ports of moving components '
                                      'detached to stop traffic' % p.name)
                if time.monotonic() >= deadline:
                    bad = {n: st for n, (_, _, st) in cur.items() if not self._balanced(st)}
                    if cur != prev:
                        return ['conservation: %s: counters still moving after %.0f s: %r'
                                % (p.name, WAIT, bad or cur)]
                    return ['conservation: %s: rx + dup != tx + drop (or the drop reasons '
                            'do not sum to drop) in %r' % (p.name, bad)]
                prev = cur
                time.sleep(0.1)
        except Exception as e:  # noqa: BLE001
            if not p.alive():
                return []
            return ['conservation: %s: status failed: %s' % (p.name, e)]

    def _foreign_rings(self):
        """Rings that processes other than spp_vf / spp_mirror may have
        touched (they do not add to the shared ring totals), or None when
        one of them is unknown (then no ring is checked)."""
        rings = set()
        for p in self.all_procs:
            binary = Path(p.argv[0]).name
            if binary in ('spp_vf', 'spp_mirror', 'spp_primary'):
                continue
            if '--file-prefix' not in p.argv or self.prefix not in p.argv:
                continue
            if binary != 'spp_pktgen':
                return None
            a = p.argv
            for i, tok in enumerate(a[:-1]):
                if tok == '--stream':
                    rings.add(int(a[i + 1].split(',')[0]))
                elif tok == '--rx-ring':
                    rings.add(int(a[i + 1]))
        return rings

    def _ring_state(self):
        """{ring: (enqueued, dequeued, occupancy)} from the primary's shared
        totals (telemetry, never reset by `clear`) and status; None if the
        primary cannot be asked."""
        if self.ctl.primary() is None:
            return None
        st = self.pri('status')
        tel = self.telemetry('/spp/ports,0')
        if tel is None or 'ring_ports' not in st:
            return None
        totals = {}
        for v in tel.values():
            if v['port'].startswith('ring:'):
                totals[int(v['port'][5:])] = (v['tx_packets'], v['rx_packets'])
        return {r['id']: totals.get(r['id'], (0, 0)) + (r['occupancy'],)
                for r in st['ring_ports']}

    def _check_rings(self):
        """Conservation per ring: enqueued = dequeued + occupancy."""
        foreign = self._foreign_rings()
        if foreign is None:
            self.notes.append('conservation: a non-spp process used the rings; rings not '
                              'checked')
            return []
        state = self._ring_state()
        if state is None:
            self.notes.append('conservation: primary not reachable; rings not checked')
            return []
        bad = ['ring:%d enqueued %d, dequeued %d, holds %d' % (r, enq, deq, occ)
               for r, (enq, deq, occ) in sorted(state.items())
               if r not in foreign and enq != deq + occ]
        return ['conservation: ' + '; '.join(bad)] if bad else []

    def _held(self):
        """mbuf references rings and loop-back phy ports (net_ring) hold, or
        None if that cannot be read."""
        state = self._ring_state()
        if state is None:
            return None
        held = sum(occ for _, _, occ in state.values())
        loops = [p for p in self.ports if p.kind == 'ring']
        if loops:
            tel = self.telemetry('/spp/ports,0') or {}
            for p in loops:
                v = tel.get('primary/phy_%d' % p.index)
                if v is None:
                    return None
                held += max(0, v['tx_packets'] - v['rx_packets'])
        return held

    def _check_mbufs(self):
        """After the secondaries left: MProc_pktmbuf_pool in use = baseline
        and mirror pools 0, unless rings hold mbufs: then the excess of
        each is at most what they hold (a held reference is one direct mbuf,
        or one clone plus its direct parent; a flooded mbuf in several
        rings counts once)."""
        if self.pool_baseline is None:
            self.notes.append('mbufs: no baseline (telemetry unreachable at start)')
            return []
        held = self._held()
        if held is None:
            self.notes.append('mbufs: primary not reachable; not checked')
            return []
        base = self.pool_baseline.get(POOL_NAME, 0)

        def ok():
            pools = self.pools()
            main = pools.get(POOL_NAME, 0)
            mirror = sum(v for k, v in pools.items() if k != POOL_NAME)
            if held == 0:
                good = main == base and mirror == 0
            else:
                good = base <= main <= base + held and mirror <= held
            return good, pools
        deadline = time.monotonic() + WAIT
        while True:
            good, pools = ok()
            if good:
                return []
            if time.monotonic() >= deadline:
                return ['mbufs: in use %r, baseline %r, rings hold %d'
                        % (pools, self.pool_baseline, held)]
            time.sleep(0.1)

    def _check_log(self):
        """Error/warning lines nobody expected, per process. A process
        expected to fail (expect_rc other than 0 / None / -9) is expected to
        say why."""
        problems = []
        if _shim_so() is None:
            return ['log: ' + _shim.get('error', 'no shim')]
        procs = [vf.proc for vf in self.vfs] + self.others + (
            [self.primary] if self.primary else [])
        for p in procs:
            if p.expect_rc not in (0, None, -signal.SIGKILL):
                continue
            lines = ['<%d> %s' % (pri, msg) for _, pri, msg in p.warnings()
                     if not any(r.search(msg) for r in self.expected_log)]
            if lines:
                problems.append('log: %s (%s) logged unexpected error/warning lines:\n  %s'
                                % (p.name, p.log, '\n  '.join(lines[:20])))
        ctl_log = getattr(getattr(self.ctl, 'proc', None), 'log', None)
        if ctl_log is not None:
            try:
                text = Path(ctl_log).read_text(errors='replace')
            except OSError:
                text = ''
            lines = [ln for ln in text.splitlines()
                     if re.match(r'spp-ctl: (error|warning): ', ln)
                     and not any(r.search(ln) for r in self.expected_log)]
            if lines:
                problems.append('log: spp-ctl (%s) logged unexpected error/warning lines:\n  %s'
                                % (ctl_log, '\n  '.join(lines[:20])))
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
    for n in env.notes:
        print('oracle note: ' + n)
    if problems:
        pytest.fail('teardown:\n' + '\n'.join(problems), pytrace=False)


@pytest.fixture
def spp(tmp_path):
    """The test's spp processes; everything is stopped and checked after."""
    with spp_env(tmp_path) as env:
        yield env


# --- oracle declarations -------------------------------------------------

_ITEM = [None]      # the running test, for its expect_log / oracle_off markers
_ENV = [None]       # the Spp being set up or run, which every new Proc joins


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'expect_log(*regexes): error/warning log lines this test provokes on '
        'purpose (re.search on the message); see conftest.py')
    config.addinivalue_line(
        'markers', "oracle_off(*names, why='...'): teardown oracles (conservation, rings, "
        "mbufs, log, cores) this test breaks on purpose, and why")


@pytest.fixture(autouse=True)
def _oracle_item(request):
    _ITEM[0] = request.node
    yield
    _ITEM[0] = None
    _ENV[0] = None


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
