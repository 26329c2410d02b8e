/* value.c: JSON values (json-c) as muster reads and prints them. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "base/util.h"
#include "base/value.h"

#define FLAGS	(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* One tokener for every parse: reading a journal parses thousands. */
static struct json_tokener	*tok;

static void
free_tokener(void)
{
	json_tokener_free(tok);
	tok = NULL;
}

struct json_object *
json_parse(const char *s, size_t len, int *ok, struct buf *why)
{
	struct json_object	*o;
	enum json_tokener_error	 e;
	size_t			 end;

	if (tok == NULL) {
		if ((tok = json_tokener_new_ex(VALUE_MAX_DEPTH)) == NULL)
			fatal("out of memory parsing JSON");
		atexit(free_tokener);
	} else
		json_tokener_reset(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)len);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (e == json_tokener_continue && end == len) {
		/* A top-level number ends only at a delimiter: give it one. */
		o = json_tokener_parse_ex(tok, "", 1);
		e = json_tokener_get_error(tok);
		end = len;
	}
	*ok = 1;
	if (e == json_tokener_success && end == len)
		goto done;
	/* Whitespace after the value is fine. */
	if (e == json_tokener_success &&
	    strspn(s + end, " \t\r\n") == len - end)
		goto done;
	*ok = 0;
	if (e == json_tokener_continue || e == json_tokener_error_parse_eof)
		buf_printf(why, "unexpected end of input at byte %zu", len);
	else if (e == json_tokener_error_depth)
		buf_printf(why, "nested deeper than %d levels at byte %zu",
		    VALUE_MAX_DEPTH, end);
	else if (e == json_tokener_success)
		buf_printf(why, "unexpected data after the value at byte %zu",
		    end);
	else
		buf_printf(why, "%s at byte %zu", json_tokener_error_desc(e),
		    end);
	json_object_put(o);
	o = NULL;
done:
	return o;
}

void
json_to_buf(struct buf *b, struct json_object *v)
{
	size_t		 len;
	const char	*s = json_object_to_json_string_length(v, FLAGS, &len);

	buf_add(b, s, len);
}

void
json_print(FILE *f, struct json_object *v)
{
	size_t		 len;
	const char	*s = json_object_to_json_string_length(v, FLAGS, &len);

	fwrite(s, 1, len, f);
	fputc('\n', f);
}

struct json_object *
json_str(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

void
json_set(struct json_object *obj, const char *key, struct json_object *v)
{
	json_object_object_add(obj, key, v);
}
