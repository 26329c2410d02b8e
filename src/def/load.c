/* load.c: decoding YAML nodes into model fields, with precise errors. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "def/load.h"
#include "tmpl/tmpl.h"

struct loc
load_loc(const struct loader *ld, const struct ynode *n)
{
	struct loc	l = { ld->file, n->line, n->col };

	return l;
}

int
load_type_error(struct loader *ld, const struct ynode *n, const char *name,
    const char *want)
{
	struct loc	l = load_loc(ld, n);

	return loc_error(&l, "'%s' must be %s, not %s", name, want,
	    ynode_describe(n));
}

bool
load_typo(const struct loader *ld, int i)
{
	return (ld->typos >> i) & 1;
}

static int
unknown_field(struct loader *ld, const struct ynode *key, const char *what,
    const struct field *fields, size_t n)
{
	const char	*names[64], *s;
	size_t		 field[64];
	struct loc	 l = load_loc(ld, key);
	size_t		 i, k = 0;

	for (i = 0; i < n && k + 1 < nitems(names); i++) {
		field[k] = i;
		names[k++] = fields[i].name;
		if (fields[i].alias != NULL) {
			field[k] = i;
			names[k++] = fields[i].alias;
		}
	}
	s = suggest(key->s, names, k);
	if (s == NULL)
		return loc_error(&l, "unknown field '%s' in %s", key->s, what);
	for (i = 0; i < k; i++)
		if (names[i] == s && field[i] < 64)
			ld->typos |= (uint64_t)1 << field[i];
	return loc_error(&l, "unknown field '%s' in %s (did you mean '%s'?)",
	    key->s, what, s);
}

int
load_fields(struct loader *ld, const struct ynode *map, const char *what,
    const struct field *fields, size_t n, const struct ynode **slot)
{
	return load_fieldsf(ld, map, "%s", what, fields, n, slot);
}

int
load_fieldsf(struct loader *ld, const struct ynode *map, const char *fmt,
    const char *arg, const struct field *fields, size_t n,
    const struct ynode **slot)
{
	char			 what[160];
	const struct ynode	*keyof[64];
	size_t			 i, j;
	int			 rc = 0;

	for (j = 0; j < n; j++)
		slot[j] = NULL;
	ld->typos = 0;
	if (map->kind != YNODE_MAP) {
		snprintf(what, sizeof what, fmt, arg);
		struct loc	l = load_loc(ld, map);

		return loc_error(&l, "%s must be a mapping, not %s", what,
		    ynode_describe(map));
	}
	for (i = 0; i < map->n; i++) {
		const struct ynode	*k = YMAP_KEY(map, i);

		for (j = 0; j < n; j++)
			if (strcmp(k->s, fields[j].name) == 0 ||
			    (fields[j].alias != NULL &&
			    strcmp(k->s, fields[j].alias) == 0))
				break;
		if (j == n) {
			/* The name of the map is only made for messages. */
			snprintf(what, sizeof what, fmt, arg);
			rc = unknown_field(ld, k, what, fields, n);
			continue;
		}
		if (slot[j] != NULL) {
			struct loc	l = load_loc(ld, k);

			rc = loc_error(&l, "'%s' and '%s' are the same field",
			    keyof[j]->s, k->s);
			continue;
		}
		slot[j] = YMAP_VAL(map, i);
		keyof[j] = k;
	}
	return rc;
}

int
load_str(struct loader *ld, const struct ynode *n, const char *name,
    const char **out)
{
	struct loc	l;

	if (n->kind != YNODE_SCALAR || n->type == YS_NULL)
		return load_type_error(ld, n, name, "a string");
	if (strlen(n->s) != n->len) {
		l = load_loc(ld, n);
		return loc_error(&l, "'%s' contains a NUL byte", name);
	}
	*out = n->s;
	return 0;
}

int
load_bool(struct loader *ld, const struct ynode *n, const char *name,
    bool *out)
{
	if (n->kind != YNODE_SCALAR || n->type != YS_BOOL)
		return load_type_error(ld, n, name, "true or false");
	*out = n->s[0] == 't' || n->s[0] == 'T';
	return 0;
}

/* Parses an integer scalar (decimal, 0x hex, 0o octal) into *v. */
static int
parse_int(const struct ynode *n, int64_t *v)
{
	const char	*s = n->s;
	char		*end;
	int		 base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
		base = s[1] == 'x' ? 16 : 8;
		s += 2;
	}
	errno = 0;
	*v = strtoll(s, &end, base);
	return errno == 0 && *end == '\0' ? 0 : -1;
}

