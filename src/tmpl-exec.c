/* tmpl-exec.c: the template evaluator, after Go's text/template/exec.go. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl-int.h"

/* Work one rendering may do before it is stopped. */
#define MAX_STEPS	50000000ULL
#define MAX_SCRATCH	((size_t)TMPL_MAX_OUTPUT * 16)

enum { WALK_BREAK = 1, WALK_CONTINUE = 2 };

struct var {
	int		 id;
	struct tval	 v;
};

struct exec {
	const struct tmpl	*t;
	unsigned		 flags;
	struct buf		*out;
	size_t			 start;
	struct var		*vars, small[16];
	size_t			 nvars, capvars, vbase;
	unsigned		 depth;
	uint64_t		 steps;
	struct arena		 scratch;
	void			**owned;
	size_t			 nowned, capowned;
	struct json_object	**keep;
	size_t			 nkeep, capkeep;
	struct tmpl_error	*err;
	unsigned		 pos, end;
	const char		*calling;
	struct shstate		*sh;
	struct buf		 tmp;
};

static int	eval_pipe(struct exec *, const struct tval *,
		    const struct node *, struct tval *);
static int	eval_arg(struct exec *, const struct tval *,
		    const struct node *, int, struct tval *);
static int	walk_list(struct exec *, const struct tval *,
		    const struct node *);

static void
at(struct exec *x, const struct node *n)
{
	x->pos = n->pos;
	x->end = n->end;
}

int
exec_fail(struct exec *x, const char *fmt, ...)
{
	char		 msg[400];
	const char	*ctx = x->t->src + x->pos;
	size_t		 n = x->end > x->pos ? x->end - x->pos : 0;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tmpl_seterr(x->err, x->t->src, x->t->len, x->pos,
	    "at <%.*s%s>: %s%s%s", (int)(n > 20 ? 20 : n), ctx,
	    n > 20 ? "..." : "", x->calling ? "error calling " : "",
	    x->calling ? x->calling : "", x->calling ? ": " : "");
	if (x->err != NULL)
		snprintf(x->err->msg + strlen(x->err->msg),
		    sizeof x->err->msg - strlen(x->err->msg), "%s", msg);
	return -1;
}

void *
exec_alloc(struct exec *x, size_t n)
{
	if (n > MAX_SCRATCH || x->scratch.used > MAX_SCRATCH - n) {
		exec_fail(x, "template uses too much memory (limit %zu bytes)",
		    MAX_SCRATCH);
		return NULL;
	}
	return arena_alloc(&x->scratch, n);
}

