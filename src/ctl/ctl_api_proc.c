/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Process-level endpoints (SPEC §7.3), openapi.json and upstream's
 * spp_nfv / spp_pcap routes (SPEC §7.7).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_api.h"

void
ctl_api_processes(struct ctl_call *c)
{
	json_t *list = c->be->processes(c->be->ctx);

	if (list == NULL)
		ctl_reply_500(c);
	else
		ctl_reply_json(c, list);
}

void
ctl_api_openapi(struct ctl_call *c)
{
	struct ctl_response *r = c->resp;

	ctl_reply_204(c);
	r->body = malloc(c->be->openapi_size + 1);
	if (r->body == NULL) {
		ctl_reply_500(c);
		return;
	}
	memcpy(r->body, c->be->openapi, c->be->openapi_size);
	r->body[c->be->openapi_size] = '\0';
	r->body_size = c->be->openapi_size;
	r->status = 200;
	r->content_type = "application/json";
}

void
ctl_api_no_such_sec(struct ctl_call *c)
{
	const char *s = c->args[0];

	while (s[0] == '0' && s[1] != '\0')
		s++;
	ctl_reply_text(c, 404, "sec_id %s not found.", s);
}

/* One cpu_usage entry, or NULL if the process did not answer status. */
static json_t *
usage_of(struct ctl_call *c, const json_t *proc)
{
	const char *type = json_string_value(json_object_get(proc, "type"));
	json_t *reply = NULL, *out = NULL, *lcores, *info, *v;
	enum ctl_ptype t;
	unsigned int id = 0;
	size_t i;

	if (type == NULL)
		return NULL;
	if (strcmp(type, "primary") == 0) {
		t = CTL_PRIMARY;
	} else {
		t = strcmp(type, "vf") == 0 ? CTL_VF : CTL_MIRROR;
		id = (unsigned int)json_integer_value(json_object_get(proc, "client-id"));
	}
	if (c->be->command(c->be->ctx, t, id, "status", 0, &reply) < 0)
		return NULL;
	if (t == CTL_PRIMARY) {
		lcores = json_object_get(reply, "lcores");
		if (json_is_array(lcores))
			out = json_pack("{s:s,s:O,s:O}", "proc-type", "primary", "master-lcore",
					json_array_size(lcores) ? json_array_get(lcores, 0) :
					json_object_get(reply, "master-lcore"),
					"lcores", lcores);
	} else {
		info = json_object_get(reply, "info");
		v = json_object_get(info, "master-lcore");
		if (json_is_object(info) && v != NULL) {
			lcores = json_array();
			json_array_append(lcores, v);
			json_array_foreach(json_object_get(info, "core"), i, v)
				if (json_object_get(v, "core") != NULL)
					json_array_append(lcores, json_object_get(v, "core"));
			out = json_pack("{s:s,s:I,s:O,s:o}", "proc-type", type, "client-id",
					(json_int_t)id, "master-lcore",
					json_object_get(info, "master-lcore"), "lcores", lcores);
		}
	}
	json_decref(reply);
	return out;
}

void
ctl_api_cpu_usage(struct ctl_call *c)
{
	json_t *procs = c->be->processes(c->be->ctx);
	json_t *out = json_array(), *p;
	size_t i;

	json_array_foreach(procs, i, p) {
		json_t *u = usage_of(c, p);

		if (u != NULL)
			json_array_append_new(out, u);
	}
	json_decref(procs);
	ctl_reply_json(c, out);
}

/* --- cpu_layout --- */

struct cpu {
	long socket, core, lcore;
};

static int
cmp_cpu(const void *a, const void *b)
{
	const struct cpu *x = a, *y = b;

	if (x->socket != y->socket)
		return x->socket < y->socket ? -1 : 1;
	if (x->core != y->core)
		return x->core < y->core ? -1 : 1;
	return x->lcore < y->lcore ? -1 : x->lcore > y->lcore;
}

static int
read_long(const char *root, long lcore, const char *file, long *value)
{
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/cpu%ld/topology/%s", root, lcore, file);
	f = fopen(path, "r");
	if (f == NULL)
		return -errno;
	ok = fscanf(f, "%ld", value) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

void
ctl_api_cpu_layout(struct ctl_call *c)
{
	DIR *dir = opendir(c->be->sysfs_cpu);
	struct cpu *cpus = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	json_t *out, *sock = NULL, *core = NULL;

	if (dir == NULL) {
		ctl_reply_500(c);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		char *end;
		long lcore;
		struct cpu cpu;

		if (strncmp(de->d_name, "cpu", 3) != 0 || de->d_name[3] < '0' ||
		    de->d_name[3] > '9')
			continue;
		lcore = strtol(de->d_name + 3, &end, 10);
		if (*end != '\0')
			continue;
		cpu.lcore = lcore;
		/* Offline CPUs have no topology: not part of the layout. */
		if (read_long(c->be->sysfs_cpu, lcore, "physical_package_id", &cpu.socket) < 0 ||
		    read_long(c->be->sysfs_cpu, lcore, "core_id", &cpu.core) < 0)
			continue;
		if (n == cap) {
			struct cpu *m = realloc(cpus, sizeof(*cpus) * (cap ? cap * 2 : 64));

			if (m == NULL)
				break;
			cpus = m;
			cap = cap ? cap * 2 : 64;
		}
		cpus[n++] = cpu;
	}
	closedir(dir);
	if (n > 0)
		qsort(cpus, n, sizeof(*cpus), cmp_cpu);
	out = json_array();
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || cpus[i].socket != cpus[i - 1].socket) {
			sock = json_pack("{s:I,s:[]}", "socket_id", (json_int_t)cpus[i].socket,
					 "cores");
			json_array_append_new(out, sock);
			core = NULL;
		}
		if (core == NULL || cpus[i].core != cpus[i - 1].core) {
			core = json_pack("{s:I,s:[]}", "core_id", (json_int_t)cpus[i].core,
					 "lcores");
			json_array_append_new(json_object_get(sock, "cores"), core);
		}
		json_array_append_new(json_object_get(core, "lcores"),
				      json_integer(cpus[i].lcore));
	}
	free(cpus);
	ctl_reply_json(c, out);
}
