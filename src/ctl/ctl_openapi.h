/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * docs/openapi.json, compiled in at build time (embed_file.py), served at
 * GET /v1/openapi.json: the binary needs no file at run time.
 */
#ifndef CTL_OPENAPI_H
#define CTL_OPENAPI_H

#include <stddef.h>

extern const char ctl_openapi_json[];		/* NUL-terminated */
extern const size_t ctl_openapi_json_size;	/* without the NUL */

#endif /* CTL_OPENAPI_H */
