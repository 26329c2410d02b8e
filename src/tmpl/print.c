/* print.c: Go's fmt for template values: verbs, flags, containers, Sprint. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

static const char	ldigits[] = "0123456789abcdefx";
static const char	udigits[] = "0123456789ABCDEFX";

static size_t
rune_count(const char *s, size_t n)
{
	size_t	i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static void
padding(struct buf *b, int n, const struct ff *f)
{
	char	*p;

	if (n <= 0)
		return;
	/* past the output limit the text is an error anyway: stop there */
	if (b->len + (size_t)n > (size_t)TMPL_MAX_OUTPUT + 1)
		n = b->len > (size_t)TMPL_MAX_OUTPUT ? 0 :
		    (int)((size_t)TMPL_MAX_OUTPUT + 1 - b->len);
	if (n == 0)
		return;
	p = buf_reserve(b, (size_t)n);
	memset(p, f->zero ? '0' : ' ', (size_t)n);
	b->len += (size_t)n;
	b->s[b->len] = '\0';
}

/* Go's fmt.pad: width counts runes. */
static void
pad(struct buf *b, const char *s, size_t n, const struct ff *f)
{
	int	w;

	if (!f->widp || f->wid == 0) {
		buf_add(b, s, n);
		return;
	}
	w = f->wid - (int)rune_count(s, n);
	if (!f->minus) {
		padding(b, w, f);
		buf_add(b, s, n);
	} else {
		buf_add(b, s, n);
		padding(b, w, f);
	}
}

static void
pads(struct buf *b, const char *s, const struct ff *f)
{
	pad(b, s, strlen(s), f);
}

/* fmt.fmtFloat */
static void
fmt_float(struct buf *b, double v, char verb, int prec, const struct ff *f)
{
	struct buf	num = BUF_INIT;
	struct ff	g = *f;
	const char	*s;

	if (f->precp)
		prec = f->prec;
	buf_addc(&num, '+');
	print_float(&num, v, verb, prec);
	s = num.s;
	if (s[1] == '-' || s[1] == '+')
		s++;
	else
		num.s[0] = '+';
	if (f->space && s[0] == '+' && !f->plus)
		num.s[s - num.s] = ' ';
	if (s[1] == 'I' || s[1] == 'N') {
		g.zero = 0;
		if (s[1] == 'N' && !f->space && !f->plus)
			s++;
		pads(b, s, &g);
	} else if (f->plus || s[0] != '+') {
		if (f->zero && f->widp && f->wid > (int)strlen(s)) {
			buf_addc(b, s[0]);
			padding(b, f->wid - (int)strlen(s), f);
			buf_adds(b, s + 1);
		} else
			pads(b, s, f);
	} else
		pads(b, s + 1, f);
	buf_release(&num);
}

/* fmt.fmtInteger */
static void
fmt_integer(struct buf *b, uint64_t u, int neg, int base, char verb,
    const char *digits, const struct ff *f)
{
	char		 small[80], *buf = small;
	size_t		 size = sizeof small;
	size_t		 i;
	int		 prec = 0;
	struct ff	 g = *f;

	if (f->widp || f->precp) {
		size = (size_t)(3 + f->wid + f->prec) + 70;
		if (size > sizeof small)
			buf = xmalloc(size);
	}
	if (f->precp) {
		prec = f->prec;
		if (prec == 0 && u == 0) {
			g.zero = 0;
			padding(b, f->wid, &g);
			goto out;
		}
	} else if (f->zero && !f->minus && f->widp) {
		prec = f->wid;
		if (neg || f->plus || f->space)
			prec--;
	}
	i = size;
	do {
		buf[--i] = digits[u % (unsigned)base];
		u /= (unsigned)base;
	} while (u > 0);
	while (i > 0 && prec > (int)(size - i))
		buf[--i] = '0';
	if (f->sharp) {
		if (base == 2) {
			buf[--i] = 'b';
			buf[--i] = '0';
		} else if (base == 8 && buf[i] != '0')
			buf[--i] = '0';
		else if (base == 16) {
			buf[--i] = digits[16];
			buf[--i] = '0';
		}
	}
	if (verb == 'O') {
		buf[--i] = 'o';
		buf[--i] = '0';
	}
	if (neg)
		buf[--i] = '-';
	else if (f->plus)
		buf[--i] = '+';
	else if (f->space)
		buf[--i] = ' ';
	g.zero = 0;
	pad(b, buf + i, size - i, &g);
out:
	if (buf != small)
		free(buf);
}

