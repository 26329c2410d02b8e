/* util.c: errors, allocators, growable buffers, durations. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "base/util.h"

static unsigned	  nerrors;
static void	(*sink)(const char *, size_t, void *);
static void	 *sink_arg;

static void
emit(const char *prefix, const struct loc *l, const char *kind,
    const char *fmt, va_list ap)
{
	struct buf	b = BUF_INIT;
	int		e = errno;
	size_t		n = strlen(fmt);

	if (prefix != NULL)
		buf_adds(&b, prefix);
	if (l != NULL)
		buf_printf(&b, "%s:%d:%d: %s: ", l->file, l->line, l->col,
		    kind);
	buf_vprintf(&b, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		buf_printf(&b, " %s", strerror(e));
	buf_addc(&b, '\n');
	if (sink != NULL)
		sink(b.s, b.len, sink_arg);
	else {
		fflush(stdout);
		fwrite(b.s, 1, b.len, stderr);
	}
	buf_release(&b);
	errno = e;
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	emit("muster: ", NULL, NULL, fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

int
error(const char *fmt, ...)
{
	va_list	ap;

	nerrors++;
	va_start(ap, fmt);
	emit("muster: ", NULL, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

void
warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	emit("muster: warning: ", NULL, NULL, fmt, ap);
	va_end(ap);
}

int
loc_error(const struct loc *l, const char *fmt, ...)
{
	va_list	ap;

	nerrors++;
	va_start(ap, fmt);
	emit(NULL, l, "error", fmt, ap);
	va_end(ap);
	return -1;
}

void
loc_note(const struct loc *l, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	emit(NULL, l, "note", fmt, ap);
	va_end(ap);
}

void
loc_warn(const struct loc *l, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	emit(NULL, l, "warning", fmt, ap);
	va_end(ap);
}

void
loc_hint(const struct loc *l, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	emit(NULL, l, "hint", fmt, ap);
	va_end(ap);
}

unsigned
error_count(void)
{
	return nerrors;
}

void
error_set_sink(void (*fn)(const char *, size_t, void *), void *arg)
{
	sink = fn;
	sink_arg = arg;
}

void
error_get_sink(void (**fn)(const char *, size_t, void *), void **arg)
{
	*fn = sink;
	*arg = sink_arg;
}

static struct buf	*capture;
static size_t		 capture_from;
static void		(*saved_sink)(const char *, size_t, void *);
static void		 *saved_arg;

static void
capture_sink(const char *line, size_t len, void *arg)
{
	struct buf	*b = arg;

	if (len >= 8 && strncmp(line, "muster: ", 8) == 0) {
		line += 8;
		len -= 8;
	}
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (b->len > capture_from)
		buf_adds(b, "; ");
	buf_add(b, line, len);
}

void
error_capture(struct buf *b)
{
	saved_sink = sink;
	saved_arg = sink_arg;
	capture = b;
	capture_from = b->len;
	sink = capture_sink;
	sink_arg = b;
}

void
error_capture_end(void)
{
	sink = saved_sink;
	sink_arg = saved_arg;
	capture = NULL;
}

void
bug(const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "muster: BUG at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory allocating %zu bytes", n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		fatal("out of memory allocating %zu x %zu bytes", n, sz);
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		fatal("out of memory: %zu x %zu bytes overflows", n, sz);
	p = realloc(p, n * sz != 0 ? n * sz : 1);
	if (p == NULL)
		fatal("out of memory allocating %zu x %zu bytes", n, sz);
	return p;
}

void *
xmalloc_huge(size_t n)
{
	void	*p;

	if (posix_memalign(&p, 2 << 20, n) != 0)
		fatal("out of memory allocating %zu bytes", n);
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	/* As strndup(3): at most n bytes, and none past the string's end. */
	n = strnlen(s, n);
	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *
xmemdup(const void *s, size_t n)
{
	void	*p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	struct buf	b = BUF_INIT;

	buf_vprintf(&b, fmt, ap);
	return buf_detach(&b);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
xqsort(void *base, size_t n, size_t sz, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, sz, cmp);
}

void
xgrow(void *arr, size_t *cap, size_t n, size_t sz)
{
	void	**p = arr;
	size_t	  c = *cap;

	if (n <= c)
		return;
	c = c < 8 ? 8 : c;
	while (c < n) {
		if (c > SIZE_MAX / 2)
			fatal("out of memory: array of %zu elements", n);
		c *= 2;
	}
	*p = xreallocarray(*p, c, sz);
	*cap = c;
}

