/* load-service.c: decoding Tool and ServiceClass specs. */
#include <signal.h>
#include <string.h>

#include "def/load.h"

enum {
	TF_DESCRIPTION, TF_ARGS, TF_COMMAND, TF_RUN, TF_ENV, TF_WORKDIR,
	TF_TIMEOUT, TF_SHELL, TF_EXECUTOR, TF_RESOURCES, TF_COUNT
};
static const struct field	tool_fields[TF_COUNT] = {
	[TF_DESCRIPTION] = { "description", NULL },
	[TF_ARGS] = { "args", NULL }, [TF_COMMAND] = { "command", NULL },
	[TF_RUN] = { "run", NULL }, [TF_ENV] = { "env", NULL },
	[TF_WORKDIR] = { "workdir", NULL }, [TF_TIMEOUT] = { "timeout", NULL },
	[TF_SHELL] = { "shell", NULL },
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
	if (f[TF_SHELL] != NULL && f[TF_RUN] == NULL) {
		l = load_loc(ld, f[TF_SHELL]);
		rc = loc_error(&l, "'shell' is for 'run' scripts; a 'command' "
		    "runs without one");
	} else if (f[TF_SHELL] != NULL)
		rc |= load_shell(ld, f[TF_SHELL], &t->shell);
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

enum { LT_START, LT_STOP, LT_RESTART, LT_STATUS, LT_HEALTH, LT_SCALE,
	LT_COUNT };
static const struct field	lt_fields[LT_COUNT] = {
	[LT_START] = { "start", NULL }, [LT_STOP] = { "stop", NULL },
	[LT_RESTART] = { "restart", NULL }, [LT_STATUS] = { "status", NULL },
	[LT_HEALTH] = { "healthCheck", "health_check" },
	[LT_SCALE] = { "scale", NULL },
};
/* The service-orchestration document's spelling: lifecycle.startTool. */
static const struct field	lt_doc_fields[LT_COUNT] = {
	[LT_START] = { "startTool", NULL }, [LT_STOP] = { "stopTool", NULL },
	[LT_RESTART] = { "restartTool", NULL },
	[LT_STATUS] = { "statusTool", NULL },
	[LT_HEALTH] = { "healthCheckTool", NULL },
	[LT_SCALE] = { "scaleTool", NULL },
};

/*
 * lifecycleTools: {start: {tool, args}, ...}, or the document's
 * lifecycle: {startTool: NAME, ...} (doc), whose tools are given the
 * instance's arguments and the class's resources, as there.
 */
static int
load_lifecycle_set(struct loader *ld, const struct ynode *n,
    struct service_class *c, bool doc)
{
	const struct field	 *fields = doc ? lt_doc_fields : lt_fields;
	const struct ynode	 *f[LT_COUNT];
	struct lifecycle	**dst[LT_COUNT] = { &c->start, &c->stop,
				    &c->restart, &c->status, &c->health_tool,
				    &c->scale };
	struct loc		  l;
	size_t			  i;
	int			  rc;

	if ((rc = load_fields(ld, n, doc ? "lifecycle" : "lifecycleTools",
	    fields, LT_COUNT, f)) < 0 && n->kind != YNODE_MAP)
		return -1;
	for (i = 0; i < LT_COUNT; i++) {
		if (f[i] == NULL)
			continue;
		if (!doc) {
			rc |= load_lifecycle(ld, f[i], fields[i].name, dst[i]);
			continue;
		}
		if (*dst[i] != NULL) {
			l = load_loc(ld, f[i]);
			rc = loc_error(&l, "'%s' and lifecycleTools.%s are the "
			    "same tool", fields[i].name, lt_fields[i].name);
			continue;
		}
		*dst[i] = arena_alloc(ld->a, sizeof **dst[i]);
		(*dst[i])->loc = load_loc(ld, f[i]);
		(*dst[i])->pass_args = true;
		rc |= load_str(ld, f[i], fields[i].name, &(*dst[i])->tool);
	}
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
	HF_SUCCESS, HF_PERIOD, HF_TIMEOUT, HF_DELAY, HF_COUNT
};
static const struct field	health_fields[HF_COUNT] = {
	[HF_ENABLED] = { "enabled", NULL },
	[HF_HTTP] = { "httpGet", "http_get" },
	[HF_TCP] = { "tcpSocket", "tcp_socket" }, [HF_EXEC] = { "exec", NULL },
	[HF_INTERVAL] = { "interval", NULL },
	[HF_FAILURE] = { "failureThreshold", "failure_threshold" },
	[HF_SUCCESS] = { "successThreshold", "success_threshold" },
	/* Kubernetes' probe fields, in whole seconds. */
	[HF_PERIOD] = { "periodSeconds", NULL },
	[HF_TIMEOUT] = { "timeoutSeconds", NULL },
	[HF_DELAY] = { "initialDelaySeconds", NULL },
};

/* A field in whole seconds (Kubernetes' probes), as nanoseconds. */
static int
load_seconds(struct loader *ld, const struct ynode *n, const char *name,
    int64_t min, int64_t *ns)
{
	int64_t	v;

	if (load_int(ld, n, name, min, 86400, &v) < 0)
		return -1;
	*ns = v * 1000000000;
	return 0;
}

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
	if (f[HF_INTERVAL] != NULL && f[HF_PERIOD] != NULL) {
		l = load_loc(ld, f[HF_PERIOD]);
		rc = loc_error(&l, "'interval' and 'periodSeconds' are the "
		    "same setting");
	} else if (f[HF_INTERVAL] != NULL)
		rc |= load_duration(ld, f[HF_INTERVAL], "interval",
		    &c->interval_ns);
	else if (f[HF_PERIOD] != NULL)
		rc |= load_seconds(ld, f[HF_PERIOD], "periodSeconds", 1,
		    &c->interval_ns);
	if (f[HF_TIMEOUT] != NULL)
		rc |= load_seconds(ld, f[HF_TIMEOUT], "timeoutSeconds", 1,
		    &c->health_timeout_ns);
	if (f[HF_DELAY] != NULL)
		rc |= load_seconds(ld, f[HF_DELAY], "initialDelaySeconds",
		    0, &c->initial_delay_ns);
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

static const struct field	dep_fields[] = {
	{ "name", NULL }, { "type", NULL }, { "healthCheck", "health_check" },
};

/* One {name, type, healthCheck: {url}} dependency. */
static int
load_dependency(struct loader *ld, const struct ynode *n,
    struct service_class *c)
{
	static const struct field	 hc[] = { { "url", NULL } };
	const struct ynode		*f[3], *u[1];
	const char			*name, *type = "service";
	struct loc			 l = load_loc(ld, n);
	struct external_dep		*x;

	if (load_fields(ld, n, "a dependency", dep_fields, 3, f) < 0)
		return -1;
	if (f[0] == NULL)
		return loc_error(&l, "a dependency needs a 'name'");
	if (load_str(ld, f[0], "name", &name) < 0 ||
	    (f[1] != NULL && load_str(ld, f[1], "type", &type) < 0))
		return -1;
	if (strcmp(type, "service") == 0 || strcmp(type, "internal") == 0) {
		if (f[2] != NULL) {
			l = load_loc(ld, f[2]);
			return loc_error(&l, "dependency '%s' is a service class "
			    "of this project: its own healthCheck applies",
			    name);
		}
		c->deps[c->ndeps] = name;
		c->dep_locs[c->ndeps++] = load_loc(ld, f[0]);
		return 0;
	}
	if (strcmp(type, "external") != 0) {
		l = load_loc(ld, f[1]);
		return loc_error(&l, "unknown dependency type '%s' (use service "
		    "or external)", type);
	}
	if (f[2] == NULL)
		return loc_error(&l, "external dependency '%s' needs "
		    "'healthCheck: {url: ...}': muster probes it, it does not "
		    "start it", name);
	if (load_fields(ld, f[2], "healthCheck", hc, 1, u) < 0)
		return -1;
	if (u[0] == NULL) {
		l = load_loc(ld, f[2]);
		return loc_error(&l, "healthCheck of dependency '%s' has no "
		    "'url'", name);
	}
	x = &c->ext[c->next++];
	x->name = name;
	x->loc = load_loc(ld, f[0]);
	return load_tstr(ld, u[0], "url", &x->url);
}

/* dependencies: class names, or objects (external ones are probed). */
static int
load_dependencies(struct loader *ld, const struct ynode *n,
    struct service_class *c)
{
	size_t	i;
	int	rc = 0;

	if (n->kind != YNODE_SEQ)
		return load_type_error(ld, n, "dependencies", "a list of "
		    "service class names or {name, type, healthCheck}");
	c->deps = arena_array(ld->a, n->n, sizeof *c->deps);
	c->dep_locs = arena_array(ld->a, n->n, sizeof *c->dep_locs);
	c->ext = arena_array(ld->a, n->n, sizeof *c->ext);
	for (i = 0; i < n->n; i++) {
		const struct ynode	*it = n->items[i];

		if (it->kind == YNODE_SCALAR && it->type == YS_STR) {
			c->deps[c->ndeps] = it->s;
			c->dep_locs[c->ndeps++] = load_loc(ld, it);
		} else if (it->kind == YNODE_MAP)
			rc |= load_dependency(ld, it, c);
		else
			rc = load_type_error(ld, it, "dependencies", "a name "
			    "or {name, type, healthCheck}");
	}
	return rc < 0 ? -1 : 0;
}

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
		rc |= load_dependencies(ld, f[CC_DEPENDENCIES], c);
	if (f[CC_DAEMON] != NULL)
		rc |= load_daemon(ld, f[CC_DAEMON], c);
	if (f[CC_LIFECYCLE] != NULL)
		rc |= load_lifecycle_set(ld, f[CC_LIFECYCLE], c, false);
	if (f[CC_HEALTH] != NULL)
		rc |= load_health(ld, f[CC_HEALTH], c);
	else if (c->health_tool != NULL)
		c->health_enabled = true;	/* the tool turns it on */
	if (f[CC_TIMEOUT] != NULL)
		rc |= load_timeouts(ld, f[CC_TIMEOUT], c);
	if (f[CC_OUTPUTS] != NULL)
		rc |= load_tval(ld, f[CC_OUTPUTS], "outputs", &c->outputs);
	return rc < 0 ? -1 : 0;
}

