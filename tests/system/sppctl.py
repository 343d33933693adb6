"""A test controller playing spp-ctl's side of the TCP protocol (SPEC §4).

It listens on two ephemeral ports of 127.0.0.1: whatever connects to the
primary port is the primary (a new connection replaces the old); every
connection to the secondary port is asked `_get_client_id` and registered
under the id it answers (same id again: the new connection replaces the old).

Commands are sent `\\n`-terminated, one at a time, and the reply is read up to
the end of one complete JSON value (brace depth outside strings, escapes
honoured), ignoring NULs and leading whitespace, as our spp-ctl does
(SPEC §4.3). Replies may arrive in pieces and be of any size.
"""

import json
import socket
import threading
import time


class ProtocolError(Exception):
    pass


def json_end(buf, start=0):
    """Returns (begin, end) of the first complete JSON value in buf at or
    after start (skipping whitespace and NULs), or None if incomplete.
    Only objects and arrays are framed; a reply is always an object."""
    i = start
    n = len(buf)
    while i < n and buf[i] in b' \t\r\n\x00':
        i += 1
    if i >= n:
        return None
    if buf[i] not in b'{[':
        raise ProtocolError('reply does not start with a JSON object: %r'
                            % bytes(buf[i:i + 80]))
    begin = i
    depth = 0
    in_str = False
    esc = False
    while i < n:
        c = buf[i]
        if in_str:
            if esc:
                esc = False
            elif c == 0x5c:          # backslash
                esc = True
            elif c == 0x22:          # quote
                in_str = False
        elif c == 0x22:
            in_str = True
        elif c in b'{[':
            depth += 1
        elif c in b'}]':
            depth -= 1
            if depth == 0:
                return begin, i + 1
        i += 1
    return None


