/* sprig-strings.c: Sprig's string functions (strings, goutils, xstrings). */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <wctype.h>

#include <json-c/json.h>

#include "tmpl/int.h"

#define STR(v)	(v).u.s.p, (v).u.s.n

static void
add_rune(struct buf *b, uint32_t c)
{
	char	enc[4];

	buf_add(b, enc, utf8_encode(enc, c));
}

/* r is one of the runes of the cutset. */
static int
in_cutset(const struct tval *set, uint32_t r)
{
	size_t		i, w;

	for (i = 0; i < set->u.s.n; i += w)
		if (utf8_decode(set->u.s.p + i, set->u.s.n - i, &w) == r)
			return 1;
	return 0;
}

/* strings.Trim(a[1], a[0]) */
int
fn_trimall(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*s = a[1].u.s.p;
	size_t		 lo = 0, hi = a[1].u.s.n, w, i;

	while (lo < hi && in_cutset(&a[0], utf8_decode(s + lo, hi - lo, &w)))
		lo += w;
	while (hi > lo) {
		for (i = hi - 1; i > lo && ((unsigned char)s[i] & 0xC0) == 0x80;
		    i--)
			;
		if (!in_cutset(&a[0], utf8_decode(s + i, hi - i, &w)))
			break;
		hi = i;
	}
	tval_str(r, s + lo, hi - lo);
	return 0;
}

int
fn_trimprefix(struct exec *x, struct tval *a, int n, struct tval *r)
{
	*r = a[1];
	if (a[1].u.s.n >= a[0].u.s.n &&
	    memcmp(a[1].u.s.p, a[0].u.s.p, a[0].u.s.n) == 0)
		tval_str(r, a[1].u.s.p + a[0].u.s.n, a[1].u.s.n - a[0].u.s.n);
	return 0;
}

int
fn_trimsuffix(struct exec *x, struct tval *a, int n, struct tval *r)
{
	*r = a[1];
	if (a[1].u.s.n >= a[0].u.s.n && memcmp(a[1].u.s.p + a[1].u.s.n -
	    a[0].u.s.n, a[0].u.s.p, a[0].u.s.n) == 0)
		tval_str(r, a[1].u.s.p, a[1].u.s.n - a[0].u.s.n);
	return 0;
}

int
fn_trunc(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int64_t	c = a[0].u.i, len = (int64_t)a[1].u.s.n;

	*r = a[1];
	if (c < 0 && len + c > 0)
		tval_str(r, a[1].u.s.p + len + c, (size_t)-c);
	else if (c >= 0 && len > c)
		tval_str(r, a[1].u.s.p, (size_t)c);
	return 0;
}

/* goutils.AbbreviateFull, byte-wise. */
static void
abbreviate(struct buf *b, const char *s, int64_t len, int64_t off, int64_t w)
{
	if (len <= w) {
		buf_add(b, s, (size_t)len);
		return;
	}
	if (off > len)
		off = len;
	if (len - off < w - 3)
		off = len - (w - 3);
	if (off <= 4) {
		buf_add(b, s, (size_t)(w - 3));
		buf_adds(b, "...");
		return;
	}
	buf_adds(b, "...");
	if (off + w - 3 < len && w - 3 >= 4)
		abbreviate(b, s + off, len - off, 0, w - 3);
	else
		buf_add(b, s + len - (w - 3), (size_t)(w - 3));
}

int
fn_abbrev(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;

	if (a[0].u.i < 4 || a[1].u.s.n == 0) {
		*r = a[1];
		return 0;
	}
	abbreviate(&b, STR(a[1]), 0, a[0].u.i);
	return ret_buf(x, &b, r);
}

int
fn_abbrevboth(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;

	if (a[1].u.i < 4 || (a[0].u.i > 0 && a[1].u.i < 7) ||
	    a[2].u.s.n == 0) {
		*r = a[2];
		return 0;
	}
	abbreviate(&b, STR(a[2]), a[0].u.i, a[1].u.i);
	return ret_buf(x, &b, r);
}

