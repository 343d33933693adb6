#!/usr/bin/python3
"""Soak: every component type moves many packets while its configuration
churns; resources must be flat from start to end (issue 9, docs/reliability).

Real processes, started with the system tests' machinery (tests/system/
conftest.py: per-run --file-prefix, --no-pci, small memory, stopped by PID,
the teardown oracles), against the in-test controller:

    spp_primary  phy:0 phy:2 phy:3 phy:5  net_null sources (endless 64-byte frames)
                 phy:1 phy:4 phy:6 phy:7 phy:8  net_null sinks; ring:0, ring:1
    spp_vf 1     fwd  forward     phy:0 -> phy:1
                 mrg  merge       phy:2 + phy:3 -> phy:4
                 cls  classifier  phy:5 -> ring:0 (default) / ring:1 (MAC entries, default
                                  while churning)
                 out  forward     ring:1 -> phy:8
    spp_mirror 2 mir  mirror      ring:0 -> phy:6 (originals), phy:7 (copies)

Each churn round: a classifier MAC entry added and deleted; the default
moved to ring:1 and back every 8th round; fwd's tx port deleted and re-added
(with add_vlantag 100 3 every other round, so VLAN ops and the mirror's
copy-on-write run too); one of merge's rx ports deleted and re-added;
mirror's copy port deleted and re-added. Every round leaves the
configuration as it found it.

Measured, with traffic stopped (sources detached, rings drained), after a
warm-up and at the end: RSS and open fds of each process, memzones, the
malloc heap's allocated bytes and every spp mempool's in-use count. Flat =
fds, memzones, heap and mempools exactly equal, RSS grown by at most
--rss-slack-kb per process. Then the system tests' teardown oracles
(conservation, mbufs, log, exit codes, cores) run. Exit 0 if all passed, 1
if not; the report (JSON) goes to --report and stdout.

Stops when each of forward, merge, classifier and mirror has received
--packets packets (default 10^8; --short: 3x10^7) and at least --rounds churn
rounds ran (1000; --short: 200): packet counts, not time, end it.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tests' / 'system'))

import conftest  # noqa: E402
from conftest import Spp, wait_for  # noqa: E402

TYPES = (('forward', 'vf', 'fwd'), ('merge', 'vf', 'mrg'), ('classifier', 'vf', 'cls'),
         ('mirror', 'mirror', 'mir'))
SOURCES = (('phy:0', 'vf', 'fwd'), ('phy:2', 'vf', 'mrg'), ('phy:3', 'vf', 'mrg'),
           ('phy:5', 'vf', 'cls'))


def log(msg):
    print('soak: %s' % msg, file=sys.stderr, flush=True)


def proc_metrics(pid):
    rss = None
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                rss = int(line.split()[1])
    with open('/proc/%d/maps' % pid) as f:
        asan = 'libasan' in f.read()
    return {'rss_kb': rss, 'fds': len(os.listdir('/proc/%d/fd' % pid)), 'asan': asan}


class Soak:
    def __init__(self, env, args):
        self.env = env
        self.args = args
        self.rounds = 0

    def setup(self):
        env = self.env
        ports = [env.null(rx=True), env.null(), env.null(rx=True), env.null(rx=True),
                 env.null(), env.null(rx=True), env.null(), env.null(), env.null()]
        env.start_primary(ports, rings=2)
        self.vf = env.start_vf(1, workers=(1, 2, 3))
        self.mirror = env.start_mirror(2, workers=(4,))
        self.procs = {'spp_primary': env.primary, 'spp_vf': self.vf.proc,
                      'spp_mirror': self.mirror.proc}
        self.by = {'vf': self.vf, 'mirror': self.mirror}
        self.vf.ok('component start fwd 1 forward', 'component start mrg 2 merge',
                   'component start cls 3 classifier', 'component start out 3 forward',
                   'port add phy:1 tx fwd', 'port add phy:4 tx mrg',
                   'port add ring:0 tx cls', 'port add ring:1 tx cls',
                   'classifier_table add mac default ring:0',
                   'port add ring:1 rx out', 'port add phy:8 tx out')
        self.mirror.ok('component start mir 4 mirror', 'port add phy:6 tx mir',
                       'port add phy:7 tx mir', 'port add ring:0 rx mir')

    # traffic -------------------------------------------------------------

    def sources(self, attach):
        for uid, who, comp in SOURCES:
            self.by[who].ok('port %s %s rx %s' % ('add' if attach else 'del', uid, comp))

    def received(self):
        out = {}
        for t, who, comp in TYPES:
            out[t] = self.by[who].stats(comp)['rx_packets']
        return out

    def quiesce(self):
        """Sources detached: waits until the rings are empty and no counter
        moves any more."""
        self.sources(False)

        def drained():
            st = self.env.pri_status()
            return all(r['occupancy'] == 0 for r in st['ring_ports'])
        wait_for(drained, msg='rings drained')

        def still():
            a = (self.vf.status()['core'], self.mirror.status()['core'])
            time.sleep(0.2)
            b = (self.vf.status()['core'], self.mirror.status()['core'])
            return a == b
        wait_for(still, msg='counters still')

    def churn(self):
        i = self.rounds
        vf, m = self.vf, self.mirror
        mac = '02:00:00:%02x:%02x:%02x' % ((i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)
        vf.ok('classifier_table add mac %s ring:1' % mac)
        if i % 8 == 0:
            vf.ok('classifier_table del mac default ring:0',
                  'classifier_table add mac default ring:1',
                  'classifier_table del mac default ring:1',
                  'classifier_table add mac default ring:0')
        vf.ok('classifier_table del mac %s ring:1' % mac)
        vf.ok('port del phy:1 tx fwd')
        if i % 2:
            vf.ok('port add phy:1 tx fwd add_vlantag 100 3', 'port del phy:1 tx fwd')
        vf.ok('port add phy:1 tx fwd')
        rx = 'phy:2' if i % 2 else 'phy:3'
        vf.ok('port del %s rx mrg' % rx, 'port add %s rx mrg' % rx)
        m.ok('port del phy:7 tx mir', 'port add phy:7 tx mir')
        self.rounds += 1

    def run_until(self, packets, rounds, base=None):
        """Churns until every type received `packets` more than in `base`
        and `rounds` rounds ran; returns the counts."""
        base = base or {t: 0 for t, _, _ in TYPES}
        first = self.rounds
        last = time.monotonic()
        while True:
            self.churn()
            got = self.received()
            if (self.rounds - first >= rounds and
                    all(got[t] - base[t] >= packets for t in got)):
                return got
            if time.monotonic() - last >= 10:
                last = time.monotonic()
                log('round %d: %s' % (self.rounds, ', '.join(
                    '%s %.3g' % kv for kv in got.items())))

    # resources -----------------------------------------------------------

    def measure(self):
        env = self.env
        # Processes first: a telemetry connection holds an fd in the primary
        # until its server thread notices the close.
        procs = {n: proc_metrics(p.pid) for n, p in self.procs.items()}
        heap = env.telemetry('/eal/heap_info,0') or {}
        return {
            'processes': procs,
            'memzones': len(env.telemetry('/eal/memzone_list') or []),
            'heap_alloc_bytes': heap.get('Alloc_size'),
            'mempool_in_use': env.pools(),
        }


def flat(start, end, rss_slack_kb):
    """The reasons end is not flat with start (empty: flat)."""
    bad = []
    for name, s in start['processes'].items():
        e = end['processes'][name]
        if e['fds'] != s['fds']:
            bad.append('%s: fds %d -> %d' % (name, s['fds'], e['fds']))
        # Under AddressSanitizer RSS holds the quarantine of freed blocks
        # (256 MiB by default) and grows with every command: not a leak
        # signal there; LeakSanitizer checks leaks at exit instead.
        if e.get('asan'):
            continue
        if e['rss_kb'] - s['rss_kb'] > rss_slack_kb:
            bad.append('%s: RSS %d -> %d kB (slack %d)' % (name, s['rss_kb'], e['rss_kb'],
                                                           rss_slack_kb))
    for k in ('memzones', 'heap_alloc_bytes', 'mempool_in_use'):
        if end[k] != start[k]:
            bad.append('%s: %r -> %r' % (k, start[k], end[k]))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--short', action='store_true',
                    help='CI size: 3x10^7 packets per type, 200 churn rounds')
    ap.add_argument('--packets', type=float, help='packets per component type (10^8)')
    ap.add_argument('--rounds', type=int, help='minimum churn rounds (1000; --short: 200)')
    ap.add_argument('--warmup', type=float, default=2e5,
                    help='packets per type before the start measurement (2x10^5)')
    ap.add_argument('--rss-slack-kb', type=int, default=1024,
                    help='RSS growth per process still flat (1024 kB)')
    ap.add_argument('--report', help='write the JSON report here too')
    ap.add_argument('--workdir', help='logs go here (default: a new temporary directory)')
    args = ap.parse_args()
    packets = int(args.packets or (3e7 if args.short else 1e8))
    rounds = args.rounds if args.rounds is not None else (200 if args.short else 1000)

    if os.geteuid() != 0:
        sys.exit('soak: needs root (hugepages)')
    work = Path(args.workdir or tempfile.mkdtemp(prefix='spp-soak-'))
    work.mkdir(parents=True, exist_ok=True)
    log('logs in %s (SPP_BUILD=%s)' % (work, conftest.BUILD))

    env = Spp(work)
    report = {'packets_target': packets, 'rounds_target': rounds}
    problems = []
    t0 = time.monotonic()
    try:
        s = Soak(env, args)
        s.setup()
        s.sources(True)
        s.run_until(int(args.warmup), 8)
        s.quiesce()
        report['start'] = s.measure()
        base = s.received()
        base_rounds = s.rounds
        log('start: %s' % json.dumps(report['start']))
        s.sources(True)
        got = s.run_until(packets, rounds, base)
        s.quiesce()
        report['end'] = s.measure()
        report['received'] = {t: got[t] - base[t] for t in got}
        report['rounds'] = s.rounds - base_rounds
        report['final_stats'] = {comp: s.by[who].stats(comp) for _, who, comp in TYPES}
        problems += flat(report['start'], report['end'], args.rss_slack_kb)
        short = [t for t, n in report['received'].items() if n < packets]
        if short:
            problems.append('fewer packets than asked: %r' % report['received'])
    except BaseException as e:  # noqa: BLE001
        problems.append('soak failed: %r' % e)
        if not isinstance(e, Exception):
            raise
    finally:
        teardown = env.teardown()
        problems += ['oracle: ' + p for p in teardown]
        report['oracle_notes'] = env.notes
        report['seconds'] = round(time.monotonic() - t0, 1)
        report['problems'] = problems
        report['result'] = 'flat' if not problems else 'FAIL'
        text = json.dumps(report, indent=1)
        if args.report:
            Path(args.report).write_text(text + '\n')
        print(text)
    sys.exit(0 if not problems else 1)


if __name__ == '__main__':
    main()
