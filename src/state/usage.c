/* usage.c: a process's resource usage as records and documents spell it. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "state/usage.h"
#include "base/value.h"

static const char *const	names[] = { "user_us", "sys_us",
	"max_rss_kb", "inblock", "oublock", "nvcsw", "nivcsw" };

/* The fields of u in the order of names[]. */
static void
fields(const struct proc_usage *u, int64_t v[7])
{
	v[0] = u->user_us;
	v[1] = u->sys_us;
	v[2] = u->max_rss_kb;
	v[3] = u->inblock;
	v[4] = u->oublock;
	v[5] = u->nvcsw;
	v[6] = u->nivcsw;
}

/* Writes v in decimal at p; returns the end.  (printf would cost more
 * than the rest of a step's record: this runs once a step.) */
static char *
put_int(char *p, int64_t v)
{
	char		 tmp[24];
	uint64_t	 u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	int		 n = 0;

	if (v < 0)
		*p++ = '-';
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

void
usage_to_buf(struct buf *b, const struct proc_usage *u)
{
	char	 out[256], *p = out;
	int64_t	 v[7];
	size_t	 i, n;

	fields(u, v);
	for (i = 0; i < nitems(names); i++) {
		*p++ = i == 0 ? '{' : ',';
		*p++ = '"';
		n = strlen(names[i]);
		memcpy(p, names[i], n);
		p += n;
		*p++ = '"';
		*p++ = ':';
		p = put_int(p, v[i]);
	}
	*p++ = '}';
	buf_add(b, out, (size_t)(p - out));
}

struct json_object *
usage_to_json(const struct proc_usage *u)
{
	struct json_object	*o = json_object_new_object();
	int64_t			 v[7];
	size_t			 i;

	fields(u, v);
	for (i = 0; i < nitems(names); i++)
		json_set(o, names[i], json_object_new_int64(v[i]));
	return o;
}

bool
usage_from_json(struct json_object *o, struct proc_usage *u)
{
	struct json_object	*f;
	int64_t			 v[7] = { 0 };
	size_t			 i;

	*u = (struct proc_usage){ 0 };
	if (o == NULL || !json_object_is_type(o, json_type_object))
		return false;
	/* A record is outside data: figures stay where sums cannot
	 * overflow (2^50 microseconds is 35 years). */
	for (i = 0; i < nitems(names); i++)
		if (json_object_object_get_ex(o, names[i], &f)) {
			v[i] = json_object_get_int64(f);
			if (v[i] < 0 || v[i] > (INT64_C(1) << 50))
				v[i] = v[i] < 0 ? 0 : INT64_C(1) << 50;
		}
	u->user_us = v[0];
	u->sys_us = v[1];
	u->max_rss_kb = v[2];
	u->inblock = v[3];
	u->oublock = v[4];
	u->nvcsw = v[5];
	u->nivcsw = v[6];
	return true;
}

int64_t
usage_cpu_us(const struct proc_usage *u)
{
	return u->user_us + u->sys_us;
}

void
usage_format_cpu(struct buf *b, int64_t us)
{
	if (us < 60 * 1000000LL)
		buf_printf(b, "%.2fs", (double)us / 1e6);
	else
		buf_printf(b, "%lldm%02llds", (long long)(us / 60000000),
		    (long long)(us / 1000000 % 60));
}

void
usage_format_kb(struct buf *b, int64_t kb)
{
	if (kb < 1024)
		buf_printf(b, "%lldKiB", (long long)kb);
	else if (kb < 1024 * 1024)
		buf_printf(b, "%.1fMiB", (double)kb / 1024);
	else
		buf_printf(b, "%.2fGiB", (double)kb / (1024 * 1024));
}
