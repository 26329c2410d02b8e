/* render.c: templates of a workflow rendered against a run's data. */
#include <string.h>

#include <json-c/json.h>

#include "engine/render.h"
#include "tmpl/tmpl.h"
#include "base/value.h"

void
render_alias(struct json_object *root, const char *key,
    struct json_object *result)
{
	if (tmpl_root(key))
		return;
	/* An argument of that name keeps it (the loader forbids both). */
	if (json_object_object_get_ex(json_object_object_get(root, "input"),
	    key, NULL))
		return;
	json_set(root, key, json_object_get(result));
}

/* Each step of steps (and inside them) whose result is in results, as
 * .<step id>: as many copies as the workflow has steps, whatever the
 * number of forEach iterations. */
static void
alias_steps(struct json_object *r, struct json_object *results,
    struct step **steps, size_t n)
{
	struct json_object	*v;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (json_object_object_get_ex(results, steps[i]->id, &v))
			render_alias(r, steps[i]->id, v);
		alias_steps(r, results, steps[i]->sub, steps[i]->nsub);
	}
}

struct json_object *
render_root(struct json_object *input, struct json_object *results,
    struct json_object *steps, struct json_object *execution,
    struct json_object *vars, const struct workflow *w)
{
	struct json_object	*r = json_object_new_object();

	json_set(r, "input", json_object_get(input));
	json_set(r, "results", json_object_get(results));
	/* .context: muster's legacy name of .results */
	json_set(r, "context", json_object_get(results));
	json_set(r, "steps", json_object_get(steps));
	json_set(r, "vars", vars != NULL ? json_object_get(vars) :
	    json_object_new_object());
	json_set(r, "execution", json_object_get(execution));
	if (json_object_is_type(input, json_type_object)) {
		json_object_object_foreach(input, k, v) {
			if (!tmpl_root(k))
				json_set(r, k, json_object_get(v));
		}
	}
	/* Results so far by step id (.build.tag as .results.build.tag),
	 * when some template reads them so. */
	if (w != NULL && w->reads_step_roots &&
	    json_object_is_type(results, json_type_object))
		alias_steps(r, results, w->steps, w->nsteps);
	return r;
}

static void
tmpl_fail(struct buf *err, const struct tstr *t, const struct tmpl_error *e)
{
	struct loc	l = tstr_loc(t, e->line, e->col);

	buf_printf(err, "%s:%d:%d: %s", l.file, l.line, l.col, e->msg);
}

int
render_text(const struct tstr *t, struct json_object *root, unsigned flags,
    struct buf *out, struct buf *err)
{
	struct tmpl_error	e;

	if (t->t == NULL) {
		buf_adds(out, t->src);
		return 0;
	}
	if (tmpl_render(t->t, root, flags, out, &e) == 0)
		return 0;
	tmpl_fail(err, t, &e);
	return -1;
}

int
render_value(const struct tval *v, struct json_object *root,
    struct json_object **out, struct buf *err)
{
	struct json_object	*o;
	struct tmpl_error	 e;
	size_t			 i;

	*out = NULL;
	switch (v->kind) {
	case TV_CONST:
		*out = json_object_get(v->json);
		return 0;
	case TV_TMPL:
		if (v->str.t == NULL) {		/* text without actions */
			*out = json_object_new_string(v->str.src != NULL ?
			    v->str.src : "");
			return 0;
		}
		if (tmpl_eval(v->str.t, root, 0, out, &e) == 0)
			return 0;
		tmpl_fail(err, &v->str, &e);
		return -1;
	case TV_LIST:
		o = json_object_new_array_ext((int)v->n);
		for (i = 0; i < v->n; i++) {
			struct json_object	*item;

			if (render_value(v->items[i], root, &item, err) < 0) {
				json_object_put(o);
				return -1;
			}
			json_object_array_add(o, item);
		}
		*out = o;
		return 0;
	case TV_MAP:
		o = json_object_new_object();
		for (i = 0; i < v->n; i++) {
			struct json_object	*item;

			if (render_value(v->items[i], root, &item, err) < 0) {
				json_object_put(o);
				return -1;
			}
			json_set(o, v->keys[i], item);
		}
		*out = o;
		return 0;
	}
	return -1;
}

void
render_plain(struct buf *b, struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		buf_add(b, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
		break;
	case json_type_null:
		break;
	default:
		json_to_buf(b, v);
	}
}
