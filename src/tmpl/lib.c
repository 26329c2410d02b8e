/* tmpl-lib.c: muster's template functions (Sprig's names and semantics). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <wctype.h>

#include <json-c/json.h>

#include "tmpl/int.h"

static void
set_bool(struct tval *r, int b)
{
	r->kind = TV_BOOL;
	r->u.b = b != 0;
}

int
tval_strval(struct exec *x, const struct tval *v, struct tval *out)
{
	struct buf	b = BUF_INIT;

	if (v->kind == TV_STRING) {
		*out = *v;
		return 0;
	}
	if (print_value(&b, v) < 0) {
		buf_release(&b);
		return exec_fail(x, "value too large or nested too deep");
	}
	return ret_buf(x, &b, out);
}

int
fn_default(struct exec *x, struct tval *a, int n, struct tval *r)
{
	*r = n < 2 || !tval_truth(&a[1]) ? a[0] : a[1];
	return 0;
}

/* Unicode case and classes come from the C.UTF-8 locale. */
locale_t
rune_locale(void)
{
	static locale_t	loc;
	static int	tried;

	if (!tried) {
		tried = 1;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

uint32_t
rune_upper(uint32_t c)
{
	if (c < 0x80)
		return c >= 'a' && c <= 'z' ? c - 32 : c;
	return rune_locale() ? (uint32_t)towupper_l((wint_t)c,
	    rune_locale()) : c;
}

uint32_t
rune_lower(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	return rune_locale() ? (uint32_t)towlower_l((wint_t)c,
	    rune_locale()) : c;
}

/* unicode.IsSpace */
int
rune_space(uint32_t c)
{
	return (c >= '\t' && c <= '\r') || c == ' ' || c == 0x85 ||
	    c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
	    c == 0x3000;
}

/* strings.Map with a case function; invalid UTF-8 becomes U+FFFD. */
static int
map_case(struct exec *x, const struct tval *s, int how, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, w;
	uint32_t	 c;
	char		 enc[4];
	int		 sep = 1;
	locale_t	 l = rune_locale();

	for (i = 0; i < s->u.s.n; i += w) {
		c = utf8_decode(s->u.s.p + i, s->u.s.n - i, &w);
		if (how == 't') {
			int	is_sep = c < 0x80 ? !lex_is_alnum(c) :
			    !(lex_is_alnum(c)) && (l == (locale_t)0 ||
			    iswspace_l((wint_t)c, l));

			if (sep && !is_sep)
				c = rune_upper(c);
			sep = is_sep;
		} else
			c = how == 'u' ? rune_upper(c) : rune_lower(c);
		buf_add(&b, enc, utf8_encode(enc, c));
	}
	return ret_buf(x, &b, r);
}

int
fn_upper(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return map_case(x, &a[0], 'u', r);
}

int
fn_lower(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return map_case(x, &a[0], 'l', r);
}

int
fn_title(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return map_case(x, &a[0], 't', r);
}

int
fn_trim(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*s = a[0].u.s.p;
	size_t		 lo = 0, hi = a[0].u.s.n, w, i;
	uint32_t	 c;

	while (lo < hi) {
		c = utf8_decode(s + lo, hi - lo, &w);
		if (!rune_space(c) || (c == 0xFFFD && w == 1))
			break;
		lo += w;
	}
	while (hi > lo) {
		for (i = hi - 1; i > lo && ((unsigned char)s[i] & 0xC0) == 0x80;
		    i--)
			;
		c = utf8_decode(s + i, hi - i, &w);
		if (w != hi - i || !rune_space(c))
			break;
		hi = i;
	}
	tval_str(r, s + lo, hi - lo);
	return 0;
}

static const char *
find(const char *h, size_t hn, const char *nd, size_t nn)
{
	if (nn == 0)
		return h;
	return memmem(h, hn, nd, nn);
}

int
fn_replace(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*old = a[0].u.s.p, *s = a[2].u.s.p, *p;
	size_t		 on = a[0].u.s.n, sn = a[2].u.s.n, i = 0, w;
	struct buf	 b = BUF_INIT;

	if (on == 0) {
		/* Go: the new string before every rune and at the end */
		for (i = 0; i <= sn; i += w) {
			buf_add(&b, a[1].u.s.p, a[1].u.s.n);
			if (i == sn || b.len > TMPL_MAX_OUTPUT)
				break;
			utf8_decode(s + i, sn - i, &w);
			buf_add(&b, s + i, w);
		}
		return ret_buf(x, &b, r);
	}
	while ((p = find(s + i, sn - i, old, on)) != NULL) {
		buf_add(&b, s + i, (size_t)(p - (s + i)));
		buf_add(&b, a[1].u.s.p, a[1].u.s.n);
		i = (size_t)(p - s) + on;
		if (b.len > TMPL_MAX_OUTPUT)
			break;
	}
	buf_add(&b, s + i, sn - i);
	return ret_buf(x, &b, r);
}

int
fn_contains(struct exec *x, struct tval *a, int n, struct tval *r)
{
	set_bool(r, find(a[1].u.s.p, a[1].u.s.n, a[0].u.s.p, a[0].u.s.n) !=
	    NULL);
	return 0;
}

int
fn_hasprefix(struct exec *x, struct tval *a, int n, struct tval *r)
{
	set_bool(r, a[1].u.s.n >= a[0].u.s.n &&
	    memcmp(a[1].u.s.p, a[0].u.s.p, a[0].u.s.n) == 0);
	return 0;
}

int
fn_hassuffix(struct exec *x, struct tval *a, int n, struct tval *r)
{
	set_bool(r, a[1].u.s.n >= a[0].u.s.n &&
	    memcmp(a[1].u.s.p + a[1].u.s.n - a[0].u.s.n, a[0].u.s.p,
	    a[0].u.s.n) == 0);
	return 0;
}

/* strings.Split into a new JSON array. */
static struct json_object *
split(const struct tval *sep, const struct tval *s)
{
	struct json_object	*l = json_object_new_array();
	const char		*p, *str = s->u.s.p;
	size_t			 i = 0, w, n = s->u.s.n;

	if (sep->u.s.n == 0) {
		for (i = 0; i < n; i += w) {
			utf8_decode(str + i, n - i, &w);
			json_object_array_add(l, json_object_new_string_len(
			    str + i, (int)w));
		}
		return l;
	}
	while ((p = memmem(str + i, n - i, sep->u.s.p, sep->u.s.n)) != NULL) {
		json_object_array_add(l, json_object_new_string_len(str + i,
		    (int)(p - (str + i))));
		i = (size_t)(p - str) + sep->u.s.n;
	}
	json_object_array_add(l, json_object_new_string_len(str + i,
	    (int)(n - i)));
	return l;
}

int
fn_splitlist(struct exec *x, struct tval *a, int n, struct tval *r)
{
	r->kind = TV_LIST;
	r->u.j = exec_keep(x, split(&a[0], &a[1]));
	return 0;
}

int
fn_split(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l = split(&a[0], &a[1]), *m;
	size_t			 i;
	char			 key[32];

	m = exec_keep(x, json_object_new_object());
	for (i = 0; i < json_object_array_length(l); i++) {
		snprintf(key, sizeof key, "_%zu", i);
		json_object_object_add(m, key, json_object_get(
		    json_object_array_get_idx(l, i)));
	}
	json_object_put(l);
	r->kind = TV_MAP;
	r->u.j = m;
	return 0;
}

/* Sprig's strslice: the strings of a list, nil elements dropped. */
int
fn_join(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	struct tval	e, s;
	size_t		i, cnt;
	int		first = 1;

	if (a[1].kind == TV_MISSING || a[1].kind == TV_NIL) {
		tval_str(r, "", 0);
		return 0;
	}
	if (a[1].kind != TV_LIST)
		return tval_strval(x, &a[1], r);
	cnt = json_object_array_length(a[1].u.j);
	for (i = 0; i < cnt; i++) {
		tval_from_json(&e, json_object_array_get_idx(a[1].u.j, i));
		if (e.kind == TV_NIL)
			continue;
		if (tval_strval(x, &e, &s) < 0) {
			buf_release(&b);
			return -1;
		}
		if (!first)
			buf_add(&b, a[0].u.s.p, a[0].u.s.n);
		buf_add(&b, s.u.s.p, s.u.s.n);
		first = 0;
		if (b.len > TMPL_MAX_OUTPUT)
			break;
	}
	return ret_buf(x, &b, r);
}

int
fn_quote(struct exec *x, struct tval *a, int n, struct tval *r)
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
		if (!first)
			buf_addc(&b, ' ');
		print_quote(&b, s.u.s.p, s.u.s.n, 0);
		first = 0;
	}
	return ret_buf(x, &b, r);
}

