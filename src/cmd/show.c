/* cmd-show.c: `muster show WORKFLOW`: arguments, steps and edges. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "def/project.h"
#include "base/value.h"

static const char *const	kind_names[] = { "tool", "run", "forEach",
				    "parallel" };

static void
describe_arg(struct buf *b, const struct arg *a)
{
	buf_printf(b, "%s", arg_type_name(a->type));
	if (a->required)
		buf_adds(b, ", required");
	if (a->def != NULL) {
		buf_adds(b, ", default ");
		if (a->secret)
			buf_adds(b, "***");
		else
			json_to_buf(b, a->def);
	}
	if (a->secret)
		buf_adds(b, ", secret");
	if (a->enums != NULL) {
		buf_adds(b, ", one of ");
		json_to_buf(b, a->enums);
	}
	if (a->pattern_src != NULL)
		buf_printf(b, ", matching %s", a->pattern_src);
	if (a->has_min)
		buf_printf(b, ", min %g", a->min);
	if (a->has_max)
		buf_printf(b, ", max %g", a->max);
	if (a->min_len >= 0)
		buf_printf(b, ", minLength %" PRId64, a->min_len);
	if (a->max_len >= 0)
		buf_printf(b, ", maxLength %" PRId64, a->max_len);
}

static void
describe_step(struct buf *b, const struct step *s)
{
	size_t	k;

	if (s->kind == STEP_TOOL)
		buf_printf(b, "tool %s", s->tool_name);
	else if (s->kind == STEP_RUN)
		buf_adds(b, "run");
	else if (s->kind == STEP_FOREACH)
		buf_printf(b, "for each %s in %s", s->as,
		    s->items.src ? s->items.src : "[...]");
	else
		buf_adds(b, s->max_parallel == 1 ? "parallel, one at a time" :
		    "parallel");
	for (k = 0; k < s->ndeps; k++)
		buf_printf(b, "%s%s", k ? ", " : "; after ",
		    s->dep_steps[k]->id);
	if (s->cond != NULL)
		buf_printf(b, "; if %s", s->cond->kind == COND_TEMPLATE ?
		    s->cond->tmpl.src : s->cond->kind == COND_TOOL ?
		    s->cond->tool : s->cond->from_step);
	if (s->retry.attempts > 1)
		buf_printf(b, "; %d attempts", s->retry.attempts);
	if (s->timeout_ns > 0) {
		buf_adds(b, "; timeout ");
		duration_format(b, s->timeout_ns);
	}
	if (s->allow_failure)
		buf_adds(b, "; may fail");
}

static void
print_steps(struct step **steps, size_t n, int indent)
{
	struct buf	b = BUF_INIT;
	size_t		i, w = 0;

	for (i = 0; i < n; i++)
		if (strlen(steps[i]->id) > w)
			w = strlen(steps[i]->id);
	for (i = 0; i < n; i++) {
		buf_truncate(&b, 0);
		describe_step(&b, steps[i]);
		printf("%*s%-*s  %s\n", indent, "", (int)w, steps[i]->id,
		    buf_str(&b));
		if (steps[i]->description != NULL)
			printf("%*s%-*s  %s\n", indent, "", (int)w, "",
			    steps[i]->description);
		print_steps(steps[i]->sub, steps[i]->nsub, indent + 2);
	}
	buf_release(&b);
}

static void
print_text(const struct workflow *w)
{
	struct buf	b = BUF_INIT;
	size_t		i, width = 0;

	printf("workflow %s (%s:%d)\n", w->name, w->file, w->loc.line);
	if (w->description != NULL)
		printf("  %s\n", w->description);
	if (w->args.n > 0)
		printf("\narguments:\n");
	for (i = 0; i < w->args.n; i++)
		if (strlen(w->args.args[i].name) > width)
			width = strlen(w->args.args[i].name);
	for (i = 0; i < w->args.n; i++) {
		const struct arg	*a = &w->args.args[i];

		buf_truncate(&b, 0);
		describe_arg(&b, a);
		printf("  %-*s  %s\n", (int)width, a->name, buf_str(&b));
		if (a->description != NULL)
			printf("  %-*s  %s\n", (int)width, "", a->description);
	}
	printf("\nsteps%s:\n", w->explicit_deps ? "" : " (in order)");
	print_steps(w->steps, w->nsteps, 2);
	if (w->non_failure > 0) {
		printf("\non failure:\n");
		print_steps(w->on_failure, w->non_failure, 2);
	}
	if (w->nrecovery > 0) {
		printf("\nrecovery (when an onError rule redirects):\n");
		print_steps(w->recovery, w->nrecovery, 2);
	}
	buf_release(&b);
}

static struct json_object *
arg_json(const struct arg *a)
{
	struct json_object	*o = json_object_new_object();

	json_set(o, "name", json_str(a->name));
	json_set(o, "type", json_str(arg_type_name(a->type)));
	json_set(o, "required", json_object_new_boolean(a->required));
	if (a->def != NULL)
		json_set(o, "default", a->secret ? json_str("***") :
		    json_object_get(a->def));
	if (a->secret)
		json_set(o, "secret", json_object_new_boolean(1));
	if (a->description != NULL)
		json_set(o, "description", json_str(a->description));
	if (a->enums != NULL)
		json_set(o, "enum", json_object_get(a->enums));
	if (a->pattern_src != NULL)
		json_set(o, "pattern", json_str(a->pattern_src));
	return o;
}

static struct json_object *
steps_json(struct step **steps, size_t n)
{
	struct json_object	*arr = json_object_new_array();
	size_t			 i, k;

	for (i = 0; i < n; i++) {
		const struct step	*s = steps[i];
		struct json_object	*o = json_object_new_object();
		struct json_object	*deps = json_object_new_array();

		json_set(o, "id", json_str(s->id));
		json_set(o, "kind", json_str(kind_names[s->kind]));
		if (s->kind == STEP_TOOL)
			json_set(o, "tool", json_str(s->tool_name));
		if (s->kind == STEP_RUN)
			json_set(o, "run", json_str(s->run.src));
		if (s->description != NULL)
			json_set(o, "description", json_str(s->description));
		for (k = 0; k < s->ndeps; k++)
			json_object_array_add(deps,
			    json_str(s->dep_steps[k]->id));
		json_set(o, "dependsOn", deps);
		if (s->allow_failure)
			json_set(o, "allowFailure", json_object_new_boolean(1));
		if (s->retry.attempts > 1)
			json_set(o, "attempts",
			    json_object_new_int(s->retry.attempts));
		if (s->nsub > 0)
			json_set(o, "steps", steps_json(s->sub, s->nsub));
		json_object_array_add(arr, o);
	}
	return arr;
}

static void
print_json(const struct workflow *w)
{
	struct json_object	*o = json_object_new_object();
	struct json_object	*args = json_object_new_array();
	struct json_object	*edges = json_object_new_array();
	size_t			 i, k;

	json_set(o, "name", json_str(w->name));
	json_set(o, "file", json_str(w->file));
	json_set(o, "description", json_str(w->description));
	for (i = 0; i < w->args.n; i++)
		json_object_array_add(args, arg_json(&w->args.args[i]));
	json_set(o, "args", args);
	json_set(o, "steps", steps_json(w->steps, w->nsteps));
	json_set(o, "onFailure", steps_json(w->on_failure, w->non_failure));
	json_set(o, "recovery", steps_json(w->recovery, w->nrecovery));
	for (i = 0; i < w->nsteps; i++)
		for (k = 0; k < w->steps[i]->ndeps; k++) {
			struct json_object	*e = json_object_new_array();

			json_object_array_add(e,
			    json_str(w->steps[i]->dep_steps[k]->id));
			json_object_array_add(e, json_str(w->steps[i]->id));
			json_object_array_add(edges, e);
		}
	json_set(o, "edges", edges);
	json_print(stdout, o);
	json_object_put(o);
}

int
cmd_show(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	struct workflow	*w;
	int		 rc;

	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1 || optind + 1 != argc)
		return cmd_usage(cmd_find("show"));
	if ((rc = cmd_load(ctx, &p)) != 0)
		return rc;
	if ((w = cmd_workflow(p, argv[optind])) == NULL) {
		project_free(p);
		return EXIT_USAGE;
	}
	if (ctx->json)
		print_json(w);
	else
		print_text(w);
	project_free(p);
	return 0;
}
