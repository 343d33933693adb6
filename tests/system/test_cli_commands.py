"""The spp CLI (SPEC §2.4, §7.8) against a real spp-ctl, spp_primary,
spp_vf and spp_mirror: topologies built with `spp -c` and stdin scripts and
checked by pcap, the exact outputs of status, pri/vf/mirror status and
errors, --json, record/playback, topo and several servers.

Helpers here (cli_env, run_cli, CLI_BIN) are also used by test_cli_pty.py.
"""

import contextlib
import json
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest

from conftest import BUILD, spp_env, wait_for
from ctlproc import CTL_BIN, CtlAdapter, CtlProc, free_port
from pkts import frame, mac, tagged

CLI_BIN = BUILD / 'src' / 'cli' / 'spp'


def _need_binaries():
    for b in (CLI_BIN, CTL_BIN):
        if not b.exists():
            pytest.skip('%s not built (ninja -C %s)' % (b, BUILD))


@contextlib.contextmanager
def cli_env(tmp_path):
    """conftest's Spp with a real spp-ctl in place of the test controller;
    yields it with .cli_home (an empty HOME for the CLI's history)."""
    _need_binaries()
    with spp_env(tmp_path) as env:
        env.ctl.close()
        env.ctl = CtlAdapter(CtlProc(tmp_path / 'spp-ctl.log'))
        env.cli_home = tmp_path / 'home'
        env.cli_home.mkdir()
        yield env


@pytest.fixture
def cli(tmp_path):
    with cli_env(tmp_path) as env:
        yield env


def addr(env_or_proc):
    proc = env_or_proc.ctl.proc if hasattr(env_or_proc, 'ctl') else env_or_proc
    return '%s:%d' % (proc.host, proc.rest_port)


def run_cli(env, *commands, stdin=None, extra=(), server=None, home=None, timeout=90):
    """Runs `spp -b <spp-ctl> [extra] -c C...` (or with stdin text);
    returns the CompletedProcess (text stdout/stderr)."""
    argv = [str(CLI_BIN), '-b', server or addr(env)] + list(extra)
    for c in commands:
        argv += ['-c', c]
    envp = dict(os.environ, HOME=str(home or env.cli_home))
    return subprocess.run(argv, input=stdin if stdin is not None else '', capture_output=True,
                          text=True, timeout=timeout, env=envp)


def ok(env, *commands, **kw):
    r = run_cli(env, *commands, **kw)
    assert r.returncode == 0, 'rc %d\nstdout:\n%s\nstderr:\n%s' % (r.returncode, r.stdout,
                                                                    r.stderr)
    return r.stdout


def rest(env):
    return env.ctl.client


def pri_status_text(st):
    """SPEC §7.8 `pri; status` computed from the primary's JSON."""
    lines = ['- lcore_ids:', '  - master: %d' % st['lcores'][0]]
    if len(st['lcores']) == 2:
        lines.append('  - slave: %d' % st['lcores'][1])
    elif len(st['lcores']) > 2:
        lines.append('  - slaves: [%s]' % ', '.join(str(x) for x in st['lcores'][1:]))
    lines += ['- pipes:', '- stats', '  - physical ports:',
              '      ID          rx          tx     tx_drop  rxq  txq mac_addr']
    for p in st['phy_ports']:
        lines.append('      %2d  %10d  %10d  %10d %4d %4d %s' % (
            p['id'], p['rx'], p['tx'], p['tx_drop'], p['nof_queues']['rx'],
            p['nof_queues']['tx'], p['eth']))
    lines += ['  - ring ports:', '      ID          rx          tx     rx_drop     tx_drop']
    for r in st['ring_ports']:
        lines.append('      %2d  %10d  %10d  %10d  %10d' % (r['id'], r['rx'], r['tx'],
                                                            r['rx_drop'], r['tx_drop']))
    return '\n'.join(lines) + '\n'


# --- no DPDK needed --------------------------------------------------------

