/* check.c: references across definitions: tools, steps, results, classes. */
#include <stdarg.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "def/builtins.h"
#include "def/check.h"
#include "def/graph.h"
#include "def/project.h"
#include "tmpl/tmpl.h"

/* A loc_error, or a plain error when there is no place to point at. */
static int
where_error(const struct loc *l, const char *fmt, ...) PRINTF(2, 3);

static int
where_error(const struct loc *l, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;
	int		rc;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	rc = l != NULL ? loc_error(l, "%s", buf_str(&b)) :
	    error("%s", buf_str(&b));
	buf_release(&b);
	return rc;
}

/*
 * x_<server>_<tool>: the MCPServer with the longest name that fits, and a
 * tool made up for it (kept in p->mcp_tools).  NULL when none fits.
 */
static struct tool *
mcp_tool(struct project *p, const char *name)
{
	struct mcp_server	*best = NULL;
	struct tool		*t;
	size_t			 i, len;

	if (strncmp(name, "x_", 2) != 0)
		return NULL;
	if ((t = hmap_get(&p->mcp_tools, name)) != NULL)
		return t;
	for (i = 0; i < p->nmcp; i++) {
		len = strlen(p->mcpservers[i]->name);
		if (strncmp(name + 2, p->mcpservers[i]->name, len) == 0 &&
		    name[2 + len] == '_' && name[3 + len] != '\0' &&
		    (best == NULL || len > strlen(best->name)))
			best = p->mcpservers[i];
	}
	if (best == NULL)
		return NULL;
	t = arena_alloc(&p->arena, sizeof *t);
	t->name = arena_strdup(&p->arena, name);
	t->loc = best->loc;
	t->file = best->file;
	t->mcp = best;
	t->mcp_tool = t->name + 3 + strlen(best->name);
	t->timeout_ns = best->timeout_ns;
	t->hash = hmap_hash(t->name, strlen(t->name));
	hmap_put(&p->mcp_tools, t->name, t);
	return t;
}

int
project_resolve_tool(struct project *p, const char *name, const struct loc *l,
    enum tool_ref *ref, struct tool **tool, struct workflow **callee,
    int *builtin)
{
	const char	*cands[512], *sg;
	char		*name_srv;
	size_t		 n = 0, i, len;
	int		 rc;

	if (strncmp(name, "workflow_", 9) == 0) {
		if ((*callee = project_workflow(p, name + 9)) != NULL) {
			*ref = TOOL_WORKFLOW;
			return 0;
		}
		for (i = 0; i < p->nworkflows && n < nitems(cands); i++)
			cands[n++] = p->workflows[i]->name;
		sg = suggest(name + 9, cands, n);
		return sg ? where_error(l, "unknown workflow '%s' in tool '%s' "
		    "(did you mean 'workflow_%s'?)", name + 9, name, sg) :
		    where_error(l, "unknown workflow '%s' in tool '%s'",
		    name + 9, name);
	}
	if ((*builtin = builtin_find(name)) >= 0) {
		*ref = TOOL_BUILTIN;
		return 0;
	}
	if ((*tool = project_tool(p, name)) != NULL) {
		*ref = TOOL_FILE;
		return 0;
	}
	if ((*tool = mcp_tool(p, name)) != NULL) {
		*ref = TOOL_MCP;
		return 0;
	}
	if (strncmp(name, "x_", 2) == 0 && p->nmcp > 0 && strchr(name + 2,
	    '_') != NULL) {
		for (i = 0; i < p->nmcp && n < nitems(cands); i++)
			cands[n++] = p->mcpservers[i]->name;
		len = strcspn(name + 2, "_");
		name_srv = xstrndup(name + 2, len);
		sg = suggest(name_srv, cands, n);
		rc = sg ? where_error(l, "unknown tool '%s': no MCP server "
		    "'%s' (did you mean '%s'?)", name, name_srv, sg) :
		    where_error(l, "unknown tool '%s': no MCP server '%s'",
		    name, name_srv);
		free(name_srv);
		return rc;
	}
	for (i = 0; i < p->ntools && n < nitems(cands); i++)
		cands[n++] = p->tools[i]->name;
	for (i = 0; i < nbuiltins && n < nitems(cands); i++)
		cands[n++] = builtin_name(i);
	if ((sg = suggest(name, cands, n)) != NULL)
		return where_error(l, "unknown tool '%s' (did you mean '%s'?)",
		    name, sg);
	return where_error(l, "unknown tool '%s'", name);
}

