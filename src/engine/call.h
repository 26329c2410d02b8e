/* call.h: one tool run once, outside any workflow, waited for. */
#ifndef MUSTER_CALL_H
#define MUSTER_CALL_H

#include <stdint.h>

struct buf;
struct json_object;
struct project;
struct workflow;

/* How a call runs. */
struct call_opts {
	int	 log_fd;	/* the tool's output goes here (-1: shown) */
	int	 silent;	/* no progress lines, no summary */
	int64_t	 timeout_ns;	/* the tool is stopped after it; 0: none */
	int	 verbose, color;
};

/*
 * Runs tool name (a Tool file, a built-in or workflow_<name>) with args
 * (NULL: none), checked by the tool's schema.  Returns muster's exit code
 * (0 when it succeeded) with *result (new) on success or the reason in err.
 */
int	call_tool(struct project *, const char *name, struct json_object *args,
	    const struct call_opts *, struct json_object **result,
	    struct buf *err);
/*
 * A one-step workflow around tool name, in the project's arena, or NULL
 * after reporting an unknown tool.  args becomes its arguments.
 */
struct workflow	*call_wrap(struct project *, const char *name,
		    struct json_object *args);

#endif
