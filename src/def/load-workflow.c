/* load-workflow.c: decoding a Workflow's spec and its steps. */
#include <stdlib.h>
#include <string.h>

#include "def/load.h"

enum {
	SF_ID, SF_DESCRIPTION, SF_TOOL, SF_ARGS, SF_RUN, SF_FOREACH,
	SF_PARALLEL, SF_DEPENDS, SF_CONDITION, SF_RETRY, SF_RETRY_POLICY,
	SF_TIMEOUT, SF_ALLOW_FAILURE, SF_ON_FAILURE, SF_ENV, SF_WORKDIR,
	SF_OUTPUT, SF_STORE, SF_SHELL, SF_EXECUTOR, SF_RESOURCES, SF_WEIGHT,
	SF_CHECKPOINT, SF_ON_ERROR, SF_COUNT
};
static const struct field	step_fields[SF_COUNT] = {
	[SF_ID] = { "id", NULL }, [SF_DESCRIPTION] = { "description", NULL },
	[SF_TOOL] = { "tool", NULL }, [SF_ARGS] = { "args", NULL },
	[SF_RUN] = { "run", NULL }, [SF_FOREACH] = { "forEach", "for_each" },
	[SF_PARALLEL] = { "parallel", NULL },
	[SF_DEPENDS] = { "dependsOn", "depends_on" },
	[SF_CONDITION] = { "condition", NULL }, [SF_RETRY] = { "retry", NULL },
	[SF_RETRY_POLICY] = { "retry_policy", NULL },
	[SF_TIMEOUT] = { "timeout", NULL },
	[SF_ALLOW_FAILURE] = { "allowFailure", "allow_failure" },
	[SF_ON_FAILURE] = { "on_failure", NULL }, [SF_ENV] = { "env", NULL },
	[SF_WORKDIR] = { "workdir", NULL }, [SF_OUTPUT] = { "output", NULL },
	[SF_STORE] = { "store", NULL }, [SF_SHELL] = { "shell", NULL },
	[SF_EXECUTOR] = { "executor", NULL },
	[SF_RESOURCES] = { "resources", NULL },
	[SF_WEIGHT] = { "weight", NULL },
	[SF_CHECKPOINT] = { "checkpoint", NULL },
	[SF_ON_ERROR] = { "onError", "on_error" },
};

/* Where a step sits: what it may be and what it may say. */
enum level {
	LEVEL_TOP,	/* spec.steps */
	LEVEL_SUB,	/* inside forEach or parallel */
	LEVEL_CLEANUP,	/* onFailure */
	LEVEL_RECOVERY	/* recovery: run when an onError rule redirects */
};

static const char *
level_where(enum level level)
{
	return level == LEVEL_SUB ? "inside forEach or parallel" :
	    level == LEVEL_CLEANUP ? "in onFailure" : "in recovery";
}

static int	load_steps(struct loader *, struct workflow *,
		    const struct ynode *, const char *, enum level,
		    struct step *, struct step ***, size_t *);

