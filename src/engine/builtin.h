/* builtin.h: muster's built-in tools, run by the engine (their names are
 * in def/builtins.h). */
#ifndef MUSTER_BUILTIN_H
#define MUSTER_BUILTIN_H

#include <stddef.h>
#include <stdint.h>

#include "def/builtins.h"

struct buf;
struct json_object;
struct project;

/*
 * Adds to argv, after muster's own program and project options, the
 * service command for arguments in; a class's arguments go through
 * args_file.  0, or -1 with err.
 */
struct strv;
int	builtin_service_argv(const char *sub, struct json_object *in,
	    const char *args_file, struct strv *argv, struct buf *err);
/*
 * Calls built-in i with its arguments.  Returns 0 with *result (new), or
 * -1 with the reason in err.
 */
/*
 * Built-in i's arguments under their own names (the seeds' 'parameters'
 * becomes 'args'): *out new, 0; or -1 with an unknown or repeated one in
 * err.
 */
int	builtin_normalize(int i, struct json_object *given,
	    struct json_object **out, struct buf *err);
int	builtin_call(struct project *, int i, struct json_object *args,
	    struct json_object **result, struct buf *err);

/* Built-ins' argument readers: each leaves a message in err when the type
 * is wrong; absent leaves *out NULL (or def). */
int	builtin_arg_str(struct json_object *args, const char *key,
	    const char **out, struct buf *err);
int	builtin_arg_int(struct json_object *args, const char *key, int64_t def,
	    int64_t min, int64_t max, int64_t *out, struct buf *err);

/* builtin-service.c: core_serviceclass_list, core_serviceclass_available. */
int	builtin_serviceclass_list(struct project *, struct json_object *,
	    struct json_object **, struct buf *);
int	builtin_serviceclass_available(struct project *, struct json_object *,
	    struct json_object **, struct buf *);

#endif
