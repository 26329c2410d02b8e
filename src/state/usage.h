/* usage.h: a process's resource usage as records and documents spell it. */
#ifndef MUSTER_USAGE_H
#define MUSTER_USAGE_H

#include <stdbool.h>

#include "base/proc.h"
#include "base/util.h"

struct json_object;

/*
 * Appends u as a JSON object: {"user_us":N,"sys_us":N,"max_rss_kb":N,
 * "inblock":N,"oublock":N,"nvcsw":N,"nivcsw":N}.
 */
void	 usage_to_buf(struct buf *, const struct proc_usage *u);
/* The same object, new. */
struct json_object *usage_to_json(const struct proc_usage *u);
/* Reads such an object into *u (missing fields 0); false if o is none. */
bool	 usage_from_json(struct json_object *o, struct proc_usage *u);
/* CPU time, user plus system, in microseconds. */
int64_t	 usage_cpu_us(const struct proc_usage *u);
/* "0.21s" / "1m3s": CPU time for people. */
void	 usage_format_cpu(struct buf *, int64_t us);
/* "96.3MiB" / "812KiB": a size in KiB for people. */
void	 usage_format_kb(struct buf *, int64_t kb);

#endif
