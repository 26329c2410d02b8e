/* mcp-step.c: the process of a step that calls an MCP tool, and the broker
 * that shares one stdio server among an execution's steps. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
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
#include "mcp/mcp.h"
#include "base/value.h"

enum { OPT_ARGS_FILE = 256, OPT_STATE, OPT_RUNNER, OPT_TIMEOUT, OPT_SERVER,
	OPT_TOOL };

static const struct option	step_opts[] = {
	{ "args-file",	required_argument,	NULL,	OPT_ARGS_FILE },
	{ "state",	required_argument,	NULL,	OPT_STATE },
	{ "runner",	required_argument,	NULL,	OPT_RUNNER },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "server",	required_argument,	NULL,	OPT_SERVER },
	{ "tool",	required_argument,	NULL,	OPT_TOOL },
	{ NULL,		0,			NULL,	0 }
};

struct sopts {
	struct args	 a;
	const char	*state;		/* the execution's folder */
	pid_t		 runner;
	int64_t		 timeout_ns;	/* the whole call's, or 0 */
	int64_t		 deadline;	/* when it ends, or 0 */
	const char	*server, *tool;	/* a stdio server's, in an execution */
};

static int
parse(struct ctx *ctx, int argc, char **argv, struct sopts *o, int want)
{
	int	c;

	while ((c = cmd_getopt(ctx, argc, argv, "", step_opts)) != -1) {
		if (c == OPT_ARGS_FILE)
			o->a.file = optarg;
		else if (c == OPT_STATE)
			o->state = optarg;
		else if (c == OPT_RUNNER)
			o->runner = (pid_t)atol(optarg);
		else if (c == OPT_SERVER)
			o->server = optarg;
		else if (c == OPT_TOOL)
			o->tool = optarg;
		else if (c == OPT_TIMEOUT) {
			const char	*why;

			if (duration_parse(optarg, &o->timeout_ns, &why) < 0)
				return -1;
		} else
			return -1;
	}
	return optind + want == argc ? 0 : -1;
}

/*
 * Starts the broker of server m with the socket already bound (fd 4) and
 * waits for its word on the handshake (fd 3).  0, or -1 with err.
 */
