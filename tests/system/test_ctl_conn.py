"""spp-ctl's process connections (SPEC §4.2-§4.5) against scripted fake
processes: registration, framing of replies of any size and in any
pieces, one slow process never blocking another, timeouts, EOF, bad
replies, options and listeners. No DPDK needed."""

import json
import random
import socket
import subprocess
import threading
import time

import pytest

from ctlproc import CtlProc, Rest, free_port

SUCCESS = b'{"results":[{"result":"success"}]}\n'


def wait_for(cond, timeout=15.0, msg='condition'):
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s (last %r)' % (msg, v))
        time.sleep(0.01)


def status_reply(cid, entries=0):
    info = {'client-id': cid, 'phy': ['0'], 'vhost': [], 'ring': ['1'], 'master-lcore': 0,
            'core': [{'core': 1, 'type': 'unuse'}],
            'classifier_table': [{'type': 'mac', 'value': '02:00:00:00:%02X:%02X' % (i >> 8,
                                                                                   i & 255),
                                  'port': 'ring:%d' % (i % 8)} for i in range(entries)],
            'port_stats': [], 'captures': []}
    return (json.dumps({'results': [{'result': 'success'}], 'info': info}) + '\n').encode()


class Fake:
    """A scripted process on spp-ctl's secondary (or primary) port.
    handler(cmd) returns bytes to send (a list of bytes: sent as separate
    segments), or None for no reply. Commands are recorded."""

    def __init__(self, port, cid=None, ptype='vf', handler=None, register=True):
        self.sock = socket.create_connection(('127.0.0.1', port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.cid = cid
        self.ptype = ptype
        self.handler = handler or (lambda cmd: SUCCESS)
        self.register = register
        self.commands = []
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _reply(self, cmd):
        if cmd == '_get_client_id' and self.register:
            return (json.dumps({'results': [{'result': 'success'}], 'client_id': self.cid,
                                'process_type': self.ptype}) + '\n').encode()
        if cmd == 'status' and self.handler is None:
            return status_reply(self.cid)
        return self.handler(cmd)

    def _run(self):
        buf = b''
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                buf += data
                while b'\n' in buf:
                    line, buf = buf.split(b'\n', 1)
                    cmd = line.decode()
                    self.commands.append(cmd)
                    out = self._reply(cmd)
                    if out is None:
                        continue
                    for piece in (out if isinstance(out, list) else [out]):
                        self.sock.sendall(piece)
        except OSError:
            pass
        self.closed.set()

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


@pytest.fixture
def ctl(tmp_path):
    c = CtlProc(tmp_path / 'spp-ctl.log', cmd_timeout=6)
    if not c.available():
        pytest.skip('%s not built' % c.binary)
    c.start()
    fakes = []
    c.fake = lambda *a, **kw: fakes.append(Fake(c.secondary_port, *a, **kw)) or fakes[-1]
    c.fake_primary = lambda **kw: fakes.append(
        Fake(c.primary_port, register=False, **kw)) or fakes[-1]
    yield c
    for f in fakes:
        f.close()
    assert c.alive(), 'spp-ctl died:\n' + c.tail()
    assert c.stop() == 0, c.tail()


def procs(ctl):
    r = ctl.rest().get('/v1/processes')
    assert r.status == 200, r
    return r.json()


def listed(ctl, entry):
    return entry in procs(ctl)


def test_fake_vf_and_mirror_register_with_their_types(ctl):
    ctl.fake(4, 'mirror')
    ctl.fake(2, 'vf')
    wait_for(lambda: procs(ctl) == [{'type': 'vf', 'client-id': 2},
                                    {'type': 'mirror', 'client-id': 4}])


@pytest.mark.parametrize('reply', [
    b'{"results":[{"result":"error"}],"client_id":5,"process_type":"vf"}\n',
    b'{"results":[{"result":"success"}],"client_id":5,"process_type":"nfv"}\n',
    b'{"results":[{"result":"success"}],"client_id":0,"process_type":"vf"}\n',
    b'{"results":[{"result":"success"}],"client_id":"5","process_type":"vf"}\n',
    b'not json at all\n',
])
def test_bad_registration_reply_closes_the_connection(ctl, reply):
    f = ctl.fake(5, handler=lambda cmd: reply, register=False)
    assert f.closed.wait(10), 'spp-ctl kept a badly registered connection'
    assert procs(ctl) == []


def test_silent_client_does_not_block_registration_and_is_dropped(ctl):
    silent = ctl.fake(7, handler=lambda cmd: None, register=False)
    t0 = time.monotonic()
    ctl.fake(2)
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 2}), timeout=2)
    assert time.monotonic() - t0 < 2
    assert silent.closed.wait(10), 'silent client kept past the 5 s registration limit'
    assert procs(ctl) == [{'type': 'vf', 'client-id': 2}]