/* how: 'u' untitle (first rune of each word lowered), 's' swapcase. */
static int
recase(struct exec *x, const struct tval *s, int how, struct tval *r)
{
	struct buf	b = BUF_INIT;
	size_t		i, w;
	uint32_t	c, u;
	int		gap = 1;

	for (i = 0; i < s->u.s.n; i += w) {
		c = utf8_decode(s->u.s.p + i, s->u.s.n - i, &w);
		if (how == 'u') {
			if (rune_space(c))
				gap = 1;
			else if (gap) {
				c = rune_lower(c);
				gap = 0;
			}
		} else if ((u = rune_upper(c)) != c)
			c = u;
		else
			c = rune_lower(c);
		add_rune(&b, c);
	}
	return ret_buf(x, &b, r);
}

int
fn_untitle(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return recase(x, &a[0], 'u', r);
}

int
fn_swapcase(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return recase(x, &a[0], 's', r);
}

static int
is_connector(uint32_t c)
{
	return c == '-' || c == '_' || rune_space(c);
}

/* xstrings.ToCamelCase */
int
fn_camelcase(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	const char	*s = a[0].u.s.p;
	size_t		 len = a[0].u.s.n, i = 0, w;
	uint32_t	 r0 = 0, r1;

	while (i < len) {
		r0 = utf8_decode(s + i, len - i, &w);
		i += w;
		if (!is_connector(r0)) {
			r0 = rune_upper(r0);
			break;
		}
		add_rune(&b, r0);
		r0 = 0;
	}
	if (i >= len) {
		if (r0 != 0)
			add_rune(&b, r0);
		return ret_buf(x, &b, r);
	}
	while (i < len) {
		r1 = r0;
		r0 = utf8_decode(s + i, len - i, &w);
		i += w;
		if (is_connector(r0) && is_connector(r1)) {
			add_rune(&b, r1);
			continue;
		}
		if (is_connector(r1))
			r0 = rune_upper(r0);
		else {
			r0 = rune_lower(r0);
			add_rune(&b, r1);
		}
	}
	add_rune(&b, r0);
	return ret_buf(x, &b, r);
}

static int
rune_class(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? 'U' : c >= 'a' && c <= 'z' ?
		    'l' : c >= '0' && c <= '9' ? 'd' : 0;
	if (rune_locale() == (locale_t)0)
		return 0;
	if (iswupper_l((wint_t)c, rune_locale()))
		return 'U';
	if (iswalpha_l((wint_t)c, rune_locale()))
		return 'l';
	if (iswdigit_l((wint_t)c, rune_locale()))
		return 'd';
	return 0;
}

/* snakecase and kebabcase: words split at separators, at a lower-to-upper
 * change and before the last capital of an acronym ("HTTPServer"); digits
 * stay with the word before them. */
static int
lower_words(struct exec *x, const struct tval *s, char conn, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	const char	*p = s->u.s.p;
	size_t		 len = s->u.s.n, i, w, w2;
	uint32_t	 c, next;
	int		 prev = 0, cls, sep = 0;

	for (i = 0; i < len; i += w) {
		c = utf8_decode(p + i, len - i, &w);
		cls = rune_class(c);
		if (cls == 0) {
			sep = b.len > 0;
			prev = 0;
			continue;
		}
		next = i + w < len ? utf8_decode(p + i + w, len - i - w, &w2) :
		    0;
		if (sep || (cls == 'U' && (prev == 'l' || prev == 'd' ||
		    (prev == 'U' && rune_class(next) == 'l'))))
			if (b.len > 0)
				buf_addc(&b, conn);
		sep = 0;
		add_rune(&b, rune_lower(c));
		prev = cls;
	}
	return ret_buf(x, &b, r);
}

