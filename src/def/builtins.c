/* builtins.c: the table of muster's built-in tools: names and how they run. */
#include <string.h>

#include "base/util.h"
#include "def/builtins.h"

/* The arguments each takes (the seeds' names). */
static const char *const a_create[] = { "serviceClassName", "name", "args",
	"timeout", NULL };
static const char *const a_name[] = { "name", NULL };
static const char *const a_wait[] = { "name", "timeout", NULL };
static const char *const a_delete[] = { "name", "force", NULL };
static const char *const a_none[] = { NULL };
static const char *const a_class[] = { "name", "serviceClassName", NULL };
static const char *const a_execs[] = { "workflow_name", "status", "limit",
	"offset", NULL };
static const char *const a_exec[] = { "execution_id", "include_steps",
	"step_id", NULL };

/* In-process (service NULL), or the `muster service` subcommand. */
static const struct {
	const char		*name;
	const char		*service;
	const char *const	*args;
} builtins[] = {
	{ "core_service_create", "create", a_create },
	{ "core_service_delete", "delete", a_delete },
	{ "core_service_start", "start", a_wait },
	{ "core_service_stop", "stop", a_name },
	{ "core_service_restart", "restart", a_wait },
	{ "core_service_status", "status", a_name },
	{ "core_service_list", "list", a_none },
	{ "core_service_wait_healthy", "wait", a_wait },
	{ "core_serviceclass_list", NULL, a_none },
	{ "core_serviceclass_available", NULL, a_class },
	{ "core_workflow_list", NULL, a_none },
	{ "core_workflow_execution_list", NULL, a_execs },
	{ "core_workflow_execution_get", NULL, a_exec },
};

/* Other spellings of arguments: the seeds' 'parameters' is 'args'. */
static const struct {
	const char	*alias, *name;
} aliases[] = {
	{ "parameters", "args" },
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

const char *
builtin_arg(int i, const char *key)
{
	const char *const	*a = builtins[i].args;
	size_t			 k;

	for (k = 0; k < nitems(aliases); k++)
		if (strcmp(key, aliases[k].alias) == 0)
			key = aliases[k].name;
	for (; *a != NULL; a++)
		if (strcmp(*a, key) == 0)
			return *a;
	return NULL;
}

const char *const *
builtin_args(int i)
{
	return builtins[i].args;
}

void
builtin_bad_arg(int i, const char *key, struct buf *msg)
{
	const char *const	*a = builtins[i].args;
	const char		*sg, *cands[16];
	size_t			 n, k, nc = 0;

	for (n = 0; a[n] != NULL; n++)
		if (nc < nitems(cands))
			cands[nc++] = a[n];
	for (k = 0; k < nitems(aliases); k++)
		if (builtin_arg(i, aliases[k].alias) != NULL &&
		    nc < nitems(cands))
			cands[nc++] = aliases[k].alias;
	buf_printf(msg, "built-in tool '%s' has no argument '%s'",
	    builtins[i].name, key);
	if ((sg = suggest(key, cands, nc)) != NULL)
		buf_printf(msg, " (did you mean '%s'?)", sg);
	else if (n == 0)
		buf_adds(msg, " (it takes none)");
	else {
		buf_adds(msg, " (it takes ");
		for (n = 0; a[n] != NULL; n++)
			buf_printf(msg, "%s%s", n ? ", " : "", a[n]);
		buf_addc(msg, ')');
	}
}