static int
start_broker(struct project *p, const struct mcp_server *m, int dfd,
    const struct sopts *o, struct buf *err)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	char				 self[4096], pid[24], *log, line[4096];
	char				*argv[10];
	int				 rdy[2], lfd, rc;
	ssize_t				 n, got = 0;
	pid_t				 child;

	if ((lfd = mcp_broker_listen(dfd, m->name)) < 0) {
		buf_printf(err, "cannot make its socket in '%s/mcp': %s",
		    o->state, strerror(errno));
		return -1;
	}
	if (pipe2(rdy, O_CLOEXEC) < 0) {
		close(lfd);
		buf_printf(err, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	snprintf(pid, sizeof pid, "%ld", (long)o->runner);
	argv[0] = self;
	argv[1] = "-q";
	argv[2] = "-C";
	argv[3] = (char *)p->root;
	argv[4] = "__mcp-broker";
	argv[5] = (char *)m->name;
	argv[6] = "--runner";
	argv[7] = pid;
	argv[8] = NULL;
	log = xasprintf("%s/logs/mcp-%s.err", o->state, m->name);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT |
	    O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, rdy[1], 3);
	posix_spawn_file_actions_adddup2(&fa, lfd, 4);
	posix_spawn_file_actions_addclosefrom_np(&fa, 5);
	posix_spawnattr_init(&attr);
	/* Its own session: a step's timeout kills the step, not the server. */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	rc = posix_spawn(&child, self, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(log);
	close(rdy[1]);
	close(lfd);
	if (rc != 0) {
		close(rdy[0]);
		buf_printf(err, "cannot start its broker: %s", strerror(rc));
		return -1;
	}
	/* Its word on the handshake, within what is left of the call's time
	 * (it goes on starting for the steps after this one). */
	for (;;) {
		struct pollfd	pfd = { rdy[0], POLLIN, 0 };
		int64_t		left = o->deadline - clock_mono_ns();

		if (o->deadline > 0 && left <= 0) {
			struct buf	d = BUF_INIT;

			duration_format(&d, o->timeout_ns);
			buf_printf(err, "the server did not start within %s",
			    buf_str(&d));
			buf_release(&d);
			close(rdy[0]);
			return -1;
		}
		if (poll(&pfd, 1, o->deadline > 0 ? (int)(left / 1000000) + 1 :
		    -1) <= 0)
			continue;
		n = read(rdy[0], line + got, sizeof line - 1 - (size_t)got);
		if (n > 0 && (got += n) < (ssize_t)sizeof line - 1)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	close(rdy[0]);
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if (strcmp(line, "ok") == 0)
		return 0;
	buf_adds(err, got > 0 ? line : "its broker died");
	return -1;
}

/*
 * Connects to the broker of server in the execution's folder, starting it
 * (which needs the definitions) when none listens.  The fd, or -1.
 */
static int
broker_fd(struct ctx *ctx, int dfd, const char *server,
    const struct sopts *o, struct buf *err)
{
	struct project		*p = NULL;
	struct mcp_server	*m;
	char			*lock;
	int			 lfd, fd;

	/* A warm call: the broker listens; no definition is read. */
	if ((fd = mcp_broker_connect(dfd, server)) >= 0)
		return fd;
	/* One step starts the server; the others wait and then connect. */
	lock = xasprintf("%s.lock", server);
	lfd = openat(dfd, lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lock);
	if (lfd >= 0)
		flock(lfd, LOCK_EX);
	if ((fd = mcp_broker_connect(dfd, server)) < 0) {
		if (cmd_load(ctx, &p) != 0 || (m = project_mcp(p, server)) ==
		    NULL)
			buf_printf(err, "no MCP server '%s' in the project",
			    server);
		else if (start_broker(p, m, dfd, o, err) == 0 &&
		    (fd = mcp_broker_connect(dfd, server)) < 0)
			buf_printf(err, "cannot reach its broker: %s",
			    strerror(errno));
		project_free(p);
	}
	if (lfd >= 0)
		close(lfd);
	return fd;
}

/* The call, through the execution's broker (started on first use). */
static int
via_broker(struct ctx *ctx, const struct sopts *o, struct json_object *args,
    struct json_object **res, struct buf *err)
{
	char	*dir = xasprintf("%s/mcp", o->state);
	int	 dfd, fd, rc = -1;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		buf_printf(err, "cannot make '%s': %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		buf_printf(err, "cannot open '%s': %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	if ((fd = broker_fd(ctx, dfd, o->server, o, err)) >= 0) {
		rc = mcp_broker_call(fd, o->tool, args, o->deadline,
		    o->timeout_ns, cmd_mcp_progress, NULL, res, err);
		close(fd);
	}
	close(dfd);
	free(dir);
	return rc;
}

int
cmd_mcp_step(struct ctx *ctx, int argc, char **argv)
{
	struct sopts		 o = { ARGS_INIT, NULL, 0, 0, 0, NULL, NULL };
	struct project		*p = NULL;
	struct json_object	*args = NULL, *res = NULL;
	struct buf		 err = BUF_INIT;
	enum tool_ref		 ref;
	struct tool		*t = NULL;
	struct workflow		*w;
	int			 b, rc;

	if (parse(ctx, argc, argv, &o, 1) < 0) {
		args_release(&o.a);
		return cmd_usage(cmd_find("__mcp-call"));
	}
	if (o.timeout_ns > 0)
		o.deadline = clock_mono_ns() + o.timeout_ns;
	rc = EXIT_USAGE;
	if ((args = args_loose(&o.a)) == NULL)
		goto out;
	/* Within an execution, a stdio server's calls go to its broker. */
	if (o.state != NULL && o.server != NULL && o.tool != NULL) {
		rc = via_broker(ctx, &o, args, &res, &err);
		rc = cmd_mcp_finish(o.server, argv[optind], res, rc, &err,
		    true);
		goto out;
	}
	if ((rc = cmd_load(ctx, &p)) != 0)
		goto out;
	rc = EXIT_USAGE;
	if (project_resolve_tool(p, argv[optind], NULL, &ref, &t, &w, &b) < 0 ||
	    ref != TOOL_MCP)
		goto out;
	rc = cmd_mcp_direct(p, t->mcp, t->mcp_tool, args, o.timeout_ns, &res,
	    &err);
	rc = cmd_mcp_finish(t->mcp->name, t->name, res, rc, &err, true);
out:
	json_object_put(args);
	json_object_put(res);
	buf_release(&err);
	project_free(p);
	args_release(&o.a);
	return rc;
}

int
cmd_mcp_broker(struct ctx *ctx, int argc, char **argv)
{
	struct sopts		 o = { ARGS_INIT, NULL, 0, 0, 0, NULL, NULL };
	struct project		*p = NULL;
	struct mcp_server	*m;
	struct mcp_ready	 r;
	struct buf		 err = BUF_INIT;
	int			 rc = EXIT_USAGE;

	if (parse(ctx, argc, argv, &o, 1) < 0)
		return cmd_usage(cmd_find("__mcp-broker"));
	if (cmd_load(ctx, &p) != 0 || (m = project_mcp(p, argv[optind])) ==
	    NULL) {
		(void)!write(3, "cannot load the project\n", 24);
		goto out;
	}
	tool_base_env(p, NULL, NULL);
	if (mcp_ready(p, m, 2, &r, &err) < 0) {
		buf_addc(&err, '\n');
		(void)!write(3, err.s, err.len);
		goto out;
	}
	rc = mcp_broker_run(&r.spec, 4, 3, o.runner, m->timeout_ns > 0 ?
	    m->timeout_ns : MCP_START_TIMEOUT) < 0 ? EXIT_STEP_FAILED : 0;
	mcp_ready_release(&r);
out:
	buf_release(&err);
	project_free(p);
	return rc;
}
