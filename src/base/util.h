/* util.h: errors, allocators, growable buffers, durations. */
#ifndef MUSTER_UTIL_H
#define MUSTER_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define PRINTF(f, a)	__attribute__((format(printf, f, a)))
#define NORETURN	__attribute__((noreturn))
#else
#define PRINTF(f, a)
#define NORETURN
#endif

struct buf;

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit codes of SPEC.md section 7. */
enum {
	EXIT_OK = 0,
	EXIT_STEP_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_STATE = 3,
	EXIT_IO = 4,
	EXIT_PAUSED = 5,	/* muster pause: not finished, nothing failed */
	EXIT_LOCKED = 75,
	EXIT_TIMEOUT = 124
};

/* A place in a definition file; lines and columns count from 1. */
struct loc {
	const char	*file;
	int		 line, col;
};

/*
 * Messages go to stderr as "muster: MESSAGE".  A format ending in ':' gets
 * ": strerror(errno)" appended.
 */
void		 fatal(const char *, ...) PRINTF(1, 2) NORETURN;
int		 error(const char *, ...) PRINTF(1, 2);
void		 warn(const char *, ...) PRINTF(1, 2);
/* Prints "FILE:LINE:COL: error: MESSAGE" and returns -1. */
int		 loc_error(const struct loc *, const char *, ...) PRINTF(2, 3);
/* Prints "FILE:LINE:COL: note: MESSAGE". */
void		 loc_note(const struct loc *, const char *, ...) PRINTF(2, 3);
/* Prints "FILE:LINE:COL: warning: MESSAGE" (not counted as an error). */
void		 loc_warn(const struct loc *, const char *, ...) PRINTF(2, 3);
/* Prints "FILE:LINE:COL: hint: MESSAGE": how to fix the error before. */
void		 loc_hint(const struct loc *, const char *, ...) PRINTF(2, 3);
/* Number of error() and loc_error() calls so far. */
unsigned	 error_count(void);
/*
 * Sends every later message through fn (for secret masking and tests);
 * NULL restores stderr.  fn gets the whole line, newline included.
 */
void		 error_set_sink(void (*fn)(const char *, size_t, void *), void *);
/* The sink set now (NULL: stderr), to restore or forward to. */
void		 error_get_sink(void (**fn)(const char *, size_t, void *),
		    void **);
/*
 * Until error_capture_end(), messages are appended to b instead of printed,
 * without their "muster: " prefix and joined by "; ".
 */
void		 error_capture(struct buf *b);
void		 error_capture_end(void);
void		 bug(const char *, int, const char *, ...) PRINTF(3, 4) NORETURN;
#define BUG(...)	bug(__FILE__, __LINE__, __VA_ARGS__)

/* Allocators that die on exhaustion; the only callers of malloc(3). */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
void		*xmemdup(const void *, size_t);
/*
 * n bytes (a multiple of 2 MiB) aligned for transparent huge pages, so that
 * touching them costs one page fault per 2 MiB; free with free().
 */
void		*xmalloc_huge(size_t n);
/* Returns a new string; caller frees. */
char		*xasprintf(const char *, ...) PRINTF(1, 2);
char		*xvasprintf(const char *, va_list) PRINTF(1, 0);
/* Grows *arr (of *cap elements of size sz) to hold at least n. */
void		 xgrow(void *arr, size_t *cap, size_t n, size_t sz);
/* qsort, which may be given no array at all when there is nothing to sort. */
void		 xqsort(void *base, size_t n, size_t sz,
		    int (*cmp)(const void *, const void *));

/* A growable byte string, always NUL-terminated once anything was added. */
struct buf {
	char	*s;
	size_t	 len, cap;
};
#define BUF_INIT	{ NULL, 0, 0 }
void		 buf_add(struct buf *, const void *, size_t);
void		 buf_addc(struct buf *, int);
void		 buf_adds(struct buf *, const char *);
void		 buf_printf(struct buf *, const char *, ...) PRINTF(2, 3);
void		 buf_vprintf(struct buf *, const char *, va_list) PRINTF(2, 0);
/* Makes room for n more bytes and returns where they go. */
char		*buf_reserve(struct buf *, size_t n);
void		 buf_truncate(struct buf *, size_t);
/* Returns s ("" when empty), which stays valid until the next change. */
const char	*buf_str(struct buf *);
/* Hands the string to the caller (who frees it); back to BUF_INIT. */
char		*buf_detach(struct buf *);
/* Frees s; back to BUF_INIT. */
void		 buf_release(struct buf *);

/*
 * Parses a Go duration ("300ms", "1h30m", "1.5s"; units ns us µs ms s m h)
 * into nanoseconds.  Returns 0, or -1 with a reason in *why.
 */
int		 duration_parse(const char *, int64_t *ns, const char **why);
/* Writes a duration the way Go prints it ("1m30s", "250ms"). */
void		 duration_format(struct buf *, int64_t ns);

/* Monotonic and wall clocks, in nanoseconds. */
int64_t		 clock_mono_ns(void);
int64_t		 clock_wall_ns(void);

/* Returns the edit distance of a and b, or max+1 when it exceeds max. */
unsigned	 edit_distance(const char *a, const char *b, unsigned max);
/*
 * Returns the candidate closest to word when it is close enough to be a
 * likely typo, else NULL.
 */
const char	*suggest(const char *word, const char *const *cands, size_t n);

/* Returns 1 when s is valid UTF-8 of length len, else 0 and the offset. */
int		 utf8_valid(const char *s, size_t len, size_t *bad);

#endif
