/* tmpl-parse.c: the template parser, a port of Go's text/template/parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/parse.h"

static struct node	*item_list(struct parser *, struct node **);
static struct node	*text_or_action(struct parser *);

void
tmpl_seterr(struct tmpl_error *e, const char *src, size_t len, unsigned pos,
    const char *fmt, ...)
{
	va_list	ap;
	size_t	i;

	if (e == NULL)
		return;
	e->line = 1;
	e->col = 1;
	for (i = 0; i < pos && i < len; i++) {
		if (src[i] == '\n') {
			e->line++;
			e->col = 1;
		} else
			e->col++;
	}
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

void
parse_error(struct parser *p, unsigned pos, const char *fmt, ...)
{
	va_list	ap;
	char	msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tmpl_seterr(p->err, p->t->src, p->t->len, pos, "%s", msg);
	longjmp(p->jb, 1);
}





/* Go's item.String(). */
static const char *
tokdesc(char *b, size_t n, const struct token *t)
{
	if (t->type == T_EOF)
		snprintf(b, n, "EOF");
	else if (t->type == T_ERROR)
		snprintf(b, n, "%s", t->s);
	else if (t->type >= T_BLOCK)
		snprintf(b, n, "<%.*s>", (int)t->len, t->s);
	else if (t->len > 10)
		snprintf(b, n, "\"%.10s\"...", t->s);
	else
		snprintf(b, n, "\"%.*s\"", (int)t->len, t->s);
	return b;
}

void
parse_unexpected(struct parser *p, const struct token *t, const char *context)
{
	char	d[64];

	if (t->type == T_ERROR)
		parse_error(p, t->pos, "%s", t->s);
	parse_error(p, t->pos, "unexpected %s in %s", tokdesc(d, sizeof d, t),
	    context);
}

static struct token *
expect(struct parser *p, enum tok type, const char *context)
{
	struct token	*t = next_nonspace(p);

	if (t->type != type)
		parse_unexpected(p, t, context);
	return t;
}



void
parse_depth(struct parser *p, unsigned pos)
{
	if (++p->depth > TMPL_MAX_DEPTH)
		parse_error(p, pos, "nesting too deep (limit %d)",
		    TMPL_MAX_DEPTH);
}

static const char *
ntype_word(int type)
{
	switch (type) {
	case N_IF: return "if";
	case N_RANGE: return "range";
	default: return "with";
	}
}

static struct node	*control(struct parser *, int, unsigned);

static struct node *
control_else(struct parser *p, struct node *c, struct node *els)
{
	struct node	*nx, *l;

	if ((c->type == N_IF && peek(p)->type == T_IF) ||
	    (c->type == N_WITH && peek(p)->type == T_WITH)) {
		struct token	*t = next(p);

		l = new_node(p, N_LIST, els->pos);
		l->u.list.v = arena_alloc(&p->t->arena, sizeof *l->u.list.v);
		l->u.list.v[0] = control(p, c->type, t->pos);
		l->u.list.n = 1;
		return l;
	}
	l = item_list(p, &nx);
	if (nx->type != N_END)
		parse_error(p, nx->pos, "expected end; found {{else}}");
	return l;
}

/* if, range and with. */
static struct node *
control(struct parser *p, int type, unsigned pos)
{
	struct node	*c = new_node(p, type, pos), *nx;
	size_t		 nscope = p->nscope;

	parse_depth(p, pos);
	c->u.ctl.pipe = parse_pipeline(p, ntype_word(type), T_RDELIM);
	if (type == N_RANGE)
		p->range_depth++;
	c->u.ctl.list = item_list(p, &nx);
	if (type == N_RANGE)
		p->range_depth--;
	if (nx->type == N_ELSE)
		c->u.ctl.elselist = control_else(p, c, nx);
	c->end = c->u.ctl.pipe->end;
	p->nscope = nscope;
	p->depth--;
	return c;
}

