"""Rejected commands (SPEC §4.3, §5.1-§5.7): the exact error message, and
`status` identical (values and key order) before and after."""

import pytest

from conftest import SUCCESS, assert_error, assert_same_json, spp_env

WMF = 'Wrong message format'
CMD = 'Invalid value (command)'
ACTION = 'Invalid value (action)'
NAME = 'Invalid value (component name)'
CORE = 'Invalid value (core)'
CTYPE = 'Invalid value (component type)'
PORT = 'Invalid value (port)'
RXTX = 'Invalid value (port rxtx)'
VLANOP = 'Invalid value (port vlan operation)'
VID = 'Invalid value (port vid)'
PCP = 'Invalid value (port pcp)'
TYPE = 'Invalid value (type)'
VLANID = 'Invalid value (vlan id)'
MAC = 'Invalid value (mac address)'
ERR = 'error occur'

M1 = '02:00:00:00:00:01'

# Configuration the cases run against (workers 1, 2, 3; rings 0..7):
#   fwd (lcore 1, forward):    rx ring:0, tx ring:1
#   cls (lcore 2, classifier): rx ring:2, tx ring:3 and ring:4
#   mrg (lcore 3, merge):      rx ring:1 (so ring:1 is used both ways)
#   table: mac M1 -> ring:3 (active in cls), mac M1 -> ring:6 (inactive)
SETUP = [
    'component start fwd 1 forward',
    'component start cls 2 classifier',
    'component start mrg 3 merge',
    'port add ring:0 rx fwd',
    'port add ring:1 tx fwd',
    'port add ring:2 rx cls',
    'port add ring:3 tx cls',
    'port add ring:4 tx cls',
    'port add ring:1 rx mrg',
    'classifier_table add mac %s ring:3' % M1,
    'classifier_table add mac %s ring:6' % M1,
]

CASES = [
    # §5.1 general: token count, unknown command
    ('status now', WMF),
    ('a b c d e f g h i', WMF),
    ('component start x 1 forward a b c d', WMF),
    ('frobnicate', CMD),
    ('Status', CMD),
    ('exit now', WMF),
    ('_get_client_id 1', WMF),
    # §5.2/§5.3 component
    ('component', WMF),
    ('component start', WMF),
    ('component start x', WMF),
    ('component start x 1', WMF),
    ('component stop', WMF),
    ('component stop fwd extra', WMF),
    ('component begin x 1 forward', ACTION),
    ('component start fwd 1 forward', NAME),
    ('component start %s 1 forward' % ('n' * 32), NAME),
    ('component start a"b 1 forward', NAME),
    ('component start a/b 1 forward', NAME),
    ('component start a;b 1 forward', NAME),
    ('component start a\\b 1 forward', NAME),
    ('component start n1 0 forward', CORE),
    ('component start n1 7 forward', CORE),
    ('component start n1 128 forward', CORE),
    ('component start n1 -1 forward', CORE),
    ('component start n1 x forward', CORE),
    ('component start n1 1 mirror', CTYPE),
    ('component start n1 1 patch', CTYPE),
    ('component start n1 1 forward deep', WMF),
    # §5.4 port
    ('port', WMF),
    ('port add ring:5 rx', WMF),
    ('port del ring:0 rx', WMF),
    ('port del ring:0 rx fwd x', WMF),
    ('port add ring:5 rx mrg add_vlantag 100', WMF),
    ('port add ring:5 rx mrg del_vlantag 1', WMF),
    ('port add ring:5 rx mrg add_vlantag 100 3 1', WMF),
    ('port attach ring:5 rx mrg', ACTION),
    ('port add ring:8 rx mrg', PORT),
    ('port add ring:1024 rx mrg', PORT),
    ('port add phy:2 rx mrg', PORT),
    ('port add vhost:256 rx mrg', PORT),
    ('port add ring:5nq1 rx mrg', PORT),
    ('port add phy:0nq1 rx mrg', PORT),
    ('port add pcap:0 rx mrg', PORT),
    ('port add ring rx mrg', PORT),
    ('port add ring:-1 rx mrg', PORT),
    ('port add ring:5 up mrg', RXTX),
    ('port add ring:5 rx nosuch', NAME),
    ('port add ring:3 tx nosuch', NAME),
    ('port add ring:5 rx mrg vlan 1 2', VLANOP),
    ('port add ring:5 rx mrg strip', VLANOP),
    ('port add ring:5 rx mrg add_vlantag 4095 0', VID),
    ('port add ring:5 rx mrg add_vlantag 4096 0', VID),
    ('port add ring:5 rx mrg add_vlantag x 0', VID),
    ('port add ring:5 rx mrg add_vlantag 100 8', PCP),
    ('port add ring:5 rx mrg add_vlantag 100 -1', PCP),
    ('port add ring:1 tx cls', PORT),                  # ring:1 used both ways
    ('port add ring:3 tx mrg', RXTX),                  # ring:3 tx is cls's
    ('port add ring:0 rx mrg', RXTX),                  # ring:0 rx is fwd's
    ('port add ring:6 tx cls', PORT),                  # §5.4 10a: M1 twice in cls
    ('port add ring:5 rx fwd', ERR),                   # second rx on a forwarder
    ('port add ring:5 tx fwd', ERR),                   # second tx on a forwarder
    ('port add ring:5 rx cls', ERR),                   # second rx on a classifier
    # §5.5 classifier_table
    ('classifier_table', WMF),
    ('classifier_table add mac %s' % M1, WMF),
    ('classifier_table add vlan %s ring:3' % M1, WMF),
    ('classifier_table add mac 100 %s ring:3' % M1, WMF),
    ('classifier_table insert mac %s ring:3' % M1, ACTION),
    ('classifier_table add ip %s ring:3' % M1, TYPE),
    ('classifier_table add vlan 0 %s ring:3' % M1, VLANID),
    ('classifier_table add vlan 4095 %s ring:3' % M1, VLANID),
    ('classifier_table add vlan 4096 %s ring:3' % M1, VLANID),
    ('classifier_table add vlan x %s ring:3' % M1, VLANID),
    ('classifier_table add mac 02:00:00:00:00:zz ring:3', MAC),
    ('classifier_table add mac 02:00:00:00:00 ring:3', MAC),
    ('classifier_table add mac 02:00:00:00:00:01:02 ring:3', MAC),
    ('classifier_table add mac 2:0:0:0:0:1 ring:3', MAC),
    ('classifier_table add mac 02-00-00-00-00-02 ring:3', MAC),
    ('classifier_table add mac 00:00:00:00:00:00 ring:3', MAC),
    ('classifier_table add mac ff:ff:ff:ff:ff:ff ring:3', MAC),
    ('classifier_table add mac 01:00:5e:00:00:01 ring:3', MAC),
    ('classifier_table add mac Default ring:3', MAC),
    ('classifier_table add mac 02:00:00:00:00:09 ring:8', PORT),
    ('classifier_table add mac 02:00:00:00:00:09 vhost:999', PORT),
    ('classifier_table add mac %s ring:3' % M1, PORT),          # exists
    ('classifier_table add mac %s ring:4' % M1.upper(), PORT),  # M1 on another tx of cls
    ('classifier_table del mac 02:00:00:00:00:77 ring:3', PORT),
    ('classifier_table del mac %s ring:4' % M1, PORT),
    ('classifier_table del vlan 100 %s ring:3' % M1, PORT),
]


