/* tmpl-eval.c: pipelines, commands, fields and function calls. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

static int	eval_arg(struct exec *, const struct tval *,
		    const struct node *, int, struct tval *);
static int	call_func(struct exec *, const struct tval *,
		    const struct node *, const struct node *,
		    const struct tval *, struct tval *);

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

/* A method call's arguments: the command's words after the first, then the
 * piped value. */
static int
method_call(struct exec *x, const struct tval *dot, const struct node *cmd,
    const struct tval *final, const struct tval *recv, const char *name,
    struct tval *out)
{
	int		 n = cmd != NULL ? (int)cmd->u.list.n - 1 : 0, i, rc;
	struct tval	*a = exec_alloc(x, (size_t)(n + 1) * sizeof *a);

	if (a == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (eval_arg(x, dot, cmd->u.list.v[i + 1], P_ANY, &a[i]) < 0)
			return -1;
	if (final != NULL)
		a[n++] = *final;
	if (cmd != NULL)
		exec_at(x, cmd);
	rc = tmpl_method(x, recv, name, a, n, out);
	return rc;
}

/* A method of *r (a time, a duration, a version) in place: 1 called, 0 no
 * such method (a field then), -1 failed.  Off the hot path of fields. */
static int
chain_method(struct exec *x, struct tval *r, const char *name, int last,
    const struct tval *dot, const struct node *cmd, const struct tval *final)
{
	struct tval	m;
	int		rc;

	if (!tmpl_has_methods(r))
		return 0;
	rc = method_call(x, dot, last ? cmd : NULL, last ? final : NULL, r,
	    name, &m);
	if (rc > 0)
		*r = m;
	return rc;
}

static int
eval_chain(struct exec *x, const struct tval *recv, const struct node *n,
    const struct tval *dot, const struct node *cmd, const struct tval *final,
    struct tval *out)
{
	struct tval	r = *recv;
	unsigned	i, last = n->u.field.n - 1;
	int		hasargs = (cmd != NULL && cmd->u.list.n > 1) ||
			    final != NULL, rc;