enum {
	KF_DESCRIPTION, KF_ARGS, KF_CONFIG, KF_NAME, KF_LIFECYCLE, KF_DEPS,
	KF_HEALTH, KF_RESOURCES, KF_COUNT
};
static const struct field	class_fields[KF_COUNT] = {
	[KF_DESCRIPTION] = { "description", NULL }, [KF_ARGS] = { "args", NULL },
	[KF_CONFIG] = { "serviceConfig", "service_config" },
	/* The service-orchestration document's layout, beside ours. */
	[KF_NAME] = { "name", NULL }, [KF_LIFECYCLE] = { "lifecycle", NULL },
	[KF_DEPS] = { "dependencies", NULL },
	[KF_HEALTH] = { "healthCheck", "health_check" },
	[KF_RESOURCES] = { "resources", NULL },
};

static void
class_defaults(struct service_class *c)
{
	c->stop_signal = SIGTERM;
	c->stop_timeout_ns = 10 * (int64_t)1000000000;
	c->interval_ns = 1000000000;
	c->failure_threshold = 3;
	c->success_threshold = 1;
	c->create_timeout_ns = 60 * (int64_t)1000000000;
	c->delete_timeout_ns = 30 * (int64_t)1000000000;
	c->health_timeout_ns = 5 * (int64_t)1000000000;
}