static void
fmt_rune_quoted(struct buf *b, uint64_t c, const struct ff *f)
{
	struct buf	q = BUF_INIT;
	uint32_t	r = c > 0x10FFFF ? 0xFFFD : (uint32_t)c;

	buf_addc(&q, '\'');
	print_rune_escaped(&q, r, '\'', f->plus);
	buf_addc(&q, '\'');
	pad(b, q.s, q.len, f);
	buf_release(&q);
}

static void
bad_verb(struct buf *b, int verb, const struct tval *v, unsigned depth)
{
	struct ff	f;

	memset(&f, 0, sizeof f);
	buf_adds(b, "%!");
	buf_addc(b, verb);
	buf_addc(b, '(');
	if (v == NULL || v->kind == TV_MISSING || v->kind == TV_NIL)
		buf_adds(b, "<nil>");
	else {
		buf_adds(b, tval_type(v));
		buf_addc(b, '=');
		print_val(b, v, 'v', &f, depth);
	}
	buf_addc(b, ')');
}

static void
fmt_int_verb(struct buf *b, const struct tval *v, int verb, struct ff *f)
{
	uint64_t	u = v->kind == TV_INT ? (uint64_t)v->u.i : v->u.u;
	int		neg = v->kind == TV_INT && v->u.i < 0;
	char		enc[4];

	if (neg)
		u = 0 - u;
	switch (verb) {
	case 'v':
		if (f->sharp_v && v->kind == TV_UINT) {
			struct ff	g = *f;

			g.sharp = 1;
			fmt_integer(b, u, 0, 16, 'x', ldigits, &g);
			return;
		}
		/* FALLTHROUGH */
	case 'd':
		fmt_integer(b, u, neg, 10, (char)verb, ldigits, f);
		return;
	case 'b':
		fmt_integer(b, u, neg, 2, (char)verb, ldigits, f);
		return;
	case 'o': case 'O':
		fmt_integer(b, u, neg, 8, (char)verb, ldigits, f);
		return;
	case 'x':
		fmt_integer(b, u, neg, 16, (char)verb, ldigits, f);
		return;
	case 'X':
		fmt_integer(b, u, neg, 16, (char)verb, udigits, f);
		return;
	case 'c':
		pad(b, enc, utf8_encode(enc, neg || u > 0x10FFFF ? 0xFFFD :
		    (uint32_t)u), f);
		return;
	case 'q':
		fmt_rune_quoted(b, neg ? 0xFFFD : u, f);
		return;
	case 'U': {
		struct buf	q = BUF_INIT;
		struct ff	g = *f;

		buf_printf(&q, "U+%04llX", (unsigned long long)(neg ? 0 - u :
		    u));
		if (f->sharp && !neg && u <= 0x10FFFF &&
		    rune_printable((uint32_t)u)) {
			buf_adds(&q, " '");
			buf_add(&q, enc, utf8_encode(enc, (uint32_t)u));
			buf_addc(&q, '\'');
		}
		g.zero = 0;
		pad(b, q.s, q.len, &g);
		buf_release(&q);
		return;
	}
	}
	bad_verb(b, verb, v, 0);
}

static void
fmt_sx(struct buf *b, const char *s, size_t n, const char *digits,
    const struct ff *f)
{
	size_t	len = n, i;
	int	width;

	if (f->precp && (size_t)f->prec < len)
		len = (size_t)f->prec;
	width = 2 * (int)len;
	if (width == 0) {
		if (f->widp)
			padding(b, f->wid, f);
		return;
	}
	if (f->space) {
		if (f->sharp)
			width *= 2;
		width += (int)len - 1;
	} else if (f->sharp)
		width += 2;
	if (f->widp && f->wid > width && !f->minus)
		padding(b, f->wid - width, f);
	if (f->sharp) {
		buf_addc(b, '0');
		buf_addc(b, digits[16]);
	}
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (f->space && i > 0) {
			buf_addc(b, ' ');
			if (f->sharp) {
				buf_addc(b, '0');
				buf_addc(b, digits[16]);
			}
		}
		buf_addc(b, digits[c >> 4]);
		buf_addc(b, digits[c & 0xF]);
	}
	if (f->widp && f->wid > width && f->minus)
		padding(b, f->wid - width, f);
}

static size_t
truncate_runes(const char *s, size_t n, const struct ff *f)
{
	size_t	i, w;
	int	k = 0;

	if (!f->precp)
		return n;
	for (i = 0; i < n; i += w) {
		if (k++ == f->prec)
			return i;
		utf8_decode(s + i, n - i, &w);
	}
	return n;
}