@pytest.fixture(scope='module')
def vf(tmp_path_factory):
    with spp_env(tmp_path_factory.mktemp('bad')) as env:
        env.start_primary([env.null(), env.null()], rings=8)
        v = env.start_vf(2)
        v.ok(*SETUP)
        yield v


@pytest.mark.parametrize('command,message', CASES, ids=[c for c, _ in CASES])
def test_rejected_command_has_spec_message_and_changes_nothing(vf, command, message):
    before = vf.cmd('status')
    reply = vf.cmd(command)
    assert_error(reply, message)
    assert_same_json(vf.cmd('status'), before)


def test_component_stop_of_unknown_name_succeeds_and_changes_nothing(vf):
    before = vf.cmd('status')
    assert_same_json(vf.cmd('component stop nosuch'), SUCCESS)
    assert_same_json(vf.cmd('status'), before)


def test_port_del_of_unattached_port_succeeds_and_changes_nothing(vf):
    before = vf.cmd('status')
    assert_same_json(vf.cmd('port del ring:7 tx mrg'), SUCCESS)
    assert_same_json(vf.cmd('status'), before)


def test_repeated_port_add_without_op_succeeds_and_changes_nothing(vf):
    before = vf.cmd('status')
    assert_same_json(vf.cmd('port add ring:0 rx fwd'), SUCCESS)
    assert_same_json(vf.cmd('status'), before)


def test_command_of_1_mib_is_rejected_and_next_command_works(vf):
    before = vf.cmd('status')
    vf.conn.send_raw(b'a' * (1 << 20) + b'\nstatus\n')
    # One `Wrong message format` per 4096 bytes run without terminator (at
    # least one), then the status reply, unchanged.
    replies = []
    while True:
        reply = vf.conn.read_reply(timeout=30)
        if 'info' in reply:
            break
        replies.append(reply)
    assert replies, 'no Wrong message format reply'
    for r in replies:
        assert_error(r, WMF)
    assert_same_json(reply, before)


def test_command_over_4096_bytes_without_terminator_is_rejected(vf):
    before = vf.cmd('status')
    vf.conn.send_raw(b'component stop ' + b'x' * 4082)
    assert_error(vf.conn.read_reply(), WMF)
    vf.conn.send_raw(b'\n')            # ends the discarded command
    assert_same_json(vf.cmd('status'), before)


