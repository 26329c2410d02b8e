/* sprig-lists.c: Sprig's list functions and integer sequences. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

/* Lists a function may build: more is an error, not an exhausted host. */
#define MAX_LIST	1000000

/* Sprig's error for a value that is not a list ("Cannot find first on
 * type string"); nil is a nil pointer dereference, as in Sprig. */
static int
not_list(struct exec *x, const struct tval *v, const char *what)
{
	if (v->kind == TV_MISSING || v->kind == TV_NIL)
		return exec_fail(x, "runtime error: invalid memory address or "
		    "nil pointer dereference");
	return exec_fail(x, "Cannot %s on type %s", what, tval_kind(v));
}

static struct json_object *
elem(const struct tval *l, size_t i)
{
	return json_object_array_get_idx(l->u.j, i);
}

/* A new list of l's elements lo..hi-1. */
static struct json_object *
sub_list(const struct tval *l, size_t lo, size_t hi)
{
	struct json_object	*o = json_object_new_array_ext((int)(hi - lo));

	for (; lo < hi; lo++)
		json_object_array_add(o, json_object_get(elem(l, lo)));
	return o;
}

int
fn_list(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l = json_object_new_array_ext(n);
	int			 i;

	for (i = 0; i < n; i++)
		json_object_array_add(l, tval_json(&a[i]));
	return ret_json(x, l, GT_PLAIN, r);
}

static int
pick_one(struct exec *x, struct tval *a, struct tval *r, const char *what,
    int last)
{
	size_t	n;

	if (a[0].kind != TV_LIST)
		return not_list(x, &a[0], what);
	if ((n = tval_len(&a[0])) == 0) {
		r->kind = TV_NIL;
		return 0;
	}
	tval_from_json(r, elem(&a[0], last ? n - 1 : 0));
	return 0;
}

int
fn_first(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return pick_one(x, a, r, "find first", 0);
}

int
fn_last(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return pick_one(x, a, r, "find last", 1);
}

int
fn_rest(struct exec *x, struct tval *a, int n, struct tval *r)
{
	size_t	len;

	if (a[0].kind != TV_LIST)
		return not_list(x, &a[0], "find rest");
	len = tval_len(&a[0]);
	return ret_json(x, sub_list(&a[0], len > 0, len), GT_PLAIN, r);
}

int
fn_initial(struct exec *x, struct tval *a, int n, struct tval *r)
{
	size_t	len;

	if (a[0].kind != TV_LIST)
		return not_list(x, &a[0], "find initial");
	len = tval_len(&a[0]);
	return ret_json(x, sub_list(&a[0], 0, len > 0 ? len - 1 : 0),
	    GT_PLAIN, r);
}

int
fn_append(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;

	if (a[0].kind != TV_LIST)
		return not_list(x, &a[0], "push");
	l = sub_list(&a[0], 0, tval_len(&a[0]));
	json_object_array_add(l, tval_json(&a[1]));
	return ret_json(x, l, GT_PLAIN, r);
}

int
fn_prepend(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;
	size_t			 i, len;

	if (a[0].kind != TV_LIST)
		return not_list(x, &a[0], "prepend");
	len = tval_len(&a[0]);
	l = json_object_new_array_ext((int)len + 1);
	json_object_array_add(l, tval_json(&a[1]));
	for (i = 0; i < len; i++)
		json_object_array_add(l, json_object_get(elem(&a[0], i)));
	return ret_json(x, l, GT_PLAIN, r);
}

int
fn_concat(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l = json_object_new_array();
	size_t			 k;
	int			 i;

	for (i = 0; i < n; i++) {
		if (a[i].kind != TV_LIST) {
			json_object_put(l);
			if (a[i].kind == TV_MISSING || a[i].kind == TV_NIL)
				return not_list(x, &a[i], "concat");
			return exec_fail(x, "Cannot concat type %s as list",
			    tval_kind(&a[i]));
		}
		if (json_object_array_length(l) + tval_len(&a[i]) > MAX_LIST) {
			json_object_put(l);
			return exec_fail(x, "list too long (limit %d)",
			    MAX_LIST);
		}
		for (k = 0; k < tval_len(&a[i]); k++)
			json_object_array_add(l, json_object_get(elem(&a[i],
			    k)));
	}
	return ret_json(x, l, GT_PLAIN, r);
}