int
load_int(struct loader *ld, const struct ynode *n, const char *name,
    int64_t min, int64_t max, int64_t *out)
{
	struct loc	l = load_loc(ld, n);
	int64_t		v;

	if (n->kind != YNODE_SCALAR || n->type != YS_INT)
		return load_type_error(ld, n, name, "an integer");
	if (parse_int(n, &v) < 0 || v < min || v > max)
		return loc_error(&l, "'%s' must be between %" PRId64 " and %"
		    PRId64 ", not %s", name, min, max, n->s);
	*out = v;
	return 0;
}

int
load_duration(struct loader *ld, const struct ynode *n, const char *name,
    int64_t *ns)
{
	struct loc	 l = load_loc(ld, n);
	const char	*why;

	if (n->kind != YNODE_SCALAR || n->type == YS_NULL ||
	    n->type == YS_BOOL)
		return load_type_error(ld, n, name,
		    "a duration such as 30s or 1h30m");
	if (duration_parse(n->s, ns, &why) < 0)
		return loc_error(&l, "bad duration '%s' for '%s': %s", n->s,
		    name, why);
	return 0;
}

int
load_choice(struct loader *ld, const struct ynode *n, const char *name,
    const char *const *names, size_t count, int *out)
{
	struct buf	 use = BUF_INIT;
	struct loc	 l = load_loc(ld, n);
	const char	*s;
	size_t		 i;
	int		 rc;

	if (load_str(ld, n, name, &s) < 0)
		return -1;
	for (i = 0; i < count; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	for (i = 0; i < count; i++)
		buf_printf(&use, "%s%s", i == 0 ? "" : i + 1 == count ?
		    " or " : ", ", names[i]);
	rc = loc_error(&l, "unknown %s '%s' (use %s)", name, s,
	    buf_str(&use));
	buf_release(&use);
	return rc;
}

int
load_strs(struct loader *ld, const struct ynode *n, const char *name,
    const char ***out, struct loc **locs, size_t *count)
{
	size_t	i;
	int	rc = 0;

	if (n->kind != YNODE_SEQ)
		return load_type_error(ld, n, name, "a list of strings");
	*out = arena_array(ld->a, n->n, sizeof **out);
	if (locs != NULL)
		*locs = arena_array(ld->a, n->n, sizeof **locs);
	for (i = 0; i < n->n; i++) {
		if (load_str(ld, n->items[i], name, &(*out)[i]) < 0)
			rc = -1;
		if (locs != NULL)
			(*locs)[i] = load_loc(ld, n->items[i]);
	}
	*count = n->n;
	return rc;
}

int
load_name(struct loader *ld, const struct ynode *n, const char *what,
    const char **out)
{
	struct loc	 l = load_loc(ld, n);
	const char	*s;
	size_t		 len;

	if (load_str(ld, n, what, &s) < 0)
		return -1;
	len = strlen(s);
	if (len == 0 || len > 63 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_.-") != len ||
	    s[0] == '.' || s[0] == '-')
		return loc_error(&l, "bad %s '%s': use 1 to 63 letters, digits, "
		    "'_', '.' or '-', not starting with '.' or '-'", what, s);
	*out = s;
	return 0;
}

/*
 * Where a scalar's text starts in the file: after its quote, or for a
 * block scalar on the next line, after its indentation.
 */
static void
text_start(struct loader *ld, const struct ynode *n, struct tstr *t)
{
	const char	*p, *end;
	int		 line, indent = 0;

	t->line = n->line;
	t->col = n->col + (n->style == 1);
	t->indent = 0;
	if (n->style != 2 || ld->text == NULL)
		return;
	end = ld->text + ld->textlen;
	p = ld->text;
	line = 1;
	/* Scalars come mostly in file order: go on from the last one. */
	if (ld->mark != NULL && ld->mark >= ld->text && ld->mark <= end &&
	    ld->mark_line <= n->line + 1) {
		p = ld->mark;
		line = ld->mark_line;
	}
	for (; p < end && line < n->line + 1; p++)
		if (*p == '\n')
			line++;
	ld->mark = p;
	ld->mark_line = line;
	while (p + indent < end && p[indent] == ' ')
		indent++;
	t->line = n->line + 1;
	t->col = indent + 1;
	t->indent = indent;
}

struct loc
tstr_loc(const struct tstr *t, int tl, int tc)
{
	struct loc	l = t->loc;

	if (tl <= 0)
		return l;
	l.line = t->line + tl - 1;
	l.col = tl == 1 ? t->col + tc - 1 : t->indent + tc;
	return l;
}

/* After a template error: how Go's templates spell what was meant. */
static void
tmpl_hint(const struct loc *l, const char *msg)
{
	if (strstr(msg, "unexpected \"<\"") != NULL ||
	    strstr(msg, "unexpected \">\"") != NULL ||
	    strstr(msg, "unexpected \"=\"") != NULL ||
	    strstr(msg, "unexpected \"!\"") != NULL)
		loc_hint(l, "templates compare with functions, not "
		    "operators: {{ lt .a 0.01 }}, le, gt, ge, eq, ne");
	else if (strstr(msg, "unexpected \"&\"") != NULL ||
	    strstr(msg, "unexpected \"|\" in operand") != NULL)
		loc_hint(l, "templates combine conditions with functions: "
		    "{{ and .a .b }}, {{ or .a .b }}, {{ not .a }}");
}

int
load_tstr(struct loader *ld, const struct ynode *n, const char *name,
    struct tstr *out)
{
	struct tmpl_error	 err;
	const char		*s;
	struct loc		 l;

	if (load_str(ld, n, name, &s) < 0)
		return -1;
	out->src = s;
	out->loc = load_loc(ld, n);
	out->t = NULL;
	text_start(ld, n, out);
	if (strstr(s, "{{") == NULL)
		return 0;
	if ((out->t = tmpl_parse(s, n->len, &err)) == NULL) {
		l = tstr_loc(out, err.line, err.col);
		loc_error(&l, "template: %s", err.msg);
		tmpl_hint(&l, err.msg);
		return -1;
	}
	arena_defer(ld->a, (void (*)(void *))tmpl_free, out->t);
	return 0;
}

int
load_argv(struct loader *ld, const struct ynode *n, const char *name,
    struct tstr **out, size_t *count)
{
	struct loc	l = load_loc(ld, n);
	size_t		i;
	int		rc = 0;

	if (n->kind != YNODE_SEQ)
		return load_type_error(ld, n, name, "a list of strings");
	if (n->n == 0)
		return loc_error(&l, "'%s' must not be empty", name);
	*out = arena_array(ld->a, n->n, sizeof **out);
	for (i = 0; i < n->n; i++) {
		const struct ynode	*it = n->items[i];

		/* An argv element written as a number is its text. */
		if (it->kind == YNODE_SCALAR && it->type != YS_NULL)
			rc |= load_tstr(ld, it, name, &(*out)[i]);
		else
			rc = load_type_error(ld, it, name, "a string");
	}
	*count = n->n;
	return rc;
}

int
load_shell(struct loader *ld, const struct ynode *n, struct shell *sh)
{
	static const char	*sh_argv[] = { "/bin/sh", "-e" };
	static const char	*bash_argv[] = { "bash", "-e", "-o",
				    "pipefail" };
	struct loc		 l = load_loc(ld, n), *locs;
	const char		*s;

	if (n->kind == YNODE_SEQ) {
		if (n->n == 0)
			return loc_error(&l, "'shell' must not be empty");
		sh->posix = false;
		return load_strs(ld, n, "shell", &sh->argv, &locs, &sh->n);
	}
	if (load_str(ld, n, "shell", &s) < 0)
		return -1;
	sh->posix = true;
	if (strcmp(s, "sh") == 0) {
		sh->argv = sh_argv;
		sh->n = nitems(sh_argv);
	} else if (strcmp(s, "bash") == 0) {
		sh->argv = bash_argv;
		sh->n = nitems(bash_argv);
	} else
		return loc_error(&l, "unknown shell '%s' (use sh, bash, or a "
		    "command as a list such as [python3])", s);
	return 0;
}

static void
put_json(void *p)
{
	json_object_put(p);
}

static struct json_object *
scalar_json(struct loader *ld, const struct ynode *n, const char *name)
{
	struct loc	l = load_loc(ld, n);
	int64_t		i;
	double		d;
	char		*end;

	switch (n->type) {
	case YS_NULL:
		return NULL;
	case YS_BOOL:
		return json_object_new_boolean(n->s[0] == 't' ||
		    n->s[0] == 'T');
	case YS_INT:
		if (parse_int(n, &i) < 0) {
			/* Not quoted: it may be a secret (--args-file). */
			loc_error(&l, "the integer in '%s' is out of range",
			    name);
			return NULL;
		}
		return json_object_new_int64(i);
	case YS_FLOAT:
		d = strtod(n->s, &end);
		if (!isfinite(d) || strchr(n->s, 'n') || strchr(n->s, 'N')) {
			loc_error(&l, "the number in '%s' is not finite",
			    name);
			return NULL;
		}
		return json_object_new_double(d);
	default:
		return json_object_new_string_len(n->s, (int)n->len);
	}
}

/* Converts n; *bad is set after an error (NULL alone means JSON null). */
static struct json_object *
to_json(struct loader *ld, const struct ynode *n, const char *name, int *bad)
{
	struct json_object	*o;
	size_t			 i;

	if (n->kind == YNODE_SCALAR) {
		unsigned	before = error_count();

		o = scalar_json(ld, n, name);
		if (error_count() != before)
			*bad = 1;
		return o;
	}
	if (n->kind == YNODE_SEQ) {
		o = json_object_new_array_ext((int)n->n);
		for (i = 0; i < n->n; i++)
			json_object_array_add(o,
			    to_json(ld, n->items[i], name, bad));
		return o;
	}
	o = json_object_new_object();
	for (i = 0; i < n->n; i++)
		json_object_object_add(o, YMAP_KEY(n, i)->s,
		    to_json(ld, YMAP_VAL(n, i), name, bad));
	return o;
}

struct json_object *
load_json(struct loader *ld, const struct ynode *n, const char *name)
{
	struct json_object	*o;
	int			 bad = 0;

	o = to_json(ld, n, name, &bad);
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	if (o != NULL)
		arena_defer(ld->a, put_json, o);
	return o;
}

/* True when a string anywhere inside n holds "{{". */
static bool
has_template(const struct ynode *n)
{
	size_t	i;

	if (n->kind == YNODE_SCALAR)
		return n->type == YS_STR && strstr(n->s, "{{") != NULL;
	for (i = 0; i < (n->kind == YNODE_MAP ? 2 * n->n : n->n); i++)
		if (has_template(n->items[i]))
			return true;
	return false;
}

int
load_tval(struct loader *ld, const struct ynode *n, const char *name,
    struct tval **out)
{
	struct tval	*v = arena_alloc(ld->a, sizeof *v);
	size_t		 i;
	int		 rc = 0;

	*out = v;
	v->loc = load_loc(ld, n);
	if (!has_template(n)) {
		unsigned	before = error_count();

		v->kind = TV_CONST;
		v->json = load_json(ld, n, name);
		return error_count() == before ? 0 : -1;
	}
	if (n->kind == YNODE_SCALAR) {
		v->kind = TV_TMPL;
		return load_tstr(ld, n, name, &v->str);
	}
	v->n = n->n;
	v->items = arena_array(ld->a, n->n, sizeof *v->items);
	if (n->kind == YNODE_SEQ) {
		v->kind = TV_LIST;
		for (i = 0; i < n->n; i++)
			rc |= load_tval(ld, n->items[i], name, &v->items[i]);
		return rc;
	}
	v->kind = TV_MAP;
	v->keys = arena_array(ld->a, n->n, sizeof *v->keys);
	for (i = 0; i < n->n; i++) {
		v->keys[i] = YMAP_KEY(n, i)->s;
		rc |= load_tval(ld, YMAP_VAL(n, i), name, &v->items[i]);
	}
	return rc;
}

int
load_env(struct loader *ld, const struct ynode *n, const char *name,
    struct tval **out)
{
	struct loc	l;
	size_t		i;
	int		rc = 0;

	if (n->kind != YNODE_MAP)
		return load_type_error(ld, n, name, "a mapping of names to "
		    "values");
	for (i = 0; i < n->n; i++) {
		const struct ynode	*k = YMAP_KEY(n, i), *v = YMAP_VAL(n, i);
		size_t			 len = strlen(k->s);

		l = load_loc(ld, k);
		if (len == 0 || strspn(k->s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789_") != len ||
		    (k->s[0] >= '0' && k->s[0] <= '9'))
			rc = loc_error(&l, "bad environment variable name "
			    "'%s'", k->s);
		if (v->kind != YNODE_SCALAR || v->type == YS_NULL)
			rc = load_type_error(ld, v, k->s, "a string");
	}
	if (rc < 0)
		return -1;
	return load_tval(ld, n, name, out);
}
