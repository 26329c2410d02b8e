/* cmd-cancel.c: `muster cancel ID`: stop a running execution. */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "state/lock.h"
#include "def/project.h"
#include "state/record.h"

int
cmd_cancel(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	char		*state, *dir = NULL;
	pid_t		 holder;
	int		 rc, dfd = -1, fd;

	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1 || optind + 1 != argc)
		return cmd_usage(cmd_find("cancel"));
	if ((rc = cmd_open(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	rc = EXIT_STATE;
	if (record_id_ok(argv[optind]))
		dir = xasprintf("%s/executions/%s", state, argv[optind]);
	if (dir == NULL || (dfd = open(dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC | O_NOFOLLOW)) < 0) {
		error("no execution '%s'", argv[optind]);
		goto out;
	}
	if ((holder = lock_holder(dfd, "lock")) <= 1) {
		error("execution %s is not running", argv[optind]);
		goto out;
	}
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
		    argv[optind], (int)holder);
	rc = 0;
out:
	if (dfd >= 0)
		close(dfd);
	free(dir);
	free(state);
	project_free(p);
	return rc;
}
