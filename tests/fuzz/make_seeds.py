#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the hand-made seeds of every fuzz target into corpus/<target>/.

Seeds are named seed-<what>; files the fuzzer added are named by their
SHA-1 and are left alone. Run again after changing a seed; it only
(re)writes seed-* files. Formats: the header comment of each fuzz_*.c.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogateescape')
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)


# SPEC §5.11, spp_vf, each command succeeds.
VF_EXAMPLE = [
    'component start cls 2 classifier',
    'component start fwd 3 forward',
    'port add phy:0 rx cls',
    'port add vhost:0 tx cls del_vlantag',
    'port add ring:0 tx cls',
    'port add ring:0 rx fwd',
    'port add phy:1nq1 tx fwd add_vlantag 100 3',
    'classifier_table add mac 52:54:00:12:34:56 vhost:0',
    'classifier_table add vlan 100 52:54:00:12:34:57 ring:0',
    'classifier_table add mac default ring:0',
]
# SPEC §5.12, spp_mirror.
MIRROR_EXAMPLE = [
    'component start tap1 2 mirror',
    'port add ring:1 rx tap1',
    'port add ring:2 tx tap1',
    'port add ring:3 tx tap1',
    'component start tap2 3 mirror shallow',
    'port add ring:4 rx tap2 add_vlantag 10 1',
    'port add ring:5 tx tap2 del_vlantag',
    'port add ring:6 tx tap2',
    'capture start ring:1 rx m1.pcapng 100',
    'capture start ring:5 tx m2.pcapng',
]
# One command per SPEC §5.7 error, and the commands of SPEC §5.2 / §9.4.
SINGLE = [
    '_get_client_id', 'status', 'exit', 'bogus', 'component', '',
    'a b c d e f g h i',
    'component start fwd 1 forward', 'component start fwd 1 forward x',
    'component begin fwd 1 forward', 'component start fw/d 1 forward',
    'component start ' + 'n' * 32 + ' 1 forward', 'component start fwd 0 forward',
    'component start fwd 128 forward', 'component start fwd 1 mirror',
    'component stop nosuch', 'component stop fwd extra',
    'port add ring:9 rx fwd', 'port add phy:1nq4 rx fwd', 'port add phy:1nq2 tx fwd',
    'port add ring:0 up fwd', 'port add ring:0 rx nosuch', 'port add ring:0 rx fwd tag',
    'port add ring:0 rx fwd add_vlantag 4095 0', 'port add ring:0 rx fwd add_vlantag 1 8',
    'port add ring:0 rx fwd add_vlantag 1', 'port del ring:0 rx fwd del_vlantag',
    'port add vhost:7 rx fwd', 'port add phy:1nq3 tx fwd', 'port add vhost:0nq1 rx fwd',
    'classifier_table add ip 52:54:00:12:34:56 ring:0',
    'classifier_table add vlan 0 52:54:00:12:34:56 ring:0',
    'classifier_table add vlan 4095 default ring:0',
    'classifier_table add mac 01:00:5e:00:00:01 ring:0',
    'classifier_table add mac 00:00:00:00:00:00 ring:0',
    'classifier_table add mac 52:54:00:12:34:5 ring:0',
    'classifier_table del mac default ring:0',
    'capture start ring:0 rx f.pcapng', 'capture start ring:0 up f.pcapng',
    'capture start ring:0 both .hidden', 'capture start ring:0 rx exists.pcap',
    'capture start ring:0 rx f.pcapng 0', 'capture stop ring:0 both',
    'log_level spp.* debug', 'log_level spp.vf 9', 'log_level sp\tp info',
    'log_level * ERROR',
]
# Scenarios that exercise the checks of §5.4 step 10a, §5.5 step 6 and §9.4.
SCENARIOS = {
    'cls-shared-key': [
        'component start c1 1 classifier', 'component start c2 2 classifier',
        'port add ring:0 rx c1', 'port add ring:1 tx c1', 'port add ring:2 tx c2',
        'classifier_table add mac 52:54:00:00:00:01 ring:1',
        'classifier_table add mac 52:54:00:00:00:01 ring:2',
        'classifier_table add mac 52:54:00:00:00:01 ring:3',
        'port add ring:3 tx c1', 'port del ring:2 tx c2', 'port add ring:2 tx c1',
        'classifier_table add vlan 5 default ring:1',
        'classifier_table add vlan 5 default ring:3',
        'component stop c1', 'classifier_table del mac 52:54:00:00:00:01 ring:1',
    ],
    'capture-two-lcores': [
        'component start a 1 forward', 'component start b 2 forward',
        'port add ring:0 rx a', 'port add ring:1 tx a',
        'port add ring:1 rx b', 'port add ring:0 tx b',
        'capture start ring:0 both both.pcapng', 'port del ring:0 rx a',
        'component start c 3 merge', 'port add ring:0 rx c', 'capture stop ring:0 both',
        'capture start ring:1 tx t.pcapng', 'component stop a', 'component stop b',
    ],
    'merge-many': ['component start m 4 merge'] + [
        'port add ring:%d rx m' % i for i in range(8)] + [
        'port add phy:0 tx m add_vlantag 4094 7', 'port add phy:0 tx m',
        'port add phy:0 tx m del_vlantag', 'port del ring:3 rx m'],
    'vhost-queues': [
        'component start f 1 forward', 'port add vhost:0nq1 rx f', 'port add vhost:1 tx f',
        'port add vhost:1nq0 tx f', 'component stop f'],
    'multi-queue-phy': [
        'component start f 1 forward', 'component start g 2 forward',
        'port add phy:1nq3 rx f', 'port add phy:1nq1 tx f', 'port add phy:1nq3 tx g',
        'port add phy:1 rx g', 'port add phy:0 rx g', 'port add phy:0nq0 tx g'],
}