def test_reply_of_4096_entries_in_random_pieces_is_read_whole(ctl):
    big = status_reply(3, entries=4096)
    assert len(big) > 200000
    rnd = random.Random(7)

    def pieces(cmd):
        if cmd != 'status':
            return SUCCESS
        out, i = [], 0
        while i < len(big):
            n = rnd.choice([1, 7, 100, 1500, 4096, 65536])
            out.append(big[i:i + n])
            i += n
        return out
    ctl.fake(3, handler=pieces)
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 3}))
    c = ctl.rest()
    for _ in range(3):
        r = c.get('/v1/vfs/3')
        assert r.status == 200, r
        body = r.json()
        assert len(body['classifier_table']) == 4096
        assert body['classifier_table'][4095] == {'type': 'mac', 'value': '02:00:00:00:0F:FF',
                                                  'port': 'ring:7'}
        assert body['ports'] == ['phy:0', 'ring:1']


def test_coalesced_whitespace_and_nul_around_replies_are_ignored(ctl):
    ctl.fake(3, handler=lambda cmd: [b'\x00\x00 \n', status_reply(3)[:10],
                                     status_reply(3)[10:] + b'\x00\r\n'])
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 3}))
    c = ctl.rest()
    for _ in range(5):
        assert c.get('/v1/vfs/3').status == 200


def test_slow_process_blocks_nobody_else_and_times_out_with_500(ctl):
    ctl.fake(9, handler=lambda cmd: None)                  # never answers
    ctl.fake(2, handler=lambda cmd: status_reply(2) if cmd == 'status' else SUCCESS)
    ctl.fake_primary(handler=lambda cmd: b'{"master-lcore":0,"lcores":[0],"phy_ports":[],'
                     b'"ring_ports":[],"pipes":[]}\n')
    wait_for(lambda: len(procs(ctl)) == 3)
    result = {}

    def slow():
        t0 = time.monotonic()
        result['r'] = Rest(ctl.host, ctl.rest_port, timeout=30).get('/v1/vfs/9')
        result['t'] = time.monotonic() - t0
    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.3)
    c = ctl.rest()
    for _ in range(20):
        t0 = time.monotonic()
        assert c.get('/v1/vfs/2').status == 200
        assert c.get('/v1/primary/status').status == 200
        assert c.get('/v1/processes').status == 200
        assert time.monotonic() - t0 < 1.0
    t.join(20)
    r = result['r']
    assert (r.status, r.text) == (500, 'Internal Server Error'), r
    assert 5.5 < result['t'] < 9, result['t']
    # The process that timed out was dropped.
    assert procs(ctl) == [{'type': 'primary'}, {'type': 'vf', 'client-id': 2}]


def test_eof_removes_the_process_at_once(ctl):
    f = ctl.fake(4)
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 4}))
    f.close()
    t0 = time.monotonic()
    wait_for(lambda: procs(ctl) == [], timeout=2)
    assert time.monotonic() - t0 < 1


def test_reply_that_is_not_json_is_500_and_removes_the_process(ctl):
    ctl.fake(4, handler=lambda cmd: b'hello\n')
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 4}))
    r = ctl.rest().get('/v1/vfs/4')
    assert (r.status, r.text) == (500, 'Internal Server Error'), r
    wait_for(lambda: procs(ctl) == [], timeout=2)


def test_reply_with_bad_json_inside_brackets_is_500(ctl):
    ctl.fake(4, handler=lambda cmd: b'{"results": [tru]}\n')
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 4}))
    r = ctl.rest().get('/v1/vfs/4')
    assert (r.status, r.text) == (500, 'Internal Server Error'), r


def test_same_id_same_type_replaces_other_type_is_refused_while_open(ctl):
    a = ctl.fake(6, 'vf')
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 6}))
    b = ctl.fake(6, 'mirror')
    assert b.closed.wait(10), 'a mirror took the id of a live vf'
    assert not a.closed.is_set()
    c = ctl.fake(6, 'vf')
    assert a.closed.wait(10), 'old connection of vf 6 not closed'
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 6}))
    c.close()
    wait_for(lambda: procs(ctl) == [])
    ctl.fake(6, 'mirror')
    wait_for(lambda: procs(ctl) == [{'type': 'mirror', 'client-id': 6}])