static int
check_tool_name(struct project *p, const char *name, const struct loc *l)
{
	enum tool_ref		 ref;
	struct tool		*t;
	struct workflow		*w;
	int			 b;

	return project_resolve_tool(p, name, l, &ref, &t, &w, &b);
}

/* What the results check needs while walking one step's templates. */
struct refs {
	struct workflow		*w;
	const struct step	*reader;	/* NULL: may read any step */
	const char		*field;
	const struct tstr	*where;
	bool			 order;		/* the graph is sound */
	int			 rc;
};

/* The step `.results.<name>` means: an id, or a forEach id_<index>. */
static const struct step *
result_step(const struct workflow *w, const char *name)
{
	const struct step	*s = hmap_get(&w->ids, name);
	const char		*u;

	if (s != NULL)
		return s;
	if ((u = strrchr(name, '_')) == NULL || u[1] == '\0' ||
	    strspn(u + 1, "0123456789") != strlen(u + 1))
		return NULL;
	s = hmap_getn(&w->ids, name, (size_t)(u - name));
	return s != NULL && s->parent != NULL &&
	    s->parent->kind == STEP_FOREACH ? s : NULL;
}

/* True when step x has finished whenever step s starts. */
static bool
runs_before(const struct workflow *w, const struct step *s,
    const struct step *x)
{
	const struct step	*ts = s->parent ? s->parent : s;
	const struct step	*tx = x->parent ? x->parent : x;
	size_t			 i;

	if (ts == tx) {
		/* Siblings: a forEach body runs in order, parallel does not. */
		if (ts->kind != STEP_FOREACH || s == ts)
			return false;
		for (i = 0; i < ts->nsub && ts->sub[i] != s; i++)
			if (ts->sub[i] == x)
				return true;
		return false;
	}
	return graph_before(w, ts, tx);
}

/* True when the workflow has an argument called name. */
static bool
has_arg(const struct workflow *w, const char *name)
{
	size_t	i;

	for (i = 0; i < w->args.n; i++)
		if (strcmp(w->args.args[i].name, name) == 0)
			return true;
	return false;
}

static void
on_field(void *arg, const char *const *chain, size_t n, int line, int col)
{
	struct refs		*r = arg;
	const struct step	*x;
	struct loc		 l = tstr_loc(r->where, line, col);
	const char		*root, *name, *dot;

	if (n == 0)	/* the whole root, results and steps with it */
		r->w->reads_steps = r->w->reads_results = true;
	else if (strcmp(chain[0], "steps") == 0)
		r->w->reads_steps = true;
	else if (strcmp(chain[0], "results") == 0 ||
	    strcmp(chain[0], "context") == 0)	/* .context: legacy alias */
		r->w->reads_results = true;
	if (n > 0) {
		struct buf	who = BUF_INIT;

		if (r->reader != NULL)
			buf_printf(&who, "step '%s'", r->reader->id);
		else
			buf_printf(&who, "'%s'", r->field);
		if (check_chain(r->w, chain, n, &l, buf_str(&who)) < 0)
			r->rc = -1;
		buf_release(&who);
	}
	if (n >= 2 && (strcmp(chain[0], "results") == 0 ||
	    strcmp(chain[0], "steps") == 0 ||
	    strcmp(chain[0], "context") == 0)) {
		root = chain[0];
		name = chain[1];
	} else if (n >= 1 && !tmpl_root(chain[0]) && !has_arg(r->w, chain[0]) &&
	    (x = result_step(r->w, chain[0])) != NULL) {
		/* .<step id>: the documents' spelling of .results.<id>. */
		r->w->reads_results = r->w->reads_step_roots = true;
		root = "";
		name = chain[0];
	} else
		return;
	dot = *root != '\0' ? "." : "";
	if ((x = result_step(r->w, name)) == NULL) {
		const char	*ids[256], *sg;
		size_t		 k;

		for (k = 0; k < r->w->nsteps && k < nitems(ids); k++)
			ids[k] = r->w->steps[k]->id;
		sg = suggest(name, ids, k);
		if (r->reader != NULL)
			r->rc = loc_error(&l, "step '%s' reads .%s%s%s, but "
			    "workflow '%s' has no step '%s'%s%s%s",
			    r->reader->id, root, dot, name, r->w->name, name,
			    sg ? " (did you mean '" : "", sg ? sg : "",
			    sg ? "'?)" : "");
		else
			r->rc = loc_error(&l, "'%s' reads .%s%s%s, but workflow "
			    "'%s' has no step '%s'%s%s%s", r->field, root, dot,
			    name, r->w->name, name, sg ? " (did you mean '" : "",
			    sg ? sg : "", sg ? "'?)" : "");
		return;
	}
	if (r->reader == NULL || !r->order || runs_before(r->w, r->reader, x))
		return;
	if (x->parent != NULL && x->parent == r->reader->parent)
		r->rc = loc_error(&l, "step '%s' reads .%s%s%s, but '%s' "
		    "runs alongside it in '%s'", r->reader->id, root, dot,
		    name, x->id, x->parent->id);
	else
		r->rc = loc_error(&l, "step '%s' reads .%s%s%s but does not "
		    "depend on '%s'; add it to dependsOn", r->reader->id,
		    root, dot, name, (x->parent ? x->parent : x)->id);
}

