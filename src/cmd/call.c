/* cmd-call.c: `muster call TOOL`: one tool, run once, its result printed. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "def/args.h"
#include "engine/builtin.h"
#include "engine/call.h"
#include "cmd/cmd.h"
#include "def/project.h"
#include "engine/run.h"
#include "base/value.h"

enum { OPT_ARG = 256, OPT_ARGS_FILE, OPT_ARG_ENV };

static const struct option	call_opts[] = {
	{ "arg",	required_argument,	NULL,	OPT_ARG },
	{ "arg-env",	required_argument,	NULL,	OPT_ARG_ENV },
	{ "args-file",	required_argument,	NULL,	OPT_ARGS_FILE },
	{ NULL,		0,			NULL,	0 }
};

/* The tool's arguments: typed by its schema where it has one. */
static struct json_object *
call_input(struct project *p, const char *name, const struct args *a)
{
	struct json_object	*in = NULL;
	enum tool_ref		 ref;
	struct tool		*t;
	struct workflow		*w;
	int			 b;

	if (project_resolve_tool(p, name, NULL, &ref, &t, &w, &b) < 0)
		return NULL;
	if (ref == TOOL_MCP)
		return args_loose(a);
	if (ref == TOOL_BUILTIN) {
		struct json_object	*loose = args_loose(a);
		struct buf		 err = BUF_INIT;

		/* An unknown argument: a usage error, before anything runs. */
		if (loose != NULL && builtin_normalize(b, loose, &in,
		    &err) < 0)
			error("%s", buf_str(&err));
		json_object_put(loose);
		buf_release(&err);
		return in;
	}
	if (args_input(a, ref == TOOL_FILE ? &t->args : &w->args, &in) < 0)
		return NULL;
	return in;
}

int
cmd_call(struct ctx *ctx, int argc, char **argv)
{
	struct args		 a = ARGS_INIT;
	struct run_opts		 o = { .no_record = true, .log_fd = -1 };
	struct project		*p = NULL;
	struct workflow		*w;
	struct json_object	*input = NULL, *empty;
	struct exec		 x;
	int			 c, rc;

	while ((c = cmd_getopt(ctx, argc, argv, "", call_opts)) != -1) {
		if (c == OPT_ARG)
			args_add(&a, optarg);
		else if (c == OPT_ARGS_FILE)
			a.file = optarg;
		else if (c == OPT_ARG_ENV) {
			if (args_add_env(&a, optarg) < 0)
				goto usage;
		}
		else
			goto usage;
	}
	if (optind + 1 != argc)
		goto usage;
	if ((rc = cmd_load(ctx, &p)) != 0)
		goto out;
	rc = EXIT_USAGE;
	if ((input = call_input(p, argv[optind], &a)) == NULL ||
	    (w = call_wrap(p, argv[optind], input)) == NULL)
		goto out;
	empty = json_object_new_object();
	exec_prepare(&x, p, w, empty, &o);
	json_object_put(empty);
	x.verbose = ctx->verbose > 0 ? ctx->verbose : -1;
	x.color = ctx->color;
	x.json = 0;
	rc = exec_run(&x);
	if (x.jobs[0]->result != NULL && x.jobs[0]->status == ST_COMPLETED)
		json_print(stdout, x.jobs[0]->result);
	else if (x.jobs[0]->error != NULL && rc != 0)
		error("%s: %s", argv[optind], x.jobs[0]->error);
	exec_release(&x);
out:
	json_object_put(input);
	project_free(p);
	args_release(&a);
	return rc;
usage:
	args_release(&a);
	return cmd_usage(cmd_find("call"));
}