def test_new_primary_connection_replaces_the_old(ctl):
    a = ctl.fake_primary(handler=lambda cmd: b'{"n":1}\n')
    wait_for(lambda: procs(ctl) == [{'type': 'primary'}])
    ctl.fake_primary(handler=lambda cmd: b'{"n":2}\n')
    assert a.closed.wait(10)
    wait_for(lambda: ctl.rest().get('/v1/primary/status').json() == {'n': 2})


def test_commands_to_one_process_are_serialized(ctl):
    """One outstanding command per connection: concurrent requests to one
    process never interleave their replies."""
    inflight = []
    overlaps = []
    lock = threading.Lock()

    def handler(cmd):
        with lock:
            inflight.append(cmd)
            if len(inflight) > 1:
                overlaps.append(list(inflight))
        time.sleep(0.005)
        with lock:
            inflight.remove(cmd)
        name = cmd.split()[2]
        if name.startswith('bad'):
            return (json.dumps({'results': [{'result': 'error', 'error_details': {
                'message': 'Invalid value (component name)', 'detail': name}}]}) + '\n').encode()
        return SUCCESS
    ctl.fake(2, handler=handler)
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 2}))
    errors = []

    def worker(i):
        c = ctl.rest()
        for j in range(10):
            name = ('bad%d_%d' if j % 2 else 'ok%d_%d') % (i, j)
            r = c.post('/v1/vfs/2/components', {'name': name, 'core': 1, 'type': 'merge'})
            want = (400, 'command error: Invalid value (component name)') if j % 2 else (204, '')
            if (r.status, r.text) != want or (j % 2 and r.header('X-Spp-Error-Detail') != name):
                errors.append((name, r))
    ts = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    assert errors == []
    assert overlaps == []


def test_token_auth_guards_every_route(tmp_path):
    c = CtlProc(tmp_path / 'spp-ctl.log', token='s3cret-T0ken')
    if not c.available():
        pytest.skip('not built')
    with c:
        for path in ('/v1/processes', '/v1/nosuch', '/metrics', '/v1/openapi.json',
                     '/v1/vfs/1'):
            for tok in ('', 'wrong', 's3cret-T0ke', 's3cret-T0ken2'):
                r = c.rest(token=tok).get(path)
                assert (r.status, r.text) == (401, 'Unauthorized.'), (path, tok, r)
                assert r.content_type.startswith('text/plain')
                assert r.header('WWW-Authenticate') == 'Bearer'
        r = c.rest(token='').request('GET', '/v1/processes',
                                     headers={'Authorization': 's3cret-T0ken'})
        assert r.status == 401
        r = c.rest(token='').put('/v1/primary/launch', raw=b'x' * (2 << 20))
        assert r.status == 401, r
        ok = c.rest()
        assert ok.get('/v1/processes').status == 200
        assert ok.get('/v1/nosuch').status == 404
        assert ok.get('/metrics').status == 200


def test_without_token_no_auth_is_asked(ctl):
    r = ctl.rest().request('GET', '/v1/processes', headers={'Authorization': 'Bearer x'})
    assert r.status == 200


