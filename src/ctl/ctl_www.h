/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The live view web page (src/ctl/www), compiled into spp-ctl at build
 * time (embed_file.py) so the binary needs no file at run time:
 * GET / is index.html, GET /ui/<file> the page's script and style sheet.
 * The files hold no data (the page reads the REST API), so they are
 * served without the bearer token (ctl_rest_is_public()).
 *
 * Thread: any; the files are read-only.
 */
#ifndef CTL_WWW_H
#define CTL_WWW_H

#include <stddef.h>

struct ctl_call;

struct ctl_www_file {
	const char *name;		/* "index.html", "app.js", "app.css" */
	const char *content_type;	/* with charset */
	const char *data;
	const size_t *size;
};

/*
 * The embedded file called name, or NULL.
 */
const struct ctl_www_file *ctl_www_lookup(const char *name);

/* GET /: index.html. */
void ctl_api_www_index(struct ctl_call *c);

/* GET /ui/{name}: that file, or 404 "Not found: '<path>'". */
void ctl_api_www_file(struct ctl_call *c);

#endif /* CTL_WWW_H */
