/* trace.c: an execution as Chrome trace-event JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "base/util.h"
#include "base/value.h"
#include "def/project.h"
#include "observe/timeline.h"
#include "observe/trace.h"
#include "state/usage.h"

/* What writing one trace keeps. */
struct tracer {
	struct json_object	*events;
	const char		*state_dir;
	int64_t			 t0;	/* the top run's start */
	int			 pids;	/* processes given out */
	int			 asyncs;	/* async ids given out */
};

static struct json_object *
event(struct tracer *tr, const char *ph, const char *name, int pid, int tid,
    int64_t at_us)
{
	struct json_object	*e = json_object_new_object();

	json_set(e, "name", json_str(name));
	json_set(e, "ph", json_str(ph));
	json_set(e, "pid", json_object_new_int(pid));
	json_set(e, "tid", json_object_new_int(tid));
	if (strcmp(ph, "M") != 0)
		json_set(e, "ts", json_object_new_int64(at_us - tr->t0));
	json_object_array_add(tr->events, e);
	return e;
}

static void
meta(struct tracer *tr, const char *what, int pid, int tid, const char *name,
    int sort)
{
	struct json_object	*e = event(tr, "M", what, pid, tid, 0);
	struct json_object	*a = json_object_new_object();

	json_set(a, "name", json_str(name));
	json_set(e, "args", a);
	if (sort >= 0) {
		char	 key[32];

		snprintf(key, sizeof key, "%s_sort_index", strcmp(what,
		    "process_name") == 0 ? "process" : "thread");
		e = event(tr, "M", key, pid, tid, 0);
		a = json_object_new_object();
		json_set(a, "sort_index", json_object_new_int(sort));
		json_set(e, "args", a);
	}
}

static struct json_object *
span_args(const struct span *s)
{
	struct json_object	*a = json_object_new_object();

	json_set(a, "status", json_str(s->status));
	json_set(a, "attempt", json_object_new_int(s->attempt));
	if (s->exit_code >= 0)
		json_set(a, "exit_code", json_object_new_int(s->exit_code));
	if (s->tool != NULL)
		json_set(a, "tool", json_str(s->tool));
	if (s->has_usage)
		json_set(a, "rusage", usage_to_json(&s->usage));
	if (s->backoff_us > 0)
		json_set(a, "backoff_ms", json_object_new_int64(
		    s->backoff_us / 1000));
	if (s->error != NULL)
		json_set(a, "error", json_str(s->error));
	if (s->input != NULL)
		json_set(a, "input", json_object_get(s->input));
	json_set(a, "critical_path", json_object_new_boolean(s->critical));
	return a;
}

/* A retry's wait: an async slice from the failed attempt to the next. */
static void
backoff(struct tracer *tr, const struct span *s, int pid)
{
	struct json_object	*e;
	char			 id[24];
	int			 k;

	snprintf(id, sizeof id, "0x%x", ++tr->asyncs);
	for (k = 0; k < 2; k++) {
		e = event(tr, k ? "e" : "b", "backoff", pid, s->lane + 1,
		    k ? s->start_us : s->start_us - s->backoff_us);
		json_set(e, "cat", json_str("retry"));
		json_set(e, "id", json_str(id));
		if (k == 0) {
			struct json_object	*a = json_object_new_object();

			json_set(a, "step", json_str(s->key));
			json_set(a, "before_attempt",
			    json_object_new_int(s->attempt));
			json_set(e, "args", a);
		}
	}
}

/* A built-in service step: an instant event naming what it did. */
static void
service_op(struct tracer *tr, const struct span *s, int pid)
{
	struct json_object	*e, *a = json_object_new_object(), *v = NULL;
	char			*name;

	if (s->input != NULL)
		json_object_object_get_ex(s->input, "name", &v);
	name = xasprintf("%s%s%s", s->tool + strlen("core_"), v ? " " : "",
	    v ? json_object_get_string(v) : "");
	e = event(tr, "i", name, pid, s->lane + 1, s->end_us);
	json_set(e, "s", json_str("p"));
	json_set(e, "cat", json_str("service"));
	json_set(a, "step", json_str(s->key));
	json_set(a, "status", json_str(s->status));
	if (s->input != NULL)
		json_set(a, "input", json_object_get(s->input));
	json_set(e, "args", a);
	free(name);
}

