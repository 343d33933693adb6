"""A real spp-ctl for system tests, and a tiny REST client.

CtlProc starts the built `spp-ctl` (SPP_BUILD/src/ctl/spp-ctl) on free
ports of 127.0.0.1 with its own log file, waits until REST answers and stops
it by PID (SIGTERM, then SIGKILL). Rest is an http.client based client.

    ctl = CtlProc(tmp_path / 'spp-ctl.log', replay=True)
    ctl.start()
    r = ctl.rest().get('/v1/processes')
    assert r.status == 200 and r.json() == [...]
    ctl.stop()

CtlAdapter makes a CtlProc usable as the `ctl` of conftest.Spp (which was
written for the in-test controller sppctl.SppCtl): the processes connect to
the real spp-ctl, registrations are observed through GET /v1/processes and
the few commands Spp itself sends (`exit`, `status`) go through REST.

API stability: other test modules import this one; add, do not rename.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import _tail, spp_env

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get('SPP_BUILD', REPO / 'build'))
CTL_BIN = BUILD / 'src' / 'ctl' / 'spp-ctl'

HOST = '127.0.0.1'
START_WAIT = 15.0
STOP_WAIT = 10.0

SUCCESS = {'results': [{'result': 'success'}]}


def free_port(host=HOST):
    """A TCP port that was free a moment ago (the kernel's choice)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((host, 0))
        return s.getsockname()[1]
    finally:
        s.close()


class Response:
    """status (int), reason, headers (case-insensitive lookup through
    header()), body (bytes); text and json() decode it."""

    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode('utf-8', errors='replace')

    def json(self):
        return json.loads(self.body.decode('utf-8'))

    def header(self, name, default=None):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return default

    @property
    def content_type(self):
        return self.header('Content-Type', '')

    def __repr__(self):
        return 'Response(%d, %r, %r)' % (self.status, self.headers, self.body[:300])


class Rest:
    """One keep-alive HTTP/1.1 connection to spp-ctl's REST port (re-opened
    when the server closed it). Not thread-safe: one per thread."""

    def __init__(self, host, port, token=None, timeout=30.0):
        self.host = host
        self.port = port
        self.token = token
        self.timeout = timeout
        self._conn = None

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method, path, body=None, headers=None, raw=None, token=None):
        """body: a JSON value (sent compact) or None; raw: bytes sent as
        is instead. token: overrides the client's token for this call
        ('' sends no Authorization header). Returns a Response."""
        hdrs = dict(headers or {})
        tok = self.token if token is None else token
        if tok:
            hdrs.setdefault('Authorization', 'Bearer ' + tok)
        data = raw
        if data is None and body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault('Content-Type', 'application/json')
        for attempt in (0, 1):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port,
                                                        timeout=self.timeout)
            try:
                self._conn.request(method, path, body=data, headers=hdrs)
                r = self._conn.getresponse()
                payload = r.read()
                resp = Response(r.status, r.reason, r.getheaders(), payload)
                if r.will_close:
                    self.close()
                return resp
            except (ConnectionError, http.client.BadStatusLine,
                    http.client.CannotSendRequest, http.client.ResponseNotReady):
                # A kept-alive connection the server closed meanwhile.
                self.close()
                if attempt:
                    raise
        raise AssertionError('unreachable')

    def get(self, path, **kw):
        return self.request('GET', path, **kw)

    def delete(self, path, **kw):
        return self.request('DELETE', path, **kw)

    def put(self, path, body=None, **kw):
        return self.request('PUT', path, body=body, **kw)

    def post(self, path, body=None, **kw):
        return self.request('POST', path, body=body, **kw)


