/* load-service.c: decoding Tool and ServiceClass specs. */
#include <signal.h>
#include <string.h>

#include "def/load.h"

enum {
	TF_DESCRIPTION, TF_ARGS, TF_COMMAND, TF_RUN, TF_ENV, TF_WORKDIR,
	TF_TIMEOUT, TF_EXECUTOR, TF_RESOURCES, TF_COUNT
};
static const struct field	tool_fields[TF_COUNT] = {
	[TF_DESCRIPTION] = { "description", NULL },
	[TF_ARGS] = { "args", NULL }, [TF_COMMAND] = { "command", NULL },
	[TF_RUN] = { "run", NULL }, [TF_ENV] = { "env", NULL },
	[TF_WORKDIR] = { "workdir", NULL }, [TF_TIMEOUT] = { "timeout", NULL },
	[TF_EXECUTOR] = { "executor", NULL },
	[TF_RESOURCES] = { "resources", NULL },
};

int
load_tool(struct loader *ld, const struct ynode *spec, struct tool *t)
{
	const struct ynode	*f[TF_COUNT];
	struct loc		 l = load_loc(ld, spec);
	char			*what;
	int			 rc;

	t->hash = ynode_hash(spec);
	what = arena_printf(ld->a, "the spec of tool '%s'", t->name);
	if ((rc = load_fields(ld, spec, what, tool_fields, TF_COUNT, f)) < 0 &&
	    spec->kind != YNODE_MAP)
		return -1;
	if (f[TF_DESCRIPTION] != NULL)
		rc |= load_str(ld, f[TF_DESCRIPTION], "description",
		    &t->description);
	if (f[TF_ARGS] != NULL)
		rc |= load_schema(ld, f[TF_ARGS], &t->args);
	if ((f[TF_COMMAND] != NULL) == (f[TF_RUN] != NULL)) {
		if (!load_typo(ld, TF_COMMAND) && !load_typo(ld, TF_RUN))
			loc_error(&l, "tool '%s' needs exactly one of 'command' "
			    "or 'run'", t->name);
		rc = -1;
	}
	else if (f[TF_COMMAND] != NULL)
		rc |= load_argv(ld, f[TF_COMMAND], "command", &t->command,
		    &t->ncommand);
	else
		rc |= load_tstr(ld, f[TF_RUN], "run", &t->run);
	if (f[TF_ENV] != NULL)
		rc |= load_env(ld, f[TF_ENV], "env", &t->env);
	if (f[TF_WORKDIR] != NULL)
		rc |= load_tstr(ld, f[TF_WORKDIR], "workdir", &t->workdir);
	if (f[TF_TIMEOUT] != NULL)
		rc |= load_duration(ld, f[TF_TIMEOUT], "timeout",
		    &t->timeout_ns);
	if (f[TF_EXECUTOR] != NULL)
		rc |= load_executor(ld, f[TF_EXECUTOR], &t->executor);
	if (f[TF_RESOURCES] != NULL)
		rc |= load_resources(ld, f[TF_RESOURCES], &t->resources);
	return rc < 0 ? -1 : 0;
}

static const struct {
	const char	*name;
	int		 sig;
} signals[] = {
	{ "TERM", SIGTERM }, { "INT", SIGINT }, { "HUP", SIGHUP },
	{ "QUIT", SIGQUIT }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 },
};

static int
load_signal(struct loader *ld, const struct ynode *n, int *sig)
{
	const char	*s;
	struct loc	 l = load_loc(ld, n);
	size_t		 i;

	if (load_str(ld, n, "stopSignal", &s) < 0)
		return -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < nitems(signals); i++)
		if (strcmp(s, signals[i].name) == 0) {
			*sig = signals[i].sig;
			return 0;
		}
	return loc_error(&l, "unknown stopSignal '%s' (use TERM, INT, HUP, "
	    "QUIT, KILL, USR1 or USR2)", s);
}

