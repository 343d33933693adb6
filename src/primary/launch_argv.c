/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "launch_argv.h"
#include "spp_cmd.h"
#include "spp_uid.h"

/* The EAL options the primary decides for the secondary. */
enum eal_opt {
	OPT_OTHER,
	OPT_PROC_TYPE,
	OPT_FILE_PREFIX,
	OPT_IOVA_MODE,
};

static const char *const eal_opt_names[] = {
	[OPT_PROC_TYPE] = "proc-type",
	[OPT_FILE_PREFIX] = "file-prefix",
	[OPT_IOVA_MODE] = "iova-mode",
};

static int
fail(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * Which of our options tok is. *value is what follows '=' (NULL without
 * '='); *abbrev is set when tok names one of them only by a prefix, as
 * getopt_long would accept it.
 */
static enum eal_opt
eal_opt_of(const char *tok, const char **value, bool *abbrev)
{
	const char *eq, *name = tok + 2;
	size_t len;

	*value = NULL;
	*abbrev = false;
	if (strncmp(tok, "--", 2) != 0 || tok[2] == '\0')
		return OPT_OTHER;
	eq = strchr(name, '=');
	len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	for (int o = OPT_PROC_TYPE; o <= OPT_IOVA_MODE; o++) {
		const char *full = eal_opt_names[o];

		if (len == 0 || len > strlen(full) || strncmp(name, full, len) != 0)
			continue;
		*abbrev = len < strlen(full);
		*value = eq != NULL ? eq + 1 : NULL;
		return (enum eal_opt)o;
	}
	return OPT_OTHER;
}

static int
add(struct launch_argv *la, const char *arg)
{
	if (la->argc >= LAUNCH_MAX_ARGS)
		return -1;
	la->argv[la->argc++] = arg;
	return 0;
}

/* The application tokens, each --client-id given la->id (SPEC §6.3). */
static int
add_app(struct launch_argv *la, char **tok, int first, int n)
{
	bool found = false;
	int ret = 0;

	for (int i = first; i < n; i++) {
		if (strcmp(tok[i], "--client-id") == 0) {
			ret |= add(la, tok[i]);
			ret |= add(la, la->id);
			/* Its value, if any, is replaced. */
			i++;
			found = true;
		} else if (strncmp(tok[i], "--client-id=", 12) == 0) {
			/* spp_vf takes the value as the next token only. */
			ret |= add(la, "--client-id");
			ret |= add(la, la->id);
			found = true;
		} else {
			ret |= add(la, tok[i]);
		}
	}
	if (!found) {
		ret |= add(la, "--client-id");
		ret |= add(la, la->id);
	}
	return ret;
}

int
launch_argv_build(const char *line, const struct launch_env *env, struct launch_argv *la,
		  char *err, size_t err_size)
{
	char *tok[LAUNCH_MAX_TOKENS];
	bool keep[LAUNCH_MAX_TOKENS];
	bool iova_given = false;
	uint64_t id;
	long holder;
	int n, sep, ret;

	if (strlen(line) >= sizeof(la->buf))
		return fail(err, err_size, "command too long");
	memcpy(la->buf, line, strlen(line) + 1);
	n = spp_cmd_tokenize(la->buf, tok, LAUNCH_MAX_TOKENS);
	if (n > LAUNCH_MAX_TOKENS)
		return fail(err, err_size, "too many tokens (at most %d)", LAUNCH_MAX_TOKENS);
	if (n < 3 || strcmp(tok[0], "launch") != 0)
		return fail(err, err_size, "usage: launch ID NAME EAL... -- APP...");
	if (spp_parse_uint(tok[1], SPP_MAX_CLIENTS - 1, &id) < 0 || id < 1)
		return fail(err, err_size, "invalid client id '%.32s' (1..%d)", tok[1],
			    SPP_MAX_CLIENTS - 1);
	if (strcmp(tok[2], "spp_vf") != 0 && strcmp(tok[2], "spp_mirror") != 0)
		return fail(err, err_size, "invalid process name '%.64s' (spp_vf or spp_mirror)",
			    tok[2]);
	for (sep = 3; sep < n && strcmp(tok[sep], "--") != 0; sep++)
		;
	if (sep == n)
		return fail(err, err_size, "missing '--' between EAL and application options");

	la->client_id = (unsigned int)id;
	la->name = tok[2];
	snprintf(la->id, sizeof(la->id), "%u", la->client_id);
	if (strlen(env->file_prefix) >= sizeof(la->prefix))
		return fail(err, err_size, "file prefix of spp_primary too long");
	memcpy(la->prefix, env->file_prefix, strlen(env->file_prefix) + 1);

	/* EAL tokens: check ours, mark what is copied. */
	for (int i = 3; i < sep; i++) {
		const char *value;
		bool abbrev, takes_next = false;
		enum eal_opt o = eal_opt_of(tok[i], &value, &abbrev);

		keep[i] = true;
		if (o == OPT_OTHER)
			continue;
		if (abbrev)
			return fail(err, err_size, "abbreviated option '%.32s': write --%s in full",
				    tok[i], eal_opt_names[o]);
		if (value == NULL && i + 1 < sep) {
			value = tok[i + 1];
			takes_next = true;
		}
		/* Ours are put first below; a given --iova-mode stays. */
		keep[i] = o == OPT_IOVA_MODE;
		switch (o) {
		case OPT_PROC_TYPE:
			if (value == NULL || strcmp(value, "secondary") != 0)
				return fail(err, err_size, "proc-type must be secondary");
			break;
		case OPT_FILE_PREFIX:
			if (value == NULL || strcmp(value, la->prefix) != 0)
				return fail(err, err_size, "file-prefix must be %s", la->prefix);
			break;
		case OPT_IOVA_MODE:
			/* Without a value getopt would take "--" for it. */
			if (value == NULL || value[0] == '\0')
				return fail(err, err_size, "--iova-mode needs a value");
			iova_given = true;
			break;
		case OPT_OTHER:
			break;
		}
		if (takes_next) {
			i++;
			keep[i] = o == OPT_IOVA_MODE;
		}
	}

	la->argc = 0;
	ret = add(la, la->name);
	ret |= add(la, "--proc-type=secondary");
	ret |= add(la, "--file-prefix");
	ret |= add(la, la->prefix);
	if (!iova_given && env->iova_mode != NULL) {
		snprintf(la->iova, sizeof(la->iova), "--iova-mode=%s", env->iova_mode);
		ret |= add(la, la->iova);
	}
	for (int i = 3; i < sep; i++)
		if (keep[i])
			ret |= add(la, tok[i]);
	ret |= add(la, "--");
	ret |= add_app(la, tok, sep + 1, n);
	if (ret != 0)
		return fail(err, err_size, "too many tokens (at most %d)", LAUNCH_MAX_TOKENS);
	la->argv[la->argc] = NULL;

	holder = env->client_holder != NULL ? env->client_holder(env->arg, la->client_id) : 0;
	if (holder > 0)
		return fail(err, err_size, "client id %u is already used by pid %ld",
			    la->client_id, holder);
	return 0;
}
