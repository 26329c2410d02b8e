/* svc-ops.c: what service commands do: create, start, stop, delete, ... */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "engine/call.h"
#include "engine/mask.h"
#include "def/project.h"
#include "state/record.h"
#include "engine/render.h"
#include "engine/run.h"
#include "def/schema.h"
#include "svc/probe.h"
#include "svc/service.h"
#include "base/value.h"

/* The copy of an instance a command prints: its record, as it is now. */
static struct json_object *
view(struct svc *s)
{
	return json_object_get(s->rec);
}

/* Keeps of args what Tool file name declares (all, for other tools). */
static struct json_object *
tool_declared(struct svcenv *e, const char *name, struct json_object *args)
{
	struct tool		*t = project_tool(e->p, name);
	struct json_object	*out;
	size_t			 i;

	if (t == NULL)
		return args;
	out = json_object_new_object();
	for (i = 0; i < t->args.n; i++) {
		struct json_object	*v;

		if (json_object_object_get_ex(args, t->args.args[i].name, &v))
			json_set(out, t->args.args[i].name,
			    json_object_get(v));
	}
	json_object_put(args);
	return out;
}

/*
 * What a tool of the document's lifecycle: block is given: the instance's
 * arguments, and its class's resources rendered over them (new), or NULL
 * with the reason in err.
 */
static struct json_object *
lifecycle_args(struct svcenv *e, struct svc *s, const struct lifecycle *lc,
    struct buf *err)
{
	struct json_object	*in = json_object_object_get(s->rec, "args");
	struct json_object	*args = json_object_new_object(), *root, *r;

	if (json_object_is_type(in, json_type_object)) {
		json_object_object_foreach(in, k, v)
			json_set(args, k, json_object_get(v));
	}
	if (json_object_object_get_ex(s->rec, "replicas", &r))
		json_set(args, "replicas", json_object_get(r));
	if (s->class->resources != NULL) {
		root = render_root(in, NULL, NULL, NULL, NULL, NULL);
		json_set(root, "name", json_str(s->name));
		if (render_value(s->class->resources, root, &r, err) < 0) {
			json_object_put(root);
			json_object_put(args);
			return NULL;
		}
		json_object_put(root);
		json_set(args, "resources", r);
	}
	return tool_declared(e, lc->tool, args);
}

/*
 * Runs lifecycle tool lc (start, stop, ...) for at most timeout, its
 * output to the log.
 */
static int
lifecycle(struct svcenv *e, struct svc *s, const struct lifecycle *lc,
    int64_t timeout, struct buf *err)
{
	struct json_object	*data = svc_data(s), *args = NULL, *res = NULL;
	struct json_object	*outs, *v;
	struct call_opts	 co = { .log_fd = -1, .silent = 1, .verbose = -1,
				    .timeout_ns = timeout };
	char			*log = xasprintf("%s.log", s->name);
	size_t			 i;
	int			 rc = -1;

	co.log_fd = openat(e->dirfd, log, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lc->args != NULL && render_value(lc->args, data, &args, err) < 0)
		goto out;
	if (lc->pass_args && lc->args == NULL &&
	    (args = lifecycle_args(e, s, lc, err)) == NULL)
		goto out;
	if (call_tool(e->p, lc->tool, args, &co, &res, err) != 0)
		goto out;
	/* outputs: name -> dotted path into the tool's result. */
	if (!json_object_object_get_ex(s->rec, "tool_outputs", &outs)) {
		outs = json_object_new_object();
		json_set(s->rec, "tool_outputs", outs);
	}
	for (i = 0; i < lc->nout; i++) {
		if ((v = json_path(res, lc->out_paths[i])) == NULL) {
			buf_printf(err, "tool '%s' gave no '%s' for output '%s'",
			    lc->tool, lc->out_paths[i], lc->out_names[i]);
			goto out;
		}
		json_set(outs, lc->out_names[i], json_object_get(v));
	}
	rc = 0;
out:
	if (co.log_fd >= 0)
		close(co.log_fd);
	free(log);
	json_object_put(data);
	json_object_put(args);
	json_object_put(res);
	return rc;
}

/*
 * The class's outputs block, rendered once the service runs.  When it
 * cannot be rendered the operation fails: the instance is marked failed
 * (its daemon left for stop or delete) and EXIT_STEP_FAILED returned.
 */
