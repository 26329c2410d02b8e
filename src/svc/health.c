/* svc-health.c: probing a service, counted against its thresholds. */
#include <fcntl.h>
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "engine/call.h"
#include "svc/probe.h"
#include "state/record.h"
#include "engine/render.h"
#include "svc/service.h"
#include "engine/tool.h"
#include "base/value.h"

/* Renders t (or returns def when absent) into b; -1 with err. */
static int
text(const struct tstr *t, struct json_object *data, const char *def,
    struct buf *b, struct buf *err)
{
	buf_truncate(b, 0);
	if (t->src == NULL) {
		buf_adds(b, def);
		return 0;
	}
	return render_text(t, data, 0, b, err);
}

static int
probe_http(struct svc *s, struct json_object *data, struct buf *why)
{
	const struct service_class	*c = s->class;
	struct buf			 port = BUF_INIT, path = BUF_INIT;
	struct buf			 host = BUF_INIT, scheme = BUF_INIT;
	int				 ok = 0;

	if (text(&c->http_port, data, "80", &port, why) == 0 &&
	    text(&c->http_path, data, "/", &path, why) == 0 &&
	    text(&c->http_host, data, "127.0.0.1", &host, why) == 0 &&
	    text(&c->http_scheme, data, "http", &scheme, why) == 0)
		ok = health_http(buf_str(&scheme), buf_str(&host),
		    buf_str(&port), buf_str(&path), c->health_timeout_ns, why);
	buf_release(&port);
	buf_release(&path);
	buf_release(&host);
	buf_release(&scheme);
	return ok;
}

static int
probe_tcp(struct svc *s, struct json_object *data, struct buf *why)
{
	struct buf	port = BUF_INIT, host = BUF_INIT;
	int		ok = 0;

	if (text(&s->class->tcp_port, data, "80", &port, why) == 0 &&
	    text(&s->class->tcp_host, data, "127.0.0.1", &host, why) == 0)
		ok = health_tcp(buf_str(&host), buf_str(&port),
		    s->class->health_timeout_ns, why);
	buf_release(&port);
	buf_release(&host);
	return ok;
}

static int
probe_exec(struct svcenv *e, struct svc *s, struct json_object *data,
    struct buf *why)
{
	struct strv	 argv = STRV_INIT, env = STRV_INIT;
	struct buf	 arg = BUF_INIT;
	char		*log = xasprintf("%s.log", s->name);
	const char	*kv[] = { "MUSTER_SERVICE", s->name, NULL };
	size_t		 i;
	int		 ok = 0, fd;

	for (i = 0; i < s->class->nexec_cmd; i++) {
		if (text(&s->class->exec_cmd[i], data, "", &arg, why) < 0)
			goto out;
		strv_add(&argv, xstrdup(buf_str(&arg)));
	}
	if (tool_env(&env, NULL, data, kv, why) < 0)
		goto out;
	fd = openat(e->dirfd, log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	ok = health_exec(argv.v, env.v, e->p->root, fd,
	    s->class->health_timeout_ns, why);
	if (fd >= 0)
		close(fd);
out:
	strv_release(&argv);
	strv_release(&env);
	buf_release(&arg);
	free(log);
	return ok;
}

/* The healthCheck lifecycle tool, with its expectations. */
static int
probe_tool(struct svcenv *e, struct svc *s, struct json_object *data,
    struct buf *why)
{
	const struct lifecycle	*lc = s->class->health_tool;
	struct json_object	*args = NULL, *res = NULL;
	struct call_opts	 co = { .log_fd = -1, .silent = 1, .verbose = -1,
				    .timeout_ns = s->class->health_timeout_ns };
	char			*log = xasprintf("%s.log", s->name);
	int			 rc, ok;

