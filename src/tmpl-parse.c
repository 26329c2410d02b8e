/* tmpl-parse.c: the template parser, a port of Go's text/template/parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl-int.h"

/* Markers that item_list() stops at. */
enum { N_END = 100, N_ELSE };

struct parser {
	struct tmpl		*t;
	struct token		*tok;
	size_t			 ntok, i;
	int			*scope;		/* visible variable ids */
	size_t			 nscope, capscope, base;
	size_t			 capvars;
	unsigned		 depth;
	int			 range_depth;
	struct tmpl_error	*err;
	jmp_buf			 jb;
};

struct nvec {
	struct node	**v;
	unsigned	  n, cap;
};

static struct node	*item_list(struct parser *, struct node **);
static struct node	*pipeline(struct parser *, const char *, enum tok);
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

static void NORETURN PRINTF(3, 4)
perr(struct parser *p, unsigned pos, const char *fmt, ...)
{
	va_list	ap;
	char	msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tmpl_seterr(p->err, p->t->src, p->t->len, pos, "%s", msg);
	longjmp(p->jb, 1);
}

static struct token *
next(struct parser *p)
{
	struct token	*t = &p->tok[p->i];

	if (p->i + 1 < p->ntok)
		p->i++;
	return t;
}

static struct token *
peek(struct parser *p)
{
	return &p->tok[p->i];
}

static struct token *
next_nonspace(struct parser *p)
{
	struct token	*t;

	do
		t = next(p);
	while (t->type == T_SPACE);
	return t;
}

static struct token *
peek_nonspace(struct parser *p)
{
	struct token	*t = next_nonspace(p);

	p->i = (size_t)(t - p->tok);
	return t;
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

static void NORETURN
unexpected(struct parser *p, const struct token *t, const char *context)
{
	char	d[64];

	if (t->type == T_ERROR)
		perr(p, t->pos, "%s", t->s);
	perr(p, t->pos, "unexpected %s in %s", tokdesc(d, sizeof d, t),
	    context);
}

static struct token *
expect(struct parser *p, enum tok type, const char *context)
{
	struct token	*t = next_nonspace(p);

	if (t->type != type)
		unexpected(p, t, context);
	return t;
}

static struct node *
new_node(struct parser *p, int type, unsigned pos)
{
	struct node	*n = arena_alloc(&p->t->arena, sizeof *n);

	n->type = (unsigned char)type;
	n->pos = pos;
	n->end = pos;
	return n;
}

static void
nvec_push(struct parser *p, struct nvec *v, struct node *n)
{
	if (v->n == v->cap) {
		struct node	**nv;

		v->cap = v->cap ? v->cap * 2 : 4;
		nv = arena_alloc(&p->t->arena, v->cap * sizeof *nv);
		if (v->n > 0)
			memcpy(nv, v->v, v->n * sizeof *nv);
		v->v = nv;
	}
	v->v[v->n++] = n;
}

static void
depth_enter(struct parser *p, unsigned pos)
{
	if (++p->depth > TMPL_MAX_DEPTH)
		perr(p, pos, "nesting too deep (limit %d)", TMPL_MAX_DEPTH);
}

/* Variables: every name gets one id; the scope lists the visible ones. */
static int
var_lookup(struct parser *p, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < p->t->nvars; i++)
		if (strlen(p->t->vars[i]) == n &&
		    memcmp(p->t->vars[i], s, n) == 0)
			return (int)i;
	return -1;
}

static int
var_declare(struct parser *p, const char *s, size_t n)
{
	int	id = var_lookup(p, s, n);

	if (id < 0) {
		xgrow(&p->t->vars, &p->capvars, p->t->nvars + 1,
		    sizeof *p->t->vars);
		p->t->vars[p->t->nvars] = arena_strndup(&p->t->arena, s, n);
		id = (int)p->t->nvars++;
	}
	xgrow(&p->scope, &p->capscope, p->nscope + 1, sizeof *p->scope);
	p->scope[p->nscope++] = id;
	return id;
}

/* Splits "$x.a.b" or ".a.b" at the dots into the node's idents. */
static void
set_idents(struct parser *p, struct node *n, const char *s, size_t len)
{
	size_t		 i, start, k = 0, cnt = 0;
	const char	**v;

	for (i = 0; i < len; i++)
		cnt += s[i] == '.';
	v = arena_alloc(&p->t->arena, (cnt + 1) * sizeof *v);
	for (i = 0, start = 0; i <= len; i++) {
		if (i == len || (s[i] == '.' && i > 0)) {
			if (i > start)
				v[k++] = arena_strndup(&p->t->arena,
				    s + start, i - start);
			start = i + 1;
		} else if (s[i] == '.')
			start = i + 1;
	}
	n->u.field.ident = v;
	n->u.field.n = (unsigned)k;
}

