"""The interactive spp CLI on a pseudo-terminal (pexpect): the banner and
prompt, tab completion with libedit fed by live status from a real spp-ctl
(command words, ids, sub-commands, free lcores, types, ports, rx/tx,
component names), history in $HOME/.spp_history, history/redo and exit.

A completed line is checked where it lands: the history file records the
line libedit returned on Enter, and the command's output shows what ran.
"""

import os
import re

import pytest

from test_cli_commands import CLI_BIN, addr, cli_env

pexpect = pytest.importorskip('pexpect')

PROMPT = 'spp > '
TIMEOUT = 60   # generous: lcores are shared with other tests


@pytest.fixture
def cli(tmp_path):
    with cli_env(tmp_path) as env:
        yield env


def spawn(env, extra=(), prompt=PROMPT):
    c = pexpect.spawn(str(CLI_BIN), ['-b', addr(env)] + list(extra), encoding='utf-8',
                      timeout=TIMEOUT,
                      dimensions=(40, 200),
                      env=dict(os.environ, HOME=str(env.cli_home), TERM='xterm'))
    c.expect_exact('Welcome to the SPP CLI. Type `help` or `?` to list commands.')
    c.expect_exact(prompt)
    return c


def history(env):
    return (env.cli_home / '.spp_history').read_text().splitlines()


def enter_and_wait(c, output):
    c.send('\r')
    c.expect_exact(output)
    c.expect_exact(PROMPT)


def test_cli_tab_completes_from_live_status_on_a_pty(cli):
    cli.start_primary([cli.null(), cli.null()], rings=4)
    cli.start_vf(1, workers=(1, 2, 3))
    c = spawn(cli)
    try:
        # Command word, then the only vf id (with its ';'), then sub-commands.
        c.send('v\t')
        c.expect_exact('f ')
        c.send('\t')
        c.expect_exact('1;')
        c.send(' comp\t')
        c.expect_exact('onent ')
        c.send('sta\t')
        c.expect_exact('rt ')
        # Three free worker lcores: no common prefix, so TAB lists them.
        c.send('fw \t')
        c.expect(r'1\s+2\s+3\s*\r\n')
        c.send('2 fo\t')
        c.expect_exact('rward ')
        enter_and_wait(c, "Succeeded to start component 'fw' on core:2")
        assert history(cli)[-1] == 'vf 1; component start fw 2 forward'

        # Port UIDs share "ring:" (inserted), then rx/tx, then the name.
        c.send('vf 1; port add ri\t')
        c.expect_exact('ng:')
        c.send('1 r\t')
        c.expect_exact('x ')
        c.send('\t')
        c.expect_exact('fw ')
        enter_and_wait(c, 'Succeeded to add port')
        assert history(cli)[-1] == 'vf 1; port add ring:1 rx fw'

        # Only free lcores are offered now, and the started name for stop.
        c.send('vf 1; component start x \t')
        c.expect(r'1\s+3\s*\r\n')
        c.send('\x15')                     # Ctrl-U: drop the line
        c.send('vf 1; component stop \t')
        c.expect_exact('fw ')
        enter_and_wait(c, "Succeeded to delete component 'fw'")

        # status, then history and redo of it.
        c.send('stat\t')
        c.expect_exact('us ')
        enter_and_wait(c, '    1: vf:1')
        c.send('history\r')
        c.expect_exact('  1  vf 1; component start fw 2 forward')
        c.expect_exact('  4  status')
        c.expect_exact(PROMPT)
        c.send('redo 4\r')
        c.expect_exact('- spp-ctl:')
        c.expect_exact(PROMPT)
        assert history(cli) == ['vf 1; component start fw 2 forward',
                                'vf 1; port add ring:1 rx fw',
                                'vf 1; component stop fw',
                                'status']

        # Errors are one clear line; exit says goodbye.
        c.send('vf 9; status\r')
        c.expect_exact('"vf 9" does not exist.')
        c.expect_exact(PROMPT)
        c.send('exit\r')
        c.expect_exact('Thank you for using Soft Patch Panel')
        c.expect(pexpect.EOF)
    finally:
        c.close(force=True)
    assert c.exitstatus == 0


def test_cli_ctrl_c_drops_line_ctrl_d_leaves_history_survives_a_restart(cli):
    cli.start_primary([cli.null()], rings=1)
    c = spawn(cli)
    try:
        # Ctrl-C drops the line being typed, not the shell.
        c.send('vf 1; sta')
        c.sendintr()
        c.expect_exact(PROMPT)
        c.send('pri; st\t')
        c.expect(re.compile(r'status\s+stop'))
        c.send('at\t')
        c.expect_exact('us ')
        enter_and_wait(c, '- lcore_ids:')
        # File names complete from the file system.
        recipe = cli.tmp / 'recipe-unique.txt'
        recipe.write_text('# from the recipe\n')
        c.send('playback %s/recipe-u\t' % cli.tmp)
        c.expect_exact('nique.txt')
        enter_and_wait(c, '# from the recipe')
        c.sendeof()
        c.expect_exact('Thank you for using Soft Patch Panel')
        c.expect(pexpect.EOF)
    finally:
        c.close(force=True)
    assert history(cli) == ['pri; status', 'playback %s' % recipe]

    # A new session (prompt from --config, upstream's layout) recalls the
    # previous session's commands with the up arrow.
    config = cli.tmp / 'spp.yml'
    config.write_text('prompt:\n  val: "myspp> "\n  desc: prompt\nsec_wait_launch: 0.1\n')
    c = spawn(cli, extra=['--config', str(config)], prompt='myspp> ')
    try:
        c.send('\x1b[A\x1b[A')
        c.send('\r')
        c.expect_exact('  - ring ports:')
        c.expect_exact('myspp> ')
        c.send('bye\r')
        c.expect_exact('Thank you for using Soft Patch Panel')
        c.expect(pexpect.EOF)
    finally:
        c.close(force=True)
    assert history(cli) == ['pri; status', 'playback %s' % recipe, 'pri; status']
