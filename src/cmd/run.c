/* cmd-run.c: `muster run WORKFLOW`: check the arguments, then run or plan. */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/args.h"
#include "def/model.h"
#include "cmd/cmd.h"
#include "engine/plan.h"
#include "def/project.h"
#include "engine/run.h"
#include "state/record.h"
#include "state/retain.h"

enum {
	OPT_ARG = 256, OPT_ARGS_FILE, OPT_TIMEOUT, OPT_PARENT, OPT_RESULT,
	OPT_FSYNC, OPT_ARG_ENV, OPT_ONLY, OPT_FROM, OPT_METRICS
};

static const struct option	run_opts[] = {
	{ "arg",		required_argument,	NULL,	OPT_ARG },
	{ "args-file",		required_argument,	NULL,	OPT_ARGS_FILE },
	{ "arg-env",		required_argument,	NULL,	OPT_ARG_ENV },
	{ "only",		required_argument,	NULL,	OPT_ONLY },
	{ "from",		required_argument,	NULL,	OPT_FROM },
	{ "jobs",		required_argument,	NULL,	'j' },
	{ "dry-run",		no_argument,		NULL,	'n' },
	{ "keep-going",		no_argument,		NULL,	'k' },
	{ "timeout",		required_argument,	NULL,	OPT_TIMEOUT },
	{ "fsync",		no_argument,		NULL,	OPT_FSYNC },
	{ "parent",		required_argument,	NULL,	OPT_PARENT },
	{ "result-json",	no_argument,		NULL,	OPT_RESULT },
	{ "metrics-file",	required_argument,	NULL,	OPT_METRICS },
	{ NULL,			0,			NULL,	0 }
};

int
cmd_parse_jobs(const char *s, int *out)
{
	char	*end;
	long	 n = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n < 0 || n > 100000)
		return error("-j: expected a number of processes (0 for no "
		    "limit), not '%s'", s);
	*out = (int)n;
	return 0;
}