def cmd_seeds():
    write('cmd', 'spec-vf', '\x00' + '\n'.join(VF_EXAMPLE) + '\nstatus\n')
    write('cmd', 'spec-mirror', '\x01' + '\n'.join(MIRROR_EXAMPLE) + '\n')
    write('cmd', 'spec-mirror-vhostq', '\x03' + '\n'.join(MIRROR_EXAMPLE) + '\n')
    for name, cmds in SCENARIOS.items():
        write('cmd', name, ('\x02' if 'vhost' in name else '\x00') + '\n'.join(cmds))
    base = 'component start fwd 1 forward\n'
    for i, c in enumerate(SINGLE):
        write('cmd', 'one-%02d' % i, '\x00' + base + c)
    write('cmd', 'too-long', '\x00' + 'component start ' + 'x' * 5000)
    write('cmd', 'nul-inside', '\x00component start a\x00b 1 forward\nstatus')


def reply_seeds():
    det = b'detail \xff\xfe ok \xc3\xa9 \xed\xa0\x80 \xf4\x90\x80\x80 \xe0\x80\xaf \xc3'
    blob = det + b'\x00' + bytes(range(256)) * 2
    write('reply', 'spec-vf', b'\x02' + '\n'.join(VF_EXAMPLE).encode() + b'\n--\n' + blob)
    write('reply', 'spec-mirror', b'\x03' + '\n'.join(MIRROR_EXAMPLE).encode() + b'\n--\n' +
          blob)
    write('reply', 'empty', b'\x00--\n\x00')
    write('reply', 'null-stats', b'\x08' + '\n'.join(VF_EXAMPLE).encode() + b'\n--\n' +
          b'plain detail\x00' + b'\xff' * 400)
    for name, cmds in SCENARIOS.items():
        write('reply', name, b'\x06' + '\n'.join(cmds).encode() + b'\n--\n' + blob[::-1])
    for i, d in enumerate([b'\xc0\x80', b'\xef\xbf\xbd', b'\xf0\x9f\x98\x80', b'a\xf8b',
                           b'\xe2\x82', b'"\\\n\t\x01\x7f']):
        write('reply', 'detail-%d' % i, b'\x00component start a 1 forward\n--\n' + d)


def stream_seeds():
    seeds = {
        'status': b'\x00status\n',
        'upstream-unterminated': b'\x01status',
        'crlf-padding': b'\x02status\r\n\n\x00\x00',
        'several': b'\x03component start a 1 forward\nport add ring:0 rx a\nstatus\n',
        'blank-unterminated': b'\x04  \t ',
        'blank-terminated': b'\x05 \t\n\n\x00',
        'too-long': b'\x06' + b'a' * 4096 + b'\nstatus\n',
        'too-long-exact': b'\x07' + b'b' * 4095 + b'\n' + b'c' * 4097,
        'too-long-silence': b'\x08' + b'd' * 5000,
        'cr-in-long': b'\x09' + b'e\r' * 2100 + b'\n',
        'utf8': b'\x0acomponent start \xc3\xa9t\xff 1 forward\n',
    }
    for k, v in seeds.items():
        write('stream', k, v)