	for (i = 0; i < n->u.field.n; i++) {
		if (r.kind == TV_TIME || r.gt != GT_PLAIN) {
			rc = chain_method(x, &r, n->u.field.ident[i],
			    i == last, dot, cmd, final);
			if (rc < 0)
				return -1;
			if (rc > 0)
				continue;
		}
		if (eval_field(x, n->u.field.ident[i], i == last ? hasargs : 0,
		    &r, &r) < 0)
			return -1;
	}
	*out = r;
	return 0;
}

/* .a.b, $x.a.b and (pipe).a.b; cmd (NULL for an argument) and final as
 * for a command. */
static int
eval_fields(struct exec *x, const struct tval *dot, const struct node *n,
    const struct node *cmd, const struct tval *final, struct tval *out)
{
	struct tval	base;
	struct var	*v;

	exec_at(x, n);
	if (n->type == N_FIELD)
		return eval_chain(x, dot, n, dot, cmd, final, out);
	if (n->type == N_VAR) {
		if ((v = exec_find_var(x, n->u.field.var)) == NULL)
			return -1;
		if (n->u.field.n == 0) {
			*out = v->v;
			return 0;
		}
		base = v->v;
		return eval_chain(x, &base, n, dot, cmd, final, out);
	}
	if (n->u.field.base->type == N_NIL)
		return exec_fail(x, "indirection through explicit nil in %.*s",
		    (int)(n->end - n->pos), x->t->src + n->pos);
	if (eval_arg(x, dot, n->u.field.base, P_ANY, &base) < 0)
		return -1;
	exec_at(x, n);
	return eval_chain(x, &base, n, dot, cmd, final, out);
}

/* Go's names of the parameter types. */
static const char	*ptype_names[] = { "interface {}", "string", "int",
	"bool", "map[string]interface {}", "[]interface {}", "time.Time",
	"uint32", "float64", "sprig.certificate", "int64" };

static int
validate(struct exec *x, const struct tval *v, int type)
{
	static const unsigned char	want[] = { 0, TV_STRING, TV_INT,
		TV_BOOL, TV_MAP, TV_LIST, TV_TIME, TV_INT, TV_FLOAT, TV_MAP,
		TV_INT };

	if (type == P_ANY)
		return 0;
	if (v->kind == want[type] && (type != P_INT ||
	    v->gt == GT_PLAIN) && (type != P_INT64 || v->gt == GT_INT64) &&
	    type != P_U32)
		return 0;
	if (v->kind == TV_MISSING && (type == P_MAP || type == P_LIST))
		return 0;
	if (v->kind == TV_MISSING)
		return exec_fail(x, "invalid value; expected %s",
		    ptype_names[type]);
	return exec_fail(x, "wrong type for value; expected %s; got %s",
	    ptype_names[type], tval_type(v));
}

static int
literal(struct exec *x, const struct node *n, int type, struct tval *out)
{
	memset(out, 0, sizeof *out);
	if (type == P_STRING && n->type != N_STRING)
		goto bad;
	if (type == P_BOOL) {
		if (n->type != N_BOOL)
			goto bad;
	} else if (type == P_INT || type == P_U32 || type == P_INT64) {
		if (n->type != N_NUMBER || !n->u.num->is_int ||
		    (type == P_U32 && (n->u.num->i < 0 ||
		    n->u.num->i > 0xFFFFFFFFLL)))
			goto bad;
		out->kind = TV_INT;
		out->u.i = n->u.num->i;
		return 0;
	} else if (type == P_FLOAT) {
		if (n->type != N_NUMBER || !n->u.num->is_float)
			goto bad;
		out->kind = TV_FLOAT;
		out->u.f = n->u.num->f;
		return 0;
	} else if (type != P_ANY && type != P_STRING)
		return exec_fail(x, "can't handle %.*s for arg of type %s",
		    (int)(n->end - n->pos), x->t->src + n->pos,
		    ptype_names[type]);
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
	return exec_fail(x, "expected %s; found %.*s", type == P_INT ?
	    "integer" : ptype_names[type], (int)(n->end - n->pos),
	    x->t->src + n->pos);
}

/* Go's evalArg: one argument of a function, checked against its type. */
static int
eval_arg(struct exec *x, const struct tval *dot, const struct node *n,
    int type, struct tval *out)
{
	int	r;

	exec_at(x, n);
	switch (n->type) {
	case N_DOT:
		*out = *dot;
		break;
	case N_NIL:
		if (type == P_MAP || type == P_LIST) {
			out->kind = TV_MISSING;
			return 0;
		}
		if (type != P_ANY)
			return exec_fail(x, "cannot assign nil to %s",
			    ptype_names[type]);
		out->kind = TV_NIL;
		return 0;
	case N_FIELD: case N_VAR: case N_CHAIN:
		if (eval_fields(x, dot, n, NULL, NULL, out) < 0)
			return -1;
		break;
	case N_PIPE:
		if (exec_depth_in(x) < 0)
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
	exec_at(x, n);
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
			exec_at(x, cmd);
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
	int			 nargs, numin, r;

	nargs = cmd != NULL ? (int)cmd->u.list.n - 1 : 0;
	numin = nargs + (final != NULL);
	exec_at(x, fnode);
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
	exec_at(x, cmd != NULL ? cmd : fnode);
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
		return eval_fields(x, dot, w, cmd, final, out);
	case N_FUNC:
		return call_func(x, dot, w, cmd, final, out);
	case N_PIPE:
		exec_at(x, w);
		if (not_a_function(x, cmd, nargs, final) < 0 ||
		    exec_depth_in(x) < 0)
			return -1;
		r = eval_pipe(x, dot, w, out);
		x->depth--;
		return r;
	}
	exec_at(x, w);
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

int
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
			exec_push_var(x, pipe->u.pipe.decl[i], &v);
		else {
			exec_at(x, pipe);
			var = exec_find_var(x, pipe->u.pipe.decl[i]);
			if (var == NULL)
				return -1;
			var->v = v;
		}
	}
	*out = v;
	return 0;
}

