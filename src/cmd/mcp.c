/* mcp.c: `muster mcp tools|call|serve`, and the processes of MCP steps. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "cmd/mcp.h"
#include "def/args.h"
#include "def/project.h"
#include "engine/mcpspec.h"
#include "engine/tool.h"
#include "mcp/mcp.h"
#include "base/value.h"

enum { OPT_ARG = 256, OPT_ARGS_FILE, OPT_TIMEOUT, OPT_STATE, OPT_RUNNER,
	OPT_TOOLS };

static const struct option	mcp_opts[] = {
	{ "arg",	required_argument,	NULL,	OPT_ARG },
	{ "args-file",	required_argument,	NULL,	OPT_ARGS_FILE },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "state",	required_argument,	NULL,	OPT_STATE },
	{ "runner",	required_argument,	NULL,	OPT_RUNNER },
	{ "tools",	no_argument,		NULL,	OPT_TOOLS },
	{ NULL,		0,			NULL,	0 }
};

struct mopts {
	struct args	 a;
	int64_t		 timeout_ns;
	const char	*state;
	pid_t		 runner;
	bool		 tools;
};

static int
parse(struct ctx *ctx, int argc, char **argv, struct mopts *o)
{
	const char	*why;
	int		 c;

	while ((c = cmd_getopt(ctx, argc, argv, "", mcp_opts)) != -1) {
		if (c == OPT_ARG)
			args_add(&o->a, optarg);
		else if (c == OPT_ARGS_FILE)
			o->a.file = optarg;
		else if (c == OPT_TIMEOUT) {
			if (duration_parse(optarg, &o->timeout_ns, &why) < 0)
				return error("bad --timeout '%s': %s", optarg,
				    why);
		} else if (c == OPT_STATE)
			o->state = optarg;
		else if (c == OPT_RUNNER)
			o->runner = (pid_t)atol(optarg);
		else if (c == OPT_TOOLS)
			o->tools = true;
		else
			return -1;
	}
	return 0;
}

static struct mcp_server *
server_of(struct project *p, const char *name)
{
	struct mcp_server	*m = project_mcp(p, name);
	const char		*names[256], *sg;
	size_t			 i, n = 0;

	if (m != NULL)
		return m;
	for (i = 0; i < p->nmcp && n < nitems(names); i++)
		names[n++] = p->mcpservers[i]->name;
	sg = suggest(name, names, n);
	error("no MCP server '%s'%s%s%s", name, sg ? " (did you mean '" : "",
	    sg ? sg : "", sg ? "'?)" : " in .muster/mcpservers");
	return NULL;
}

static int64_t
start_timeout(const struct mcp_server *m)
{
	return m->timeout_ns > 0 ? m->timeout_ns : MCP_START_TIMEOUT;
}

struct mcp_client *
cmd_mcp_open(struct project *p, const struct mcp_server *m, int log_fd,
    struct mcp_ready *r)
{
	struct mcp_client	*c;
	struct buf		 err = BUF_INIT;

	tool_base_env(p, NULL, NULL);
	if (mcp_ready(p, m, log_fd, r, &err) < 0) {
		error("MCP server '%s': %s", m->name, buf_str(&err));
		buf_release(&err);
		return NULL;
	}
	if ((c = mcp_open(&r->spec, start_timeout(m), &err)) == NULL) {
		error("MCP server '%s': %s", m->name, buf_str(&err));
		mcp_ready_release(r);
	}
	buf_release(&err);
	return c;
}

static int
mcp_tools(struct ctx *ctx, struct project *p, const char *server)
{
	struct mcp_server	*m = server_of(p, server);
	struct mcp_client	*c;
	struct mcp_ready	 r;
	struct json_object	*tools;
	struct buf		 err = BUF_INIT;
	size_t			 i;
	int			 rc = EXIT_STEP_FAILED;

	if (m == NULL)
		return EXIT_USAGE;
	if ((c = cmd_mcp_open(p, m, -1, &r)) == NULL)
		return EXIT_STEP_FAILED;
	if (mcp_list_tools(c, start_timeout(m), &tools, &err) < 0)
		error("MCP server '%s': %s", m->name, buf_str(&err));
	else {
		for (i = 0; i < json_object_array_length(tools); i++) {
			struct json_object	*t = json_object_array_get_idx(
						    tools, i), *v;

			if (ctx->json) {
				json_print(stdout, t);
				continue;
			}
			json_object_object_get_ex(t, "name", &v);
			printf("x_%s_%s", m->name, json_object_get_string(v));
			if (json_object_object_get_ex(t, "description", &v))
				printf("\t%.*s", (int)strcspn(
				    json_object_get_string(v), "\n"),
				    json_object_get_string(v));
			printf("\n");
		}
		json_object_put(tools);
		rc = EXIT_OK;
	}
	mcp_close(c);
	mcp_ready_release(&r);
	buf_release(&err);
	return rc;
}

void
cmd_mcp_progress(void *arg, double progress, double total, const char *msg)
{
	(void)arg;
	if (total >= 0)
		fprintf(stderr, "progress: %g/%g%s%s\n", progress, total,
		    msg ? " " : "", msg ? msg : "");
	else
		fprintf(stderr, "progress: %g%s%s\n", progress, msg ? " " : "",
		    msg ? msg : "");
	fflush(stderr);
}

int
cmd_mcp_direct(struct project *p, const struct mcp_server *m, const char *tool,
    struct json_object *args, int64_t timeout, struct json_object **res,
    struct buf *err)
{
	struct mcp_ready	 r;
	struct mcp_client	*c;
	int			 rc;

	tool_base_env(p, NULL, NULL);
	if (mcp_ready(p, m, -1, &r, err) < 0)
		return -1;
	/* A step's timeout or Ctrl-C stop the server with muster. */
	r.spec.keep_group = true;
	if ((c = mcp_open(&r.spec, start_timeout(m), err)) == NULL) {
		mcp_ready_release(&r);
		return -1;
	}
	rc = mcp_call_tool(c, tool, args, timeout, cmd_mcp_progress, NULL, res,
	    err);
	mcp_close(c);
	mcp_ready_release(&r);
	return rc;
}

