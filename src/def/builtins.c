/* builtins.c: the table of muster's built-in tools: names and how they run. */
#include <stdbool.h>
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
	  "serviceClassName name args parameters timeout",
	  "serviceClassName" },
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

const char *
builtin_args(int i, const char **required)
{
	*required = builtins[i].required;
	return builtins[i].args;
}

/* Whether the space-separated words hold word. */
static bool
has_word(const char *words, const char *word)
{
	size_t	n = strlen(word);

	while (*words != '\0') {
		size_t	k = strcspn(words, " ");

		if (k == n && strncmp(words, word, n) == 0)
			return true;
		words += k;
		words += strspn(words, " ");
	}
	return false;
}

const char *
builtin_arg(int i, const char *key)
{
	size_t	k;

	if (!has_word(builtins[i].args, key))
		return NULL;
	for (k = 0; k < nitems(aliases); k++)
		if (strcmp(key, aliases[k].alias) == 0)
			return aliases[k].name;
	return key;
}

void
builtin_bad_arg(int i, const char *key, struct buf *msg)
{
	const char	*a = builtins[i].args;

	buf_printf(msg, "built-in tool '%s' has no argument '%s'",
	    builtins[i].name, key);
	if (*a == '\0')
		buf_adds(msg, " (it takes none)");
	else
		buf_printf(msg, " (it takes %s)", a);
}
