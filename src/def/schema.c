/* schema.c: argument schemas: decoding them and checking values against them. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <json-c/json.h>
#include <pcre2.h>

#include "def/load.h"
#include "def/schema.h"
#include "base/value.h"

static const char *const type_names[] = {
	[ARG_STRING] = "string", [ARG_INTEGER] = "integer",
	[ARG_NUMBER] = "number", [ARG_BOOLEAN] = "boolean",
	[ARG_OBJECT] = "object", [ARG_ARRAY] = "array",
};

const char *
arg_type_name(enum arg_type t)
{
	return type_names[t];
}

pcre2_code *
schema_compile(const char *pattern, bool lines, struct buf *why)
{
	pcre2_code	*re;
	PCRE2_SIZE	 off;
	PCRE2_UCHAR	 msg[256];
	int		 code;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | (lines ? PCRE2_MULTILINE : 0), &code, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(code, msg, sizeof msg);
		buf_printf(why, "%s at offset %zu", (char *)msg, (size_t)off);
	}
	return re;
}

void
schema_free_pattern(void *re)
{
	pcre2_code_free(re);
}

bool
schema_match(pcre2_code *re, const char *s, size_t len)
{
	pcre2_match_data	*md;
	int			 r;

	if ((md = pcre2_match_data_create_from_pattern(re, NULL)) == NULL)
		fatal("out of memory matching a pattern");
	r = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return r >= 0;
}

const struct arg *
schema_find(const struct schema *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->args[i].name, name) == 0)
			return &s->args[i];
	return NULL;
}

static int
type_ok(enum arg_type t, struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		return t == ARG_STRING;
	case json_type_int:
		return t == ARG_INTEGER || t == ARG_NUMBER;
	case json_type_double:
		return t == ARG_NUMBER;
	case json_type_boolean:
		return t == ARG_BOOLEAN;
	case json_type_object:
		return t == ARG_OBJECT;
	case json_type_array:
		return t == ARG_ARRAY;
	default:
		return 0;
	}
}

static const char *
json_kind(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		return "a string";
	case json_type_int:
		return "an integer";
	case json_type_double:
		return "a number";
	case json_type_boolean:
		return "a boolean";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	default:
		return "null";
	}
}

/* Characters of a UTF-8 string. */
static size_t
utf8_len(const char *s, size_t n)
{
	size_t	i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

static int
check_range(const struct arg *a, struct json_object *v, struct buf *why)
{
	double	d = json_object_get_double(v);

	if (a->has_min && d < a->min) {
		buf_printf(why, "must be at least %g", a->min);
		return -1;
	}
	if (a->has_max && d > a->max) {
		buf_printf(why, "must be at most %g", a->max);
		return -1;
	}
	return 0;
}

static int
check_length(const struct arg *a, struct json_object *v, struct buf *why)
{
	size_t		 n;
	const char	*unit;

	if (json_object_is_type(v, json_type_string)) {
		n = utf8_len(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
		unit = "characters";
	} else {
		n = json_object_array_length(v);
		unit = "items";
	}
	if (a->min_len >= 0 && n < (size_t)a->min_len) {
		buf_printf(why, "must have at least %lld %s",
		    (long long)a->min_len, unit);
		return -1;
	}
	if (a->max_len >= 0 && n > (size_t)a->max_len) {
		buf_printf(why, "must have at most %lld %s",
		    (long long)a->max_len, unit);
		return -1;
	}
	return 0;
}

static int
check_pattern(const struct arg *a, struct json_object *v, struct buf *why)
{
	pcre2_match_data	*md;
	int			 r;

	md = pcre2_match_data_create_from_pattern(a->pattern, NULL);
	if (md == NULL)
		fatal("out of memory matching a pattern");
	r = pcre2_match(a->pattern, (PCRE2_SPTR)json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	if (r < 0) {
		buf_printf(why, "must match the pattern '%s'", a->pattern_src);
		return -1;
	}
	return 0;
}

static int
check_enum(const struct arg *a, struct json_object *v, struct buf *why)
{
	size_t	i, n = json_object_array_length(a->enums);

	for (i = 0; i < n; i++)
		if (json_object_equal(v, json_object_array_get_idx(a->enums, i)))
			return 0;
	buf_adds(why, "must be one of ");
	for (i = 0; i < n; i++)
		buf_printf(why, "%s%s", i ? ", " : "",
		    json_object_to_json_string_ext(
		    json_object_array_get_idx(a->enums, i),
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	return -1;
}

int
schema_check(const struct arg *a, struct json_object *v, struct buf *why)
{
	if (!type_ok(a->type, v)) {
		buf_printf(why, "must be %s %s, not %s",
		    a->type == ARG_INTEGER || a->type == ARG_ARRAY ||
		    a->type == ARG_OBJECT ? "an" : "a", type_names[a->type],
		    json_kind(v));
		return -1;
	}
	if (a->enums != NULL && check_enum(a, v, why) < 0)
		return -1;
	if ((a->has_min || a->has_max) && check_range(a, v, why) < 0)
		return -1;
	if ((a->min_len >= 0 || a->max_len >= 0) &&
	    (a->type == ARG_STRING || a->type == ARG_ARRAY) &&
	    check_length(a, v, why) < 0)
		return -1;
	if (a->pattern != NULL && a->type == ARG_STRING &&
	    check_pattern(a, v, why) < 0)
		return -1;
	return 0;
}

/* Parses JSON text strictly: one value, nothing after it. */
static struct json_object *
parse_json(const char *text, struct buf *why)
{
	struct buf		 w = BUF_INIT;
	struct json_object	*o;
	int			 ok;

	o = json_parse(text, strlen(text), &ok, &w);
	if (!ok)
		buf_printf(why, "is not valid JSON (%s)", buf_str(&w));
	buf_release(&w);
	return o;
}

/* How an array or object argument is written, after a bare value. */
static void
array_hint(const struct arg *a, const char *text, struct buf *why)
{
	const char	*v = a->secret ? "***" : text;

	if (a->type == ARG_ARRAY && strpbrk(v, "\"'\\") == NULL)
		buf_printf(why, "; an array is JSON: --arg '%s=[\"%s\"]'",
		    a->name, v);
	else if (a->type == ARG_ARRAY)
		buf_printf(why, "; an array is JSON: --arg '%s=[...]'",
		    a->name);
	else if (a->type == ARG_OBJECT)
		buf_printf(why, "; an object is JSON: --arg "
		    "'%s={\"key\": \"value\"}'", a->name);
}

struct json_object *
schema_convert(const struct arg *a, const char *text, struct buf *why)
{
	struct json_object	*o;
	char			*end;
	long long		 i;
	double			 d;

	switch (a->type) {
	case ARG_STRING:
		return json_object_new_string(text);
	case ARG_INTEGER:
	case ARG_NUMBER:
		errno = 0;
		i = strtoll(text, &end, 10);
		if (*text != '\0' && *end == '\0' && strchr(text, ' ') == NULL &&
		    errno != ERANGE)
			return json_object_new_int64(i);
		if (*text != '\0' && *end == '\0' && a->type == ARG_INTEGER) {
			/* As in --args-file: never silently INT64_MAX. */
			buf_printf(why, "is out of range: '%s' (integers are "
			    "64-bit)", a->secret ? "***" : text);
			return NULL;
		}
		d = strtod(text, &end);
		if (a->type == ARG_NUMBER && *text != '\0' && *end == '\0' &&
		    isfinite(d) && strchr(text, ' ') == NULL &&
		    strpbrk(text, "xXnN") == NULL)
			return json_object_new_double(d);
		buf_printf(why, "must be %s, not '%s'", a->type == ARG_INTEGER ?
		    "an integer" : "a number", a->secret ? "***" : text);
		return NULL;
	case ARG_BOOLEAN:
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
			return json_object_new_boolean(text[0] == 't');
		buf_printf(why, "must be true or false, not '%s'",
		    a->secret ? "***" : text);
		return NULL;
	default:
		o = parse_json(text, why);
		if (o == NULL && why->len > 0) {
			array_hint(a, text, why);
			return NULL;
		}
		if (!type_ok(a->type, o)) {
			buf_printf(why, "must be a JSON %s, not %s",
			    type_names[a->type], json_kind(o));
			json_object_put(o);
			return NULL;
		}
		return o;
	}
}

static int
arg_error(const struct arg *a, struct buf *why)
{
	error("argument '%s' %s", a->name, buf_str(why));
	buf_truncate(why, 0);
	return -1;
}

int
schema_apply(const struct schema *s, struct json_object *input,
    struct json_object *reported, struct json_object **out)
{
	struct json_object	*res = json_object_new_object();
	struct buf		 why = BUF_INIT;
	size_t			 i;
	int			 rc = 0;

	if (input != NULL) {
		json_object_object_foreach(input, key, val) {
			const struct arg	*a = schema_find(s, key);

			if (a == NULL) {
				const char	*names[64], *sg;
				size_t		 k;

				for (k = 0; k < s->n && k < nitems(names); k++)
					names[k] = s->args[k].name;
				sg = suggest(key, names, k);
				rc = sg != NULL ? error("unknown argument '%s' "
				    "(did you mean '%s'?)", key, sg) :
				    error("unknown argument '%s'", key);
				continue;
			}
			if (schema_check(a, val, &why) < 0) {
				rc = arg_error(a, &why);
				continue;
			}
			json_object_object_add(res, key, json_object_get(val));
		}
	}
	for (i = 0; i < s->n; i++) {
		const struct arg	*a = &s->args[i];

		if (json_object_object_get_ex(res, a->name, NULL))
			continue;
		if ((input != NULL &&
		    json_object_object_get_ex(input, a->name, NULL)) ||
		    (reported != NULL &&
		    json_object_object_get_ex(reported, a->name, NULL)))
			continue;	/* present but wrong: reported already */
		if (a->def != NULL)
			json_object_object_add(res, a->name,
			    json_object_get(a->def));
		else if (a->required)
			rc = error("missing required argument '%s'", a->name);
	}
	buf_release(&why);
	if (rc < 0) {
		json_object_put(res);
		return -1;
	}
	*out = res;
	return 0;
}

enum {
	AF_TYPE, AF_REQUIRED, AF_DEFAULT, AF_DESCRIPTION, AF_ENUM,
	AF_VALIDATION, AF_SECRET, AF_COUNT
};
static const struct field	arg_fields[AF_COUNT] = {
	[AF_TYPE] = { "type", NULL }, [AF_REQUIRED] = { "required", NULL },
	[AF_DEFAULT] = { "default", NULL },
	[AF_DESCRIPTION] = { "description", NULL },
	[AF_ENUM] = { "enum", NULL }, [AF_VALIDATION] = { "validation", NULL },
	[AF_SECRET] = { "secret", NULL },
};

enum { VF_PATTERN, VF_MIN, VF_MAX, VF_MINLEN, VF_MAXLEN, VF_COUNT };
static const struct field	val_fields[VF_COUNT] = {
	[VF_PATTERN] = { "pattern", NULL }, [VF_MIN] = { "min", NULL },
	[VF_MAX] = { "max", NULL }, [VF_MINLEN] = { "minLength", "min_length" },
	[VF_MAXLEN] = { "maxLength", "max_length" },
};

static void
free_pattern(void *p)
{
	pcre2_code_free(p);
}

static int
load_number(struct loader *ld, const struct ynode *n, const char *name,
    double *out)
{
	if (n->kind != YNODE_SCALAR || (n->type != YS_INT &&
	    n->type != YS_FLOAT))
		return load_type_error(ld, n, name, "a number");
	*out = strtod(n->s, NULL);
	if (n->s[0] == '0' && (n->s[1] == 'x' || n->s[1] == 'o'))
		*out = (double)strtoll(n->s + 2, NULL, n->s[1] == 'x' ? 16 : 8);
	return 0;
}

static int
load_validation(struct loader *ld, const struct ynode *n, struct arg *a)
{
	const struct ynode	*f[VF_COUNT];
	struct buf		 why = BUF_INIT;
	struct loc		 l;
	char			*what;
	int			 rc;

	what = arena_printf(ld->a, "the validation of argument '%s'", a->name);
	rc = load_fields(ld, n, what, val_fields, VF_COUNT, f);
	if (f[VF_PATTERN] != NULL &&
	    load_str(ld, f[VF_PATTERN], "pattern", &a->pattern_src) == 0) {
		l = load_loc(ld, f[VF_PATTERN]);
		if (a->type != ARG_STRING)
			rc = loc_error(&l, "'pattern' applies to strings, and "
			    "argument '%s' is %s", a->name,
			    type_names[a->type]);
		else if ((a->pattern = schema_compile(a->pattern_src, false,
		    &why)) == NULL)
			rc = loc_error(&l, "bad pattern '%s': %s",
			    a->pattern_src, buf_str(&why));
		else
			arena_defer(ld->a, free_pattern, a->pattern);
	}
	if (f[VF_MIN] != NULL)
		rc |= load_number(ld, f[VF_MIN], "min", &a->min);
	if (f[VF_MAX] != NULL)
		rc |= load_number(ld, f[VF_MAX], "max", &a->max);
	a->has_min = f[VF_MIN] != NULL;
	a->has_max = f[VF_MAX] != NULL;
	if (f[VF_MINLEN] != NULL)
		rc |= load_int(ld, f[VF_MINLEN], "minLength", 0, INT32_MAX,
		    &a->min_len);
	if (f[VF_MAXLEN] != NULL)
		rc |= load_int(ld, f[VF_MAXLEN], "maxLength", 0, INT32_MAX,
		    &a->max_len);
	l = load_loc(ld, n);
	if ((a->has_min || a->has_max) && a->type != ARG_INTEGER &&
	    a->type != ARG_NUMBER)
		rc = loc_error(&l, "'min' and 'max' apply to numbers, and "
		    "argument '%s' is %s", a->name, type_names[a->type]);
	if (a->has_min && a->has_max && a->min > a->max)
		rc = loc_error(&l, "'min' is greater than 'max'");
	if ((a->min_len >= 0 || a->max_len >= 0) && a->type != ARG_STRING &&
	    a->type != ARG_ARRAY)
		rc = loc_error(&l, "'minLength' and 'maxLength' apply to "
		    "strings and arrays, and argument '%s' is %s", a->name,
		    type_names[a->type]);
	if (a->min_len >= 0 && a->max_len >= 0 && a->min_len > a->max_len)
		rc = loc_error(&l, "'minLength' is greater than 'maxLength'");
	buf_release(&why);
	return rc < 0 ? -1 : 0;
}

static int
load_type(struct loader *ld, const struct ynode *n, struct arg *a)
{
	const char	*s;
	struct loc	 l = load_loc(ld, n);
	size_t		 i;

	if (load_str(ld, n, "type", &s) < 0)
		return -1;
	for (i = 0; i < nitems(type_names); i++)
		if (strcmp(s, type_names[i]) == 0) {
			a->type = (enum arg_type)i;
			return 0;
		}
	return loc_error(&l, "unknown type '%s' for argument '%s' (use "
	    "string, integer, number, boolean, object or array)", s, a->name);
}

/* Checks the default against the argument's own rules. */
static int
check_default(struct loader *ld, const struct ynode *n, struct arg *a)
{
	struct buf	why = BUF_INIT;
	struct loc	l = load_loc(ld, n);
	int		rc = 0;

	if (a->def == NULL)
		return 0;
	if (a->required)
		rc = loc_error(&l, "argument '%s' is required, so it cannot "
		    "have a default", a->name);
	else if (schema_check(a, a->def, &why) < 0)
		rc = loc_error(&l, "the default of argument '%s' %s", a->name,
		    buf_str(&why));
	buf_release(&why);
	return rc;
}

static int
load_enum(struct loader *ld, const struct ynode *n, struct arg *a)
{
	struct loc	l = load_loc(ld, n);
	size_t		i;

	if (n->kind != YNODE_SEQ || n->n == 0)
		return loc_error(&l, "'enum' of argument '%s' must be a "
		    "non-empty list", a->name);
	if ((a->enums = load_json(ld, n, "enum")) == NULL)
		return -1;
	for (i = 0; i < n->n; i++)
		if (!type_ok(a->type, json_object_array_get_idx(a->enums, i))) {
			l = load_loc(ld, n->items[i]);
			return loc_error(&l, "enum value '%s' is not %s %s, "
			    "the type of argument '%s'", n->items[i]->s ?
			    n->items[i]->s : "", a->type == ARG_INTEGER ||
			    a->type == ARG_ARRAY || a->type == ARG_OBJECT ?
			    "an" : "a", type_names[a->type], a->name);
		}
	return 0;
}

static int
load_arg(struct loader *ld, const struct ynode *key, const struct ynode *n,
    struct arg *a)
{
	const struct ynode	*f[AF_COUNT];
	struct loc		 l;
	char			*what;
	int			 rc;

	a->name = key->s;
	a->loc = load_loc(ld, key);
	a->min_len = a->max_len = -1;
	what = arena_printf(ld->a, "argument '%s'", a->name);
	if ((rc = load_fields(ld, n, what, arg_fields, AF_COUNT, f)) < 0 &&
	    n->kind != YNODE_MAP)
		return -1;
	if (f[AF_TYPE] == NULL) {
		l = load_loc(ld, n);
		return loc_error(&l, "argument '%s' has no 'type'", a->name);
	}
	if (load_type(ld, f[AF_TYPE], a) < 0)
		return -1;
	if (f[AF_REQUIRED] != NULL)
		rc |= load_bool(ld, f[AF_REQUIRED], "required", &a->required);
	if (f[AF_SECRET] != NULL)
		rc |= load_bool(ld, f[AF_SECRET], "secret", &a->secret);
	if (f[AF_DESCRIPTION] != NULL)
		rc |= load_str(ld, f[AF_DESCRIPTION], "description",
		    &a->description);
	if (f[AF_ENUM] != NULL)
		rc |= load_enum(ld, f[AF_ENUM], a);
	if (f[AF_VALIDATION] != NULL)
		rc |= load_validation(ld, f[AF_VALIDATION], a);
	if (f[AF_DEFAULT] != NULL && f[AF_DEFAULT]->type != YS_NULL &&
	    (a->def = load_json(ld, f[AF_DEFAULT], "default")) == NULL)
		rc = -1;
	if (rc == 0 && f[AF_DEFAULT] != NULL)
		rc = check_default(ld, f[AF_DEFAULT], a);
	return rc < 0 ? -1 : 0;
}

int
load_schema(struct loader *ld, const struct ynode *n, struct schema *s)
{
	size_t	i;
	int	rc = 0;

	if (n->kind != YNODE_MAP)
		return load_type_error(ld, n, "args", "a mapping of argument "
		    "names to their definitions");
	s->n = n->n;
	s->args = arena_array(ld->a, n->n, sizeof *s->args);
	for (i = 0; i < n->n; i++) {
		const struct ynode	*k = YMAP_KEY(n, i);
		size_t			 len = strlen(k->s);
		struct loc		 l = load_loc(ld, k);

		if (len == 0 || len > 63 || strspn(k->s, "ABCDEFGHIJKLMNOPQRST"
		    "UVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != len)
			rc = loc_error(&l, "bad argument name '%s': use 1 to "
			    "63 letters, digits, '_' or '-'", k->s);
		else
			rc |= load_arg(ld, k, YMAP_VAL(n, i), &s->args[i]);
	}
	return rc < 0 ? -1 : 0;
}
