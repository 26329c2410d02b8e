/* status.c: the names of the states of steps and executions, as recorded. */
#include <string.h>

#include "base/util.h"
#include "state/status.h"

static const char *const	status_names[] = { "pending", "running",
				    "completed", "failed", "skipped" };
static const char *const	exec_names[] = { "running", "completed",
				    "failed", "interrupted", "cancelled",
				    "timed_out", "paused" };

const char *
status_name(enum status s)
{
	return status_names[s];
}

const char *
exec_status_name(enum exec_status s)
{
	return exec_names[s];
}

int
exec_status_parse(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(exec_names); i++)
		if (strcmp(name, exec_names[i]) == 0)
			return (int)i;
	return -1;
}