/* `replace .s "-" "_"`: the documents' order, not Sprig's. */
static void
on_order(void *arg, const char *func, const char *sig, int line, int col)
{
	struct refs	*r = arg;
	struct loc	 l = tstr_loc(r->where, line, col);

	loc_warn(&l, "%s takes `%s` (the string last, as in Sprig), but "
	    "this call has a value first and literals after it: swapped?",
	    func, sig);
}

static void
refs_tstr(struct refs *r, const struct tstr *t, const char *field)
{
	if (t->t == NULL)
		return;
	r->where = t;
	r->field = field;
	tmpl_walk_fields(t->t, on_field, r);
	tmpl_walk_order(t->t, on_order, r);
}

static void
refs_tval(struct refs *r, const struct tval *v, const char *field)
{
	size_t	i;

	if (v == NULL)
		return;
	if (v->kind == TV_TMPL)
		refs_tstr(r, &v->str, field);
	for (i = 0; i < v->n && v->kind != TV_TMPL && v->kind != TV_CONST; i++)
		refs_tval(r, v->items[i], field);
}

static void
refs_expect(struct refs *r, const struct expect *e)
{
	size_t	i;

	for (i = 0; i < e->n; i++)
		refs_tval(r, e->values[i], "jsonPath");
}

/* check_call_args() for a step's call, named "WHAT 'ID'". */
static int
call_args(const char *tool, enum tool_ref ref, const struct tool *t,
    const struct workflow *callee, int builtin, const struct tval *args,
    const struct loc *l, const char *id, const char *what)
{
	struct buf	who = BUF_INIT;
	int		rc;

	buf_printf(&who, "%s '%s'", what, id);
	rc = check_call_args(tool, ref, t, callee, builtin, args, l,
	    buf_str(&who));
	buf_release(&who);
	return rc;
}

static int
check_condition(struct project *p, struct workflow *w, struct step *s,
    struct refs *r)
{
	struct condition	*c = s->cond;
	int			 rc = 0;

	if (c->kind == COND_TEMPLATE)
		refs_tstr(r, &c->tmpl, "condition");
	else if (c->kind == COND_TOOL) {
		rc = project_resolve_tool(p, c->tool, &c->tool_loc, &c->tool_ref,
		    &c->tool_def, &c->callee, &c->builtin);
		if (rc == 0)
			rc = call_args(c->tool, c->tool_ref, c->tool_def,
			    c->callee, c->builtin, c->args, &c->tool_loc,
			    s->id, "the condition of step");
		refs_tval(r, c->args, "condition");
	} else {
		/* a fromStep looks at .steps and .results */
		w->reads_steps = w->reads_results = true;
		c->from = hmap_get(&w->ids, c->from_step);
		if (c->from == NULL)
			rc = loc_error(&c->from_loc, "the condition of step "
			    "'%s' reads unknown step '%s'", s->id, c->from_step);
		else if (r->reader != NULL && r->order &&
		    !runs_before(w, s, c->from))
			rc = loc_error(&c->from_loc, "the condition of step "
			    "'%s' reads step '%s' but the step does not depend "
			    "on it; add it to dependsOn", s->id, c->from_step);
	}
	refs_expect(r, &c->expect);
	refs_expect(r, &c->expect_not);
	return rc;
}