def test_commands_split_over_writes_get_one_reply(vf):
    before = vf.cmd('status')
    for b in b'status\n':
        vf.conn.send_raw(bytes([b]))
    assert_same_json(vf.conn.read_reply(), before)


def test_concatenated_commands_get_one_reply_each_in_order(vf):
    before = vf.cmd('status')
    vf.conn.send_raw(b'status\nframble\r\ncomponent stop nosuch\nstatus\n')
    r1, r2, r3, r4 = vf.conn.read_replies(4)
    assert_same_json(r1, before)
    assert_error(r2, CMD)
    assert_same_json(r3, SUCCESS)
    assert_same_json(r4, before)


def test_terminated_blank_commands_get_no_reply(vf):
    vf.conn.send_raw(b'\n   \n\t \r\n\r\n\x00\x00status\n\x00frobnicate\n')
    # Had any blank been answered, its reply would come before these two.
    assert 'info' in vf.conn.read_reply()
    assert_error(vf.conn.read_reply(), CMD)


def test_unterminated_blank_command_is_wrong_message_format(vf):
    vf.conn.send_raw(b'  \t ')
    assert_error(vf.conn.read_reply(), WMF)


def test_unterminated_command_is_run_after_silence(vf):
    before = vf.cmd('status')
    vf.conn.send_raw(b'status')
    assert_same_json(vf.conn.read_reply(), before)


def test_tokens_may_be_separated_by_runs_of_blanks(vf):
    before = vf.cmd('status')
    assert_same_json(vf.cmd('  component \t stop   nosuch  '), SUCCESS)
    assert_same_json(vf.cmd('status'), before)


def test_full_classifier_table_refuses_one_more_entry(spp):
    spp.start_primary([spp.null()], rings=8)
    vf = spp.start_vf(2)
    vf.ok('component start cls 1 classifier', 'port add ring:0 tx cls',
          'classifier_table add mac 02:00:00:00:00:01 ring:0')
    # 4095 more entries on ring:7 (not a classifier tx port: no plan change),
    # sent in batches of several commands per write.
    cmds = ['classifier_table add mac 02:00:00:01:%02x:%02x ring:7' % (i >> 8, i & 0xff)
            for i in range(4095)]
    for k in range(0, len(cmds), 256):
        batch = cmds[k:k + 256]
        vf.conn.send_raw(''.join(c + '\n' for c in batch).encode())
        for c, r in zip(batch, vf.conn.read_replies(len(batch))):
            assert r == SUCCESS, (c, r)
    before = vf.cmd('status')
    assert len(before['info']['classifier_table']) == 4096
    assert_error(vf.cmd('classifier_table add mac 02:00:00:02:00:00 ring:7'), ERR)
    assert_error(vf.cmd('classifier_table add vlan 5 default ring:0'), ERR)
    assert_same_json(vf.cmd('status'), before)
    # Deleting one makes room again.
    vf.ok('classifier_table del mac 02:00:00:01:00:00 ring:7',
          'classifier_table add vlan 5 default ring:0')


def test_component_limit_of_128_per_process(spp):
    spp.start_primary([spp.null()], rings=1)
    vf = spp.start_vf(2)
    cmds = ['component start c%d %d forward' % (i, 1 + i % 3) for i in range(128)]
    vf.conn.send_raw(''.join(c + '\n' for c in cmds).encode())
    for c, r in zip(cmds, vf.conn.read_replies(len(cmds))):
        assert r == SUCCESS, (c, r)
    before = vf.cmd('status')
    assert_error(vf.cmd('component start c128 1 forward'), ERR)
    assert_same_json(vf.cmd('status'), before)


def test_name_of_31_bytes_is_accepted(spp):
    spp.start_primary([spp.null()], rings=1)
    vf = spp.start_vf(2)
    name = '!#$%&()*+,-.0123456789:<=>?@AZ~'
    assert len(name) == 31
    vf.ok('component start %s 1 forward' % name)
    assert vf.component(name)['type'] == 'forward'
    vf.ok('component stop %s' % name)


def test_get_client_id_reply_has_exact_keys_and_values(vf):
    expected = {'results': [{'result': 'success'}], 'client_id': 2, 'process_type': 'vf'}
    assert_same_json(vf.conn.registration, expected)
    assert_same_json(vf.cmd('_get_client_id'), expected)


def test_numbers_with_leading_zeros_are_decimal(spp):
    spp.start_primary([spp.null()], rings=12)
    vf = spp.start_vf(2)
    vf.ok('component start n 01 forward', 'port add ring:010 rx n',
          'port add ring:0008 tx n add_vlantag 0100 07')
    c = vf.component('n')
    assert c['core'] == 1
    assert c['rx_port'] == [{'port': 'ring:10', 'vlan': {'operation': 'none', 'id': 0, 'pcp': 0}}]
    assert c['tx_port'] == [{'port': 'ring:8', 'vlan': {'operation': 'add', 'id': 100, 'pcp': 7}}]
    assert vf.status()['ring'] == ['8', '10']
