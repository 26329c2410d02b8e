/* builtin.c: muster's built-in tools. */
#include <string.h>

#include "builtin.h"
#include "util.h"

static const char *const	names[] = {
	"core_service_create", "core_service_delete", "core_service_start",
	"core_service_stop", "core_service_restart", "core_service_status",
	"core_service_list", "core_service_wait_healthy",
	"core_serviceclass_list", "core_serviceclass_available",
	"core_workflow_list", "core_workflow_execution_list",
	"core_workflow_execution_get",
};

const size_t	nbuiltins = nitems(names);

const char *
builtin_name(size_t i)
{
	return names[i];
}

int
builtin_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nbuiltins; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}
