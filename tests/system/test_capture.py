"""[EXT] Packet capture of any port (SPEC §9.4): `capture start|stop` in
spp_vf and spp_mirror, pcapng files read back by tshark and by a parser of
our own, byte for byte against the traffic sent."""

import os
import shutil
import struct
import subprocess

import pytest

from conftest import read_pcap, wait_for
from pkts import BROADCAST, frame, mac, tagged, untagged

TSHARK = shutil.which('tshark')

E_FORMAT = 'Wrong message format'
E_COMMAND = 'Invalid value (command)'
E_ACTION = 'Invalid value (action)'
E_PORT = 'Invalid value (port)'
E_DIRECTION = 'Invalid value (direction)'
E_FILE = 'Invalid value (file)'
E_OCCUR = 'error occur'

INBOUND, OUTBOUND = 1, 2

# Rings deep enough that a worker preempted on a shared CPU never makes
# one overflow at the test's rate; a pool that fits in -m 256.
PRIMARY = dict(rings=8, ring_size=4096, nb_mbufs=16383)


def frames_of(count, tag=0, sizes=(60, 64, 128, 1514)):
    """Sized, numbered frames of various destinations; some VLAN-tagged."""
    out = []
    for i in range(count):
        dst = [mac(i + 1), BROADCAST][i % 2]
        vlan = 100 + i if i % 4 == 1 else None
        out.append(frame(dst, src='02:00:00:00:%02x:01' % tag, vlan=vlan, pcp=i % 8, n=i,
                         size=sizes[i % len(sizes)]))
    return out


# --- pcapng, read by us ---------------------------------------------------

def parse_pcapng(path):
    """Returns (shb, idbs, epbs) of a little-endian pcapng file, checking
    every block's framing. Options are {code: [bytes, ...]}."""
    data = path.read_bytes()
    off = 0
    shb, idbs, epbs = None, [], []

    def options(raw):
        opts = {}
        o = 0
        while o + 4 <= len(raw):
            code, length = struct.unpack_from('<HH', raw, o)
            if code == 0:
                assert length == 0
                break
            opts.setdefault(code, []).append(raw[o + 4:o + 4 + length])
            o += 4 + ((length + 3) & ~3)
        return opts

    while off < len(data):
        btype, blen = struct.unpack_from('<II', data, off)
        assert blen % 4 == 0 and blen >= 12 and off + blen <= len(data), (off, blen)
        assert struct.unpack_from('<I', data, off + blen - 4)[0] == blen, 'trailing length'
        body = data[off + 8:off + blen - 4]
        if btype == 0x0a0d0d0a:
            magic, major, minor, section = struct.unpack_from('<IHHq', body)
            assert (magic, major, minor, section) == (0x1a2b3c4d, 1, 0, -1)
            assert shb is None and off == 0
            shb = options(body[16:])
        elif btype == 1:
            linktype, reserved, snaplen = struct.unpack_from('<HHI', body)
            idbs.append(dict(linktype=linktype, snaplen=snaplen, opts=options(body[8:])))
        elif btype == 6:
            ifid, hi, lo, caplen, origlen = struct.unpack_from('<IIIII', body)
            pkt = body[20:20 + caplen]
            padded = (caplen + 3) & ~3
            assert body[20 + caplen:20 + padded] == bytes(padded - caplen)
            opts = options(body[20 + padded:])
            epbs.append(dict(ifid=ifid, ts=hi << 32 | lo, caplen=caplen, origlen=origlen,
                             data=pkt, flags=struct.unpack('<I', opts[2][0])[0]))
        else:
            raise AssertionError('unexpected block type %#x' % btype)
        off += blen
    assert shb is not None
    return shb, idbs, epbs


def check_file(path, uid, rx=(), tx=()):
    """path holds exactly rx (inbound) and tx (outbound) frames, each in
    order, byte for byte, on one interface named uid; tshark agrees."""
    shb, idbs, epbs = parse_pcapng(path)
    assert shb[4] == [b'spp']
    assert len(idbs) == 1
    assert idbs[0]['linktype'] == 1 and idbs[0]['snaplen'] == 65535
    assert idbs[0]['opts'][2] == [uid.encode()]          # if_name
    assert idbs[0]['opts'][9] == [bytes([9])]            # if_tsresol: ns
    assert all(e['ifid'] == 0 and e['caplen'] == e['origlen'] == len(e['data'])
               for e in epbs)
    assert [e['data'] for e in epbs if e['flags'] == INBOUND] == list(rx)
    assert [e['data'] for e in epbs if e['flags'] == OUTBOUND] == list(tx)
    assert len(epbs) == len(rx) + len(tx)
    ts = [e['ts'] for e in epbs]
    assert ts == sorted(ts), 'records are in time order'
    # Nanoseconds since the Unix epoch: this year, not 1970.
    assert all(1.6e18 < t < 3e18 for t in ts)
    check_tshark(path, uid, epbs)
    return epbs