static int
render_outputs(struct svc *s)
{
	struct json_object	*data = svc_data(s), *o = NULL;
	struct buf		 err = BUF_INIT, why = BUF_INIT;
	int			 rc = 0;

	json_object_object_del(s->rec, "outputs_error");
	if (s->class->outputs != NULL &&
	    render_value(s->class->outputs, data, &o, &err) == 0)
		json_set(s->rec, "outputs", o);
	else if (s->class->outputs != NULL) {
		buf_printf(&why, "outputs: %s", buf_str(&err));
		svc_set_state(s, "failed", buf_str(&why));
		rc = EXIT_STEP_FAILED;
	}
	json_object_put(data);
	buf_release(&err);
	buf_release(&why);
	return rc;
}

/* Starts a held instance (daemon or start tool), then waits for health. */
static int
bring_up(struct svcenv *e, struct svc *s, int64_t timeout, int wait)
{
	struct json_object	*data = svc_data(s);
	struct buf		 err = BUF_INIT;
	int			 rc = 0;

	svc_set_state(s, "starting", NULL);
	json_object_object_del(s->rec, "health");
	if (svc_save(e, s) < 0)
		rc = EXIT_IO;
	else if (s->class->ndaemon_cmd > 0 && (health_port_taken(s, data,
	    &err) || daemon_start(e, s, data, &err) < 0))
		rc = EXIT_STEP_FAILED;
	else if (s->class->start != NULL && lifecycle(e, s, s->class->start,
	    timeout > 0 ? timeout : s->class->create_timeout_ns, &err) < 0)
		rc = EXIT_STEP_FAILED;
	if (rc == EXIT_STEP_FAILED)
		svc_set_state(s, "failed", buf_str(&err));
	else if (rc == 0) {
		svc_set_state(s, "running", NULL);
		svc_save(e, s);
		json_object_put(data);
		data = svc_data(s);	/* with the start tool's outputs */
		if (wait)
			rc = health_wait(e, s, data, timeout > 0 ? timeout :
			    s->class->create_timeout_ns);
		if (rc == 0)
			rc = render_outputs(s);
	}
	if (svc_save(e, s) < 0 && rc == 0)
		rc = EXIT_IO;
	json_object_put(data);
	buf_release(&err);
	return rc;
}

/* Brings the service down: the stop tool, then the daemon. */
static int
bring_down(struct svcenv *e, struct svc *s)
{
	struct buf	err = BUF_INIT;
	int		rc = 0;

	if (strcmp(svc_str(s, "state"), "stopped") == 0)
		return 0;	/* stopped already: nothing to undo */
	svc_set_state(s, "stopping", NULL);
	svc_save(e, s);
	if (s->class_broken && e->verbose >= 0)
		warn("service class '%s' has errors: stopping service '%s' "
		    "without it (its daemon gets SIGTERM)", svc_str(s, "class"),
		    s->name);
	if (s->class != NULL && s->class->stop != NULL &&
	    lifecycle(e, s, s->class->stop,
	    s->class->delete_timeout_ns, &err) < 0) {
		if (e->verbose >= 0)
			fprintf(stderr, "muster: service '%s': stop tool: %s\n",
			    s->name, buf_str(&err));
		rc = EXIT_STEP_FAILED;
	}
	daemon_stop(e, s);
	svc_set_state(s, "stopped", rc ? buf_str(&err) : NULL);
	json_object_object_del(s->rec, "health");
	if (svc_save(e, s) < 0)
		rc = EXIT_IO;
	buf_release(&err);
	return rc;
}

/* The instance name a create gets: given, the class's defaultName, or its
 * own name. */
static char *
instance_name(struct service_class *c, const char *given,
    struct json_object *args)
{
	struct json_object	*data;
	struct buf		 b = BUF_INIT, err = BUF_INIT;

	if (given != NULL)
		return xstrdup(given);
	if (c->default_name.src == NULL)
		return xstrdup(c->name);
	data = render_root(args, NULL, NULL, NULL, NULL, NULL);
	if (render_text(&c->default_name, data, 0, &b, &err) < 0) {
		error("service class '%s': defaultName: %s", c->name,
		    buf_str(&err));
		buf_release(&b);
		b.s = NULL;
	}
	json_object_put(data);
	buf_release(&err);
	return b.s;
}

/*
 * Makes sure an instance of class c exists and is healthy (creating one
 * with its defaults), for a service that depends on it.  Its name goes to
 * deps.
 */
static int
ensure_dependency(struct svcenv *e, struct service_class *c,
    struct json_object *deps, int64_t timeout)
{
	struct json_object	*all, *out = NULL;
	const char		*found = NULL;
	size_t			 i;
	int			 rc;

