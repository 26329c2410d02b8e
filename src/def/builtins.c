/* builtins.c: the table of muster's built-in tools: names and how they run. */
#include <string.h>

#include "base/util.h"
#include "def/builtins.h"

/* In-process (service NULL), or the `muster service` subcommand. */
static const struct {
	const char	*name;
	const char	*service;
} builtins[] = {
	{ "core_service_create", "create" },
	{ "core_service_delete", "delete" },
	{ "core_service_start", "start" },
	{ "core_service_stop", "stop" },
	{ "core_service_restart", "restart" },
	{ "core_service_status", "status" },
	{ "core_service_list", "list" },
	{ "core_service_wait_healthy", "wait" },
	{ "core_service_scale", "scale" },
	{ "core_serviceclass_list", NULL },
	{ "core_serviceclass_available", NULL },
	{ "core_workflow_list", NULL },
	{ "core_workflow_execution_list", NULL },
	{ "core_workflow_execution_get", NULL },
};

const size_t	nbuiltins = nitems(builtins);

const char *
builtin_name(size_t i)
{
	return builtins[i].name;
}

int
builtin_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nbuiltins; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
builtin_service(int i)
{
	return builtins[i].service;
}
