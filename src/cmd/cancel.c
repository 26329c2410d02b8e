/* cmd-cancel.c: `muster cancel ID`: stop a running execution. */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "state/lock.h"
#include "def/project.h"
#include "state/record.h"

/*
 * Signals go only to the execution's runner: the pid the journal says
 * started or resumed it last, which the kernel says holds its lock.
 */
static int
check_runner(const char *state, const char *id, int dfd, pid_t holder)
{
	struct json_object	*doc;
	int			 rc;
	int64_t			 runner;

	if ((rc = record_read(state, id, &doc)) != 0)
		return rc;
	runner = json_object_get_int64(json_object_object_get(doc, "_pid"));
	json_object_put(doc);
	if (runner == holder && lock_held_by(dfd, "lock", holder))
		return 0;
	error("execution %s: its lock names pid %d, which is not the runner "
	    "it recorded (pid %lld); not signalling", id, (int)holder,
	    (long long)runner);
	return EXIT_STATE;
}

int
cmd_cancel(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	char		*state, *dir = NULL;
	char		*id = NULL;
	pid_t		 holder;
	int		 rc, dfd = -1, fd;
	bool		 last = cmd_take_last(&argc, argv);

	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1 ||
	    optind + !last != argc)
		return cmd_usage(cmd_find("cancel"));
	if ((rc = cmd_open(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	if ((rc = cmd_execution(state, last ? NULL : id, &id)) != 0)
		goto out;
	rc = EXIT_STATE;
	if (record_id_ok(id))
		dir = xasprintf("%s/executions/%s", state, id);
	if (dir == NULL || (dfd = open(dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC | O_NOFOLLOW)) < 0) {
		error("no execution '%s'", id);
		goto out;
	}
	if ((holder = lock_holder(dfd, "lock")) <= 1) {
		error("execution %s is not running", id);
		goto out;
	}
	if ((rc = check_runner(state, argv[optind], dfd, holder)) != 0)
		goto out;
	rc = EXIT_STATE;
	/* The mark says "cancelled"; SIGTERM stops the run as usual. */
	if ((fd = openat(dfd, "cancel", O_WRONLY | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) < 0) {
		error("cannot write '%s/cancel':", dir);
		rc = EXIT_IO;
		goto out;
	}
	close(fd);
	if (kill(holder, SIGTERM) < 0) {
		error("cannot signal pid %d:", (int)holder);
		rc = EXIT_IO;
		goto out;
	}
	if (ctx->verbose >= 0)
		fprintf(stderr, "muster: cancelling execution %s (pid %d)\n",
		    id, (int)holder);
	rc = 0;
out:
	if (dfd >= 0)
		close(dfd);
	free(id);
	free(dir);
	free(state);
	project_free(p);
	return rc;
}
