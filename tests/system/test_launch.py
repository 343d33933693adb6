"""spp_primary's `launch` (SPEC §6.3): the primary starts a secondary with
no shell, which registers with the controller and works like any other;
bad commands start nothing; children are reaped.

Launched secondaries are children of the primary, not of the test: the
`launcher` fixture stops them (the `exit` command, else SIGTERM / SIGKILL
by PID, only to processes whose parent is our primary) before the
primary is stopped, and checks that the primary reaped them.
"""

import os
import signal
from pathlib import Path

import pytest

from conftest import MIRROR_BIN, STOP_WAIT, SUCCESS, WAIT, Vf, ordered, wait_for
from pkts import frame, mac

# Refused launches are logged at ERR (the point of many tests here), and a
# launched child killed by a signal at WARNING.
pytestmark = pytest.mark.expect_log(r'handle_launch\(\): launch refused: ',
                                    r'on_child_exit\(\): launched client \d+ \(pid \d+\) '
                                    r'killed by signal 9$')

SUCCEEDED = {'result': 'succeeded', 'command': 'launch'}


def failed(message):
    return {'result': 'failed', 'command': 'launch', 'message': message}


def assert_reply(reply, expected):
    assert ordered(reply) == ordered(expected), reply


def children(pid):
    """[(pid, state)] of the processes whose parent is pid, from /proc."""
    out = []
    for d in Path('/proc').iterdir():
        if not d.name.isdigit():
            continue
        try:
            data = (d / 'stat').read_text()
        except OSError:
            continue
        fields = data[data.rindex(')') + 2:].split()
        if int(fields[1]) == pid:
            out.append((int(d.name), fields[0]))
    return out


def cmdline(pid):
    try:
        return Path('/proc/%d/cmdline' % pid).read_bytes().decode().split('\0')[:-1]
    except OSError:
        return None


def client_id_of(argv):
    """The --client-id value of a launched secondary's argv."""
    if argv and '--client-id' in argv:
        i = argv.index('--client-id')
        if i + 1 < len(argv):
            return int(argv[i + 1])
    return None


class Launcher:
    """Launches through the primary and tracks what it started."""

    def __init__(self, spp):
        self.spp = spp

    def launch(self, args):
        return self.spp.pri('launch ' + args)

    def children(self):
        return children(self.spp.primary.pid)

    def child(self, client_id):
        """Pid of the primary's child launched as client_id (waited for)."""
        def find():
            for pid, _ in self.children():
                if client_id_of(cmdline(pid)) == client_id:
                    return pid
            return None
        return wait_for(find, msg='a child of spp_primary with --client-id %d' % client_id)

    def wait_reaped(self, pid, timeout=STOP_WAIT):
        """Waits until pid is no child of the primary: ended and reaped."""
        wait_for(lambda: pid not in [p for p, _ in self.children()], timeout,
                 msg='pid %d reaped by spp_primary' % pid)

    def secondary(self, client_id, workers):
        """A Vf helper on the registered connection of client_id."""
        vf = Vf(self.spp, None, client_id, workers, 0)
        vf.conn = self.spp.ctl.wait_secondary(client_id, WAIT)
        return vf

    def stop_all(self):
        """Stops every child of the primary; returns what went wrong."""
        problems = []
        pri = self.spp.primary
        if pri is None or not pri.alive():
            return problems
        for pid, state in self.children():
            conn = self.spp.ctl.secondary(client_id_of(cmdline(pid)))
            if state != 'Z' and conn is not None and not conn.closed:
                try:
                    if conn.command('exit', STOP_WAIT) != SUCCESS:
                        problems.append('pid %d: exit refused' % pid)
                except Exception as e:  # noqa: BLE001
                    problems.append('pid %d: exit failed: %s' % (pid, e))
            for sig in (None, signal.SIGTERM, signal.SIGKILL):
                # Only a child of our primary, checked right before.
                if sig is not None and pid in [p for p, _ in self.children()]:
                    problems.append('pid %d needed signal %d' % (pid, sig))
                    os.kill(pid, sig)
                try:
                    self.wait_reaped(pid)
                    break
                except AssertionError:
                    continue
            else:
                problems.append('pid %d was not reaped by spp_primary' % pid)
        return problems