static int
can_backquote(const char *s, size_t n)
{
	size_t		i, w;
	uint32_t	r;

	for (i = 0; i < n; i += w) {
		r = utf8_decode(s + i, n - i, &w);
		if (w == 1 && r == 0xFFFD && (unsigned char)s[i] >= 0x80)
			return 0;
		if (r == '`' || r == 0xFEFF || (r < ' ' && r != '\t') ||
		    r == 0x7F)
			return 0;
	}
	return 1;
}

static void
fmt_string(struct buf *b, const char *s, size_t n, int verb,
    const struct ff *f, const struct tval *v)
{
	struct buf	q = BUF_INIT;

	switch (verb) {
	case 'v':
		if (!f->sharp_v) {
			pad(b, s, truncate_runes(s, n, f), f);
			return;
		}
		/* FALLTHROUGH */
	case 'q':
		n = truncate_runes(s, n, f);
		if (f->sharp && can_backquote(s, n)) {
			buf_addc(&q, '`');
			buf_add(&q, s, n);
			buf_addc(&q, '`');
		} else
			print_quote(&q, s, n, f->plus);
		pad(b, q.s, q.len, f);
		buf_release(&q);
		return;
	case 's':
		pad(b, s, truncate_runes(s, n, f), f);
		return;
	case 'x':
		fmt_sx(b, s, n, ldigits, f);
		return;
	case 'X':
		fmt_sx(b, s, n, udigits, f);
		return;
	}
	bad_verb(b, verb, v, 0);
}

static int
map_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted keys of a map; the caller frees the array. */
const char **
tmpl_map_keys(struct json_object *m, size_t *n)
{
	const char	**k;
	size_t		  i = 0;

	*n = (size_t)json_object_object_length(m);
	k = xreallocarray(NULL, *n + 1, sizeof *k);
	json_object_object_foreach(m, key, val) {
		(void)val;
		k[i++] = key;
	}
	xqsort(k, *n, sizeof *k, map_cmp);
	return k;
}

static int
print_container(struct buf *b, const struct tval *v, int verb, struct ff *f,
    unsigned depth)
{
	struct tval	 e;
	size_t		 i, n;
	const char	**keys;
	int		 r = 0;

	if (f->sharp_v)
		buf_printf(b, "%s{", tval_type(v));
	else
		buf_adds(b, v->kind == TV_MAP ? "map[" : "[");
	if (v->kind == TV_LIST) {
		n = json_object_array_length(v->u.j);
		for (i = 0; i < n && r == 0; i++) {
			if (b->len > TMPL_MAX_OUTPUT)
				return -2;
			if (i > 0)
				buf_adds(b, f->sharp_v ? ", " : " ");
			tval_from_json(&e,
			    json_object_array_get_idx(v->u.j, i));
			r = print_val(b, &e, verb, f, depth + 1);
		}
	} else {
		keys = tmpl_map_keys(v->u.j, &n);
		for (i = 0; i < n && r == 0; i++) {
			if (b->len > TMPL_MAX_OUTPUT)
				r = -2;
			if (i > 0)
				buf_adds(b, f->sharp_v ? ", " : " ");
			tval_str(&e, keys[i], strlen(keys[i]));
			print_val(b, &e, verb, f, depth + 1);
			buf_addc(b, ':');
			tval_from_json(&e, json_object_object_get(v->u.j,
			    keys[i]));
			r = print_val(b, &e, verb, f, depth + 1);
		}
		free(keys);
	}
	buf_addc(b, f->sharp_v ? '}' : ']');
	return r;
}

static void
fmt_complex(struct buf *b, const struct tval *v, int verb, const struct ff *f)
{
	struct ff	g = *f;
	int		prec = -1;

	if (!IN_SET("vbgGxXfFeE", verb)) {
		bad_verb(b, verb, v, 0);
		return;
	}
	if (IN_SET("fFeE", verb))
		prec = 6;
	if (verb == 'v')
		verb = 'g';
	buf_addc(b, '(');
	fmt_float(b, v->u.c[0], (char)verb, prec, &g);
	g.plus = 1;
	fmt_float(b, v->u.c[1], (char)verb, prec, &g);
	buf_adds(b, "i)");
}

static void
fmt_time(struct buf *b, const struct tval *v, int verb, const struct ff *f)
{
	struct buf	s = BUF_INIT;

	time_string(&s, v->u.t);
	if (IN_SET("vsxXq", verb) && !f->sharp_v)
		fmt_string(b, s.s, s.len, verb, f, v);
	else
		bad_verb(b, verb, v, 0);
	buf_release(&s);
}

