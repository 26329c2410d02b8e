/* sprig-dicts.c: Sprig's dictionary functions: dict, get, set, merge, dig,
 * deepCopy and friends.  A map parameter (P_MAP) may be nil (a missing
 * key), which reads as an empty map. */
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

static int
is_nil(const struct tval *v)
{
	return v->kind == TV_MISSING || v->kind == TV_NIL;
}

/* A NUL-terminated copy of a string argument. */
static char *
key(struct exec *x, const struct tval *v)
{
	return exec_strdup(x, v->u.s.p, v->u.s.n);
}

/* 1 when needle is v or inside it (or v is nested too deep to tell):
 * storing v into needle would make a cycle, which JSON cannot hold. */
static int
reaches(struct json_object *v, struct json_object *needle, unsigned depth)
{
	size_t	i, n;

	if (v == needle || depth > TMPL_MAX_DEPTH)
		return 1;
	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			if (reaches(json_object_array_get_idx(v, i), needle,
			    depth + 1))
				return 1;
	} else if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, e) {
			(void)k;
			if (reaches(e, needle, depth + 1))
				return 1;
		}
	}
	return 0;
}

static int
cycle(struct exec *x)
{
	return exec_fail(x, "a map cannot contain itself");
}

int
fn_dict(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*m = json_object_new_object();
	char			*k;
	int			 i;

	for (i = 0; i < n; i += 2) {
		if (tval_strcpy(x, &a[i], &k) < 0) {
			json_object_put(m);
			return -1;
		}
		json_object_object_add(m, k, i + 1 < n ? tval_json(&a[i + 1]) :
		    json_object_new_string(""));
	}
	return ret_json(x, m, GT_PLAIN, r);
}

int
fn_get(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*v;
	char			*k = key(x, &a[1]);

	if (k == NULL)
		return -1;
	if (is_nil(&a[0]) || !json_object_object_get_ex(a[0].u.j, k, &v)) {
		tval_str(r, "", 0);
		return 0;
	}
	tval_from_json(r, v);
	return 0;
}

int
fn_set(struct exec *x, struct tval *a, int n, struct tval *r)
{
	char	*k = key(x, &a[1]);

	if (k == NULL)
		return -1;
	if (is_nil(&a[0]))
		return exec_fail(x, "assignment to entry in nil map");
	if ((a[2].kind == TV_MAP || a[2].kind == TV_LIST) &&
	    reaches(a[2].u.j, a[0].u.j, 0))
		return cycle(x);
	json_object_object_add(a[0].u.j, k, tval_json(&a[2]));
	*r = a[0];
	return 0;
}

int
fn_unset(struct exec *x, struct tval *a, int n, struct tval *r)
{
	char	*k = key(x, &a[1]);

	if (k == NULL)
		return -1;
	if (!is_nil(&a[0]))
		json_object_object_del(a[0].u.j, k);
	*r = a[0];
	return 0;
}

int
fn_haskey(struct exec *x, struct tval *a, int n, struct tval *r)
{
	char	*k = key(x, &a[1]);

	if (k == NULL)
		return -1;
	return ret_bool(r, !is_nil(&a[0]) &&
	    json_object_object_get_ex(a[0].u.j, k, NULL));
}

int
fn_pluck(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l = json_object_new_array(), *v;
	char			*k = key(x, &a[0]);
	int			 i;

	if (k == NULL) {
		json_object_put(l);
		return -1;
	}
	for (i = 1; i < n; i++)
		if (!is_nil(&a[i]) &&
		    json_object_object_get_ex(a[i].u.j, k, &v))
			json_object_array_add(l, json_object_get(v));
	return ret_json(x, l, GT_PLAIN, r);
}

int
fn_keys(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l = json_object_new_array();
	int			 i;

	for (i = 0; i < n; i++) {
		if (is_nil(&a[i]))
			continue;
		json_object_object_foreach(a[i].u.j, k, v) {
			(void)v;
			json_object_array_add(l, json_object_new_string(k));
		}
	}
	return ret_json(x, l, GT_STRINGS, r);
}

int
fn_values(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*l = json_object_new_array();

	if (!is_nil(&a[0])) {
		json_object_object_foreach(a[0].u.j, k, v) {
			(void)k;
			json_object_array_add(l, json_object_get(v));
		}
	}
	return ret_json(x, l, GT_PLAIN, r);
}