static int
is_empty_list(const struct node *l)
{
	unsigned	i;
	size_t		k;

	for (i = 0; i < l->u.list.n; i++) {
		const struct node	*n = l->u.list.v[i];

		if (n->type != N_TEXT)
			return 0;
		for (k = 0; k < n->u.text.n; k++)
			if (!IN_SET(" \t\r\n", n->u.text.s[k]))
				return 0;
	}
	return 1;
}

static void
add_define(struct parser *p, const char *name, struct node *list,
    unsigned pos)
{
	struct tmpl	*t = p->t;
	size_t		 i;

	for (i = 0; i < t->ndefs; i++) {
		if (strcmp(t->defs[i].name, name) != 0)
			continue;
		if (is_empty_list(t->defs[i].list))
			t->defs[i].list = list;
		else if (!is_empty_list(list))
			parse_error(p, pos, "template: multiple definition of "
			    "template \"%s\"", name);
		return;
	}
	t->defs = xreallocarray(t->defs, t->ndefs + 1, sizeof *t->defs);
	t->defs[t->ndefs].name = name;
	t->defs[t->ndefs].list = list;
	t->ndefs++;
}

static const char *
template_name(struct parser *p, const struct token *t, const char *context)
{
	const char	*s;
	size_t		 n;

	if (t->type != T_STRING && t->type != T_RAWSTRING)
		parse_unexpected(p, t, context);
	if (lit_unquote(&p->t->arena, t->s, t->len, &s, &n) < 0)
		parse_error(p, t->pos, "invalid syntax in string %.*s",
		    (int)t->len, t->s);
	return s;
}

/* The body of a define or block: a template of its own, with only "$". */
static struct node *
def_body(struct parser *p, const char *name, const char *context,
    unsigned pos)
{
	struct node	*list, *nx;
	size_t		 nscope = p->nscope, base = p->base;
	int		 rd = p->range_depth;

	p->base = p->nscope;
	p->range_depth = 0;
	parse_declare(p, "$", 1);
	parse_depth(p, pos);
	list = item_list(p, &nx);
	p->nscope = nscope;
	p->base = base;
	p->range_depth = rd;
	p->depth--;
	if (nx->type != N_END)
		parse_error(p, nx->pos, "unexpected {{else}} in %s", context);
	add_define(p, name, list, pos);
	return list;
}

static struct node *
template_control(struct parser *p, unsigned pos, int block)
{
	const char	*ctx = block ? "block clause" : "template clause";
	struct token	*t = next_nonspace(p);
	struct node	*n = new_node(p, N_TEMPLATE, pos);

	n->u.call.name = template_name(p, t, ctx);
	n->end = t->pos + t->len;
	if (!block) {
		t = next_nonspace(p);
		if (t->type != T_RDELIM)
			p->i = (size_t)(t - p->tok);
	}
	if (block || t->type != T_RDELIM)
		n->u.call.pipe = parse_pipeline(p, ctx, T_RDELIM);
	if (n->u.call.pipe != NULL)
		n->end = n->u.call.pipe->end;
	if (block)
		def_body(p, n->u.call.name, ctx, pos);
	return n;
}

static struct node *
loop_control(struct parser *p, struct token *kw)
{
	struct token	*t = next_nonspace(p);
	const char	*w = kw->type == T_BREAK ? "break" : "continue";
	char		 ctx[32];

	snprintf(ctx, sizeof ctx, "{{%s}}", w);
	if (t->type != T_RDELIM)
		parse_unexpected(p, t, ctx);
	if (p->range_depth == 0)
		parse_error(p, kw->pos, "{{%s}} outside {{range}}", w);
	return new_node(p, kw->type == T_BREAK ? N_BREAK : N_CONTINUE,
	    kw->pos);
}

