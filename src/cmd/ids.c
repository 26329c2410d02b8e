/* ids.c: the execution a command is about: a full id, a unique prefix of
 * one (as git takes abbreviated commits), or --last. */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "cmd/cmd.h"
#include "state/record.h"

bool
cmd_take_last(int *argc, char **argv)
{
	int	i, j;
	bool	last = false;

	for (i = j = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--last") == 0)
			last = true;
		else
			argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	return last;
}

/* The executions whose ids start with prefix: how many, the first two. */
static size_t
by_prefix(const char *state, const char *prefix, char **first,
    struct buf *some)
{
	char		*dir = xasprintf("%s/executions", state);
	DIR		*d = opendir(dir);
	struct dirent	*e;
	size_t		 n = 0, len = strlen(prefix);

	free(dir);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, len) != 0 ||
		    !record_id_ok(e->d_name))
			continue;
		if (n++ == 0)
			*first = xstrdup(e->d_name);
		if (n <= 4)
			buf_printf(some, "%s%s", n > 1 ? ", " : "", e->d_name);
	}
	closedir(d);
	return n;
}

int
cmd_execution(const char *state, const char *arg, char **out)
{
	char		**ids = NULL, *dir, *first = NULL;
	const char	 *id;
	struct buf	  some = BUF_INIT;
	size_t		  n = 0, i;
	bool		  exact;

	*out = NULL;
	if (arg == NULL) {
		if ((id = record_latest(state, &ids, &n)) != NULL)
			*out = xstrdup(id);
		for (i = 0; i < n; i++)
			free(ids[i]);
		free(ids);
		return *out != NULL ? 0 : EXIT_STATE;
	}
	dir = xasprintf("%s/executions/%s", state, arg);
	exact = record_id_ok(arg) && access(dir, F_OK) == 0;
	free(dir);
	if (exact || *arg == '\0' || strchr(arg, '/') != NULL) {
		*out = xstrdup(arg);	/* the command reports a bad one */
		return 0;
	}
	n = by_prefix(state, arg, &first, &some);
	if (n == 1) {
		*out = first;
		buf_release(&some);
		return 0;
	}
	free(first);
	if (n == 0) {
		*out = xstrdup(arg);
		buf_release(&some);
		return 0;
	}
	error("execution id '%s' is ambiguous: %s%s", arg, buf_str(&some),
	    n > 4 ? ", ..." : "");
	buf_release(&some);
	return EXIT_USAGE;
}

int
cmd_open_execution(const char *state, const char *arg, char **id,
    char **dir, int *dfd)
{
	int	rc;

	*dir = NULL;
	*dfd = -1;
	if ((rc = cmd_execution(state, arg, id)) != 0)
		return rc;
	if (record_id_ok(*id))
		*dir = xasprintf("%s/executions/%s", state, *id);
	if (*dir == NULL || (*dfd = open(*dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC | O_NOFOLLOW)) < 0) {
		error("no execution '%s'", *id);
		return EXIT_STATE;
	}
	return 0;
}