static int
check_step(struct project *p, struct workflow *w, struct step *s,
    bool cleanup, bool order)
{
	struct refs	r = { w, cleanup ? NULL : s, NULL, NULL, order, 0 };
	size_t		i;
	int		rc = 0;

	if (s->kind == STEP_TOOL)
		rc = project_resolve_tool(p, s->tool_name, &s->tool_loc,
		    &s->tool_ref, &s->tool, &s->callee, &s->builtin);
	if (rc == 0 && s->kind == STEP_TOOL)
		rc = call_args(s->tool_name, s->tool_ref, s->tool, s->callee,
		    s->builtin, s->args, &s->tool_loc, s->id, "step");
	/* A step is changed by an edit to its tool too. */
	if (s->kind == STEP_TOOL && s->tool != NULL &&
	    s->tool_ref == TOOL_FILE)
		s->hash = s->hash * 0x100000001b3ULL ^ s->tool->hash;
	refs_tval(&r, s->args, "args");
	refs_tstr(&r, &s->run, "run");
	if (s->kind == STEP_RUN) {
		struct buf	who = BUF_INIT;

		buf_printf(&who, "step '%s'", s->id);
		rc |= check_shell_contexts(&s->run, buf_str(&who));
		buf_release(&who);
	}
	refs_tstr(&r, &s->items, "items");
	refs_tval(&r, s->items_const, "items");
	refs_tval(&r, s->env, "env");
	refs_tstr(&r, &s->workdir, "workdir");
	if (s->cond != NULL)
		rc |= check_condition(p, w, s, &r);
	for (i = 0; i < s->nsub; i++)
		rc |= check_step(p, w, s->sub[i], cleanup, order);
	return rc | r.rc;
}

/* True when step s runs once per item of a forEach around it. */
static bool
per_item(const struct step *s)
{
	for (s = s->parent; s != NULL; s = s->parent)
		if (s->kind == STEP_FOREACH)
			return true;
	return false;
}

/* Whether a step (at any depth) is marked `output: true`. */
static bool
marks_output(struct step **s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i]->output || marks_output(s[i]->sub, s[i]->nsub))
			return true;
	return false;
}

/*
 * Iteration i of a step X inside a forEach is recorded (and read in
 * templates) as X_i: a step with that very id would share its record.
 */
static int
check_key(const struct workflow *w, const struct step *s)
{
	const char		*u = strrchr(s->id, '_');
	const struct step	*x;
	size_t			 i;
	int			 rc = 0;

	if (u != NULL && u > s->id && u[1] != '\0' &&
	    strspn(u + 1, "0123456789") == strlen(u + 1) &&
	    (x = hmap_getn(&w->ids, s->id, (size_t)(u - s->id))) != NULL &&
	    per_item(x)) {
		rc = loc_error(&s->loc, "step id '%s' is also the name of "
		    "iteration %s of step '%s', which runs in a forEach; "
		    "rename one of them", s->id, u + 1, x->id);
		loc_note(&x->loc, "step '%s' is defined here", x->id);
	}
	for (i = 0; i < s->nsub; i++)
		rc |= check_key(w, s->sub[i]);
	return rc;
}

/* Step i of the steps s names a checkpoint another names too. */
static int
dup_checkpoints(struct step **s, size_t n, struct hmap *seen)
{
	struct step	*old;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < n; i++) {
		if (s[i]->checkpoint != NULL && (old = hmap_put(seen,
		    s[i]->checkpoint, s[i])) != NULL) {
			rc = loc_error(&s[i]->loc, "step '%s' names checkpoint "
			    "'%s', which step '%s' names already", s[i]->id,
			    s[i]->checkpoint, old->id);
		}
		rc |= dup_checkpoints(s[i]->sub, s[i]->nsub, seen);
	}
	return rc;
}

static int
check_checkpoints(struct workflow *w)
{
	struct hmap	seen = HMAP_INIT;
	int		rc = dup_checkpoints(w->steps, w->nsteps, &seen);

	hmap_release(&seen);
	return rc;
}

