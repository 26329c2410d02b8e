/* builtin.h: the names of muster's built-in tools. */
#ifndef MUSTER_BUILTIN_H
#define MUSTER_BUILTIN_H

#include <stddef.h>

/* The built-in tools, core_* (workflow_<name> is not among them). */
extern const size_t	nbuiltins;
const char		*builtin_name(size_t);

struct buf;
struct json_object;
struct project;

/* Returns the index of built-in name, or -1. */
int	builtin_find(const char *name);
/*
 * Calls built-in i with its arguments.  Returns 0 with *result (new), or
 * -1 with the reason in err.
 */
int	builtin_call(struct project *, int i, struct json_object *args,
	    struct json_object **result, struct buf *err);

#endif
