/* regex.c: Sprig's regular expression functions over PCRE2, each pattern
 * compiled once. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

#define CACHE_SIZE	64

struct cached {
	char		*src;
	size_t		 len;
	pcre2_code	*re;
};

static struct cached	cache[CACHE_SIZE];
static size_t		cache_next;

static void
cache_clear(void)
{
	size_t	i;

	for (i = 0; i < CACHE_SIZE; i++) {
		free(cache[i].src);
		pcre2_code_free(cache[i].re);
	}
	memset(cache, 0, sizeof cache);
}

/* The compiled form of a pattern, from the cache when it is there. */
static pcre2_code *
regex(struct exec *x, const struct tval *p)
{
	static int	 registered;
	struct cached	*c;
	size_t		 i, off;
	int		 code;
	pcre2_code	*re;
	char		 msg[256];

	for (i = 0; i < CACHE_SIZE; i++)
		if (cache[i].re != NULL && cache[i].len == p->u.s.n &&
		    memcmp(cache[i].src, p->u.s.p, p->u.s.n) == 0)
			return cache[i].re;
	re = pcre2_compile((PCRE2_SPTR)p->u.s.p, p->u.s.n,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg);
		exec_fail(x, "bad regular expression at offset %zu: %s", off,
		    msg);
		return NULL;
	}
	if (!registered) {
		registered = 1;
		atexit(cache_clear);
	}
	c = &cache[cache_next++ % CACHE_SIZE];
	free(c->src);
	pcre2_code_free(c->re);
	c->src = xmemdup(p->u.s.p, p->u.s.n + 1);
	c->len = p->u.s.n;
	c->re = re;
	return re;
}

/* Matches at or after start: 1 found, 0 none, -1 error. */
static int
match(struct exec *x, pcre2_code *re, const struct tval *s, size_t start,
    pcre2_match_data *md)
{
	int	rc = pcre2_match(re, (PCRE2_SPTR)s->u.s.p, s->u.s.n, start, 0,
		    md, NULL);

	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	exec_fail(x, "regular expression failed (PCRE2 error %d)", rc);
	return -1;
}

int
fn_regexmatch(struct exec *x, struct tval *a, int n, struct tval *r)
{
	pcre2_code		*re = regex(x, &a[0]);
	pcre2_match_data	*md;
	int			 m;

	if (re == NULL)
		return -1;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	m = match(x, re, &a[1], 0, md);
	pcre2_match_data_free(md);
	if (m < 0)
		return -1;
	r->kind = TV_BOOL;
	r->u.b = m;
	return 0;
}

/* Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$. */
static void
expand(struct buf *b, const struct tval *t, pcre2_code *re,
    const char *s, const PCRE2_SIZE *ov, uint32_t ng)
{
	const char	*p = t->u.s.p, *e = p + t->u.s.n, *nm;
	size_t		 len;
	int		 brace, num, k;
	char		 name[256];

	while (p < e) {
		if (*p != '$' || p + 1 >= e) {
			buf_addc(b, *p++);
			continue;
		}
		if (p[1] == '$') {
			buf_addc(b, '$');
			p += 2;
			continue;
		}
		brace = p[1] == '{';
		nm = p + 1 + brace;
		for (len = 0; nm + len < e && lex_is_alnum((unsigned char)
		    nm[len]) && (unsigned char)nm[len] < 0x80; len++)
			;
		if (len == 0 || len >= sizeof name ||
		    (brace && (nm + len >= e || nm[len] != '}'))) {
			buf_addc(b, *p++);
			continue;
		}
		memcpy(name, nm, len);
		name[len] = '\0';
		p = nm + len + brace;
		num = -1;
		if (strspn(name, "0123456789") == len)
			num = len < 9 ? atoi(name) : -1;
		else if ((k = pcre2_substring_number_from_name(re,
		    (PCRE2_SPTR)name)) >= 0)
			num = k;
		if (num >= 0 && (uint32_t)num < ng &&
		    ov[2 * num] != PCRE2_UNSET)
			buf_add(b, s + ov[2 * num], ov[2 * num + 1] -
			    ov[2 * num]);
	}
}

/* Go's Regexp.ReplaceAllString loop, empty matches included. */
static int
replace_all(struct exec *x, struct tval *a, int literal, struct tval *r)
{
	pcre2_code		*re = regex(x, &a[0]);
	pcre2_match_data	*md;
	const struct tval	*s = &a[1];
	struct buf		 b = BUF_INIT;
	PCRE2_SIZE		*ov;
	size_t			 pos = 0, last = 0, w;
	int			 m;
	char			*o;

	if (re == NULL)
		return -1;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	ov = pcre2_get_ovector_pointer(md);
	while (pos <= s->u.s.n && (m = match(x, re, s, pos, md)) == 1) {
		buf_add(&b, s->u.s.p + last, ov[0] - last);
		if ((ov[1] > last || ov[0] == 0) && literal)
			buf_add(&b, a[2].u.s.p, a[2].u.s.n);
		else if (ov[1] > last || ov[0] == 0)
			expand(&b, &a[2], re, s->u.s.p, ov,
			    pcre2_get_ovector_count(md));
		last = ov[1];
		w = 1;
		if (pos < s->u.s.n)
			utf8_decode(s->u.s.p + pos, s->u.s.n - pos, &w);
		pos = pos + w > ov[1] ? pos + w : ov[1];
		if (b.len > TMPL_MAX_OUTPUT)
			break;
	}
	pcre2_match_data_free(md);
	if (m < 0) {
		buf_release(&b);
		return -1;
	}
	if (last < s->u.s.n)
		buf_add(&b, s->u.s.p + last, s->u.s.n - last);
	if (b.len > TMPL_MAX_OUTPUT) {
		buf_release(&b);
		return exec_fail(x, "string too long");
	}
	o = exec_strdup(x, buf_str(&b), b.len);
	tval_str(r, o, b.len);
	buf_release(&b);
	return o != NULL ? 0 : -1;
}