int
fn_reverse(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;
	size_t			 len, i;

	if (a[0].kind != TV_LIST)
		return not_list(x, &a[0], "find reverse");
	len = tval_len(&a[0]);
	l = json_object_new_array_ext((int)len);
	for (i = len; i > 0; i--)
		json_object_array_add(l, json_object_get(elem(&a[0], i - 1)));
	return ret_json(x, l, GT_PLAIN, r);
}

/* v is reflect.DeepEqual to one of the elements of l. */
static int
in_list(struct json_object *l, const struct tval *v)
{
	struct tval	e;
	size_t		i, len = json_object_array_length(l);

	for (i = 0; i < len; i++) {
		tval_from_json(&e, json_object_array_get_idx(l, i));
		e.iface = 0;
		if (tval_equal(&e, v, 0))
			return 1;
	}
	return 0;
}

int
fn_uniq(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;
	struct tval		 e;
	size_t			 i, len;

	if (a[0].kind != TV_LIST)
		return not_list(x, &a[0], "find uniq");
	len = tval_len(&a[0]);
	if (len > 20000)
		return exec_fail(x, "list too long for uniq (limit 20000)");
	l = json_object_new_array();
	for (i = 0; i < len; i++) {
		tval_from_json(&e, elem(&a[0], i));
		if (!in_list(l, &e))
			json_object_array_add(l, json_object_get(elem(&a[0],
			    i)));
	}
	return ret_json(x, l, GT_PLAIN, r);
}

int
fn_without(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;
	struct tval		 e;
	size_t			 i, len;
	int			 k, skip;

	if (a[0].kind != TV_LIST)
		return not_list(x, &a[0], "find without");
	len = tval_len(&a[0]);
	l = json_object_new_array();
	for (i = 0; i < len; i++) {
		tval_from_json(&e, elem(&a[0], i));
		for (skip = 0, k = 1; k < n && !skip; k++)
			skip = tval_equal(&e, &a[k], 0);
		if (!skip)
			json_object_array_add(l, json_object_get(elem(&a[0],
			    i)));
	}
	return ret_json(x, l, GT_PLAIN, r);
}

int
fn_has(struct exec *x, struct tval *a, int n, struct tval *r)
{
	if (a[1].kind == TV_MISSING || a[1].kind == TV_NIL)
		return ret_bool(r, 0);
	if (a[1].kind != TV_LIST)
		return not_list(x, &a[1], "find has");
	return ret_bool(r, in_list(a[1].u.j, &a[0]));
}

int
fn_compact(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;
	struct tval		 e;
	size_t			 i, len;

	if (a[0].kind != TV_LIST)
		return not_list(x, &a[0], "compact");
	len = tval_len(&a[0]);
	l = json_object_new_array();
	for (i = 0; i < len; i++) {
		tval_from_json(&e, elem(&a[0], i));
		if (tval_truth(&e))
			json_object_array_add(l, json_object_get(elem(&a[0],
			    i)));
	}
	return ret_json(x, l, GT_PLAIN, r);
}

/* Sprig's mustSlice: indexes converted with cast.ToInt, a third ignored,
 * nil for an empty list. */