int
fn_snakecase(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return lower_words(x, &a[0], '_', r);
}

int
fn_kebabcase(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return lower_words(x, &a[0], '-', r);
}

int
fn_substr(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int64_t	lo = a[0].u.i, hi = a[1].u.i, len = (int64_t)a[2].u.s.n;

	if (lo < 0)
		lo = 0;
	else if (hi < 0 || hi > len)
		hi = len;
	if (hi > len)
		return exec_fail(x, "runtime error: slice bounds out of range "
		    "[:%lld] with length %lld", (long long)hi, (long long)len);
	if (lo > hi)
		return exec_fail(x, "runtime error: slice bounds out of range "
		    "[%lld:%lld]", (long long)lo, (long long)hi);
	tval_str(r, a[2].u.s.p + lo, (size_t)(hi - lo));
	return 0;
}

int
fn_repeat(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	int64_t		i;

	if (a[0].u.i < 0)
		return exec_fail(x, "strings: negative Repeat count");
	if (a[1].u.s.n > 0 && (uint64_t)a[0].u.i > TMPL_MAX_OUTPUT /
	    a[1].u.s.n)
		return exec_fail(x, "string too long (limit %d bytes)",
		    TMPL_MAX_OUTPUT);
	for (i = 0; i < a[0].u.i && a[1].u.s.n > 0; i++)
		buf_add(&b, STR(a[1]));
	return ret_buf(x, &b, r);
}

/* goutils.DeleteWhiteSpace and Initials walk bytes, each as a rune. */
int
fn_nospace(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	size_t		i, kept = 0;
	unsigned char	c;

	for (i = 0; i < a[0].u.s.n; i++)
		if (!rune_space(c = (unsigned char)a[0].u.s.p[i])) {
			add_rune(&b, c);
			kept++;
		}
	if (kept == a[0].u.s.n) {
		buf_release(&b);
		*r = a[0];
		return 0;
	}
	return ret_buf(x, &b, r);
}

int
fn_initials(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	unsigned char	c;
	int		gap = 1;

	for (i = 0; i < a[0].u.s.n; i++) {
		if (rune_space(c = (unsigned char)a[0].u.s.p[i]))
			gap = 1;
		else if (gap) {
			add_rune(&b, c);
			gap = 0;
		}
	}
	return ret_buf(x, &b, r);
}

/* goutils.WrapCustom */
static int
wrap(struct exec *x, int64_t wl, const struct tval *nl, int longw,
    const struct tval *str, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	const char	*s = str->u.s.p, *sp;
	size_t		 len = str->u.s.n, off = 0, end, k;
	const char	*nls = nl != NULL && nl->u.s.n > 0 ? nl->u.s.p : "\n";
	size_t		 nln = nl != NULL && nl->u.s.n > 0 ? nl->u.s.n : 1;

	if (wl < 1)
		wl = 1;
	while (len - off > (uint64_t)wl) {
		if (s[off] == ' ') {
			off++;
			continue;
		}
		end = (size_t)wl + off + 1;
		for (sp = NULL, k = end; k > off; k--)
			if (s[k - 1] == ' ') {
				sp = s + k - 1;
				break;
			}
		if (sp != NULL) {
			buf_add(&b, s + off, (size_t)(sp - (s + off)));
			buf_add(&b, nls, nln);
			off = (size_t)(sp - s) + 1;
		} else if (longw) {
			buf_add(&b, s + off, (size_t)wl);
			buf_add(&b, nls, nln);
			off += (size_t)wl;
		} else {
			end = (size_t)wl + off;
			sp = memchr(s + end, ' ', len - end);
			if (sp == NULL) {
				buf_add(&b, s + off, len - off);
				off = len;
			} else {
				buf_add(&b, s + off, (size_t)(sp - (s + off)));
				buf_add(&b, nls, nln);
				off = (size_t)(sp - s) + 1;
			}
		}
		if (b.len > TMPL_MAX_OUTPUT)
			break;
	}
	buf_add(&b, s + off, len - off);
	return ret_buf(x, &b, r);
}