static struct node *
use_var(struct parser *p, const struct token *t)
{
	struct node	*n = new_node(p, N_VAR, t->pos);
	size_t		 i;
	int		 id = var_lookup(p, t->s, t->len);

	n->end = t->pos + t->len;
	for (i = p->base; id >= 0 && i < p->nscope; i++)
		if (p->scope[i] == id) {
			n->u.field.var = id;
			return n;
		}
	perr(p, t->pos, "undefined variable \"%.*s\"", (int)t->len, t->s);
}

static struct node *
number(struct parser *p, const struct token *t)
{
	struct node	*n = new_node(p, N_NUMBER, t->pos);
	char		 err[128];

	n->u.num = arena_alloc(&p->t->arena, sizeof *n->u.num);
	if (lit_number(n->u.num, t->s, t->len, t->type, err, sizeof err) < 0)
		perr(p, t->pos, "%s", err);
	n->end = t->pos + t->len;
	return n;
}

static struct node *
string_lit(struct parser *p, const struct token *t)
{
	struct node	*n = new_node(p, N_STRING, t->pos);

	if (lit_unquote(&p->t->arena, t->s, t->len, &n->u.text.s,
	    &n->u.text.n) < 0)
		perr(p, t->pos, "invalid syntax in string %.*s", (int)t->len,
		    t->s);
	n->end = t->pos + t->len;
	return n;
}

static struct node *
term(struct parser *p)
{
	struct token	*t = next_nonspace(p);
	struct node	*n;

	switch (t->type) {
	case T_IDENT:
		n = new_node(p, N_FUNC, t->pos);
		if ((n->u.fn = tfunc_find(t->s, t->len)) == NULL)
			perr(p, t->pos, "function \"%.*s\" not defined",
			    (int)t->len, t->s);
		break;
	case T_DOT:
		n = new_node(p, N_DOT, t->pos);
		break;
	case T_NIL:
		n = new_node(p, N_NIL, t->pos);
		break;
	case T_VARIABLE:
		return use_var(p, t);
	case T_FIELD:
		n = new_node(p, N_FIELD, t->pos);
		n->u.field.var = -1;
		set_idents(p, n, t->s, t->len);
		break;
	case T_BOOL:
		n = new_node(p, N_BOOL, t->pos);
		n->u.b = t->s[0] == 't';
		break;
	case T_CHARCONST: case T_COMPLEX: case T_NUMBER:
		return number(p, t);
	case T_LPAREN:
		depth_enter(p, t->pos);
		n = pipeline(p, "parenthesized pipeline", T_RPAREN);
		p->depth--;
		n->pos = t->pos;
		return n;
	case T_STRING: case T_RAWSTRING:
		return string_lit(p, t);
	default:
		p->i = (size_t)(t - p->tok);
		return NULL;
	}
	n->end = t->pos + t->len;
	return n;
}

static const char *
node_word(const struct node *n)
{
	switch (n->type) {
	case N_BOOL:
		return n->u.b ? "true" : "false";
	case N_NIL:
		return "nil";
	case N_DOT:
		return ".";
	case N_STRING:
		return "string";
	default:
		return "number";
	}
}

/* A term followed by fields: .a.b, $x.a, (pipe).a */
static struct node *
operand(struct parser *p)
{
	struct node	*n = term(p), *c;
	struct token	*t;
	unsigned	 start;

	if (n == NULL || peek(p)->type != T_FIELD)
		return n;
	t = peek(p);
	start = t->pos;
	while (peek(p)->type == T_FIELD)
		t = next(p);
	switch (n->type) {
	case N_FIELD: case N_VAR:
		set_idents(p, n, p->t->src + n->pos, t->pos + t->len - n->pos);
		if (n->type == N_VAR && n->u.field.n > 0) {
			/* drop "$x" itself */
			n->u.field.ident++;
			n->u.field.n--;
		}
		n->end = t->pos + t->len;
		return n;
	case N_BOOL: case N_STRING: case N_NUMBER: case N_NIL: case N_DOT:
		perr(p, start, "unexpected . after term \"%s\"", node_word(n));
	}
	c = new_node(p, N_CHAIN, n->pos);
	c->u.field.base = n;
	c->u.field.var = -1;
	set_idents(p, c, p->t->src + start, t->pos + t->len - start);
	c->end = t->pos + t->len;
	return c;
}

static struct node *
command(struct parser *p)
{
	struct node	*cmd = new_node(p, N_CMD, peek_nonspace(p)->pos);
	struct nvec	 args = { NULL, 0, 0 };
	struct node	*op;
	struct token	*t;

	for (;;) {
		peek_nonspace(p);
		if ((op = operand(p)) != NULL)
			nvec_push(p, &args, op);
		t = next(p);
		if (t->type == T_SPACE)
			continue;
		if (t->type == T_RDELIM || t->type == T_RPAREN)
			p->i--;
		else if (t->type != T_PIPE)
			unexpected(p, t, "operand");
		break;
	}
	if (args.n == 0)
		perr(p, cmd->pos, "empty command");
	cmd->u.list.v = args.v;
	cmd->u.list.n = args.n;
	cmd->end = args.v[args.n - 1]->end;
	return cmd;
}

