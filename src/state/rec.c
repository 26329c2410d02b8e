/* rec.c: one journal record, parsed as untrusted JSON and checked. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "base/util.h"
#include "state/rec.h"
#include "state/record.h"
#include "state/status.h"

/* What a field must be. */
enum want {
	W_ANY,		/* any JSON value, null included */
	W_STR,
	W_NAME,		/* a non-empty string */
	W_INT,
	W_BOOL,
	W_NAT,		/* an integer >= 0 */
	W_MS,		/* milliseconds: 0 to a century, so that every
			 * reader may add them to a time in nanoseconds */
	W_TIME,		/* RFC 3339 UTC, as record_time() writes */
	W_HEX,		/* up to 16 hexadecimal digits */
	W_OBJ,
	W_STRS,		/* an array of strings */
	W_STEP_ST,	/* a step's status name */
	W_EXEC_ST	/* an execution's status name */
};

struct fspec {
	const char	*key;
	enum want	 want;
	bool		 required;
};

static const struct fspec	start_fields[] = {
	{ "workflow", W_NAME, true }, { "at", W_TIME, true },
	{ "input", W_OBJ, true }, { "id", W_STR, false },
	{ "v", W_NAT, false }, { "pid", W_NAT, false },
	{ "parent", W_NAME, false }, { "secrets", W_STRS, false },
	{ NULL, 0, false }
};
static const struct fspec	step_fields[] = {
	{ "k", W_NAME, true }, { "s", W_STEP_ST, true },
	{ "at", W_TIME, true }, { "a", W_NAT, false },
	{ "h", W_HEX, false }, { "tool", W_STR, false },
	{ "from", W_TIME, false }, { "ms", W_MS, false },
	{ "exit", W_INT, false }, { "input", W_ANY, false },
	{ "result", W_ANY, false }, { "error", W_STR, false },
	{ "ru", W_OBJ, false }, { "route", W_STR, false },
	{ "redirect", W_NAME, false }, { "recovered", W_BOOL, false },
	{ NULL, 0, false }
};
static const struct fspec	pid_fields[] = {
	{ "k", W_NAME, true }, { "pid", W_NAT, true },
	{ "ps", W_NAT, false }, { "boot", W_STR, false },
	{ NULL, 0, false }
};
static const struct fspec	resume_fields[] = {
	{ "at", W_TIME, false }, { "pid", W_NAT, false },
	{ NULL, 0, false }
};
static const struct fspec	end_fields[] = {
	{ "s", W_EXEC_ST, true }, { "at", W_TIME, true },
	{ "ms", W_MS, false }, { "result", W_ANY, false },
	{ "error", W_STR, false }, { "ru", W_OBJ, false },
	{ "output_lost", W_BOOL, false },
	{ NULL, 0, false }
};

static const struct fspec	checkpoint_fields[] = {
	{ "name", W_NAME, true }, { "at", W_TIME, true },
	{ "done", W_STRS, true }, { "step", W_STR, false },
	{ NULL, 0, false }
};

static const struct fspec	slurm_fields[] = {
	{ "k", W_NAME, true }, { "a", W_NAT, true },
	{ "job", W_NAME, true }, { "name", W_STR, false },
	{ NULL, 0, false }
};

static const struct {
	const char		*name;
	enum rec_type		 type;
	const struct fspec	*fields;
} types[] = {
	{ "start", REC_START, start_fields },
	{ "step", REC_STEP, step_fields },
	{ "pid", REC_PID, pid_fields },
	{ "resume", REC_RESUME, resume_fields },
	{ "end", REC_END, end_fields },
	{ "checkpoint", REC_CHECKPOINT, checkpoint_fields },
	{ "slurm", REC_SLURM, slurm_fields },
};

static const char *const	wants[] = {
	[W_ANY] = "a value", [W_STR] = "a string",
	[W_NAME] = "a non-empty string", [W_INT] = "an integer",
	[W_BOOL] = "true or false",
	[W_NAT] = "a non-negative integer", [W_TIME] = "a time",
	[W_MS] = "a duration in milliseconds (at most a century)",
	[W_HEX] = "a hexadecimal hash", [W_OBJ] = "an object",
	[W_STRS] = "a list of strings", [W_STEP_ST] = "a step status",
	[W_EXEC_ST] = "an execution status",
};

static struct json_tokener	*tok;

static void
free_tokener(void)
{
	json_tokener_free(tok);
	tok = NULL;
}

static bool
is_int(struct json_object *v)
{
	return json_object_is_type(v, json_type_int);
}

static bool
all_strings(struct json_object *v)
{
	size_t	i, n;

	if (!json_object_is_type(v, json_type_array))
		return false;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(v, i),
		    json_type_string))
			return false;
	return true;
}

static bool
step_status(const char *s)
{
	static const char *const	names[] = { "pending", "running",
					    "completed", "failed", "skipped" };
	size_t				i;

	for (i = 0; i < nitems(names); i++)
		if (strcmp(s, names[i]) == 0)
			return true;
	return false;
}

static bool
hex(const char *s)
{
	size_t	n = strlen(s);

	return n > 0 && n <= 16 && strspn(s, "0123456789abcdef") == n;
}