static int
check_workflow(struct project *p, struct workflow *w)
{
	struct refs	r = { w, NULL, NULL, NULL, true, 0 };
	size_t		i;
	int		rc;
	bool		order;

	rc = check_checkpoints(w);
	/* .<name> reads an argument or a step's result: never both. */
	for (i = 0; i < w->args.n; i++)
		if (hmap_get(&w->ids, w->args.args[i].name) != NULL)
			rc = loc_error(&w->args.args[i].loc, "argument '%s' "
			    "has the name of a step; templates could not tell "
			    "'.%s' apart", w->args.args[i].name,
			    w->args.args[i].name);
	/* Without a sound graph, the order of reads is not checked. */
	order = graph_resolve(w, &p->arena) == 0;
	if (!order)
		rc = -1;
	for (i = 0; i < w->nsteps; i++)
		rc |= check_step(p, w, w->steps[i], false, order);
	for (i = 0; i < w->non_failure; i++)
		rc |= check_step(p, w, w->on_failure[i], true, order);
	for (i = 0; i < w->nrecovery; i++)
		rc |= check_step(p, w, w->recovery[i], true, order);
	for (i = 0; i < w->nsteps; i++)
		rc |= check_key(w, w->steps[i]);
	for (i = 0; i < w->non_failure; i++)
		rc |= check_key(w, w->on_failure[i]);
	for (i = 0; i < w->nrecovery; i++)
		rc |= check_key(w, w->recovery[i]);
	refs_tval(&r, w->output, "output");
	/* Without an output block or an `output: true` step, the run's
	 * result is all results: they are kept. */
	if (w->output == NULL && !marks_output(w->steps, w->nsteps))
		w->all_results = w->reads_results = true;
	return rc | r.rc;
}

/*
 * Workflows that call each other through workflow_<name> steps would
 * never end; so would service classes that depend on each other.  Both
 * are found by one iterative depth-first walk over "calls" edges.
 */
struct walk {
	size_t		  n;
	size_t		(*nedges)(void *, size_t);
	size_t		(*edge)(void *, size_t, size_t, const struct loc **);
	const char	*(*name)(void *, size_t);
	const char	 *what;
	void		 *arg;
};

static void
report_walk_cycle(const struct walk *g, const size_t *stack, size_t top,
    size_t u, const struct loc *l)
{
	struct buf	b = BUF_INIT;
	size_t		k = 0;

	while (stack[k] != u)
		k++;
	for (; k < top; k++)
		buf_printf(&b, "'%s' -> ", g->name(g->arg, stack[k]));
	buf_printf(&b, "'%s'", g->name(g->arg, u));
	loc_error(l, "%s cycle: %s", g->what, buf_str(&b));
	buf_release(&b);
}

static int
walk_cycles(const struct walk *g)
{
	unsigned char	*mark = xcalloc(g->n + 1, 1);
	size_t		*stack = xcalloc(g->n + 1, sizeof *stack);
	size_t		*next = xcalloc(g->n + 1, sizeof *next);
	size_t		 i, top;
	int		 rc = 0;

	for (i = 0; i < g->n; i++) {
		if (mark[i])
			continue;
		top = 0;
		stack[top++] = i;
		mark[i] = 1;
		next[i] = 0;
		while (top > 0) {
			size_t			 v = stack[top - 1], u;
			const struct loc	*l;

			if (next[v] == g->nedges(g->arg, v)) {
				mark[v] = 2;
				top--;
				continue;
			}
			u = g->edge(g->arg, v, next[v]++, &l);
			if (u == (size_t)-1 || mark[u] == 2)
				continue;
			if (mark[u] == 1) {
				report_walk_cycle(g, stack, top, u, l);
				rc = -1;
				continue;
			}
			mark[u] = 1;
			next[u] = 0;
			stack[top++] = u;
		}
	}
	free(mark);
	free(stack);
	free(next);
	return rc;
}