int
fn_wrap(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return wrap(x, a[0].u.i, NULL, 0, &a[1], r);
}

int
fn_wrapwith(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return wrap(x, a[0].u.i, &a[1], 1, &a[2], r);
}

static void
spaces(struct buf *b, int64_t n)
{
	while (n-- > 0)
		buf_addc(b, ' ');
}

static int
indent(struct exec *x, int64_t sp, const struct tval *s, int nl,
    struct tval *r)
{
	struct buf	b = BUF_INIT;
	size_t		i, lines = 1;

	if (sp < 0)
		return exec_fail(x, "strings: negative Repeat count");
	for (i = 0; i < s->u.s.n; i++)
		lines += s->u.s.p[i] == '\n';
	if ((uint64_t)sp > TMPL_MAX_OUTPUT / lines)
		return exec_fail(x, "string too long (limit %d bytes)",
		    TMPL_MAX_OUTPUT);
	if (nl)
		buf_addc(&b, '\n');
	spaces(&b, sp);
	for (i = 0; i < s->u.s.n; i++) {
		buf_addc(&b, s->u.s.p[i]);
		if (s->u.s.p[i] == '\n')
			spaces(&b, sp);
	}
	return ret_buf(x, &b, r);
}

int
fn_indent(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return indent(x, a[0].u.i, &a[1], 0, r);
}

int
fn_nindent(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return indent(x, a[0].u.i, &a[1], 1, r);
}

int
fn_plural(struct exec *x, struct tval *a, int n, struct tval *r)
{
	*r = a[2].u.i == 1 ? a[0] : a[1];
	return 0;
}

int
fn_squote(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	struct tval	s;
	int		i, first = 1;

	for (i = 0; i < n; i++) {
		if (a[i].kind == TV_MISSING || a[i].kind == TV_NIL)
			continue;
		if (tval_strval(x, &a[i], &s) < 0) {
			buf_release(&b);
			return -1;
		}
		buf_adds(&b, first ? "'" : " '");
		buf_add(&b, STR(s));
		buf_addc(&b, '\'');
		first = 0;
	}
	return ret_buf(x, &b, r);
}

int
fn_cat(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	int		i, first = 1, rc;

	for (i = 0; i < n; i++) {
		if (a[i].kind == TV_MISSING || a[i].kind == TV_NIL)
			continue;
		if (!first)
			buf_addc(&b, ' ');
		if ((rc = print_value(&b, &a[i])) < 0) {
			buf_release(&b);
			return exec_fail(x, "value too large or nested too "
			    "deep");
		}
		first = 0;
	}
	return ret_buf(x, &b, r);
}

/* xstrings.Shuffle: the runes in a random order. */
int
fn_shuffle(struct exec *x, struct tval *a, int n, struct tval *r)
{
	uint32_t	*rs, t, v;
	size_t		 cnt = 0, i, w, j;
	struct buf	 b = BUF_INIT;

	if ((rs = exec_alloc(x, (a[0].u.s.n + 1) * sizeof *rs)) == NULL)
		return -1;
	for (i = 0; i < a[0].u.s.n; i += w)
		rs[cnt++] = utf8_decode(a[0].u.s.p + i, a[0].u.s.n - i, &w);
	for (i = cnt; i > 1; i--) {
		if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
			return exec_fail(x, "getrandom failed");
		j = v % i;
		t = rs[i - 1];
		rs[i - 1] = rs[j];
		rs[j] = t;
	}
	for (i = 0; i < cnt; i++)
		add_rune(&b, rs[i]);
	return ret_buf(x, &b, r);
}

int
fn_tostring(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return tval_strval(x, &a[0], r);
}

