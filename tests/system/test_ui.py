"""The live view (issue 7): `spp top` and the web page spp-ctl serves, with
a real spp-ctl, spp_primary, spp_vf and spp_mirror. A forward `fwd` moves a
net_null rx stream phy:0 -> ring:1, a mirror `tap` sends it on from ring:1
to phy:1 and copies it to ring:2, which nobody reads, so once ring:2 is full
every copy is a counted drop; a forward `idle` waits on ring:0 (nothing
enqueues to it) towards phy:2. Every rate is then clearly non-zero or
exactly zero. The page is rendered by headless Chromium (DOM dump and
screenshot); those tests skip when Chromium is not installed.
"""

import json
import os
import re
import shutil
import signal
import struct
import subprocess
import zlib
from html.parser import HTMLParser

import pytest

from conftest import wait_for
from ctlproc import CtlProc, ctl_env, ok
from test_cli_commands import CLI_BIN, addr

CHROMIUM_WAIT = 120     # seconds; the lcores are shared with other tests

# What the test topology draws: nodes and edges rx port -> component -> tx port.
NODES = {'phy:0', 'phy:1', 'phy:2', 'ring:0', 'ring:1', 'ring:2',
         'vf:1/fwd', 'vf:1/idle', 'mirror:2/tap'}
EDGES = {('phy:0', 'vf:1/fwd'), ('vf:1/fwd', 'ring:1'),
         ('ring:1', 'mirror:2/tap'), ('mirror:2/tap', 'phy:1'), ('mirror:2/tap', 'ring:2'),
         ('ring:0', 'vf:1/idle'), ('vf:1/idle', 'phy:2')}
BUSY = {('phy:0', 'vf:1/fwd'), ('vf:1/fwd', 'ring:1'), ('ring:1', 'mirror:2/tap'),
        ('mirror:2/tap', 'phy:1')}


def chromium_bin():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip('chromium not installed (apt-get install chromium; scripts/setup.sh)')


def build_topology(spp):
    """vf 1: fwd phy:0 -> ring:1, idle ring:0 -> phy:2 (no traffic);
    mirror 2: tap ring:1 -> phy:1, copies to ring:2 (never read)."""
    spp.start_primary([spp.null(rx=True), spp.null(), spp.null()], rings=4)
    spp.start_vf(1, workers=(1, 2))
    spp.start_mirror(2, workers=(4,))
    c = spp.ctl.client
    ok(c.post('/v1/vfs/1/components', {'name': 'fwd', 'core': 1, 'type': 'forward'}))
    ok(c.post('/v1/vfs/1/components', {'name': 'idle', 'core': 2, 'type': 'forward'}))
    ok(c.post('/v1/mirrors/2/components', {'name': 'tap', 'core': 4, 'type': 'mirror'}))
    for kind, name, port, d in (('mirrors', 'tap', 'ring:1', 'rx'),
                                ('mirrors', 'tap', 'phy:1', 'tx'),
                                ('mirrors', 'tap', 'ring:2', 'tx'),
                                ('vfs', 'fwd', 'phy:0', 'rx'), ('vfs', 'fwd', 'ring:1', 'tx'),
                                ('vfs', 'idle', 'ring:0', 'rx'), ('vfs', 'idle', 'phy:2', 'tx')):
        ok(c.put('/v1/%s/%s/components/%s/ports' % (kind, 1 if kind == 'vfs' else 2, name),
                 {'action': 'attach', 'port': port, 'dir': d}))

    def flowing():
        body = ok(c.get('/v1/mirrors/2'), 200).json()
        stats = {x['name']: x['stats'] for x in body['components'] if 'name' in x}
        return stats['tap']['tx_packets'] > 0 and stats['tap']['drop_packets'] > 0
    wait_for(flowing, 30, msg='tap to send and drop copies')


@pytest.fixture
def live(tmp_path):
    with ctl_env(tmp_path) as spp:
        build_topology(spp)
        yield spp


@pytest.fixture
def live_token(tmp_path):
    with ctl_env(tmp_path, token='s3cret-t0ken') as spp:
        build_topology(spp)
        yield spp


