/* cmd-resume.c: `muster resume ID|--last`: finish an execution. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/args.h"
#include "cmd/cmd.h"
#include "state/journal.h"
#include "state/lock.h"
#include "base/proc.h"
#include "def/project.h"
#include "state/record.h"
#include "engine/run.h"
#include "def/schema.h"
#include "base/value.h"

enum {
	OPT_LAST = 256, OPT_FROM, OPT_ARG, OPT_FSYNC, OPT_ARG_ENV,
	OPT_FROM_CHECKPOINT
};

static const struct option	resume_opts[] = {
	{ "last",	no_argument,		NULL,	OPT_LAST },
	{ "from",	required_argument,	NULL,	OPT_FROM },
	{ "from-checkpoint", required_argument,	NULL,	OPT_FROM_CHECKPOINT },
	{ "arg",	required_argument,	NULL,	OPT_ARG },
	{ "arg-env",	required_argument,	NULL,	OPT_ARG_ENV },
	{ "jobs",	required_argument,	NULL,	'j' },
	{ "keep-going",	no_argument,		NULL,	'k' },
	{ "fsync",	no_argument,		NULL,	OPT_FSYNC },
	{ NULL,		0,			NULL,	0 }
};

struct resume {
	struct args	 args;		/* --arg: secrets given again */
	struct run_opts	 o;
	int		 jobs;
	int		 last;
	const char	*from;
	const char	*checkpoint;	/* --from-checkpoint */
};

static int
parse(struct ctx *ctx, int argc, char **argv, struct resume *r)
{
	int	c;

	r->jobs = -1;
	while ((c = cmd_getopt(ctx, argc, argv, "j:k", resume_opts)) != -1)
		switch (c) {
		case OPT_LAST:
			r->last = 1;
			break;
		case OPT_FROM:
			r->from = optarg;
			break;
		case OPT_FROM_CHECKPOINT:
			r->checkpoint = optarg;
			break;
		case OPT_ARG:
			args_add(&r->args, optarg);
			break;
		case OPT_ARG_ENV:
			if (args_add_env(&r->args, optarg) < 0)
				return -1;
			break;
		case OPT_FSYNC:
			r->o.fsync = true;
			break;
		case 'j':
			if (cmd_parse_jobs(optarg, &r->jobs) < 0)
				return -1;
			break;
		case 'k':
			r->o.keep_going = true;
			break;
		default:
			return -1;
		}
	return optind + !r->last == argc ? 0 : -1;
}

/* Whether the array of strings names holds name. */
static bool
listed(struct json_object *names, const char *name)
{
	size_t	i;

	for (i = 0; names != NULL && i < json_object_array_length(names); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(
		    names, i)), name) == 0)
			return true;
	return false;
}

/*
 * The recorded input, with the secrets (recorded as ***) given again with
 * --arg, or their defaults when the run had them; the other arguments are
 * the run's and cannot change.
 */
static int
input_of(struct json_object *doc, const struct workflow *w,
    const struct args *a, struct json_object **out)
{
	struct json_object	*in = json_object_object_get(doc, "input");
	struct json_object	*sec = json_object_object_get(doc, "_secrets");
	struct json_object	*all = json_object_new_object(), *v;
	struct buf		 why = BUF_INIT;
	size_t			 i;
	int			 rc = 0;

	json_object_object_foreach(in, k, val)
		json_set(all, k, json_object_get(val));
	for (i = 0; i < w->args.n; i++)
		if (w->args.args[i].secret && !listed(sec, w->args.args[i].name))
			json_object_object_del(all, w->args.args[i].name);
	for (i = 0; i < a->n; i++) {
		const char		*eq = strchr(a->kv[i], '=');
		char			*name = eq ? xstrndup(a->kv[i],
					    (size_t)(eq - a->kv[i])) : NULL;
		const struct arg	*arg = name ? schema_find(&w->args,
					    name) : NULL;

		if (arg == NULL || !arg->secret)
			rc = error("--arg '%s': only secret arguments are given "
			    "again on resume; the others are the run's",
			    name ? name : a->kv[i]);
		else if ((v = schema_convert(arg, eq + 1, &why)) == NULL) {
			rc = error("argument '%s' %s", name, buf_str(&why));
			buf_truncate(&why, 0);
		} else
			json_set(all, name, v);
		free(name);
	}
	for (i = 0; sec != NULL && i < json_object_array_length(sec); i++) {
		const char	*name = json_object_get_string(
				    json_object_array_get_idx(sec, i));

		if ((v = json_object_object_get(all, name)) != NULL &&
		    json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), "***") == 0)
			rc = error("the execution had secret argument '%s', "
			    "which is never kept: give it again with --arg "
			    "%s=VALUE", name, name);
	}
	buf_release(&why);
	if (rc == 0)
		rc = schema_apply(&w->args, all, NULL, out);
	json_object_put(all);
	return rc;
}

