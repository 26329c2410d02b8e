/* cmd-run.c: `muster run WORKFLOW`: check the arguments, then run or plan. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/args.h"
#include "cmd/cmd.h"
#include "engine/plan.h"
#include "def/project.h"
#include "engine/run.h"

enum {
	OPT_ARG = 256, OPT_ARGS_FILE, OPT_TIMEOUT, OPT_PARENT, OPT_RESULT,
	OPT_FSYNC
};

static const struct option	run_opts[] = {
	{ "arg",		required_argument,	NULL,	OPT_ARG },
	{ "args-file",		required_argument,	NULL,	OPT_ARGS_FILE },
	{ "jobs",		required_argument,	NULL,	'j' },
	{ "dry-run",		no_argument,		NULL,	'n' },
	{ "keep-going",		no_argument,		NULL,	'k' },
	{ "timeout",		required_argument,	NULL,	OPT_TIMEOUT },
	{ "fsync",		no_argument,		NULL,	OPT_FSYNC },
	{ "parent",		required_argument,	NULL,	OPT_PARENT },
	{ "result-json",	no_argument,		NULL,	OPT_RESULT },
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
		default:
			return -1;
		}
	return optind + 1 == argc ? 0 : -1;
}

int
cmd_run(struct ctx *ctx, int argc, char **argv)
{
	struct args		 a = ARGS_INIT;
	struct run_opts		 o = { 0 };
	struct project		*p = NULL;
	struct workflow		*w;
	struct json_object	*input = NULL;
	struct exec		 x;
	int			 jobs = -1, rc;
	bool			 bad;

	if (parse(ctx, argc, argv, &a, &o, &jobs) < 0) {
		args_release(&a);
		return cmd_usage(cmd_find("run"));
	}
	if ((rc = cmd_load(ctx, &p)) != 0)
		goto out;
	rc = EXIT_USAGE;
	if ((w = cmd_workflow(p, argv[optind])) == NULL)
		goto out;
	/* Both reported before anything runs. */
	bad = project_check_scripts(p, w) < 0;
	if (args_input(&a, &w->args, &input) < 0 || bad)
		goto out;
	if (o.dry_run) {
		rc = plan_print(p, w, input, ctx->json);
		goto out;
	}
	o.jobs = jobs >= 0 ? jobs : default_jobs(p);
	o.fsync = o.fsync || p->config.fsync;
	exec_prepare(&x, p, w, input, &o);
	x.verbose = ctx->verbose;
	x.color = ctx->color;
	x.json = ctx->json;
	rc = exec_run(&x);
	exec_release(&x);
out:
	json_object_put(input);
	project_free(p);
	args_release(&a);
	return rc;
}
