/* tmpl-exec.c: the template evaluator, after Go's text/template/exec.go. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

enum { WALK_BREAK = 1, WALK_CONTINUE = 2 };

static int	walk_list(struct exec *, const struct tval *,
		    const struct node *);

void
exec_at(struct exec *x, const struct node *n)
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
	size_t		 cut = 20;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Go cuts the context at 20 bytes; a reference such as
	 * .results.build.tagg is shown whole (up to 200), as people read
	 * these in cron mail. */
	if (n > 0 && strspn(ctx, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR"
	    "STUVWXYZ0123456789_.$") >= n)
		cut = 200;
	tmpl_seterr(x->err, x->t->src, x->t->len, x->pos,
	    "at <%.*s%s>: %s%s%s", (int)(n > cut ? cut : n), ctx,
	    n > cut ? "..." : "", x->calling ? "error calling " : "",
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
exec_depth_in(struct exec *x)
{
	if (++x->depth > TMPL_MAX_DEPTH)
		return exec_fail(x, "nesting too deep (limit %d)",
		    TMPL_MAX_DEPTH);
	return 0;
}

int
exec_push_var(struct exec *x, int id, const struct tval *v)
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

struct var *
exec_find_var(struct exec *x, int id)
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
	else if (print_value(b, v) == -1)
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
walk_if_with(struct exec *x, const struct tval *dot, const struct node *n)
{
	size_t		mark = x->nvars;
	struct tval	v;
	int		r;

	if (exec_depth_in(x) < 0 || eval_pipe(x, dot, n->u.ctl.pipe, &v) < 0)
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
			if ((v = exec_find_var(x, p->u.pipe.decl[0])) == NULL)
				return -1;
			v->v = p->u.pipe.ndecl > 1 ? *index : *elem;
			if (p->u.pipe.ndecl > 1) {
				if ((v = exec_find_var(x, p->u.pipe.decl[1])) ==
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
			tval_from_json(&e,
			    json_object_array_get_idx(v->u.j, i));
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
	if (exec_depth_in(x) < 0 || eval_pipe(x, dot, n->u.ctl.pipe, &v) < 0)
		return -1;
	mark = x->nvars;
	exec_at(x, n->u.ctl.pipe);
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

	exec_at(x, n);
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
	exec_push_var(x, 0, &v);
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
		exec_at(x, n);
		return exec_fail(x, "template takes too long (limit %llu "
		    "steps)", MAX_STEPS);
	}
	switch (n->type) {
	case N_TEXT:
		exec_at(x, n);
		return emit_text(x, n->u.text.s, n->u.text.n);
	case N_ACTION:
		if (eval_pipe(x, dot, n->u.action, &v) < 0)
			return -1;
		if (n->u.action->u.pipe.ndecl > 0)
			return 0;
		exec_at(x, n);
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
	exec_push_var(&x, 0, &dot);
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
	exec_push_var(&x, 0, &dot);
	r = eval_pipe(&x, &dot, a->u.action, &v);
	if (r == 0)
		*out = to_json(&v);
	exec_release(&x);
	buf_release(&b);
	return r;
}