/*
 * Steps of the last run may still run: wait until none is left.  They
 * are known by what the journal recorded of them (pid, start time, boot),
 * not by their environment, which any process may copy.
 */
static void
wait_survivors(const char *id, const struct prior *pr)
{
	const struct prior_step	*left;
	size_t			 i;
	int			 said = 0;

	for (;;) {
		for (i = 0, left = NULL; i < pr->n && left == NULL; i++)
			if (pr->all[i].pid > 0 && strcmp(pr->all[i].status,
			    "running") == 0 && proc_still_runs(pr->all[i].pid,
			    pr->all[i].pstart, pr->all[i].boot))
				left = &pr->all[i];
		if (left == NULL)
			return;
		if (!said++)
			fprintf(stderr, "muster: step '%s' of the last run of "
			    "%s still runs (pid %d); waiting for it to end\n",
			    left->key, id, (int)left->pid);
		usleep(100000);
	}
}

/*
 * The iteration a key names, when it is KEY_N of a step inside a forEach:
 * its index, with the step's id in id; else -1.
 */
static long
iteration_of(struct exec *x, const char *key, char *id, size_t size)
{
	const char		*u = strrchr(key, '_');
	const struct step	*s;
	char			*end;
	long			 n;

	if (u == NULL || u[1] < '0' || u[1] > '9' || (size_t)(u - key) >= size)
		return -1;
	n = strtol(u + 1, &end, 10);
	if (*end != '\0' || n < 0)
		return -1;
	memcpy(id, key, (size_t)(u - key));
	id[u - key] = '\0';
	s = hmap_get(&x->w->ids, id);
	return s != NULL && s->parent != NULL &&
	    s->parent->kind == STEP_FOREACH ? n : -1;
}

/*
 * Templates may read what completed before under every name it had: its
 * key, and for a forEach iteration the step's own id too (the last
 * iteration's result, as when it ran).
 */
static void
preload_results(struct exec *x, struct prior *pr)
{
	char			 key[128], id[128];
	struct json_object	*r, *last;
	size_t			 i;
	long			 n;

	for (i = 0; x->w->reads_results && i < pr->n; i++) {
		if (pr->all[i].keylen >= sizeof key ||
		    (r = prior_result(&pr->all[i])) == NULL)
			continue;
		memcpy(key, pr->all[i].key, pr->all[i].keylen);
		key[pr->all[i].keylen] = '\0';
		/* A recovery step's ("<step>.<recovery>") is no template's. */
		if (strchr(key, '.') != NULL)
			continue;
		json_set(x->results, key, json_object_get(r));
		if ((n = iteration_of(x, key, id, sizeof id)) < 0 ||
		    (json_object_object_get_ex(x->last_iter, id, &last) &&
		    json_object_get_int64(last) > n))
			continue;
		json_set(x->results, id, json_object_get(r));
		json_set(x->last_iter, id, json_object_new_int64(n));
	}
}

/*
 * Opens and locks the execution and reads its record, cutting a torn tail
 * off its journal.
 */
static int
open_execution(const char *state, const char *id, int *dirfd, int *lockfd,
    struct prior *pr)
{
	struct journal_scan	 scan;
	char			*dir = xasprintf("%s/executions/%s", state, id);
	pid_t			 holder;
	int			 r, tries;

