/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Static files of the live view (ctl_www.h). Each is the NUL-terminated
 * array embed_file.py generated from src/ctl/www/<name>.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_api.h"
#include "ctl_www.h"

extern const char ctl_www_index_html[];
extern const size_t ctl_www_index_html_size;
extern const char ctl_www_app_js[];
extern const size_t ctl_www_app_js_size;
extern const char ctl_www_app_css[];
extern const size_t ctl_www_app_css_size;

static const struct ctl_www_file files[] = {
	{ "index.html", "text/html; charset=utf-8", ctl_www_index_html,
	  &ctl_www_index_html_size },
	{ "app.js", "text/javascript; charset=utf-8", ctl_www_app_js, &ctl_www_app_js_size },
	{ "app.css", "text/css; charset=utf-8", ctl_www_app_css, &ctl_www_app_css_size },
};

const struct ctl_www_file *
ctl_www_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

/*
 * The page loads only its own files and talks only to this spp-ctl: no
 * inline script or style, nothing from elsewhere, no framing by another
 * site. Names from the API are set as text, and this keeps it so.
 */
#define WWW_CSP \
	"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " \
	"img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

static void
reply_file(struct ctl_call *c, const struct ctl_www_file *f)
{
	struct ctl_response *r = c->resp;

	ctl_reply_204(c);
	r->body = malloc(*f->size + 1);
	if (r->body == NULL) {
		ctl_reply_500(c);
		return;
	}
	memcpy(r->body, f->data, *f->size + 1);
	r->body_size = *f->size;
	r->status = 200;
	r->content_type = f->content_type;
	r->csp = WWW_CSP;
}

void
ctl_api_www_index(struct ctl_call *c)
{
	reply_file(c, ctl_www_lookup("index.html"));
}

void
ctl_api_www_file(struct ctl_call *c)
{
	const struct ctl_www_file *f = ctl_www_lookup(c->args[0]);

	if (f == NULL)
		ctl_reply_text(c, 404, "Not found: '%s'", c->req->path);
	else
		reply_file(c, f);
}
