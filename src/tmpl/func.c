/* func.c: Go's built-in template functions. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

static void
set_bool(struct tval *r, int b)
{
	r->kind = TV_BOOL;
	r->u.b = b != 0;
}

static int
is_nil(const struct tval *v)
{
	return v->kind == TV_MISSING || v->kind == TV_NIL;
}

int
fn_not(struct exec *x, struct tval *a, int n, struct tval *r)
{
	set_bool(r, !tval_truth(&a[0]));
	return 0;
}

int
fn_len(struct exec *x, struct tval *a, int n, struct tval *r)
{
	if (is_nil(&a[0]))
		return exec_fail(x, "len of nil pointer");
	if (a[0].kind != TV_STRING && a[0].kind != TV_LIST &&
	    a[0].kind != TV_MAP)
		return exec_fail(x, "len of type %s", tval_type(&a[0]));
	r->kind = TV_INT;
	r->u.i = (int64_t)tval_len(&a[0]);
	return 0;
}

/* Go's indexArg; slice passes its indexes without unwrapping interfaces,
 * so there a number straight from the data is refused (iface). */
static int
index_arg(struct exec *x, const struct tval *v, size_t cap, int iface,
    int64_t *out)
{
	if (iface && v->iface && v->kind != TV_NIL)
		return exec_fail(x, "cannot index slice/array with type "
		    "interface {}");
	if (v->kind == TV_INT)
		*out = v->u.i;
	else if (v->kind == TV_UINT)
		*out = (int64_t)v->u.u;
	else if (is_nil(v))
		return exec_fail(x, "cannot index slice/array with nil");
	else
		return exec_fail(x, "cannot index slice/array with type %s",
		    v->iface ? "interface {}" : tval_type(v));
	if (*out < 0 || (uint64_t)*out > cap)
		return exec_fail(x, "index out of range: %lld",
		    (long long)*out);
	return 0;
}

static int
index_map(struct exec *x, struct tval *item, const struct tval *key)
{
	struct json_object	*j;
	char			*k;

	if (is_nil(key))
		return exec_fail(x, "value is nil; should be of type string");
	if (key->kind != TV_STRING)
		return exec_fail(x, "value has type %s; should be string",
		    tval_type(key));
	if ((k = exec_strdup(x, key->u.s.p, key->u.s.n)) == NULL)
		return -1;
	if (json_object_object_get_ex(item->u.j, k, &j))
		tval_from_json(item, j);
	else {
		item->kind = TV_NIL;
		item->iface = 1;
	}
	return 0;
}

int
fn_index(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct tval	item = a[0];
	int64_t		i;
	int		k;

	if (is_nil(&item))
		return exec_fail(x, "index of untyped nil");
	for (k = 1; k < n; k++) {
		switch (item.kind) {
		case TV_NIL:
			return exec_fail(x, "index of nil pointer");
		case TV_LIST: case TV_STRING:
			if (index_arg(x, &a[k], tval_len(&item), 0, &i) < 0)
				return -1;
			if ((size_t)i == tval_len(&item))
				return exec_fail(x, "index out of range: %lld",
				    (long long)i);
			if (item.kind == TV_STRING) {
				item.kind = TV_UINT;
				item.iface = 0;
				item.u.u = (unsigned char)item.u.s.p[i];
			} else
				tval_from_json(&item, json_object_array_get_idx(
				    item.u.j, (size_t)i));
			break;
		case TV_MAP:
			if (index_map(x, &item, &a[k]) < 0)
				return -1;
			break;
		default:
			return exec_fail(x, "can't index item of type %s",
			    tval_type(&item));
		}
	}
	*r = item;
	return 0;
}

static int
slice_list(struct exec *x, const struct tval *item, int64_t lo, int64_t hi,
    struct tval *r)
{
	struct json_object	*l = exec_keep(x, json_object_new_array());
	int64_t			 i;