def test_cli_unreachable_spp_ctl_prints_upstream_line_and_exits_1():
    _need_binaries()
    port = free_port()
    r = subprocess.run([str(CLI_BIN), '-b', '127.0.0.1:%d' % port, '-c', 'status'],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stdout == 'Is not spp-ctl running on 127.0.0.1, nor correct IP address?\n'


def test_cli_bad_option_is_one_line_and_exit_1():
    _need_binaries()
    r = subprocess.run([str(CLI_BIN), '--no-such-option'], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1


def test_cli_status_without_processes_and_local_errors(tmp_path):
    _need_binaries()
    with CtlProc(tmp_path / 'ctl.log') as ctl:
        r = subprocess.run([str(CLI_BIN), '-b', '%s:%d' % (ctl.host, ctl.rest_port),
                            '-c', 'status', '-c', 'pri; status', '-c', 'vf 3; status',
                            '-c', 'topo_subgraph', '-c', 'vf 1 status', '-c', 'bogus'],
                           capture_output=True, text=True, timeout=30,
                           env=dict(os.environ, HOME=str(tmp_path)))
    assert r.returncode == 1
    assert r.stdout == (
        '- spp-ctl:\n'
        '  - address: 127.0.0.1:%d\n'
        '- primary:\n'
        '  - status: not running\n'
        '- secondary:\n'
        '  - processes:\n'
        'No spp_primary is running.\n'
        '"vf 3" does not exist.\n'
        'Not supported in spp: topo_subgraph\n'
        "Required an ID and ';' before the command.\n"
        '*** Unknown syntax: bogus\n' % ctl.rest_port)


def test_cli_help_lists_commands_and_explains_one(tmp_path):
    _need_binaries()
    with CtlProc(tmp_path / 'ctl.log') as ctl:
        r = subprocess.run([str(CLI_BIN), '-b', addr(ctl), '-c', 'help', '-c', 'help server',
                            '-c', 'help nosuch'], capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stdout.startswith('\nDocumented commands (type help <topic>):\n'
                               '========================================\n'
                               'bye  exit  help  history  mirror  playback  pri  record  redo  '
                               'server  status  top  topo  vf\n\n'
                               'Manage several spp-ctl servers;')
    assert r.stdout.endswith('*** No help on nosuch\n')


def test_cli_token_file_sends_bearer_token(tmp_path):
    _need_binaries()
    token = 's3cret-token'
    tok = tmp_path / 'tok'
    tok.write_text(token + '\n')
    with CtlProc(tmp_path / 'ctl.log', token=token) as ctl:
        base = [str(CLI_BIN), '-b', '%s:%d' % (ctl.host, ctl.rest_port)]
        good = subprocess.run(base + ['--token-file', str(tok), '-c', 'status'],
                              capture_output=True, text=True, timeout=30)
        bad = subprocess.run(base + ['-c', 'status'], capture_output=True, text=True,
                             timeout=30)
    assert good.returncode == 0, good.stdout + good.stderr
    assert '  - status: not running\n' in good.stdout
    assert bad.returncode == 1
    assert bad.stdout.startswith('Error: ')


# --- with the data plane ---------------------------------------------------

def test_cli_builds_classifier_forward_topology_and_traffic_follows(cli):
    to1 = [frame(mac(1), n=i) for i in range(12)]
    to2 = [frame(mac(2), n=100 + i, size=128) for i in range(12)]
    frames = [f for pair in zip(to1, to2) for f in pair]
    p0, p1, p2 = cli.pcap(rx=frames), cli.pcap(), cli.pcap()
    cli.start_primary([p0, p1, p2], rings=4)
    cli.start_vf(1, workers=(1, 2, 3))

    # Components with -c, the wiring as a stdin script (no prompt, comments
    # echoed, blanks around ';' ignored), the rx port last.
    out = ok(cli, 'vf 1; component start cls 1 classifier',
             'vf 1; component start f1 2 forward', 'vf 1 ; component start f2 3 forward')
    assert out == ("Succeeded to start component 'cls' on core:1\n"
                   "Succeeded to start component 'f1' on core:2\n"
                   "Succeeded to start component 'f2' on core:3\n")
    script = '\n'.join([
        '# wiring of vf 1',
        'vf 1; port add ring:0 tx cls',
        'vf 1; port add ring:1 tx cls',
        'vf 1;port add ring:0 rx f1',
        'vf 1; port add phy:1 tx f1',
        'vf 1; port add ring:1 rx f2',
        'vf 1; port add phy:2 tx f2 add_vlantag 100 3',
        'vf 1; classifier_table add mac %s ring:0' % mac(1),
        'vf 1; classifier_table add mac %s ring:1' % mac(2),
        'vf 1; port add phy:0 rx cls',
        '',
    ])
    r = run_cli(cli, stdin=script)
    assert r.returncode == 0, r.stdout
    assert r.stdout == ('# wiring of vf 1\n' + 'Succeeded to add port\n' * 6 +
                        'Succeeded to add\n' * 2 + 'Succeeded to add port\n')

    wait_for(lambda: len(p1.sent()) == 12 and len(p2.sent()) == 12, msg='12 frames each')
    assert p1.sent() == to1
    assert p2.sent() == [tagged(f, 100, 3) for f in to2]
    assert p0.sent() == []

    assert ok(cli, 'vf 1; status') == (
        'Basic Information:\n'
        '  - client-id: 1\n'
        '  - ports: [phy:0, phy:1, phy:2, ring:0, ring:1]\n'
        '  - lcore_ids:\n'
        '    - master: 0\n'
        '    - slaves: [1, 2, 3]\n'
        'Classifier Table:\n'
        '  - 02:00:00:00:00:01, ring:0\n'
        '  - 02:00:00:00:00:02, ring:1\n'
        'Components:\n'
        "  - core:1 'cls' (type: classifier)\n"
        '    - rx: phy:0\n'
        '    - tx: ring:0\n'
        '    - tx: ring:1\n'
        "  - core:2 'f1' (type: forward)\n"
        '    - rx: ring:0\n'
        '    - tx: phy:1\n'
        "  - core:3 'f2' (type: forward)\n"
        '    - rx: ring:1\n'
        '    - tx: phy:2 (vlan operation: add, id: 100, pcp: 3)\n')

    # --json prints the REST body itself.
    body = json.loads(ok(cli, 'vf 1; status', extra=['--json']))
    assert body == rest(cli).get('/v1/vfs/1').json()

    # topo: text, and an SVG naming every component and port.
    text = ok(cli, 'topo')
    assert 'vf:1\n' in text
    assert '  cls (classifier, core 1): phy:0 -> ring:0, ring:1\n' in text
    assert '  f2 (forward, core 3): ring:1 -> phy:2 [add_vlantag 100 3]\n' in text
    svg = cli.tmp / 'topo.svg'
    assert ok(cli, 'topo %s' % svg) == 'Create topology image "%s".\n' % svg
    root = ET.parse(svg).getroot()
    assert root.tag.endswith('svg')
    texts = ' '.join(t.text or '' for t in root.iter() if t.tag.endswith('text'))
    for word in ('cls', 'f1', 'f2', 'phy:0', 'phy:1', 'phy:2', 'ring:0', 'ring:1', 'vf:1',
                 'add_vlantag 100 3'):
        assert word in texts, (word, texts)
    dot = cli.tmp / 'topo.dot'
    ok(cli, 'topo %s' % dot)
    assert dot.read_text().startswith('digraph spp {')

    # Stopping through the CLI detaches the ports; `exit` ends the process.
    assert ok(cli, 'vf 1; component stop f2') == "Succeeded to delete component 'f2'\n"
    assert ok(cli, 'vf 1; port del ring:0 rx f1') == 'Succeeded to del port\n'
    assert ok(cli, 'vf 1; exit') == 'Exit vf 1.\n'
    assert cli.vfs[0].proc.wait(15) == 0


def test_cli_status_and_pri_status_and_mirror_status_are_exact(cli):
    p0, p1 = cli.null(), cli.null()
    cli.start_primary([p0, p1], rings=6)
    cli.start_vf(1, workers=(1, 2))
    mirror = cli.start_mirror(2, workers=(4, 5))
    wait = run_cli(cli, 'status', extra=['--wait-pri'])
    assert wait.returncode == 0
    assert wait.stdout.startswith('Waiting for spp_primary is ready ... OK! (')
    assert wait.stdout.endswith('[sec])\n- spp-ctl:\n'
                                '  - address: %s\n'
                                '- primary:\n'
                                '  - status: running\n'
                                '- secondary:\n'
                                '  - processes:\n'
                                '    1: vf:1\n'
                                '    2: mirror:2\n' % addr(cli))

    out = ok(cli, 'pri; status')
    assert out == pri_status_text(rest(cli).get('/v1/primary/status').json())
    assert out.startswith('- lcore_ids:\n  - master: 0\n- pipes:\n- stats\n')
    assert ok(cli, 'pri; clear') == 'Clear port statistics.\n'

    assert ok(cli, 'mirror 2; component start tap 4 mirror',
              'mirror 2; port add ring:2 rx tap', 'mirror 2; port add ring:3 tx tap',
              'mirror 2; port add ring:4 tx tap') == (
        "Succeeded to start component 'tap' on core:4\n" + 'Succeeded to add port\n' * 3)
    assert ok(cli, 'mirror 2; status') == (
        'Basic Information:\n'
        '  - client-id: 2\n'
        '  - ports: [phy:0, phy:1, ring:2, ring:3, ring:4]\n'
        '  - lcore_ids:\n'
        '    - master: 0\n'
        '    - slaves: [4, 5]\n'
        'Components:\n'
        "  - core:4 'tap' (type: mirror)\n"
        '    - rx: ring:2\n'
        '    - tx: [ring:3, ring:4]\n'
        "  - core:5 '' (type: unuse)\n")
    assert ok(cli, 'mirror 2; component start deepm 5 mirror deep') == (
        "Succeeded to start component 'deepm' on core:5\n")
    comps = rest(cli).get('/v1/mirrors/2').json()['components']
    assert [c.get('copy_mode') for c in comps] == ['shallow', 'deep']
    assert ok(cli, 'vf 1; status') == (
        'Basic Information:\n'
        '  - client-id: 1\n'
        '  - ports: [phy:0, phy:1]\n'
        '  - lcore_ids:\n'
        '    - master: 0\n'
        '    - slaves: [1, 2]\n'
        'Classifier Table:\n'
        '  No entries.\n'
        'Components:\n'
        "  - core:1 '' (type: unuse)\n"
        "  - core:2 '' (type: unuse)\n")

    # bye sec closes every secondary through REST.
    assert ok(cli, 'bye sec') == 'Closing secondary ...\nExit vf 1.\nExit mirror 2.\n'
    assert cli.vfs[0].proc.wait(15) == 0 and mirror.proc.wait(15) == 0
    wait_for(lambda: [p['type'] for p in rest(cli).get('/v1/processes').json()] == ['primary'])
    # bye all then exits the primary too.
    assert ok(cli, 'bye all') == 'Closing secondary ...\nClosing primary ...\nExit primary\n'
    assert cli.primary.wait(15) == 0


def test_cli_errors_print_body_and_fail(cli):
    cli.start_primary([cli.null(), cli.null()], rings=2)
    cli.start_vf(1, workers=(1, 2))
    ok(cli, 'vf 1; component start fwd 1 forward')

    def err(command):
        r = run_cli(cli, command)
        assert r.returncode == 1, r.stdout
        return r.stdout

    # The body, then spp-ctl's X-Spp-Error-Detail on a line of its own.
    direct = rest(cli).post('/v1/vfs/1/components', {'name': 'x', 'core': 9, 'type': 'forward'})
    assert direct.status == 400 and direct.text == 'command error: Invalid value (core)'
    detail = direct.header('X-Spp-Error-Detail')
    assert err('vf 1; component start x 9 forward') == (
        'Error: command error: Invalid value (core)\n' + ('%s\n' % detail if detail else ''))
    assert err('vf 1; port add ring:0 rx nosuch').splitlines()[0] == \
        'Error: command error: Invalid value (component name)'
    assert err('vf 1; component start fwd 2 forward').splitlines()[0] == \
        'Error: command error: Invalid value (component name)'
    assert err('vf 1; component start y x forward') == 'Error: invalid key(core): x.\n'
    assert err('vf 1; classifier_table add mac 52:54:00:12:34:58 ring:9').splitlines()[0] == \
        'Error: command error: Invalid value (port)'
    assert err('vf 7; status') == '"vf 7" does not exist.\n'
    assert err('mirror 1; status') == '"mirror 1" does not exist.\n'
    assert err('vf 1; stats') == 'Invalid command "stats".\n'
    assert err('pri; add ring:0') == 'No forwarder is running.\n'
    assert err('pri; nosuch') == "Invalid pri command: 'nosuch'\n"

    # One failure among successes makes the whole run fail; output goes on.
    r = run_cli(cli, 'vf 1; status', 'vf 1; port add ring:5 rx fwd', 'status')
    assert r.returncode == 1
    assert r.stdout.count('Basic Information:') == 1 and '- spp-ctl:' in r.stdout
    # In --json mode errors go to stderr and stdout stays JSON.
    r = run_cli(cli, 'vf 1; port add ring:5 rx fwd', extra=['--json'])
    assert r.returncode == 1 and r.stdout == ''
    assert r.stderr.startswith('Error: command error: Invalid value (port)')


def test_cli_record_then_playback_replays_commands(cli):
    cli.start_primary([cli.null(), cli.null()], rings=2)
    cli.start_vf(1, workers=(1, 2))
    recipe = cli.tmp / 'recipe.txt'
    out = ok(cli, 'record %s' % recipe, 'vf 1; component start a 1 forward',
             'vf 1; port add ring:0 rx a', '# done', 'exit', 'status')
    assert out == ("Succeeded to start component 'a' on core:1\n"
                   'Succeeded to add port\n'
                   '# done\n'
                   'Closing file\n'
                   'Thank you for using Soft Patch Panel\n')
    assert recipe.read_text() == ('vf 1; component start a 1 forward\n'
                                  'vf 1; port add ring:0 rx a\n'
                                  '# done\n')
    assert ok(cli, 'vf 1; component stop a') == "Succeeded to delete component 'a'\n"
    assert ok(cli, 'playback %s' % recipe) == (
        '# vf 1; component start a 1 forward\n'
        "Succeeded to start component 'a' on core:1\n"
        '# vf 1; port add ring:0 rx a\n'
        'Succeeded to add port\n'
        '# done\n')
    comps = rest(cli).get('/v1/vfs/1').json()['components']
    assert comps[0]['name'] == 'a'
    assert comps[0]['rx_port'][0]['port'] == 'ring:0'


def test_cli_server_add_switch_and_del_between_two_spp_ctl(cli):
    cli.start_primary([cli.null()], rings=1)
    cli.start_vf(3, workers=(1,))
    with CtlProc(cli.tmp / 'spp-ctl2.log') as other:
        a, b = addr(cli), addr(other)
        r = run_cli(cli, 'server', 'server add %s' % b, 'server add %s' % b, 'server list',
                    'server 2', 'status', 'vf 3; status', 'server %s' % a, 'status',
                    'server del 2', 'server')
    # Failed: the second add and 'vf 3' on the second spp-ctl.
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0] == '  1: %s *' % a
    assert lines[1] == 'Registered spp-ctl "%s".' % b
    assert lines[2] == '"%s" is already registered.' % b
    assert lines[3:5] == ['  1: %s *' % a, '  2: %s ' % b]
    assert lines[5] == 'Switch spp-ctl to "2: %s".' % b
    assert lines[6:12] == ['- spp-ctl:', '  - address: %s' % b, '- primary:',
                           '  - status: not running', '- secondary:', '  - processes:']
    assert lines[12] == '"vf 3" does not exist.'
    assert lines[13] == 'Switch spp-ctl to "1: %s".' % a
    assert lines[14:22] == ['- spp-ctl:', '  - address: %s' % a, '- primary:',
                            '  - status: running', '- secondary:', '  - processes:',
                            '    1: vf:3', 'Unregistered spp-ctl "%s".' % b]
    assert lines[22:] == ['  1: %s *' % a]


def test_cli_server_del_refuses_current_and_unknown(tmp_path):
    _need_binaries()
    with CtlProc(tmp_path / 'ctl.log') as ctl:
        r = subprocess.run([str(CLI_BIN), '-b', addr(ctl), '-c', 'server del 1',
                            '-c', 'server del 5', '-c', 'server 4',
                            '-c', 'server add 127.0.0.1:%d' % free_port()],
                           capture_output=True, text=True, timeout=30,
                           env=dict(os.environ, HOME=str(tmp_path)))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[:3] == ['Cannot del server "1" in use!',
                         'Cannot del server "5" not exist!',
                         'Cannot switch to no existing server "4".']
    assert len(lines) == 4 and lines[3].startswith('Is not spp-ctl on "127.0.0.1:')


def test_cli_pri_launch_starts_a_vf_that_registers(cli):
    cli.start_primary([cli.null(), cli.null()], rings=2,
                      extra=['--sec-log-dir', str(cli.tmp / 'seclogs')])
    out = ok(cli, 'pri; launch vf 2 --lcores 0@0,1@0 --no-pci -- -s 127.0.0.1:%d'
             % cli.ctl.secondary_port)
    assert out == 'Send request to launch vf:2.\n'
    wait_for(lambda: {'type': 'vf', 'client-id': 2} in rest(cli).get('/v1/processes').json(),
             msg='launched vf 2 to register')
    try:
        assert ok(cli, 'vf 2; status').startswith('Basic Information:\n  - client-id: 2\n')
    finally:
        assert ok(cli, 'vf 2; exit') == 'Exit vf 2.\n'
    wait_for(lambda: rest(cli).get('/v1/processes').json() == [{'type': 'primary'}])

    # Launch errors come back as one Error line (no lcore option: 400).
    r = run_cli(cli, 'pri; launch mirror 3 --no-pci -- -s 127.0.0.1:%d'
                % cli.ctl.secondary_port)
    assert r.returncode == 1, r.stdout
    assert r.stdout.startswith('Error: invalid key(eal): '), r.stdout


def test_cli_sends_nq_queues_of_a_multi_queue_phy(cli):
    cli.start_primary([cli.null(), cli.null()], rings=1,
                      extra=['--port-num', '0', 'rxq', '2', 'txq', '2'])
    cli.start_vf(1, workers=(1, 2))
    assert ok(cli, 'vf 1; component start f 1 forward',
              'vf 1; port add phy:0 nq 1 rx f', 'vf 1; port add phy:1 tx f') == (
        "Succeeded to start component 'f' on core:1\n" + 'Succeeded to add port\n' * 2)
    out = ok(cli, 'vf 1; status')
    assert '  - ports: [phy:0 nq 0, phy:0 nq 1, phy:1]\n' in out
    assert "  - core:1 'f' (type: forward)\n    - rx: phy:0 nq 1\n    - tx: phy:1\n" in out
    # A multi-queue phy without nq is refused by the process.
    r = run_cli(cli, 'vf 1; port add phy:0 tx f')
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == 'Error: command error: Invalid value (port)'
