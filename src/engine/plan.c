/* plan.c: `muster run -n`: the plan of a run, written and run nowhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "def/graph.h"
#include "engine/mask.h"
#include "engine/plan.h"
#include "engine/render.h"
#include "tmpl/tmpl.h"
#include "base/value.h"

/* A value as written, templates as their source. */
static struct json_object *
source(const struct tval *v)
{
	struct json_object	*o;
	size_t			 i;

	switch (v->kind) {
	case TV_CONST:
		return json_object_get(v->json);
	case TV_TMPL:
		return json_object_new_string(v->str.src);
	case TV_LIST:
		o = json_object_new_array();
		for (i = 0; i < v->n; i++)
			json_object_array_add(o, source(v->items[i]));
		return o;
	case TV_MAP:
		o = json_object_new_object();
		for (i = 0; i < v->n; i++)
			json_set(o, v->keys[i], source(v->items[i]));
		return o;
	}
	return NULL;
}

/* Rendered where the input decides it, else its source, leaf by leaf. */
static struct json_object *
best(const struct tval *v, struct json_object *root)
{
	struct json_object	*o;
	struct buf		 err = BUF_INIT;
	size_t			 i;

	if (v->kind == TV_LIST || v->kind == TV_MAP) {
		o = v->kind == TV_LIST ? json_object_new_array() :
		    json_object_new_object();
		for (i = 0; i < v->n; i++) {
			if (v->kind == TV_LIST)
				json_object_array_add(o, best(v->items[i],
				    root));
			else
				json_set(o, v->keys[i], best(v->items[i],
				    root));
		}
		return o;
	}
	if (render_value(v, root, &o, &err) < 0)
		o = source(v);
	buf_release(&err);
	return o;
}

/* Rendered text and values are masked; names and sources are not. */
static struct json_object *
plan_step(const struct step *s, struct json_object *root,
    const struct mask *m)
{
	struct json_object	*o = json_object_new_object(), *d, *v;
	struct buf		 b = BUF_INIT, err = BUF_INIT;
	char			*txt;
	size_t			 k;
	static const char *const kinds[] = { "tool", "run", "forEach",
				    "parallel" };

	json_set(o, "id", json_str(s->id));
	json_set(o, "kind", json_str(kinds[s->kind]));
	if (s->kind == STEP_TOOL) {
		json_set(o, "tool", json_str(s->tool_name));
		v = s->args ? best(s->args, root) : json_object_new_object();
		json_set(o, "args", mask_json(m, v));
		json_object_put(v);
	} else if (s->kind == STEP_RUN) {
		if (render_text(&s->run, root, TMPL_SHELL, &b, &err) < 0) {
			buf_truncate(&b, 0);
			buf_adds(&b, s->run.src);
		}
		txt = mask_str(m, buf_str(&b));
		json_set(o, "run", json_str(txt));
		free(txt);
	} else if (s->kind == STEP_FOREACH) {
		struct tval	t = { .kind = TV_TMPL, .str = s->items };

		v = best(s->items_const ? s->items_const : &t, root);
		json_set(o, "items", mask_json(m, v));
		json_object_put(v);
		json_set(o, "as", json_str(s->as));
		json_set(o, "maxParallel", json_object_new_int(s->max_parallel));
	}
	d = json_object_new_array();
	for (k = 0; k < s->ndeps && s->parent == NULL; k++)
		json_object_array_add(d, json_str(s->dep_steps[k]->id));
	json_set(o, "dependsOn", d);
	if (s->cond != NULL && s->cond->kind == COND_TEMPLATE) {
		buf_truncate(&b, 0);
		buf_truncate(&err, 0);
		json_set(o, "condition", json_str(s->cond->tmpl.src));
		if (render_text(&s->cond->tmpl, root, 0, &b, &err) == 0)
			json_set(o, "skip", json_object_new_boolean(
			    strcmp(buf_str(&b), "false") == 0));
	}
	if (s->nsub > 0) {
		d = json_object_new_array();
		for (k = 0; k < s->nsub; k++)
			json_object_array_add(d, plan_step(s->sub[k], root,
			    m));
		json_set(o, "steps", d);
	}
	buf_release(&b);
	buf_release(&err);
	return o;
}