/*
 * Prints a call's value on stdout; or its error on stderr, or on stdout
 * (a step's process: the engine makes it the step's error).
 */
int
cmd_mcp_finish(const char *server, const char *tool, struct json_object *res,
    int rc, struct buf *err, bool step)
{
	struct json_object	*v = NULL;
	struct buf		 msg = BUF_INIT;
	bool			 is_error = false;

	if (rc == 0 && (v = mcp_result_value(res, &is_error, err)) != NULL) {
		json_print(stdout, v);
		json_object_put(v);
		return EXIT_OK;
	}
	if (is_error)
		buf_printf(&msg, "%s", buf_str(err));
	else
		buf_printf(&msg, "MCP server '%s': %s", server, buf_str(err));
	if (step)
		printf("%s\n", buf_str(&msg));
	else
		error("%s: %s", tool, buf_str(&msg));
	buf_release(&msg);
	return EXIT_STEP_FAILED;
}

static int
mcp_call(struct project *p, const char *server, const char *tool,
    struct mopts *o)
{
	struct mcp_server	*m = server_of(p, server);
	struct json_object	*args, *res = NULL;
	struct buf		 err = BUF_INIT;
	int			 rc;

	if (m == NULL)
		return EXIT_USAGE;
	if ((args = args_loose(&o->a)) == NULL)
		return EXIT_USAGE;
	rc = cmd_mcp_direct(p, m, tool, args, o->timeout_ns > 0 ? o->timeout_ns :
	    m->timeout_ns, &res, &err);
	rc = cmd_mcp_finish(m->name, tool, res, rc, &err, false);
	json_object_put(res);
	json_object_put(args);
	buf_release(&err);
	return rc;
}

int
cmd_mcp(struct ctx *ctx, int argc, char **argv)
{
	struct mopts	 o = { ARGS_INIT, 0, NULL, 0, false };
	struct project	*p = NULL;
	const char	*sub;
	int		 n, rc;

	if (parse(ctx, argc, argv, &o) < 0 || optind >= argc)
		goto usage;
	sub = argv[optind++];
	n = argc - optind;
	if (strcmp(sub, "serve") == 0 && n == 0 && o.a.n == 0) {
		args_release(&o.a);
		return cmd_mcp_serve(ctx, o.tools);
	}
	if (!((strcmp(sub, "tools") == 0 && n == 1 && o.a.n == 0) ||
	    (strcmp(sub, "call") == 0 && n == 2)))
		goto usage;
	if ((rc = cmd_load(ctx, &p)) != 0)
		goto out;
	if (strcmp(sub, "tools") == 0)
		rc = mcp_tools(ctx, p, argv[optind]);
	else
		rc = mcp_call(p, argv[optind], argv[optind + 1], &o);
out:
	project_free(p);
	args_release(&o.a);
	return rc;
usage:
	args_release(&o.a);
	return cmd_usage(cmd_find("mcp"));
}