static void
check_pipeline(struct parser *p, struct node *pipe, const char *context)
{
	unsigned	i;

	if (pipe->u.pipe.ncmds == 0)
		perr(p, pipe->pos, "missing value for %s", context);
	for (i = 1; i < pipe->u.pipe.ncmds; i++) {
		struct node	*a = pipe->u.pipe.cmds[i]->u.list.v[0];

		switch (a->type) {
		case N_BOOL: case N_DOT: case N_NIL: case N_NUMBER:
		case N_STRING:
			perr(p, a->pos, "non executable command in pipeline "
			    "stage %u", i + 1);
		}
	}
}

/* The "$x :=", "$x =" and "$i, $v :=" of a pipeline. */
static void
declarations(struct parser *p, struct node *pipe, const char *context)
{
	struct token	*v, *nx;
	size_t		 at;

	for (;;) {
		v = peek_nonspace(p);
		if (v->type != T_VARIABLE)
			return;
		at = p->i;
		next(p);
		nx = peek_nonspace(p);
		if (nx->type == T_ASSIGN || nx->type == T_DECLARE) {
			pipe->u.pipe.assign = nx->type == T_ASSIGN;
			next_nonspace(p);
			pipe->u.pipe.decl[pipe->u.pipe.ndecl++] =
			    var_declare(p, v->s, v->len);
			return;
		}
		if (nx->type == T_CHAR && nx->s[0] == ',') {
			next_nonspace(p);
			pipe->u.pipe.decl[pipe->u.pipe.ndecl++] =
			    var_declare(p, v->s, v->len);
			if (strcmp(context, "range") == 0 &&
			    pipe->u.pipe.ndecl < 2) {
				switch (peek_nonspace(p)->type) {
				case T_VARIABLE: case T_RDELIM: case T_RPAREN:
					continue;
				default:
					perr(p, peek(p)->pos, "range can only "
					    "initialize variables");
				}
			}
			perr(p, nx->pos, "too many declarations in %s",
			    context);
		}
		p->i = at;
		return;
	}
}

static struct node *
pipeline(struct parser *p, const char *context, enum tok end)
{
	struct node	*pipe = new_node(p, N_PIPE, peek_nonspace(p)->pos);
	struct nvec	 cmds = { NULL, 0, 0 };
	struct token	*t;

	declarations(p, pipe, context);
	for (;;) {
		t = next_nonspace(p);
		if (t->type == end) {
			pipe->u.pipe.cmds = cmds.v;
			pipe->u.pipe.ncmds = cmds.n;
			pipe->end = cmds.n > 0 ? cmds.v[cmds.n - 1]->end :
			    t->pos;
			check_pipeline(p, pipe, context);
			return pipe;
		}
		switch (t->type) {
		case T_BOOL: case T_CHARCONST: case T_COMPLEX: case T_DOT:
		case T_FIELD: case T_IDENT: case T_NUMBER: case T_NIL:
		case T_RAWSTRING: case T_STRING: case T_VARIABLE:
		case T_LPAREN:
			p->i = (size_t)(t - p->tok);
			nvec_push(p, &cmds, command(p));
			break;
		default:
			unexpected(p, t, context);
		}
	}
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
		perr(p, nx->pos, "expected end; found {{else}}");
	return l;
}

/* if, range and with. */
static struct node *
control(struct parser *p, int type, unsigned pos)
{
	struct node	*c = new_node(p, type, pos), *nx;
	size_t		 nscope = p->nscope;

	depth_enter(p, pos);
	c->u.ctl.pipe = pipeline(p, ntype_word(type), T_RDELIM);
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
			if (strchr(" \t\r\n", n->u.text.s[k]) == NULL)
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
			perr(p, pos, "template: multiple definition of "
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
		unexpected(p, t, context);
	if (lit_unquote(&p->t->arena, t->s, t->len, &s, &n) < 0)
		perr(p, t->pos, "invalid syntax in string %.*s", (int)t->len,
		    t->s);
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
	var_declare(p, "$", 1);
	depth_enter(p, pos);
	list = item_list(p, &nx);
	p->nscope = nscope;
	p->base = base;
	p->range_depth = rd;
	p->depth--;
	if (nx->type != N_END)
		perr(p, nx->pos, "unexpected {{else}} in %s", context);
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
		n->u.call.pipe = pipeline(p, ctx, T_RDELIM);
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
		unexpected(p, t, ctx);
	if (p->range_depth == 0)
		perr(p, kw->pos, "{{%s}} outside {{range}}", w);
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
	n->u.action = pipeline(p, "command", T_RDELIM);
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
		unexpected(p, t, "input");
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
	perr(p, peek(p)->pos, "unexpected EOF");
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
			perr(p, n->pos, "unexpected {{%s}}",
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
	var_declare(&p, "$", 1);
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