/* fmt's printValue: an element inside a container, or an argument. */
static int	print_semver(struct buf *, const struct tval *,
	    const struct ff *);

int
print_val(struct buf *b, const struct tval *v, int verb, struct ff *f,
    unsigned depth)
{
	if (depth > TMPL_MAX_DEPTH)
		return -1;
	switch (v->kind) {
	case TV_MISSING: case TV_NIL:
		if (depth == 0 && verb != 'v' && verb != 'T')
			bad_verb(b, verb, v, depth);
		else if (f->sharp_v && depth > 0)
			buf_adds(b, "interface {}(nil)");
		else if (depth > 0)
			buf_adds(b, "<nil>");
		else
			pads(b, "<nil>", f);
		return 0;
	case TV_BOOL:
		if (verb == 't' || verb == 'v')
			pads(b, v->u.b ? "true" : "false", f);
		else
			bad_verb(b, verb, v, depth);
		return 0;
	case TV_INT: case TV_UINT:
		if (v->gt == GT_DURATION && (verb == 'v' || verb == 's')) {
			/* a Stringer: time.Duration */
			struct buf	d = BUF_INIT;

			duration_string(&d, v->u.i);
			pad(b, buf_str(&d), d.len, f);
			buf_release(&d);
			return 0;
		}
		fmt_int_verb(b, v, verb, f);
		return 0;
	case TV_FLOAT:
		if (verb == 'v')
			fmt_float(b, v->u.f, 'g', -1, f);
		else if (IN_SET("bgGxX", verb))
			fmt_float(b, v->u.f, (char)verb, -1, f);
		else if (IN_SET("feEF", verb))
			fmt_float(b, v->u.f, (char)verb, 6, f);
		else
			bad_verb(b, verb, v, depth);
		return 0;
	case TV_COMPLEX:
		fmt_complex(b, v, verb, f);
		return 0;
	case TV_STRING:
		fmt_string(b, v->u.s.p, v->u.s.n, verb, f, v);
		return 0;
	case TV_TIME:
		fmt_time(b, v, verb, f);
		return 0;
	default:
		if (v->gt == GT_SEMVER && (verb == 'v' || verb == 's'))
			return print_semver(b, v, f);
		return print_container(b, v, verb, f, depth);
	}
}

/* A *semver.Version prints as its String method says. */
static int
print_semver(struct buf *b, const struct tval *v, const struct ff *f)
{
	struct buf	 s = BUF_INIT;
	const char	*k[] = { "Major", "Minor", "Patch", "Prerelease",
			    "Metadata" };
	struct json_object	*j;
	int		 i;

	for (i = 0; i < 5; i++) {
		if (!json_object_object_get_ex(v->u.j, k[i], &j))
			continue;
		if (i < 3)
			buf_printf(&s, "%s%lld", i > 0 ? "." : "",
			    (long long)json_object_get_int64(j));
		else if (json_object_get_string_len(j) > 0)
			buf_printf(&s, "%c%s", i == 3 ? '-' : '+',
			    json_object_get_string(j));
	}
	pad(b, buf_str(&s), s.len, f);
	buf_release(&s);
	return 0;
}

int
print_arg(struct buf *b, const struct tval *v, int verb, struct ff *f)
{
	if (verb == 'T') {
		pads(b, v->kind <= TV_NIL ? "<nil>" : tval_type(v), f);
		return 0;
	}
	if (verb == 'p') {
		bad_verb(b, verb, v, 0);
		return 0;
	}
	return print_val(b, v, verb, f, 0);
}

int
print_value(struct buf *b, const struct tval *v)
{
	struct ff	f;

	memset(&f, 0, sizeof f);
	return print_arg(b, v, 'v', &f);
}

int
print_sprint(struct buf *b, const struct tval *v, int n, int ln)
{
	struct ff	f;
	int		i, prev = 0, is, r;

	memset(&f, 0, sizeof f);
	for (i = 0; i < n; i++) {
		is = v[i].kind == TV_STRING;
		if (i > 0 && (ln || (!is && !prev)))
			buf_addc(b, ' ');
		if ((r = print_arg(b, &v[i], 'v', &f)) < 0)
			return r;
		if (b->len > TMPL_MAX_OUTPUT)
			return -2;
		prev = is;
	}
	if (ln)
		buf_addc(b, '\n');
	return 0;
}