enum { DF_COMMAND, DF_ENV, DF_WORKDIR, DF_STOP_SIGNAL, DF_STOP_TIMEOUT,
	DF_COUNT };
static const struct field	daemon_fields[DF_COUNT] = {
	[DF_COMMAND] = { "command", NULL }, [DF_ENV] = { "env", NULL },
	[DF_WORKDIR] = { "workdir", NULL },
	[DF_STOP_SIGNAL] = { "stopSignal", "stop_signal" },
	[DF_STOP_TIMEOUT] = { "stopTimeout", "stop_timeout" },
};

static int
load_daemon(struct loader *ld, const struct ynode *n, struct service_class *c)
{
	const struct ynode	*f[DF_COUNT];
	struct loc		 l = load_loc(ld, n);
	int			 rc;

	if ((rc = load_fields(ld, n, "daemon", daemon_fields, DF_COUNT, f)) < 0 &&
	    n->kind != YNODE_MAP)
		return -1;
	if (f[DF_COMMAND] == NULL)
		return loc_error(&l, "the daemon of service class '%s' has no "
		    "'command'", c->name);
	rc |= load_argv(ld, f[DF_COMMAND], "command", &c->daemon_cmd,
	    &c->ndaemon_cmd);
	if (f[DF_ENV] != NULL)
		rc |= load_env(ld, f[DF_ENV], "env", &c->daemon_env);
	if (f[DF_WORKDIR] != NULL)
		rc |= load_tstr(ld, f[DF_WORKDIR], "workdir",
		    &c->daemon_workdir);
	if (f[DF_STOP_SIGNAL] != NULL)
		rc |= load_signal(ld, f[DF_STOP_SIGNAL], &c->stop_signal);
	if (f[DF_STOP_TIMEOUT] != NULL)
		rc |= load_duration(ld, f[DF_STOP_TIMEOUT], "stopTimeout",
		    &c->stop_timeout_ns);
	return rc < 0 ? -1 : 0;
}

enum { LF_TOOL, LF_ARGS, LF_OUTPUTS, LF_EXPECT, LF_EXPECT_NOT, LF_COUNT };
static const struct field	lifecycle_fields[LF_COUNT] = {
	[LF_TOOL] = { "tool", NULL }, [LF_ARGS] = { "args", NULL },
	[LF_OUTPUTS] = { "outputs", NULL }, [LF_EXPECT] = { "expect", NULL },
	[LF_EXPECT_NOT] = { "expectNot", "expect_not" },
};

static int
load_lifecycle(struct loader *ld, const struct ynode *n, const char *name,
    struct lifecycle **out)
{
	struct lifecycle	*lc = arena_alloc(ld->a, sizeof *lc);
	const struct ynode	*f[LF_COUNT], *o;
	struct loc		 l = load_loc(ld, n);
	size_t			 i;
	int			 rc;

	*out = lc;
	lc->loc = l;
	if ((rc = load_fields(ld, n, name, lifecycle_fields, LF_COUNT, f)) < 0 &&
	    n->kind != YNODE_MAP)
		return -1;
	if (f[LF_TOOL] == NULL)
		return loc_error(&l, "lifecycle tool '%s' has no 'tool'", name);
	lc->loc = load_loc(ld, f[LF_TOOL]);
	rc |= load_str(ld, f[LF_TOOL], "tool", &lc->tool);
	if (f[LF_ARGS] != NULL)
		rc |= load_tval(ld, f[LF_ARGS], "args", &lc->args);
	if (strcmp(name, "healthCheck") != 0 && (f[LF_EXPECT] != NULL ||
	    f[LF_EXPECT_NOT] != NULL))
		rc = loc_error(&l, "'expect' belongs to the healthCheck tool");
	if (f[LF_EXPECT] != NULL)
		rc |= load_expect(ld, f[LF_EXPECT], "expect", &lc->expect);
	if (f[LF_EXPECT_NOT] != NULL)
		rc |= load_expect(ld, f[LF_EXPECT_NOT], "expectNot",
		    &lc->expect_not);
	if ((o = f[LF_OUTPUTS]) == NULL)
		return rc < 0 ? -1 : 0;
	if (o->kind != YNODE_MAP)
		return load_type_error(ld, o, "outputs", "a mapping of names to "
		    "result paths");
	lc->nout = o->n;
	lc->out_names = arena_array(ld->a, o->n, sizeof *lc->out_names);
	lc->out_paths = arena_array(ld->a, o->n, sizeof *lc->out_paths);
	for (i = 0; i < o->n; i++) {
		lc->out_names[i] = YMAP_KEY(o, i)->s;
		rc |= load_str(ld, YMAP_VAL(o, i), lc->out_names[i],
		    &lc->out_paths[i]);
	}
	return rc < 0 ? -1 : 0;
}

