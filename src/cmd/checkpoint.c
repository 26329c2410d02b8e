/* checkpoint.c: `muster checkpoint ID NAME`: names the point an execution
 * that does not run has reached, for `resume --from-checkpoint NAME`. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/value.h"
#include "cmd/cmd.h"
#include "def/project.h"
#include "state/journal.h"
#include "state/lock.h"
#include "state/record.h"

/* The same rule as a step's checkpoint: field. */
static bool
name_ok(const char *s)
{
	size_t	n = strlen(s);

	return n > 0 && n < 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n && s[0] != '.' &&
	    s[0] != '-';
}

/* The keys of the steps doc says completed (new). */
static struct json_object *
completed(struct json_object *doc)
{
	struct json_object	*steps = json_object_object_get(doc, "steps");
	struct json_object	*done = json_object_new_array();
	size_t			 i;

	for (i = 0; i < json_object_array_length(steps); i++) {
		struct json_object	*s = json_object_array_get_idx(steps, i);
		const char		*st = json_object_get_string(
					    json_object_object_get(s, "status"));

		if (st != NULL && strcmp(st, "completed") == 0)
			json_object_array_add(done, json_object_get(
			    json_object_object_get(s, "step_id")));
	}
	return done;
}

/* Appends checkpoint name to execution id (its lock held). */
static int
add(const char *state, const char *dir, int dfd, const char *id,
    const char *name)
{
	struct json_object	*doc = NULL, *o;
	struct journal		 j;
	struct buf		 b = BUF_INIT;
	int			 rc;

	if ((rc = record_read(state, id, &doc)) != 0)
		return rc;
	if (json_object_object_get_ex(json_object_object_get(doc,
	    "_checkpoints"), name, NULL)) {
		json_object_put(doc);
		error("execution %s has a checkpoint '%s' already", id, name);
		return EXIT_USAGE;
	}
	o = record_checkpoint(name, NULL, completed(doc));
	json_object_put(doc);
	json_to_buf(&b, o);
	json_object_put(o);
	rc = EXIT_IO;
	if (journal_open(&j, dfd, "journal", dir, 0) == 0) {
		if (journal_append(&j, b.s, b.len) == 0 && journal_sync(&j) ==
		    0)
			rc = 0;
		journal_close(&j);
	}
	buf_release(&b);
	return rc;
}

int
cmd_checkpoint(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	char		*state, *dir = NULL, *id = NULL;
	const char	*name;
	pid_t		 holder = 0;
	int		 rc, dfd = -1, lock = -1;
	bool		 last = cmd_take_last(&argc, argv);

	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1 ||
	    argc - optind != (last ? 1 : 2))
		return cmd_usage(cmd_find("checkpoint"));
	name = argv[argc - 1];
	if (!name_ok(name)) {
		error("bad checkpoint name '%s': use letters, digits, '_', '.' "
		    "or '-'", name);
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	if ((rc = cmd_open_execution(state, last ? NULL : argv[optind], &id,
	    &dir, &dfd)) != 0)
		goto out;
	/* A running execution names its points with steps' checkpoint:. */
	if (lock_take(dfd, "lock", 0, &lock, &holder) != LOCK_TAKEN) {
		error("execution %s is running (pid %d): pause it first, or "
		    "give a step 'checkpoint: %s'", id, (int)holder, name);
		rc = EXIT_LOCKED;
		goto out;
	}
	if ((rc = add(state, dir, dfd, id, name)) == 0 && ctx->verbose >= 0)
		fprintf(stderr, "muster: checkpoint '%s' of execution %s: "
		    "'muster resume %s --from-checkpoint %s' runs what "
		    "completes after it again\n", name, id, id, name);
out:
	if (lock >= 0)
		close(lock);
	if (dfd >= 0)
		close(dfd);
	free(id);
	free(dir);
	free(state);
	project_free(p);
	return rc;
}
