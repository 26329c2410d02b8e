/* pause.c: `muster pause ID`: a running execution finishes its running
 * steps, starts no other, and ends "paused" for resume to continue. */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "def/project.h"
#include "state/lock.h"
#include "state/record.h"

enum { OPT_LAST = 256 };

static const struct option	pause_opts[] = {
	{ "last",	no_argument,	NULL,	OPT_LAST },
	{ NULL,		0,		NULL,	0 }
};

/* Waits until the runner took the mark away (10 s at most). */
static int
taken(int dfd, pid_t holder)
{
	struct timespec	ts = { 0, 20 * 1000000 };
	int		i;

	for (i = 0; i < 500; i++) {
		if (faccessat(dfd, "pause", F_OK, 0) < 0)
			return 1;
		if (kill(holder, 0) < 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* Leaves the mark, signals the runner, waits until it took the request. */
static int
pause_execution(const char *dir, const char *id, int dfd, int quiet)
{
	pid_t	holder;
	int	fd;

	if ((holder = lock_holder(dfd, "lock")) <= 1) {
		error("execution %s is not running", id);
		return EXIT_STATE;
	}
	if ((fd = openat(dfd, "pause", O_WRONLY | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) < 0) {
		error("cannot write '%s/pause':", dir);
		return EXIT_IO;
	}
	close(fd);
	if (kill(holder, SIGUSR1) < 0) {
		unlinkat(dfd, "pause", 0);
		error("cannot signal pid %d:", (int)holder);
		return EXIT_IO;
	}
	if (!taken(dfd, holder)) {
		unlinkat(dfd, "pause", 0);
		error("execution %s (pid %d) did not take the request; is it "
		    "still running?", id, (int)holder);
		return EXIT_STATE;
	}
	if (!quiet)
		fprintf(stderr, "muster: pausing execution %s (pid %d): its "
		    "running steps finish, then 'muster resume %s' goes on\n",
		    id, (int)holder, id);
	return 0;
}

int
cmd_pause(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	char		*state, *dir = NULL, *id = NULL;
	int		 rc, dfd = -1, c, last = 0;

	while ((c = cmd_getopt(ctx, argc, argv, "", pause_opts)) != -1)
		if (c == OPT_LAST)
			last = 1;
		else
			return cmd_usage(cmd_find("pause"));
	if (optind + (last ? 0 : 1) != argc)
		return cmd_usage(cmd_find("pause"));
	if ((rc = cmd_open(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	if ((rc = cmd_open_execution(state, last ? NULL : argv[optind], &id,
	    &dir, &dfd)) == 0)
		rc = pause_execution(dir, id, dfd, ctx->verbose < 0);
	if (dfd >= 0)
		close(dfd);
	free(id);
	free(dir);
	free(state);
	project_free(p);
	return rc;
}
