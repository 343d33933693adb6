#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Build step: embed_file.py INPUT OUTPUT.c SYMBOL writes a C file defining
`const char SYMBOL[]` (the bytes of INPUT plus a NUL) and
`const size_t SYMBOL_size`. Fails if a .json INPUT is not valid JSON, or
any INPUT is not UTF-8, so a broken docs/openapi.json or web page breaks
the build rather than the served document."""

import json
import sys


def main():
    src, out, sym = sys.argv[1:4]
    data = open(src, 'rb').read()
    text = data.decode('utf-8')
    if src.endswith('.json'):
        json.loads(text)
    with open(out, 'w') as f:
        f.write('/* Generated from %s by embed_file.py: do not edit. */\n' % src.split('/')[-1])
        f.write('#include <stddef.h>\n\n')
        f.write('const char %s[] = {\n' % sym)
        for i in range(0, len(data), 16):
            f.write('\t' + ' '.join('0x%02x,' % b for b in data[i:i + 16]) + '\n')
        f.write('\t0x00,\n};\n')
        f.write('const size_t %s_size = %d;\n' % (sym, len(data)))


if __name__ == '__main__':
    main()
