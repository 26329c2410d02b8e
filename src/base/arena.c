/* arena.c: bump allocation in chunks, plus deferred cleanups. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/util.h"

#define FIRST_CHUNK	1024		/* a template's arena stays small */
#define HUGE_CHUNK	(2 << 20)	/* a transparent huge page */
#define ALIGN		8

struct arena_chunk {
	struct arena_chunk	*next;
	max_align_t		 data[];
};

struct arena_cleanup {
	struct arena_cleanup	*next;
	void			(*fn)(void *);
	void			*p;
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk	*c;
	size_t			 size;
	char			*p;

	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	a->used += n;
	if (a->p != NULL && (size_t)(a->end - a->p) >= n) {
		p = a->p;
		a->p += n;
		return memset(p, 0, n);
	}
	if (a->next == 0)
		a->next = FIRST_CHUNK;
	if (n > a->next / 4) {
		/* A big block gets a chunk of its own behind the current one. */
		c = xcalloc(1, sizeof *c + n);
		if (a->chunks != NULL) {
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else
			a->chunks = c;
		return c->data;
	}
	/*
	 * Chunks double up to a huge page.  They are not zeroed: each
	 * allocation is, as it is made.
	 */
	size = a->next;
	c = size >= HUGE_CHUNK ? xmalloc_huge(size) : xmalloc(size);
	if (a->next < HUGE_CHUNK)
		a->next *= 2;
	c->next = a->chunks;
	a->chunks = c;
	a->p = (char *)c->data + n;
	a->end = (char *)c + size;
	return memset(c->data, 0, n);
}

void *
arena_array(struct arena *a, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		fatal("out of memory: %zu x %zu bytes overflows", n, sz);
	return arena_alloc(a, n * sz);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *p;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	p = arena_strdup(a, s);
	free(s);
	return p;
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct arena_cleanup	*c = arena_alloc(a, sizeof *c);

	c->fn = fn;
	c->p = p;
	c->next = a->cleanups;
	a->cleanups = c;
}

void
arena_release(struct arena *a)
{
	struct arena_cleanup	*c;
	struct arena_chunk	*k, *next;

	for (c = a->cleanups; c != NULL; c = c->next)
		c->fn(c->p);
	for (k = a->chunks; k != NULL; k = next) {
		next = k->next;
		free(k);
	}
	a->chunks = NULL;
	a->cleanups = NULL;
	a->p = a->end = NULL;
	a->next = 0;
	a->used = 0;
}