class CtlProc:
    """A real spp-ctl process on free ports.

    log: path of its stderr/stdout log (appended across restarts).
    replay: pass --replay. token: write it to a token file next to the
    log and pass --token-file. cmd_timeout: --cmd-timeout. extra: more
    options. Ports are chosen at the first start and kept across
    restart(), so processes reconnect to the same addresses.
    """

    def __init__(self, log, replay=False, token=None, cmd_timeout=None, log_level='debug',
                 extra=(), binary=None):
        self.binary = Path(binary) if binary else CTL_BIN
        self.log = Path(log)
        self.replay = replay
        self.token = token
        self.cmd_timeout = cmd_timeout
        self.log_level = log_level
        self.extra = list(extra)
        self.host = HOST
        self.primary_port = None
        self.secondary_port = None
        self.rest_port = None
        self.token_file = None
        self.popen = None
        self.pid = None
        self.expect_rc = 0
        self.exit_codes = []        # of every stopped instance, in order
        self._fixed = False         # ports proven bindable by a start

    def available(self):
        return self.binary.exists()

    def argv(self):
        argv = [str(self.binary), '-b', self.host, '-p', str(self.primary_port),
                '-s', str(self.secondary_port), '-a', str(self.rest_port),
                '--log-level', self.log_level]
        if self.replay:
            argv.append('--replay')
        if self.cmd_timeout is not None:
            argv += ['--cmd-timeout', str(self.cmd_timeout)]
        if self.token is not None:
            self.token_file = self.log.with_name(self.log.name + '.token')
            self.token_file.write_text(self.token + '\n')
            argv += ['--token-file', str(self.token_file)]
        return argv + self.extra

    def start(self, timeout=START_WAIT):
        """Starts spp-ctl and waits until REST answers; returns self.
        Chooses free ports on the first start (retrying if one was taken
        meanwhile)."""
        for _ in range(5):
            if not self._fixed:
                self.primary_port, self.secondary_port, self.rest_port = \
                    free_port(), free_port(), free_port()
            self._spawn()
            if self._wait_ready(timeout):
                self._fixed = True
                return self
            rc = self.popen.poll()
            if rc == 1 and not self._fixed:
                continue            # a port was taken meanwhile: new ports
            raise AssertionError('spp-ctl did not answer REST within %.0f s (rc %r); log %s:\n%s'
                                 % (timeout, rc, self.log, _tail(self.log)))
        raise AssertionError('spp-ctl could not bind free ports; log:\n' + _tail(self.log))

    def restart(self, timeout=START_WAIT):
        """Starts again on the same ports (after stop() or kill9())."""
        assert not self.alive()
        self._spawn()
        if not self._wait_ready(timeout):
            raise AssertionError('spp-ctl did not come back within %.0f s; log:\n%s'
                                 % (timeout, _tail(self.log)))
        return self

    def _spawn(self):
        with open(self.log, 'ab') as logf:
            self.popen = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL, stdout=logf,
                                          stderr=logf, start_new_session=True)
        self.pid = self.popen.pid
        self.expect_rc = 0

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                return False
            try:
                # Any HTTP answer (401 with a token) means REST is up.
                Rest(self.host, self.rest_port, token=self.token,
                     timeout=2.0).get('/v1/processes')
                return True
            except OSError:
                time.sleep(0.02)
        return False

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def rest(self, token=None, timeout=30.0):
        """A new REST client (token: default the one spp-ctl was started
        with; '' for none)."""
        tok = self.token if token is None else (token or None)
        return Rest(self.host, self.rest_port, token=tok, timeout=timeout)

    @property
    def url(self):
        return 'http://%s:%d' % (self.host, self.rest_port)

    def kill9(self):
        """SIGKILL on purpose (e.g. a restart test)."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
        self.popen.wait(STOP_WAIT)
        self.exit_codes.append(self.popen.returncode)

    def stop(self):
        """SIGTERM, then SIGKILL; returns the exit code (0 expected)."""
        if self.popen is None:
            return None
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(STOP_WAIT)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.popen.wait(STOP_WAIT)
            self.exit_codes.append(self.popen.returncode)
        return self.popen.returncode

    def tail(self, n=40):
        return _tail(self.log, n)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class _Handle:
    """Stands for a registration seen through GET /v1/processes (what
    conftest.Vf keeps in .conn)."""

    def __init__(self, target):
        self.target = target        # 'primary' or a client id
        self.closed = False


class CtlAdapter:
    """The interface conftest.Spp expects of its controller, on a real
    spp-ctl. Spp(tmp_path, ctl_factory=lambda: CtlAdapter(CtlProc(...)))."""

    def __init__(self, proc):
        self.proc = proc
        if not proc.alive():
            proc.start()
        self.client = proc.rest()
        self._handles = {}
        self._errors = []

    # addresses the processes are started with
    @property
    def primary_port(self):
        return self.proc.primary_port

    @property
    def secondary_port(self):
        return self.proc.secondary_port

    @property
    def errors(self):
        errs = list(self._errors)
        if self.proc.popen is not None and self.proc.popen.poll() not in (None, 0):
            errs.append('spp-ctl exited with %r; log:\n%s'
                        % (self.proc.popen.returncode, self.proc.tail()))
        return errs

    def processes(self):
        r = self.client.get('/v1/processes')
        assert r.status == 200, r
        return r.json()

    def _listed(self, target):
        for p in self.processes():
            if target == 'primary' and p['type'] == 'primary':
                return True
            if target != 'primary' and p.get('client-id') == target:
                return True
        return False

    def _lookup(self, target):
        listed = self._listed(target)
        h = self._handles.get(target)
        if not listed:
            if h is not None:
                h.closed = True
            return None
        if h is None or h.closed:
            h = self._handles[target] = _Handle(target)
        return h

    def _wait(self, target, timeout, previous):
        deadline = time.monotonic() + timeout
        while True:
            h = self._lookup(target)
            if h is not None and h is not previous:
                return h
            if time.monotonic() >= deadline:
                raise TimeoutError('%r did not register with spp-ctl within %.1f s'
                                   % (target, timeout))
            time.sleep(0.02)

    def wait_primary(self, timeout=30.0, previous=None):
        return self._wait('primary', timeout, previous)

    def wait_secondary(self, client_id, timeout=30.0, previous=None):
        return self._wait(client_id, timeout, previous)

    def primary(self):
        return self._lookup('primary')

    def secondary(self, client_id):
        return self._lookup(client_id)

    def _secondary_path(self, cid):
        for p in self.processes():
            if p.get('client-id') == cid:
                return '/v1/%ss/%d' % (p['type'], cid)
        raise KeyError('no process %r' % (cid,))

    def send(self, target, cmd, timeout=15.0):
        """Only what conftest.Spp sends: `exit` and `status`, answered in
        the process's own reply format."""
        if isinstance(target, _Handle):
            target = target.target
        if target == 'primary':
            if cmd == 'exit':
                r = self.client.delete('/v1/primary')
                assert r.status == 204, r
                return {'result': 'succeeded', 'command': 'exit'}
            if cmd == 'status':
                r = self.client.get('/v1/primary/status')
                assert r.status == 200, r
                return r.json()
            raise NotImplementedError('CtlAdapter: primary command %r' % cmd)
        path = self._secondary_path(target)
        if cmd == 'exit':
            r = self.client.delete(path)
            assert r.status == 204, r
            h = self._handles.get(target)
            if h is not None:
                h.closed = True
            return SUCCESS
        if cmd == 'status':
            r = self.client.get(path)
            assert r.status == 200, r
            return {'results': [{'result': 'success'}], 'info': rest_to_status(r.json())}
        raise NotImplementedError('CtlAdapter: secondary command %r' % cmd)

    def forget(self, client_id):
        self._handles.pop(client_id, None)

    def close(self):
        self.client.close()
        rc = self.proc.stop()
        if rc not in (None, 0) and self.proc.expect_rc == 0:
            self._errors.append('spp-ctl stopped with %r' % rc)