def ctl_frame_seeds():
    status = (b'{"results":[{"result":"success"}],"info":{"client-id":2,"phy":["0","1"],'
              b'"vhost":["0"],"ring":["0"],"master-lcore":1,"core":[{"core":4,"type":'
              b'"unuse"}],"classifier_table":[],"port_stats":[],"captures":[]}}\n')
    seeds = {
        'success': b'\x00{"results":[{"result":"success"}]}\n',
        'status': b'\x01' + status,
        'two-replies': b'\x02{"result":"succeeded","command":"clear"}\n[1,2]\n',
        'nul-padding': b'\x03\x00\x00 \r\n{"a":"}"}\x00\x00\x00',
        'escapes': b'\x04{"a":"\\"}\\\\","b":["]",{"c":"\\\\\\""}]}',
        'bad-first': b'\x05 x{"a":1}',
        'incomplete': b'\x06{"a":[1,2,{"b":',
        'deep': b'\x07' + b'[' * 300 + b']' * 300,
        'brackets-in-string': b'\x08["{[", "]}", "\\u005d"]',
        'stray-closer': b'\x09{}]}{"x":1}',
    }
    for k, v in seeds.items():
        write('ctl_frame', k, v)


REST = [
    ('GET /v1/processes', ''), ('GET /v1/cpu_usage', ''), ('GET /v1/cpu_layout', ''),
    ('GET /v1/openapi.json', ''), ('GET /metrics', ''), ('GET /', ''),
    ('GET /ui/app.js', ''), ('HEAD /ui/index.html', ''), ('GET /ui/nosuch', ''),
    ('GET /v1/vfs/2', ''), ('DELETE /v1/vfs/2', ''),
    ('POST /v1/vfs/2/components', '{"name":"fwd","core":3,"type":"forward"}'),
    ('DELETE /v1/vfs/2/components/fwd', ''),
    ('DELETE /v1/vfs/2/components/a%20b', ''),
    ('PUT /v1/vfs/2/components/fwd/ports',
     '{"action":"attach","port":"phy:1","dir":"tx","vlan":{"operation":"add","id":100,"pcp":3}}'),
    ('PUT /v1/vfs/2/components/fwd/ports',
     '{"action":"attach","port":"vhost:0","dir":"tx","vlan":{"operation":"del"}}'),
    ('PUT /v1/vfs/2/components/fwd/ports', '{"action":"detach","port":"ring:0","dir":"rx"}'),
    ('PUT /v1/vfs/2/components/fwd/ports',
     '{"action":"attach","port":"phy:0nq1","dir":"rx","vlan":{"operation":"add","id":"7","pcp":"1"}}'),
    ('PUT /v1/vfs/2/classifier_table',
     '{"action":"add","type":"mac","mac_address":"52-54-00-12-34-56","port":"vhost:0"}'),
    ('PUT /v1/vfs/2/classifier_table',
     '{"action":"del","type":"vlan","vlan":"100","mac_address":"default","port":"ring:0"}'),
    ('PUT /v1/vfs/2/captures',
     '{"action":"start","port":"ring:0","dir":"both","file":"r0.pcapng","max":1000}'),
    ('PUT /v1/vfs/2/captures', '{"action":"stop","port":"ring:0","dir":"both"}'),
    ('PUT /v1/vfs/2/log_level', '{"type":"spp.*","level":"debug"}'),
    ('POST /v1/vfs/2/components', '{"name":"x","core":"3","type":"forward"}'),
    ('GET /v1/vfs/3', ''), ('PUT /v1/vfs/2', '{}'),
    ('POST /v1/mirrors/3/components', '{"name":"tap","core":7,"type":"mirror","copy_mode":"deep"}'),
    ('PUT /v1/mirrors/3/components/tap/ports', '{"action":"attach","port":"ring:1","dir":"rx"}'),
    ('GET /v1/mirrors/3', ''), ('DELETE /v1/mirrors/3', ''),
    ('GET /v1/primary/status', ''), ('DELETE /v1/primary/status', ''),
    ('DELETE /v1/primary', ''),
    ('PUT /v1/primary/log_level', '{"type":"spp.primary","level":"debug"}'),
    ('PUT /v1/primary/launch',
     '{"client_id":2,"proc_name":"spp_vf","eal":{"-l":"1,4-5","--proc-type":"secondary",'
     '"-m":512},"app":{"--client-id":2,"-s":"127.0.0.1:6666"}}'),
    ('PUT /v1/primary/launch',
     '{"client_id":"3","proc_name":"spp_mirror","eal":{"-l":"1","--proc-type":null,'
     '"--vdev":"net_tap0;rm -rf /","--no-pci":true},"app":{"--client-id":3,"-s":"x\\ny"}}'),
    ('PUT /v1/primary/forward', '{"action":"start"}'),
    ('PUT /v1/primary/ports', '{"action":"add","port":"ring:0"}'),
    ('PUT /v1/primary/ports', '{"action":"add","port":"pipe:0","rx":"ring:0","tx":"ring:1"}'),
    ('PUT /v1/primary/patches', '{"src":"ring:0","dst":"ring:1"}'),
    ('DELETE /v1/primary/patches', ''),
    ('POST /v1/primary/flow_rules/port_id/0', '{"rule":{"group":0,"priority":0}}'),
    ('POST /v1/primary/flow_rules/port_id/0/validate', '{"rule":{}}'),
    ('DELETE /v1/primary/flow_rules/port_id/0', ''),
    ('DELETE /v1/primary/flow_rules/5/port_id/0', ''),
    ('GET /v1/nfvs/1', ''), ('PUT /v1/pcaps/1/capture', '{}'),
    ('POST /v1/vfs/2/components', '[' * 100 + ']' * 100),
    ('POST /v1/vfs/2/components', '{"name":"a\\u0000b","core":1,"type":"forward"}'),
    ('GET /v1/vfs/99999999999999999999', ''),
    ('GET //v1//vfs/2/', ''),
]
REPLIES = [
    '{"results":[{"result":"error","error_details":{"message":"Invalid value (port)",'
    '"detail":"no port \'ring:9\'\\nin\\u0001this"}}]}',
    '{"results":[{"result":"success"}],"info":{"client-id":2,"phy":["0","1 nq 0"],'
    '"vhost":["0"],"ring":["0"],"master-lcore":1,"core":[{"core":2,"name":"cls",'
    '"type":"classifier","rx_port":[],"tx_port":[],"stats":{"rx_packets":1}},'
    '{"core":3,"type":"unuse"}],"classifier_table":[],"port_stats":[{"port":"phy:0",'
    '"rx_packets":5}],"captures":[]}}',
    '{"result":"failed","command":"launch","message":"file-prefix must be spp"}',
    '{"master-lcore":0,"lcores":[0,1],"phy_ports":[{"id":0,"eth":"02:00:00:00:00:10",'
    '"rx":1,"tx":2,"tx_drop":0,"nof_queues":{"rx":1,"tx":1},"flow":[],"port":"phy:0",'
    '"link":"up"}],"ring_ports":[{"id":0,"rx":1}],"pipes":[]}',
    '!EIO', '!ENOENT', '!ECONNRESET', '[1,2,3]', '"just a string"', '{"results":[]}',
]


