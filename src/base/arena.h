/* arena.h: one lifetime for everything a load builds, freed in one call. */
#ifndef MUSTER_ARENA_H
#define MUSTER_ARENA_H

#include <stddef.h>

struct arena_chunk;
struct arena_cleanup;

struct arena {
	struct arena_chunk	*chunks;
	struct arena_cleanup	*cleanups;
	char			*p, *end;
	size_t			 next;		/* size of the next chunk */
	size_t			 used;		/* bytes handed out so far */
};
#define ARENA_INIT	{ NULL, NULL, NULL, NULL, 0, 0 }

/* Returns zeroed, aligned memory that lives until arena_release(). */
void	*arena_alloc(struct arena *, size_t);
/* An array of n zeroed elements of size sz. */
void	*arena_array(struct arena *, size_t n, size_t sz);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Makes arena_release() call fn(p), latest first. */
void	 arena_defer(struct arena *, void (*fn)(void *), void *p);
/* Runs the cleanups and frees every chunk; back to ARENA_INIT. */
void	 arena_release(struct arena *);

#endif