	*dirfd = *lockfd = -1;
	if ((*dirfd = record_open_exec(state, id, &r)) < 0) {
		free(dir);
		return r;
	}
	r = lock_take(*dirfd, "lock", 0, lockfd, &holder);
	/*
	 * A runner killed while it started a step leaves the lock with that
	 * step's process until it execs (a fork shares the lock): when the
	 * runner that took it is gone, wait for that moment to pass.
	 */
	for (tries = 0; r == LOCK_BUSY && holder > 0 && tries < 100 &&
	    kill(holder, 0) < 0 && errno == ESRCH; tries++) {
		usleep(50000);
		r = lock_take(*dirfd, "lock", 0, lockfd, &holder);
	}
	if (r != LOCK_TAKEN) {
		if (r == LOCK_BUSY)
			error("execution %s is locked by pid %d", id,
			    (int)holder);
		else
			error("cannot lock '%s/lock':", dir);
		free(dir);
		return r == LOCK_BUSY ? EXIT_LOCKED : EXIT_IO;
	}
	if ((r = record_prior(*dirfd, dir, id, pr, &scan)) != 0) {
		free(dir);
		return r;
	}
	if (scan.torn > 0) {
		/* A crash cut the last record short: it never happened. */
		if (journal_truncate(*dirfd, "journal", scan.good) < 0) {
			error("cannot repair '%s/journal':", dir);
			free(dir);
			return EXIT_IO;
		}
		fprintf(stderr, "muster: dropped the last record of '%s/journal' "
		    "(%lld bytes, cut short by a crash)\n", dir,
		    (long long)scan.torn);
	}
	free(dir);
	return 0;
}

/*
 * --from-checkpoint: every step that completed after checkpoint name runs
 * again, as if it had never run.  0, or -1 when there is no such point.
 */
static int
from_checkpoint(struct prior *pr, const char *id, const char *name)
{
	struct json_object	*all = json_object_object_get(pr->doc,
				    "_checkpoints"), *done;
	struct hmap		 keep = HMAP_INIT;
	size_t			 i, n = 0;

	if (!json_object_object_get_ex(all, name, &done)) {
		struct buf	have = BUF_INIT;

		if (all != NULL) {
			json_object_object_foreach(all, k, v) {
				(void)v;
				buf_printf(&have, "%s%s", have.len ? ", " : "",
				    k);
			}
		}
		error("execution %s has no checkpoint '%s'%s%s%s", id, name,
		    have.len ? " (it has " : "", buf_str(&have),
		    have.len ? ")" : "");
		buf_release(&have);
		return -1;
	}
	for (i = 0; i < json_object_array_length(done); i++)
		hmap_put(&keep, json_object_get_string(
		    json_object_array_get_idx(done, i)), (void *)1);
	for (i = 0; i < pr->n; i++) {
		struct prior_step	*ps = &pr->all[i];

		if (strcmp(ps->status, "completed") != 0 ||
		    hmap_get(&keep, ps->key) != NULL)
			continue;
		snprintf(ps->status, sizeof ps->status, "pending");
		json_object_put(ps->result);
		ps->result = NULL;
		n++;
	}
	hmap_release(&keep);
	fprintf(stderr, "muster: --from-checkpoint %s: %zu step%s completed "
	    "after it, and run%s again\n", name, n, n == 1 ? "" : "s",
	    n == 1 ? "s" : "");
	return 0;
}

static int
find_from(struct exec *x, const char *from)
{
	struct workflow	*w = x->w;
	size_t		 i;

	for (i = 0; i < w->nsteps; i++)
		if (strcmp(w->steps[i]->id, from) == 0) {
			x->top[i]->forced = true;
			fprintf(stderr, "muster: --from %s: it runs again, and so "
			    "does what depends on it\n", from);
			return 0;
		}
	error("--from: workflow '%s' has no step '%s'", w->name, from);
	return -1;
}

/*
 * What --from-checkpoint and --from ask of the execution's record pr:
 * 0 when there is something to run, 1 when it completed and nothing is
 * asked again, or -1 after a usage error.
 */