	co.log_fd = openat(e->dirfd, log, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	free(log);
	if (lc->args != NULL && render_value(lc->args, data, &args, why) < 0) {
		if (co.log_fd >= 0)
			close(co.log_fd);
		return 0;
	}
	rc = call_tool(e->p, lc->tool, args, &co, &res, why);
	if (co.log_fd >= 0)
		close(co.log_fd);
	ok = expect_check(&lc->expect, &lc->expect_not, rc == 0, res, data,
	    why);
	if (ok == 0 && why->len == 0)
		buf_printf(why, "tool '%s' did not give what healthCheck "
		    "expects", lc->tool);
	json_object_put(args);
	json_object_put(res);
	return ok == 1;
}

/* One probe by the class's means; without any, a live daemon is healthy. */
static int
probe(struct svcenv *e, struct svc *s, struct json_object *data,
    struct buf *why)
{
	if (!s->class->health_enabled)
		return 1;
	switch (s->class->probe) {
	case PROBE_HTTP:
		return probe_http(s, data, why);
	case PROBE_TCP:
		return probe_tcp(s, data, why);
	case PROBE_EXEC:
		return probe_exec(e, s, data, why);
	case PROBE_TOOL:
		return probe_tool(e, s, data, why);
	default:
		return 1;
	}
}

int
health_port_taken(struct svc *s, struct json_object *data, struct buf *why)
{
	const struct service_class	*c = s->class;
	struct buf			 port = BUF_INIT, host = BUF_INIT;
	struct buf			 err = BUF_INIT;
	int				 taken = 0;

	if (!c->health_enabled || c->ndaemon_cmd == 0 ||
	    (c->probe != PROBE_HTTP && c->probe != PROBE_TCP))
		return 0;
	if (c->probe == PROBE_HTTP ?
	    text(&c->http_port, data, "80", &port, &err) == 0 &&
	    text(&c->http_host, data, "127.0.0.1", &host, &err) == 0 :
	    text(&c->tcp_port, data, "80", &port, &err) == 0 &&
	    text(&c->tcp_host, data, "127.0.0.1", &host, &err) == 0)
		taken = health_tcp(buf_str(&host), buf_str(&port),
		    c->health_timeout_ns < 1000000000 ? c->health_timeout_ns :
		    1000000000, &err);
	if (taken)
		buf_printf(why, "port %s on %s answers before the daemon "
		    "started: another process serves it", buf_str(&port),
		    buf_str(&host));
	buf_release(&port);
	buf_release(&host);
	buf_release(&err);
	return taken;
}

static int
counter(struct json_object *h, const char *key)
{
	return json_object_get_int(json_object_object_get(h, key));
}

int
health_probe(struct svcenv *e, struct svc *s, struct json_object *data)
{
	struct json_object	*h;
	struct buf		 why = BUF_INIT;
	char			 t[40];
	int			 ok, succ, fail;

	if (!json_object_object_get_ex(s->rec, "health", &h) ||
	    !json_object_is_type(h, json_type_object)) {
		h = json_object_new_object();
		json_set(s->rec, "health", h);
	}
	if (json_object_object_get(s->rec, "daemon") != NULL &&
	    !daemon_alive(s)) {
		daemon_reap(e, s);
		json_set(h, "status", json_str("unhealthy"));
		return 0;
	}
	ok = probe(e, s, data, &why);
	/* An answer while its own daemon is dead came from someone else. */
	if (ok && json_object_object_get(s->rec, "daemon") != NULL &&
	    !daemon_alive(s)) {
		buf_release(&why);
		daemon_reap(e, s);
		json_set(h, "status", json_str("unhealthy"));
		return 0;
	}
	succ = ok ? counter(h, "successes") + 1 : 0;
	fail = ok ? 0 : counter(h, "failures") + 1;
	record_time(t, sizeof t, clock_wall_ns());
	json_set(h, "successes", json_object_new_int(succ));
	json_set(h, "failures", json_object_new_int(fail));
	json_set(h, "checked_at", json_str(t));
	json_set(h, "message", ok ? NULL : json_str(buf_str(&why)));
	/* The thresholds decide; between them the state stays. */
	if (succ >= s->class->success_threshold) {
		json_set(h, "status", json_str("healthy"));
		svc_set_state(s, "healthy", NULL);
	} else if (fail >= s->class->failure_threshold) {
		json_set(h, "status", json_str("unhealthy"));
		svc_set_state(s, "unhealthy", buf_str(&why));
	}
	buf_release(&why);
	return ok;
}

int
health_wait(struct svcenv *e, struct svc *s, struct json_object *data,
    int64_t timeout_ns)
{
	int64_t		 end = clock_mono_ns() + timeout_ns;
	const char	*st;

	/* initialDelaySeconds: the service is given that long to start. */
	if (s->class->initial_delay_ns > 0) {
		int64_t		d = s->class->initial_delay_ns < timeout_ns ?
				    s->class->initial_delay_ns : timeout_ns;
		struct timespec	ts = { (time_t)(d / 1000000000),
				    (long)(d % 1000000000) };

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	for (;;) {
		health_probe(e, s, data);
		st = svc_str(s, "state");
		if (strcmp(st, "healthy") == 0)
			return 0;
		if (strcmp(st, "failed") == 0)
			return EXIT_STEP_FAILED;
		if (clock_mono_ns() + s->class->interval_ns > end) {
			struct json_object	*h = json_object_object_get(
						    s->rec, "health");
			const char		*m = json_object_get_string(
						    json_object_object_get(h,
						    "message"));
			char			*why = xasprintf("not healthy "
						    "in time%s%s", m ? ": " : "",
						    m ? m : "");

			svc_set_state(s, "unhealthy", why);
			free(why);
			return EXIT_STEP_FAILED;
		}
		/* Failures while it comes up do not count against it. */
		json_set(json_object_object_get(s->rec, "health"), "failures",
		    json_object_new_int(0));
		usleep((useconds_t)(s->class->interval_ns / 1000));
	}
}
