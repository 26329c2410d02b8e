/* cast.c: Sprig's conversions (spf13/cast) and the helpers that return
 * values from the function library. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

/* Copies a string into buf, NUL-terminated; 0 when it does not fit. */
static int
cstr(const struct tval *v, char *buf, size_t cap)
{
	if (v->u.s.n >= cap || memchr(v->u.s.p, '\0', v->u.s.n) != NULL)
		return 0;
	memcpy(buf, v->u.s.p, v->u.s.n);
	buf[v->u.s.n] = '\0';
	return 1;
}

int64_t
cast_int64(const struct tval *v)
{
	char	buf[128];
	size_t	n, i;
	int64_t	i64;
	int	zero = 0;

	switch (v->kind) {
	case TV_INT:
		return v->u.i;
	case TV_UINT:
		return (int64_t)v->u.u;
	case TV_BOOL:
		return v->u.b;
	case TV_FLOAT:
		if (v->u.f != v->u.f || v->u.f >= 9.2233720368547758e18 ||
		    v->u.f < -9.2233720368547758e18)
			return INT64_MIN;
		return (int64_t)v->u.f;
	case TV_STRING:
		if (!cstr(v, buf, sizeof buf))
			return 0;
		n = v->u.s.n;
		/* trimZeroDecimal: "12.00" reads as "12" */
		for (i = n; i > 0; i--) {
			if (buf[i - 1] == '0')
				zero = 1;
			else if (buf[i - 1] == '.' && zero) {
				n = i - 1;
				break;
			} else
				break;
		}
		if (lit_parse_int(buf, n, &i64) == 0)
			return i64;
		return 0;
	default:
		return 0;
	}
}

double
cast_float64(const struct tval *v)
{
	char	buf[512], *end;
	double	f;

	switch (v->kind) {
	case TV_INT:
		return (double)v->u.i;
	case TV_UINT:
		return (double)v->u.u;
	case TV_BOOL:
		return v->u.b;
	case TV_FLOAT:
		return v->u.f;
	case TV_STRING:
		if (!cstr(v, buf, sizeof buf) || v->u.s.n == 0)
			return 0;
		if (lit_parse_float(buf, v->u.s.n, &f) == 0)
			return f;
		/* strconv.ParseFloat also reads inf, infinity and nan */
		f = strtod(buf, &end);
		if (*end == '\0' && (isinf(f) || isnan(f)) &&
		    strpbrk(buf, "xX") == NULL)
			return f;
		return 0;
	default:
		return 0;
	}
}

int
ret_buf(struct exec *x, struct buf *b, struct tval *r)
{
	size_t	 n = b->len;
	char	*s;

	if (n > TMPL_MAX_OUTPUT) {
		buf_release(b);
		return exec_fail(x, "string too long (limit %d bytes)",
		    TMPL_MAX_OUTPUT);
	}
	s = exec_strdup(x, buf_str(b), n);
	buf_release(b);
	if (s == NULL)
		return -1;
	tval_str(r, s, n);
	return 0;
}

int
ret_bool(struct tval *r, int b)
{
	r->kind = TV_BOOL;
	r->u.b = b != 0;
	return 0;
}

int
ret_int(struct tval *r, int64_t i, int gt)
{
	r->kind = TV_INT;
	r->gt = (unsigned char)gt;
	r->u.i = i;
	return 0;
}

int
ret_float(struct tval *r, double f)
{
	r->kind = TV_FLOAT;
	r->u.f = f;
	return 0;
}

int
ret_json(struct exec *x, struct json_object *j, int gt, struct tval *r)
{
	tval_from_json(r, exec_keep(x, j));
	r->iface = 0;
	r->gt = (unsigned char)gt;
	if (r->kind == TV_NIL)
		r->kind = TV_MISSING;
	return 0;
}

struct json_object *
tval_json(const struct tval *v)
{
	struct buf		 b = BUF_INIT;
	struct json_object	*j;

	switch (v->kind) {
	case TV_BOOL:
		return json_object_new_boolean(v->u.b);
	case TV_INT:
		return json_object_new_int64(v->u.i);
	case TV_UINT:
		return json_object_new_int64((int64_t)v->u.u);
	case TV_FLOAT:
		return json_object_new_double(v->u.f);
	case TV_STRING:
		return json_object_new_string_len(v->u.s.p, (int)v->u.s.n);
	case TV_LIST: case TV_MAP:
		return json_object_get(v->u.j);
	case TV_TIME: case TV_COMPLEX:
		print_value(&b, v);
		j = json_object_new_string_len(buf_str(&b), (int)b.len);
		buf_release(&b);
		return j;
	default:
		return NULL;
	}
}

int
tval_strcpy(struct exec *x, const struct tval *v, char **out)
{
	struct tval	s;

	if (tval_strval(x, v, &s) < 0 ||
	    (*out = exec_strdup(x, s.u.s.p, s.u.s.n)) == NULL)
		return -1;
	return 0;
}

const char *
tval_kind(const struct tval *v)
{
	static const char	*names[] = { "invalid", "invalid", "bool",
		"int", "uint8", "float64", "complex128", "string", "slice", "map",
		"struct" };

	if (v->kind == TV_INT && v->gt == GT_INT64)
		return "int64";
	return names[v->kind];
}

/* reflect.DeepEqual over values and JSON data. */
static int
json_equal(struct json_object *a, struct json_object *b, unsigned depth)
{
	struct tval	va, vb;

	tval_from_json(&va, a);
	tval_from_json(&vb, b);
	return tval_equal(&va, &vb, depth + 1);
}

int
tval_equal(const struct tval *a, const struct tval *b, unsigned depth)
{
	size_t			 i, n;
	struct json_object	*o;

	if (depth > TMPL_MAX_DEPTH)
		return 0;
	if ((a->kind == TV_MISSING || a->kind == TV_NIL) &&
	    (b->kind == TV_MISSING || b->kind == TV_NIL))
		return 1;
	if (a->kind != b->kind || a->gt != b->gt)
		return 0;
	switch (a->kind) {
	case TV_BOOL:
		return a->u.b == b->u.b;
	case TV_INT:
		return a->u.i == b->u.i;
	case TV_UINT:
		return a->u.u == b->u.u;
	case TV_FLOAT:
		return a->u.f == b->u.f;
	case TV_STRING:
		return a->u.s.n == b->u.s.n &&
		    memcmp(a->u.s.p, b->u.s.p, a->u.s.n) == 0;
	case TV_LIST:
		n = json_object_array_length(a->u.j);
		if (n != json_object_array_length(b->u.j))
			return 0;
		for (i = 0; i < n; i++)
			if (!json_equal(json_object_array_get_idx(a->u.j, i),
			    json_object_array_get_idx(b->u.j, i), depth))
				return 0;
		return 1;
	case TV_MAP:
		if (json_object_object_length(a->u.j) !=
		    json_object_object_length(b->u.j))
			return 0;
		json_object_object_foreach(a->u.j, k, va) {
			if (!json_object_object_get_ex(b->u.j, k, &o) ||
			    !json_equal(va, o, depth))
				return 0;
		}
		return 1;
	case TV_TIME:
		return memcmp(a->u.t, b->u.t, sizeof *a->u.t) == 0;
	default:
		return 0;
	}
}