def rest_seeds():
    for i, (req, body) in enumerate(REST):
        write('rest', 'req-%02d' % i, req + '\n' + body)
    for i, rep in enumerate(REPLIES):
        for j, req in enumerate(['GET /v1/vfs/2', 'GET /metrics', 'GET /v1/cpu_usage',
                                 'GET /v1/primary/status', 'DELETE /v1/vfs/2/components/a']):
            if (i + j) % 2 == 0:
                write('rest', 'reply-%02d-%d' % (i, j), req + '\n\n#reply\n' + rep)


def eth(dst, src=b'\x02\x00\x00\x00\x00\x02', vid=None, etype=0x0800, payload=46):
    f = dst + src
    if vid is not None:
        f += struct.pack('>HH', 0x8100, vid)
    return f + struct.pack('>H', etype) + bytes(range(payload))


def cls_entry(default, port, vid, mac):
    return bytes([(port << 1) | default]) + struct.pack('>H', vid) + mac


def classifier_seeds():
    m1, m2, m3 = b'\x52\x54\x00\x12\x34\x56', b'\x52\x54\x00\x12\x34\x57', b'\x00\x00\x00\x00\x00\x07'
    bc = b'\xff' * 6
    entries = [cls_entry(0, 0, 0, m1), cls_entry(0, 1, 100, m2), cls_entry(1, 1, 0, b'\0' * 6),
               cls_entry(1, 2, 100, b'\0' * 6), cls_entry(0, 7, 0, m3)]
    frames = [eth(m1), eth(m2, vid=100), eth(m2), eth(bc), eth(bc, vid=100), eth(m3),
              eth(m1, vid=0xfff), eth(m1, vid=0x2064), eth(b'\x01\x00\x5e\x00\x00\x01', vid=5),
              eth(b'\0' * 6), eth(m1)[:13], eth(m1, vid=100)[:17], eth(m1, vid=100)[:18]]
    body = b''.join(bytes([0, len(f)]) + f for f in frames)
    write('classifier', 'spec-table', bytes([3, len(entries)]) + b''.join(entries) + body)
    write('classifier', 'no-entries', bytes([0, 0]) + body)
    write('classifier', 'untagged-default-only', bytes([1, 1]) + cls_entry(1, 0, 0, b'\0' * 6) + body)
    many = b''.join(cls_entry(i & 1, i % 70, (i * 37) % 4095 if i % 3 else 0,
                              bytes([2 * i & 0xfe, i, 0, 0, 0, i % 7])) for i in range(200))
    hits = b''.join(bytes([0x80 | (k & 63) | (0x40 if k % 2 else 0), 64]) + bytes(64)
                    for k in range(60))
    write('classifier', 'many', bytes([63, 200]) + many + hits)
    write('classifier', 'hits', bytes([7, len(entries)]) + b''.join(entries) + hits)


