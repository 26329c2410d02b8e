/* sprig-semver.c: semver and semverCompare (Masterminds/semver v3). A
 * version is a map {Major, Minor, Patch, Prerelease, Metadata, Original}
 * whose Compare method eval.c calls. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

struct semver {
	uint64_t	 v[3];
	int		 dirty[3];	/* x, X or * (or absent, in a range) */
	const char	*pre, *meta;	/* NUL-terminated, "" when none */
	size_t		 npre, nmeta;
};

static int
ident_ok(const char *s, size_t n, int pre)
{
	size_t	i, start = 0;
	int	num = 1;

	if (n == 0)
		return 0;
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == start)
				return 0;
			if (pre && num && i - start > 1 && s[start] == '0')
				return 0;
			start = i + 1;
			num = 1;
		} else if (isdigit((unsigned char)s[i]))
			continue;
		else if (isalpha((unsigned char)s[i]) || s[i] == '-')
			num = 0;
		else
			return 0;
	}
	return 1;
}

/* Parses s (n bytes); wild: x, X and * allowed, missing parts dirty. */
static int
parse(const char *s, size_t n, int wild, struct semver *v)
{
	size_t	i = 0, k, start;
	char	*end;

	memset(v, 0, sizeof *v);
	v->pre = v->meta = "";
	if (i < n && (s[i] == 'v' || s[i] == 'V'))
		i++;
	for (k = 0; k < 3; k++) {
		if (k > 0) {
			if (i >= n || s[i] != '.') {
				v->dirty[k] = wild;
				for (; k < 3; k++)
					v->dirty[k] = wild || v->dirty[k];
				break;
			}
			i++;
		}
		if (wild && i < n && IN_SET("xX*", s[i])) {
			v->dirty[k] = 1;
			i++;
			continue;
		}
		if (i >= n || !isdigit((unsigned char)s[i]))
			return -1;
		start = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i - start > 19)
			return -1;
		v->v[k] = strtoull(s + start, &end, 10);
	}
	if (i < n && s[i] == '-') {
		for (start = ++i; i < n && s[i] != '+'; i++)
			;
		if (!ident_ok(s + start, i - start, 1))
			return -1;
		v->pre = s + start;
		v->npre = i - start;
	}
	if (i < n && s[i] == '+') {
		start = ++i;
		i = n;
		if (!ident_ok(s + start, i - start, 0))
			return -1;
		v->meta = s + start;
		v->nmeta = i - start;
	}
	return i == n ? 0 : -1;
}