static struct node *
action(struct parser *p)
{
	struct token	*t = next_nonspace(p);
	struct node	*n;

	switch (t->type) {
	case T_BLOCK:
		return template_control(p, t->pos, 1);
	case T_BREAK: case T_CONTINUE:
		return loop_control(p, t);
	case T_ELSE:
		t = peek_nonspace(p);
		if (t->type != T_IF && t->type != T_WITH)
			t = expect(p, T_RDELIM, "else");
		return new_node(p, N_ELSE, t->pos);
	case T_END:
		return new_node(p, N_END, expect(p, T_RDELIM, "end")->pos);
	case T_IF:
		return control(p, N_IF, t->pos);
	case T_RANGE:
		return control(p, N_RANGE, t->pos);
	case T_TEMPLATE:
		return template_control(p, t->pos, 0);
	case T_WITH:
		return control(p, N_WITH, t->pos);
	default:
		break;
	}
	p->i = (size_t)(t - p->tok);
	n = new_node(p, N_ACTION, t->pos);
	n->u.action = parse_pipeline(p, "command", T_RDELIM);
	n->end = n->u.action->end;
	return n;
}

static struct node *
text_or_action(struct parser *p)
{
	struct token	*t = next_nonspace(p);
	struct node	*n;

	switch (t->type) {
	case T_TEXT:
		n = new_node(p, N_TEXT, t->pos);
		n->u.text.s = t->s;
		n->u.text.n = t->len;
		n->end = t->pos + t->len;
		return n;
	case T_LDELIM:
		return action(p);
	default:
		parse_unexpected(p, t, "input");
	}
}

static struct node *
item_list(struct parser *p, struct node **end)
{
	struct node	*l = new_node(p, N_LIST, peek_nonspace(p)->pos), *n;
	struct nvec	 v = { NULL, 0, 0 };

	while (peek_nonspace(p)->type != T_EOF) {
		n = text_or_action(p);
		if (n->type == N_END || n->type == N_ELSE) {
			*end = n;
			l->u.list.v = v.v;
			l->u.list.n = v.n;
			return l;
		}
		nvec_push(p, &v, n);
	}
	parse_error(p, peek(p)->pos, "unexpected EOF");
}

static void
parse_define(struct parser *p, unsigned pos)
{
	struct token	*t = next_nonspace(p);
	const char	*name = template_name(p, t, "define clause");

	expect(p, T_RDELIM, "define clause");
	def_body(p, name, "define clause", pos);
}

static struct node *
parse_root(struct parser *p)
{
	struct node	*root = new_node(p, N_LIST, 0), *n;
	struct nvec	 v = { NULL, 0, 0 };
	size_t		 save;
	struct token	*t;

	while (peek(p)->type != T_EOF) {
		if (peek(p)->type == T_LDELIM) {
			save = p->i;
			next(p);
			t = next_nonspace(p);
			if (t->type == T_DEFINE) {
				parse_define(p, t->pos);
				continue;
			}
			p->i = save;
		}
		n = text_or_action(p);
		if (n->type == N_END || n->type == N_ELSE)
			parse_error(p, n->pos, "unexpected {{%s}}",
			    n->type == N_END ? "end" : "else");
		nvec_push(p, &v, n);
	}
	root->u.list.v = v.v;
	root->u.list.n = v.n;
	return root;
}

struct tmpl *
tmpl_parse(const char *src, size_t len, struct tmpl_error *err)
{
	struct tmpl	*t = xcalloc(1, sizeof *t);
	struct tokens	 toks = { NULL, 0, 0, "" };
	struct parser	 p;

	memset(&p, 0, sizeof p);
	if (err != NULL)
		memset(err, 0, sizeof *err);
	t->src = xmalloc(len + 1);
	memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;
	lex_all(t->src, len, &toks);
	p.t = t;
	p.tok = toks.v;
	p.ntok = toks.n;
	p.err = err;
	if (setjmp(p.jb) != 0) {
		free(p.scope);
		free(toks.v);
		tmpl_free(t);
		return NULL;
	}
	parse_declare(&p, "$", 1);
	t->root = parse_root(&p);
	free(p.scope);
	free(toks.v);
	return t;
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	arena_release(&t->arena);
	free(t->defs);
	free(t->vars);
	free(t->src);
	free(t);
}

int
tmpl_is_text(const struct tmpl *t)
{
	unsigned	i;

	if (t->ndefs > 0)
		return 0;
	for (i = 0; i < t->root->u.list.n; i++)
		if (t->root->u.list.v[i]->type != N_TEXT)
			return 0;
	return 1;
}
