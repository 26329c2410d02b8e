/* tmpl-parse.h: the parser's shared state, for tmpl-parse.c (statements)
 * and tmpl-pipe.c (pipelines). */
#ifndef MUSTER_TMPL_PARSE_H
#define MUSTER_TMPL_PARSE_H

#include <setjmp.h>
#include <string.h>

#include "tmpl/int.h"

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

/* Records the error at byte pos and abandons the parse. */
void		 parse_error(struct parser *, unsigned pos, const char *, ...)
		    PRINTF(3, 4) NORETURN;
void		 parse_unexpected(struct parser *, const struct token *,
		    const char *context) NORETURN;
/* One level of nesting deeper; an error past TMPL_MAX_DEPTH. */
void		 parse_depth(struct parser *, unsigned pos);
/* Makes variable s visible until the scope ends; returns its id. */
int		 parse_declare(struct parser *, const char *s, size_t n);
/* A pipeline up to the token end, as Go's parse.pipeline. */
struct node	*parse_pipeline(struct parser *, const char *context, enum tok);

static inline struct token *
next(struct parser *p)
{
	struct token	*t = &p->tok[p->i];

	if (p->i + 1 < p->ntok)
		p->i++;
	return t;
}

static inline struct token *
peek(struct parser *p)
{
	return &p->tok[p->i];
}

static inline struct token *
next_nonspace(struct parser *p)
{
	struct token	*t;

	do
		t = next(p);
	while (t->type == T_SPACE);
	return t;
}

static inline struct token *
peek_nonspace(struct parser *p)
{
	struct token	*t = next_nonspace(p);

	p->i = (size_t)(t - p->tok);
	return t;
}

static inline struct node *
new_node(struct parser *p, int type, unsigned pos)
{
	struct node	*n = arena_alloc(&p->t->arena, sizeof *n);

	n->type = (unsigned char)type;
	n->pos = pos;
	n->end = pos;
	return n;
}

static inline void
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

#endif