static int
add_id(struct loader *ld, struct workflow *w, struct step *s,
    const struct ynode *n)
{
	struct step	*old;
	struct loc	 l = load_loc(ld, n);
	size_t		 len = strlen(s->id);

	if (len == 0 || len > 63 || strspn(s->id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_-") != len)
		return loc_error(&l, "bad step id '%s': use 1 to 63 letters, "
		    "digits, '_' or '-'", s->id);
	if ((old = hmap_put(&w->ids, s->id, s)) != NULL) {
		loc_error(&l, "duplicate step id '%s'", s->id);
		loc_note(&old->loc, "first defined here");
		return -1;
	}
	return 0;
}

enum { RF_ATTEMPTS, RF_DELAY, RF_BACKOFF, RF_MAX_DELAY, RF_COUNT };
static const struct field	retry_fields[RF_COUNT] = {
	[RF_ATTEMPTS] = { "attempts", "max_attempts" },
	[RF_DELAY] = { "delay", NULL },
	[RF_BACKOFF] = { "backoff", "backoff_mode" },
	[RF_MAX_DELAY] = { "maxDelay", "max_delay" },
};

int
load_retry(struct loader *ld, const struct ynode *n, const char *name,
    struct retry *r)
{
	static const char *const modes[] = { "constant", "linear",
	    "exponential" };
	const struct ynode	*f[RF_COUNT];
	const char		*s;
	int64_t			 v;
	size_t			 i;
	int			 rc;

	rc = load_fields(ld, n, name, retry_fields, RF_COUNT, f);
	if (f[RF_ATTEMPTS] != NULL && load_int(ld, f[RF_ATTEMPTS], "attempts",
	    1, 1000, &v) == 0)
		r->attempts = (int)v;
	else if (f[RF_ATTEMPTS] != NULL)
		rc = -1;
	if (f[RF_DELAY] != NULL)
		rc |= load_duration(ld, f[RF_DELAY], "delay", &r->delay_ns);
	if (f[RF_MAX_DELAY] != NULL)
		rc |= load_duration(ld, f[RF_MAX_DELAY], "maxDelay",
		    &r->max_delay_ns);
	if (f[RF_BACKOFF] != NULL && load_str(ld, f[RF_BACKOFF], "backoff",
	    &s) == 0) {
		for (i = 0; i < nitems(modes); i++)
			if (strcmp(s, modes[i]) == 0)
				break;
		if (i == nitems(modes)) {
			struct loc	l = load_loc(ld, f[RF_BACKOFF]);

			return loc_error(&l, "unknown backoff '%s' (use "
			    "constant, linear or exponential)", s);
		}
		r->backoff = (enum backoff)i;
	}
	return rc < 0 ? -1 : 0;
}

enum {
	CF_TEMPLATE, CF_TOOL, CF_ARGS, CF_FROM_STEP, CF_EXPECT, CF_EXPECT_NOT,
	CF_COUNT
};
static const struct field	cond_fields[CF_COUNT] = {
	[CF_TEMPLATE] = { "template", NULL }, [CF_TOOL] = { "tool", NULL },
	[CF_ARGS] = { "args", NULL },
	[CF_FROM_STEP] = { "fromStep", "from_step" },
	[CF_EXPECT] = { "expect", NULL },
	[CF_EXPECT_NOT] = { "expectNot", "expect_not" },
};

enum { EF_SUCCESS, EF_JSON_PATH, EF_COUNT };
static const struct field	expect_fields[EF_COUNT] = {
	[EF_SUCCESS] = { "success", NULL },
	[EF_JSON_PATH] = { "jsonPath", "json_path" },
};

int
load_expect(struct loader *ld, const struct ynode *n, const char *name,
    struct expect *e)
{
	const struct ynode	*f[EF_COUNT], *jp;
	size_t			 i;
	int			 rc;

	e->set = true;
	e->success = true;
	e->loc = load_loc(ld, n);
	rc = load_fields(ld, n, name, expect_fields, EF_COUNT, f);
	if (f[EF_SUCCESS] != NULL) {
		rc |= load_bool(ld, f[EF_SUCCESS], "success", &e->success);
		e->success_set = true;
	}
	if ((jp = f[EF_JSON_PATH]) == NULL)
		return rc < 0 ? -1 : 0;
	if (jp->kind != YNODE_MAP)
		return load_type_error(ld, jp, "jsonPath", "a mapping of paths "
		    "to expected values");
	e->n = jp->n;
	e->paths = arena_array(ld->a, jp->n, sizeof *e->paths);
	e->values = arena_array(ld->a, jp->n, sizeof *e->values);
	e->path_tmpls = arena_array(ld->a, jp->n, sizeof *e->path_tmpls);
	for (i = 0; i < jp->n; i++) {
		e->paths[i] = YMAP_KEY(jp, i)->s;
		/* muster's template form: the key renders over .result. */
		if (strstr(e->paths[i], "{{") != NULL)
			rc |= load_tstr(ld, YMAP_KEY(jp, i), "jsonPath",
			    &e->path_tmpls[i]);
		rc |= load_tval(ld, YMAP_VAL(jp, i), "jsonPath",
		    &e->values[i]);
	}
	return rc < 0 ? -1 : 0;
}

static int
load_condition(struct loader *ld, const struct ynode *n, struct step *s)
{
	struct condition	*c = arena_alloc(ld->a, sizeof *c);
	const struct ynode	*f[CF_COUNT];
	struct loc		 l = load_loc(ld, n);
	char			*what;
	int			 rc, kinds;

	s->cond = c;
	c->loc = l;
	if (n->kind == YNODE_SCALAR) {
		c->kind = COND_TEMPLATE;
		return load_tstr(ld, n, "condition", &c->tmpl);
	}
	what = arena_printf(ld->a, "the condition of step '%s'", s->id);
	if ((rc = load_fields(ld, n, what, cond_fields, CF_COUNT, f)) < 0 &&
	    n->kind != YNODE_MAP)
		return -1;
	kinds = (f[CF_TEMPLATE] != NULL) + (f[CF_TOOL] != NULL) +
	    (f[CF_FROM_STEP] != NULL);
	if (kinds != 1)
		return loc_error(&l, "the condition of step '%s' needs exactly "
		    "one of 'template', 'tool' or 'fromStep'", s->id);
	if (f[CF_TEMPLATE] != NULL) {
		c->kind = COND_TEMPLATE;
		rc |= load_tstr(ld, f[CF_TEMPLATE], "template", &c->tmpl);
		if (f[CF_EXPECT] || f[CF_EXPECT_NOT] || f[CF_ARGS])
			rc = loc_error(&l, "a template condition takes no "
			    "'args', 'expect' or 'expectNot'");
		return rc < 0 ? -1 : 0;
	}
	if (f[CF_TOOL] != NULL) {
		c->kind = COND_TOOL;
		c->tool_loc = load_loc(ld, f[CF_TOOL]);
		rc |= load_str(ld, f[CF_TOOL], "tool", &c->tool);
		if (f[CF_ARGS] != NULL)
			rc |= load_tval(ld, f[CF_ARGS], "args", &c->args);
	} else {
		c->kind = COND_FROM_STEP;
		c->from_loc = load_loc(ld, f[CF_FROM_STEP]);
		rc |= load_str(ld, f[CF_FROM_STEP], "fromStep", &c->from_step);
		if (f[CF_ARGS] != NULL)
			rc = loc_error(&l, "a fromStep condition takes no "
			    "'args'");
	}
	if (f[CF_EXPECT] != NULL)
		rc |= load_expect(ld, f[CF_EXPECT], "expect", &c->expect);
	if (f[CF_EXPECT_NOT] != NULL)
		rc |= load_expect(ld, f[CF_EXPECT_NOT], "expectNot",
		    &c->expect_not);
	if (!c->expect.set && !c->expect_not.set) {
		c->expect.set = true;
		c->expect.success = true;
	}
	return rc < 0 ? -1 : 0;
}

enum {
	FF_ITEMS, FF_AS, FF_STEPS, FF_MAX_PARALLEL, FF_PARALLELISM, FF_COUNT
};
static const struct field	foreach_fields[FF_COUNT] = {
	[FF_ITEMS] = { "items", NULL }, [FF_AS] = { "as", NULL },
	[FF_STEPS] = { "steps", NULL },
	[FF_MAX_PARALLEL] = { "maxParallel", "max_parallel" },
	[FF_PARALLELISM] = { "parallelism", NULL },
};

static const struct field	parallelism_fields[] = {
	{ "maxParallel", "max_parallel" },
	{ "allow_parallel_groups", "allowParallelGroups" },
};

/* maxParallel, or the older parallelism: {max_parallel: N}. */
static int
load_max_parallel(struct loader *ld, const struct ynode *mp,
    const struct ynode *par, int *out)
{
	const struct ynode	*f[2];
	int64_t			 v;

	if (mp != NULL && par != NULL) {
		struct loc	l = load_loc(ld, par);

		return loc_error(&l, "'parallelism' and 'maxParallel' are the "
		    "same setting");
	}
	if (par != NULL) {
		if (load_fields(ld, par, "parallelism", parallelism_fields, 2,
		    f) < 0)
			return -1;
		if (f[1] != NULL) {
			struct loc	l = load_loc(ld, f[1]);

			loc_warn(&l, "'allow_parallel_groups' has no effect: "
			    "muster always runs steps that do not depend on "
			    "each other in parallel, up to maxParallel and -j");
		}
		mp = f[0];
	}
	if (mp == NULL)
		return 0;
	if (load_int(ld, mp, "maxParallel", 0, 1000000, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int
load_foreach(struct loader *ld, struct workflow *w, const struct ynode *n,
    struct step *s)
{
	const struct ynode	*f[FF_COUNT];
	struct loc		 l = load_loc(ld, n);
	char			*what;
	int			 rc;

	s->kind = STEP_FOREACH;
	s->as = "item";
	s->max_parallel = 1;
	what = arena_printf(ld->a, "the forEach of step '%s'", s->id);
	if ((rc = load_fields(ld, n, what, foreach_fields, FF_COUNT, f)) < 0 &&
	    n->kind != YNODE_MAP)
		return -1;
	if (f[FF_ITEMS] == NULL)
		rc = loc_error(&l, "the forEach of step '%s' has no 'items'",
		    s->id);
	else if (f[FF_ITEMS]->kind == YNODE_SEQ)
		rc |= load_tval(ld, f[FF_ITEMS], "items", &s->items_const);
	else if (load_tstr(ld, f[FF_ITEMS], "items", &s->items) < 0)
		rc = -1;
	else if (s->items.t == NULL) {
		struct loc	il = load_loc(ld, f[FF_ITEMS]);

		rc = loc_error(&il, "forEach 'items' must be a list or a "
		    "template such as '{{ .input.list }}', not the string '%s'",
		    s->items.src);
	}
	if (f[FF_AS] != NULL)
		rc |= load_name(ld, f[FF_AS], "loop variable", &s->as);
	rc |= load_max_parallel(ld, f[FF_MAX_PARALLEL], f[FF_PARALLELISM],
	    &s->max_parallel);
	if (f[FF_STEPS] == NULL)
		return loc_error(&l, "the forEach of step '%s' has no 'steps'",
		    s->id);
	rc |= load_steps(ld, w, f[FF_STEPS], "steps", LEVEL_SUB, s, &s->sub,
	    &s->nsub);
	return rc < 0 ? -1 : 0;
}

/* The older on_failure: {action: continue|stop|rollback}. */
static int
load_on_failure(struct loader *ld, const struct ynode *n, struct step *s)
{
	static const struct field	 f1[] = { { "action", NULL } };
	const struct ynode		*f[1];
	const char			*a;
	struct loc			 l;

	if (load_fields(ld, n, "on_failure", f1, 1, f) < 0)
		return -1;
	if (f[0] == NULL || load_str(ld, f[0], "action", &a) < 0)
		return f[0] == NULL ? 0 : -1;
	l = load_loc(ld, f[0]);
	if (strcmp(a, "continue") == 0)
		s->allow_failure = true;
	else if (strcmp(a, "stop") != 0 && strcmp(a, "rollback") != 0)
		return loc_error(&l, "unknown on_failure action '%s' (use "
		    "continue, stop or rollback)", a);
	return 0;
}

/* Which of tool, run, forEach and parallel the step has: exactly one. */
static int
step_kind(struct loader *ld, const struct ynode *n,
    const struct ynode *const *f, struct step *s, enum level level)
{
	static const int	 which[] = { SF_TOOL, SF_RUN, SF_FOREACH,
				    SF_PARALLEL };
	const struct ynode	*first = NULL;
	struct loc		 l = load_loc(ld, n);
	size_t			 i;

	for (i = 0; i < nitems(which); i++) {
		const struct ynode	*v = f[which[i]];

		if (v == NULL)
			continue;
		if (first != NULL) {
			l = load_loc(ld, v);
			return loc_error(&l, "step '%s' has both '%s' and '%s'",
			    s->id, step_fields[which[s->kind]].name,
			    step_fields[which[i]].name);
		}
		first = v;
		s->kind = (enum step_kind)i;
	}
	if (first == NULL)
		return loc_error(&l, "step '%s' needs one of 'tool', 'run', "
		    "'forEach' or 'parallel'", s->id);
	if (level != LEVEL_TOP && s->kind != STEP_TOOL && s->kind != STEP_RUN)
		return loc_error(&l, "step '%s' %s must use 'tool' or 'run'",
		    s->id, level_where(level));
	return 0;
}

static int
load_step_body(struct loader *ld, struct workflow *w,
    const struct ynode *const *f, struct step *s)
{
	int	rc = 0;

	switch (s->kind) {
	case STEP_TOOL:
		s->tool_loc = load_loc(ld, f[SF_TOOL]);
		rc |= load_str(ld, f[SF_TOOL], "tool", &s->tool_name);
		break;
	case STEP_RUN:
		rc |= load_tstr(ld, f[SF_RUN], "run", &s->run);
		break;
	case STEP_FOREACH:
		rc |= load_foreach(ld, w, f[SF_FOREACH], s);
		break;
	case STEP_PARALLEL:
		rc |= load_steps(ld, w, f[SF_PARALLEL], "parallel", LEVEL_SUB,
		    s, &s->sub, &s->nsub);
		break;
	}
	if (f[SF_ARGS] != NULL) {
		if (s->kind != STEP_TOOL) {
			struct loc	l = load_loc(ld, f[SF_ARGS]);

			return loc_error(&l, "'args' belongs to 'tool' steps");
		}
		rc |= load_tval(ld, f[SF_ARGS], "args", &s->args);
	}
	return rc;
}

/* weight: how much of the run's progress the step is (default 1). */
static int
load_weight(struct loader *ld, const struct ynode *n, struct step *s)
{
	struct loc	 l = load_loc(ld, n);
	char		*end;
	double		 v;

	if (n->kind != YNODE_SCALAR || (n->type != YS_INT &&
	    n->type != YS_FLOAT))
		return load_type_error(ld, n, "weight", "a number");
	v = strtod(n->s, &end);
	if (*end != '\0' || !(v > 0) || v > 1e6)
		return loc_error(&l, "'weight' must be more than 0 and at most "
		    "1000000, not %s", n->s);
	s->weight = v;
	return 0;
}

static int
load_step_common(struct loader *ld, const struct ynode *const *f,
    struct step *s, enum level level)
{
	int	rc = 0;

	if (f[SF_DESCRIPTION] != NULL)
		rc |= load_str(ld, f[SF_DESCRIPTION], "description",
		    &s->description);
	if (f[SF_DEPENDS] != NULL) {
		if (level != LEVEL_TOP) {
			struct loc	l = load_loc(ld, f[SF_DEPENDS]);

			return loc_error(&l, "'dependsOn' belongs to top-level "
			    "steps; %s", level == LEVEL_RECOVERY ? "a recovery "
			    "step runs when an onError rule redirects to it" :
			    level == LEVEL_SUB ? "steps inside forEach run in "
			    "their order" : "steps in onFailure run in their "
			    "order");
		}
		rc |= load_strs(ld, f[SF_DEPENDS], "dependsOn", &s->deps,
		    &s->dep_locs, &s->ndeps);
	}
	if (f[SF_CONDITION] != NULL)
		rc |= load_condition(ld, f[SF_CONDITION], s);
	if (f[SF_RETRY] != NULL && f[SF_RETRY_POLICY] != NULL) {
		struct loc	l = load_loc(ld, f[SF_RETRY_POLICY]);

		rc = loc_error(&l, "'retry' and 'retry_policy' are the same "
		    "setting");
	} else if (f[SF_RETRY] != NULL || f[SF_RETRY_POLICY] != NULL)
		rc |= load_retry(ld, f[SF_RETRY] ? f[SF_RETRY] :
		    f[SF_RETRY_POLICY], f[SF_RETRY] ? "retry" : "retry_policy",
		    &s->retry);
	if (f[SF_TIMEOUT] != NULL)
		rc |= load_duration(ld, f[SF_TIMEOUT], "timeout",
		    &s->timeout_ns);
	if (f[SF_ALLOW_FAILURE] != NULL)
		rc |= load_bool(ld, f[SF_ALLOW_FAILURE], "allowFailure",
		    &s->allow_failure);
	if (f[SF_ON_FAILURE] != NULL)
		rc |= load_on_failure(ld, f[SF_ON_FAILURE], s);
	if (f[SF_ENV] != NULL)
		rc |= load_env(ld, f[SF_ENV], "env", &s->env);
	if (f[SF_WORKDIR] != NULL)
		rc |= load_tstr(ld, f[SF_WORKDIR], "workdir", &s->workdir);
	if (f[SF_WEIGHT] != NULL)
		rc |= load_weight(ld, f[SF_WEIGHT], s);
	if (f[SF_ON_ERROR] != NULL)
		rc |= load_routes(ld, f[SF_ON_ERROR], s);
	if (f[SF_CHECKPOINT] != NULL)
		rc |= load_name(ld, f[SF_CHECKPOINT], "checkpoint",
		    &s->checkpoint);
	if (f[SF_SHELL] != NULL && f[SF_RUN] == NULL) {
		struct loc	l = load_loc(ld, f[SF_SHELL]);

		rc = loc_error(&l, "'shell' is for 'run' steps");
	} else if (f[SF_SHELL] != NULL)
		rc |= load_shell(ld, f[SF_SHELL], &s->shell);
	if (f[SF_OUTPUT] != NULL)
		rc |= load_bool(ld, f[SF_OUTPUT], "output", &s->output);
	else if (f[SF_STORE] != NULL)
		rc |= load_bool(ld, f[SF_STORE], "store", &s->output);
	if (f[SF_EXECUTOR] != NULL)
		rc |= load_executor(ld, f[SF_EXECUTOR], &s->executor);
	if (f[SF_RESOURCES] != NULL)
		rc |= load_resources(ld, f[SF_RESOURCES], &s->resources);
	return rc;
}

static struct step *
load_step(struct loader *ld, struct workflow *w, const struct ynode *n,
    enum level level, struct step *parent, int *rc)
{
	struct step		*s = arena_alloc(ld->a, sizeof *s);
	const struct ynode	*f[SF_COUNT];
	struct loc		 l = load_loc(ld, n);

	const struct ynode	*id = ynode_get(n, "id");
	const char		*fmt = "%s", *arg = "a step";

	s->loc = l;
	s->parent = parent;
	s->retry.attempts = 1;
	s->id = "?";
	if (id != NULL && id->kind == YNODE_SCALAR && id->type == YS_STR) {
		fmt = "step '%s'";
		arg = id->s;
	}
	if (load_fieldsf(ld, n, fmt, arg, step_fields, SF_COUNT, f) < 0) {
		*rc = -1;
		if (n->kind != YNODE_MAP)
			return NULL;
	}
	if (f[SF_ID] == NULL) {
		if (!load_typo(ld, SF_ID))
			loc_error(&l, "step has no 'id'");
		*rc = -1;
		return NULL;
	}
	if (load_str(ld, f[SF_ID], "id", &s->id) < 0 ||
	    add_id(ld, w, s, f[SF_ID]) < 0) {
		*rc = -1;
		return NULL;
	}
	s->loc = load_loc(ld, f[SF_ID]);
	s->hash = ynode_hash(n);
	if (step_kind(ld, n, f, s, level) < 0) {
		*rc = -1;
		return s;
	}
	if (load_step_body(ld, w, f, s) < 0)
		*rc = -1;
	if (load_step_common(ld, f, s, level) < 0)
		*rc = -1;
	/* Declaring dependsOn, even as [], opts the workflow into the graph. */
	if (f[SF_DEPENDS] != NULL && level == LEVEL_TOP)
		w->explicit_deps = true;
	return s;
}

static int
load_steps(struct loader *ld, struct workflow *w, const struct ynode *n,
    const char *name, enum level level, struct step *parent,
    struct step ***out, size_t *count)
{
	struct loc	l = load_loc(ld, n);
	size_t		i, k = 0;
	int		rc = 0;

	if (n->kind != YNODE_SEQ)
		return load_type_error(ld, n, name, "a list of steps");
	if (n->n == 0 && (level == LEVEL_TOP || level == LEVEL_SUB))
		return loc_error(&l, "'%s' must not be empty", name);
	*out = arena_array(ld->a, n->n, sizeof **out);
	for (i = 0; i < n->n; i++) {
		struct step	*s = load_step(ld, w, n->items[i], level,
				    parent, &rc);

		if (s != NULL) {
			s->index = (unsigned)k;
			(*out)[k++] = s;
		}
	}
	*count = k;
	return rc;
}

enum {
	WF_DESCRIPTION, WF_ARGS, WF_STEPS, WF_ON_FAILURE, WF_ERROR_HANDLING,
	WF_OUTPUT, WF_TIMEOUT, WF_MAX_PARALLEL, WF_PARALLELISM,
	WF_CONCURRENCY, WF_SHELL, WF_NAME, WF_TRIGGERS, WF_EXECUTOR, WF_RESOURCES,
	WF_RECOVERY, WF_COUNT
};
static const struct field	wf_fields[WF_COUNT] = {
	[WF_DESCRIPTION] = { "description", NULL },
	[WF_ARGS] = { "args", NULL }, [WF_STEPS] = { "steps", NULL },
	[WF_ON_FAILURE] = { "onFailure", NULL },
	[WF_ERROR_HANDLING] = { "error_handling", NULL },
	[WF_OUTPUT] = { "output", NULL }, [WF_TIMEOUT] = { "timeout", NULL },
	[WF_MAX_PARALLEL] = { "maxParallel", "max_parallel" },
	[WF_PARALLELISM] = { "parallelism", NULL },
	[WF_CONCURRENCY] = { "concurrency", NULL },
	[WF_SHELL] = { "shell", NULL },
	/* The service-orchestration document's: name (= metadata.name) and
	 * triggers, which a single-shot runner cannot watch. */
	[WF_NAME] = { "name", NULL }, [WF_TRIGGERS] = { "triggers", NULL },
	[WF_EXECUTOR] = { "executor", NULL },
	[WF_RESOURCES] = { "resources", NULL },
	[WF_RECOVERY] = { "recovery", NULL },
};

/* The older error_handling: {strategy, rollback_steps}. */
static int
load_error_handling(struct loader *ld, struct workflow *w,
    const struct ynode *n)
{
	static const struct field	 ehf[] = { { "strategy", NULL },
					    { "rollback_steps", NULL },
					    { "notification", NULL } };
	const struct ynode		*f[3];
	const char			*strategy = "rollback";
	struct loc			 l;

	if (load_fields(ld, n, "error_handling", ehf, 3, f) < 0)
		return -1;
	if (f[2] != NULL) {
		l = load_loc(ld, f[2]);
		loc_warn(&l, "muster sends no notifications of its own; add "
		    "an onFailure step that calls your notifier (it can read "
		    ".failure.step and .failure.error): doc/coming-from.md");
	}
	if (f[0] != NULL && load_str(ld, f[0], "strategy", &strategy) < 0)
		return -1;
	if (strcmp(strategy, "rollback") != 0 && strcmp(strategy, "stop") != 0) {
		l = load_loc(ld, f[0]);
		return loc_error(&l, "unknown error_handling strategy '%s' "
		    "(use rollback or stop)", strategy);
	}
	if (f[1] == NULL || strcmp(strategy, "stop") == 0)
		return 0;
	return load_steps(ld, w, f[1], "rollback_steps", LEVEL_CLEANUP, NULL,
	    &w->on_failure, &w->non_failure);
}

static int
load_concurrency(struct loader *ld, const struct ynode *n,
    enum concurrency *c)
{
	static const char *const	 names[] = { "allow", "forbid", "wait" };
	int				 i;

	if (load_choice(ld, n, "concurrency", names, nitems(names), &i) < 0)
		return -1;
	*c = (enum concurrency)i;
	return 0;
}

/*
 * The service-orchestration document's spec.name (must be metadata.name)
 * and triggers (accepted with a warning: nothing here watches them).
 */
static int
load_doc_fields(struct loader *ld, const struct ynode *name,
    const struct ynode *triggers, struct workflow *w)
{
	const char	*s;
	struct loc	 l;

	if (triggers != NULL) {
		l = load_loc(ld, triggers);
		loc_warn(&l, "muster does not watch metrics or events: "
		    "'triggers' are ignored; run the workflow from "
		    "Alertmanager, cron or a systemd timer: "
		    "doc/coming-from.md");
	}
	if (name == NULL)
		return 0;
	if (load_str(ld, name, "name", &s) < 0)
		return -1;
	if (strcmp(s, w->name) != 0) {
		l = load_loc(ld, name);
		return loc_error(&l, "spec.name '%s' differs from "
		    "metadata.name '%s'", s, w->name);
	}
	return 0;
}

int
load_workflow(struct loader *ld, const struct ynode *spec, struct workflow *w)
{
	const struct ynode	*f[WF_COUNT];
	struct loc		 l = load_loc(ld, spec);
	char			*what;
	int			 rc, bad_recovery = 0;

	what = arena_printf(ld->a, "the spec of workflow '%s'", w->name);
	if ((rc = load_fields(ld, spec, what, wf_fields, WF_COUNT, f)) < 0 &&
	    spec->kind != YNODE_MAP)
		return -1;
	if (f[WF_DESCRIPTION] != NULL)
		rc |= load_str(ld, f[WF_DESCRIPTION], "description",
		    &w->description);
	if (f[WF_ARGS] != NULL)
		rc |= load_schema(ld, f[WF_ARGS], &w->args);
	if (f[WF_TIMEOUT] != NULL)
		rc |= load_duration(ld, f[WF_TIMEOUT], "timeout",
		    &w->timeout_ns);
	rc |= load_max_parallel(ld, f[WF_MAX_PARALLEL], f[WF_PARALLELISM],
	    &w->max_parallel);
	if (f[WF_CONCURRENCY] != NULL)
		rc |= load_concurrency(ld, f[WF_CONCURRENCY], &w->concurrency);
	if (f[WF_SHELL] != NULL)
		rc |= load_shell(ld, f[WF_SHELL], &w->shell);
	rc |= load_doc_fields(ld, f[WF_NAME], f[WF_TRIGGERS], w);
	if (f[WF_EXECUTOR] != NULL)
		rc |= load_executor(ld, f[WF_EXECUTOR], &w->executor);
	if (f[WF_RESOURCES] != NULL)
		rc |= load_resources(ld, f[WF_RESOURCES], &w->resources);
	if (f[WF_STEPS] == NULL)
		rc = load_typo(ld, WF_STEPS) ? -1 : loc_error(&l, "workflow "
		    "'%s' has no 'steps'", w->name);
	else
		rc |= load_steps(ld, w, f[WF_STEPS], "steps", LEVEL_TOP, NULL,
		    &w->steps, &w->nsteps);
	if (f[WF_ON_FAILURE] != NULL && f[WF_ERROR_HANDLING] != NULL) {
		l = load_loc(ld, f[WF_ERROR_HANDLING]);
		rc = loc_error(&l, "'onFailure' and 'error_handling' are the "
		    "same setting");
	} else if (f[WF_ON_FAILURE] != NULL)
		rc |= load_steps(ld, w, f[WF_ON_FAILURE], "onFailure",
		    LEVEL_CLEANUP, NULL, &w->on_failure, &w->non_failure);
	else if (f[WF_ERROR_HANDLING] != NULL)
		rc |= load_error_handling(ld, w, f[WF_ERROR_HANDLING]);
	if (f[WF_RECOVERY] != NULL && load_steps(ld, w, f[WF_RECOVERY],
	    "recovery", LEVEL_RECOVERY, NULL, &w->recovery, &w->nrecovery) < 0)
		rc = bad_recovery = -1;
	rc |= route_resolve(w, bad_recovery == 0);
	if (f[WF_OUTPUT] != NULL)
		rc |= load_tval(ld, f[WF_OUTPUT], "output", &w->output);
	return rc < 0 ? -1 : 0;
}