	for (i = lo; i < hi; i++)
		json_object_array_add(l, json_object_get(
		    json_object_array_get_idx(item->u.j, (size_t)i)));
	r->kind = TV_LIST;
	r->u.j = l;
	return 0;
}

int
fn_slice(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int64_t	idx[3] = { 0, 0, 0 };
	size_t	cap;
	int	k;

	if (is_nil(&a[0]))
		return exec_fail(x, "slice of untyped nil");
	if (n - 1 > 3)
		return exec_fail(x, "too many slice indexes: %d", n - 1);
	if (a[0].kind == TV_STRING && n - 1 == 3)
		return exec_fail(x, "cannot 3-index slice a string");
	if (a[0].kind != TV_STRING && a[0].kind != TV_LIST)
		return exec_fail(x, "can't slice item of type %s",
		    tval_type(&a[0]));
	cap = tval_len(&a[0]);
	idx[1] = (int64_t)cap;
	for (k = 1; k < n; k++)
		if (index_arg(x, &a[k], cap, 1, &idx[k - 1]) < 0)
			return -1;
	if (idx[0] > idx[1])
		return exec_fail(x, "invalid slice index: %lld > %lld",
		    (long long)idx[0], (long long)idx[1]);
	if (n - 1 == 3 && idx[1] > idx[2])
		return exec_fail(x, "invalid slice index: %lld > %lld",
		    (long long)idx[1], (long long)idx[2]);
	if (a[0].kind == TV_STRING) {
		tval_str(r, a[0].u.s.p + idx[0], (size_t)(idx[1] - idx[0]));
		return 0;
	}
	return slice_list(x, &a[0], idx[0], idx[1], r);
}

/* Go's basicKind; -1 for kinds that cannot be ordered. */
static int
basic(const struct tval *v)
{
	switch (v->kind) {
	case TV_BOOL: case TV_INT: case TV_UINT: case TV_FLOAT:
	case TV_COMPLEX: case TV_STRING:
		return v->kind;
	default:
		return -1;
	}
}

static int
str_cmp(const struct tval *a, const struct tval *b)
{
	size_t	n = a->u.s.n < b->u.s.n ? a->u.s.n : b->u.s.n;
	int	c = memcmp(a->u.s.p, b->u.s.p, n);

	if (c != 0)
		return c;
	return a->u.s.n < b->u.s.n ? -1 : a->u.s.n > b->u.s.n;
}

/* a == b for two values of the same basic kind. */
static int
basic_eq(const struct tval *a, const struct tval *b)
{
	switch (a->kind) {
	case TV_BOOL:
		return a->u.b == b->u.b;
	case TV_INT:
		return a->u.i == b->u.i;
	case TV_UINT:
		return a->u.u == b->u.u;
	case TV_FLOAT:
		return a->u.f == b->u.f;
	case TV_COMPLEX:
		return a->u.c[0] == b->u.c[0] && a->u.c[1] == b->u.c[1];
	default:
		return str_cmp(a, b) == 0;
	}
}

/* eq for values without a basic kind: nil, lists, maps, times. */
static int
other_eq(struct exec *x, const struct tval *a, const struct tval *b, int *t)
{
	if (a->kind != b->kind && !is_nil(a) && !is_nil(b))
		return exec_fail(x, "non-comparable types %s, %s",
		    tval_type(a), tval_type(b));
	if (is_nil(a) || is_nil(b)) {
		*t = is_nil(a) == is_nil(b);
		return 0;
	}
	if (a->kind != TV_TIME)
		return exec_fail(x, "non-comparable type %s", tval_type(b));
	*t = a->u.t->sec == b->u.t->sec && a->u.t->nsec == b->u.t->nsec &&
	    a->u.t->loc == b->u.t->loc && a->u.t->off == b->u.t->off;
	return 0;
}