# --- spp top -------------------------------------------------------------

HUMAN = re.compile(r'^(\d+(?:\.\d+)?)([KMGTP]?)$')


def human_value(text):
    """'1.23M' -> 1230000.0 (the CLI's SI numbers)."""
    m = HUMAN.match(text)
    assert m, 'not a rate: %r' % text
    return float(m.group(1)) * 1000 ** ' KMGTP'.index(m.group(2) or ' ')


def parse_top(stdout):
    """Plain `top` output -> list of refreshes, each (title, {(proc, name):
    {column: text}})."""
    refreshes = []
    for block in stdout.strip('\n').split('\n\n'):
        lines = block.split('\n')
        assert lines[0].startswith('spp top - '), block
        header = lines[1].split()
        assert header[:9] == ['PROCESS', 'NAME', 'TYPE', 'RX_PPS', 'RX_BPS', 'TX_PPS',
                              'TX_BPS', 'DROP_PPS', 'DROPS/S'], lines[1]
        rows = {}
        for line in lines[2:]:
            f = line.split()
            rows[(f[0], f[1])] = dict(zip(header[2:8], f[2:8]), reasons=f[8:])
        refreshes.append((lines[0], rows))
    return refreshes


def test_top_prints_rates_of_the_busy_component_and_ports_and_zero_elsewhere(live):
    r = subprocess.run([str(CLI_BIN), '-b', addr(live), '-c', 'top -n 2 -d 1'],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r
    refreshes = parse_top(r.stdout)
    assert [t.split(', ')[-1] for t, _ in refreshes] == ['refresh 1/2', 'refresh 2/2']
    for _, rows in refreshes:
        assert set(rows) == {
            ('primary', 'phy:0'), ('primary', 'phy:1'), ('primary', 'phy:2'),
            ('primary', 'ring:0'), ('primary', 'ring:1'), ('primary', 'ring:2'),
            ('primary', 'ring:3'),
            ('vf:1', 'fwd'), ('vf:1', 'idle'),
            ('vf:1', 'phy:0'), ('vf:1', 'phy:2'), ('vf:1', 'ring:0'), ('vf:1', 'ring:1'),
            ('mirror:2', 'tap'),
            ('mirror:2', 'phy:1'), ('mirror:2', 'ring:1'), ('mirror:2', 'ring:2')}
        fwd, tap = rows[('vf:1', 'fwd')], rows[('mirror:2', 'tap')]
        assert (fwd['TYPE'], tap['TYPE']) == ('forward', 'mirror')
        # net_null delivers as fast as a worker polls: thousands per second.
        for comp in (fwd, tap):
            for col in ('RX_PPS', 'RX_BPS', 'TX_PPS', 'TX_BPS'):
                assert human_value(comp[col]) > 1000, comp
        # Every copy to the full ring:2 is a drop, counted with its reason.
        assert human_value(tap['DROP_PPS']) > 1000, tap
        assert tap['reasons'] and all(re.match(r'(tx_full|nombuf)=[0-9.]+[KMG]?$', x)
                                      for x in tap['reasons']), tap
        # Each process counts the ports it uses, in their direction only.
        for key, busy, still in ((('vf:1', 'phy:0'), 'RX_PPS', 'TX_PPS'),
                                 (('vf:1', 'ring:1'), 'TX_PPS', 'RX_PPS'),
                                 (('mirror:2', 'ring:1'), 'RX_PPS', 'TX_PPS'),
                                 (('mirror:2', 'phy:1'), 'TX_PPS', 'RX_PPS')):
            assert human_value(rows[key][busy]) > 1000 and rows[key][still] == '0', \
                (key, rows[key])
        assert human_value(rows[('mirror:2', 'ring:2')]['DROP_PPS']) > 1000, rows
        # Idle: exactly zero everywhere.
        for key in (('vf:1', 'idle'), ('vf:1', 'phy:2'), ('vf:1', 'ring:0'),
                    ('primary', 'phy:2'), ('primary', 'ring:0'), ('primary', 'ring:3')):
            rates = rows[key]
            assert [rates[k] for k in ('RX_PPS', 'RX_BPS', 'TX_PPS', 'TX_BPS',
                                       'DROP_PPS')] == ['0'] * 5, (key, rates)
    # The primary's totals of the shared ports move too.
    rows = refreshes[-1][1]
    assert human_value(rows[('primary', 'phy:0')]['RX_PPS']) > 1000, rows
    assert human_value(rows[('primary', 'phy:1')]['TX_PPS']) > 1000, rows
    assert human_value(rows[('primary', 'ring:1')]['TX_PPS']) > 1000, rows
    assert human_value(rows[('primary', 'ring:1')]['RX_PPS']) > 1000, rows


def test_top_3_is_three_refreshes(live):
    r = subprocess.run([str(CLI_BIN), '-b', addr(live), '-c', 'top 3 -d 0.2'],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r
    assert len(parse_top(r.stdout)) == 3


def test_top_json_is_one_line_of_rates_per_refresh(live):
    r = subprocess.run([str(CLI_BIN), '-b', addr(live), '--json', '-c', 'top -n 2 -d 0.5'],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r
    lines = r.stdout.splitlines()
    assert len(lines) == 2, r.stdout
    for n, line in enumerate(lines, 1):
        doc = json.loads(line)
        assert doc['refresh'] == n
        rows = {(x['process'], x['name']): x for x in doc['rows']}
        fwd, tap, idle = rows[('vf:1', 'fwd')], rows[('mirror:2', 'tap')], rows[('vf:1', 'idle')]
        # fwd always moves (an endless source). Whether it sends or drops in a
        # 0.5 s window depends on the mirror draining ring:1 in it, which a
        # loaded (or sanitized) run does not guarantee: rates must balance.
        assert fwd['rx_pps'] > 1000, fwd
        # Counters are stored one by one: a status can fall between two stores.
        assert fwd['tx_pps'] + fwd['drop_pps'] == pytest.approx(fwd['rx_pps'], rel=0.01), fwd
        assert tap['drop_pps'] == pytest.approx(sum(tap['drops'].values()), rel=0.01), tap
        assert set(tap['drops']) == {'no_dest', 'tx_full', 'link_down', 'nombuf',
                                     'vlan_error', 'malformed'}
        assert [idle[k] for k in ('rx_pps', 'rx_bps', 'tx_pps', 'tx_bps', 'drop_pps')] == \
            [0] * 5, idle
        assert set(rows[('primary', 'phy:0')]['drops']) == {'rx_missed'}


def test_top_rejects_a_bad_interval(live):
    r = subprocess.run([str(CLI_BIN), '-b', addr(live), '-c', 'top -d 0'],
                       capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == \
        (1, 'Error: usage: top [-n COUNT] [-d SECONDS] [COUNT]\n'), r


def test_top_on_a_terminal_redraws_and_leaves_on_q(live):
    pexpect = pytest.importorskip('pexpect')
    c = pexpect.spawn(str(CLI_BIN), ['-b', addr(live), '-c', 'top -d 0.3'],
                      encoding='utf-8', timeout=30, dimensions=(40, 160),
                      env=dict(os.environ, TERM='xterm'))
    try:
        # Each refresh homes the cursor and clears the screen first.
        for n in (1, 2):
            c.expect_exact('\033[H\033[2Jspp top - ')
            c.expect_exact('refresh %d, q: quit' % n)
            c.expect(r'vf:1\s+fwd\s+forward\s+\d')
        c.send('q')
        c.expect(pexpect.EOF)
    finally:
        c.close(force=True)
    assert c.exitstatus == 0


def test_top_in_the_shell_goes_back_to_the_prompt_on_ctrl_c_and_on_q(tmp_path):
    pexpect = pytest.importorskip('pexpect')
    with CtlProc(tmp_path / 'spp-ctl.log') as ctl:
        if not CLI_BIN.exists():
            pytest.skip('%s not built' % CLI_BIN)
        c = pexpect.spawn(str(CLI_BIN), ['-b', addr(ctl)], encoding='utf-8', timeout=30,
                          dimensions=(40, 160),
                          env=dict(os.environ, HOME=str(tmp_path), TERM='xterm'))
        try:
            c.expect_exact('spp > ')
            for key in ('\x03', 'q'):
                c.send('top -d 0.2\r')
                c.expect_exact('refresh 2, q: quit')
                c.send(key)
                c.expect_exact('spp > ')
            # The shell still works, and its line editing too.
            c.send('stat\t\r')
            c.expect_exact('- primary:\r\n  - status: not running')
            c.expect_exact('spp > ')
            c.send('bye\r')
            c.expect(pexpect.EOF)
        finally:
            c.close(force=True)
        assert c.exitstatus == 0


# --- the web page ----------------------------------------------------------

class Dom(HTMLParser):
    """What the tests look at in Chromium's DOM dump."""

    def __init__(self):
        super().__init__()
        self.nodes = {}         # data-id -> class
        self.edges = {}         # (from, to) -> data-pps
        self.copies = []        # edges of class copy (a mirror's second tx port)
        self.rows = {}          # data-key of a counters row -> its cells' text
        self._row = None
        self._cell = None
        self.svgs = 0
        self.state = None
        self._in_state = False
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'svg':
            self.svgs += 1
        if tag == 'g' and 'data-id' in a:
            self.nodes[a['data-id']] = a.get('class', '')
        if tag == 'g' and 'data-from' in a:
            self.edges[(a['data-from'], a['data-to'])] = a.get('data-pps')
            if 'copy' in a.get('class', '').split():
                self.copies.append((a['data-from'], a['data-to']))
        if tag == 'tr' and 'data-key' in a:
            self._row = self.rows[a['data-key']] = []
        if tag == 'td' and self._row is not None:
            self._cell = []
        self._in_state = a.get('id') == 'state'

    def handle_endtag(self, tag):
        self._in_state = False
        if tag == 'td' and self._cell is not None:
            self._row.append(''.join(self._cell))
            self._cell = None
        if tag == 'tr':
            self._row = None

    def handle_data(self, data):
        if self._in_state:
            self.state = data
        if self._cell is not None:
            self._cell.append(data)
        self.text.append(data)


def run_chromium(tmp_path, url, *args):
    """Headless Chromium with its profile in tmp_path; returns stdout.
    Stopped by its process group (its own session) if it hangs."""
    argv = [chromium_bin(), '--headless=new', '--no-sandbox', '--disable-gpu',
            '--no-first-run', '--disable-extensions', '--disable-dev-shm-usage',
            '--user-data-dir=%s' % (tmp_path / 'chromium-profile'),
            '--virtual-time-budget=5000'] + list(args) + [url]
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, cwd=str(tmp_path))
    try:
        out, err = p.communicate(timeout=CHROMIUM_WAIT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        raise
    assert p.returncode == 0, 'chromium exited %r:\n%s' % (p.returncode, err[-3000:])
    return out


def dump_dom(tmp_path, url):
    out = run_chromium(tmp_path, url, '--dump-dom')
    dom = Dom()
    dom.feed(out)
    return dom, out


def assert_live_topology(dom, html):
    assert dom.svgs == 1, html[:3000]
    assert set(dom.nodes) == NODES, dom.nodes
    assert 'component' in dom.nodes['vf:1/fwd'] and 'vf' in dom.nodes['vf:1/fwd']
    assert 'port phy' in dom.nodes['phy:0'] and 'port ring' in dom.nodes['ring:0']
    assert set(dom.edges) == EDGES, dom.edges
    # Rates of the second and later refreshes. Idle edges are exactly 0 (so
    # is the copy edge: every copy is dropped). Busy edges have a rate, not
    # all of them > 0: under Chromium's virtual time two refreshes can be
    # milliseconds apart in real time, less than a worker sharing its CPU
    # may wait for a time slice.
    for edge in EDGES - BUSY:
        assert dom.edges[edge] == '0', (edge, dom.edges)
    assert all(re.match(r'^[0-9]+$', dom.edges[e]) for e in BUSY), dom.edges
    assert max(int(dom.edges[e]) for e in BUSY) > 0, dom.edges
    assert dom.copies == [('mirror:2/tap', 'ring:2')], dom.copies
    # The counters table: totals (RX pkts, TX pkts, Drops) of every row.
    assert {'vf:1|fwd', 'vf:1|idle', 'vf:1|phy:0', 'mirror:2|tap', 'primary|phy:0',
            'primary|ring:0'} <= set(dom.rows), dom.rows
    totals = {k: [int(x) for x in cells[3:6]] for k, cells in dom.rows.items()}
    assert totals['vf:1|fwd'][0] > 0 and totals['vf:1|fwd'][1] > 0, totals
    assert all(n > 0 for n in totals['mirror:2|tap']), totals
    assert totals['vf:1|idle'] == [0, 0, 0] and totals['primary|ring:0'] == [0, 0, 0], totals
    text = ''.join(dom.text)
    for word in ('fwd', 'idle', 'tap', 'phy:0', 'phy:1', 'phy:2', 'ring:0', 'forward',
                 'mirror', 'pps'):
        assert word in text, word
    assert dom.state.startswith('live · 3 processes'), dom.state


def test_web_page_draws_the_live_topology_in_headless_chromium(live, tmp_path):
    dom, html = dump_dom(tmp_path, live.ctl.proc.url + '/')
    assert_live_topology(dom, html)


def png_pixels(data):
    """Width, height and rows of RGB(A) bytes of an 8-bit, non-interlaced
    PNG (what Chromium writes)."""
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat, ihdr = 8, b'', None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', chunk)
        elif kind == b'IDAT':
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = ihdr
    assert depth == 8 and color in (2, 6) and interlace == 0, ihdr
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xff
            elif f == 2:
                line[i] = (line[i] + b) & 0xff
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xff
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xff
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def test_web_page_screenshot_is_a_full_picture(live, tmp_path):
    shot = tmp_path / 'ui.png'
    run_chromium(tmp_path, live.ctl.proc.url + '/', '--screenshot=%s' % shot,
                 '--window-size=1280,800', '--hide-scrollbars')
    data = shot.read_bytes()
    assert len(data) > 20000, len(data)
    width, height, bpp, rows = png_pixels(data)
    assert (width, height) == (1280, 800)
    colors = set()
    for y in range(0, height, 4):
        row = rows[y]
        for x in range(0, width, 4):
            colors.add(row[x * bpp:x * bpp + 3])
    # Header, graph (node fills by kind), text: far from a blank page.
    assert len(colors) > 50, len(colors)
    # The port fills of the stylesheet are drawn: phy, ring.
    assert bytes.fromhex('a6cee3') in colors and bytes.fromhex('b2df8a') in colors


def test_web_page_files_need_no_token_but_the_data_does(live_token, tmp_path):
    anon = live_token.ctl.proc.rest(token='')
    for path, ctype in (('/', 'text/html; charset=utf-8'),
                        ('/ui/app.js', 'text/javascript; charset=utf-8'),
                        ('/ui/app.css', 'text/css; charset=utf-8')):
        r = anon.get(path)
        assert (r.status, r.content_type) == (200, ctype), (path, r)
        # Only its own files, no inline code, no framing (the DOM tests
        # below show the page works under this policy).
        assert r.header('Content-Security-Policy') == (
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'"), r
        assert r.header('X-Content-Type-Options') == 'nosniff', r
    for path in ('/v1/processes', '/v1/vfs/1', '/v1/primary/status'):
        r = anon.get(path)
        assert (r.status, r.text) == (401, 'Unauthorized.'), (path, r)
        assert r.header('Content-Security-Policy') is None, r

    # Without a token the page says so and draws nothing.
    dom, html = dump_dom(tmp_path, live_token.ctl.proc.url + '/')
    assert dom.state == 'token required', html[:2000]
    assert dom.nodes == {} and dom.edges == {}
    # With one (here through the address's fragment, which the browser
    # never sends; a user types it into the Token field) it is all there.
    dom, html = dump_dom(tmp_path, live_token.ctl.proc.url + '/#token=s3cret-t0ken')
    assert_live_topology(dom, html)