int
fn_regexrepl(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return replace_all(x, a, 0, r);
}

int
fn_regexrepllit(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return replace_all(x, a, 1, r);
}

/* Go's allMatches: up to max matches (all when max < 0), an empty match
 * right after the previous one skipped; spans go into l as pairs. */
static int
all_matches(struct exec *x, pcre2_code *re, const struct tval *s,
    int64_t max, struct buf *spans)
{
	pcre2_match_data	*md = pcre2_match_data_create_from_pattern(re,
				    NULL);
	PCRE2_SIZE		*ov = pcre2_get_ovector_pointer(md);
	size_t			 pos = 0, w, sp[2];
	int64_t			 i = 0;
	long			 prev = -1;
	int			 m = 0, accept;

	if (max < 0)
		max = (int64_t)s->u.s.n + 1;
	while (i < max && pos <= s->u.s.n &&
	    (m = match(x, re, s, pos, md)) == 1) {
		accept = 1;
		if (ov[1] == pos) {
			if ((long)ov[0] == prev)
				accept = 0;
			w = 1;
			if (pos < s->u.s.n)
				utf8_decode(s->u.s.p + pos, s->u.s.n - pos, &w);
			pos += w;
		} else
			pos = ov[1];
		prev = (long)ov[1];
		if (accept) {
			sp[0] = ov[0];
			sp[1] = ov[1];
			buf_add(spans, sp, sizeof sp);
			i++;
		}
	}
	pcre2_match_data_free(md);
	return m < 0 ? -1 : 0;
}

/* Sprig's non-must forms panic on a bad pattern: an error either way. */
int
fn_regexfindall(struct exec *x, struct tval *a, int n, struct tval *r)
{
	pcre2_code		*re = regex(x, &a[0]);
	struct buf		 spans = BUF_INIT;
	struct json_object	*l;
	const size_t		*sp;
	size_t			 i;

	if (re == NULL)
		return -1;
	if (a[2].u.i != 0 && all_matches(x, re, &a[1], a[2].u.i, &spans) < 0) {
		buf_release(&spans);
		return -1;
	}
	l = json_object_new_array();
	sp = (const size_t *)(void *)spans.s;
	for (i = 0; i < spans.len / (2 * sizeof *sp); i++)
		json_object_array_add(l, json_object_new_string_len(
		    a[1].u.s.p + sp[2 * i], (int)(sp[2 * i + 1] - sp[2 * i])));
	buf_release(&spans);
	return ret_json(x, l, GT_STRINGS, r);
}

int
fn_regexfind(struct exec *x, struct tval *a, int n, struct tval *r)
{
	pcre2_code		*re = regex(x, &a[0]);
	pcre2_match_data	*md;
	PCRE2_SIZE		*ov;
	int			 m;

	if (re == NULL)
		return -1;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	ov = pcre2_get_ovector_pointer(md);
	m = match(x, re, &a[1], 0, md);
	if (m == 1)
		tval_str(r, a[1].u.s.p + ov[0], ov[1] - ov[0]);
	else
		tval_str(r, "", 0);
	pcre2_match_data_free(md);
	return m < 0 ? -1 : 0;
}

/* Go's Regexp.Split. */
int
fn_regexsplit(struct exec *x, struct tval *a, int n, struct tval *r)
{
	pcre2_code		*re = regex(x, &a[0]);
	struct buf		 spans = BUF_INIT;
	struct json_object	*l;
	const size_t		*sp;
	const char		*s = a[1].u.s.p;
	size_t			 i, beg = 0, end = 0, len = a[1].u.s.n;
	int64_t			 lim = a[2].u.i;

	if (re == NULL)
		return -1;
	l = json_object_new_array();
	if (lim == 0)
		return ret_json(x, l, GT_STRINGS, r);
	if (a[0].u.s.n > 0 && len == 0) {
		json_object_array_add(l, json_object_new_string(""));
		return ret_json(x, l, GT_STRINGS, r);
	}
	if (all_matches(x, re, &a[1], lim, &spans) < 0) {
		buf_release(&spans);
		json_object_put(l);
		return -1;
	}
	sp = (const size_t *)(void *)spans.s;
	for (i = 0; i < spans.len / (2 * sizeof *sp); i++) {
		if (lim > 0 && (int64_t)json_object_array_length(l) == lim - 1)
			break;
		end = sp[2 * i];
		if (sp[2 * i + 1] != 0)
			json_object_array_add(l, json_object_new_string_len(
			    s + beg, (int)(end - beg)));
		beg = sp[2 * i + 1];
	}
	if (end != len)
		json_object_array_add(l, json_object_new_string_len(s + beg,
		    (int)(len - beg)));
	buf_release(&spans);
	return ret_json(x, l, GT_STRINGS, r);
}

int
fn_regexquotemeta(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < a[0].u.s.n; i++) {
		if (IN_SET("\\.+*?()|[]{}^$", a[0].u.s.p[i]))
			buf_addc(&b, '\\');
		buf_addc(&b, a[0].u.s.p[i]);
	}
	return ret_buf(x, &b, r);
}