/* True when v is what w asks for. */
static bool
fits(struct json_object *v, enum want w)
{
	const char	*s = json_object_is_type(v, json_type_string) ?
			    json_object_get_string(v) : NULL;

	switch (w) {
	case W_ANY:
		return true;
	case W_STR:
		return s != NULL;
	case W_NAME:
		return s != NULL && *s != '\0';
	case W_INT:
		return is_int(v);
	case W_BOOL:
		return json_object_is_type(v, json_type_boolean);
	case W_NAT:
		return is_int(v) && json_object_get_int64(v) >= 0;
	case W_MS:
		return is_int(v) && json_object_get_int64(v) >= 0 &&
		    json_object_get_int64(v) <= 100 * 36525LL * 864000;
	case W_TIME:
		return s != NULL && record_parse_time(s) != 0;
	case W_HEX:
		return s != NULL && hex(s);
	case W_OBJ:
		return json_object_is_type(v, json_type_object);
	case W_STRS:
		return all_strings(v);
	case W_STEP_ST:
		return s != NULL && step_status(s);
	case W_EXEC_ST:
		return s != NULL && exec_status_parse(s) >= 0;
	}
	return false;
}

static int
check(struct json_object *o, const char *type, const struct fspec *f,
    struct buf *why)
{
	struct json_object	*v;

	for (; f->key != NULL; f++) {
		bool	there = json_object_object_get_ex(o, f->key, &v);

		/* A field given as null is a field not given. */
		if (there && v == NULL && f->want != W_ANY)
			there = false;
		if (!there && f->required) {
			buf_printf(why, "%s record without \"%s\"", type,
			    f->key);
			return -1;
		}
		if (there && !fits(v, f->want)) {
			buf_printf(why, "\"%s\" of %s %s record is not %s",
			    f->key, strchr("aeiou", type[0]) ? "an" : "a",
			    type, wants[f->want]);
			return -1;
		}
	}
	return 0;
}

static struct json_object *
parse(const char *p, size_t len, struct buf *why)
{
	struct json_object	*o;
	enum json_tokener_error	 e;

	if (tok == NULL) {
		if ((tok = json_tokener_new_ex(REC_MAX_DEPTH)) == NULL)
			fatal("out of memory parsing JSON");
		atexit(free_tokener);
	} else
		json_tokener_reset(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, p, (int)len);
	e = json_tokener_get_error(tok);
	if (e == json_tokener_success && json_tokener_get_parse_end(tok) ==
	    len && json_object_is_type(o, json_type_object))
		return o;
	if (e == json_tokener_success)
		buf_adds(why, json_object_is_type(o, json_type_object) ?
		    "bytes after the record's object" : "not a JSON object");
	else if (e == json_tokener_continue)
		buf_adds(why, "JSON cut short");
	else if (e == json_tokener_error_depth)
		buf_printf(why, "JSON nested deeper than %d levels",
		    REC_MAX_DEPTH);
	else
		buf_printf(why, "bad JSON: %s at byte %zu",
		    json_tokener_error_desc(e),
		    json_tokener_get_parse_end(tok));
	json_object_put(o);
	return NULL;
}

int
rec_parse(const char *p, size_t len, struct rec *r, struct buf *why)
{
	struct json_object	*t;
	const char		*name;
	size_t			 i;

	memset(r, 0, sizeof *r);
	if (len > 0x7fffffff) {
		buf_adds(why, "record too long");
		return -1;
	}
	if ((r->o = parse(p, len, why)) == NULL)
		return -1;
	if (!json_object_object_get_ex(r->o, "t", &t) ||
	    !json_object_is_type(t, json_type_string)) {
		buf_adds(why, "record without a type (\"t\")");
		rec_release(r);
		return -1;
	}
	name = json_object_get_string(t);
	r->type = REC_OTHER;
	for (i = 0; i < nitems(types); i++)
		if (strcmp(name, types[i].name) == 0)
			break;
	if (i == nitems(types))
		return 0;
	r->type = types[i].type;
	if (check(r->o, name, types[i].fields, why) < 0) {
		rec_release(r);
		return -1;
	}
	r->key = rec_str(r, "k");
	r->status = rec_str(r, "s");
	return 0;
}

void
rec_release(struct rec *r)
{
	json_object_put(r->o);
	memset(r, 0, sizeof *r);
}

struct json_object *
rec_get(const struct rec *r, const char *key)
{
	struct json_object	*v = NULL;

	json_object_object_get_ex(r->o, key, &v);
	return v;
}

const char *
rec_str(const struct rec *r, const char *key)
{
	struct json_object	*v = rec_get(r, key);

	return json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

int64_t
rec_int(const struct rec *r, const char *key, int64_t def)
{
	struct json_object	*v = rec_get(r, key);

	return is_int(v) ? json_object_get_int64(v) : def;
}

static const struct fspec	summary_fields[] = {
	{ "execution_id", W_NAME, true }, { "workflow_name", W_NAME, true },
	{ "status", W_EXEC_ST, true }, { "started_at", W_TIME, true },
	{ "completed_at", W_TIME, false }, { "duration_ms", W_MS, false },
	{ "parent_execution_id", W_NAME, false }, { "pid", W_NAT, false },
	{ "error", W_STR, false },
	{ NULL, 0, false }
};

int
rec_check_summary(struct json_object *o, struct buf *why)
{
	if (!json_object_is_type(o, json_type_object)) {
		buf_adds(why, "not a JSON object");
		return -1;
	}
	return check(o, "summary", summary_fields, why);
}