char *
exec_strdup(struct exec *x, const char *s, size_t n)
{
	char	*p = exec_alloc(x, n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

struct json_object *
exec_keep(struct exec *x, struct json_object *j)
{
	if (j == NULL)
		return NULL;
	xgrow(&x->keep, &x->capkeep, x->nkeep + 1, sizeof *x->keep);
	x->keep[x->nkeep++] = j;
	return j;
}

int
exec_depth_ok(struct exec *x, unsigned depth)
{
	return x->depth + depth <= TMPL_MAX_DEPTH;
}

static int
depth_in(struct exec *x)
{
	if (++x->depth > TMPL_MAX_DEPTH)
		return exec_fail(x, "nesting too deep (limit %d)",
		    TMPL_MAX_DEPTH);
	return 0;
}

static int
push_var(struct exec *x, int id, const struct tval *v)
{
	if (x->nvars == x->capvars) {
		size_t	cap = x->capvars;

		if (x->vars == x->small) {
			x->vars = NULL;
			x->capvars = 0;
			xgrow(&x->vars, &x->capvars, cap * 2, sizeof *x->vars);
			memcpy(x->vars, x->small, sizeof x->small);
		} else
			xgrow(&x->vars, &x->capvars, x->nvars + 1,
			    sizeof *x->vars);
	}
	x->vars[x->nvars].id = id;
	x->vars[x->nvars].v = *v;
	x->nvars++;
	return 0;
}

static struct var *
find_var(struct exec *x, int id)
{
	size_t	i;

	for (i = x->nvars; i > x->vbase; i--)
		if (x->vars[i - 1].id == id)
			return &x->vars[i - 1];
	exec_fail(x, "undefined variable: %s", x->t->vars[id]);
	return NULL;
}

static int
emit_check(struct exec *x)
{
	if (x->out->len - x->start > TMPL_MAX_OUTPUT)
		return exec_fail(x, "output too large (limit %d bytes)",
		    TMPL_MAX_OUTPUT);
	return 0;
}

static int
emit_text(struct exec *x, const char *s, size_t n)
{
	if (x->sh != NULL) {
		shell_feed(x->sh, s, n, 0);
		if (x->sh->why != NULL)
			return exec_fail(x, "%s", x->sh->why);
	}
	buf_add(x->out, s, n);
	return emit_check(x);
}

static int
emit_value(struct exec *x, const struct tval *v)
{
	const char	*why;
	struct buf	*b = x->sh != NULL ? &x->tmp : x->out;

	if (x->sh != NULL)
		buf_truncate(&x->tmp, 0);
	if (v->kind == TV_MISSING)
		buf_adds(b, "<no value>");
	else if (v->kind == TV_STRING)
		buf_add(b, v->u.s.p, v->u.s.n);
	else if (print_value(b, v) < 0)
		return exec_fail(x, "value nested too deep (limit %d)",
		    TMPL_MAX_DEPTH);
	if (x->sh != NULL) {
		if (shell_escape(x->sh, x->out, buf_str(&x->tmp), x->tmp.len,
		    &why) < 0)
			return exec_fail(x, "%s", why);
	}
	return emit_check(x);
}

static int
not_a_function(struct exec *x, const struct node *cmd, int nargs,
    const struct tval *final)
{
	const struct node	*a;

	if (nargs <= 1 && final == NULL)
		return 0;
	a = cmd->u.list.v[0];
	return exec_fail(x, "can't give argument to non-function %.*s",
	    (int)(a->end - a->pos), x->t->src + a->pos);
}

static int
eval_field(struct exec *x, const char *name, int hasargs,
    const struct tval *recv, struct tval *out)
{
	struct json_object	*child;

	if (recv->kind == TV_MISSING) {
		if (!(x->flags & TMPL_MISSING_DEFAULT))
			return exec_fail(x, "nil data; no entry for key "
			    "\"%s\"", name);
		out->kind = TV_MISSING;
		return 0;
	}
	if (recv->kind == TV_NIL)
		return exec_fail(x, "nil pointer evaluating interface {}.%s",
		    name);
	if (recv->kind != TV_MAP)
		return exec_fail(x, "can't evaluate field %s in type %s", name,
		    recv->iface ? "interface {}" : tval_type(recv));
	if (hasargs)
		return exec_fail(x, "%s is not a method but has arguments",
		    name);
	if (json_object_object_get_ex(recv->u.j, name, &child)) {
		tval_from_json(out, child);
		return 0;
	}
	if (!(x->flags & TMPL_MISSING_DEFAULT))
		return exec_fail(x, "map has no entry for key \"%s\"", name);
	out->kind = TV_MISSING;
	return 0;
}

static int
eval_chain(struct exec *x, const struct tval *recv, const struct node *n,
    int hasargs, struct tval *out)
{
	struct tval	r = *recv;
	unsigned	i;

	for (i = 0; i < n->u.field.n; i++)
		if (eval_field(x, n->u.field.ident[i],
		    i + 1 == n->u.field.n ? hasargs : 0, &r, &r) < 0)
			return -1;
	*out = r;
	return 0;
}

/* .a.b, $x.a.b and (pipe).a.b; nargs and final as for a command. */
static int
eval_fields(struct exec *x, const struct tval *dot, const struct node *n,
    int nargs, const struct tval *final, struct tval *out)
{
	struct tval	base;
	struct var	*v;

	at(x, n);
	if (n->type == N_FIELD)
		return eval_chain(x, dot, n, nargs > 1 || final, out);
	if (n->type == N_VAR) {
		if ((v = find_var(x, n->u.field.var)) == NULL)
			return -1;
		if (n->u.field.n == 0) {
			*out = v->v;
			return 0;
		}
		base = v->v;
		return eval_chain(x, &base, n, nargs > 1 || final, out);
	}
	if (n->u.field.base->type == N_NIL)
		return exec_fail(x, "indirection through explicit nil in %.*s",
		    (int)(n->end - n->pos), x->t->src + n->pos);
	if (eval_arg(x, dot, n->u.field.base, P_ANY, &base) < 0)
		return -1;
	at(x, n);
	return eval_chain(x, &base, n, nargs > 1 || final, out);
}

static int
validate(struct exec *x, const struct tval *v, int type)
{
	static const char	*names[] = { "interface {}", "string", "int" };
	int			 want = type == P_STRING ? TV_STRING : TV_INT;

	if (type == P_ANY || v->kind == want)
		return 0;
	if (v->kind == TV_MISSING)
		return exec_fail(x, "invalid value; expected %s", names[type]);
	return exec_fail(x, "wrong type for value; expected %s; got %s",
	    names[type], tval_type(v));
}

static int	call_func(struct exec *, const struct tval *,
		    const struct node *, const struct node *,
		    const struct tval *, struct tval *);

static int
literal(struct exec *x, const struct node *n, int type, struct tval *out)
{
	static const char	*want[] = { "", "string", "integer" };

	memset(out, 0, sizeof *out);
	if (type == P_STRING && n->type != N_STRING)
		goto bad;
	if (type == P_INT) {
		if (n->type != N_NUMBER || !n->u.num->is_int)
			goto bad;
		out->kind = TV_INT;
		out->u.i = n->u.num->i;
		return 0;
	}
	switch (n->type) {
	case N_BOOL:
		out->kind = TV_BOOL;
		out->u.b = n->u.b;
		return 0;
	case N_STRING:
		tval_str(out, n->u.text.s, n->u.text.n);
		return 0;
	case N_NUMBER:
		if (n->u.num->overflow)
			return exec_fail(x, "%.*s overflows int",
			    (int)(n->end - n->pos), x->t->src + n->pos);
		*out = n->u.num->ideal;
		return 0;
	}
	return exec_fail(x, "can't handle %.*s for arg", (int)(n->end - n->pos),
	    x->t->src + n->pos);
bad:
	return exec_fail(x, "expected %s; found %.*s", want[type],
	    (int)(n->end - n->pos), x->t->src + n->pos);
}

/* Go's evalArg: one argument of a function, checked against its type. */
static int
eval_arg(struct exec *x, const struct tval *dot, const struct node *n,
    int type, struct tval *out)
{
	int	r;

	at(x, n);
	switch (n->type) {
	case N_DOT:
		*out = *dot;
		break;
	case N_NIL:
		if (type != P_ANY)
			return exec_fail(x, "cannot assign nil to %s",
			    type == P_STRING ? "string" : "int");
		out->kind = TV_NIL;
		return 0;
	case N_FIELD: case N_VAR: case N_CHAIN:
		if (eval_fields(x, dot, n, 1, NULL, out) < 0)
			return -1;
		break;
	case N_PIPE:
		if (depth_in(x) < 0)
			return -1;
		r = eval_pipe(x, dot, n, out);
		x->depth--;
		if (r < 0)
			return -1;
		break;
	case N_FUNC:
		if (call_func(x, dot, n, NULL, NULL, out) < 0)
			return -1;
		break;
	default:
		return literal(x, n, type, out);
	}
	at(x, n);
	return validate(x, out, type);
}

static int
call_args(struct exec *x, const struct tval *dot, const struct tfunc *fn,
    const struct node *cmd, const struct tval *final, struct tval *args)
{
	int	nargs = cmd != NULL ? (int)cmd->u.list.n - 1 : 0;
	int	i, last = fn->nfixed > 0 ? fn->nfixed - 1 : 0, type;

	for (i = 0; i < nargs; i++) {
		type = fn->types[i < fn->nfixed ? i : last];
		if (eval_arg(x, dot, cmd->u.list.v[i + 1], type, &args[i]) < 0)
			return -1;
	}
	if (final != NULL) {
		type = fn->types[i < fn->nfixed ? i : last];
		args[i] = *final;
		if (cmd != NULL)
			at(x, cmd);
		if (validate(x, final, type) < 0)
			return -1;
	}
	return 0;
}

/* and, or: they stop at the first operand that decides. */
static int
call_andor(struct exec *x, const struct tval *dot, const struct tfunc *fn,
    const struct node *cmd, const struct tval *final, struct tval *out)
{
	int	nargs = cmd != NULL ? (int)cmd->u.list.n - 1 : 0, i;

	for (i = 0; i < nargs; i++) {
		if (eval_arg(x, dot, cmd->u.list.v[i + 1], P_ANY, out) < 0)
			return -1;
		if (tval_truth(out) == (fn->special == 2))
			return 0;
	}
	if (final != NULL)
		*out = *final;
	return 0;
}

static int
call_func(struct exec *x, const struct tval *dot, const struct node *fnode,
    const struct node *cmd, const struct tval *final, struct tval *out)
{
	const struct tfunc	*fn = fnode->u.fn;
	struct tval		 small[6], *args = small;
	int			 nargs = cmd != NULL ? (int)cmd->u.list.n - 1 : 0;
	int			 numin = nargs + (final != NULL), r;

	at(x, fnode);
	if (fn->variadic && numin < fn->nfixed - 1)
		return exec_fail(x, "wrong number of args for %s: want at "
		    "least %d got %d", fn->name, fn->nfixed - 1, nargs);
	if (!fn->variadic && numin != fn->nfixed)
		return exec_fail(x, "wrong number of args for %s: want %d got "
		    "%d", fn->name, fn->nfixed, numin);
	if (fn->special)
		return call_andor(x, dot, fn, cmd, final, out);
	if (numin > (int)nitems(small) &&
	    (args = exec_alloc(x, (size_t)numin * sizeof *args)) == NULL)
		return -1;
	if (call_args(x, dot, fn, cmd, final, args) < 0)
		return -1;
	at(x, cmd != NULL ? cmd : fnode);
	x->calling = fn->name;
	memset(out, 0, sizeof *out);
	r = fn->fn(x, args, numin, out);
	x->calling = NULL;
	return r;
}

static int
eval_cmd(struct exec *x, const struct tval *dot, const struct node *cmd,
    const struct tval *final, struct tval *out)
{
	const struct node	*w = cmd->u.list.v[0];
	int			 nargs = (int)cmd->u.list.n, r;

	if (++x->steps > MAX_STEPS)
		return exec_fail(x, "template takes too long (limit %llu "
		    "steps)", MAX_STEPS);
	switch (w->type) {
	case N_FIELD: case N_CHAIN: case N_VAR:
		if (w->type == N_VAR && w->u.field.n == 0 &&
		    not_a_function(x, cmd, nargs, final) < 0)
			return -1;
		return eval_fields(x, dot, w, nargs, final, out);
	case N_FUNC:
		return call_func(x, dot, w, cmd, final, out);
	case N_PIPE:
		at(x, w);
		if (not_a_function(x, cmd, nargs, final) < 0 ||
		    depth_in(x) < 0)
			return -1;
		r = eval_pipe(x, dot, w, out);
		x->depth--;
		return r;
	}
	at(x, w);
	if (not_a_function(x, cmd, nargs, final) < 0)
		return -1;
	switch (w->type) {
	case N_DOT:
		*out = *dot;
		return 0;
	case N_NIL:
		return exec_fail(x, "nil is not a command");
	default:
		return literal(x, w, P_ANY, out);
	}
}

static int
eval_pipe(struct exec *x, const struct tval *dot, const struct node *pipe,
    struct tval *out)
{
	struct tval	 v, prev;
	struct var	*var;
	unsigned	 i;

	memset(&v, 0, sizeof v);
	for (i = 0; i < pipe->u.pipe.ncmds; i++) {
		prev = v;
		if (eval_cmd(x, dot, pipe->u.pipe.cmds[i], i > 0 ? &prev :
		    NULL, &v) < 0)
			return -1;
		if (v.kind == TV_NIL)
			v.kind = TV_MISSING;
		v.iface = 0;
	}
	for (i = 0; i < pipe->u.pipe.ndecl; i++) {
		if (!pipe->u.pipe.assign)
			push_var(x, pipe->u.pipe.decl[i], &v);
		else {
			at(x, pipe);
			if ((var = find_var(x, pipe->u.pipe.decl[i])) == NULL)
				return -1;
			var->v = v;
		}
	}
	*out = v;
	return 0;
}

static int
walk_if_with(struct exec *x, const struct tval *dot, const struct node *n)
{
	size_t		mark = x->nvars;
	struct tval	v;
	int		r;

	if (depth_in(x) < 0 || eval_pipe(x, dot, n->u.ctl.pipe, &v) < 0)
		return -1;
	if (tval_truth(&v))
		r = walk_list(x, n->type == N_WITH ? &v : dot, n->u.ctl.list);
	else if (n->u.ctl.elselist != NULL)
		r = walk_list(x, dot, n->u.ctl.elselist);
	else
		r = 0;
	x->nvars = mark;
	x->depth--;
	return r;
}

/* One pass of a range body; 1 to stop the loop. */
static int
iteration(struct exec *x, const struct node *n, const struct tval *index,
    const struct tval *elem, size_t mark)
{
	const struct node	*p = n->u.ctl.pipe;
	struct var		*v;
	int			 r;

	if (p->u.pipe.ndecl > 0) {
		if (p->u.pipe.assign) {
			if ((v = find_var(x, p->u.pipe.decl[0])) == NULL)
				return -1;
			v->v = p->u.pipe.ndecl > 1 ? *index : *elem;
			if (p->u.pipe.ndecl > 1) {
				if ((v = find_var(x, p->u.pipe.decl[1])) ==
				    NULL)
					return -1;
				v->v = *elem;
			}
		} else {
			x->vars[mark - 1].v = *elem;
			if (p->u.pipe.ndecl > 1)
				x->vars[mark - 2].v = *index;
		}
	}
	r = walk_list(x, elem, n->u.ctl.list);
	x->nvars = mark;
	if (r == WALK_BREAK)
		return 1;
	return r < 0 ? -1 : 0;
}

static int
range_items(struct exec *x, const struct node *n, const struct tval *v,
    size_t mark)
{
	struct tval	 k, e;
	const char	**keys;
	size_t		 i, cnt;
	int		 r = 0;

	if (v->kind == TV_LIST) {
		cnt = json_object_array_length(v->u.j);
		for (i = 0; i < cnt && r == 0; i++) {
			k.kind = TV_INT;
			k.u.i = (int64_t)i;
			tval_from_json(&e, json_object_array_get_idx(v->u.j, i));
			r = iteration(x, n, &k, &e, mark);
		}
		return r < 0 ? -1 : 0;
	}
	keys = tmpl_map_keys(v->u.j, &cnt);
	for (i = 0; i < cnt && r == 0; i++) {
		tval_str(&k, keys[i], strlen(keys[i]));
		tval_from_json(&e, json_object_object_get(v->u.j, keys[i]));
		r = iteration(x, n, &k, &e, mark);
	}
	free(keys);
	return r < 0 ? -1 : 0;
}

static int
walk_range(struct exec *x, const struct tval *dot, const struct node *n)
{
	size_t		mark0 = x->nvars, mark;
	struct tval	v, k, e;
	int64_t		i, cnt;
	int		r = 0;

	memset(&k, 0, sizeof k);
	memset(&e, 0, sizeof e);
	if (depth_in(x) < 0 || eval_pipe(x, dot, n->u.ctl.pipe, &v) < 0)
		return -1;
	mark = x->nvars;
	at(x, n->u.ctl.pipe);
	switch (v.kind) {
	case TV_LIST: case TV_MAP:
		if (tval_len(&v) == 0)
			break;
		r = range_items(x, n, &v, mark);
		goto out;
	case TV_INT: case TV_UINT:
		if (n->u.ctl.pipe->u.pipe.ndecl > 1) {
			r = exec_fail(x, "can't use %lld to iterate over more "
			    "than one variable", (long long)v.u.i);
			goto out;
		}
		cnt = v.kind == TV_INT ? v.u.i : (int64_t)v.u.u;
		k.kind = TV_MISSING;
		for (i = 0; i < cnt && r == 0; i++) {
			e.kind = TV_INT;
			e.u.i = i;
			r = iteration(x, n, &k, &e, mark);
		}
		if (cnt <= 0)
			break;
		r = r < 0 ? -1 : 0;
		goto out;
	case TV_MISSING:
		break;
	default:
		x->tmp.len = 0;
		print_value(&x->tmp, &v);
		r = exec_fail(x, "range can't iterate over %s",
		    buf_str(&x->tmp));
		goto out;
	}
	if (n->u.ctl.elselist != NULL)
		r = walk_list(x, dot, n->u.ctl.elselist);
out:
	x->nvars = mark0;
	x->depth--;
	return r;
}

static int
walk_template(struct exec *x, const struct tval *dot, const struct node *n)
{
	const struct node	*body = NULL;
	struct tval		 v;
	size_t			 i, mark = x->nvars, vbase = x->vbase;
	int			 r;

	at(x, n);
	for (i = 0; i < x->t->ndefs; i++)
		if (strcmp(x->t->defs[i].name, n->u.call.name) == 0)
			body = x->t->defs[i].list;
	if (body == NULL)
		return exec_fail(x, "template \"%s\" not defined",
		    n->u.call.name);
	if (x->depth + 1 > TMPL_MAX_DEPTH)
		return exec_fail(x, "template recursion too deep (limit %d)",
		    TMPL_MAX_DEPTH);
	v.kind = TV_MISSING;
	if (n->u.call.pipe != NULL &&
	    eval_pipe(x, dot, n->u.call.pipe, &v) < 0)
		return -1;
	x->depth++;
	mark = x->nvars;
	x->vbase = x->nvars;
	push_var(x, 0, &v);
	r = walk_list(x, &v, body);
	x->nvars = mark;
	x->vbase = vbase;
	x->depth--;
	return r;
}

static int
walk(struct exec *x, const struct tval *dot, const struct node *n)
{
	struct tval	v;

	if (++x->steps > MAX_STEPS) {
		at(x, n);
		return exec_fail(x, "template takes too long (limit %llu "
		    "steps)", MAX_STEPS);
	}
	switch (n->type) {
	case N_TEXT:
		at(x, n);
		return emit_text(x, n->u.text.s, n->u.text.n);
	case N_ACTION:
		if (eval_pipe(x, dot, n->u.action, &v) < 0)
			return -1;
		if (n->u.action->u.pipe.ndecl > 0)
			return 0;
		at(x, n);
		return emit_value(x, &v);
	case N_IF: case N_WITH:
		return walk_if_with(x, dot, n);
	case N_RANGE:
		return walk_range(x, dot, n);
	case N_TEMPLATE:
		return walk_template(x, dot, n);
	case N_BREAK:
		return WALK_BREAK;
	case N_CONTINUE:
		return WALK_CONTINUE;
	default:
		return walk_list(x, dot, n);
	}
}

static int
walk_list(struct exec *x, const struct tval *dot, const struct node *l)
{
	unsigned	i;
	int		r;

	for (i = 0; i < l->u.list.n; i++)
		if ((r = walk(x, dot, l->u.list.v[i])) != 0)
			return r;
	return 0;
}

static void
exec_init(struct exec *x, const struct tmpl *t, unsigned flags,
    struct buf *out, struct tmpl_error *err)
{
	memset(x, 0, sizeof *x);
	x->t = t;
	x->flags = flags;
	x->out = out;
	x->start = out->len;
	x->vars = x->small;
	x->capvars = nitems(x->small);
	x->err = err;
	if (err != NULL)
		memset(err, 0, sizeof *err);
}

static void
exec_release(struct exec *x)
{
	size_t	i;

	for (i = 0; i < x->nkeep; i++)
		json_object_put(x->keep[i]);
	free(x->keep);
	for (i = 0; i < x->nowned; i++)
		free(x->owned[i]);
	free(x->owned);
	if (x->vars != x->small)
		free(x->vars);
	arena_release(&x->scratch);
	buf_release(&x->tmp);
}

static void
root_dot(struct tval *dot, struct json_object *data)
{
	tval_from_json(dot, data);
	dot->iface = 0;
	if (dot->kind == TV_NIL)
		dot->kind = TV_MISSING;
}

int
tmpl_render(const struct tmpl *t, struct json_object *data, unsigned flags,
    struct buf *out, struct tmpl_error *err)
{
	struct exec	x;
	struct shstate	sh;
	struct tval	dot;
	int		r;

	exec_init(&x, t, flags, out, err);
	if (flags & TMPL_SHELL) {
		shell_init(&sh);
		x.sh = &sh;
	}
	root_dot(&dot, data);
	push_var(&x, 0, &dot);
	buf_reserve(out, 0);
	r = walk_list(&x, &dot, t->root);
	if (r < 0)
		buf_truncate(out, x.start);
	if (x.sh != NULL)
		shell_release(&sh);
	exec_release(&x);
	return r < 0 ? -1 : 0;
}

/* The JSON form of a value; a new reference (NULL is null). */
static struct json_object *
to_json(const struct tval *v)
{
	struct buf		 b = BUF_INIT;
	struct json_object	*j;

	switch (v->kind) {
	case TV_BOOL:
		return json_object_new_boolean(v->u.b);
	case TV_INT:
		return json_object_new_int64(v->u.i);
	case TV_UINT:
		return json_object_new_int64((int64_t)v->u.u);
	case TV_FLOAT:
		return json_object_new_double(v->u.f);
	case TV_STRING:
		return json_object_new_string_len(v->u.s.p, (int)v->u.s.n);
	case TV_LIST: case TV_MAP:
		return json_object_get(v->u.j);
	case TV_TIME:
		time_format(&b, v->u.t, "2006-01-02T15:04:05.999999999Z07:00",
		    35);
		break;
	case TV_COMPLEX:
		print_value(&b, v);
		break;
	default:
		return NULL;
	}
	j = json_object_new_string_len(buf_str(&b), (int)b.len);
	buf_release(&b);
	return j;
}

int
tmpl_eval(const struct tmpl *t, struct json_object *data, unsigned flags,
    struct json_object **out, struct tmpl_error *err)
{
	const struct node	*root = t->root, *a;
	struct buf		 b = BUF_INIT;
	struct exec		 x;
	struct tval		 dot, v;
	int			 r;

	*out = NULL;
	a = root->u.list.n == 1 ? root->u.list.v[0] : NULL;
	if (a == NULL || a->type != N_ACTION || (flags & TMPL_SHELL) ||
	    a->u.action->u.pipe.ndecl > 0 || t->ndefs > 0) {
		if (tmpl_render(t, data, flags, &b, err) < 0) {
			buf_release(&b);
			return -1;
		}
		*out = json_object_new_string_len(buf_str(&b), (int)b.len);
		buf_release(&b);
		return 0;
	}
	exec_init(&x, t, flags, &b, err);
	root_dot(&dot, data);
	push_var(&x, 0, &dot);
	r = eval_pipe(&x, &dot, a->u.action, &v);
	if (r == 0)
		*out = to_json(&v);
	exec_release(&x);
	buf_release(&b);
	return r;
}
