/* fuzz-tmpl.c: libFuzzer harness for the template parser and evaluator.
 *
 * Input: one flags byte, the template (NUL bytes included), then, after the
 * marker "\0\0JSON", JSON data (when the data is missing or not valid
 * JSON, a fixed document is used).  Every
 * template that parses is rendered, evaluated and walked; nothing may
 * crash, leak or trip a sanitizer, whatever the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tmpl/tmpl.h"
#include "base/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char	fixed[] = "{\"input\":{\"app\":\"web\",\"n\":3,"
    "\"f\":2.5,\"list\":[1,\"a\",null,true,[2]],\"m\":{\"k\":\"v\"},"
    "\"e\":\"\",\"z\":null},\"results\":{\"build\":{\"tag\":\"v1\"}}}";

static void
count(void *arg, const char *const *chain, size_t n, int line, int col)
{
	size_t	i;

	for (i = 0; i < n; i++)
		*(size_t *)arg += strlen(chain[i]) + (size_t)line + (size_t)col;
}

static struct json_object *
data(const char *s, size_t n)
{
	struct json_tokener	*tok = json_tokener_new_ex(64);
	struct json_object	*j;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	j = json_tokener_parse_ex(tok, s, (int)n);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(j);
		j = json_tokener_parse(fixed);
	}
	json_tokener_free(tok);
	return j;
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	struct tmpl_error	 err;
	struct json_object	*j, *v = NULL;
	struct buf		 out = BUF_INIT;
	struct tmpl		*t;
	const char		*s = (const char *)in + 1, *nul;
	size_t			 n, seen = 0;
	unsigned		 flags;

	if (len < 1)
		return 0;
	flags = in[0] & (TMPL_MISSING_DEFAULT | TMPL_SHELL);
	len--;
	nul = memmem(s, len, "\0\0JSON", 6);
	n = nul != NULL ? (size_t)(nul - s) : len;
	if ((t = tmpl_parse(s, n, &err)) == NULL)
		return 0;
	j = nul != NULL ? data(nul + 6, len - n - 6) :
	    json_tokener_parse(fixed);
	tmpl_render(t, j, flags, &out, &err);
	tmpl_eval(t, j, flags, &v, &err);
	tmpl_walk_fields(t, count, &seen);
	(void)tmpl_is_text(t);
	json_object_put(v);
	json_object_put(j);
	buf_release(&out);
	tmpl_free(t);
	return 0;
}
