/* builtins.c: the table of muster's built-in tools: names and how they run. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "def/builtins.h"

/*
 * In-process (service NULL), or the `muster service` subcommand; the
 * arguments each takes and those it needs, space-separated.
 */
static const struct {
	const char	*name;
	const char	*service;
	const char	*args;
	const char	*required;
} builtins[] = {
	{ "core_service_create", "create",
	  "serviceClassName name args timeout", "serviceClassName" },
	{ "core_service_delete", "delete", "name serviceClassName force",
	  "name" },
	{ "core_service_start", "start", "name serviceClassName timeout",
	  "name" },
	{ "core_service_stop", "stop", "name serviceClassName", "name" },
	{ "core_service_restart", "restart",
	  "name serviceClassName timeout", "name" },
	{ "core_service_status", "status", "name serviceClassName", "name" },
	{ "core_service_list", "list", "", "" },
	{ "core_service_wait_healthy", "wait",
	  "name serviceClassName timeout", "name" },
	{ "core_service_scale", "scale", "name replicas timeout",
	  "name replicas" },
	{ "core_serviceclass_list", NULL, "", "" },
	{ "core_serviceclass_available", NULL, "name serviceClassName", "" },
	{ "core_workflow_list", NULL, "", "" },
	{ "core_workflow_execution_list", NULL,
	  "workflow_name status limit offset", "" },
	{ "core_workflow_execution_get", NULL,
	  "execution_id include_steps step_id", "execution_id" },
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

/* What each built-in does, for `list tools`, in the table's order. */
static const char *const descriptions[] = {
	"create a service instance and wait until it is healthy",
	"stop and forget a service instance",
	"start a stopped service instance",
	"stop a service instance",
	"restart a service instance",
	"probe a service instance's health once",
	"list the service instances",
	"wait until a service instance is healthy",
	"run a service class's scale tool with a number of replicas",
	"list the service classes",
	"whether a service class can be used here, and why not",
	"list the workflows",
	"list executions, newest first",
	"one execution's record",
};
_Static_assert(nitems(descriptions) == nitems(builtins),
    "a description for every built-in");

const char *
builtin_description(size_t i)
{
	return descriptions[i];
}

const char *
builtin_args(int i, const char **required)
{
	*required = builtins[i].required;
	return builtins[i].args;
}

/* True when word is one of the space-separated words of list. */
static bool
has_word(const char *list, const char *word)
{
	size_t	n = strlen(word);
	const char *p;

	for (p = list; *p != '\0'; p += strcspn(p, " "), p += *p == ' ')
		if (strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

const char *
builtin_arg(int i, const char *key)
{
	size_t	k;

	for (k = 0; k < nitems(aliases); k++)
		if (strcmp(key, aliases[k].alias) == 0)
			key = aliases[k].name;
	return has_word(builtins[i].args, key) ? key : NULL;
}

void
builtin_bad_arg(int i, const char *key, struct buf *msg)
{
	const char	*a = builtins[i].args, *sg, *cands[16];
	char		 words[16][40];
	size_t		 nc = 0, k, len;

	for (; *a != '\0' && nc < nitems(cands); a += len, a += *a == ' ') {
		len = strcspn(a, " ");
		snprintf(words[nc], sizeof words[nc], "%.*s", (int)len, a);
		cands[nc] = words[nc];
		nc++;
	}
	k = nc;
	buf_printf(msg, "built-in tool '%s' has no argument '%s'",
	    builtins[i].name, key);
	if ((sg = suggest(key, cands, nc)) != NULL)
		buf_printf(msg, " (did you mean '%s'?)", sg);
	else if (k == 0)
		buf_adds(msg, " (it takes none)");
	else
		buf_printf(msg, " (it takes %s)", builtins[i].args);
}
