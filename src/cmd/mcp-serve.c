/* mcp-serve.c: `muster mcp serve`: workflows as the tools of an MCP server. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "cmd/mcp.h"
#include "cmd/mcp-serve.h"
#include "def/builtins.h"
#include "def/project.h"
#include "engine/mcpspec.h"
#include "mcp/mcp.h"
#include "base/proc.h"
#include "base/value.h"

#define POLL_NS		1000000000LL	/* how often definitions are looked at */

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	if (o != NULL && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

void
serve_send(struct json_object *msg)
{
	/* stdout is the protocol's: nothing else ever goes there. */
	if (rpc_write(1, msg, 0) < 0)
		warn("cannot write to the MCP client:");
	json_object_put(msg);
}

/* What the definitions look like now: names, sizes and times of files. */
static uint64_t
signature(const char *dir)
{
	static const char *const	sub[] = { "workflows", "tools",
					    "serviceclasses", "mcpservers" };
	uint64_t			h = 1469598103934665603ULL;
	struct stat			st;
	struct dirent			*e;
	char				path[PATH_MAX];
	size_t				i;
	DIR				*d;

	for (i = 0; i < nitems(sub); i++) {
		snprintf(path, sizeof path, "%s/%s", dir, sub[i]);
		if ((d = opendir(path)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name,
			    &st, 0) < 0)
				continue;
			h += hmap_hash(e->d_name, strlen(e->d_name)) ^
			    ((uint64_t)st.st_mtim.tv_sec * 1000000007ULL +
			    (uint64_t)st.st_mtim.tv_nsec) ^ (uint64_t)st.st_size;
		}
		closedir(d);
	}
	snprintf(path, sizeof path, "%s/config.yaml", dir);
	if (stat(path, &st) == 0)
		h ^= (uint64_t)st.st_mtim.tv_nsec + (uint64_t)st.st_size;
	return h;
}

/* Loads the project again; false (the old one kept) when it has errors. */
static bool
reload(struct serve *s)
{
	struct project	*p;

	if (cmd_load(s->ctx, &p) != 0) {
		warn("mcp serve: the definitions have errors; the tools stay "
		    "as they were");
		return false;
	}
	project_free(s->p);
	s->p = p;
	json_object_put(s->tools);
	json_object_put(s->mcp_tools);
	s->mcp_tools = NULL;
	s->tools = serve_tools(s);
	return true;
}

static void
notify_changed(struct serve *s)
{
	uint64_t	sig = signature(s->p->dir);

	if (sig == s->sig)
		return;
	s->sig = sig;
	if (!reload(s) || !s->initialized)
		return;
	serve_send(rpc_request(-1, "notifications/tools/list_changed", NULL));
}

static struct json_object *
initialize(struct serve *s, struct json_object *params)
{
	struct json_object	*r = json_object_new_object(), *caps, *t, *info;
	const char		*want = json_object_get_string(get(params,
				    "protocolVersion"));
	const char		*v = mcp_versions[0];
	size_t			 i;

	(void)s;
	/* The client's revision if muster speaks it, else muster's newest. */
	for (i = 0; want != NULL && i < mcp_nversions; i++)
		if (strcmp(want, mcp_versions[i]) == 0)
			v = mcp_versions[i];
	caps = json_object_new_object();
	t = json_object_new_object();
	json_set(t, "listChanged", json_object_new_boolean(1));
	json_set(caps, "tools", t);
	info = json_object_new_object();
	json_set(info, "name", json_str("muster"));
	json_set(info, "version", json_str(MUSTER_VERSION));
	json_set(r, "protocolVersion", json_str(v));
	json_set(r, "capabilities", caps);
	json_set(r, "serverInfo", info);
	json_set(r, "instructions", json_str("Each workflow_<name> tool runs "
	    "a muster workflow as a recorded execution and returns its result; "
	    "core_* tools list workflows, executions and services."));
	return r;
}

