/* walk.c: tmpl_walk_fields, the field chains a template reads;
 * tmpl_walk_shell, a run: script's shell contexts; tmpl_walk_order, calls
 * written in another argument order than Sprig's. */
#include <stdlib.h>
#include <string.h>

#include "tmpl/int.h"

struct walker {
	const struct tmpl	 *t;
	void			(*fn)(void *, const char *const *, size_t,
				    int, int);
	void			 *arg;
};

static void	visit(struct walker *, const struct node *, int);

static void
report(struct walker *w, const struct node *at, const char *const *a,
    size_t n, const char *const *b, size_t m)
{
	const char	**v;
	struct tmpl_error e;

	v = xreallocarray(NULL, n + m + 1, sizeof *v);
	if (n > 0)
		memcpy(v, a, n * sizeof *v);
	if (m > 0)
		memcpy(v + n, b, m * sizeof *v);
	tmpl_seterr(&e, w->t->src, w->t->len, at->pos, "%s", "");
	w->fn(w->arg, v, n + m, e.line, e.col);
	free(v);
}

/* The chain of a field read from the root, or NULL. */
static const struct node *
root_chain(const struct node *n, int root)
{
	if (n->type == N_FIELD && root && n->u.field.n > 0)
		return n;
	if (n->type == N_VAR && n->u.field.var == 0 && n->u.field.n > 0)
		return n;
	return NULL;
}

/* index .a "b" "c": the constant keys extend the chain of .a */
static int
visit_index(struct walker *w, const struct node *cmd, int root)
{
	const struct node	*f, **k;
	const char		**keys;
	unsigned		 i, n = 0;

	if (cmd->u.list.n < 2 || cmd->u.list.v[0]->type != N_FUNC ||
	    strcmp(cmd->u.list.v[0]->u.fn->name, "index") != 0 ||
	    (f = root_chain(cmd->u.list.v[1], root)) == NULL)
		return 0;
	k = (const struct node **)cmd->u.list.v + 2;
	while (2 + n < cmd->u.list.n && k[n]->type == N_STRING)
		n++;
	keys = xreallocarray(NULL, n + 1, sizeof *keys);
	for (i = 0; i < n; i++)
		keys[i] = k[i]->u.text.s;
	report(w, f, f->u.field.ident, f->u.field.n, keys, n);
	free(keys);
	for (i = 2 + n; i < cmd->u.list.n; i++)
		visit(w, cmd->u.list.v[i], root);
	return 1;
}

static void
visit_chain(struct walker *w, const struct node *n, int root)
{
	const struct node	*b = n->u.field.base, *c, *f;

	if (b->type == N_PIPE && b->u.pipe.ncmds == 1 &&
	    b->u.pipe.ndecl == 0 &&
	    (c = b->u.pipe.cmds[0])->u.list.n == 1 &&
	    (f = root_chain(c->u.list.v[0], root)) != NULL) {
		report(w, f, f->u.field.ident, f->u.field.n, n->u.field.ident,
		    n->u.field.n);
		return;
	}
	visit(w, b, root);
}

static void
visit(struct walker *w, const struct node *n, int root)
{
	const struct node	*f;
	unsigned		 i;

	if (n == NULL)
		return;
	switch (n->type) {
	case N_LIST:
		for (i = 0; i < n->u.list.n; i++)
			visit(w, n->u.list.v[i], root);
		break;
	case N_ACTION:
		visit(w, n->u.action, root);
		break;
	case N_IF: case N_WITH: case N_RANGE:
		visit(w, n->u.ctl.pipe, root);
		visit(w, n->u.ctl.list, n->type == N_IF ? root : 0);
		visit(w, n->u.ctl.elselist, root);
		break;
	case N_TEMPLATE:
		/* What a defined template reads is not followed: anything. */
		report(w, n, NULL, 0, NULL, 0);
		visit(w, n->u.call.pipe, root);
		break;
	case N_PIPE:
		for (i = 0; i < n->u.pipe.ncmds; i++)
			visit(w, n->u.pipe.cmds[i], root);
		break;
	case N_CMD:
		if (visit_index(w, n, root))
			break;
		for (i = 0; i < n->u.list.n; i++)
			visit(w, n->u.list.v[i], root);
		break;
	case N_FIELD: case N_VAR:
		if ((f = root_chain(n, root)) != NULL)
			report(w, f, f->u.field.ident, f->u.field.n, NULL, 0);
		else if (n->type == N_VAR && n->u.field.var == 0)
			report(w, n, NULL, 0, NULL, 0);		/* $ */
		break;
	case N_DOT:
		if (root)
			report(w, n, NULL, 0, NULL, 0);
		break;
	case N_CHAIN:
		visit_chain(w, n, root);
		break;
	}
}

void
tmpl_walk_fields(const struct tmpl *t, void (*fn)(void *arg,
    const char *const *chain, size_t n, int line, int col), void *arg)
{
	struct walker	w = { t, fn, arg };

	visit(&w, t->root, 1);
}

/* What tmpl_walk_shell() carries through the nodes. */
struct shwalk {
	const struct tmpl	 *t;
	struct shstate		  sh;
	struct buf		 *script;
	struct buf		  tmp;
	void			(*fn)(void *, int, int, const char *);
	void			 *arg;
	int			  straight;	/* no control structures */
};