static void
print_step(struct json_object *s, int indent)
{
	struct json_object	*v, *d = json_object_object_get(s, "dependsOn");
	const char		*kind = json_object_get_string(
				    json_object_object_get(s, "kind"));
	const char		*script = NULL;
	size_t			 k;

	printf("%*s%s: ", indent, "", json_object_get_string(
	    json_object_object_get(s, "id")));
	if (strcmp(kind, "tool") == 0)
		printf("tool %s %s", json_object_get_string(
		    json_object_object_get(s, "tool")),
		    json_object_to_json_string_ext(json_object_object_get(s,
		    "args"), JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	else if (strcmp(kind, "run") == 0) {
		script = json_object_get_string(json_object_object_get(s,
		    "run"));
		/* A script of several lines goes under the step, indented. */
		if (strchr(script, '\n') != NULL &&
		    strchr(script, '\n')[1] != '\0')
			printf("run:");
		else {
			printf("run %.*s", (int)strcspn(script, "\n"), script);
			script = NULL;
		}
	}
	else if (strcmp(kind, "forEach") == 0)
		printf("for each %s in %s", json_object_get_string(
		    json_object_object_get(s, "as")),
		    json_object_to_json_string_ext(json_object_object_get(s,
		    "items"), JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		printf("in parallel");
	for (k = 0; k < json_object_array_length(d); k++)
		printf("%s%s", k ? ", " : "; after ", json_object_get_string(
		    json_object_array_get_idx(d, k)));
	if ((v = json_object_object_get(s, "condition")) != NULL)
		printf("; if %s", json_object_get_string(v));
	if ((v = json_object_object_get(s, "skip")) != NULL)
		printf(json_object_get_boolean(v) ? " (false: skipped)" :
		    " (true)");
	putchar('\n');
	while (script != NULL && *script != '\0') {
		k = strcspn(script, "\n");
		printf("%*s%.*s\n", k > 0 ? indent + 4 : 0, "", (int)k, script);
		script += k + (script[k] == '\n');
	}
	d = json_object_object_get(s, "steps");
	for (k = 0; d != NULL && k < json_object_array_length(d); k++)
		print_step(json_object_array_get_idx(d, k), indent + 2);
}

static struct json_object *
plan_steps(struct step *const *s, size_t n, struct json_object *root,
    struct mask *m)
{
	struct json_object	*a = json_object_new_array();
	size_t			 i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, plan_step(s[i], root, m));
	return a;
}

int
plan_print(struct project *p, struct workflow *w, struct json_object *input,
    int json)
{
	struct json_object	*root, *e, *plan, *steps, *cleanup;
	struct step		**order = xcalloc(w->nsteps + 1, sizeof *order);
	struct mask		*m = mask_new();
	size_t			 i;

	(void)p;
	e = json_object_new_object();
	json_set(e, "id", json_str("(dry run)"));
	json_set(e, "workflow", json_str(w->name));
	root = render_root(input, NULL, NULL, e, NULL, NULL);
	json_object_put(e);
	graph_order(w, order);
	plan = json_object_new_object();
	steps = json_object_new_array();
	json_set(plan, "workflow", json_str(w->name));
	json_set(plan, "input", mask_args(&w->args, input));
	mask_add_secrets(m, &w->args, input);
	for (i = 0; i < w->nsteps; i++)
		json_object_array_add(steps, plan_step(order[i], root, m));
	json_set(plan, "steps", steps);
	json_set(plan, "onFailure", plan_steps(w->on_failure, w->non_failure,
	    root, m));
	json_set(plan, "recovery", plan_steps(w->recovery, w->nrecovery, root,
	    m));
	if (json)
		json_print(stdout, plan);
	else {
		printf("plan of workflow %s (dry run: nothing runs, nothing is "
		    "written)\n", w->name);
		steps = json_object_object_get(plan, "steps");
		for (i = 0; i < json_object_array_length(steps); i++)
			print_step(json_object_array_get_idx(steps, i), 2);
		cleanup = json_object_object_get(plan, "onFailure");
		if (json_object_array_length(cleanup) > 0)
			printf("on failure:\n");
		for (i = 0; i < json_object_array_length(cleanup); i++)
			print_step(json_object_array_get_idx(cleanup, i), 2);
		cleanup = json_object_object_get(plan, "recovery");
		if (json_object_array_length(cleanup) > 0)
			printf("recovery (when an onError rule redirects):\n");
		for (i = 0; i < json_object_array_length(cleanup); i++)
			print_step(json_object_array_get_idx(cleanup, i), 2);
	}
	json_object_put(plan);
	json_object_put(root);
	mask_free(m);
	free(order);
	return 0;
}
