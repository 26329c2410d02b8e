/* builtin.c: muster's built-in tools, run inside muster itself. */
#include <stdlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "engine/builtin.h"
#include "engine/exec.h"
#include "def/builtins.h"
#include "def/project.h"
#include "state/record.h"
#include "base/util.h"
#include "base/value.h"

typedef int	(*builtin_fn)(struct project *, struct json_object *,
		    struct json_object **, struct buf *);

static int	workflow_list(struct project *, struct json_object *,
		    struct json_object **, struct buf *);
static int	execution_list(struct project *, struct json_object *,
		    struct json_object **, struct buf *);
static int	execution_get(struct project *, struct json_object *,
		    struct json_object **, struct buf *);

/* The built-ins muster runs in-process; the others of def/builtins.c run
 * as `muster service` subcommands. */
static const struct {
	const char	*name;
	builtin_fn	 fn;
} impls[] = {
	{ "core_serviceclass_list", builtin_serviceclass_list },
	{ "core_serviceclass_available", builtin_serviceclass_available },
	{ "core_workflow_list", workflow_list },
	{ "core_workflow_execution_list", execution_list },
	{ "core_workflow_execution_get", execution_get },
};

int
builtin_call(struct project *p, int i, struct json_object *args,
    struct json_object **result, struct buf *err)
{
	size_t	k;

	*result = NULL;
	for (k = 0; k < nitems(impls); k++)
		if (strcmp(impls[k].name, builtin_name((size_t)i)) == 0)
			return impls[k].fn(p, args, result, err);
	buf_printf(err, "%s runs as a process, not in muster",
	    builtin_name((size_t)i));
	return -1;
}

int
builtin_arg_str(struct json_object *args, const char *key, const char **out,
    struct buf *err)
{
	struct json_object	*v;