	svc_list(e, &all);
	for (i = 0; i < json_object_array_length(all) && found == NULL; i++) {
		struct json_object	*r = json_object_array_get_idx(all, i);

		if (strcmp(json_object_get_string(json_object_object_get(r,
		    "class")), c->name) == 0)
			found = json_object_get_string(
			    json_object_object_get(r, "name"));
	}
	if (found != NULL) {
		json_object_array_add(deps, json_str(found));
		rc = svc_wait(e, found, timeout, &out);
	} else {
		rc = svc_create(e, c->name, NULL, NULL, timeout, 1, &out);
		if (out != NULL)
			json_object_array_add(deps, json_object_get(
			    json_object_object_get(out, "name")));
	}
	json_object_put(out);
	json_object_put(all);
	if (rc != 0)
		error("dependency '%s' is not healthy", c->name);
	return rc;
}

static struct json_object *
new_record(struct service_class *c, const char *name, struct json_object *in)
{
	struct json_object	*r = json_object_new_object();
	char			 t[40];

	record_time(t, sizeof t, clock_wall_ns());
	json_set(r, "name", json_str(name));
	json_set(r, "class", json_str(c->name));
	json_set(r, "state", json_str("starting"));
	/* Secret arguments are never written down. */
	json_set(r, "args", mask_args(&c->args, in));
	json_set(r, "created_at", json_str(t));
	json_set(r, "depends_on", json_object_new_array());
	return r;
}

/*
 * An external dependency is probed once by an HTTP GET of its URL (a
 * template over the arguments): muster does not start it.
 */
static int
probe_external(struct service_class *c, const struct external_dep *x,
    struct json_object *args)
{
	struct json_object	*root = render_root(args, NULL, NULL, NULL,
				    NULL, NULL);
	struct buf		 url = BUF_INIT, why = BUF_INIT;
	char			*scheme, *host, *port, *path, *u;
	int			 ok = 0;

	if (render_text(&x->url, root, 0, &url, &why) < 0)
		goto out;
	buf_str(&url);
	u = url.s;
	scheme = u;
	if ((host = strstr(u, "://")) == NULL) {
		buf_printf(&why, "'%s' is not an http or https URL", u);
		goto out;
	}
	*host = '\0';
	host += 3;
	path = host + strcspn(host, "/");
	port = memchr(host, ':', (size_t)(path - host));
	{
		char	*h = xstrndup(host, (size_t)((port ? port : path) -
			    host));
		char	*pt = port ? xstrndup(port + 1, (size_t)(path - port -
			    1)) : xstrdup(strcmp(scheme, "https") == 0 ? "443" :
			    "80");
		char	*pa = xstrdup(*path ? path : "/");

		ok = health_http(scheme, h, pt, pa, c->health_timeout_ns,
		    &why);
		free(h);
		free(pt);
		free(pa);
	}
out:
	if (!ok)
		error("external dependency '%s' of service class '%s' is not "
		    "healthy: %s", x->name, c->name, buf_str(&why));
	json_object_put(root);
	buf_release(&url);
	buf_release(&why);
	return ok ? 0 : EXIT_STEP_FAILED;
}

int
svc_create(struct svcenv *e, const char *class, const char *name,
    struct json_object *args, int64_t timeout, int wait,
    struct json_object **out)
{
	struct service_class	*c = project_class(e->p, class);
	struct json_object	*in = NULL, *deps;
	struct svc		 s;
	char			*iname = NULL;
	size_t			 i;
	int			 rc;

	*out = NULL;
	if (c == NULL) {
		error("no service class '%s'", class);
		return EXIT_USAGE;
	}
	if (project_usable_class(e->p, c, true) < 0)
		return EXIT_USAGE;
	if (schema_apply(&c->args, args, NULL, &in) < 0 ||
	    (iname = instance_name(c, name, in)) == NULL) {
		json_object_put(in);
		return EXIT_USAGE;
	}
	deps = json_object_new_array();
	/* Fail before starting dependencies when it cannot be made. */
	if ((rc = svc_absent(e, iname)) != 0)
		goto out;
	for (i = 0; i < c->next && rc == 0; i++)
		rc = probe_external(c, &c->ext[i], in);
	for (i = 0; i < c->ndeps && rc == 0; i++)
		rc = ensure_dependency(e, c->dep_classes[i], deps, timeout);
	if (rc != 0)
		goto out;
	if ((rc = svc_open(e, iname, &s)) == 0) {
		error("service '%s' exists already (see 'muster service start')",
		    iname);
		rc = EXIT_USAGE;
	} else if (rc == 1) {
		s.class = c;
		s.rec = new_record(c, iname, in);
		json_set(s.rec, "depends_on", json_object_get(deps));
		rc = bring_up(e, &s, timeout, wait);
		*out = view(&s);
	}
	svc_close(&s);
out:
	json_object_put(deps);
	json_object_put(in);
	free(iname);
	return rc;
}

