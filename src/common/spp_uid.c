/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spp_limits.h"
#include "spp_uid.h"

/* Parse the digits at the start of str, stopping at the first non-digit. */
static int
parse_digits(const char *str, const char **end, uint64_t max, uint64_t *value)
{
	const char *p = str;
	uint64_t v = 0;

	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		/* Checked per digit, so no overflow whatever the length. */
		if (v > max)
			return -EINVAL;
	}
	if (p == str)
		return -EINVAL;
	*end = p;
	*value = v;
	return 0;
}

int
spp_parse_uint(const char *str, uint64_t max, uint64_t *value)
{
	const char *end;

	if (str == NULL || parse_digits(str, &end, max, value) < 0 || *end != '\0')
		return -EINVAL;
	return 0;
}

int
spp_uid_parse(const char *str, struct spp_port_id *id)
{
	static const struct {
		const char *prefix;
		enum spp_port_type type;
		uint64_t max;
	} types[] = {
		{ "phy:", SPP_PORT_PHY, SPP_MAX_PHY - 1 },
		{ "ring:", SPP_PORT_RING, SPP_MAX_RINGS - 1 },
		{ "vhost:", SPP_PORT_VHOST, SPP_MAX_VHOST - 1 },
	};
	const char *p = NULL;
	uint64_t num, queue;
	size_t i;

	if (str == NULL)
		return -EINVAL;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t len = strlen(types[i].prefix);

		if (strncmp(str, types[i].prefix, len) == 0) {
			p = str + len;
			break;
		}
	}
	if (p == NULL)
		return -EINVAL;
	if (parse_digits(p, &p, types[i].max, &num) < 0)
		return -EINVAL;
	id->type = types[i].type;
	id->num = (uint16_t)num;
	id->queue = SPP_NO_QUEUE;
	if (*p == '\0')
		return 0;
	if (types[i].type == SPP_PORT_RING || strncmp(p, "nq", 2) != 0)
		return -EINVAL;
	if (parse_digits(p + 2, &p, SPP_MAX_QUEUES - 1, &queue) < 0 || *p != '\0')
		return -EINVAL;
	id->queue = (int16_t)queue;
	return 0;
}

char *
spp_uid_format(const struct spp_port_id *id, char *buf, size_t size)
{
	static const char *const names[] = {
		[SPP_PORT_PHY] = "phy",
		[SPP_PORT_VHOST] = "vhost",
		[SPP_PORT_RING] = "ring",
	};

	if (id->queue == SPP_NO_QUEUE)
		snprintf(buf, size, "%s:%u", names[id->type], id->num);
	else
		snprintf(buf, size, "%s:%u nq %d", names[id->type], id->num, id->queue);
	return buf;
}

bool
spp_uid_equal(const struct spp_port_id *a, const struct spp_port_id *b)
{
	return a->type == b->type && a->num == b->num && a->queue == b->queue;
}

int
spp_uid_compare(const struct spp_port_id *a, const struct spp_port_id *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->num != b->num)
		return a->num < b->num ? -1 : 1;
	if (a->queue != b->queue)
		return a->queue < b->queue ? -1 : 1;
	return 0;
}