int
fn_mustslice(struct exec *x, struct tval *a, int n, struct tval *r)
{
	int64_t	lo = 0, hi, len;

	if (a[0].kind != TV_LIST) {
		if (a[0].kind == TV_MISSING || a[0].kind == TV_NIL)
			return not_list(x, &a[0], "slice");
		return exec_fail(x, "list should be type of slice or array "
		    "but %s", tval_kind(&a[0]));
	}
	if ((len = (int64_t)tval_len(&a[0])) == 0) {
		r->kind = TV_NIL;
		return 0;
	}
	hi = len;
	if (n > 1)
		lo = cast_int64(&a[1]);
	if (n > 2)
		hi = cast_int64(&a[2]);
	if (lo < 0 || hi < lo || hi > len)
		return exec_fail(x, "reflect.Value.Slice: slice index out of "
		    "bounds");
	return ret_json(x, sub_list(&a[0], (size_t)lo, (size_t)hi), GT_PLAIN,
	    r);
}

int
fn_chunk(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;
	int64_t			 size = a[0].u.i;
	size_t			 len, i;

	if (a[1].kind != TV_LIST) {
		if (a[1].kind == TV_MISSING || a[1].kind == TV_NIL)
			return not_list(x, &a[1], "chunk");
		return exec_fail(x, "Cannot chunk type %s", tval_kind(&a[1]));
	}
	len = tval_len(&a[1]);
	if (size <= 0 && len > 0)
		return exec_fail(x, "runtime error: integer divide by zero");
	l = json_object_new_array();
	for (i = 0; i < len; i += (size_t)size)
		json_object_array_add(l, sub_list(&a[1], i,
		    len - i < (uint64_t)size ? len : i + (size_t)size));
	return ret_json(x, l, GT_PLAIN, r);
}

/* Sprig's untilStep into a new list; -1 when it would be too long. */
static int
until_step(struct exec *x, int64_t start, int64_t stop, int64_t step,
    struct json_object **out)
{
	struct json_object	*l = json_object_new_array();
	int64_t			 i, cnt = 0;

	*out = l;
	if ((stop < start && step >= 0) || (stop >= start && step <= 0))
		return 0;
	for (i = start; stop < start ? i > stop : i < stop; i += step) {
		if (++cnt > MAX_LIST)
			return exec_fail(x, "list too long (limit %d)",
			    MAX_LIST);
		json_object_array_add(l, json_object_new_int64(i));
		if ((step > 0 && i > INT64_MAX - step) ||
		    (step < 0 && i < INT64_MIN - step))
			break;
	}
	return 0;
}

static int
ret_ints(struct exec *x, int rc, struct json_object *l, struct tval *r)
{
	if (rc < 0) {
		json_object_put(l);
		return -1;
	}
	return ret_json(x, l, GT_INTS, r);
}

int
fn_until(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;
	int			 rc;

	rc = until_step(x, 0, a[0].u.i, a[0].u.i < 0 ? -1 : 1, &l);
	return ret_ints(x, rc, l, r);
}

int
fn_untilstep(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l;
	int			 rc;

	rc = until_step(x, a[0].u.i, a[1].u.i, a[2].u.i, &l);
	return ret_ints(x, rc, l, r);
}

int
fn_seq(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l = NULL;
	struct buf		 b = BUF_INIT;
	int64_t			 start = 1, end, step = 1, inc = 1;
	size_t			 i;
	int			 rc;

	if (n == 0 || n > 3) {
		tval_str(r, "", 0);
		return 0;
	}
	end = a[n == 1 ? 0 : n - 1].u.i;
	if (n > 1)
		start = a[0].u.i;
	if (n == 3)
		step = a[1].u.i;
	if (end < start) {
		inc = -1;
		if (n < 3)
			step = -1;
		else if (step > 0) {
			tval_str(r, "", 0);
			return 0;
		}
	}
	rc = until_step(x, start, end == INT64_MAX || end == INT64_MIN ? end :
	    end + inc, step, &l);
	if (rc < 0) {
		json_object_put(l);
		return -1;
	}
	for (i = 0; i < json_object_array_length(l); i++)
		buf_printf(&b, "%s%lld", i > 0 ? " " : "", (long long)
		    json_object_get_int64(json_object_array_get_idx(l, i)));
	json_object_put(l);
	return ret_buf(x, &b, r);
}