static void
spans(struct tracer *tr, const struct timeline *t, int pid)
{
	struct json_object	*e;
	size_t			 i;
	int			 k;

	for (k = 0; k < t->lanes; k++) {
		char	name[32];

		snprintf(name, sizeof name, "slot %d", k + 1);
		meta(tr, "thread_name", pid, k + 1, name, k + 1);
	}
	for (i = 0; i < t->n; i++) {
		const struct span	*s = &t->spans[i];

		e = event(tr, "X", s->key, pid, s->lane + 1, s->start_us);
		json_set(e, "dur", json_object_new_int64(s->end_us -
		    s->start_us));
		json_set(e, "cat", json_str(!s->last ? "attempt" :
		    strcmp(s->status, "running") == 0 ? "running" : "step"));
		json_set(e, "args", span_args(s));
		if (s->backoff_us > 0)
			backoff(tr, s, pid);
		if (s->tool != NULL &&
		    strncmp(s->tool, "core_service_", 13) == 0)
			service_op(tr, s, pid);
	}
}

static int	one(struct tracer *, const char *id, const struct project *,
		    const struct timeline *parent);

/* The step of parent that started child: a workflow_ step running then. */
static const char *
caller(const struct timeline *parent, const struct timeline *child)
{
	size_t	i;

	for (i = 0; parent != NULL && i < parent->n; i++) {
		const struct span	*s = &parent->spans[i];

		if (s->tool != NULL && strncmp(s->tool, "workflow_", 9) == 0 &&
		    strcmp(s->tool + 9, child->workflow) == 0 &&
		    s->start_us <= child->start_us &&
		    child->start_us <= s->end_us)
			return s->key;
	}
	return NULL;
}

/* One execution as a process of the trace, then its children. */
static int
one(struct tracer *tr, const char *id, const struct project *p,
    const struct timeline *parent)
{
	struct timeline		*t;
	struct json_object	*e, *a;
	char			*name, **kids;
	const char		*by;
	size_t			 n, i;
	int			 pid = ++tr->pids, rc;

	if ((rc = timeline_load(tr->state_dir, id, &t)) != 0)
		return rc;
	timeline_critical(t, p != NULL ? project_workflow(p, t->workflow) :
	    NULL);
	if (parent == NULL)
		tr->t0 = t->start_us;
	by = caller(parent, t);
	name = xasprintf("workflow %s (%s)%s%s", t->workflow, t->id,
	    by ? " called by step " : "", by ? by : "");
	meta(tr, "process_name", pid, 0, name, pid);
	free(name);
	meta(tr, "thread_name", pid, 0, "run", 0);
	e = event(tr, "X", t->workflow, pid, 0, t->start_us);
	json_set(e, "dur", json_object_new_int64(t->end_us - t->start_us));
	json_set(e, "cat", json_str("execution"));
	a = json_object_new_object();
	json_set(a, "execution_id", json_str(t->id));
	json_set(a, "status", json_str(t->status));
	if (t->parent != NULL)
		json_set(a, "parent_execution_id", json_str(t->parent));
	if (by != NULL)
		json_set(a, "parent_step", json_str(by));
	if (t->error != NULL)
		json_set(a, "error", json_str(t->error));
	if (t->has_usage)
		json_set(a, "rusage", usage_to_json(&t->usage));
	json_set(a, "input", json_object_get(t->input));
	json_set(e, "args", a);
	for (i = 0; i < t->ninstants; i++) {
		e = event(tr, "i", t->instants[i].name, pid, 0,
		    t->instants[i].at_us);
		json_set(e, "s", json_str("g"));
	}
	spans(tr, t, pid);
	kids = timeline_children(tr->state_dir, id, &n);
	for (i = 0; i < n; i++) {
		if (rc == 0)
			rc = one(tr, kids[i], p, t);
		free(kids[i]);
	}
	free(kids);
	timeline_free(t);
	return rc;
}

int
trace_write(FILE *f, const char *state_dir, const char *id,
    const struct project *p)
{
	struct tracer		 tr = { .state_dir = state_dir };
	struct json_object	*doc = json_object_new_object();
	int			 rc;

	tr.events = json_object_new_array();
	json_set(doc, "traceEvents", tr.events);
	json_set(doc, "displayTimeUnit", json_str("ms"));
	if ((rc = one(&tr, id, p, NULL)) == 0) {
		fputs(json_object_to_json_string_ext(doc,
		    JSON_C_TO_STRING_PLAIN), f);
		fputc('\n', f);
	}
	json_object_put(doc);
	return rc;
}