/* Sprig's arithmetic returns int64. */
static void
set_int(struct tval *r, uint64_t u)
{
	r->kind = TV_INT;
	r->gt = GT_INT64;
	r->u.i = (int64_t)u;
}

int
fn_add(struct exec *x, struct tval *a, int n, struct tval *r)
{
	uint64_t	s = 0;
	int		i;

	for (i = 0; i < n; i++)
		s += (uint64_t)cast_int64(&a[i]);
	set_int(r, s);
	return 0;
}

int
fn_sub(struct exec *x, struct tval *a, int n, struct tval *r)
{
	set_int(r, (uint64_t)cast_int64(&a[0]) - (uint64_t)cast_int64(&a[1]));
	return 0;
}

int
fn_mul(struct exec *x, struct tval *a, int n, struct tval *r)
{
	uint64_t	p = (uint64_t)cast_int64(&a[0]);
	int		i;

	for (i = 1; i < n; i++)
		p *= (uint64_t)cast_int64(&a[i]);
	set_int(r, p);
	return 0;
}

static int
divmod(struct exec *x, struct tval *a, struct tval *r, int mod)
{
	int64_t	p = cast_int64(&a[0]), q = cast_int64(&a[1]);

	if (q == 0)
		return exec_fail(x, "runtime error: integer divide by zero");
	r->kind = TV_INT;
	r->gt = GT_INT64;
	if (q == -1)
		r->u.i = mod ? 0 : (int64_t)(0 - (uint64_t)p);
	else
		r->u.i = mod ? p % q : p / q;
	return 0;
}

