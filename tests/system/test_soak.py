"""The short soak (scripts/soak.sh --short, issue 9): forward, merge,
classifier and mirror each receive 3x10^7 packets while their configuration
churns; RSS, fds, memzones, heap and mempool in-use are flat from start to
end, and the teardown oracles hold in the soak's own processes."""

import json
import os
import subprocess

import pytest

from conftest import BUILD, MIRROR_BIN, PRIMARY_BIN, REPO, VF_BIN, _hugepages_ok


def test_short_soak_is_flat(tmp_path):
    if os.geteuid() != 0:
        pytest.skip('the soak needs root (hugepages)')
    if not _hugepages_ok():
        pytest.skip('no free 2 MB hugepages mounted')
    for b in (PRIMARY_BIN, VF_BIN, MIRROR_BIN):
        if not b.exists():
            pytest.skip('%s not built' % b)
    report = tmp_path / 'soak.json'
    r = subprocess.run([str(REPO / 'scripts' / 'soak.sh'), '--short', '--report', str(report),
                        '--workdir', str(tmp_path / 'soak')],
                       env=dict(os.environ, SPP_BUILD=str(BUILD)), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=1800)
    assert report.exists(), r.stdout[-4000:]
    rep = json.loads(report.read_text())
    assert rep['problems'] == [], json.dumps(rep, indent=1)
    assert rep['result'] == 'flat'
    assert r.returncode == 0, r.stdout[-4000:]
    assert all(n >= rep['packets_target'] for n in rep['received'].values()), rep['received']
    assert rep['rounds'] >= rep['rounds_target']
    for k in ('memzones', 'heap_alloc_bytes', 'mempool_in_use'):
        assert rep['end'][k] == rep['start'][k], k