/* Workflow call edges: the workflow_<name> steps, at any level. */
static void
collect_calls(const struct step *s, const struct step ***out, size_t *n,
    size_t *cap)
{
	size_t	i;

	if (s->kind == STEP_TOOL && s->tool_ref == TOOL_WORKFLOW) {
		xgrow(out, cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = s;
	}
	for (i = 0; i < s->nsub; i++)
		collect_calls(s->sub[i], out, n, cap);
}

struct calls {
	struct project		 *p;
	const struct step	***calls;
	size_t			 *ncalls;
};

static size_t
call_count(void *arg, size_t v)
{
	return ((struct calls *)arg)->ncalls[v];
}

static size_t
call_edge(void *arg, size_t v, size_t k, const struct loc **l)
{
	struct calls		*c = arg;
	const struct step	*s = c->calls[v][k];
	size_t			 i;

	*l = &s->tool_loc;
	for (i = 0; i < c->p->nworkflows; i++)
		if (c->p->workflows[i] == s->callee)
			return i;
	return (size_t)-1;
}

static const char *
workflow_name(void *arg, size_t v)
{
	return ((struct calls *)arg)->p->workflows[v]->name;
}

static int
check_calls(struct project *p)
{
	struct calls	 c = { p, NULL, NULL };
	struct walk	 g = { p->nworkflows, call_count, call_edge,
			    workflow_name, "workflow call", &c };
	size_t		 i, j, cap;
	int		 rc;

	c.calls = xcalloc(p->nworkflows + 1, sizeof *c.calls);
	c.ncalls = xcalloc(p->nworkflows + 1, sizeof *c.ncalls);
	for (i = 0; i < p->nworkflows; i++) {
		cap = 0;
		for (j = 0; j < p->workflows[i]->nsteps; j++)
			collect_calls(p->workflows[i]->steps[j], &c.calls[i],
			    &c.ncalls[i], &cap);
	}
	rc = walk_cycles(&g);
	for (i = 0; i < p->nworkflows; i++)
		free(c.calls[i]);
	free(c.calls);
	free(c.ncalls);
	return rc;
}

static size_t
dep_count(void *arg, size_t v)
{
	return ((struct project *)arg)->classes[v]->ndeps;
}

static size_t
dep_edge(void *arg, size_t v, size_t k, const struct loc **l)
{
	struct project		*p = arg;
	struct service_class	*c = p->classes[v];
	size_t			 i;

	*l = &c->dep_locs[k];
	for (i = 0; i < p->nclasses; i++)
		if (p->classes[i] == c->dep_classes[k])
			return i;
	return (size_t)-1;
}

static const char *
class_name(void *arg, size_t v)
{
	return ((struct project *)arg)->classes[v]->name;
}

static int
check_class(struct project *p, struct service_class *c)
{
	struct lifecycle	*lc[] = { c->start, c->stop, c->restart,
				    c->status, c->health_tool, c->scale };
	size_t			 i;
	int			 rc = 0;

	c->dep_classes = arena_array(&p->arena, c->ndeps,
	    sizeof *c->dep_classes);
	for (i = 0; i < c->ndeps; i++) {
		c->dep_classes[i] = project_class(p, c->deps[i]);
		if (c->dep_classes[i] == NULL)
			rc = loc_error(&c->dep_locs[i], "service class '%s' "
			    "depends on unknown service class '%s'", c->name,
			    c->deps[i]);
		else if (c->dep_classes[i] == c)
			rc = loc_error(&c->dep_locs[i], "service class '%s' "
			    "depends on itself", c->name);
	}
	for (i = 0; i < nitems(lc); i++)
		if (lc[i] != NULL)
			rc |= check_tool_name(p, lc[i]->tool, &lc[i]->loc);
	return rc;
}

int
project_check(struct project *p)
{
	struct walk	g = { p->nclasses, dep_count, dep_edge, class_name,
			    "service class dependency", p };
	size_t		i;
	int		rc = 0, crc = 0;

	for (i = 0; i < p->nworkflows; i++)
		if (!p->workflows[i]->broken)
			rc |= check_workflow(p, p->workflows[i]);
		else
			rc = -1;
	rc |= check_calls(p);
	for (i = 0; i < p->ntools; i++)
		if (p->tools[i]->run.t != NULL) {
			struct buf	who = BUF_INIT;

			buf_printf(&who, "tool '%s'", p->tools[i]->name);
			rc |= check_shell_contexts(&p->tools[i]->run,
			    buf_str(&who));
			buf_release(&who);
		}
	for (i = 0; i < p->nclasses; i++)
		if (!p->classes[i]->broken)
			crc |= check_class(p, p->classes[i]);
		else
			crc = -1;
	if (crc == 0)
		crc = walk_cycles(&g);
	return rc | crc;
}