/* The fields the document puts at the top of the spec. */
static int
load_class_doc(struct loader *ld, const struct ynode *const *f,
    struct service_class *c)
{
	const char	*name;
	struct loc	 l;
	int		 rc = 0;

	if (f[KF_NAME] != NULL && load_str(ld, f[KF_NAME], "name", &name) == 0 &&
	    strcmp(name, c->name) != 0) {
		l = load_loc(ld, f[KF_NAME]);
		rc = loc_error(&l, "spec.name '%s' differs from metadata.name "
		    "'%s'", name, c->name);
	}
	if (f[KF_DEPS] != NULL) {
		if (c->deps != NULL || c->ext != NULL) {
			l = load_loc(ld, f[KF_DEPS]);
			rc = loc_error(&l, "'dependencies' is set in "
			    "serviceConfig too");
		} else
			rc |= load_dependencies(ld, f[KF_DEPS], c);
	}
	if (f[KF_HEALTH] != NULL) {
		if (c->health_enabled) {
			l = load_loc(ld, f[KF_HEALTH]);
			rc = loc_error(&l, "'healthCheck' is set in "
			    "serviceConfig too");
		} else
			rc |= load_health(ld, f[KF_HEALTH], c);
	}
	if (f[KF_LIFECYCLE] != NULL)
		rc |= load_lifecycle_set(ld, f[KF_LIFECYCLE], c, true);
	if (f[KF_RESOURCES] != NULL)
		rc |= load_tval(ld, f[KF_RESOURCES], "resources",
		    &c->resources);
	return rc;
}

