/* tmpl-mem.c: arenas for the template engine: ASTs and rendering scratch. */
#include <stdlib.h>
#include <string.h>

#include "tmpl-int.h"

struct arena_blk {
	struct arena_blk	*next;
	size_t			 used, cap;
	max_align_t		 data[];
};

#define BLK_MIN	4096

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_blk	*b = a->head;
	size_t			 al = sizeof(max_align_t);
	void			*p;

	n = (n + al - 1) / al * al;
	if (n == 0)
		n = al;
	if (b == NULL || b->cap - b->used < n) {
		size_t	cap = n > BLK_MIN ? n : BLK_MIN;

		if (b != NULL && b->cap * 2 > cap && b->cap < (1 << 20))
			cap = b->cap * 2;
		b = xmalloc(sizeof *b + cap);
		b->cap = cap;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
arena_release(struct arena *a)
{
	struct arena_blk	*b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->used = 0;
}