/* Opens an existing instance whose class still exists. */
static int
open_existing(struct svcenv *e, const char *name, struct svc *s)
{
	int	rc = svc_open(e, name, s);

	if (rc == 1) {
		error("no service '%s'; see 'muster service list'", name);
		svc_close(s);
		return EXIT_STATE;
	}
	if (rc != 0)
		svc_close(s);
	else if (s->class_broken) {
		project_usable_class(e->p, project_class(e->p,
		    svc_str(s, "class")), true);
		svc_close(s);
		return EXIT_USAGE;
	} else if (s->class == NULL) {
		error("service '%s' is of class '%s', which is no longer "
		    "defined", name, svc_str(s, "class"));
		svc_close(s);
		return EXIT_USAGE;
	}
	return rc;
}

/* Whether it runs (or is meant to): a live daemon, or a start tool's
 * service that nobody stopped. */
static bool
running(struct svc *s)
{
	const char	*st = svc_str(s, "state");

	if (json_object_object_get(s->rec, "daemon") != NULL)
		return daemon_alive(s);
	return strcmp(st, "stopped") != 0 && strcmp(st, "failed") != 0;
}

/* Probes a running instance until healthy; the record keeps the result. */
static int
settle(struct svcenv *e, struct svc *s, int64_t timeout)
{
	struct json_object	*data = svc_data(s);
	int			 rc;

	rc = health_wait(e, s, data, timeout > 0 ? timeout :
	    s->class->create_timeout_ns);
	if (rc == 0)
		rc = render_outputs(s);
	if (svc_save(e, s) < 0 && rc == 0)
		rc = EXIT_IO;
	json_object_put(data);
	return rc;
}

int
svc_start(struct svcenv *e, const char *name, int64_t timeout,
    struct json_object **out)
{
	struct svc	s;
	int		rc;

	*out = NULL;
	if ((rc = open_existing(e, name, &s)) != 0)
		return rc;
	rc = running(&s) ? settle(e, &s, timeout) : bring_up(e, &s, timeout, 1);
	*out = view(&s);
	svc_close(&s);
	return rc;
}

int
svc_stop(struct svcenv *e, const char *name, struct json_object **out)
{
	struct svc	s;
	int		rc;

	*out = NULL;
	if ((rc = svc_open(e, name, &s)) == 1) {
		error("no service '%s'; see 'muster service list'", name);
		rc = EXIT_STATE;
	} else if (rc == 0) {
		rc = bring_down(e, &s);
		*out = view(&s);
	}
	svc_close(&s);
	return rc;
}

int
svc_restart(struct svcenv *e, const char *name, int64_t timeout,
    struct json_object **out)
{
	struct buf		 err = BUF_INIT;
	struct svc		 s;
	int			 rc;

	*out = NULL;
	if ((rc = open_existing(e, name, &s)) != 0)
		return rc;
	if (s.class->restart != NULL) {
		/* The class knows how: its restart tool, then health. */
		if (lifecycle(e, &s, s.class->restart, timeout > 0 ?
		    timeout : s.class->create_timeout_ns, &err) < 0) {
			svc_set_state(&s, "failed", buf_str(&err));
			rc = EXIT_STEP_FAILED;
			svc_save(e, &s);
		} else
			rc = settle(e, &s, timeout);
	} else if ((rc = bring_down(e, &s)) == 0)
		rc = bring_up(e, &s, timeout, 1);
	*out = view(&s);
	svc_close(&s);
	buf_release(&err);
	return rc;
}