enum { LT_START, LT_STOP, LT_RESTART, LT_STATUS, LT_HEALTH, LT_COUNT };
static const struct field	lt_fields[LT_COUNT] = {
	[LT_START] = { "start", NULL }, [LT_STOP] = { "stop", NULL },
	[LT_RESTART] = { "restart", NULL }, [LT_STATUS] = { "status", NULL },
	[LT_HEALTH] = { "healthCheck", "health_check" },
};

static int
load_lifecycle_tools(struct loader *ld, const struct ynode *n,
    struct service_class *c)
{
	const struct ynode	 *f[LT_COUNT];
	struct lifecycle	**dst[LT_COUNT] = { &c->start, &c->stop,
				    &c->restart, &c->status, &c->health_tool };
	size_t			  i;
	int			  rc;

	if ((rc = load_fields(ld, n, "lifecycleTools", lt_fields, LT_COUNT,
	    f)) < 0 && n->kind != YNODE_MAP)
		return -1;
	for (i = 0; i < LT_COUNT; i++)
		if (f[i] != NULL)
			rc |= load_lifecycle(ld, f[i], lt_fields[i].name,
			    dst[i]);
	return rc < 0 ? -1 : 0;
}

static const struct field	http_fields[] = {
	{ "path", NULL }, { "port", NULL }, { "host", NULL },
	{ "scheme", NULL },
};
static const struct field	tcp_fields[] = {
	{ "port", NULL }, { "host", NULL },
};

/* A port: an integer or a template. */
static int
load_port(struct loader *ld, const struct ynode *n, struct tstr *out)
{
	if (n->kind == YNODE_SCALAR && n->type == YS_INT) {
		int64_t	v;

		if (load_int(ld, n, "port", 1, 65535, &v) < 0)
			return -1;
	}
	return load_tstr(ld, n, "port", out);
}

static int
load_probe(struct loader *ld, const struct ynode *n, const char *name,
    struct service_class *c)
{
	const struct ynode	*f[4];
	struct loc		 l = load_loc(ld, n);
	int			 rc;

	if (strcmp(name, "exec") == 0) {
		c->probe = PROBE_EXEC;
		return load_argv(ld, n, "exec", &c->exec_cmd, &c->nexec_cmd);
	}
	if (strcmp(name, "httpGet") == 0) {
		c->probe = PROBE_HTTP;
		if ((rc = load_fields(ld, n, "httpGet", http_fields, 4, f)) < 0 &&
		    n->kind != YNODE_MAP)
			return -1;
		if (f[1] == NULL)
			return loc_error(&l, "'httpGet' has no 'port'");
		rc |= load_port(ld, f[1], &c->http_port);
		if (f[0] != NULL)
			rc |= load_tstr(ld, f[0], "path", &c->http_path);
		if (f[2] != NULL)
			rc |= load_tstr(ld, f[2], "host", &c->http_host);
		if (f[3] != NULL)
			rc |= load_tstr(ld, f[3], "scheme", &c->http_scheme);
		return rc < 0 ? -1 : 0;
	}
	c->probe = PROBE_TCP;
	if ((rc = load_fields(ld, n, "tcpSocket", tcp_fields, 2, f)) < 0 &&
	    n->kind != YNODE_MAP)
		return -1;
	if (f[0] == NULL)
		return loc_error(&l, "'tcpSocket' has no 'port'");
	rc |= load_port(ld, f[0], &c->tcp_port);
	if (f[1] != NULL)
		rc |= load_tstr(ld, f[1], "host", &c->tcp_host);
	return rc < 0 ? -1 : 0;
}

