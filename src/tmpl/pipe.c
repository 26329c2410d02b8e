/* tmpl-pipe.c: parsing pipelines: declarations, commands, operands, terms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/parse.h"

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

int
parse_declare(struct parser *p, const char *s, size_t n)
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
	parse_error(p, t->pos, "undefined variable \"%.*s\"", (int)t->len,
	    t->s);
}

static struct node *
number(struct parser *p, const struct token *t)
{
	struct node	*n = new_node(p, N_NUMBER, t->pos);
	char		 err[128];

	n->u.num = arena_alloc(&p->t->arena, sizeof *n->u.num);
	if (lit_number(n->u.num, t->s, t->len, t->type, err, sizeof err) < 0)
		parse_error(p, t->pos, "%s", err);
	n->end = t->pos + t->len;
	return n;
}

static struct node *
string_lit(struct parser *p, const struct token *t)
{
	struct node	*n = new_node(p, N_STRING, t->pos);

	if (lit_unquote(&p->t->arena, t->s, t->len, &n->u.text.s,
	    &n->u.text.n) < 0)
		parse_error(p, t->pos, "invalid syntax in string %.*s",
		    (int)t->len, t->s);
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
			parse_error(p, t->pos, "function \"%.*s\" not defined",
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
		parse_depth(p, t->pos);
		n = parse_pipeline(p, "parenthesized pipeline", T_RPAREN);
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
		parse_error(p, start, "unexpected . after term \"%s\"",
		    node_word(n));
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
			parse_unexpected(p, t, "operand");
		break;
	}
	if (args.n == 0)
		parse_error(p, cmd->pos, "empty command");
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
		parse_error(p, pipe->pos, "missing value for %s", context);
	for (i = 1; i < pipe->u.pipe.ncmds; i++) {
		struct node	*a = pipe->u.pipe.cmds[i]->u.list.v[0];

		switch (a->type) {
		case N_BOOL: case N_DOT: case N_NIL: case N_NUMBER:
		case N_STRING:
			parse_error(p, a->pos, "non executable command in "
			    "pipeline stage %u", i + 1);
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
			    parse_declare(p, v->s, v->len);
			return;
		}
		if (nx->type == T_CHAR && nx->s[0] == ',') {
			next_nonspace(p);
			pipe->u.pipe.decl[pipe->u.pipe.ndecl++] =
			    parse_declare(p, v->s, v->len);
			if (strcmp(context, "range") == 0 &&
			    pipe->u.pipe.ndecl < 2) {
				switch (peek_nonspace(p)->type) {
				case T_VARIABLE: case T_RDELIM: case T_RPAREN:
					continue;
				default:
					parse_error(p, peek(p)->pos, "range "
					    "can only initialize variables");
				}
			}
			parse_error(p, nx->pos, "too many declarations in %s",
			    context);
		}
		p->i = at;
		return;
	}
}

struct node *
parse_pipeline(struct parser *p, const char *context, enum tok end)
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
			parse_unexpected(p, t, context);
		}
	}
}