@pytest.mark.parametrize('content', ['', '  \n\t\n', None])
def test_empty_or_unreadable_token_file_refuses_to_start(tmp_path, content):
    binary = CtlProc(tmp_path / 'x.log').binary
    if not binary.exists():
        pytest.skip('not built')
    path = tmp_path / 'token'
    if content is not None:
        path.write_text(content)
    r = subprocess.run([str(binary), '-a', str(free_port()), '-p', str(free_port()),
                        '-s', str(free_port()), '--token-file', str(path)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
    assert r.returncode == 1
    assert b'token' in r.stderr and r.stderr.count(b'\n') == 1, r.stderr


def test_token_file_is_trimmed(tmp_path):
    c = CtlProc(tmp_path / 'spp-ctl.log', token='abc')
    if not c.available():
        pytest.skip('not built')
    # CtlProc writes "abc\n"; the trailing newline is not part of it.
    with c:
        assert c.rest(token='abc').get('/v1/processes').status == 200
        assert c.rest(token='abc ').get('/v1/processes').status == 200
        assert c.rest(token='ab').get('/v1/processes').status == 401


def test_request_body_over_1_mib_is_413(ctl):
    c = ctl.rest()
    r = c.put('/v1/primary/launch', raw=b'{"a":"' + b'x' * (1 << 20) + b'"}')
    assert (r.status, r.text) == (413, 'Request body too large.'), r
    # Exactly at the limit is read (and is no JSON object here).
    c = ctl.rest()
    r = c.put('/v1/primary/launch', raw=b' ' * (1 << 20))
    assert (r.status, r.text) == (400, 'Not in json format.'), r
    # Chunked, no Content-Length.
    s = socket.create_connection((ctl.host, ctl.rest_port))
    s.sendall(b'PUT /v1/primary/launch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n')
    chunk = b'x' * 65536
    for _ in range(20):
        s.sendall(b'%x\r\n%s\r\n' % (len(chunk), chunk))
    s.sendall(b'0\r\n\r\n')
    s.settimeout(10)
    data = b''
    while b'\r\n\r\n' not in data:
        data += s.recv(4096)
    assert data.startswith(b'HTTP/1.1 413'), data
    s.close()


def test_deep_json_body_is_400_and_the_server_lives(ctl):
    c = ctl.rest()
    r = c.put('/v1/primary/launch', raw=b'[' * 100000 + b']' * 100000)
    assert (r.status, r.text) == (400, 'Not in json format.'), r
    assert c.get('/v1/processes').status == 200


@pytest.mark.parametrize('argv,msg', [
    (['--cmd-timeout', '5'], b'cmd-timeout'),
    (['--cmd-timeout', '3601'], b'cmd-timeout'),
    (['-p', '0'], b'port'),
    (['-a', '70000'], b'port'),
    (['--log-level', 'loud'], b'log-level'),
    (['--bogus'], b'bogus'),
    (['extra'], b'extra'),
    (['-b', 'no.such.host.invalid'], b'no.such.host.invalid'),
])
def test_invalid_options_exit_1_with_one_line(tmp_path, argv, msg):
    binary = CtlProc(tmp_path / 'x.log').binary
    if not binary.exists():
        pytest.skip('not built')
    ports = ['-p', str(free_port()), '-s', str(free_port()), '-a', str(free_port())]
    r = subprocess.run([str(binary)] + ports + argv, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=10)
    assert r.returncode == 1, r
    assert msg in r.stderr and r.stderr.count(b'\n') == 1, r.stderr


def test_port_in_use_exits_1(ctl, tmp_path):
    r = subprocess.run([str(ctl.binary), '-p', str(free_port()), '-s', str(free_port()),
                        '-a', str(ctl.rest_port)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=10)
    assert r.returncode == 1
    assert b'REST' in r.stderr, r.stderr


def test_binds_localhost_by_default(tmp_path):
    binary = CtlProc(tmp_path / 'x.log').binary
    if not binary.exists():
        pytest.skip('not built')
    port = free_port()
    p = subprocess.Popen([str(binary), '-p', str(free_port()), '-s', str(free_port()),
                          '-a', str(port)], stderr=subprocess.PIPE)
    try:
        wait_for(lambda: port in _listening_ports('127.0.0.1'), msg='REST listening')
        assert port not in _listening_ports('0.0.0.0')
    finally:
        p.terminate()
        assert p.wait(10) == 0


def _listening_ports(addr):
    """Ports listening on addr, from /proc/net/tcp."""
    want = ''.join('%02X' % int(x) for x in reversed(addr.split('.')))
    out = set()
    with open('/proc/net/tcp') as f:
        next(f)
        for line in f:
            fields = line.split()
            ip, port = fields[1].split(':')
            if fields[3] == '0A' and ip == want:
                out.add(int(port, 16))
    return out


@pytest.fixture
def replay_ctl(tmp_path):
    c = CtlProc(tmp_path / 'spp-ctl.log', cmd_timeout=6, replay=True)
    if not c.available():
        pytest.skip('%s not built' % c.binary)
    c.start()
    fakes = []
    c.fake = lambda *a, **kw: fakes.append(Fake(c.secondary_port, *a, **kw)) or fakes[-1]
    yield c
    for f in fakes:
        f.close()
    assert c.alive(), 'spp-ctl died:\n' + c.tail()
    assert c.stop() == 0, c.tail()


def configured_status(cid):
    info = json.loads(status_reply(cid))
    info['info']['core'] = [{'core': 1, 'name': 'f', 'type': 'forward', 'rx_port': [],
                             'tx_port': []}]
    return (json.dumps(info) + '\n').encode()


def drive_history(ctl):
    """Successful, failed and non-replayable requests to fake vf 2."""
    def handler(cmd):
        if cmd == 'status':
            return status_reply(2)
        if 'bad' in cmd:
            return (b'{"results":[{"result":"error","error_details":'
                    b'{"message":"Invalid value (component name)"}}]}\n')
        return SUCCESS
    f = ctl.fake(2, handler=handler)
    wait_for(lambda: listed(ctl, {'type': 'vf', 'client-id': 2}))
    c = ctl.rest()
    assert c.post('/v1/vfs/2/components', {'name': 'f', 'core': 1, 'type': 'forward'}).status == 204
    assert c.post('/v1/vfs/2/components', {'name': 'bad', 'core': 1,
                                           'type': 'forward'}).status == 400
    assert c.put('/v1/vfs/2/components/f/ports', {'action': 'attach', 'port': 'ring:0',
                                                  'dir': 'rx'}).status == 204
    assert c.get('/v1/vfs/2').status == 200
    assert c.put('/v1/vfs/2/classifier_table', {'action': 'add', 'type': 'mac',
                                                'mac_address': 'default',
                                                'port': 'ring:1'}).status == 204
    assert c.put('/v1/vfs/2/captures', {'action': 'stop', 'port': 'ring:0',
                                        'dir': 'rx'}).status == 204
    f.close()
    wait_for(lambda: procs(ctl) == [])
    return ['component start f 1 forward', 'port add ring:0 rx f',
            'classifier_table add mac default ring:1', 'capture stop ring:0 rx']


def test_replay_sends_the_history_in_order_to_a_fresh_process(replay_ctl):
    ctl = replay_ctl
    history = drive_history(ctl)

    def handler(cmd):
        if cmd == 'status':
            return status_reply(2)
        if cmd.startswith('port'):
            return (b'{"results":[{"result":"error","error_details":'
                    b'{"message":"Invalid value (port)"}}]}\n')
        return SUCCESS
    g = ctl.fake(2, handler=handler)
    wait_for(lambda: procs(ctl) != [])
    assert g.commands == ['_get_client_id', 'status'] + history
    assert procs(ctl) == [{'type': 'vf', 'client-id': 2, 'replay_errors': [
        {'command': 'port add ring:0 rx f', 'message': 'Invalid value (port)'}]}]


def test_replay_leaves_a_configured_process_alone(replay_ctl):
    ctl = replay_ctl
    drive_history(ctl)
    g = ctl.fake(2, handler=lambda cmd: configured_status(2) if cmd == 'status' else SUCCESS)
    wait_for(lambda: procs(ctl) == [{'type': 'vf', 'client-id': 2}])
    assert g.commands == ['_get_client_id', 'status']


def test_replay_history_is_per_type_and_cleared_by_exit(replay_ctl):
    ctl = replay_ctl
    drive_history(ctl)
    m = ctl.fake(2, 'mirror', handler=lambda cmd: status_reply(2) if cmd == 'status'
                 else SUCCESS)
    wait_for(lambda: procs(ctl) == [{'type': 'mirror', 'client-id': 2}])
    assert m.commands == ['_get_client_id']
    m.close()
    wait_for(lambda: procs(ctl) == [])
    drive_history(ctl)
    v = ctl.fake(2, handler=lambda cmd: status_reply(2) if cmd == 'status' else SUCCESS)
    wait_for(lambda: procs(ctl) != [])
    assert ctl.rest().delete('/v1/vfs/2').status == 204
    v.close()
    w = ctl.fake(2, handler=lambda cmd: status_reply(2) if cmd == 'status' else SUCCESS)
    wait_for(lambda: procs(ctl) == [{'type': 'vf', 'client-id': 2}])
    assert w.commands == ['_get_client_id']


def test_no_replay_without_the_option(ctl):
    drive_history(ctl)
    g = ctl.fake(2, handler=lambda cmd: status_reply(2) if cmd == 'status' else SUCCESS)
    wait_for(lambda: procs(ctl) == [{'type': 'vf', 'client-id': 2}])
    assert g.commands == ['_get_client_id']
