/* load-stages.c: the container-kit spelling of a workflow (orchestration/v1:
 * stages, variables, conditions, error_policy), loaded into the same model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "def/load.h"
#include "tmpl/tmpl.h"

enum {
	SG_NAME, SG_TOOLS, SG_DEPENDS, SG_RETRY, SG_TIMEOUT, SG_CONDITIONS,
	SG_PARALLEL, SG_DESCRIPTION, SG_COUNT
};
static const struct field	stage_fields[SG_COUNT] = {
	[SG_NAME] = { "name", NULL }, [SG_TOOLS] = { "tools", NULL },
	[SG_DEPENDS] = { "depends_on", "dependsOn" },
	[SG_RETRY] = { "retry_policy", "retry" },
	[SG_TIMEOUT] = { "timeout", NULL },
	[SG_CONDITIONS] = { "conditions", NULL },
	[SG_PARALLEL] = { "parallel", NULL },
	[SG_DESCRIPTION] = { "description", NULL },
};

static const char *const	operators[] = { "required", "equals",
				    "not_equals", "contains", "exists" };
enum { OP_REQUIRED, OP_EQUALS, OP_NOT_EQUALS, OP_CONTAINS, OP_EXISTS };

/* Appends s to b as a template string literal. */
static void
quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		if (*s == '\n')
			buf_adds(b, "\\n");
		else if (*s == '\t')
			buf_adds(b, "\\t");
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* The argument of w named name, or NULL. */
static struct arg *
find_arg(struct workflow *w, const char *name)
{
	size_t	i;

	for (i = 0; i < w->args.n; i++)
		if (strcmp(w->args.args[i].name, name) == 0)
			return &w->args.args[i];
	return NULL;
}

/* Declares argument name of w (a string with no default) unless it is. */
static struct arg *
declare(struct loader *ld, struct workflow *w, const char *name,
    struct loc l)
{
	struct arg	*a = find_arg(w, name), *na;

	if (a != NULL)
		return a;
	na = arena_array(ld->a, w->args.n + 1, sizeof *na);
	if (w->args.n > 0)
		memcpy(na, w->args.args, w->args.n * sizeof *na);
	a = &na[w->args.n];
	memset(a, 0, sizeof *a);
	a->name = name;
	a->loc = l;
	a->type = ARG_STRING;
	a->min_len = a->max_len = -1;
	w->args.args = na;
	w->args.n++;
	return a;
}

/* The argument type that holds a variable's value. */
static enum arg_type
type_of(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_int:
		return ARG_INTEGER;
	case json_type_double:
		return ARG_NUMBER;
	case json_type_boolean:
		return ARG_BOOLEAN;
	case json_type_object:
		return ARG_OBJECT;
	case json_type_array:
		return ARG_ARRAY;
	default:
		return ARG_STRING;
	}
}