/* pick (keep 1) and omit (keep 0) the listed keys. */
static int
filter(struct exec *x, struct tval *a, int n, int keep, struct tval *r)
{
	struct json_object	*m = json_object_new_object();
	int			 i, listed;

	if (!is_nil(&a[0])) {
		json_object_object_foreach(a[0].u.j, k, v) {
			for (listed = 0, i = 1; i < n && !listed; i++)
				listed = strlen(k) == a[i].u.s.n &&
				    memcmp(k, a[i].u.s.p, a[i].u.s.n) == 0;
			if (listed == keep)
				json_object_object_add(m, k,
				    json_object_get(v));
		}
	}
	return ret_json(x, m, GT_PLAIN, r);
}

int
fn_pick(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return filter(x, a, n, 1, r);
}

int
fn_omit(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return filter(x, a, n, 0, r);
}

/* mergo.Merge of src into dst, deep for maps; over: WithOverride. */
static int
merge_map(struct json_object *dst, struct json_object *src, int over,
    unsigned depth, struct json_object *root)
{
	struct json_object	*d;
	struct tval		 dv;

	json_object_object_foreach(src, k, sv) {
		if (json_object_object_get_ex(dst, k, &d)) {
			if (json_object_is_type(d, json_type_object) &&
			    json_object_is_type(sv, json_type_object) &&
			    depth < TMPL_MAX_DEPTH) {
				if (merge_map(d, sv, over, depth + 1, root) < 0)
					return -1;
				continue;
			}
			tval_from_json(&dv, d);
			if (!over && tval_truth(&dv))
				continue;
			if (!over && sv == NULL)
				continue;
		}
		if (reaches(sv, root, 0))
			return -1;
		json_object_object_add(dst, k, json_object_get(sv));
	}
	return 0;
}

static int
merge(struct exec *x, struct tval *a, int n, int over, int must,
    struct tval *r)
{
	int	i;

	if (is_nil(&a[0])) {
		if (must && n > 1)
			return exec_fail(x, "src and dst must be of same type");
		*r = a[0];
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (a[i].kind == TV_MAP) {
			if (reaches(a[i].u.j, a[0].u.j, 0) || merge_map(
			    a[0].u.j, a[i].u.j, over, 0, a[0].u.j) < 0)
				return cycle(x);
		} else if (must && !is_nil(&a[i]))
			return exec_fail(x, "src and dst must be of same type");
	}
	*r = a[0];
	return 0;
}

int
fn_merge(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return merge(x, a, n, 0, 0, r);
}

int
fn_mustmerge(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return merge(x, a, n, 0, 1, r);
}

int
fn_mergeoverwrite(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return merge(x, a, n, 1, 0, r);
}

int
fn_mustmergeoverwrite(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return merge(x, a, n, 1, 1, r);
}

static int
not_a_map(struct exec *x, const struct tval *v)
{
	if (is_nil(v))
		return exec_fail(x, "interface conversion: interface {} is "
		    "nil, not map[string]interface {}");
	return exec_fail(x, "interface conversion: interface {} is %s, not "
	    "map[string]interface {}", tval_type(v));
}

int
fn_dig(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct tval		 m, v;
	struct json_object	*j;
	char			*k;
	int			 i;

	if (n < 3)
		return exec_fail(x, "dig needs at least three arguments");
	m = a[n - 1];
	for (i = 0; i < n - 2; i++)
		if (a[i].kind != TV_STRING)
			return exec_fail(x, "interface conversion: interface "
			    "{} is %s, not string", is_nil(&a[i]) ? "nil" :
			    tval_type(&a[i]));
	for (i = 0; i < n - 2; i++) {
		if (m.kind != TV_MAP)
			return not_a_map(x, &m);
		if ((k = key(x, &a[i])) == NULL)
			return -1;
		if (!json_object_object_get_ex(m.u.j, k, &j)) {
			*r = a[n - 2];
			return 0;
		}
		tval_from_json(&v, j);
		m = v;
	}
	*r = m;
	return 0;
}

int
fn_deepcopy(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*c = NULL;

	if (is_nil(&a[0]))
		return exec_fail(x, "reflect: call of reflect.Value.Type on "
		    "zero Value");
	if (a[0].kind != TV_LIST && a[0].kind != TV_MAP) {
		*r = a[0];
		return 0;
	}
	if (json_object_deep_copy(a[0].u.j, &c, NULL) < 0)
		return exec_fail(x, "deepCopy: out of memory");
	return ret_json(x, c, GT_PLAIN, r);
}