@pytest.fixture
def launcher(spp):
    """Runs before spp's teardown: launched processes are gone, and
    reaped, before the primary is stopped."""
    launcher = Launcher(spp)
    yield launcher
    problems = launcher.stop_all()
    assert not problems, problems


def primary_log(spp):
    return Path(spp.primary.log).read_text(errors='replace')


def start(spp, ports=None, log_dir=None):
    ports = ports or [spp.null()]
    extra = ['--sec-log-dir', str(log_dir)] if log_dir is not None else []
    spp.start_primary(ports, rings=2, extra=extra)
    return ports


def vf_args(spp, eal='--lcores 0@0,1@0 --no-pci', app=''):
    return '%s -- -s 127.0.0.1:%d --idle-sleep-us 50 %s' % (eal, spp.ctl.secondary_port, app)


def assert_no_zombie(launcher):
    assert [c for c in launcher.children() if c[1] == 'Z'] == []


def test_launched_vf_registers_forwards_byte_exact_and_exits_with_0(spp, launcher, tmp_path):
    frames = [frame(mac(i + 1), n=i, size=[60, 128, 1514][i % 3]) for i in range(40)]
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    log_dir = tmp_path / 'seclogs'
    start(spp, [p0, p1], log_dir)
    assert not log_dir.exists()

    # SPEC §7.6's form: two-token --proc-type, --client-id given.
    reply = launcher.launch('2 spp_vf --lcores 0@0,1@0 --proc-type secondary --no-pci -- '
                            '--client-id 2 -s 127.0.0.1:%d --idle-sleep-us 50'
                            % spp.ctl.secondary_port)
    assert_reply(reply, SUCCEEDED)
    pid = launcher.child(2)
    vf = launcher.secondary(2, [1])
    assert vf.conn.registration['process_type'] == 'vf'
    argv = cmdline(pid)
    assert argv[:4] == ['spp_vf', '--proc-type=secondary', '--file-prefix', spp.prefix]
    assert argv[4] in ('--iova-mode=va', '--iova-mode=pa'), argv
    assert argv[5:] == ['--lcores', '0@0,1@0', '--no-pci', '--', '--client-id', '2', '-s',
                        '127.0.0.1:%d' % spp.ctl.secondary_port, '--idle-sleep-us', '50']

    vf.ok('component start fwd 1 forward', 'port add phy:1 tx fwd', 'port add phy:0 rx fwd')
    vf.wait_rx('fwd', 40)
    wait_for(lambda: len(p1.sent()) == 40, msg='40 frames on phy:1')
    assert p1.sent() == frames
    assert p0.sent() == []

    assert vf.cmd('exit') == SUCCESS
    launcher.wait_reaped(pid)
    wait_for(lambda: 'launched client 2 (pid %d) exited with code 0' % pid in primary_log(spp),
             msg='the primary logging the exit code')
    assert_no_zombie(launcher)

    assert os.stat(log_dir).st_mode & 0o777 == 0o750
    log = (log_dir / 'spp_vf-2.log').read_text(errors='replace')
    assert ' launch client 2: ' in log.splitlines()[0]
    assert 'EAL' in log, 'the child writes its EAL lines to its log'


def test_launch_adds_proc_type_file_prefix_and_client_id(spp, launcher, tmp_path):
    start(spp, log_dir=tmp_path / 'logs')
    reply = launcher.launch('5 spp_vf ' + vf_args(spp))
    assert_reply(reply, SUCCEEDED)
    pid = launcher.child(5)
    launcher.secondary(5, [1])
    argv = cmdline(pid)
    assert argv[:4] == ['spp_vf', '--proc-type=secondary', '--file-prefix', spp.prefix]
    assert argv[-2:] == ['--client-id', '5']