/* One JSON-RPC message from the client. */
static void
handle(struct serve *s, struct json_object *m)
{
	struct json_object	*id = get(m, "id"), *method = get(m, "method");
	struct json_object	*params = get(m, "params");
	const char		*name;

	if (method == NULL || !json_object_is_type(method, json_type_string)) {
		if (id == NULL || get(m, "result") != NULL ||
		    get(m, "error") != NULL)
			return;	/* a response: muster asks nothing */
		serve_send(rpc_error(id, -32600, "not a JSON-RPC request"));
		return;
	}
	name = json_object_get_string(method);
	if (id == NULL) {
		if (strcmp(name, "notifications/initialized") == 0)
			s->initialized = true;
		else if (strcmp(name, "notifications/cancelled") == 0)
			serve_cancel(s, get(params, "requestId"));
		return;
	}
	if (strcmp(name, "initialize") == 0)
		serve_send(rpc_result(id, initialize(s, params)));
	else if (strcmp(name, "ping") == 0)
		serve_send(rpc_result(id, NULL));
	else if (strcmp(name, "tools/list") == 0) {
		struct json_object	*r = json_object_new_object();

		json_set(r, "tools", json_object_get(s->tools));
		serve_send(rpc_result(id, r));
	} else if (strcmp(name, "tools/call") == 0)
		serve_call(s, id, params);
	else
		serve_send(rpc_error(id, -32601, "method not found"));
}

/* Reads what the client sent; false at its end. */
static bool
read_client(struct serve *s)
{
	struct json_object	*m;
	struct buf		 why = BUF_INIT;
	const char		*line;
	size_t			 len;
	int			 r, ok;

	while ((r = rpc_read_line(&s->in, &line, &len)) > 0) {
		if (len == 0)
			continue;
		m = json_parse(line, len, &ok, &why);
		if (!ok || !json_object_is_type(m, json_type_object))
			serve_send(rpc_error(NULL, -32700, "parse error"));
		else
			handle(s, m);
		json_object_put(m);
		buf_truncate(&why, 0);
	}
	buf_release(&why);
	if (r < 0 && s->in.too_long)
		warn("mcp serve: a message over %u MiB; stopping",
		    MCP_MAX_MESSAGE >> 20);
	return r == 0;
}

static volatile sig_atomic_t	stop_sig;

static void
on_stop(int sig)
{
	stop_sig = sig;
}

/*
 * Until the client closes stdin and the calls it made are answered; a
 * signal stops the calls' runs (they can be resumed) first.
 */
static void
loop(struct serve *s)
{
	struct pollfd	pfd[1 + 2 * SERVE_MAX_RUNS];
	int64_t		next = clock_mono_ns() + POLL_NS;
	size_t		n, i;
	bool		open = true, stopped = false;

	while (open || s->nruns > 0) {
		n = 0;
		pfd[n++] = (struct pollfd){ open ? 0 : -1, POLLIN, 0 };
		n = serve_runs_pollfds(s, pfd, n);
		if (poll(pfd, n, 200) < 0 && errno != EINTR)
			break;
		if (stop_sig != 0 && !stopped) {
			open = false;
			stopped = true;
			serve_stop_all(s);
		}
		if (open && pfd[0].revents != 0 && !read_client(s))
			open = false;
		serve_runs_io(s, pfd, n);
		serve_reap(s);
		if (open && clock_mono_ns() >= next) {
			notify_changed(s);
			next = clock_mono_ns() + POLL_NS;
		}
		for (i = 0; i < n; i++)
			pfd[i].revents = 0;
	}
}

int
cmd_mcp_serve(struct ctx *ctx, bool tools)
{
	struct serve	 s = { 0 };
	char		 self[PATH_MAX];
	ssize_t		 n;
	int		 rc;

	s.ctx = ctx;
	s.with_tools = tools;
	s.in = (struct rpc_reader)RPC_READER_INIT(0);
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	signal(SIGHUP, on_stop);
	if ((rc = cmd_load(ctx, &s.p)) != 0)
		return rc;
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	s.self = self;
	s.root = realpath(s.p->root, NULL);
	if (s.root == NULL)
		s.root = xstrdup(s.p->root);
	s.sig = signature(s.p->dir);
	s.tools = serve_tools(&s);
	fprintf(stderr, "muster: mcp serve: %zu workflows in '%s'\n",
	    s.p->nworkflows, s.root);
	loop(&s);
	json_object_put(s.tools);
	json_object_put(s.mcp_tools);
	rpc_reader_release(&s.in);
	project_free(s.p);
	free(s.root);
	return 0;
}