def vlan_seeds():
    untagged = eth(b'\x02\x00\x00\x00\x00\x01')
    tagged = eth(b'\x02\x00\x00\x00\x00\x01', vid=0x6064)
    tci = struct.pack('>H', 0x6064)
    # mode: op (0 none, 1 add, 2 del, 3 add+del) | 4 shared | 8 indirect | 16 empty copy pool
    seeds = {
        'add': (1, 128, 0, 0, 0, untagged), 'del': (2, 128, 0, 0, 0, tagged),
        'roundtrip': (3, 128, 0, 0, 0, untagged), 'none': (0, 128, 0, 0, 0, untagged),
        'retag': (1, 128, 0, 0, 0, tagged), 'same-tag': (1, 128, 0, 0, 0, tagged),
        'no-headroom': (1, 2, 0, 0, 0, untagged), 'no-headroom-shared': (5, 0, 0, 0, 0, untagged),
        'shared-del': (6, 128, 0, 0, 0, tagged), 'indirect-add': (9, 128, 0, 0, 0, untagged),
        'indirect-del': (10, 128, 0, 0, 0, tagged), 'empty-pool-add': (21, 128, 0, 0, 0, untagged),
        'empty-pool-del': (26, 128, 0, 0, 0, tagged),
        'split-13': (3, 128, 1, 13, 0, untagged), 'split-14': (3, 64, 1, 14, 0, untagged),
        'split-17': (2, 128, 1, 17, 0, tagged), 'split-18': (2, 128, 2, 18, 5, tagged),
        'three-segs-shared': (7, 4, 2, 20, 30, untagged),
        'runt': (1, 128, 0, 0, 0, untagged[:10]), 'empty': (2, 128, 0, 0, 0, b''),
        'jumbo': (3, 128, 2, 200, 0, untagged + bytes(1400)),
    }
    for k, (mode, head, segs, s1, s2, frame) in seeds.items():
        t = tci if k != 'same-tag' else struct.pack('>H', 0x6064)
        if k == 'retag':
            t = struct.pack('>H', 0x2005)
        write('vlan', k, bytes([mode, head, segs, s1, s2]) + t + frame)


def main():
    cmd_seeds()
    reply_seeds()
    stream_seeds()
    ctl_frame_seeds()
    rest_seeds()
    classifier_seeds()
    vlan_seeds()
    return 0


if __name__ == '__main__':
    sys.exit(main())