def test_launch_passes_shell_metacharacters_as_plain_arguments(spp, launcher, tmp_path):
    start(spp, log_dir=tmp_path / 'logs')
    marks = [spp.dir / ('m%d' % i) for i in range(3)]
    # An absolute path spp_vf accepts, which a shell would run commands of.
    token = '/tmp/s;touch${IFS}%s|$(touch${IFS}%s)`touch${IFS}%s`' % tuple(marks)
    assert len(token) <= 100
    reply = launcher.launch('2 spp_vf ' + vf_args(spp, app='--vhost-sock-prefix ' + token))
    assert_reply(reply, SUCCEEDED)
    pid = launcher.child(2)
    launcher.secondary(2, [1])
    argv = cmdline(pid)
    assert argv[argv.index('--vhost-sock-prefix') + 1] == token
    assert [m for m in marks if m.exists()] == []


def test_launched_child_gets_primarys_affinity_before_eal(spp, launcher, tmp_path):
    cpus = os.sched_getaffinity(0)
    if not {0, 1} <= cpus:
        pytest.skip('needs CPUs 0 and 1')
    start(spp, log_dir=tmp_path / 'logs')       # main lcore pinned to CPU 0
    # All the child's lcores on CPU 0: its EAL control threads get the
    # CPUs it started with minus 0. Had it inherited the primary's main
    # lcore affinity ({0}), nothing would remain and they would run on 0.
    assert_reply(launcher.launch('2 spp_vf ' + vf_args(spp)), SUCCEEDED)
    pid = launcher.child(2)
    launcher.secondary(2, [1])
    expected = ','.join(str(c) for c in sorted(cpus - {0}))
    found = {}
    for task in Path('/proc/%d/task' % pid).iterdir():
        comm = (task / 'comm').read_text().strip()
        if comm in ('rte_mp_handle', 'eal-intr-thread'):
            for line in (task / 'status').read_text().splitlines():
                if line.startswith('Cpus_allowed_list:'):
                    found[comm] = line.split()[1]
    assert found, 'no EAL control thread found in pid %d' % pid
    for comm, allowed in found.items():
        assert allowed in (expected, '%d-%d' % (min(cpus - {0}), max(cpus - {0}))), \
            (comm, allowed)
    # Its own session (POSIX_SPAWN_SETSID).
    assert os.getsid(pid) == pid


def test_launch_starts_spp_mirror(spp, launcher, tmp_path):
    if not MIRROR_BIN.exists():
        pytest.skip('%s not built' % MIRROR_BIN)
    log_dir = tmp_path / 'logs'
    start(spp, log_dir=log_dir)
    assert_reply(launcher.launch('3 spp_mirror ' + vf_args(spp)), SUCCEEDED)
    pid = launcher.child(3)
    vf = launcher.secondary(3, [1])
    assert vf.conn.registration['process_type'] == 'mirror'
    assert cmdline(pid)[0] == 'spp_mirror'
    assert vf.cmd('exit') == SUCCESS
    launcher.wait_reaped(pid)
    assert (log_dir / 'spp_mirror-3.log').exists()


def test_launch_of_an_id_just_launched_fails_with_its_pid(spp, launcher, tmp_path):
    start(spp, log_dir=tmp_path / 'logs')
    assert_reply(launcher.launch('2 spp_vf ' + vf_args(spp)), SUCCEEDED)
    # Whether or not it has claimed its slot yet, id 2 is taken.
    reply = launcher.launch('2 spp_vf ' + vf_args(spp))
    pid = launcher.child(2)
    assert_reply(reply, failed('client id 2 is already used by pid %d' % pid))
    launcher.secondary(2, [1])
    assert [p for p, _ in launcher.children()] == [pid]


