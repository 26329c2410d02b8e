/* cancel.c: `muster cancel ID`: stop a running execution. */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "state/lock.h"
#include "def/project.h"
#include "state/record.h"
#include "exec/slurm.h"

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

/*
 * Keeps, of jobs ids[0..n) of steps steps[], those Slurm has queued or
 * running (all when it cannot tell), saying each in said; returns how
 * many.
 */
static size_t
active_jobs(char **ids, const char **steps, size_t n, struct buf *said)
{
	struct slurm_state	*st;
	struct buf		 err = BUF_INIT;
	size_t			 i, k = 0;
	bool			 known;

	if (n == 0)
		return 0;
	st = xcalloc(n + 1, sizeof *st);
	known = slurm_query(ids, n, st, &err) == 0;

	for (i = 0; i < n; i++)
		if (!known || slurm_active(st[i].state)) {
			buf_printf(said, "%s%s (step %s)", k > 0 ? ", " : "",
			    ids[i], steps[i]);
			ids[k] = ids[i];
			steps[k++] = steps[i];
		}
	free(st);
	buf_release(&err);
	return k;
}

/*
 * No runner: its Slurm jobs may still run (kill -9, a lost machine).
 * Cancels those of the steps the record says run; returns 0 when there
 * were some, else the exit code after saying it is not running.
 */
static int
cancel_orphans(const char *state, const char *id, int verbose)
{
	struct json_object	*doc, *steps;
	struct buf		 err = BUF_INIT, said = BUF_INIT;
	char			**ids;
	const char		**steps_of;
	size_t			 i, n = 0, k;
	int			 rc;

	if ((rc = record_read(state, id, &doc)) != 0)
		return rc;
	steps = json_object_object_get(doc, "steps");
	k = json_object_array_length(steps);
	ids = xcalloc(k + 1, sizeof *ids);
	steps_of = xcalloc(k + 1, sizeof *steps_of);
	for (i = 0; i < k; i++) {
		struct json_object	*s = json_object_array_get_idx(steps, i);
		struct json_object	*job = json_object_object_get(s,
					    "slurm_job");

		if (job != NULL && strcmp(json_object_get_string(
		    json_object_object_get(s, "status")), "running") == 0) {
			ids[n] = (char *)json_object_get_string(job);
			steps_of[n++] = json_object_get_string(
			    json_object_object_get(s, "step_id"));
		}
	}
	n = active_jobs(ids, steps_of, n, &said);
	rc = 0;
	if (n == 0) {
		error("execution %s is not running", id);
		rc = EXIT_STATE;
	} else if (slurm_cancel(ids, n, &err) < 0) {
		error("execution %s has no runner; cannot cancel its Slurm "
		    "jobs %s: %s", id, buf_str(&said), buf_str(&err));
		rc = EXIT_IO;
	} else if (verbose >= 0)
		fprintf(stderr, "muster: execution %s has no runner; cancelled "
		    "its Slurm jobs %s\n", id, buf_str(&said));
	free(ids);
	free(steps_of);
	buf_release(&err);
	buf_release(&said);
	json_object_put(doc);
	return rc;
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
	if ((rc = cmd_open_execution(state, last ? NULL : argv[optind], &id,
	    &dir, &dfd)) != 0)
		goto out;
	if ((holder = lock_holder(dfd, "lock")) <= 1) {
		rc = cancel_orphans(state, id, ctx->verbose);
		goto out;
	}
	if ((rc = check_runner(state, id, dfd, holder)) != 0)
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