def check_tshark(path, uid, epbs):
    """tshark opens the file and sees the same packets and interface."""
    if TSHARK is None:
        pytest.fail('tshark is not installed (scripts/setup.sh installs it)')
    r = subprocess.run([TSHARK, '-r', str(path), '-T', 'fields', '-e', 'frame.len',
                        '-e', 'frame.interface_name', '-e', 'frame.packet_flags_direction'],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    rows = [line.split('\t') for line in r.stdout.splitlines()]
    assert [int(x[0]) for x in rows] == [len(e['data']) for e in epbs]
    assert all(x[1] == uid for x in rows), rows[:3]
    assert [int(x[2], 0) for x in rows] == [e['flags'] for e in epbs]
    # Byte for byte as tshark reads them: converted to classic pcap.
    out = path.with_suffix('.tshark.pcap')
    r = subprocess.run([TSHARK, '-r', str(path), '-F', 'pcap', '-w', str(out)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert read_pcap(out) == [e['data'] for e in epbs]


# --- fixtures and helpers ------------------------------------------------

@pytest.fixture
def capdir(tmp_path):
    d = tmp_path / 'captures'
    return d


def start_vf(spp, capdir, client_id=2, **kw):
    return spp.start_vf(client_id, extra=['--capture-dir', str(capdir)], **kw)


def captures(vf):
    return vf.status()['captures']


def wait_written(vf, uid, direction, count):
    """Waits until the capture of (uid, direction) wrote count packets."""
    def done():
        for c in captures(vf):
            if (c['port'], c['dir']) == (uid, direction):
                assert c['packets'] <= count, c
                return c if c['packets'] == count else None
        raise AssertionError('no capture of %s %s' % (uid, direction))
    return wait_for(done, msg='%d packets in the capture of %s %s' % (count, uid, direction))


# --- rx / tx / both on phy, ring; tx after a VLAN op --------------------

def test_capture_phy_rx_records_frames_as_received(spp, capdir):
    frames = frames_of(40)
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = start_vf(spp, capdir)
    # Not runnable before its tx port: the frames wait in phy:0.
    vf.ok('component start fwd 1 forward', 'port add phy:0 rx fwd',
          'capture start phy:0 rx rx0.pcapng')
    assert captures(vf) == [{'port': 'phy:0', 'dir': 'rx', 'file': 'rx0.pcapng',
                             'packets': 0, 'drops': 0}]
    assert list(captures(vf)[0]) == ['port', 'dir', 'file', 'packets', 'drops']
    assert (capdir / 'rx0.pcapng').exists()
    assert oct(capdir.stat().st_mode & 0o777) == '0o750'
    vf.ok('port add phy:1 tx fwd')
    vf.wait_rx('fwd', 40)
    wait_written(vf, 'phy:0', 'rx', 40)
    vf.ok('capture stop phy:0 rx')
    assert captures(vf) == []
    check_file(capdir / 'rx0.pcapng', 'phy:0', rx=frames)
    # Capturing changed nothing in what was forwarded.
    wait_for(lambda: len(p1.sent()) == 40)
    assert p1.sent() == frames


def test_capture_phy_tx_records_frames_after_the_tx_vlan_op(spp, capdir):
    frames = frames_of(30)
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = start_vf(spp, capdir)
    # fa (phy:0 rx, del_vlantag) -> ring:0 -> fb (phy:1 tx, add_vlantag).
    vf.ok('component start fa 1 forward', 'component start fb 2 forward',
          'port add ring:0 rx fb', 'port add phy:1 tx fb add_vlantag 300 5',
          'capture start phy:1 tx tx1.pcapng',
          'port add phy:0 rx fa del_vlantag', 'capture start phy:0 rx rx0.pcapng')
    # Both captures are listed in start order.
    assert [(c['port'], c['dir']) for c in captures(vf)] == [('phy:1', 'tx'), ('phy:0', 'rx')]
    vf.ok('port add ring:0 tx fa')
    vf.wait_rx('fb', 30)
    wait_written(vf, 'phy:1', 'tx', 30)
    wait_written(vf, 'phy:0', 'rx', 30)
    vf.ok('capture stop phy:1 tx', 'capture stop phy:0 rx')
    expected = [tagged(untagged(f), 300, 5) for f in frames]
    wait_for(lambda: len(p1.sent()) == 30)
    assert p1.sent() == expected
    # rx before the rx op (still tagged), tx after the tx op.
    check_file(capdir / 'rx0.pcapng', 'phy:0', rx=frames)
    check_file(capdir / 'tx1.pcapng', 'phy:1', tx=expected)


def test_capture_both_of_a_phy_spans_two_lcores(spp, capdir):
    a = frames_of(25, tag=0xa)
    b = frames_of(35, tag=0xb, sizes=(60, 200, 1000))
    p0, p1, p2 = spp.pcap(rx=a), spp.pcap(rx=b), spp.pcap()
    spp.start_primary([p0, p1, p2], rings=2)
    vf = start_vf(spp, capdir)
    # phy:0 rx on lcore 1 (fa: phy:0 -> phy:2), phy:0 tx on lcore 2
    # (fb: ring:0 -> phy:0), fed by lcore 3 (feed: phy:1 -> ring:0).
    vf.ok('component start fa 1 forward', 'component start fb 2 forward',
          'component start feed 3 forward', 'port add phy:0 rx fa',
          'port add ring:0 rx fb', 'port add phy:0 tx fb',
          'capture start phy:0 both both0.pcapng')
    assert captures(vf) == [{'port': 'phy:0', 'dir': 'both', 'file': 'both0.pcapng',
                             'packets': 0, 'drops': 0}]
    vf.ok('port add phy:2 tx fa', 'port add ring:0 tx feed', 'port add phy:1 rx feed')
    vf.wait_rx('fa', 25)
    vf.wait_rx('fb', 35)
    wait_written(vf, 'phy:0', 'both', 60)
    vf.ok('capture stop phy:0 both')
    assert captures(vf) == []
    check_file(capdir / 'both0.pcapng', 'phy:0', rx=a, tx=b)
    wait_for(lambda: len(p2.sent()) == 25 and len(p0.sent()) == 35)
    assert p2.sent() == a and p0.sent() == b


def test_capture_both_of_a_ring_sees_each_frame_twice(spp, capdir):
    frames = frames_of(50)
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = start_vf(spp, capdir)
    vf.ok('component start a 1 forward', 'component start b 2 forward',
          'port add ring:1 tx a', 'port add ring:1 rx b', 'port add phy:1 tx b',
          'capture start ring:1 both r1.pcapng', 'port add phy:0 rx a')
    vf.wait_rx('b', 50)
    wait_written(vf, 'ring:1', 'both', 100)
    vf.ok('capture stop ring:1 both')
    check_file(capdir / 'r1.pcapng', 'ring:1', rx=frames, tx=frames)
    wait_for(lambda: len(p1.sent()) == 50)
    assert p1.sent() == frames


def test_capture_in_spp_mirror_records_the_copies_port(spp, capdir):
    frames = frames_of(20)
    p0, p1, p2 = spp.pcap(rx=frames), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2], rings=2)
    m = spp.start_mirror(3, copy_mode='deep', extra=['--capture-dir', str(capdir)])
    m.ok('component start tap 4 mirror', 'port add phy:1 tx tap', 'port add phy:2 tx tap',
         'capture start phy:2 tx copies.pcapng', 'port add phy:0 rx tap')
    m.wait_rx('tap', 20)
    wait_written(m, 'phy:2', 'tx', 20)
    m.ok('capture stop phy:2 tx')
    check_file(capdir / 'copies.pcapng', 'phy:2', tx=frames)


# --- MAX, detach, exit ----------------------------------------------------

def test_capture_with_max_stops_by_itself_and_forwarding_goes_on(spp, capdir):
    frames = frames_of(40)
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = start_vf(spp, capdir)
    vf.ok('component start fwd 1 forward', 'port add phy:0 rx fwd',
          'capture start phy:0 rx max.pcapng 7')
    assert captures(vf)[0]['packets'] == 0
    vf.ok('port add phy:1 tx fwd')
    vf.wait_rx('fwd', 40)
    wait_for(lambda: captures(vf) == [], msg='the capture to stop by itself')
    check_file(capdir / 'max.pcapng', 'phy:0', rx=frames[:7])
    wait_for(lambda: len(p1.sent()) == 40)
    assert p1.sent() == frames
    # Stopped: stopping again changes nothing, and the file is kept.
    vf.ok('capture stop phy:0 rx')
    assert captures(vf) == []


def test_detaching_the_last_attachment_stops_the_capture(spp, capdir):
    frames = frames_of(10)
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = start_vf(spp, capdir)
    vf.ok('component start fwd 1 forward', 'port add phy:1 tx fwd',
          'component start h 3 forward', 'port add ring:0 tx h',
          'component start g 2 forward', 'port add ring:0 rx g',
          'capture start ring:0 both r0.pcapng', 'capture start phy:1 tx p1.pcapng')
    # ring:0 rx goes; its tx remains: a "both" capture runs on.
    vf.ok('port del ring:0 rx g')
    assert [c['file'] for c in captures(vf)] == ['r0.pcapng', 'p1.pcapng']
    vf.ok('port del ring:0 tx h')
    assert [c['file'] for c in captures(vf)] == ['p1.pcapng']
    # component stop detaches phy:1 tx: its capture stops too.
    vf.ok('component stop fwd')
    assert captures(vf) == []
    check_file(capdir / 'r0.pcapng', 'ring:0')
    check_file(capdir / 'p1.pcapng', 'phy:1')


def test_exit_and_sigterm_close_files_with_everything_written(spp, capdir):
    frames = frames_of(30)
    p0, p1 = spp.pcap(rx=frames), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = start_vf(spp, capdir)
    vf.ok('component start fwd 1 forward', 'port add phy:0 rx fwd',
          'capture start phy:0 rx exit.pcapng', 'port add phy:1 tx fwd')
    vf.wait_rx('fwd', 30)
    vf.exit()
    check_file(capdir / 'exit.pcapng', 'phy:0', rx=frames)

    vf2 = start_vf(spp, capdir, client_id=3, workers=(2,))
    vf2.ok('component start fwd 2 forward', 'port add phy:1 tx fwd',
           'capture start phy:1 tx term.pcapng')
    vf2.proc.signal(15)
    assert vf2.proc.wait(15) == 0
    check_file(capdir / 'term.pcapng', 'phy:1')


# --- under traffic --------------------------------------------------------

def test_capture_started_and_stopped_under_traffic_loses_no_forwarded_packet(spp, capdir):
    spp.start_primary([spp.null()], **PRIMARY)
    vf = start_vf(spp, capdir)
    # ring:0 -> a (lcore 1) -> ring:1 -> b (lcore 2) -> ring:2
    vf.ok('component start a 1 forward', 'component start b 2 forward',
          'port add ring:1 tx a', 'port add ring:0 rx a',
          'port add ring:2 tx b', 'port add ring:1 rx b')
    gen = spp.start_pktgen([(0, mac(1))], rx_rings=[2], pps=20000)
    start = vf.stats('b')['rx_packets']
    wait_for(lambda: vf.stats('b')['rx_packets'] >= start + 300)
    files = []
    for i in range(10):
        vf.ok('capture start ring:1 both t%d.pcapng' % i, 'capture start ring:0 rx u%d.pcapng' % i)
        mark = vf.stats('b')['rx_packets']
        wait_for(lambda: vf.stats('b')['rx_packets'] >= mark + 100)
        caps = captures(vf)
        assert [c['drops'] for c in caps] == [0, 0], caps
        vf.ok('capture stop ring:0 rx', 'capture stop ring:1 both')
        files += ['t%d.pcapng' % i, 'u%d.pcapng' % i]
    gen.stop_generating()
    report = gen.report()
    assert report['drain_complete'], report
    st = report['streams'][0]
    rs = report['rings'][0]['streams'][0]
    assert (rs['received'], rs['lost'], rs['dup'], rs['reordered']) == (st['sent'], 0, 0, 0)
    for name in files:
        uid = 'ring:1' if name[0] == 't' else 'ring:0'
        _, idbs, epbs = parse_pcapng(capdir / name)
        assert idbs[0]['opts'][2] == [uid.encode()]
        assert len(epbs) >= 100
        if name[0] == 't':
            # Every frame a sent to ring:1 was then received from it by b,
            # unless the capture stopped in between.
            ins = [e['data'] for e in epbs if e['flags'] == INBOUND]
            outs = [e['data'] for e in epbs if e['flags'] == OUTBOUND]
            assert ins and outs
    check_tshark(capdir / files[0], 'ring:1', parse_pcapng(capdir / files[0])[2])


# --- bad input: each message, status unchanged ---------------------------

BAD = [
    ('capture', E_FORMAT),
    ('capture start phy:0', E_FORMAT),
    ('capture start phy:0 rx f.pcapng 5 6', E_FORMAT),
    ('capture start phy:0 rx f.pcapng 5 6 7 8 9', E_FORMAT),   # more than 8 tokens
    ('capture go phy:0 rx', E_ACTION),
    ('capture Start phy:0 rx f.pcapng', E_ACTION),
    ('capture start phy:0 rx', E_FORMAT),
    ('capture stop phy:0 rx f.pcapng', E_FORMAT),
    ('capture stop phy:0', E_FORMAT),
    ('capture start phy:9 rx f.pcapng', E_PORT),
    ('capture start eth:0 rx f.pcapng', E_PORT),
    ('capture stop ring:8 rx', E_PORT),
    ('capture start phy:0 in f.pcapng', E_DIRECTION),
    ('capture stop phy:0 RX', E_DIRECTION),
    ('capture start phy:9 in f.pcapng', E_PORT),              # port is checked first
    ('capture start phy:2 rx f.pcapng', E_PORT),              # not attached
    ('capture start phy:1 rx f.pcapng', E_PORT),              # attached tx only
    ('capture stop phy:2 both', E_PORT),
    ('capture start phy:0 rx .hidden', E_FILE),
    ('capture start phy:0 rx a/b.pcapng', E_FILE),
    ('capture start phy:0 rx ../x.pcapng', E_FILE),
    ('capture start phy:0 rx f*.pcapng', E_FILE),
    ('capture start phy:0 rx %s' % ('x' * 65), E_FILE),
    ('capture start phy:0 rx exists.pcapng', E_FILE),
    ('capture start phy:0 rx f.pcapng 0', E_FILE),
    ('capture start phy:0 rx f.pcapng 4294967296', E_FILE),
    ('capture start phy:0 rx f.pcapng -1', E_FILE),
    ('capture start phy:0 rx f.pcapng 1k', E_FILE),
    ('capture start phy:0 rx .bad 0', E_FILE),
    ('capture start phy:0 rx new.pcapng', E_OCCUR),           # phy:0 rx is capturing
    ('capture start phy:0 rx running.pcapng', E_FILE),        # the running one's file
    ('capture start phy:0 both other.pcapng', E_OCCUR),       # overlaps it
    ('captures start phy:0 rx f.pcapng', E_COMMAND),
]


def test_bad_capture_commands_each_give_their_message_and_change_nothing(spp, capdir):
    p0, p1, p2 = spp.pcap(), spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1, p2], rings=2)
    vf = start_vf(spp, capdir)
    vf.ok('component start fwd 1 forward', 'port add phy:0 rx fwd', 'port add phy:1 tx fwd',
          'capture start phy:0 rx running.pcapng')
    (capdir / 'exists.pcapng').write_bytes(b'')
    before = vf.status()
    files = sorted(os.listdir(capdir))
    for command, message in BAD:
        assert vf.error(command) == message, command
        assert vf.status() == before, command
    assert sorted(os.listdir(capdir)) == files
    # The longest name is fine; a valid MAX too; stop of what does not run
    # succeeds and changes nothing.
    vf.ok('capture stop phy:1 tx', 'capture stop phy:0 both')
    assert vf.status() == before
    vf.ok('capture start phy:1 tx %s 4294967295' % ('y' * 64))
    assert [c['file'] for c in captures(vf)] == ['running.pcapng', 'y' * 64]


def test_capture_io_error_is_error_occur_and_leaves_nothing(spp, tmp_path):
    # The capture directory cannot be created: its parent is a file.
    (tmp_path / 'plain').write_bytes(b'')
    p0, p1 = spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = spp.start_vf(2, extra=['--capture-dir', str(tmp_path / 'plain' / 'caps')])
    vf.ok('component start fwd 1 forward', 'port add phy:0 rx fwd')
    before = vf.status()
    reply = vf.cmd('capture start phy:0 rx f.pcapng')
    assert reply['results'][0]['error_details']['message'] == E_OCCUR, reply
    assert 'caps' in reply['results'][0]['error_details'].get('detail', ''), reply
    assert vf.status() == before


def test_capture_file_of_a_stopped_capture_cannot_be_overwritten(spp, capdir):
    p0, p1 = spp.pcap(), spp.pcap()
    spp.start_primary([p0, p1], rings=2)
    vf = start_vf(spp, capdir)
    vf.ok('component start fwd 1 forward', 'port add phy:0 rx fwd',
          'capture start phy:0 rx once.pcapng', 'capture stop phy:0 rx')
    assert vf.error('capture start phy:0 rx once.pcapng') == E_FILE
    vf.ok('capture start phy:0 rx twice.pcapng')
