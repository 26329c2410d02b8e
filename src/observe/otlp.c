/* otlp.c: an execution as OpenTelemetry spans in OTLP/JSON. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "base/util.h"
#include "base/value.h"
#include "def/project.h"
#include "observe/otlp.h"
#include "observe/timeline.h"
#include "state/usage.h"

static void
attr(struct json_object *attrs, const char *key, struct json_object *v,
    const char *type)
{
	struct json_object	*a = json_object_new_object();
	struct json_object	*val = json_object_new_object();

	json_set(a, "key", json_str(key));
	/* OTLP/JSON writes 64-bit integers as strings. */
	if (strcmp(type, "intValue") == 0) {
		struct json_object	*n;

		n = json_str(json_object_get_string(v));

		json_object_put(v);
		v = n;
	}
	json_set(val, type, v);
	json_set(a, "value", val);
	json_object_array_add(attrs, a);
}

static struct json_object *
nanos(int64_t us)
{
	char	s[32];

	snprintf(s, sizeof s, "%lld", (long long)us * 1000);
	return json_str(s);
}

static struct json_object *
span(const char *trace, unsigned id, unsigned parent, const char *name,
    int64_t start, int64_t end, bool ok)
{
	struct json_object	*o = json_object_new_object(), *st;
	char			 hex[20];

	json_set(o, "traceId", json_str(trace));
	snprintf(hex, sizeof hex, "%016x", id);
	json_set(o, "spanId", json_str(hex));
	if (parent != 0) {
		snprintf(hex, sizeof hex, "%016x", parent);
		json_set(o, "parentSpanId", json_str(hex));
	}
	json_set(o, "name", json_str(name));
	json_set(o, "kind", json_object_new_int(1));
	json_set(o, "startTimeUnixNano", nanos(start));
	json_set(o, "endTimeUnixNano", nanos(end));
	st = json_object_new_object();
	json_set(st, "code", json_object_new_int(ok ? 1 : 2));
	json_set(o, "status", st);
	json_set(o, "attributes", json_object_new_array());
	return o;
}

static void
attempt_attrs(struct json_object *o, const struct span *s)
{
	struct json_object	*a = json_object_object_get(o, "attributes");

	attr(a, "muster.step", json_str(s->key), "stringValue");
	attr(a, "muster.status", json_str(s->status), "stringValue");
	attr(a, "muster.attempt", json_object_new_int(s->attempt),
	    "intValue");
	if (s->exit_code >= 0)
		attr(a, "process.exit.code", json_object_new_int(s->exit_code),
		    "intValue");
	if (s->has_usage) {
		attr(a, "process.cpu.time", json_object_new_double((double)
		    usage_cpu_us(&s->usage) / 1e6), "doubleValue");
		attr(a, "process.memory.max_rss", json_object_new_int64(
		    s->usage.max_rss_kb * 1024), "intValue");
	}
	if (s->error != NULL)
		attr(a, "muster.error", json_str(s->error), "stringValue");
}

int
otlp_write(FILE *f, const char *state_dir, const char *id,
    const struct project *p)
{
	struct timeline		*t;
	struct json_object	*doc, *rs, *ss, *spans, *root;
	char			 trace[40] = "", *q = trace;
	const char		*c;
	size_t			 i;
	int			 rc;

	if ((rc = timeline_load(state_dir, id, &t)) != 0)
		return rc;
	for (c = id; *c != '\0'; c++)
		if (*c != '-')
			*q++ = *c;
	snprintf(q, sizeof trace - (size_t)(q - trace), "%0*d",
	    32 - (int)(q - trace), 0);
	spans = json_object_new_array();
	root = span(trace, 1, 0, t->workflow, t->start_us, t->end_us,
	    strcmp(t->status, "completed") == 0);
	attr(json_object_object_get(root, "attributes"), "muster.execution_id",
	    json_str(t->id), "stringValue");
	json_object_array_add(spans, root);
	for (i = 0; i < t->n; i++) {
		const struct span	*s = &t->spans[i];
		struct json_object	*o = span(trace, (unsigned)i + 2, 1,
					    s->key, s->start_us, s->end_us,
					    strcmp(s->status, "failed") != 0);

		attempt_attrs(o, s);
		json_object_array_add(spans, o);
	}
	ss = json_object_new_object();
	json_set(ss, "scope", json_object_new_object());
	json_set(json_object_object_get(ss, "scope"), "name",
	    json_str("muster"));
	json_set(ss, "spans", spans);
	rs = json_object_new_object();
	json_set(rs, "resource", json_object_new_object());
	json_set(json_object_object_get(rs, "resource"), "attributes",
	    json_object_new_array());
	attr(json_object_object_get(json_object_object_get(rs, "resource"),
	    "attributes"), "service.name", json_str("muster"), "stringValue");
	json_set(rs, "scopeSpans", json_object_new_array());
	json_object_array_add(json_object_object_get(rs, "scopeSpans"), ss);
	doc = json_object_new_object();
	json_set(doc, "resourceSpans", json_object_new_array());
	json_object_array_add(json_object_object_get(doc, "resourceSpans"), rs);
	fprintf(f, "%s\n", json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(doc);
	timeline_free(t);
	(void)p;
	return 0;
}