int
svc_scale(struct svcenv *e, const char *name, int64_t replicas,
    int64_t timeout, struct json_object **out)
{
	struct buf		 err = BUF_INIT;
	struct svc		 s;
	int			 rc;

	*out = NULL;
	if ((rc = open_existing(e, name, &s)) != 0)
		return rc;
	if (s.class->scale == NULL) {
		error("service class '%s' has no scale tool (lifecycleTools."
		    "scale or lifecycle.scaleTool)", s.class->name);
		svc_close(&s);
		return EXIT_STEP_FAILED;
	}
	json_set(s.rec, "replicas", json_object_new_int64(replicas));
	if (lifecycle(e, &s, s.class->scale, timeout > 0 ? timeout :
	    s.class->create_timeout_ns, &err) < 0) {
		error("scale '%s': %s", name, buf_str(&err));
		rc = EXIT_STEP_FAILED;
	} else
		rc = svc_save(e, &s) < 0 ? EXIT_IO : 0;
	*out = view(&s);
	svc_close(&s);
	buf_release(&err);
	return rc;
}

/* The other instances that depend on name, as "a, b", or NULL. */
static char *
dependents(struct svcenv *e, const char *name)
{
	struct json_object	*all;
	struct buf		 b = BUF_INIT;
	size_t			 i, k;

	svc_list(e, &all);
	for (i = 0; i < json_object_array_length(all); i++) {
		struct json_object	*r = json_object_array_get_idx(all, i);
		struct json_object	*d = json_object_object_get(r,
					    "depends_on");

		for (k = 0; k < json_object_array_length(d); k++)
			if (strcmp(json_object_get_string(
			    json_object_array_get_idx(d, k)), name) == 0)
				buf_printf(&b, "%s%s", b.len ? ", " : "",
				    json_object_get_string(
				    json_object_object_get(r, "name")));
	}
	json_object_put(all);
	return b.s;
}

int
svc_delete(struct svcenv *e, const char *name, bool force,
    struct json_object **out)
{
	static const char *const ext[] = { "json", "log", "exit" };
	struct svc	 s;
	char		*users, *file;
	size_t		 i;
	int		 rc;

	*out = NULL;
	if ((users = dependents(e, name)) != NULL && !force) {
		error("service '%s' is needed by %s; delete those first, or use "
		    "--force", name, users);
		free(users);
		return EXIT_USAGE;
	}
	free(users);
	if ((rc = svc_open(e, name, &s)) == 1) {
		error("no service '%s'; see 'muster service list'", name);
		svc_close(&s);
		return EXIT_STATE;
	}
	if (rc == EXIT_STATE && force)
		/* A record that cannot be read can only be forgotten. */
		warn("forgetting service '%s' as it is; whatever it ran is left "
		    "alone", name);
	else if (rc != 0) {
		svc_close(&s);
		return rc;
	} else {
		bring_down(e, &s);
		svc_set_state(&s, "deleted", NULL);
		*out = view(&s);
	}
	for (i = 0; i < nitems(ext); i++) {
		file = xasprintf("%s.%s", name, ext[i]);
		unlinkat(e->dirfd, file, 0);
		free(file);
	}
	/* Without a record, closing removes the lock file too. */
	json_object_put(s.rec);
	s.rec = NULL;
	svc_close(&s);
	return 0;
}

int
svc_status(struct svcenv *e, const char *name, struct json_object **out)
{
	struct json_object	*data;
	struct buf		 err = BUF_INIT;
	struct svc		 s;
	const char		*st;
	int			 rc;

	*out = NULL;
	if ((rc = open_existing(e, name, &s)) != 0)
		return rc;
	st = svc_str(&s, "state");
	/* Health is looked at when asked: now. */
	if (strcmp(st, "stopped") != 0 && strcmp(st, "failed") != 0) {
		if (s.class->status != NULL &&
		    lifecycle(e, &s, s.class->status,
		    s.class->health_timeout_ns, &err) < 0)
			svc_set_state(&s, "failed", buf_str(&err));
		else {
			data = svc_data(&s);
			health_probe(e, &s, data);
			json_object_put(data);
			render_outputs(&s);	/* status never fails */
		}
		if (svc_save(e, &s) < 0)
			rc = EXIT_IO;
	}
	*out = view(&s);
	svc_close(&s);
	buf_release(&err);
	return rc;
}

int
svc_wait(struct svcenv *e, const char *name, int64_t timeout,
    struct json_object **out)
{
	struct svc	s;
	int		rc;

	*out = NULL;
	if ((rc = open_existing(e, name, &s)) != 0)
		return rc;
	if (strcmp(svc_str(&s, "state"), "stopped") == 0) {
		error("service '%s' is stopped; start it with 'muster service "
		    "start %s'", name, name);
		rc = EXIT_STEP_FAILED;
	} else
		rc = settle(e, &s, timeout);
	*out = view(&s);
	svc_close(&s);
	return rc;
}