def rest_to_status(body):
    """GET /v1/vfs/{id} (or mirrors) body back into the process's `info`
    layout (SPEC §7.4 conversion reversed), for helpers written for it."""
    info = {'client-id': body['client-id']}
    phy, vhost, ring = [], [], []
    for p in body['ports']:
        t, _, item = p.partition(':')
        {'phy': phy, 'vhost': vhost, 'ring': ring}[t].append(item)
    info['phy'], info['vhost'], info['ring'] = phy, vhost, ring
    info['master-lcore'] = body['master-lcore']
    info['core'] = body['components']
    for k, v in body.items():
        if k not in ('client-id', 'ports', 'master-lcore', 'components'):
            info[k] = v
    return info


def ctl_env(tmp_path, **ctl_kwargs):
    """conftest.spp_env with a real spp-ctl: a context manager yielding an
    Spp whose .ctl is a CtlAdapter (.ctl.proc the CtlProc, .ctl.client a
    Rest). ctl_kwargs go to CtlProc (replay, token, cmd_timeout, ...).
    Skips when spp-ctl is not built."""
    proc = CtlProc(Path(tmp_path) / 'spp-ctl.log', **ctl_kwargs)
    if not proc.available():
        pytest.skip('%s not built (ninja -C build)' % proc.binary)
    return spp_env(tmp_path, ctl_factory=lambda: CtlAdapter(proc))


@pytest.fixture(name='spp')
def ctl_spp(tmp_path):
    """The `spp` fixture of conftest, with a real spp-ctl: a test module
    that imports ctl_spp gets it in place of conftest's."""
    with ctl_env(tmp_path) as env:
        yield env


def rest(spp):
    """The REST client of spp's spp-ctl."""
    return spp.ctl.client


def ok(r, status=204):
    """r succeeded with status; a 204 has no body."""
    assert r.status == status, r
    if status == 204:
        assert r.body == b''
    return r


def error(r, status, text):
    """r failed with status and the text/plain body text (SPEC §7.2)."""
    assert (r.status, r.text) == (status, text), r
    assert r.content_type.startswith('text/plain'), r
    return r