static int
what_to_run(const struct resume *r, struct prior *pr, const char *id)
{
	const char	*st = json_object_get_string(json_object_object_get(
			    pr->doc, "status"));

	if (r->checkpoint != NULL && r->from != NULL) {
		error("--from and --from-checkpoint: choose one");
		return -1;
	}
	if (r->checkpoint != NULL && from_checkpoint(pr, id,
	    r->checkpoint) < 0)
		return -1;
	if (strcmp(st, "completed") == 0 && r->from == NULL &&
	    r->checkpoint == NULL) {
		fprintf(stderr, "muster: execution %s completed; there is "
		    "nothing to resume\n", id);
		return 1;
	}
	return 0;
}

/* The workflow execution id ran, if it is still defined and usable. */
static struct workflow *
workflow_of(struct project *p, struct json_object *doc, const char *id)
{
	const char	*name = json_object_get_string(json_object_object_get(
			    doc, "workflow_name"));
	struct workflow	*w;

	if ((w = project_workflow(p, name)) == NULL) {
		error("execution %s ran workflow '%s', which is no longer "
		    "defined%s", id, name, p->problems.len > 0 ? " (the "
		    "definitions have errors: see 'muster validate')" : "");
		return NULL;
	}
	return project_usable_workflow(p, w, true) < 0 ? NULL : w;
}

int
cmd_resume(struct ctx *ctx, int argc, char **argv)
{
	struct resume		 r = { .args = ARGS_INIT };
	struct project		*p = NULL;
	struct workflow		*w;
	struct json_object	*doc, *input = NULL;
	struct prior		 pr = { 0 };
	struct exec		 x;
	char			*state = NULL, *id = NULL;
	int			 rc, dirfd = -1, lockfd = -1;

	if (parse(ctx, argc, argv, &r) < 0) {
		args_release(&r.args);
		return cmd_usage(cmd_find("resume"));
	}
	if ((rc = cmd_open(ctx, &p)) != 0)
		goto out;
	state = record_state_dir(p);
	if ((rc = cmd_execution(state, r.last ? NULL : argv[optind], &id)) != 0)
		goto out;
	if ((rc = open_execution(state, id, &dirfd, &lockfd, &pr)) != 0)
		goto out;
	doc = pr.doc;
	if ((rc = what_to_run(&r, &pr, id)) != 0) {
		rc = rc < 0 ? EXIT_USAGE : 0;
		goto out;
	}
	rc = EXIT_USAGE;
	if ((w = workflow_of(p, doc, id)) == NULL ||
	    input_of(doc, w, &r.args, &input) < 0)
		goto out;
	wait_survivors(id, &pr);
	r.o.jobs = r.jobs >= 0 ? r.jobs : p->config.jobs >= 0 ?
	    p->config.jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	r.o.fsync = r.o.fsync || p->config.fsync;
	r.o.parent = json_object_get_string(json_object_object_get(doc,
	    "parent_execution_id"));
	exec_prepare(&x, p, w, input, &r.o);
	x.resumed = true;
	x.started_wall = record_parse_time(json_object_get_string(
	    json_object_object_get(doc, "started_at")));
	snprintf(x.id, sizeof x.id, "%s", id);
	x.dir = xasprintf("%s/executions/%s", state, id);
	x.dirfd = dirfd;
	x.lock_fd = lockfd;
	dirfd = lockfd = -1;
	x.prior = &pr;
	preload_results(&x, &pr);
	x.verbose = ctx->verbose;
	x.color = ctx->color;
	x.json = ctx->json;
	if (r.from == NULL || find_from(&x, r.from) == 0)
		rc = exec_run(&x);
	cmd_metrics_after(p, NULL, x.id);
	exec_release(&x);
out:
	if (dirfd >= 0)
		close(dirfd);
	if (lockfd >= 0)
		close(lockfd);
	free(id);
	free(state);
	prior_release(&pr);
	json_object_put(input);
	project_free(p);
	args_release(&r.args);
	return rc;
}