/* An action that prints: a value goes where it stands. */
static void
shell_value(struct shwalk *w, const struct node *n)
{
	struct tmpl_error	 e;
	const char		*why;
	const struct node	*p = n->u.action;

	if (p != NULL && p->type == N_PIPE && p->u.pipe.ndecl > 0)
		return;		/* {{ $x := ... }} prints nothing */
	buf_truncate(&w->tmp, 0);
	if (shell_escape(&w->sh, &w->tmp, "x", 1, &why) < 0) {
		tmpl_seterr(&e, w->t->src, w->t->len, n->pos, "%s", "");
		w->fn(w->arg, e.line, e.col, why);
		buf_adds(&w->tmp, "x");
	}
	if (w->script != NULL)
		buf_add(w->script, w->tmp.s, w->tmp.len);
}

static void
shell_visit(struct shwalk *w, const struct node *n)
{
	unsigned	i;

	if (n == NULL || w->sh.why != NULL)
		return;
	switch (n->type) {
	case N_LIST:
		for (i = 0; i < n->u.list.n; i++)
			shell_visit(w, n->u.list.v[i]);
		break;
	case N_TEXT:
		shell_feed(&w->sh, n->u.text.s, n->u.text.n, 0);
		if (w->script != NULL)
			buf_add(w->script, n->u.text.s, n->u.text.n);
		break;
	case N_ACTION:
		shell_value(w, n);
		break;
	case N_IF: case N_WITH: case N_RANGE:
		/* Both branches, in turn: good enough to find contexts. */
		w->straight = 0;
		shell_visit(w, n->u.ctl.list);
		shell_visit(w, n->u.ctl.elselist);
		break;
	default:
		w->straight = 0;
	}
}

int
tmpl_walk_shell(const struct tmpl *t, struct buf *script,
    void (*fn)(void *arg, int line, int col, const char *why), void *arg)
{
	struct shwalk	w = { .t = t, .script = script, .fn = fn, .arg = arg,
			    .straight = 1 };

	shell_init(&w.sh);
	shell_visit(&w, t->root);
	shell_release(&w.sh);
	buf_release(&w.tmp);
	return w.straight && w.sh.why == NULL ? 0 : -1;
}

/* Sprig's functions whose subject comes last, where other template
 * languages (and muster's documents) put it first. */
static const char *const subject_last[] = { "contains", "hasPrefix",
	"hasSuffix", "replace", "trimPrefix", "trimSuffix" };

static int
literal_node(const struct node *n)
{
	return n->type == N_STRING || n->type == N_NUMBER ||
	    n->type == N_BOOL;
}

/* A call with every argument written out, the first a value read from the
 * data and the rest string literals: `replace .s "-" "_"`. */
static void
order_cmd(const struct tmpl *t, const struct node *cmd, void (*fn)(void *,
    const char *, const char *, int, int), void *arg)
{
	const struct node	*f = cmd->u.list.v[0];
	struct tmpl_error	 e;
	unsigned		 i;

	if (f->type != N_FUNC ||
	    cmd->u.list.n != (unsigned)f->u.fn->nfixed + 1 ||
	    literal_node(cmd->u.list.v[1]))
		return;
	for (i = 0; i < nitems(subject_last); i++)
		if (strcmp(f->u.fn->name, subject_last[i]) == 0)
			break;
	if (i == nitems(subject_last))
		return;
	for (i = 2; i < cmd->u.list.n; i++)
		if (cmd->u.list.v[i]->type != N_STRING)
			return;
	tmpl_seterr(&e, t->src, t->len, cmd->pos, "%s", "");
	fn(arg, f->u.fn->name, f->u.fn->sig, e.line, e.col);
}

static void
order(const struct tmpl *t, const struct node *n, void (*fn)(void *,
    const char *, const char *, int, int), void *arg)
{
	unsigned	i;

	if (n == NULL)
		return;
	switch (n->type) {
	case N_LIST: case N_CMD:
		if (n->type == N_CMD && n->u.list.n > 1)
			order_cmd(t, n, fn, arg);
		for (i = 0; i < n->u.list.n; i++)
			order(t, n->u.list.v[i], fn, arg);
		break;
	case N_ACTION:
		order(t, n->u.action, fn, arg);
		break;
	case N_IF: case N_WITH: case N_RANGE:
		order(t, n->u.ctl.pipe, fn, arg);
		order(t, n->u.ctl.list, fn, arg);
		order(t, n->u.ctl.elselist, fn, arg);
		break;
	case N_TEMPLATE:
		order(t, n->u.call.pipe, fn, arg);
		break;
	case N_PIPE:
		for (i = 0; i < n->u.pipe.ncmds; i++)
			order(t, n->u.pipe.cmds[i], fn, arg);
		break;
	case N_CHAIN:
		order(t, n->u.field.base, fn, arg);
		break;
	}
}

void
tmpl_walk_order(const struct tmpl *t, void (*fn)(void *arg,
    const char *func, const char *sig, int line, int col), void *arg)
{
	size_t	i;

	order(t, t->root, fn, arg);
	for (i = 0; i < t->ndefs; i++)
		order(t, t->defs[i].list, fn, arg);
}