char *
buf_reserve(struct buf *b, size_t n)
{
	if (n > SIZE_MAX - b->len - 1)
		fatal("out of memory: string too long");
	xgrow(&b->s, &b->cap, b->len + n + 1, 1);
	return b->s + b->len;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	memcpy(buf_reserve(b, n), p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_addc(struct buf *b, int c)
{
	char	ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatal("bad format '%s'", fmt);
	vsnprintf(buf_reserve(b, (size_t)n), (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_truncate(struct buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		b->s[n] = '\0';
	}
}

const char *
buf_str(struct buf *b)
{
	return b->s != NULL ? b->s : "";
}

char *
buf_detach(struct buf *b)
{
	char	*s = b->s != NULL ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
buf_release(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

static const struct {
	const char	*name;
	int64_t		 ns;
} units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "\xc2\xb5s", 1000 },	/* U+00B5 micro sign */
	{ "\xce\xbcs", 1000 },	/* U+03BC Greek mu */
	{ "ms", 1000000 },
	{ "s", 1000000000 },
	{ "m", 60 * (int64_t)1000000000 },
	{ "h", 3600 * (int64_t)1000000000 },
};

/* Go's time.ParseDuration, minus the sign: durations here are never negative. */
int
duration_parse(const char *s, int64_t *out, const char **why)
{
	double	 total = 0;
	int	 any = 0;

	*why = NULL;
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (*s == '\0') {
		*why = "empty duration";
		return -1;
	}
	while (*s != '\0') {
		const char	*p = s;
		double		 whole = 0, frac = 0, scale = 1;
		size_t		 i, best = 0, blen = 0;
		int		 digits = 0;

		while (*p >= '0' && *p <= '9') {
			whole = whole * 10 + (*p++ - '0');
			digits++;
		}
		if (*p == '.') {
			p++;
			while (*p >= '0' && *p <= '9') {
				scale /= 10;
				frac += (*p++ - '0') * scale;
				digits++;
			}
		}
		if (digits == 0) {
			*why = *s == '-' ? "negative duration" :
			    "expected a number";
			return -1;
		}
		for (i = 0; i < nitems(units); i++) {
			size_t	n = strlen(units[i].name);

			if (strncmp(p, units[i].name, n) == 0 && n > blen) {
				best = i;
				blen = n;
			}
		}
		if (blen == 0) {
			*why = *p == '\0' ? "missing unit (ns, us, ms, s, m, h)" :
			    "unknown unit (ns, us, ms, s, m, h)";
			return -1;
		}
		total += (whole + frac) * (double)units[best].ns;
		if (total > (double)INT64_MAX / 2) {
			*why = "duration too large";
			return -1;
		}
		any = 1;
		s = p + blen;
	}
	*out = any ? (int64_t)(total + 0.5) : 0;
	return 0;
}

void
duration_format(struct buf *b, int64_t ns)
{
	int64_t	h, m, s, frac;

	if (ns == 0) {
		buf_adds(b, "0s");
		return;
	}
	if (ns < 1000) {
		buf_printf(b, "%" PRId64 "ns", ns);
		return;
	}
	if (ns < 1000000) {
		buf_printf(b, "%g" "µs", (double)ns / 1e3);
		return;
	}
	if (ns < 1000000000) {
		buf_printf(b, "%gms", (double)ns / 1e6);
		return;
	}
	h = ns / (3600 * (int64_t)1000000000);
	ns -= h * 3600 * (int64_t)1000000000;
	m = ns / (60 * (int64_t)1000000000);
	ns -= m * 60 * (int64_t)1000000000;
	s = ns / 1000000000;
	frac = ns % 1000000000;
	if (h > 0)
		buf_printf(b, "%" PRId64 "h", h);
	if (h > 0 || m > 0)
		buf_printf(b, "%" PRId64 "m", m);
	if (frac == 0)
		buf_printf(b, "%" PRId64 "s", s);
	else {
		char	tmp[16];
		int	n = snprintf(tmp, sizeof tmp, "%09" PRId64, frac);

		while (n > 0 && tmp[n - 1] == '0')
			tmp[--n] = '\0';
		buf_printf(b, "%" PRId64 ".%ss", s, tmp);
	}
}

int64_t
clock_mono_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
clock_wall_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Edit distance counting a swap of two neighbours as one edit (optimal
 * string alignment), with an early exit once every cell exceeds max.
 */
unsigned
edit_distance(const char *a, const char *b, unsigned max)
{
	size_t		 la = strlen(a), lb = strlen(b), i, j;
	unsigned	*mem, *prev2, *prev, *cur, *t, result;

	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	prev2 = mem = xcalloc(3 * (lb + 1), sizeof *mem);
	prev = prev2 + lb + 1;
	cur = prev + lb + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		unsigned	low;

		cur[0] = low = (unsigned)i;
		for (j = 1; j <= lb; j++) {
			unsigned	v = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < low)
				low = v;
		}
		if (low > max) {
			free(mem);
			return max + 1;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	result = prev[lb];
	free(mem);
	return result > max ? max + 1 : result;
}

const char *
suggest(const char *word, const char *const *cands, size_t n)
{
	const char	*best = NULL;
	unsigned	 bestd, max;
	size_t		 i, len = strlen(word);

	/* One edit per three characters, at least one, at most three. */
	max = len < 3 ? 1 : len / 3 > 3 ? 3 : (unsigned)(len / 3);
	bestd = max + 1;
	for (i = 0; i < n; i++) {
		unsigned	d = edit_distance(word, cands[i], max);

		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return best;
}

int
utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0;

	while (i < len) {
		unsigned char	c = s[i];
		size_t		n, k;
		uint32_t	cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else
			goto fail;
		if (i + n >= len)	/* needs bytes i+1 .. i+n */
			goto fail;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto fail;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto fail;
		i += n + 1;
	}
	return 1;
fail:
	*bad = i;
	return 0;
}