class Conn:
    """One registered process connection."""

    def __init__(self, sock, peer, kind):
        self.sock = sock
        self.peer = peer
        self.kind = kind                # 'primary' or 'secondary'
        self.buf = bytearray()
        self.lock = threading.Lock()
        self.client_id = None
        self.process_type = None
        self.registration = None
        self.closed = False

    def close(self):
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def send_raw(self, data):
        """Writes bytes as given (no terminator added)."""
        self.sock.sendall(data)

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError('no complete reply from %s within the timeout; '
                               'got so far: %r' % (self.name(), bytes(self.buf[:200])))
        self.sock.settimeout(remaining)
        try:
            data = self.sock.recv(1 << 20)
        except socket.timeout:
            raise TimeoutError('no complete reply from %s within the timeout; '
                               'got so far: %r' % (self.name(), bytes(self.buf[:200])))
        if not data:
            raise ConnectionError('%s closed the connection; unparsed: %r'
                                  % (self.name(), bytes(self.buf[:200])))
        self.buf += data

    def read_reply(self, timeout=15.0):
        """Reads one JSON value; returns it parsed (key order kept)."""
        deadline = time.monotonic() + timeout
        while True:
            span = json_end(self.buf)
            if span is not None:
                begin, end = span
                raw = bytes(self.buf[begin:end])
                del self.buf[:end]
                return json.loads(raw.decode('utf-8'))
            self._fill(deadline)

    def read_replies(self, count, timeout=15.0):
        return [self.read_reply(timeout) for _ in range(count)]

    def pending_bytes(self, wait=0.0):
        """Bytes received but not consumed, after reading for `wait` s.
        Only for diagnostics; tests never decide by time."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                self._fill(deadline)
            except (TimeoutError, ConnectionError):
                break
        return bytes(self.buf)

    def command(self, cmd, timeout=15.0):
        """Sends cmd + '\\n' and returns the parsed reply."""
        with self.lock:
            if isinstance(cmd, str):
                cmd = cmd.encode()
            self.sock.sendall(cmd + b'\n')
            return self.read_reply(timeout)

    def name(self):
        if self.kind == 'primary':
            return 'primary'
        return '%s %s' % (self.process_type, self.client_id)


class SppCtl:
    """Test controller. Use as a context manager or call close()."""

    def __init__(self, host='127.0.0.1'):
        self.host = host
        self._pri_srv = self._listen()
        self._sec_srv = self._listen()
        self.primary_port = self._pri_srv.getsockname()[1]
        self.secondary_port = self._sec_srv.getsockname()[1]
        self._cond = threading.Condition()
        self._primary = None
        self._secondaries = {}          # client_id -> Conn
        self.registrations = []         # every registration reply, in order
        self.errors = []
        self._stop = False
        self._threads = [
            threading.Thread(target=self._accept_loop, args=(self._pri_srv, 'primary'),
                             daemon=True),
            threading.Thread(target=self._accept_loop, args=(self._sec_srv, 'secondary'),
                             daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _listen(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.host, 0))
        s.listen(16)
        s.settimeout(0.2)
        return s

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- accepting -------------------------------------------------------

    def _accept_loop(self, srv, kind):
        while not self._stop:
            try:
                sock, peer = srv.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = Conn(sock, peer, kind)
            if kind == 'primary':
                with self._cond:
                    old, self._primary = self._primary, conn
                    self._cond.notify_all()
                if old is not None:
                    old.close()
            else:
                # Registration runs per connection, never blocking accept.
                threading.Thread(target=self._register, args=(conn,), daemon=True).start()

    def _register(self, conn):
        try:
            reply = conn.command('_get_client_id', timeout=5.0)
        except Exception as e:          # noqa: BLE001 - recorded for the test
            self.errors.append('registration from %s failed: %s' % (conn.peer, e))
            conn.close()
            return
        self.registrations.append(reply)
        try:
            ok = reply['results'][0]['result'] == 'success'
            cid = reply['client_id']
            ptype = reply['process_type']
        except (KeyError, IndexError, TypeError):
            ok = False
        if not ok or ptype not in ('vf', 'mirror') or not isinstance(cid, int):
            self.errors.append('bad registration reply: %r' % (reply,))
            conn.close()
            return
        conn.client_id = cid
        conn.process_type = ptype
        conn.registration = reply
        with self._cond:
            old = self._secondaries.get(cid)
            self._secondaries[cid] = conn
            self._cond.notify_all()
        if old is not None:
            old.close()

    # --- lookups ---------------------------------------------------------

    def wait_primary(self, timeout=30.0, previous=None):
        """Returns the primary's connection (one other than `previous`)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._primary is None or self._primary is previous:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError('the primary did not connect within %.0f s' % timeout)
                self._cond.wait(left)
            return self._primary

    def wait_secondary(self, client_id, timeout=30.0, previous=None):
        """Returns the connection registered with client_id (one other
        than `previous`, to wait for a reconnection)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while (self._secondaries.get(client_id) is None
                   or self._secondaries.get(client_id) is previous):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError('secondary %d did not register within %.0f s; '
                                       'errors: %s' % (client_id, timeout, self.errors))
                self._cond.wait(left)
            return self._secondaries[client_id]

    def primary(self):
        return self._primary

    def secondary(self, client_id):
        return self._secondaries.get(client_id)

    def send(self, target, cmd, timeout=15.0):
        """target: 'primary', a client id, or a Conn. Returns parsed JSON."""
        return self._conn(target).command(cmd, timeout)

    def send_raw(self, target, data):
        self._conn(target).send_raw(data)

    def read_replies(self, target, count, timeout=15.0):
        return self._conn(target).read_replies(count, timeout)

    def _conn(self, target):
        if isinstance(target, Conn):
            return target
        if target == 'primary':
            conn = self._primary
        else:
            conn = self._secondaries.get(target)
        if conn is None:
            raise KeyError('no connection for %r' % (target,))
        return conn

    def forget(self, client_id):
        with self._cond:
            conn = self._secondaries.pop(client_id, None)
        if conn is not None:
            conn.close()

    def close(self):
        self._stop = True
        for s in (self._pri_srv, self._sec_srv):
            s.close()
        with self._cond:
            conns = list(self._secondaries.values())
            if self._primary is not None:
                conns.append(self._primary)
            self._secondaries.clear()
            self._primary = None
        for c in conns:
            c.close()
        for t in self._threads:
            t.join(2)