def test_launch_with_id_of_live_secondary_fails_and_starts_nothing(spp, launcher, tmp_path):
    start(spp, log_dir=tmp_path / 'logs')
    vf = spp.start_vf(2, workers=(1,))
    reply = launcher.launch('2 spp_vf ' + vf_args(spp, eal='--lcores 0@0,2@0 --no-pci'))
    assert_reply(reply, failed('client id 2 is already used by pid %d' % vf.proc.pid))
    assert launcher.children() == []
    assert not (tmp_path / 'logs').exists()


@pytest.mark.parametrize('name', ['../spp_vf', '/bin/sh', 'sh', 'spp_primary'])
def test_launch_of_other_program_fails_and_starts_nothing(spp, launcher, tmp_path, name):
    start(spp, log_dir=tmp_path / 'logs')
    reply = launcher.launch('2 %s %s' % (name, vf_args(spp)))
    assert_reply(reply, failed("invalid process name '%s' (spp_vf or spp_mirror)" % name))
    assert launcher.children() == []
    assert not (tmp_path / 'logs').exists()


def test_launch_with_another_file_prefix_fails_and_starts_nothing(spp, launcher, tmp_path):
    start(spp, log_dir=tmp_path / 'logs')
    reply = launcher.launch('2 spp_vf ' + vf_args(spp, eal='-l 0 --file-prefix other'))
    assert_reply(reply, failed('file-prefix must be %s' % spp.prefix))
    assert launcher.children() == []


def test_launch_with_other_proc_type_fails_and_starts_nothing(spp, launcher, tmp_path):
    start(spp, log_dir=tmp_path / 'logs')
    reply = launcher.launch('2 spp_vf ' + vf_args(spp, eal='-l 0 --proc-type=primary'))
    assert_reply(reply, failed('proc-type must be secondary'))
    assert launcher.children() == []


def test_launch_without_double_dash_fails_and_starts_nothing(spp, launcher, tmp_path):
    start(spp, log_dir=tmp_path / 'logs')
    reply = launcher.launch('2 spp_vf -l 0 -s 127.0.0.1:%d' % spp.ctl.secondary_port)
    assert_reply(reply, failed("missing '--' between EAL and application options"))
    assert launcher.children() == []


def test_launch_with_unusable_log_dir_fails_and_starts_nothing(spp, launcher, tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('a file, not a directory')
    log_dir = blocker / 'logs'
    start(spp, log_dir=log_dir)
    reply = launcher.launch('2 spp_vf ' + vf_args(spp))
    assert_reply(reply, failed('cannot create log directory %s: Not a directory' % log_dir))
    assert launcher.children() == []
    # The primary still answers, and a later valid launch is not blocked.
    assert 'master-lcore' in spp.pri_status()


def test_launched_secondary_killed_is_reaped_and_its_id_reusable(spp, launcher, tmp_path):
    start(spp, log_dir=tmp_path / 'logs')
    assert_reply(launcher.launch('2 spp_vf ' + vf_args(spp)), SUCCEEDED)
    pid = launcher.child(2)
    launcher.secondary(2, [1])
    assert pid in [p for p, _ in launcher.children()]
    os.kill(pid, signal.SIGKILL)        # a child of our primary, found above
    launcher.wait_reaped(pid)
    wait_for(lambda: 'launched client 2 (pid %d) killed by signal 9' % pid in primary_log(spp),
             msg='the primary logging the signal')
    assert_no_zombie(launcher)
    spp.ctl.forget(2)
    assert_reply(launcher.launch('2 spp_vf ' + vf_args(spp)), SUCCEEDED)
    again = launcher.child(2)
    assert again != pid
    launcher.secondary(2, [1])
    # Same log file, appended: two launch lines.
    log = (tmp_path / 'logs' / 'spp_vf-2.log').read_text(errors='replace')
    assert log.count(' launch client 2: ') == 2
