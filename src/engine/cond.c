/* cond.c: conditions: templates, fromStep, tool results and expectations. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "engine/render.h"
#include "engine/run.h"
#include "base/value.h"

struct json_object *
json_path(struct json_object *v, const char *path)
{
	const char	*p = path;
	char		 key[256];

	while (*p != '\0' && v != NULL) {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			char	*end;
			long	 i = strtol(p + 1, &end, 10);

			if (*end != ']' || !json_object_is_type(v,
			    json_type_array) || i < 0 ||
			    (size_t)i >= json_object_array_length(v))
				return NULL;
			v = json_object_array_get_idx(v, (size_t)i);
			p = end + 1;
			continue;
		}
		{
			size_t	n = strcspn(p, ".[");

			if (n >= sizeof key || !json_object_is_type(v,
			    json_type_object))
				return NULL;
			memcpy(key, p, n);
			key[n] = '\0';
			if (!json_object_object_get_ex(v, key, &v))
				return NULL;
			p += n;
		}
	}
	return v;
}

/* Loose equality: JSON-equal, or the same text ("3" and 3, "true"/true). */
static int
same(struct json_object *a, struct json_object *b)
{
	struct buf	x = BUF_INIT, y = BUF_INIT;
	int		eq;

	if (json_object_equal(a, b))
		return 1;
	if (json_object_is_type(a, json_type_object) ||
	    json_object_is_type(a, json_type_array) ||
	    json_object_is_type(b, json_type_object) ||
	    json_object_is_type(b, json_type_array))
		return 0;
	render_plain(&x, a);
	render_plain(&y, b);
	eq = a != NULL && b != NULL && x.len == y.len &&
	    memcmp(buf_str(&x), buf_str(&y), x.len) == 0;
	buf_release(&x);
	buf_release(&y);
	return eq;
}

/*
 * What a jsonPath key finds in result: the value at the path, or, for a
 * key in template form, its text rendered over root and .result.
 * Returns a new reference (may be NULL), or -1 in *rc with err.
 */
static struct json_object *
path_value(struct json_object *root, const struct expect *e, size_t i,
    struct json_object *result, int *rc, struct buf *err)
{
	struct json_object	*data;
	struct buf		 out = BUF_INIT;
	struct json_object	*v;

	if (e->path_tmpls == NULL || e->path_tmpls[i].src == NULL)
		return json_object_get(json_path(result, e->paths[i]));
	data = json_object_new_object();
	if (json_object_is_type(root, json_type_object)) {
		json_object_object_foreach(root, k, rv)
			json_set(data, k, json_object_get(rv));
	}
	json_set(data, "result", json_object_get(result));
	if (render_text(&e->path_tmpls[i], data, 0, &out, err) < 0)
		*rc = -1;
	v = *rc < 0 ? NULL : json_object_new_string_len(buf_str(&out),
	    (int)out.len);
	buf_release(&out);
	json_object_put(data);
	return v;
}

/* 1 when every jsonPath of e matches result, 0 not, -1 error (err). */
static int
paths_match(struct json_object *root, const struct expect *e,
    struct json_object *result, struct buf *err)
{
	struct json_object	*want, *got;
	size_t			 i;
	int			 rc = 1;

	for (i = 0; i < e->n && rc == 1; i++) {
		if (render_value(e->values[i], root, &want, err) < 0)
			return -1;
		got = path_value(root, e, i, result, &rc, err);
		if (rc == 1 && !same(got, want))
			rc = 0;
		json_object_put(got);
		json_object_put(want);
	}
	return rc;
}

/* Whether success (1 yes, 0 no, -1 skipped: neither) is want. */
static bool
success_is(int success, bool want)
{
	return success >= 0 && (success != 0) == want;
}

int
expect_check(const struct expect *e, const struct expect *n, int success,
    struct json_object *result, struct json_object *root, struct buf *err)
{
	int	m;

	if (!e->set && !n->set)
		return success > 0;
	if (e->set) {
		if (!success_is(success, e->success))
			return 0;
		if ((m = paths_match(root, e, result, err)) <= 0)
			return m;
	}
	if (n->set) {
		/* Fails when all of it holds; paths alone ignore success. */
		int	s = n->n > 0 && !n->success_set ? 1 :
			    success_is(success, n->success);

		if ((m = paths_match(root, n, result, err)) < 0)
			return -1;
		if (s && m)
			return 0;
	}
	return 1;
}

int
cond_expect(struct exec *x, struct job *j, const struct condition *c,
    int success, struct json_object *result, struct buf *err)
{
	struct json_object	*root = job_root(x, j);
	int			 rc;

	rc = expect_check(&c->expect, &c->expect_not, success, result, root,
	    err);
	job_root_put(x, j, root);
	return rc;
}

static int
from_step(struct exec *x, struct job *j, struct buf *err)
{
	const struct condition	*c = j->step->cond;
	struct json_object	*st, *res = NULL;
	const char		*status;

	if (!json_object_object_get_ex(x->steps, c->from_step, &st)) {
		buf_printf(err, "the condition of step '%s' reads step '%s', "
		    "which has not run", j->step->id, c->from_step);
		return -1;
	}
	status = json_object_get_string(json_object_object_get(st, "status"));
	json_object_object_get_ex(x->results, c->from_step, &res);
	/* Skipped is neither success nor failure: no expect matches it. */
	return cond_expect(x, j, c, strcmp(status, "completed") == 0 ? 1 :
	    strcmp(status, "skipped") == 0 ? -1 : 0, res, err);
}

int
cond_now(struct exec *x, struct job *j, struct buf *err)
{
	const struct condition	*c = j->step->cond;
	struct json_object	*root;
	struct buf		 out = BUF_INIT;
	const char		*s;
	size_t			 len;
	int			 rc;

	if (c->kind == COND_TOOL)
		return 2;
	if (c->kind == COND_FROM_STEP)
		return from_step(x, j, err);
	root = job_root(x, j);
	rc = render_text(&c->tmpl, root, 0, &out, err);
	job_root_put(x, j, root);
	if (rc < 0) {
		buf_release(&out);
		return -1;
	}
	/* Surrounding white space is the template's layout, not its answer. */
	s = buf_str(&out);
	len = out.len;
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		len--;
	while (len > 0 && strchr(" \t\r\n", *s) != NULL) {
		s++;
		len--;
	}
	if (len == 4 && memcmp(s, "true", 4) == 0)
		rc = 1;
	else if (len == 5 && memcmp(s, "false", 5) == 0)
		rc = 0;
	else {
		buf_printf(err, "the condition of step '%s' rendered '%.*s', "
		    "not true or false", j->step->id, (int)(len > 60 ? 60 :
		    len), s);
		rc = -1;
	}
	buf_release(&out);
	return rc;
}

int
cond_after(struct exec *x, struct job *j, int success,
    struct json_object *result, struct buf *err)
{
	return cond_expect(x, j, j->step->cond, success, result, err);
}