	*out = NULL;
	if (!json_object_object_get_ex(args, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		buf_printf(err, "argument '%s' must be a string", key);
		return -1;
	}
	*out = json_object_get_string(v);
	return 0;
}

int
builtin_arg_int(struct json_object *args, const char *key, int64_t def, int64_t min,
    int64_t max, int64_t *out, struct buf *err)
{
	struct json_object	*v;

	*out = def;
	if (!json_object_object_get_ex(args, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < min || json_object_get_int64(v) > max) {
		buf_printf(err, "argument '%s' must be an integer from %lld to "
		    "%lld", key, (long long)min, (long long)max);
		return -1;
	}
	*out = json_object_get_int64(v);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp((*(struct workflow *const *)a)->name,
	    (*(struct workflow *const *)b)->name);
}

static int
workflow_list(struct project *p, struct json_object *args,
    struct json_object **result, struct buf *err)
{
	struct json_object	 *list = json_object_new_array();
	struct workflow		**w = xcalloc(p->nworkflows + 1, sizeof *w);
	size_t			  i;

	(void)args;
	(void)err;
	memcpy(w, p->workflows, p->nworkflows * sizeof *w);
	xqsort(w, p->nworkflows, sizeof *w, by_name);
	for (i = 0; i < p->nworkflows; i++) {
		struct json_object	*o = json_object_new_object();

		json_set(o, "name", json_str(w[i]->name));
		json_set(o, "available", json_object_new_boolean(1));
		if (w[i]->description != NULL)
			json_set(o, "description",
			    json_str(w[i]->description));
		json_object_array_add(list, o);
	}
	free(w);
	*result = json_object_new_object();
	json_set(*result, "workflows", list);
	return 0;
}

static bool
status_matches(struct json_object *summary, const char *want)
{
	const char	*st = json_object_get_string(
			    json_object_object_get(summary, "status"));

	if (want == NULL)
		return true;
	if (st == NULL)
		return false;
	/* The older name of "running". */
	if (strcmp(want, "inprogress") == 0)
		want = "running";
	return strcmp(st, want) == 0;
}

static int
execution_list(struct project *p, struct json_object *args,
    struct json_object **result, struct buf *err)
{
	struct json_object	*list = json_object_new_array();
	const char		*wf, *st;
	char			*state = record_state_dir(p), **ids;
	int64_t			 limit, offset, total = 0;
	size_t			 n, i;

	if (builtin_arg_str(args, "workflow_name", &wf, err) < 0 ||
	    builtin_arg_str(args, "status", &st, err) < 0 ||
	    builtin_arg_int(args, "limit", 50, 1, 1000, &limit, err) < 0 ||
	    builtin_arg_int(args, "offset", 0, 0, INT32_MAX, &offset, err) < 0)
		goto fail;
	if (st != NULL && strcmp(st, "inprogress") != 0 &&
	    exec_status_parse(st) < 0) {
		buf_printf(err, "status must be one of running, completed, "
		    "failed, interrupted, cancelled");
		goto fail;
	}
	if (record_list(state, &ids, &n) < 0) {
		buf_printf(err, "cannot list executions");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		struct json_object	*s = record_summary(state, ids[i]);

		if (s != NULL)
			record_liveness(state, ids[i], s);
		if (s != NULL && (wf == NULL || strcmp(wf,
		    json_object_get_string(json_object_object_get(s,
		    "workflow_name"))) == 0) && status_matches(s, st)) {
			if (total >= offset && total < offset + limit)
				json_object_array_add(list,
				    json_object_get(s));
			total++;
		}
		json_object_put(s);
		free(ids[i]);
	}
	free(ids);
	free(state);
	*result = json_object_new_object();
	json_set(*result, "executions", list);
	json_set(*result, "total", json_object_new_int64(total));
	json_set(*result, "limit", json_object_new_int64(limit));
	json_set(*result, "offset", json_object_new_int64(offset));
	json_set(*result, "has_more", json_object_new_boolean(offset + limit <
	    total));
	return 0;
fail:
	json_object_put(list);
	free(state);
	return -1;
}

/* Keeps only step step_id of a record; -1 when it has none. */
static int
only_step(struct json_object *doc, const char *step_id)
{
	struct json_object	*steps = json_object_object_get(doc, "steps");
	struct json_object	*keep = json_object_new_array();
	size_t			 i;

	for (i = 0; i < json_object_array_length(steps); i++) {
		struct json_object	*s = json_object_array_get_idx(steps, i);

		if (strcmp(json_object_get_string(json_object_object_get(s,
		    "step_id")), step_id) == 0)
			json_object_array_add(keep, json_object_get(s));
	}
	if (json_object_array_length(keep) == 0) {
		json_object_put(keep);
		return -1;
	}
	json_set(doc, "steps", keep);
	return 0;
}

static int
execution_get(struct project *p, struct json_object *args,
    struct json_object **result, struct buf *err)
{
	struct json_object	*v, *doc;
	const char		*id, *step;
	char			*state;
	int			 steps = 1, rc;

	if (builtin_arg_str(args, "execution_id", &id, err) < 0 ||
	    builtin_arg_str(args, "step_id", &step, err) < 0)
		return -1;
	if (id == NULL) {
		buf_adds(err, "argument 'execution_id' is required");
		return -1;
	}
	if (json_object_object_get_ex(args, "include_steps", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_boolean)) {
			buf_adds(err, "argument 'include_steps' must be true "
			    "or false");
			return -1;
		}
		steps = json_object_get_boolean(v);
	}
	state = record_state_dir(p);
	error_capture(err);
	rc = record_read(state, id, &doc);
	error_capture_end();
	if (rc == 0)
		record_liveness(state, id, doc);
	free(state);
	if (rc != 0)
		return -1;
	record_public(doc);
	if (step != NULL && only_step(doc, step) < 0) {
		buf_printf(err, "execution '%s' has no step '%s'", id, step);
		json_object_put(doc);
		return -1;
	}
	if (!steps)
		json_object_object_del(doc, "steps");
	*result = doc;
	return 0;
}

int
builtin_normalize(int i, struct json_object *given, struct json_object **out,
    struct buf *err)
{
	const char	*name;
	int		 bad = 0;

	*out = json_object_new_object();
	if (given == NULL)
		return 0;
	json_object_object_foreach(given, k, v) {
		if ((name = builtin_arg(i, k)) == NULL) {
			builtin_bad_arg(i, k, err);
			bad = 1;
			break;
		}
		if (json_object_object_get_ex(*out, name, NULL)) {
			buf_printf(err, "'%s' is argument '%s' again", k, name);
			bad = 1;
			break;
		}
		json_set(*out, name, json_object_get(v));
	}
	if (!bad)
		return 0;
	json_object_put(*out);
	*out = NULL;
	return -1;
}
