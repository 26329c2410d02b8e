/* cmd-logs.c: `muster logs ID [STEP] [--follow]`: what steps wrote. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "state/lock.h"
#include "def/project.h"
#include "state/record.h"

static const struct option	logs_opts[] = {
	{ "follow",	no_argument,	NULL,	'f' },
	{ NULL,		0,		NULL,	0 }
};

/* One log file being shown: where it is and how much was shown. */
struct shown {
	char	*name;
	off_t	 at;
};

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct shown *)a)->name,
	    ((const struct shown *)b)->name);
}

/* True when log file name belongs to step (or to every step). */
static int
of_step(const char *name, const char *step)
{
	size_t	n;

	if (name[0] == '.')
		return 0;
	if (step == NULL)
		return 1;
	n = strlen(step);
	return strncmp(name, step, n) == 0 && name[n] == '.';
}

/* Prints what each log has gained since last time; returns bytes shown. */
static size_t
show_new(int logs, struct shown **files, size_t *nfiles, const char *step)
{
	DIR		*d = fdopendir(dup(logs));
	struct dirent	*e;
	size_t		 i, total = 0, cap = *nfiles;
	char		 buf[65536];

	rewinddir(d);
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (!of_step(e->d_name, step))
			continue;
		for (i = 0; i < *nfiles; i++)
			if (strcmp((*files)[i].name, e->d_name) == 0)
				break;
		if (i == *nfiles) {
			xgrow(files, &cap, *nfiles + 1, sizeof **files);
			(*files)[*nfiles].name = xstrdup(e->d_name);
			(*files)[(*nfiles)++].at = 0;
		}
	}
	if (d != NULL)
		closedir(d);
	if (*nfiles > 1)
		xqsort(*files, *nfiles, sizeof **files, by_name);
	for (i = 0; i < *nfiles; i++) {
		int	fd = openat(logs, (*files)[i].name, O_RDONLY | O_CLOEXEC |
			    O_NOFOLLOW);
		ssize_t	n;
		int	head = 0;

		if (fd < 0)
			continue;
		while ((n = pread(fd, buf, sizeof buf, (*files)[i].at)) > 0) {
			if (!head++)
				printf("==> %s <==\n", (*files)[i].name);
			fwrite(buf, 1, (size_t)n, stdout);
			(*files)[i].at += n;
			total += (size_t)n;
		}
		close(fd);
	}
	fflush(stdout);
	return total;
}

int
cmd_logs(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	struct shown	*files = NULL;
	const char	*step;
	char		*dir = NULL, *state;
	size_t		 nfiles = 0, i, shown;
	int		 c, rc, follow = 0, dfd = -1, logs = -1;
	char		*id = NULL;
	const char	*arg;
	bool		 last = cmd_take_last(&argc, argv);

	while ((c = cmd_getopt(ctx, argc, argv, "f", logs_opts)) != -1) {
		if (c != 'f')
			return cmd_usage(cmd_find("logs"));
		follow = 1;
	}
	if (argc - optind > 2 || (last && argc - optind > 1))
		return cmd_usage(cmd_find("logs"));
	/* One word: an id (they start with a digit), else a step of the
	 * latest execution. */
	if (!last && argc - optind == 2)
		arg = argv[optind++];
	else if (!last && optind < argc && argv[optind][0] >= '0' &&
	    argv[optind][0] <= '9')
		arg = argv[optind++];
	else
		arg = NULL;
	step = optind < argc ? argv[optind] : NULL;
	if ((rc = cmd_load(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	if ((rc = cmd_execution(state, arg, &id)) != 0)
		goto out;
	rc = EXIT_STATE;
	if (!record_id_ok(id)) {
		error("no execution '%s'", id);
		goto out;
	}
	dir = xasprintf("%s/executions/%s", state, id);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW)) < 0 || (logs = openat(dfd, "logs", O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		error("no execution '%s'", id);
		goto out;
	}
	shown = show_new(logs, &files, &nfiles, step);
	/* --follow: until the run ends (its lock is free) and all is shown. */
	while (follow && (lock_holder(dfd, "lock") != 0 || shown > 0)) {
		usleep(200000);
		shown = show_new(logs, &files, &nfiles, step);
	}
	if (nfiles == 0 && step != NULL && !follow)
		fprintf(stderr, "muster: step '%s' wrote nothing\n", step);
	rc = 0;
out:
	for (i = 0; i < nfiles; i++)
		free(files[i].name);
	free(files);
	if (logs >= 0)
		close(logs);
	if (dfd >= 0)
		close(dfd);
	free(id);
	free(dir);
	free(state);
	project_free(p);
	return rc;
}