static int
eq1(struct exec *x, const struct tval *a, const struct tval *b, int *t)
{
	int	k1 = basic(a), k2 = basic(b);

	*t = 0;
	if (k1 != k2) {
		if (k1 == TV_INT && k2 == TV_UINT)
			*t = a->u.i >= 0 && (uint64_t)a->u.i == b->u.u;
		else if (k1 == TV_UINT && k2 == TV_INT)
			*t = b->u.i >= 0 && a->u.u == (uint64_t)b->u.i;
		else if (!is_nil(a) && !is_nil(b))
			return exec_fail(x, "incompatible types for "
			    "comparison");
		return 0;
	}
	if (k1 < 0)
		return other_eq(x, a, b, t);
	*t = basic_eq(a, b);
	return 0;
}

int
fn_eq(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int	i, t;

	if (n == 1)
		return exec_fail(x, "missing argument for comparison");
	for (i = 1; i < n; i++) {
		if (eq1(x, &a[0], &a[i], &t) < 0)
			return -1;
		if (t) {
			set_bool(r, 1);
			return 0;
		}
	}
	set_bool(r, 0);
	return 0;
}

int
fn_ne(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int	t;

	if (eq1(x, &a[0], &a[1], &t) < 0)
		return -1;
	set_bool(r, !t);
	return 0;
}

static int
lt1(struct exec *x, const struct tval *a, const struct tval *b, int *t)
{
	int	k1 = basic(a), k2 = basic(b);

	if (k1 < 0 || k2 < 0)
		return exec_fail(x, "invalid type for comparison");
	if (k1 != k2) {
		if (k1 == TV_INT && k2 == TV_UINT)
			*t = a->u.i < 0 || (uint64_t)a->u.i < b->u.u;
		else if (k1 == TV_UINT && k2 == TV_INT)
			*t = b->u.i >= 0 && a->u.u < (uint64_t)b->u.i;
		else
			return exec_fail(x, "incompatible types for "
			    "comparison");
		return 0;
	}
	switch (k1) {
	case TV_BOOL: case TV_COMPLEX:
		return exec_fail(x, "invalid type for comparison");
	case TV_INT:
		*t = a->u.i < b->u.i;
		break;
	case TV_UINT:
		*t = a->u.u < b->u.u;
		break;
	case TV_FLOAT:
		*t = a->u.f < b->u.f;
		break;
	default:
		*t = str_cmp(a, b) < 0;
	}
	return 0;
}

int
fn_lt(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int	t;

	if (lt1(x, &a[0], &a[1], &t) < 0)
		return -1;
	set_bool(r, t);
	return 0;
}

int
fn_le(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int	t;

	if (lt1(x, &a[0], &a[1], &t) < 0)
		return -1;
	if (!t && eq1(x, &a[0], &a[1], &t) < 0)
		return -1;
	set_bool(r, t);
	return 0;
}

int
fn_gt(struct exec *x, struct tval *a, int n, struct tval *r)
{
	if (fn_le(x, a, n, r) < 0)
		return -1;
	r->u.b = !r->u.b;
	return 0;
}

int
fn_ge(struct exec *x, struct tval *a, int n, struct tval *r)
{
	if (fn_lt(x, a, n, r) < 0)
		return -1;
	r->u.b = !r->u.b;
	return 0;
}

static int
keep_buf(struct exec *x, struct buf *b, struct tval *r)
{
	char	*s = exec_strdup(x, buf_str(b), b->len);
	size_t	 n = b->len;

	buf_release(b);
	if (s == NULL)
		return -1;
	tval_str(r, s, n);
	return 0;
}

static int
too_deep(struct exec *x, struct buf *b, int r)
{
	buf_release(b);
	if (r == -2)
		return exec_fail(x, "output too large (limit %d bytes)",
		    TMPL_MAX_OUTPUT);
	return exec_fail(x, "value nested too deep (limit %d)", TMPL_MAX_DEPTH);
}

int
fn_print(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	int		rc;

	if ((rc = print_sprint(&b, a, n, 0)) < 0)
		return too_deep(x, &b, rc);
	return keep_buf(x, &b, r);
}