static int
cmp_u(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* Prerelease precedence (semver 2.0 section 11). */
static int
cmp_pre(const struct semver *a, const struct semver *b)
{
	const char	*p = a->pre, *q = b->pre, *pe = p + a->npre;
	const char	*qe = q + b->npre;
	size_t		 i, j;
	int		 na, nb, c;

	if (a->npre == 0 || b->npre == 0)
		return (a->npre == 0) - (b->npre == 0);
	while (p < pe && q < qe) {
		for (i = 0, na = 1; p + i < pe && p[i] != '.'; i++)
			na &= isdigit((unsigned char)p[i]) != 0;
		for (j = 0, nb = 1; q + j < qe && q[j] != '.'; j++)
			nb &= isdigit((unsigned char)q[j]) != 0;
		if (na && nb)
			c = i != j ? (i > j) - (i < j) : memcmp(p, q, i);
		else if (na != nb)
			c = na ? -1 : 1;
		else {
			c = memcmp(p, q, i < j ? i : j);
			if (c == 0)
				c = (i > j) - (i < j);
		}
		if (c != 0)
			return c > 0 ? 1 : -1;
		p += i + (p + i < pe);
		q += j + (q + j < qe);
	}
	return (p < pe) - (q < qe);
}

static int
compare(const struct semver *a, const struct semver *b)
{
	int	k, c;

	for (k = 0; k < 3; k++)
		if ((c = cmp_u(a->v[k], b->v[k])) != 0)
			return c;
	return cmp_pre(a, b);
}

/* One constraint: op and version; v the version checked. */
static int
check_one(const char *op, const struct semver *c, const struct semver *v)
{
	int	cmp = compare(v, c), dirty = c->dirty[0] || c->dirty[1] ||
		    c->dirty[2];

	if (v->npre > 0 && c->npre == 0)
		return 0;
	if (c->dirty[0])
		return strcmp(op, "!=") != 0;
	if (*op == '\0' || strcmp(op, "=") == 0 || strcmp(op, "~") == 0 ||
	    strcmp(op, "~>") == 0) {
		if (*op == '\0' || *op == '=') {
			if (!dirty)
				return cmp == 0;
		} else if (cmp < 0)
			return 0;
		if (v->v[0] != c->v[0])
			return 0;
		return c->dirty[1] || v->v[1] == c->v[1];
	}
	if (strcmp(op, "!=") == 0) {
		if (!dirty)
			return cmp != 0;
		return v->v[0] != c->v[0] || (!c->dirty[1] &&
		    v->v[1] != c->v[1]);
	}
	if (strcmp(op, ">") == 0) {
		if (!dirty)
			return cmp > 0;
		if (v->v[0] != c->v[0])
			return v->v[0] > c->v[0];
		return !c->dirty[1] && v->v[1] > c->v[1];
	}
	if (strcmp(op, ">=") == 0 || strcmp(op, "=>") == 0)
		return cmp >= 0;
	if (strcmp(op, "<") == 0)
		return cmp < 0;
	if (strcmp(op, "<=") == 0 || strcmp(op, "=<") == 0) {
		if (!dirty)
			return cmp <= 0;
		if (v->v[0] != c->v[0])
			return v->v[0] < c->v[0];
		return c->dirty[1] || v->v[1] <= c->v[1];
	}
	/* ^ */
	if (cmp < 0)
		return 0;
	if (c->v[0] > 0 || c->dirty[1])
		return v->v[0] == c->v[0];
	if (v->v[0] > 0)
		return 0;
	if (c->v[1] > 0 || c->dirty[2])
		return v->v[1] == c->v[1];
	if (v->v[1] > 0)
		return 0;
	return v->v[2] == c->v[2];
}

static const char	*ops[] = { ">=", "=>", "<=", "=<", "!=", "~>", "=", ">",
	"<", "~", "^", "" };

/* One AND group of a constraint ("1.2 - 1.4", ">= 1.2, < 2"): 1 when v
 * meets it, 0 when not, -1 when it is not a constraint. */
static int
check_group(char *g, const struct semver *v)
{
	struct semver	 c;
	char		*tok[64], *p = g, *hy;
	size_t		 n = 0, i, k, len;
	int		 ok = 1;

	for (p = g; *p; p++)
		if (*p == ',')
			*p = ' ';
	for (p = strtok(g, " \t"); p != NULL && n < nitems(tok);
	    p = strtok(NULL, " \t"))
		tok[n++] = p;
	if (n == 0 || p != NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char	*op = "", *ver = tok[i];

		if (i + 2 < n && strcmp(tok[i + 1], "-") == 0) {
			if (parse(tok[i], strlen(tok[i]), 1, &c) < 0)
				return -1;
			ok &= check_one(">=", &c, v);
			if (parse(tok[i + 2], strlen(tok[i + 2]), 1, &c) < 0)
				return -1;
			ok &= check_one("<=", &c, v);
			i += 2;
			continue;
		}
		for (k = 0; k < nitems(ops); k++) {
			len = strlen(ops[k]);
			if (strncmp(ver, ops[k], len) == 0) {
				op = ops[k];
				ver += len;
				break;
			}
		}
		if (*ver == '\0' && i + 1 < n && *op != '\0')
			ver = tok[++i];
		hy = strchr(ver, ' ');
		if (hy != NULL || parse(ver, strlen(ver), 1, &c) < 0)
			return -1;
		ok &= check_one(op, &c, v);
	}
	return ok;
}

static int
new_version(struct exec *x, const struct tval *s, struct semver *v)
{
	if (parse(s->u.s.p, s->u.s.n, 0, v) < 0)
		return exec_fail(x, "Invalid Semantic Version");
	return 0;
}

int
fn_semvercompare(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct semver	 v;
	char		*c, *g, *next;
	int		 rc, any = 0;

	if (new_version(x, &a[1], &v) < 0)
		return -1;
	if ((c = exec_strdup(x, a[0].u.s.p, a[0].u.s.n)) == NULL)
		return -1;
	for (g = c; g != NULL; g = next) {
		if ((next = strstr(g, "||")) != NULL) {
			*next = '\0';
			next += 2;
		}
		if ((rc = check_group(g, &v)) < 0)
			return exec_fail(x, "improper constraint: %.*s",
			    (int)(a[0].u.s.n > 100 ? 100 : a[0].u.s.n),
			    a[0].u.s.p);
		any |= rc;
	}
	return ret_bool(r, any);
}

int
fn_semver(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct json_object	*m;
	struct semver		 v;

	if (new_version(x, &a[0], &v) < 0)
		return -1;
	m = json_object_new_object();
	json_object_object_add(m, "Major", json_object_new_int64(
	    (int64_t)v.v[0]));
	json_object_object_add(m, "Minor", json_object_new_int64(
	    (int64_t)v.v[1]));
	json_object_object_add(m, "Patch", json_object_new_int64(
	    (int64_t)v.v[2]));
	json_object_object_add(m, "Prerelease", json_object_new_string_len(
	    v.pre, (int)v.npre));
	json_object_object_add(m, "Metadata", json_object_new_string_len(
	    v.meta, (int)v.nmeta));
	json_object_object_add(m, "Original", json_object_new_string_len(
	    a[0].u.s.p, (int)a[0].u.s.n));
	return ret_json(x, m, GT_SEMVER, r);
}

/* The Compare method of a version map: -1, 0 or 1. */
int
semver_compare(struct exec *x, const struct tval *a, const struct tval *b,
    struct tval *r)
{
	struct json_object	*o[2];
	struct semver		 v[2];
	const struct tval	*t[2] = { a, b };
	int			 i;

	for (i = 0; i < 2; i++) {
		if (t[i]->kind != TV_MAP || !json_object_object_get_ex(
		    t[i]->u.j, "Original", &o[i]))
			return exec_fail(x, "wrong type for value; expected "
			    "*semver.Version; got %s", tval_type(t[i]));
		if (parse(json_object_get_string(o[i]), (size_t)
		    json_object_get_string_len(o[i]), 0, &v[i]) < 0)
			return exec_fail(x, "Invalid Semantic Version");
	}
	return ret_int(r, compare(&v[0], &v[1]), GT_PLAIN);
}