enum {
	HF_ENABLED, HF_HTTP, HF_TCP, HF_EXEC, HF_INTERVAL, HF_FAILURE,
	HF_SUCCESS, HF_COUNT
};
static const struct field	health_fields[HF_COUNT] = {
	[HF_ENABLED] = { "enabled", NULL },
	[HF_HTTP] = { "httpGet", "http_get" },
	[HF_TCP] = { "tcpSocket", "tcp_socket" }, [HF_EXEC] = { "exec", NULL },
	[HF_INTERVAL] = { "interval", NULL },
	[HF_FAILURE] = { "failureThreshold", "failure_threshold" },
	[HF_SUCCESS] = { "successThreshold", "success_threshold" },
};

static int
load_health(struct loader *ld, const struct ynode *n, struct service_class *c)
{
	const struct ynode	*f[HF_COUNT];
	struct loc		 l = load_loc(ld, n);
	int64_t			 v;
	int			 rc, i, probes = 0;

	if ((rc = load_fields(ld, n, "healthCheck", health_fields, HF_COUNT,
	    f)) < 0 && n->kind != YNODE_MAP)
		return -1;
	c->health_enabled = true;
	if (f[HF_ENABLED] != NULL)
		rc |= load_bool(ld, f[HF_ENABLED], "enabled",
		    &c->health_enabled);
	for (i = HF_HTTP; i <= HF_EXEC; i++)
		if (f[i] != NULL) {
			probes++;
			rc |= load_probe(ld, f[i], health_fields[i].name, c);
		}
	if (probes > 1)
		rc = loc_error(&l, "healthCheck takes one of 'httpGet', "
		    "'tcpSocket' or 'exec'");
	if (f[HF_INTERVAL] != NULL)
		rc |= load_duration(ld, f[HF_INTERVAL], "interval",
		    &c->interval_ns);
	if (f[HF_FAILURE] != NULL && load_int(ld, f[HF_FAILURE],
	    "failureThreshold", 1, 1000, &v) == 0)
		c->failure_threshold = (int)v;
	else if (f[HF_FAILURE] != NULL)
		rc = -1;
	if (f[HF_SUCCESS] != NULL && load_int(ld, f[HF_SUCCESS],
	    "successThreshold", 1, 1000, &v) == 0)
		c->success_threshold = (int)v;
	else if (f[HF_SUCCESS] != NULL)
		rc = -1;
	return rc < 0 ? -1 : 0;
}

static const struct field	timeout_fields[] = {
	{ "create", NULL }, { "delete", NULL },
	{ "healthCheck", "health_check" },
};

static int
load_timeouts(struct loader *ld, const struct ynode *n,
    struct service_class *c)
{
	const struct ynode	*f[3];
	int64_t			*dst[3] = { &c->create_timeout_ns,
				    &c->delete_timeout_ns,
				    &c->health_timeout_ns };
	int			 i, rc;

	if ((rc = load_fields(ld, n, "timeout", timeout_fields, 3, f)) < 0 &&
	    n->kind != YNODE_MAP)
		return -1;
	for (i = 0; i < 3; i++)
		if (f[i] != NULL)
			rc |= load_duration(ld, f[i], timeout_fields[i].name,
			    dst[i]);
	return rc < 0 ? -1 : 0;
}