/* variables: name -> default value, each an optional argument. */
static int
load_variables(struct loader *ld, struct workflow *w, const struct ynode *n)
{
	size_t	i;
	int	rc = 0;

	if (n->kind != YNODE_MAP)
		return load_type_error(ld, n, "variables", "a mapping of "
		    "names to default values");
	for (i = 0; i < n->n; i++) {
		const struct ynode	*k = YMAP_KEY(n, i);
		struct json_object	*v;
		struct arg		*a;
		size_t			 len = strlen(k->s);
		struct loc		 l = load_loc(ld, k);

		if (len == 0 || len > 63 || strspn(k->s, "ABCDEFGHIJKLMNOPQRST"
		    "UVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != len) {
			rc = loc_error(&l, "bad variable name '%s': use 1 to "
			    "63 letters, digits, '_' or '-'", k->s);
			continue;
		}
		if ((v = load_json(ld, YMAP_VAL(n, i), k->s)) == NULL) {
			rc = -1;
			continue;
		}
		a = declare(ld, w, k->s, l);
		if (json_object_get_type(v) != json_type_null) {
			a->type = type_of(v);
			a->def = v;
		}
	}
	return rc;
}

/* One condition {key, operator, value} as a template test, added to b. */
static int
load_stage_condition(struct loader *ld, struct workflow *w,
    const struct ynode *n, struct buf *b)
{
	static const struct field	cf[] = { { "key", NULL },
					    { "operator", NULL },
					    { "value", NULL } };
	const struct ynode	*f[3];
	const char		*key, *op, *val = NULL;
	struct loc		 l = load_loc(ld, n);
	struct arg		*a;
	size_t			 i;

	if (load_fields(ld, n, "a stage condition", cf, 3, f) < 0)
		return -1;
	if (f[0] == NULL || f[1] == NULL)
		return loc_error(&l, "a stage condition needs 'key' and "
		    "'operator'");
	if (load_str(ld, f[0], "key", &key) < 0 ||
	    load_str(ld, f[1], "operator", &op) < 0)
		return -1;
	for (i = 0; i < nitems(operators); i++)
		if (strcmp(op, operators[i]) == 0)
			break;
	if (i == nitems(operators)) {
		l = load_loc(ld, f[1]);
		return loc_error(&l, "unknown operator '%s' (use required, "
		    "equals, not_equals, contains or exists)", op);
	}
	a = declare(ld, w, key, load_loc(ld, f[0]));
	if (i == OP_REQUIRED || i == OP_EXISTS) {
		if (f[2] != NULL) {
			l = load_loc(ld, f[2]);
			return loc_error(&l, "operator '%s' takes no 'value'",
			    op);
		}
		/* required: muster refuses to start without it. */
		if (i == OP_REQUIRED && a->def == NULL)
			a->required = true;
		if (i == OP_EXISTS) {
			buf_adds(b, " (index .input ");
			quote(b, key);
			buf_adds(b, ")");
		}
		return 0;
	}
	if (f[2] == NULL)
		return loc_error(&l, "operator '%s' needs a 'value'", op);
	if (f[2]->kind != YNODE_SCALAR)
		return load_type_error(ld, f[2], "value", "a scalar");
	val = f[2]->s;
	if (i == OP_CONTAINS) {
		buf_adds(b, " (contains ");
		quote(b, val);
		buf_adds(b, " (printf \"%v\" (index .input ");
		quote(b, key);
		buf_adds(b, ")))");
	} else {
		buf_adds(b, i == OP_EQUALS ? " (eq" : " (ne");
		buf_adds(b, " (printf \"%v\" (index .input ");
		quote(b, key);
		buf_adds(b, ")) ");
		quote(b, val);
		buf_adds(b, ")");
	}
	return 0;
}

/* conditions: a list, all of which must hold for the stage to run. */
static int
load_stage_conditions(struct loader *ld, struct workflow *w,
    const struct ynode *n, struct step *s)
{
	struct buf		 b = BUF_INIT;
	struct tmpl_error	 err;
	struct condition	*c;
	size_t			 i, mark;
	int			 rc = 0;

	if (n->kind != YNODE_SEQ)
		return load_type_error(ld, n, "conditions", "a list of "
		    "{key, operator, value}");
	buf_adds(&b, "{{ if and true");
	mark = b.len;
	for (i = 0; i < n->n; i++)
		rc |= load_stage_condition(ld, w, n->items[i], &b);
	buf_adds(&b, " }}true{{ else }}false{{ end }}");
	if (rc < 0 || b.len == mark + strlen(" }}true{{ else }}false{{ end }}")) {
		buf_release(&b);
		return rc;
	}
	c = arena_alloc(ld->a, sizeof *c);
	c->kind = COND_TEMPLATE;
	c->loc = load_loc(ld, n);
	c->tmpl.src = arena_strndup(ld->a, b.s, b.len);
	c->tmpl.loc = c->loc;
	c->tmpl.line = c->loc.line;
	c->tmpl.col = c->loc.col;
	c->tmpl.t = tmpl_parse(c->tmpl.src, b.len, &err);
	buf_release(&b);
	if (c->tmpl.t == NULL)
		return loc_error(&c->loc, "conditions: %s", err.msg);
	arena_defer(ld->a, (void (*)(void *))tmpl_free, c->tmpl.t);
	s->cond = c;
	return 0;
}

/* A step that calls tool name, given the workflow's matching arguments. */
static struct step *
tool_step(struct loader *ld, const char *id, const struct ynode *n,
    struct step *parent)
{
	struct step	*s = arena_alloc(ld->a, sizeof *s);

	s->id = id;
	s->loc = load_loc(ld, n);
	s->parent = parent;
	s->kind = STEP_TOOL;
	s->retry.attempts = 1;
	s->tool_name = n->s;
	s->tool_loc = s->loc;
	s->pass_input = true;
	s->hash = ynode_hash(n);
	return s;
}

static int
add_step_id(struct loader *ld, struct workflow *w, struct step *s)
{
	struct step	*old;

	if ((old = hmap_put(&w->ids, s->id, s)) != NULL) {
		loc_error(&s->loc, "duplicate step id '%s'", s->id);
		loc_note(&old->loc, "first defined here");
		return -1;
	}
	return 0;
}

/* tools: one tool is the stage itself; more run inside it, in parallel
 * unless parallel: false. */
static int
load_stage_tools(struct loader *ld, struct workflow *w, const struct ynode *n,
    bool parallel, struct step *s)
{
	size_t	i;
	int	rc = 0;

	if (n->kind != YNODE_SEQ || n->n == 0)
		return load_type_error(ld, n, "tools", "a list of tool names");
	for (i = 0; i < n->n; i++)
		if (n->items[i]->kind != YNODE_SCALAR)
			return load_type_error(ld, n->items[i], "tools",
			    "a list of tool names");
	if (n->n == 1) {
		s->kind = STEP_TOOL;
		s->tool_name = n->items[0]->s;
		s->tool_loc = load_loc(ld, n->items[0]);
		s->pass_input = true;
		return 0;
	}
	s->kind = STEP_PARALLEL;
	s->max_parallel = parallel ? 0 : 1;
	s->sub = arena_array(ld->a, n->n, sizeof *s->sub);
	for (i = 0; i < n->n; i++) {
		char	*id = arena_printf(ld->a, "%s-%zu", s->id, i + 1);

		s->sub[i] = tool_step(ld, id, n->items[i], s);
		s->sub[i]->index = (unsigned)i;
		rc |= add_step_id(ld, w, s->sub[i]);
	}
	s->nsub = n->n;
	return rc;
}

static struct step *
load_stage(struct loader *ld, struct workflow *w, const struct ynode *n,
    int *rc)
{
	struct step		*s = arena_alloc(ld->a, sizeof *s);
	const struct ynode	*f[SG_COUNT];
	bool			 parallel = true;
	struct loc		 l = load_loc(ld, n);

	s->loc = l;
	s->retry.attempts = 1;
	if (load_fields(ld, n, "a stage", stage_fields, SG_COUNT, f) < 0 &&
	    n->kind != YNODE_MAP) {
		*rc = -1;
		return NULL;
	}
	if (f[SG_NAME] == NULL || f[SG_TOOLS] == NULL) {
		*rc = loc_error(&l, "a stage needs 'name' and 'tools'");
		return NULL;
	}
	if (load_str(ld, f[SG_NAME], "name", &s->id) < 0) {
		*rc = -1;
		return NULL;
	}
	s->loc = load_loc(ld, f[SG_NAME]);
	s->hash = ynode_hash(n);
	if (strspn(s->id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") != strlen(s->id) || strlen(s->id) > 60) {
		*rc = loc_error(&s->loc, "bad stage name '%s': use 1 to 60 "
		    "letters, digits, '_' or '-'", s->id);
		return NULL;
	}
	if (add_step_id(ld, w, s) < 0)
		*rc = -1;
	if (f[SG_PARALLEL] != NULL &&
	    load_bool(ld, f[SG_PARALLEL], "parallel", &parallel) < 0)
		*rc = -1;
	if (f[SG_DESCRIPTION] != NULL && load_str(ld, f[SG_DESCRIPTION],
	    "description", &s->description) < 0)
		*rc = -1;
	if (load_stage_tools(ld, w, f[SG_TOOLS], parallel, s) < 0)
		*rc = -1;
	if (f[SG_DEPENDS] != NULL && load_strs(ld, f[SG_DEPENDS], "depends_on",
	    &s->deps, &s->dep_locs, &s->ndeps) < 0)
		*rc = -1;
	if (f[SG_RETRY] != NULL && load_retry(ld, f[SG_RETRY], "retry_policy",
	    &s->retry) < 0)
		*rc = -1;
	if (f[SG_TIMEOUT] != NULL && load_duration(ld, f[SG_TIMEOUT],
	    "timeout", &s->timeout_ns) < 0)
		*rc = -1;
	if (f[SG_CONDITIONS] != NULL && load_stage_conditions(ld, w,
	    f[SG_CONDITIONS], s) < 0)
		*rc = -1;
	return s;
}

/* error_policy: {mode: fail_fast | continue, max_failures: N}. */
static int
load_error_policy(struct loader *ld, struct workflow *w, const struct ynode *n)
{
	static const struct field	ef[] = { { "mode", NULL },
					    { "max_failures", "maxFailures" } };
	const struct ynode	*f[2];
	const char		*mode;
	int64_t			 v;
	int			 rc;

	rc = load_fields(ld, n, "error_policy", ef, 2, f);
	if (f[0] != NULL && load_str(ld, f[0], "mode", &mode) == 0) {
		if (strcmp(mode, "continue") == 0)
			w->keep_going = true;
		else if (strcmp(mode, "fail_fast") != 0) {
			struct loc	l = load_loc(ld, f[0]);

			rc = loc_error(&l, "unknown error_policy mode '%s' "
			    "(use fail_fast or continue)", mode);
		}
	} else if (f[0] != NULL)
		rc = -1;
	if (f[1] != NULL && load_int(ld, f[1], "max_failures", 1, 1000000,
	    &v) == 0)
		w->max_failures = (int)v;
	else if (f[1] != NULL)
		rc = -1;
	return rc;
}

enum { KF_STAGES, KF_VARIABLES, KF_ERROR_POLICY, KF_DESCRIPTION, KF_TIMEOUT,
	KF_COUNT };
static const struct field	ck_fields[KF_COUNT] = {
	[KF_STAGES] = { "stages", NULL },
	[KF_VARIABLES] = { "variables", NULL },
	[KF_ERROR_POLICY] = { "error_policy", "errorPolicy" },
	[KF_DESCRIPTION] = { "description", NULL },
	[KF_TIMEOUT] = { "timeout", NULL },
};

int
load_stages_workflow(struct loader *ld, const struct ynode *spec,
    struct workflow *w)
{
	const struct ynode	*f[KF_COUNT];
	struct loc		 l = load_loc(ld, spec);
	size_t			 i, k = 0;
	int			 rc;

	rc = load_fieldsf(ld, spec, "the spec of workflow '%s'", w->name,
	    ck_fields, KF_COUNT, f);
	if (rc < 0 && spec->kind != YNODE_MAP)
		return -1;
	if (f[KF_DESCRIPTION] != NULL)
		rc |= load_str(ld, f[KF_DESCRIPTION], "description",
		    &w->description);
	if (f[KF_TIMEOUT] != NULL)
		rc |= load_duration(ld, f[KF_TIMEOUT], "timeout",
		    &w->timeout_ns);
	if (f[KF_VARIABLES] != NULL)
		rc |= load_variables(ld, w, f[KF_VARIABLES]);
	if (f[KF_ERROR_POLICY] != NULL)
		rc |= load_error_policy(ld, w, f[KF_ERROR_POLICY]);
	if (f[KF_STAGES] == NULL)
		return loc_error(&l, "workflow '%s' has no 'stages'", w->name);
	if (f[KF_STAGES]->kind != YNODE_SEQ || f[KF_STAGES]->n == 0)
		return load_type_error(ld, f[KF_STAGES], "stages",
		    "a non-empty list of stages");
	/* Stages name what they wait for; none waits for file order. */
	w->explicit_deps = true;
	w->steps = arena_array(ld->a, f[KF_STAGES]->n, sizeof *w->steps);
	for (i = 0; i < f[KF_STAGES]->n; i++) {
		struct step	*s = load_stage(ld, w, f[KF_STAGES]->items[i],
				    &rc);

		if (s != NULL) {
			s->index = (unsigned)k;
			w->steps[k++] = s;
		}
	}
	w->nsteps = k;
	return rc < 0 ? -1 : 0;
}