/* -j when none is given: config.yaml's jobs, else the number of CPUs. */
static int
default_jobs(const struct project *p)
{
	long	n;

	if (p->config.jobs >= 0)
		return p->config.jobs;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* --only STEP, --from STEP: which steps a fresh run runs. */
static const char	*only_step, *from_step;

/*
 * The steps --only STEP (it and what it depends on, as make builds a
 * target) or --from STEP (it and what depends on it; what it depends on
 * is skipped) selects, by top-level index.  NULL after an error.
 */
static bool *
select_steps(const struct workflow *w)
{
	const char	*id = only_step != NULL ? only_step : from_step;
	bool		*sel = xcalloc(w->nsteps + 1, sizeof *sel), more = true;
	size_t		 i, k;

	for (i = 0; i < w->nsteps && strcmp(w->steps[i]->id, id) != 0; i++)
		;
	if (i == w->nsteps) {
		error("--%s: workflow '%s' has no top-level step '%s'",
		    only_step != NULL ? "only" : "from", w->name, id);
		free(sel);
		return NULL;
	}
	sel[i] = true;
	while (more) {		/* to a fixed point: graphs are small */
		more = false;
		for (i = 0; i < w->nsteps; i++)
			for (k = 0; k < w->steps[i]->ndeps; k++) {
				size_t	d = w->steps[i]->dep_steps[k]->index;

				if (only_step != NULL && sel[i] && !sel[d])
					more = sel[d] = true;
				if (from_step != NULL && sel[d] && !sel[i])
					more = sel[i] = true;
			}
	}
	return sel;
}

/* --metrics-file: where this run writes its metrics. */
static const char	*metrics_file;

static int
parse(struct ctx *ctx, int argc, char **argv, struct args *a,
    struct run_opts *o, int *jobs)
{
	const char	*why;
	int		 c;

	while ((c = cmd_getopt(ctx, argc, argv, "j:nk", run_opts)) != -1)
		switch (c) {
		case OPT_ARG:
			args_add(a, optarg);
			break;
		case OPT_ARGS_FILE:
			a->file = optarg;
			break;
		case OPT_ARG_ENV:
			if (args_add_env(a, optarg) < 0)
				return -1;
			break;
		case OPT_ONLY:
			only_step = optarg;
			break;
		case OPT_FROM:
			from_step = optarg;
			break;
		case 'j':
			if (cmd_parse_jobs(optarg, jobs) < 0)
				return -1;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case 'k':
			o->keep_going = true;
			break;
		case OPT_FSYNC:
			o->fsync = true;
			break;
		case OPT_TIMEOUT:
			if (duration_parse(optarg, &o->timeout_ns, &why) < 0)
				return error("--timeout '%s': %s", optarg, why);
			break;
		case OPT_PARENT:
			/* It is recorded and followed: an id, nothing else. */
			if (!record_id_ok(optarg))
				return error("--parent '%s' is not an execution "
				    "id", optarg);
			o->parent = optarg;
			break;
		case OPT_RESULT:
			o->result_json = true;
			break;
		case OPT_METRICS:
			metrics_file = optarg;
			break;
		default:
			return -1;
		}
	if (only_step != NULL && from_step != NULL)
		return error("--only and --from do not go together");
	return optind + 1 == argc ? 0 : -1;
}

/* True when a run's operand names a file rather than a workflow. */
static bool
is_file(const char *s)
{
	size_t	n = strlen(s);

	return strchr(s, '/') != NULL || (n > 5 && strcmp(s + n - 5,
	    ".yaml") == 0) || (n > 4 && strcmp(s + n - 4, ".yml") == 0);
}

/*
 * `run path/to/file.yaml`, as `make -f`: the project is found from the
 * file's folder (unless -C says), the file is loaded with it, and its one
 * workflow runs.  Returns it, or NULL after an error.
 */
static struct workflow *
file_workflow(struct ctx *ctx, const char *file, struct project **pp)
{
	char		 real[PATH_MAX], other[PATH_MAX], *dir, *path;
	struct workflow	*w = NULL;
	size_t		 i, n = 0;
	int		 missing;

	if (realpath(file, real) == NULL) {
		error("cannot read '%s':", file);
		return NULL;
	}
	path = xstrdup(file);	/* dirname() may write to it */
	dir = xstrdup(dirname(path));
	free(path);
	path = xstrdup(file);
	*pp = project_load(ctx->dir != NULL ? ctx->dir : dir, &path, 1,
	    &missing);
	free(dir);
	free(path);
	if (*pp == NULL)
		return NULL;
	for (i = 0; i < (*pp)->nworkflows; i++)
		if (realpath((*pp)->workflows[i]->file, other) != NULL &&
		    strcmp(real, other) == 0 && n++ == 0)
			w = (*pp)->workflows[i];
	if (n == 1)
		return w;
	if (n == 0)
		error("'%s' defines no workflow", file);
	else
		error("'%s' defines %zu workflows; run one by name", file, n);
	return NULL;
}

/*
 * args_input(); for -n, a required secret may be left out: the plan is
 * printed without it, and a secret is not typed in to see a plan.
 */
static int
plan_input(const struct args *a, const struct schema *s, bool dry_run,
    struct json_object **input)
{
	struct schema	 loose = *s;
	struct arg	*v;
	size_t		 i;
	int		 rc;

	if (!dry_run || s->n == 0)
		return args_input(a, s, input);
	v = xmemdup(s->args, s->n * sizeof *v);
	for (i = 0; i < s->n; i++)
		if (v[i].secret)
			v[i].required = false;
	loose.args = v;
	rc = args_input(a, &loose, input);
	free(v);
	return rc;
}

/*
 * The end of a run applies config.yaml's retention; looking is cheap and
 * rare (see retain_apply), and a problem never fails the run: it is said
 * as a warning.
 */
static void
apply_retention(struct project *p)
{
	struct retained	 res;
	struct buf	 err = BUF_INIT;
	char		*state = record_state_dir(p);

	error_capture(&err);
	(void)retain_apply(state, &p->config.retention, false, false, NULL,
	    &res);
	error_capture_end();
	if (err.len > 0)
		warn("retention: %s", buf_str(&err));
	buf_release(&err);
	free(state);
}

int
cmd_run(struct ctx *ctx, int argc, char **argv)
{
	struct args		 a = ARGS_INIT;
	struct run_opts		 o = { 0 };
	struct project		*p = NULL;
	struct workflow		*w = NULL;
	struct json_object	*input = NULL;
	struct exec		 x;
	int			 jobs = -1, rc;
	bool			 bad, *selected = NULL;

	if (parse(ctx, argc, argv, &a, &o, &jobs) < 0) {
		args_release(&a);
		return cmd_usage(cmd_find("run"));
	}
	if (is_file(argv[optind])) {
		rc = EXIT_USAGE;
		if ((w = file_workflow(ctx, argv[optind], &p)) == NULL)
			goto out;
	} else if ((rc = cmd_load(ctx, &p)) != 0)
		goto out;
	rc = EXIT_USAGE;
	if (w == NULL && (w = cmd_workflow(p, argv[optind])) == NULL)
		goto out;
	/* Both reported before anything runs. */
	bad = project_check_scripts(p, w) < 0;
	if (plan_input(&a, &w->args, o.dry_run, &input) < 0 || bad)
		goto out;
	if (o.dry_run) {
		rc = plan_print(p, w, input, ctx->json);
		goto out;
	}
	o.jobs = jobs >= 0 ? jobs : default_jobs(p);
	o.fsync = o.fsync || p->config.fsync;
	if ((only_step != NULL || from_step != NULL) &&
	    (selected = select_steps(w)) == NULL)
		goto out;
	exec_prepare(&x, p, w, input, &o);
	x.selected = selected;
	x.verbose = ctx->verbose;
	x.color = ctx->color;
	x.json = ctx->json;
	rc = exec_run(&x);
	cmd_metrics_after(p, metrics_file, x.id);
	if (x.dir != NULL)
		apply_retention(p);
	exec_release(&x);
out:
	free(selected);
	json_object_put(input);
	project_free(p);
	args_release(&a);
	return rc;
}