int
fn_hello(struct exec *x, struct tval *a, int n, struct tval *r)
{
	tval_str(r, "Hello!", 6);
	return 0;
}

static void
add_part(struct json_object *m, size_t *k, const char *s, size_t n)
{
	char	key[32];

	snprintf(key, sizeof key, "_%zu", (*k)++);
	json_object_object_add(m, key, json_object_new_string_len(s, (int)n));
}

/* strings.SplitN into Sprig's {_0, _1, ...} map. */
int
fn_splitn(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*m = json_object_new_object();
	const char		*s = a[2].u.s.p, *p;
	size_t			 len = a[2].u.s.n, i = 0, w, k = 0;
	int64_t			 lim = a[1].u.i;

	if (lim == 0)
		return ret_json(x, m, GT_PLAIN, r);
	if (a[0].u.s.n == 0) {
		while (i < len && (lim < 0 || (int64_t)k < lim - 1)) {
			utf8_decode(s + i, len - i, &w);
			add_part(m, &k, s + i, w);
			i += w;
		}
		if (i < len)
			add_part(m, &k, s + i, len - i);
		return ret_json(x, m, GT_PLAIN, r);
	}
	while ((lim < 0 || (int64_t)k < lim - 1) &&
	    (p = memmem(s + i, len - i, STR(a[0]))) != NULL) {
		add_part(m, &k, s + i, (size_t)(p - (s + i)));
		i = (size_t)(p - s) + a[0].u.s.n;
	}
	add_part(m, &k, s + i, len - i);
	return ret_json(x, m, GT_PLAIN, r);
}

/* Sprig's strslice: the strings of a list, nil elements dropped; any other
 * value is a list of its string; nil an empty list. */
int
tval_strslice(struct exec *x, const struct tval *v, struct json_object **out)
{
	struct json_object	*l = json_object_new_array();
	struct tval		 e, s;
	size_t			 i, cnt;

	*out = l;
	if (v->kind != TV_LIST) {
		if (v->kind == TV_MISSING || v->kind == TV_NIL)
			return 0;
		if (tval_strval(x, v, &s) < 0)
			return -1;
		json_object_array_add(l, json_object_new_string_len(STR(s)));
		return 0;
	}
	cnt = json_object_array_length(v->u.j);
	for (i = 0; i < cnt; i++) {
		tval_from_json(&e, json_object_array_get_idx(v->u.j, i));
		if (e.kind == TV_NIL)
			continue;
		if (tval_strval(x, &e, &s) < 0)
			return -1;
		json_object_array_add(l, json_object_new_string_len(STR(s)));
	}
	return 0;
}

int
fn_tostrings(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;

	if (tval_strslice(x, &a[0], &l) < 0) {
		json_object_put(l);
		return -1;
	}
	return ret_json(x, l, GT_STRINGS, r);
}

static int
cmp_str(const void *a, const void *b)
{
	struct json_object	*ja = *(struct json_object *const *)a;
	struct json_object	*jb = *(struct json_object *const *)b;
	size_t			 na = (size_t)json_object_get_string_len(ja);
	size_t			 nb = (size_t)json_object_get_string_len(jb);
	int			 c;

	c = memcmp(json_object_get_string(ja), json_object_get_string(jb),
	    na < nb ? na : nb);

	return c != 0 ? c : (na > nb) - (na < nb);
}

int
fn_sortalpha(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;
	struct tval		 s;

	if (a[0].kind != TV_LIST) {
		if (tval_strval(x, &a[0], &s) < 0)
			return -1;
		l = json_object_new_array();
		json_object_array_add(l, json_object_new_string_len(STR(s)));
		return ret_json(x, l, GT_STRINGS, r);
	}
	if (tval_strslice(x, &a[0], &l) < 0) {
		json_object_put(l);
		return -1;
	}
	json_object_array_sort(l, cmp_str);
	return ret_json(x, l, GT_STRINGS, r);
}