int
fn_println(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	int		rc;

	if ((rc = print_sprint(&b, a, n, 1)) < 0)
		return too_deep(x, &b, rc);
	return keep_buf(x, &b, r);
}

int
fn_printf(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;
	int		rc;

	rc = print_sprintf(&b, a[0].u.s.p, a[0].u.s.n, a + 1, n - 1);
	if (rc < 0)
		return too_deep(x, &b, rc);
	if (b.len > TMPL_MAX_OUTPUT) {
		buf_release(&b);
		return exec_fail(x, "output too large (limit %d bytes)",
		    TMPL_MAX_OUTPUT);
	}
	return keep_buf(x, &b, r);
}

int
fn_call(struct exec *x, struct tval *a, int n, struct tval *r)
{
	if (is_nil(&a[0]))
		return exec_fail(x, "call of nil");
	return exec_fail(x, "non-function of type %s", tval_type(&a[0]));
}

/* Go's evalArgs for html, js and urlquery. */
static int
eval_args(struct exec *x, struct tval *a, int n, struct buf *b)
{
	int	i, rc;

	if (n == 1 && a[0].kind == TV_STRING) {
		buf_add(b, a[0].u.s.p, a[0].u.s.n);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (is_nil(&a[i]))
			tval_str(&a[i], "<no value>", 10);
	if ((rc = print_sprint(b, a, n, 0)) < 0)
		return too_deep(x, b, rc);
	return 0;
}

int
fn_html(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	s = BUF_INIT, b = BUF_INIT;
	size_t		i;

	if (eval_args(x, a, n, &s) < 0)
		return -1;
	for (i = 0; i < s.len; i++) {
		switch (s.s[i]) {
		case '"': buf_adds(&b, "&#34;"); break;
		case '\'': buf_adds(&b, "&#39;"); break;
		case '&': buf_adds(&b, "&amp;"); break;
		case '<': buf_adds(&b, "&lt;"); break;
		case '>': buf_adds(&b, "&gt;"); break;
		case '\0': buf_adds(&b, "\xef\xbf\xbd"); break;
		default: buf_addc(&b, s.s[i]);
		}
	}
	buf_release(&s);
	return keep_buf(x, &b, r);
}

int
fn_js(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	s = BUF_INIT, b = BUF_INIT;
	size_t		i, w;
	uint32_t	c;

	if (eval_args(x, a, n, &s) < 0)
		return -1;
	for (i = 0; i < s.len; i += w) {
		c = utf8_decode(s.s + i, s.len - i, &w);
		if (c >= 0x80) {
			if (w > 1 || c != 0xFFFD)
				buf_add(&b, s.s + i, w);
			else
				buf_adds(&b, "\\uFFFD");
			continue;
		}
		switch (c) {
		case '\\': buf_adds(&b, "\\\\"); break;
		case '\'': buf_adds(&b, "\\'"); break;
		case '"': buf_adds(&b, "\\\""); break;
		case '<': buf_adds(&b, "\\u003C"); break;
		case '>': buf_adds(&b, "\\u003E"); break;
		case '&': buf_adds(&b, "\\u0026"); break;
		case '=': buf_adds(&b, "\\u003D"); break;
		default:
			if (c < ' ')
				buf_printf(&b, "\\u00%02X", c);
			else
				buf_addc(&b, (int)c);
		}
	}
	buf_release(&s);
	return keep_buf(x, &b, r);
}

int
fn_urlquery(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	s = BUF_INIT, b = BUF_INIT;
	size_t		i;
	unsigned char	c;

	if (eval_args(x, a, n, &s) < 0)
		return -1;
	for (i = 0; i < s.len; i++) {
		c = (unsigned char)s.s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || IN_SET("-_.~", c))
			buf_addc(&b, c);
		else if (c == ' ')
			buf_addc(&b, '+');
		else
			buf_printf(&b, "%%%02X", c);
	}
	buf_release(&s);
	return keep_buf(x, &b, r);
}