int
load_class(struct loader *ld, const struct ynode *spec,
    struct service_class *c)
{
	const struct ynode	*f[KF_COUNT];
	struct loc		 l = load_loc(ld, spec);
	char			*what;
	int			 rc;

	class_defaults(c);
	what = arena_printf(ld->a, "the spec of service class '%s'", c->name);
	if ((rc = load_fields(ld, spec, what, class_fields, KF_COUNT, f)) < 0 &&
	    spec->kind != YNODE_MAP)
		return -1;
	if (f[KF_DESCRIPTION] != NULL)
		rc |= load_str(ld, f[KF_DESCRIPTION], "description",
		    &c->description);
	if (f[KF_ARGS] != NULL)
		rc |= load_schema(ld, f[KF_ARGS], &c->args);
	if (f[KF_CONFIG] == NULL && f[KF_LIFECYCLE] == NULL)
		return loc_error(&l, "service class '%s' has no "
		    "'serviceConfig' (or 'lifecycle')", c->name);
	if (f[KF_CONFIG] != NULL)
		rc |= load_service_config(ld, f[KF_CONFIG], c);
	rc |= load_class_doc(ld, f, c);
	if (rc == 0 && c->ndaemon_cmd == 0 && c->start == NULL) {
		l = load_loc(ld, f[KF_CONFIG] ? f[KF_CONFIG] : f[KF_LIFECYCLE]);
		rc = loc_error(&l, "service class '%s' needs a 'daemon' or a "
		    "'start' lifecycle tool", c->name);
	}
	if (rc == 0 && c->health_tool != NULL && c->probe != PROBE_NONE &&
	    f[KF_LIFECYCLE] != NULL && c->health_tool->pass_args) {
		/* The document's layout: the tool probes; the block's
		 * periods and thresholds still apply. */
		l = load_loc(ld, f[KF_HEALTH] ? f[KF_HEALTH] : f[KF_CONFIG]);
		loc_warn(&l, "service class '%s' has a healthCheckTool: muster "
		    "probes with it, not with this block's httpGet, tcpSocket "
		    "or exec (its periods and thresholds apply)", c->name);
		c->probe = PROBE_NONE;
	} else if (rc == 0 && c->health_tool != NULL && c->probe != PROBE_NONE)
		rc = loc_error(&l, "service class '%s' has both a healthCheck "
		    "probe and a healthCheck lifecycle tool", c->name);
	if (c->health_tool != NULL && c->probe == PROBE_NONE)
		c->probe = PROBE_TOOL;
	return rc < 0 ? -1 : 0;
}