enum {
	CC_DEFAULT_NAME, CC_DEPENDENCIES, CC_DAEMON, CC_LIFECYCLE, CC_HEALTH,
	CC_TIMEOUT, CC_OUTPUTS, CC_COUNT
};
static const struct field	config_fields[CC_COUNT] = {
	[CC_DEFAULT_NAME] = { "defaultName", "default_name" },
	[CC_DEPENDENCIES] = { "dependencies", NULL },
	[CC_DAEMON] = { "daemon", NULL },
	[CC_LIFECYCLE] = { "lifecycleTools", "lifecycle_tools" },
	[CC_HEALTH] = { "healthCheck", "health_check" },
	[CC_TIMEOUT] = { "timeout", NULL }, [CC_OUTPUTS] = { "outputs", NULL },
};

static int
load_service_config(struct loader *ld, const struct ynode *n,
    struct service_class *c)
{
	const struct ynode	*f[CC_COUNT];
	int			 rc;

	if ((rc = load_fields(ld, n, "serviceConfig", config_fields, CC_COUNT,
	    f)) < 0 && n->kind != YNODE_MAP)
		return -1;
	if (f[CC_DEFAULT_NAME] != NULL)
		rc |= load_tstr(ld, f[CC_DEFAULT_NAME], "defaultName",
		    &c->default_name);
	if (f[CC_DEPENDENCIES] != NULL)
		rc |= load_strs(ld, f[CC_DEPENDENCIES], "dependencies",
		    &c->deps, &c->dep_locs, &c->ndeps);
	if (f[CC_DAEMON] != NULL)
		rc |= load_daemon(ld, f[CC_DAEMON], c);
	if (f[CC_LIFECYCLE] != NULL)
		rc |= load_lifecycle_tools(ld, f[CC_LIFECYCLE], c);
	if (f[CC_HEALTH] != NULL)
		rc |= load_health(ld, f[CC_HEALTH], c);
	if (f[CC_TIMEOUT] != NULL)
		rc |= load_timeouts(ld, f[CC_TIMEOUT], c);
	if (f[CC_OUTPUTS] != NULL)
		rc |= load_tval(ld, f[CC_OUTPUTS], "outputs", &c->outputs);
	return rc < 0 ? -1 : 0;
}

static const struct field	class_fields[] = {
	{ "description", NULL }, { "args", NULL },
	{ "serviceConfig", "service_config" },
};

int
load_class(struct loader *ld, const struct ynode *spec,
    struct service_class *c)
{
	const struct ynode	*f[3];
	struct loc		 l = load_loc(ld, spec);
	char			*what;
	int			 rc;

	c->stop_signal = SIGTERM;
	c->stop_timeout_ns = 10 * (int64_t)1000000000;
	c->interval_ns = 1000000000;
	c->failure_threshold = 3;
	c->success_threshold = 1;
	c->create_timeout_ns = 60 * (int64_t)1000000000;
	c->delete_timeout_ns = 30 * (int64_t)1000000000;
	c->health_timeout_ns = 5 * (int64_t)1000000000;
	what = arena_printf(ld->a, "the spec of service class '%s'", c->name);
	if ((rc = load_fields(ld, spec, what, class_fields, 3, f)) < 0 &&
	    spec->kind != YNODE_MAP)
		return -1;
	if (f[0] != NULL)
		rc |= load_str(ld, f[0], "description", &c->description);
	if (f[1] != NULL)
		rc |= load_schema(ld, f[1], &c->args);
	if (f[2] == NULL)
		return loc_error(&l, "service class '%s' has no "
		    "'serviceConfig'", c->name);
	rc |= load_service_config(ld, f[2], c);
	if (rc == 0 && c->ndaemon_cmd == 0 && c->start == NULL) {
		l = load_loc(ld, f[2]);
		rc = loc_error(&l, "service class '%s' needs a 'daemon' or a "
		    "'start' lifecycle tool", c->name);
	}
	if (rc == 0 && c->health_tool != NULL && c->probe != PROBE_NONE)
		rc = loc_error(&l, "service class '%s' has both a healthCheck "
		    "probe and a healthCheck lifecycle tool", c->name);
	if (c->health_tool != NULL && c->probe == PROBE_NONE)
		c->probe = PROBE_TOOL;
	return rc < 0 ? -1 : 0;
}