int
fn_div(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return divmod(x, a, r, 0);
}

int
fn_mod(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return divmod(x, a, r, 1);
}

static uint64_t
random_below(uint64_t n)
{
	uint64_t	v, lim = UINT64_MAX - UINT64_MAX % n;

	do {
		if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
			fatal("getrandom:");
	} while (v >= lim);
	return v % n;
}

int
fn_randomstring(struct exec *x, struct tval *a, int n, struct tval *r)
{
	static const char	cs[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char			*s;
	int64_t			 i;

	if (a[0].u.i < 0 || a[0].u.i > TMPL_MAX_OUTPUT)
		return exec_fail(x, "length %lld out of range (0 to %d)",
		    (long long)a[0].u.i, TMPL_MAX_OUTPUT);
	if ((s = exec_alloc(x, (size_t)a[0].u.i + 1)) == NULL)
		return -1;
	for (i = 0; i < a[0].u.i; i++)
		s[i] = cs[random_below(sizeof cs - 1)];
	tval_str(r, s, (size_t)a[0].u.i);
	return 0;
}

/* randomInt MIN MAX, and randomInt N: 0 <= n < N. */
int
fn_randomint(struct exec *x, struct tval *a, int n, struct tval *r)
{
	uint64_t	span;

	if (n > 2)
		return exec_fail(x, "wrong number of args for randomInt: want "
		    "1 or 2 got %d", n);
	if (n == 1) {
		a[1] = a[0];
		a[0].u.i = 0;
	}
	span = (uint64_t)a[1].u.i - (uint64_t)a[0].u.i;

	if (a[1].u.i <= a[0].u.i)
		return exec_fail(x, "MAX (%lld) must be greater than MIN "
		    "(%lld)", (long long)a[1].u.i, (long long)a[0].u.i);
	set_int(r, (uint64_t)a[0].u.i + random_below(span));
	r->gt = GT_PLAIN;
	return 0;
}

int
fn_env(struct exec *x, struct tval *a, int n, struct tval *r)
{
	char		*name = exec_strdup(x, a[0].u.s.p, a[0].u.s.n);
	const char	*v;

	if (name == NULL)
		return -1;
	v = memchr(a[0].u.s.p, '\0', a[0].u.s.n) ? NULL : getenv(name);
	tval_str(r, v ? v : "", v ? strlen(v) : 0);
	return 0;
}

/* envWith NAME: {value, set}, so a template can tell unset from empty. */
int
fn_envwith(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*m;
	char			*name = exec_strdup(x, a[0].u.s.p, a[0].u.s.n);
	const char		*v;

	if (name == NULL)
		return -1;
	v = memchr(a[0].u.s.p, '\0', a[0].u.s.n) ? NULL : getenv(name);
	m = json_object_new_object();
	json_object_object_add(m, "value", json_object_new_string(v ? v : ""));
	json_object_object_add(m, "set", json_object_new_boolean(v != NULL));
	return ret_json(x, m, GT_PLAIN, r);
}

int
fn_required(struct exec *x, struct tval *a, int n, struct tval *r)
{
	if (a[1].kind == TV_MISSING || a[1].kind == TV_NIL ||
	    (a[1].kind == TV_STRING && a[1].u.s.n == 0))
		return exec_fail(x, "%.*s", (int)a[0].u.s.n, a[0].u.s.p);
	*r = a[1];
	return 0;
}

static const char	b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
fn_b64enc(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const unsigned char	*s = (const unsigned char *)a[0].u.s.p;
	size_t			 len = a[0].u.s.n, i, o = 0;
	char			*d;
	uint32_t		 v;

	if (len > TMPL_MAX_OUTPUT)
		return exec_fail(x, "string too long");
	if ((d = exec_alloc(x, (len + 2) / 3 * 4 + 1)) == NULL)
		return -1;
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		d[o++] = b64[v >> 18];
		d[o++] = b64[v >> 12 & 63];
		d[o++] = b64[v >> 6 & 63];
		d[o++] = b64[v & 63];
	}
	if (i < len) {
		v = (uint32_t)s[i] << 16 | (i + 1 < len ? s[i + 1] << 8 : 0);
		d[o++] = b64[v >> 18];
		d[o++] = b64[v >> 12 & 63];
		d[o++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		d[o++] = '=';
	}
	tval_str(r, d, o);
	return 0;
}

static int
b64val(int c)
{
	const char	*p = c != '\0' ? strchr(b64, c) : NULL;

	return p != NULL ? (int)(p - b64) : -1;
}

/* base64.StdEncoding.DecodeString: padded; CR and LF are skipped. */
int
fn_b64dec(struct exec *x, struct tval *a, int n, struct tval *r)
{
	const char	*s = a[0].u.s.p;
	size_t		 len = a[0].u.s.n, i, k = 0, o = 0, q;
	char		*c, *d;
	int		 v[4];

	if ((c = exec_alloc(x, len + 1)) == NULL ||
	    (d = exec_alloc(x, len + 1)) == NULL)
		return -1;
	for (i = 0; i < len; i++)
		if (s[i] != '\r' && s[i] != '\n')
			c[k++] = s[i];
	for (i = 0; i < k; i += 4) {
		for (q = 0; q < 4; q++) {
			if (i + q >= k)
				goto bad;
			v[q] = b64val(c[i + q]);
			if (v[q] >= 0)
				continue;
			if (c[i + q] != '=' || q < 2 || i + 4 != k ||
			    (q == 2 && c[i + 3] != '='))
				goto bad;
			break;
		}
		d[o++] = (char)(v[0] << 2 | v[1] >> 4);
		if (q > 2)
			d[o++] = (char)(v[1] << 4 | v[2] >> 2);
		if (q > 3)
			d[o++] = (char)(v[2] << 6 | v[3]);
	}
	tval_str(r, d, o);
	return 0;
bad:
	/* Go reports an unfinished last quantum at its start */
	return exec_fail(x, "illegal base64 data at input byte %zu",
	    i + q < k ? i + q : i);
}
